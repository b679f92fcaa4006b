"""Resolution of container paths to host paths, with symlinks followed inside the root."""

import os
import posixpath

# The same limit as the kernel's MAXSYMLINKS.
_MAX_SYMLINKS = 40


def resolve_in_root(root, path):
    """Return the host path of the container path, resolving symlinks as a chroot would.

    An absolute symlink target starts again at root, and ".." stops at root,
    so the result never leaves root.  The last component need not exist.
    Raises ValueError for a relative path and OSError (ELOOP) for a symlink loop.
    """
    if not path.startswith("/"):
        raise ValueError(f"container path must be absolute: {path!r}")
    pending = [part for part in path.split("/") if part]
    pending.reverse()
    resolved = []
    links_followed = 0
    while pending:
        part = pending.pop()
        if part == ".":
            continue
        if part == "..":
            if resolved:
                resolved.pop()
            continue
        candidate = os.path.join(root, *resolved, part)
        if not os.path.islink(candidate):
            resolved.append(part)
            continue
        links_followed += 1
        if links_followed > _MAX_SYMLINKS:
            raise OSError(40, "too many levels of symbolic links", path)
        target = os.readlink(candidate)
        if target.startswith("/"):
            resolved = []
        pending.extend(reversed([p for p in target.split("/") if p]))
    return posixpath.join(root, *resolved)
