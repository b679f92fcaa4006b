"""The ``os`` check: the distribution and release against the supported-OS table.

Identification is in :mod:`installer.checks.os_detect` and the table rules
in :mod:`installer.checks.os_rules`; this module turns their outcome into a
result with a message and a fix.
"""

from installer.checks import os_rules
from installer.checks.model import CheckResult, FAIL, PASS, UNKNOWN, WARN
from installer.checks.os_detect import identify, summarize_tried
from installer.i18n import _

version_matches = os_rules.version_matches

NAME = "os"


def _distribution_hint():
    names = sorted(set(row["name"] for row in os_rules.load_table()["rows"]))
    return _("Install on a supported distribution: {names}.").format(names=", ".join(names))


def _unidentified(ctx, found):
    tried = summarize_tried(found["tried"])
    return CheckResult(
        NAME, UNKNOWN,
        _("Could not identify the operating system under {root} ({tried}).").format(
            root=ctx.root, tried=tried),
        _("Make /etc/os-release or /usr/lib/os-release a readable UTF-8 file with an ID "
          "line, as os-release(5) describes."),
        {"id": "", "version": "", "pretty_name": "", "tried": found["tried"]},
    )


def _rejection(outcome, found, row, detail, machine):
    """Return (status, message, fix) for an outcome other than supported."""
    pretty = found["pretty_name"]
    if outcome == os_rules.UNKNOWN_DISTRIBUTION:
        return FAIL, _("{name} is not a supported operating system: the distribution "
                       "{id} is not on the supported list.").format(
            name=pretty, id=found["id"]), _distribution_hint()
    if outcome == os_rules.DERIVATIVE_ONLY:
        return FAIL, _("{name} is not a supported operating system: it is derived from "
                       "{parent} (ID_LIKE), but only the distributions on the list are "
                       "supported, not their derivatives.").format(
            name=pretty, parent=detail), _distribution_hint()
    if outcome == os_rules.UNLISTED_VERSION:
        return FAIL, _("{name} is not a supported operating system: the supported {distro} "
                       "releases are {releases}.").format(
            name=pretty, distro=row["name"], releases=os_rules.supported_releases(row)), \
            _("Move the host to a supported {distro} release: {releases}.").format(
                distro=row["name"], releases=os_rules.supported_releases(row))
    if outcome == os_rules.BELOW_MINIMUM:
        return FAIL, _("{name} (release {version}) is not a supported operating system: "
                       "this {distro} release is supported from {minimum} on.").format(
            name=pretty, version=found["version"], distro=row["name"], minimum=detail), \
            _("Update the host to release {minimum} or later.").format(minimum=detail)
    if outcome == os_rules.MINOR_UNKNOWN:
        return UNKNOWN, _("{name}: could not tell the minor release, and this {distro} "
                          "release is supported from {minimum} on.").format(
            name=pretty, distro=row["name"], minimum=detail), \
            _("Check that /etc/redhat-release or /etc/system-release names the full "
              "release, such as {minimum}.").format(minimum=detail)
    return FAIL, _("{name} is supported on {arches} only, not on {machine}.").format(
        name=pretty, arches=", ".join(row["arch"]), machine=machine), \
        _("Install on a host with one of these architectures: {arches}.").format(
            arches=", ".join(row["arch"]))


def check_os(ctx):
    found = identify(ctx)
    if not found["id"]:
        return _unidentified(ctx, found)
    facts = {key: found[key] for key in ("id", "version", "pretty_name", "id_like", "source")}
    outcome, row, detail = os_rules.evaluate(os_rules.load_table(), found, ctx.machine)
    if row is not None:
        facts.update(supported_as=row["id"], package_format=row["package_format"],
                     expected_init=row["init"], kernel_monitoring=row["kernel_monitoring"])
    if outcome != os_rules.SUPPORTED:
        status, message, fix = _rejection(outcome, found, row, detail, ctx.machine)
        return CheckResult(NAME, status, message, fix, facts)
    pretty = found["pretty_name"]
    if ctx.package_format and ctx.package_format != row["package_format"]:
        return CheckResult(
            NAME, WARN,
            _("{name} is supported, but its native package format is {native}, not {used}.").format(
                name=pretty, native=row["package_format"], used=ctx.package_format),
            _("Install the .{native} package on this host.").format(native=row["package_format"]),
            facts,
        )
    return CheckResult(NAME, PASS, _("{name} is supported.").format(name=pretty), facts=facts)
