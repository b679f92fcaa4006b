"""Drive the connector's service through systemd."""

import os

from installer import paths
from installer.commands import run_command
from installer.initsys.unitfiles import install_file, remove_managed


class Systemd(object):
    name = "systemd"

    def __init__(self, unit_dir=paths.SYSTEMD_UNIT_DIR, templates=paths.INIT_TEMPLATES):
        self.unit_path = os.path.join(unit_dir, paths.SYSTEMD_UNIT)
        self.source = os.path.join(templates, "systemd", paths.SYSTEMD_UNIT)

    def _systemctl(self, *args, **kwargs):
        return run_command(("systemctl",) + args, **kwargs)

    def is_installed(self):
        return os.path.exists(self.unit_path)

    def install(self):
        """Put the unit in place and make systemd read it; return True if it changed."""
        changed = install_file(self.source, self.unit_path, 0o644)
        self._systemctl("daemon-reload")
        return changed

    def uninstall(self):
        removed = remove_managed([self.unit_path])
        self._systemctl("daemon-reload")
        self._systemctl("reset-failed", paths.SYSTEMD_UNIT, check=False)
        return removed

    def enable(self):
        self._systemctl("enable", paths.SYSTEMD_UNIT)

    def disable(self):
        self._systemctl("disable", paths.SYSTEMD_UNIT)

    def start(self):
        self._systemctl("start", paths.SYSTEMD_UNIT)

    def stop(self):
        self._systemctl("stop", paths.SYSTEMD_UNIT)

    def restart_if_running(self):
        self._systemctl("try-restart", paths.SYSTEMD_UNIT)

    def is_active(self):
        status, _output = self._systemctl("is-active", "--quiet", paths.SYSTEMD_UNIT, check=False)
        return status == 0

    def enablement(self):
        """Return what ``systemctl is-enabled`` prints (enabled, disabled, masked, ...)."""
        _status, output = self._systemctl("is-enabled", paths.SYSTEMD_UNIT, check=False)
        return output.strip().splitlines()[-1] if output.strip() else "unknown"
