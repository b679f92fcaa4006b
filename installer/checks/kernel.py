"""The ``kernel`` check: the running kernel's release against the oldest the connector runs on."""

from installer.checks.model import CheckResult, FAIL, PASS, UNKNOWN
from installer.i18n import _
from installer.parsers.kernel import format_version, parse_kernel_release

NAME = "kernel"
# Red Hat Enterprise Linux 6 and CentOS 6, whose 2.6.32 kernel is the oldest
# any release of the connector has supported.
MINIMUM_KERNEL = (2, 6, 32)


def running_kernel(ctx):
    """Return (release string or None, (major, minor, patch) or None)."""
    release = ctx.kernel_release
    return release, parse_kernel_release(release) if release else None


def check_kernel(ctx):
    release, version = running_kernel(ctx)
    if not release:
        return CheckResult(
            NAME, UNKNOWN,
            _("The kernel under {root} is not known: it is not the running host, and "
              "{path} is missing.").format(root=ctx.root, path="/proc/sys/kernel/osrelease"),
            _("Run amp-preflight on the booted host to check its kernel."),
        )
    facts = {"release": release}
    if version is None:
        return CheckResult(
            NAME, UNKNOWN,
            _("Could not read the kernel version from {release!r}.").format(release=release),
            _("Report the output of uname -r with this message."), facts)
    facts["version"] = format_version(version)
    if version < MINIMUM_KERNEL:
        return CheckResult(
            NAME, FAIL,
            _("Kernel {release} is older than {minimum}, the oldest the connector runs on.").format(
                release=release, minimum=format_version(MINIMUM_KERNEL)),
            _("Boot a kernel of a supported release of the distribution."), facts)
    return CheckResult(NAME, PASS, _("Kernel {release}.").format(release=release), facts=facts)
