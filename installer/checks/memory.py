"""The ``memory`` check: total and available memory from ``/proc/meminfo`` under the root."""

from installer.checks.model import CheckResult, FAIL, PASS, UNKNOWN, WARN
from installer.i18n import _
from installer.parsers.meminfo import parse_meminfo

NAME = "memory"
MIB = 1024 * 1024
# NOTE: the vendor states no memory requirement for the Linux connector, so
# both limits are estimates. The daemon and the ClamAV engine with loaded
# definitions use a few hundred MiB, which leaves no room for work below 1 GiB.
MINIMUM_TOTAL = 1024 * MIB
RECOMMENDED_AVAILABLE = 512 * MIB


def check_memory(ctx):
    try:
        values = parse_meminfo(ctx.read_text("/proc/meminfo"))
    except (OSError, UnicodeDecodeError) as error:
        return CheckResult(
            NAME, UNKNOWN,
            _("Could not read /proc/meminfo under {root}: {error}.").format(
                root=ctx.root, error=getattr(error, "strerror", None) or error),
            _("Run amp-preflight on the booted host, where /proc is mounted."),
        )

    total = values.get("MemTotal")
    if total is None:
        return CheckResult(NAME, UNKNOWN, _("/proc/meminfo has no MemTotal line."),
                           _("Run amp-preflight on the booted host, where /proc is mounted."))
    # Kernels before 3.14 have no MemAvailable; free memory plus page cache
    # is the usual estimate there.
    available = values.get("MemAvailable")
    if available is None:
        available = values.get("MemFree", 0) + values.get("Cached", 0)

    facts = {"total_mib": total // MIB, "available_mib": available // MIB,
             "minimum_total_mib": MINIMUM_TOTAL // MIB}
    values = {"total": total // MIB, "available": available // MIB,
              "minimum": MINIMUM_TOTAL // MIB, "recommended": RECOMMENDED_AVAILABLE // MIB}

    if total < MINIMUM_TOTAL:
        return CheckResult(
            NAME, FAIL,
            _("Only {total} MiB of memory; the connector needs at least {minimum} MiB.").format(
                **values),
            _("Give the host at least {minimum} MiB of memory.").format(**values), facts)
    if available < RECOMMENDED_AVAILABLE:
        return CheckResult(
            NAME, WARN,
            _("Only {available} MiB of {total} MiB memory is available; the connector may "
              "need up to {recommended} MiB.").format(**values),
            _("Stop memory-hungry services or add memory before installing."), facts)
    return CheckResult(NAME, PASS, _("{available} MiB of {total} MiB memory available.").format(
        **values), facts=facts)
