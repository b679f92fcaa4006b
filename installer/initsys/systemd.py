"""Drive the connector's service and its updater timer through systemd."""

import os

from installer import paths
from installer.commands import run_command
from installer.initsys import base
from installer.initsys.unitfiles import remove_managed

UNITS = (paths.SYSTEMD_UNIT, paths.SYSTEMD_UPDATER_SERVICE, paths.SYSTEMD_UPDATER_TIMER)
ENABLED_WORDS = ("enabled", "enabled-runtime", "alias", "static", "indirect", "generated")
MASKED_WORDS = ("masked", "masked-runtime")
SHOW_PROPERTIES = "--property=LoadState,ActiveState,UnitFileState"


def enablement_of(word):
    """Map a word of ``systemctl is-enabled`` or a UnitFileState to an enablement, or None."""
    if word in ENABLED_WORDS:
        return base.ENABLED
    if word in MASKED_WORDS:
        return base.MASKED
    if word == "disabled":
        return base.DISABLED
    return None


def parse_show(output):
    """Split ``systemctl show`` output for several units into one dict per unit, in order."""
    units, current = [], {}
    for line in output.splitlines():
        name, sep, value = line.partition("=")
        if sep:
            current[name.strip()] = value.strip()
        elif not line.strip() and current:
            units.append(current)
            current = {}
    if current:
        units.append(current)
    return units


def unit_state(properties):
    """Return (active, enablement) of one unit from its ``systemctl show`` properties."""
    active = properties.get("ActiveState") in ("active", "reloading")
    enablement = enablement_of(properties.get("UnitFileState", ""))
    if enablement is None:
        enablement = base.NOT_INSTALLED if properties.get("LoadState") == "not-found" else base.UNKNOWN
    return active, enablement


class Systemd(base.InitDriver):
    name = "systemd"

    def __init__(self, unit_dir=paths.SYSTEMD_UNIT_DIR, templates=paths.INIT_TEMPLATES,
                 offline=False):
        super(Systemd, self).__init__(templates)
        # Offline (systemd installed but not running): systemctl edits the
        # enablement symlinks directly, and there is no manager to reload.
        self.offline = offline
        self.unit_dir = unit_dir
        self.unit_path = os.path.join(unit_dir, paths.SYSTEMD_UNIT)

    def _systemctl(self, *args, **kwargs):
        return run_command(("systemctl",) + args, **kwargs)

    def is_installed(self):
        return os.path.exists(self.unit_path)

    def install(self):
        """Put the units in place and make systemd read them; return the changed paths."""
        changed = []
        for unit in UNITS:
            destination = os.path.join(self.unit_dir, unit)
            if self.install_rendered("systemd", unit, destination, 0o644):
                changed.append(destination)
        if not self.offline:
            self._systemctl("daemon-reload")
        return changed

    def uninstall(self):
        self._systemctl("disable", paths.SYSTEMD_UPDATER_TIMER, check=False)
        removed = remove_managed([os.path.join(self.unit_dir, unit) for unit in UNITS])
        if self.offline:
            return removed
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
        was_active = self.is_active()
        self._systemctl("try-restart", paths.SYSTEMD_UNIT)
        return bool(was_active)

    def is_active(self):
        if self.offline:
            return False
        status, _output = self._systemctl("is-active", "--quiet", paths.SYSTEMD_UNIT, check=False)
        return status == 0

    def enablement(self):
        """Return enabled, disabled, masked, not-installed or unknown."""
        return self._unit_enablement(paths.SYSTEMD_UNIT)

    def _unit_enablement(self, unit):
        status, output = self._systemctl("is-enabled", unit, check=False)
        lines = output.strip().splitlines()
        word = lines[-1].strip() if lines else ""
        if enablement_of(word) is not None:
            return enablement_of(word)
        if status != 0 and ("No such file" in output or "not-found" in output or not word):
            return base.NOT_INSTALLED
        return base.UNKNOWN

    def updater_enabled(self):
        return self._unit_enablement(paths.SYSTEMD_UPDATER_TIMER) == base.ENABLED

    def describe(self):
        """Read the service and the updater timer with one ``systemctl show``.

        ``ampctl status`` runs this on every Ansible run, so one command
        instead of three matters on a fleet. Falls back to the per-question
        commands when the output is not one block per unit.
        """
        if self.offline:
            return super(Systemd, self).describe()
        status, output = self._systemctl("show", SHOW_PROPERTIES, paths.SYSTEMD_UNIT,
                                         paths.SYSTEMD_UPDATER_TIMER, check=False)
        units = parse_show(output)
        if status != 0 or len(units) != 2:
            return super(Systemd, self).describe()
        (service_active, service_enabled), (_timer_active, timer_enabled) = map(unit_state, units)
        return {"init": self.name, "service_active": service_active,
                "service_enabled": service_enabled, "updater_enabled": timer_enabled == base.ENABLED}

    def set_updater_enabled(self, enabled):
        """Enable or disable the updater timer; return True if it changed."""
        if self.updater_enabled() == enabled:
            return False
        now = () if self.offline else ("--now",)
        verb = "enable" if enabled else "disable"
        self._systemctl(verb, *(now + (paths.SYSTEMD_UPDATER_TIMER,)))
        return True
