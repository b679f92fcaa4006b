"""The ``kernel-monitoring`` check: which mechanism the connector will use on this kernel.

In order of preference:

1. the kernel modules redirfs and avflt (files) and ampnetworkflow (network
   flows), on kernels 2.6.18 to 4.14, because ampnetworkflow needs jprobes,
   which Linux 4.15 removed;
2. eBPF, CO-RE, when the kernel exposes BTF at ``/sys/kernel/btf/vmlinux``;
3. eBPF compiled against the running kernel's headers, found through
   ``/lib/modules/RELEASE/build``.

This check only decides; loading modules is the installer's kmod step.
"""

from installer.checks.container import detect_container
from installer.checks.kernel import running_kernel
from installer.checks.model import CheckResult, FAIL, PASS, UNKNOWN, WARN
from installer.checks.os_detect import identify
from installer.i18n import _

NAME = "kernel-monitoring"
KERNEL_MODULES = "kernel-modules"
EBPF_BTF = "ebpf-btf"
EBPF_HEADERS = "ebpf-headers"

KMOD_OLDEST = (2, 6, 18)
KMOD_NEWEST_SERIES = (4, 14)
BTF_PATH = "/sys/kernel/btf/vmlinux"

_RPM_IDS = ("rhel", "centos", "ol", "almalinux", "rocky", "amzn", "fedora")


def headers_package(distro_id, release):
    """Return the package that contains the headers of kernel ``release`` on ``distro_id``."""
    if distro_id in ("debian", "ubuntu"):
        return "linux-headers-" + release
    if distro_id in ("sles", "sles_sap", "opensuse-leap"):
        flavour = release.rsplit("-", 1)[-1] if "-" in release else "default"
        return "kernel-{0}-devel".format(flavour)
    if distro_id in _RPM_IDS:
        prefix = "kernel-uek-devel-" if "uek" in release else "kernel-devel-"
        return prefix + release
    return ""


def choose_mechanism(ctx, version, release):
    """Return the mechanism the connector would use, or None when none fits."""
    if KMOD_OLDEST <= version and version[:2] <= KMOD_NEWEST_SERIES:
        return KERNEL_MODULES
    if ctx.exists(BTF_PATH):
        return EBPF_BTF
    if ctx.exists("/lib/modules/{0}/build/Makefile".format(release)):
        return EBPF_HEADERS
    return None


def _described(mechanism, release):
    if mechanism == KERNEL_MODULES:
        return _("The connector will use its kernel modules redirfs, avflt and "
                 "ampnetworkflow on kernel {release}.").format(release=release)
    if mechanism == EBPF_BTF:
        return _("The connector will use eBPF with the kernel's BTF ({path}).").format(
            path=BTF_PATH)
    return _("The connector will use eBPF built against the headers in {path}.").format(
        path="/lib/modules/{0}/build".format(release))


def check_kernel_monitoring(ctx):
    release, version = running_kernel(ctx)
    if not release or version is None:
        return CheckResult(
            NAME, UNKNOWN,
            _("Could not choose a kernel monitoring mechanism: the kernel version is not known."),
            _("Run amp-preflight on the booted host."),
        )
    facts = {"kernel": release}
    if version < KMOD_OLDEST:
        return CheckResult(
            NAME, FAIL,
            _("Kernel {release} is older than 2.6.18, so no kernel monitoring mechanism "
              "fits it.").format(release=release),
            _("Boot a kernel of a supported release of the distribution."), facts)
    mechanism = choose_mechanism(ctx, version, release)
    if mechanism:
        facts["mechanism"] = mechanism
        return CheckResult(NAME, PASS, _described(mechanism, release), facts=facts)

    facts["mechanism"] = None
    if not ctx.exists("/sys/kernel"):
        return CheckResult(
            NAME, UNKNOWN,
            _("Could not look for the kernel's BTF: /sys is not mounted under {root}.").format(
                root=ctx.root),
            _("Run amp-preflight on the booted host."), facts)
    if detect_container(ctx)["container"]:
        # Inside a container the kernel belongs to the host; its modules and
        # headers are not this system's to install, so this must not block.
        return CheckResult(
            NAME, WARN,
            _("No kernel monitoring mechanism is available inside this container: kernel "
              "{release} has no BTF and its headers are not installed here.").format(
                release=release),
            _("Install the connector on the host that runs the kernel to get file and "
              "network monitoring."), facts)
    package = headers_package(identify(ctx)["id"], release)
    facts["headers_package"] = package or None
    return CheckResult(
        NAME, FAIL,
        _("No kernel monitoring mechanism fits kernel {release}: it is newer than 4.14, "
          "so the kernel modules do not apply, it has no BTF, and its headers are not "
          "installed.").format(release=release),
        _("Install {package} (the headers of the running kernel), or boot a kernel built "
          "with BTF (CONFIG_DEBUG_INFO_BTF=y).").format(
            package=package or _("the kernel headers package for {release}").format(
                release=release)),
        facts,
    )
