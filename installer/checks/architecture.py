"""The ``arch`` check: the CPU architecture against the connector's builds."""

from installer.checks.model import CheckResult, FAIL, PASS
from installer.i18n import _

NAME = "arch"
SUPPORTED_MACHINES = ("x86_64", "aarch64")


def check_arch(ctx):
    facts = {"machine": ctx.machine}
    if ctx.machine in SUPPORTED_MACHINES:
        return CheckResult(NAME, PASS, _("Architecture {arch} is supported.").format(
            arch=ctx.machine), facts=facts)
    return CheckResult(
        NAME, FAIL,
        _("Architecture {arch} is not supported.").format(arch=ctx.machine),
        _("The connector runs on {supported} hosts only.").format(
            supported=", ".join(SUPPORTED_MACHINES)),
        facts,
    )
