"""Connector versions as the package managers print them, and the update policy."""

import re

_VERSION = re.compile(r"^(?:\d+:)?(\d+(?:\.\d+)*)(?:-[0-9A-Za-z.+~]+)?$")


class VersionError(ValueError):
    """A version string no package manager would print for this package."""


def parse_version(text):
    """Return the numeric components of ``1.2.3``, ``1.2.3-1`` or ``0:1.2.3-1``.

    >>> parse_version("1.10.0-1")
    (1, 10, 0)
    """
    match = _VERSION.match(text.strip())
    if not match:
        raise VersionError("invalid version {0!r}: expected digits and dots, e.g. 1.2.3".format(
            text))
    return tuple(int(part) for part in match.group(1).split("."))


def choose_target(installed, available, settings, failed=()):
    """Return (version to install or None, reason) for one updater run.

    ``available`` is what the repository offers. Versions in ``failed``
    (updates that were rolled back) are never chosen again; a version newer
    than them is.
    """
    current = parse_version(installed)
    failed_keys = {parse_version(version) for version in failed}
    offered = sorted({parse_version(v): v for v in available}.items())
    if settings.policy == "pin":
        pin = parse_version(settings.version)
        if pin == current:
            return None, "installed version {0} is the pinned version".format(installed)
        if pin < current:
            return None, "installed version {0} is newer than the pin {1}; not downgrading".format(
                installed, settings.version)
        candidates = [(key, text) for key, text in offered if key == pin]
    else:
        candidates = [(key, text) for key, text in offered if key > current]
        if settings.policy == "max":
            ceiling = parse_version(settings.max_version)
            candidates = [(key, text) for key, text in candidates if key <= ceiling]
    skipped = [text for key, text in candidates if key in failed_keys]
    candidates = [(key, text) for key, text in candidates if key not in failed_keys]
    if not candidates:
        reason = "no newer version within policy {0}".format(settings.policy)
        if skipped:
            reason += " (skipped versions that failed before: {0})".format(", ".join(skipped))
        return None, reason
    return candidates[-1][1], "version {0} is available (policy {1})".format(
        candidates[-1][1], settings.policy)
