"""Resolution of container paths to host paths, with symlinks followed inside the root."""

import posixpath

from installer.hostfs import resolve_in_root as resolve_host_path


def resolve_in_root(root, path):
    """Return the host path of the container path, resolving symlinks as a chroot would.

    An absolute symlink target starts again at root, and ".." stops at root,
    so the result never leaves root.  The last component need not exist.
    Raises ValueError for a relative path and OSError (ELOOP) for a symlink loop.
    The resolution itself is the one amp-preflight uses for --root.
    """
    if not path.startswith("/"):
        raise ValueError(f"container path must be absolute: {path!r}")
    return posixpath.join(root, resolve_host_path(root, path).lstrip("/"))
