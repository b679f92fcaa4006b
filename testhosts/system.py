"""Exceptions and the check for root and the external tools that test hosts need."""

import os
import shutil

BUILD_TOOLS = ("debootstrap", "mount", "umount")
BOOT_TOOLS = ("systemd-nspawn", "nsenter", "setpriv", "mount", "umount", "cp")

# Debian packages that provide the tools above, for the error message.
_TOOL_PACKAGES = {
    "debootstrap": "debootstrap",
    "systemd-nspawn": "systemd-container",
    "nsenter": "util-linux",
    "setpriv": "util-linux",
    "mount": "mount",
    "umount": "mount",
    "cp": "coreutils",
}


class TestHostError(Exception):
    """A test host could not be built, booted, used or torn down."""

    # Keep pytest from collecting this class when a test module imports it.
    __test__ = False


def missing_requirements(tools=BUILD_TOOLS + BOOT_TOOLS):
    """Return a list of problems (not root, tool not installed) as messages."""
    problems = []
    if os.geteuid() != 0:
        problems.append(f"test hosts need root, but this process runs as uid {os.geteuid()}")
    for tool in sorted(set(tools)):
        if shutil.which(tool) is None:
            package = _TOOL_PACKAGES.get(tool, tool)
            problems.append(f"{tool} not found in PATH; install the Debian package {package}")
    return problems


def require(tools):
    """Raise TestHostError unless this process is root and all tools are installed."""
    problems = missing_requirements(tools)
    if problems:
        raise TestHostError("; ".join(problems))
