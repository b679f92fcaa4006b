"""Find the mount that contains a host path, from the mount table seen under the root.

The table is ``/proc/self/mounts`` under the root when it can be read there
(the live host, or a fixture tree that provides one). For any other root
the live table is used with the root's real path, and mount points inside
the root are reported relative to it.
"""

import os

from installer.parsers.mounts import mount_for, parse_mounts

MOUNT_TABLES = ("/proc/self/mounts", "/proc/mounts")


def _read_table(ctx):
    """Return (mounts, whether they are the root's own table)."""
    if "mounts" in ctx.cache:
        return ctx.cache["mounts"]
    result = ([], False)
    for path in MOUNT_TABLES:
        try:
            result = (parse_mounts(ctx.read_text(path, limit=4 << 20)), True)
            break
        except (OSError, UnicodeDecodeError):
            continue
    if not result[1] and not ctx.is_live:
        try:
            with open("/proc/self/mounts", "rb") as handle:
                result = (parse_mounts(handle.read(4 << 20).decode("utf-8", "replace")), False)
        except OSError:
            pass
    ctx.cache["mounts"] = result
    return result


def find_mount(ctx, host_path):
    """Return the :class:`~installer.parsers.mounts.Mount` holding ``host_path``, or None.

    ``host_path`` must already have its symlinks resolved inside the root.
    """
    mounts, own_table = _read_table(ctx)
    if own_table:
        return mount_for(mounts, host_path)
    real = os.path.realpath(ctx.host_path(host_path))
    mount = mount_for(mounts, real)
    if mount is None:
        return None
    if mount.mount_point == ctx.root or mount.mount_point.startswith(ctx.root + "/"):
        inside = mount.mount_point[len(ctx.root):] or "/"
        return mount._replace(mount_point=inside)
    return mount
