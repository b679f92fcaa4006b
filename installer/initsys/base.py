"""What every init-system driver offers, and the policy-rc.d check they share.

A driver manages the connector service and its hourly updater. Enablement
is one of ENABLEMENTS; ``is_active`` returns None when the state cannot be
told, which callers must not read as "stopped".
"""

import os

from installer import paths
from installer.commands import run_command
from installer.initsys.unitfiles import install_file

ENABLED = "enabled"
DISABLED = "disabled"
MASKED = "masked"
NOT_INSTALLED = "not-installed"
UNKNOWN = "unknown"
ENABLEMENTS = (ENABLED, DISABLED, MASKED, NOT_INSTALLED, UNKNOWN)

# policy-rc.d exit status that forbids the action (Debian's invoke-rc.d spec).
POLICY_FORBIDDEN = 101


def runtime_actions_allowed(action, policy=paths.POLICY_RC_D):
    """Return False when ``policy-rc.d`` forbids starting or stopping services.

    Debian image builders install a policy-rc.d that exits 101 so packages
    do not start daemons in a chroot. A missing or non-executable file allows
    everything, as invoke-rc.d does.
    """
    if not os.access(policy, os.X_OK):
        return True
    status, _output = run_command((policy, paths.SERVICE_NAME, action), check=False)
    return status != POLICY_FORBIDDEN


class InitDriver(object):
    """Base of the drivers; subclasses fill in the init system's own commands."""

    name = None

    def __init__(self, templates=paths.INIT_TEMPLATES):
        self.templates = templates

    def template(self, init_system, file_name):
        return os.path.join(self.templates, init_system, file_name)

    def install_rendered(self, init_system, file_name, destination, mode):
        """Copy one rendered template into place; return True if it changed."""
        return install_file(self.template(init_system, file_name), destination, mode)

    def restart_if_running(self):
        """Restart the service only when it runs now; return True if it was restarted."""
        if self.is_active():
            self.stop()
            self.start()
            return True
        return False

    def describe(self):
        """Return the service state as a dict for ``ampctl status --json``."""
        return {
            "init": self.name,
            "service_active": bool(self.is_active()),
            "service_enabled": self.enablement(),
            "updater_enabled": self.updater_enabled(),
        }
