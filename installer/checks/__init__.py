"""The host checks behind ``amp-preflight``, in the order they run.

Each check is a function taking a :class:`HostContext` and returning one
:class:`CheckResult`; its name is the module's ``NAME``.
"""

from installer.checks import (
    architecture, conflicts, container, disk, existing_install, init_system, kernel,
    kernel_monitoring, memory, network, os_identity, privileges,
)
from installer.checks.model import CheckResult, UNKNOWN
from installer.i18n import _

REGISTRY = (
    (privileges.NAME, privileges.check_root),
    (os_identity.NAME, os_identity.check_os),
    (architecture.NAME, architecture.check_arch),
    (kernel.NAME, kernel.check_kernel),
    (kernel_monitoring.NAME, kernel_monitoring.check_kernel_monitoring),
    (disk.NAME, disk.check_disk),
    (memory.NAME, memory.check_memory),
    (init_system.NAME, init_system.check_init),
    (container.NAME, container.check_container),
    (conflicts.NAME, conflicts.check_conflicts),
    (network.NAME, network.check_network),
    (existing_install.NAME, existing_install.check_existing_install),
)
CHECK_NAMES = tuple(name for name, _check in REGISTRY)


def run_checks(ctx, names=None, ignore=()):
    """Run the named checks (all when ``names`` is None) and return their results.

    A check that raises is reported as unknown with the error, so one broken
    probe never hides the others. Failures of checks named in ``ignore``
    (or of all checks when it contains ``all``) are demoted to warnings.
    """
    results = []
    for name, check in REGISTRY:
        if names is not None and name not in names:
            continue
        try:
            result = check(ctx)
        except Exception as error:  # noqa: BLE001 - reported, not swallowed
            result = CheckResult(
                name, UNKNOWN,
                _("The check could not run: {error}").format(error=error),
                _("Report this error with the output of amp-preflight --json."),
            )
        if "all" in ignore or name in ignore:
            result.demote()
        results.append(result)
    return results
