"""Parse dpkg's status database (``/var/lib/dpkg/status``, deb822 stanzas)."""


def parse_dpkg_stanza(text, package):
    """Return the fields of ``package``'s stanza in ``text``, or None if absent.

    Continuation lines (starting with a space or tab) are folded into the
    previous field. Only the fields of the first stanza naming the package
    are returned.

    >>> parse_dpkg_stanza("Package: a\\nStatus: install ok installed\\n", "a")["Status"]
    'install ok installed'
    """
    fields = {}
    last_key = None
    for line in text.splitlines() + [""]:
        if not line.strip():
            if fields.get("Package") == package:
                return fields
            fields = {}
            last_key = None
            continue
        if line[0] in " \t":
            if last_key is not None:
                fields[last_key] += "\n" + line.strip()
            continue
        key, separator, value = line.partition(":")
        if not separator or not key.strip():
            last_key = None
            continue
        last_key = key.strip()
        fields[last_key] = value.strip()
    return None


def parse_dpkg_state(status_field):
    """Return the package state word of a ``Status:`` field, e.g. ``installed``.

    The field is ``want flag state``; a malformed field yields "".

    >>> parse_dpkg_state("install ok half-configured")
    'half-configured'
    """
    words = status_field.split()
    return words[2] if len(words) == 3 else ""
