"""Install and remove the init files the scriptlets place outside the package."""

import os
import shutil

from installer import paths
from installer.atomicfile import write_atomic


def install_file(source, destination, mode):
    """Atomically copy ``source`` to ``destination``; return True if the content changed."""
    with open(source, "rb") as handle:
        content = handle.read()
    try:
        with open(destination, "rb") as handle:
            if handle.read() == content and (os.stat(destination).st_mode & 0o7777) == mode:
                return False
    except OSError:
        pass
    write_atomic(destination, content, mode)
    return True


def is_managed(path):
    """Return True when ``path`` carries the package's managed-file marker."""
    try:
        with open(path, "r") as handle:
            head = handle.read(1024)
    except (OSError, UnicodeDecodeError):
        return False
    return paths.MANAGED_MARKER in head


def remove_managed(candidates):
    """Delete those of ``candidates`` the package wrote; return the deleted paths."""
    removed = []
    for path in candidates:
        if os.path.lexists(path) and is_managed(path):
            os.unlink(path)
            removed.append(path)
    return removed


def copy_default(source, destination, mode):
    """Copy ``source`` to ``destination`` only when the destination is missing."""
    if os.path.exists(destination):
        return False
    os.makedirs(os.path.dirname(destination), mode=0o755, exist_ok=True)
    shutil.copyfile(source, destination)
    os.chmod(destination, mode)
    return True
