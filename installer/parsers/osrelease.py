"""Parse the files that name a Linux distribution and its release.

- os-release(5) and lsb-release: ``KEY=VALUE`` lines with shell quoting.
- ``/etc/redhat-release`` and ``/etc/system-release``: one line such as
  ``CentOS Linux release 7.9.2009 (Core)``.
- ``/etc/debian_version``: ``12.5``, or ``trixie/sid`` on testing.
"""

import re
import shlex

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RELEASE_LINE = re.compile(
    r"^(?P<name>.+?)\s+release\s+(?P<version>[0-9][0-9A-Za-z.]*)(?:\s*\((?P<codename>[^)]*)\))?")


def parse_os_release(text):
    """Parse os-release or lsb-release text into a dict of its variables.

    Values are unquoted as the shell would; a line with a bad key or an
    unterminated quote is skipped. A later assignment overrides an earlier one.

    >>> parse_os_release('ID=debian\\nVERSION_ID="12"\\n# comment\\n')
    {'ID': 'debian', 'VERSION_ID': '12'}
    """
    variables = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, separator, raw_value = line.partition("=")
        if not separator or not _KEY.match(key):
            continue
        try:
            words = shlex.split(raw_value, posix=True)
        except ValueError:
            continue
        variables[key] = " ".join(words)
    return variables


def parse_release_line(text):
    """Parse a ``NAME release VERSION (CODENAME)`` line into a dict, or None.

    >>> parse_release_line("CentOS release 6.10 (Final)")["version"]
    '6.10'
    """
    for line in text.splitlines():
        match = _RELEASE_LINE.match(line.strip())
        if match:
            return {"name": match.group("name"), "version": match.group("version"),
                    "codename": match.group("codename") or ""}
    return None


def parse_debian_version(text):
    """Return the release number in ``/etc/debian_version``, or "" on testing.

    >>> parse_debian_version("12.5\\n")
    '12.5'
    >>> parse_debian_version("trixie/sid\\n")
    ''
    """
    first = text.strip().split("\n")[0].strip()
    if re.match(r"^[0-9]+(\.[0-9]+)*$", first):
        return first
    return ""
