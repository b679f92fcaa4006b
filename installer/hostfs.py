"""Reading a host's file tree from a root directory, as if that root were ``/``."""

import errno
import os

_MAX_SYMLINKS = 40


def resolve_in_root(root, path):
    """Return ``path`` with every symlink resolved inside ``root``.

    An absolute link target restarts from ``root``, not from the live ``/``,
    so ``/opt -> /data/opt`` in a fixture tree stays in the fixture tree.
    Missing components are kept as they are. The result is a host path
    relative to ``root`` (it starts with ``/``).
    """
    pending = [part for part in path.split("/") if part]
    resolved = []
    links_followed = 0
    while pending:
        part = pending.pop(0)
        if part == ".":
            continue
        if part == "..":
            if resolved:
                resolved.pop()
            continue
        candidate = os.path.join(root, *(resolved + [part]))
        if os.path.islink(candidate):
            links_followed += 1
            if links_followed > _MAX_SYMLINKS:
                raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), path)
            target = os.readlink(candidate)
            if target.startswith("/"):
                resolved = []
            pending = [p for p in target.split("/") if p] + pending
            continue
        resolved.append(part)
    return "/" + "/".join(resolved)


def nearest_existing(root, path):
    """Return the deepest existing ancestor of host ``path`` (resolved) under ``root``."""
    current = resolve_in_root(root, path)
    while current != "/" and not os.path.exists(os.path.join(root, current.lstrip("/"))):
        current = os.path.dirname(current)
    return current
