"""Drive the connector through a SysV init script with LSB headers.

Runlevel links are made with ``update-rc.d`` (Debian family) or
``chkconfig`` (Red Hat family), whichever the host has. Enablement is read
from the links themselves: an ``S??cisco-amp`` link in runlevels 2-5 means
enabled.
"""

import errno
import glob
import os

from installer import paths
from installer.commands import run_command
from installer.initsys import base
from installer.initsys.cron import CronUpdater
from installer.initsys.unitfiles import remove_managed

RC_DIR_PATTERNS = ("/etc/rc{0}.d", "/etc/rc.d/rc{0}.d")
START_RUNLEVELS = "2345"


def _which(program):
    for directory in ("/usr/sbin", "/sbin", "/usr/bin", "/bin"):
        candidate = os.path.join(directory, program)
        if os.access(candidate, os.X_OK):
            return candidate
    return None


class SysV(base.InitDriver):
    name = "sysv"

    def __init__(self, init_dir=paths.SYSV_INIT_DIR, templates=paths.INIT_TEMPLATES,
                 cron_dir=paths.CRON_HOURLY_DIR):
        super(SysV, self).__init__(templates)
        self.script = os.path.join(init_dir, paths.SERVICE_NAME)
        self.cron = CronUpdater(self.template("cron", paths.CRON_FILE), cron_dir)

    def _links(self):
        found = []
        for level in "0123456":
            for pattern in RC_DIR_PATTERNS:
                found.extend(glob.glob(os.path.join(pattern.format(level),
                                                    "[SK][0-9][0-9]" + paths.SERVICE_NAME)))
        return found

    def is_installed(self):
        return os.path.exists(self.script)

    def install(self):
        changed = []
        if self.install_rendered("sysv", paths.SERVICE_NAME, self.script, 0o755):
            changed.append(self.script)
        if self.cron.install():
            changed.append(self.cron.path)
        return changed

    def uninstall(self):
        removed = remove_managed([self.script])
        for link in self._links():
            os.unlink(link)
            removed.append(link)
        return removed + self.cron.uninstall()

    def _rc_tool(self, enable):
        update_rc_d = _which("update-rc.d")
        if update_rc_d:
            if enable:
                run_command((update_rc_d, paths.SERVICE_NAME, "defaults"))
                run_command((update_rc_d, paths.SERVICE_NAME, "enable"))
            elif self._links():
                run_command((update_rc_d, paths.SERVICE_NAME, "disable"))
            return
        chkconfig = _which("chkconfig")
        # NOTE: the chkconfig branch (Red Hat family) has not run on a real host;
        # the test hosts are Debian and have update-rc.d.
        if chkconfig:
            if enable:
                run_command((chkconfig, "--add", paths.SERVICE_NAME))
                run_command((chkconfig, paths.SERVICE_NAME, "on"))
            else:
                run_command((chkconfig, paths.SERVICE_NAME, "off"), check=False)
            return
        raise OSError(errno.ENOENT, "neither update-rc.d nor chkconfig was found in /usr/sbin "
                      "or /sbin; install one of them to manage runlevel links")

    def enable(self):
        self._rc_tool(True)

    def disable(self):
        self._rc_tool(False)

    def start(self):
        run_command((self.script, "start"))

    def stop(self):
        if os.path.exists(self.script):
            run_command((self.script, "stop"))

    def is_active(self):
        if not os.path.exists(self.script):
            return False
        status, _output = run_command((self.script, "status"), check=False)
        if status == 0:
            return True
        if status == 3:
            return False
        return None

    def enablement(self):
        if not os.path.exists(self.script):
            return base.NOT_INSTALLED
        for link in self._links():
            name = os.path.basename(link)
            level = os.path.basename(os.path.dirname(link))[-3]
            if name.startswith("S") and level in START_RUNLEVELS:
                return base.ENABLED
        return base.DISABLED

    def updater_enabled(self):
        return self.cron.enabled()

    def set_updater_enabled(self, enabled):
        return self.cron.set_enabled(enabled)
