"""The ``existing-install`` check: an installed connector, its version and its state.

Evidence, read under the root: the version stamped into the installed
``installer`` package, the connector's programs, and on Debian-family hosts
the package's state in dpkg's status database. rpm's database is binary,
so on RPM hosts only the files are examined.
"""

import re

from installer import paths
from installer.checks.model import CheckResult, PASS, UNKNOWN, WARN
from installer.checks.os_rules import version_components
from installer.i18n import _
from installer.parsers.dpkg_status import parse_dpkg_stanza, parse_dpkg_state

NAME = "existing-install"
PACKAGE = "ciscoampconnector"
VERSION_FILE = paths.AMP_HOME + "/lib/python/installer/_version.py"
PROGRAMS = tuple(paths.AMP_BIN + "/" + name for name in ("ampmon", "ampdaemon", "ampcli"))
DPKG_STATUS = "/var/lib/dpkg/status"
# dpkg states of a package whose files are all in place or all gone.
SETTLED_STATES = ("installed", "not-installed", "config-files")

_VERSION_LINE = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.M)


def parse_version_file(text):
    """Return the version in a ``_version.py`` text, or ""."""
    match = _VERSION_LINE.search(text)
    return match.group(1).strip() if match else ""


def _installed_version(ctx):
    try:
        return parse_version_file(ctx.read_text(VERSION_FILE, limit=4096))
    except (OSError, UnicodeDecodeError):
        return ""


def _dpkg_state(ctx):
    """Return (state, version) from dpkg's database, ("", "") if absent, or None if unreadable."""
    try:
        text = ctx.read_text(DPKG_STATUS, limit=64 << 20)
    except FileNotFoundError:
        return "", ""
    except (OSError, UnicodeDecodeError):
        return None
    stanza = parse_dpkg_stanza(text, PACKAGE)
    if stanza is None:
        return "", ""
    return parse_dpkg_state(stanza.get("Status", "")), stanza.get("Version", "")


def check_existing_install(ctx):
    version = _installed_version(ctx)
    dpkg = _dpkg_state(ctx)
    missing = [path for path in PROGRAMS if not ctx.exists(path)]
    facts = {"installed_version": version or None, "dpkg_state": dpkg[0] if dpkg else None,
             "missing_files": missing if version else []}

    if dpkg is None:
        return CheckResult(NAME, UNKNOWN, _("Could not read dpkg's status database {path}.").format(
            path=DPKG_STATUS), _("Run amp-preflight as root."), facts)
    state, dpkg_version = dpkg
    if state and state not in SETTLED_STATES:
        return CheckResult(
            NAME, WARN,
            _("The {package} package is half installed (dpkg state {state}).").format(
                package=PACKAGE, state=state),
            _("Finish or repeat the install: dpkg --configure -a, or apt-get install "
              "--reinstall {package}.").format(package=PACKAGE), facts)

    # In config-files state only configuration is left, so dpkg's version
    # names an earlier install, not one that is still there.
    if state != "config-files":
        version = version or dpkg_version
    if not version:
        if ctx.exists(paths.CONFIG_FILE):
            return CheckResult(NAME, PASS, _("Not installed; the configuration of an earlier "
                                             "install is kept and will be reused."), facts=facts)
        return CheckResult(NAME, PASS, _("The connector is not installed."), facts=facts)
    if missing:
        return CheckResult(
            NAME, WARN,
            _("Connector {version} is installed but broken: {files} missing.").format(
                version=version, files=", ".join(missing)),
            _("Reinstall the package: apt-get install --reinstall {package} or yum reinstall "
              "{package}.").format(package=PACKAGE), facts)

    new = ctx.tool_version
    if new and version_components(new) and version_components(version) > version_components(new):
        return CheckResult(
            NAME, WARN,
            _("Connector {installed} is installed, newer than this package ({new}).").format(
                installed=version, new=new),
            _("Install {installed} or later instead; downgrades are not tested.").format(
                installed=version), facts)
    return CheckResult(NAME, PASS, _("Connector {version} is installed; installing will "
                                     "upgrade or reinstall it.").format(version=version),
                       facts=facts)
