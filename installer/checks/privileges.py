"""The ``root`` check: installing and managing the connector needs root."""

from installer.checks.model import CheckResult, FAIL, PASS
from installer.i18n import _

NAME = "root"


def check_root(ctx):
    if ctx.euid == 0:
        return CheckResult(NAME, PASS, _("Running as root."))
    return CheckResult(
        NAME, FAIL,
        _("Running as user ID {uid}, not root.").format(uid=ctx.euid),
        _("Run the command as root, for example with sudo."),
        {"euid": ctx.euid},
    )
