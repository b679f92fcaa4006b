"""Parse kernel release strings such as ``5.14.0-362.8.1.el9_3.x86_64``."""

import re

_RELEASE = re.compile(r"^\s*([0-9]+)\.([0-9]+)(?:\.([0-9]+))?")


def parse_kernel_release(text):
    """Return (major, minor, patch) of a kernel release string, or None.

    Only the leading numbers count; distribution suffixes are ignored.

    >>> parse_kernel_release("4.14.336-257.566.amzn2.x86_64")
    (4, 14, 336)
    >>> parse_kernel_release("6.1")
    (6, 1, 0)
    >>> parse_kernel_release("garbage") is None
    True
    """
    match = _RELEASE.match(text)
    if not match:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


def format_version(version):
    """Format a (major, minor, patch) tuple as ``major.minor.patch``."""
    return ".".join(str(part) for part in version)
