"""Match an OS identity against the supported-OS table (pure: no file access)."""

import json
import pkgutil
import re

# Outcomes of :func:`evaluate`, which the ``os`` check turns into messages.
SUPPORTED = "supported"
UNKNOWN_DISTRIBUTION = "unknown-distribution"
DERIVATIVE_ONLY = "derivative-only"
UNLISTED_VERSION = "unlisted-version"
BELOW_MINIMUM = "below-minimum"
MINOR_UNKNOWN = "minor-unknown"
UNSUPPORTED_ARCH = "unsupported-arch"

_NUMBER = re.compile(r"^[0-9]+$")


def load_table():
    """Return the supported-OS table shipped in ``installer/data/supported_os.json``."""
    data = pkgutil.get_data("installer", "data/supported_os.json")
    return json.loads(data.decode("utf-8"))


def version_components(version):
    """Split a dotted version into integers; the first non-numeric part ends the list.

    >>> version_components("2018.03")
    [2018, 3]
    >>> version_components("7.9.2009")
    [7, 9, 2009]
    """
    components = []
    for part in version.split("."):
        if not _NUMBER.match(part):
            break
        components.append(int(part))
    return components


def version_matches(row_version, host_version):
    """Return True when ``row_version`` is a component-wise prefix of the host's."""
    wanted = version_components(row_version)
    have = version_components(host_version)
    return bool(wanted) and have[:len(wanted)] == wanted


def version_at_least(host_version, minimum):
    """Return True when ``host_version`` compares at least ``minimum``, part by part.

    Missing parts count as 0, so ``7`` is below ``7.9`` and ``7.9.2009`` is not.
    """
    have = version_components(host_version)
    wanted = version_components(minimum)
    width = max(len(have), len(wanted))
    return have + [0] * (width - len(have)) >= wanted + [0] * (width - len(wanted))


def find_row(table, distro_id):
    """Return (row, derivative entry or None) for an os-release ID, or (None, None)."""
    rows = {row["id"]: row for row in table["rows"]}
    if distro_id in rows:
        return rows[distro_id], None
    for derivative in table.get("derivatives", ()):
        if derivative["id"] == distro_id and derivative["parent"] in rows:
            return rows[derivative["parent"]], derivative
    return None, None


def evaluate(table, identity, machine):
    """Return (outcome, row, detail) for an identity on a machine.

    ``detail`` is the listed version that matched, the unmet minimum
    release, or the ID_LIKE parent that is listed, depending on the outcome.
    """
    row, _derivative = find_row(table, identity["id"])
    if row is None:
        listed_ids = {entry["id"] for entry in table["rows"]}
        parents = [like for like in identity.get("id_like", ()) if like in listed_ids]
        if parents:
            return DERIVATIVE_ONLY, None, parents[0]
        return UNKNOWN_DISTRIBUTION, None, None
    matched = [v for v in row["versions"] if version_matches(v, identity["version"])]
    if not matched:
        return UNLISTED_VERSION, row, None
    minimum = row.get("minimum_release", {}).get(matched[0])
    if minimum and len(version_components(identity["version"])) < len(
            version_components(minimum)):
        return MINOR_UNKNOWN, row, minimum
    if minimum and not version_at_least(identity["version"], minimum):
        return BELOW_MINIMUM, row, minimum
    if machine not in row["arch"]:
        return UNSUPPORTED_ARCH, row, machine
    return SUPPORTED, row, matched[0]


def supported_releases(row):
    """Return the row's releases as a user reads them, e.g. ``7.9, 8, 9``."""
    minimums = row.get("minimum_release", {})
    return ", ".join(
        (minimums[v] + "+") if v in minimums else v for v in row["versions"])
