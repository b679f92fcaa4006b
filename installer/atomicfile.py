"""Replace files atomically, so a process killed mid-write leaves the old file or the new one."""

import json
import os
import tempfile


def write_atomic(path, content, mode, directory_mode=0o755):
    """Replace ``path`` with ``content`` (bytes) and permission ``mode``, via rename.

    The data is flushed to disk before the rename, and a failure removes the
    temporary file, so readers never see a partial file.
    """
    directory = os.path.dirname(path)
    os.makedirs(directory, mode=directory_mode, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".cisco-amp-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.rename(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def write_json_atomic(path, data, mode, directory_mode=0o755):
    """Replace ``path`` with ``data`` as indented JSON; see :func:`write_atomic`."""
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    write_atomic(path, text.encode("utf-8"), mode, directory_mode)
