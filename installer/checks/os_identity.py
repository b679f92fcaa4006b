"""The ``os`` check: the distribution and release against the supported-OS table."""

import json
import pkgutil

from installer.checks.model import CheckResult, FAIL, PASS, UNKNOWN, WARN
from installer.i18n import _

NAME = "os"


def load_supported_os():
    """Return the rows of the supported-OS table shipped in ``installer/data``."""
    data = pkgutil.get_data("installer", "data/supported_os.json")
    return json.loads(data.decode("utf-8"))["rows"]


def version_components(version):
    """Split a dotted version into integers; non-numeric parts end the list.

    >>> version_components("2018.03")
    [2018, 3]
    >>> version_components("8.9")
    [8, 9]
    """
    components = []
    for part in version.split("."):
        if not part.isdigit():
            break
        components.append(int(part))
    return components


def version_matches(row_version, host_version):
    """Return True when ``row_version`` is a component-wise prefix of the host's."""
    wanted = version_components(row_version)
    have = version_components(host_version)
    return bool(wanted) and have[:len(wanted)] == wanted


def find_row(rows, distro_id, version):
    """Return (row for the distribution or None, whether the version is listed)."""
    for row in rows:
        if row["id"] == distro_id:
            listed = any(version_matches(v, version) for v in row["versions"])
            return row, listed
    return None, False


def read_identity(root):
    """Return (id, version, pretty name) of the OS under ``root`` via python-distro."""
    import distro

    info = distro.LinuxDistribution(
        include_lsb=False, include_uname=False, include_oslevel=False, root_dir=root
    )
    return info.id(), info.version(), info.name(pretty=True)


def check_os(ctx):
    try:
        distro_id, version, pretty = read_identity(ctx.root)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return CheckResult(
            NAME, UNKNOWN,
            _("Could not read the OS identity under {root}: {error}").format(
                root=ctx.root, error=error),
            _("Check that /etc/os-release is a readable UTF-8 text file."),
        )
    facts = {"id": distro_id, "version": version, "pretty_name": pretty}
    if not distro_id:
        return CheckResult(
            NAME, UNKNOWN,
            _("Could not identify the operating system: no usable os-release under {root}.").format(
                root=ctx.root),
            _("Check that /etc/os-release or /usr/lib/os-release exists and is readable."),
            facts,
        )
    row, listed = find_row(load_supported_os(), distro_id, version)
    if row is None or not listed:
        return CheckResult(
            NAME, FAIL,
            _("{name} {version} is not a supported operating system.").format(
                name=pretty or distro_id, version=version),
            _("Install on a release from the supported-OS list, or pass --ignore os "
              "to proceed at your own risk."),
            facts,
        )
    facts["package_format"] = row["package_format"]
    if ctx.package_format and ctx.package_format != row["package_format"]:
        return CheckResult(
            NAME, WARN,
            _("{name} is supported, but its native package format is {native}, not {used}.").format(
                name=pretty, native=row["package_format"], used=ctx.package_format),
            _("Install the .{native} package on this host.").format(native=row["package_format"]),
            facts,
        )
    return CheckResult(NAME, PASS, _("{name} is supported.").format(name=pretty), facts=facts)
