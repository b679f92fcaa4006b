"""Parse ``/proc/meminfo``."""

import re

_NUMBER = re.compile(r"^[0-9]+$")

_UNITS = {"kB": 1024, "mB": 1024 * 1024, "gB": 1024 * 1024 * 1024, "": 1}


def parse_meminfo(text):
    """Return {field: bytes} for every well-formed ``Name:  value [kB]`` line.

    >>> parse_meminfo("MemTotal:  2048 kB\\nHugePages_Total: 0\\n")
    {'MemTotal': 2097152, 'HugePages_Total': 0}
    """
    values = {}
    for line in text.splitlines():
        name, separator, rest = line.partition(":")
        words = rest.split()
        if not separator or not name.strip() or not 1 <= len(words) <= 2:
            continue
        if not _NUMBER.match(words[0]):
            continue
        unit = words[1] if len(words) == 2 else ""
        if unit not in _UNITS:
            continue
        values[name.strip()] = int(words[0]) * _UNITS[unit]
    return values
