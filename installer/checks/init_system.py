"""The ``init`` check: which init system will run the connector."""

from installer.checks.model import CheckResult, PASS, WARN
from installer.i18n import _
from installer.initsys.detect import NONE, detect_init

NAME = "init"


def check_init(ctx):
    init = detect_init(ctx.root)
    facts = {"init": init}
    if init == NONE:
        return CheckResult(
            NAME, WARN,
            _("No running init system found (an image build, a chroot or a container)."),
            _("The files will be installed, but the connector will not be enabled or "
              "started until the host boots with systemd, upstart or SysV init."),
            facts,
        )
    return CheckResult(NAME, PASS, _("Init system: {init}.").format(init=init), facts=facts)
