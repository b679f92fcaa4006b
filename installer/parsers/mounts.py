"""Parse the mount table in the format of ``/proc/self/mounts`` (fstab(5) fields)."""

import collections
import re

Mount = collections.namedtuple("Mount", "source mount_point fstype options")

_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")


def unescape_field(field):
    r"""Undo the kernel's octal escapes of space, tab, newline and backslash.

    >>> unescape_field(r"/mnt/my\040disk")
    '/mnt/my disk'
    """
    return _OCTAL_ESCAPE.sub(lambda match: chr(int(match.group(1), 8)), field)


def parse_mounts(text):
    """Return the mounts in ``text`` as :class:`Mount` tuples, in table order.

    ``options`` is a frozenset such as ``{"rw", "noexec"}``. Lines with
    fewer than four fields or a mount point that is not absolute are skipped.
    """
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 4:
            continue
        mount_point = unescape_field(fields[1])
        if not mount_point.startswith("/"):
            continue
        options = frozenset(option for option in fields[3].split(",") if option)
        mounts.append(Mount(unescape_field(fields[0]), mount_point, fields[2], options))
    return mounts


def mount_for(mounts, path):
    """Return the mount that contains the absolute ``path``, or None.

    The last mount of the longest matching mount point wins, because later
    lines of the table are mounted over earlier ones.
    """
    best = None
    for mount in mounts:
        point = mount.mount_point.rstrip("/") or "/"
        if path == point or point == "/" or path.startswith(point + "/"):
            if best is None or len(point) >= len(best.mount_point.rstrip("/") or "/"):
                best = mount
    return best
