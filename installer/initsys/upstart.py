"""Drive the connector through upstart jobs, as on RHEL and CentOS 6.

Disabling follows the vendor's documented procedure: stop the job, rename
``/etc/init/cisco-amp.conf`` and ``/etc/init/cisco-ampupdater.conf`` to
``*.conf.disabled`` and remove the run bit of the cron file. Enabling
reverses each step. Upgrades refresh a disabled job under its
``.conf.disabled`` name, so it stays disabled.
"""

import os

from installer import paths
from installer.commands import run_command
from installer.initsys import base
from installer.initsys.cron import CronUpdater
from installer.initsys.unitfiles import remove_managed

DISABLED_SUFFIX = ".disabled"
JOBS = (paths.UPSTART_JOB, paths.UPSTART_UPDATER_JOB)


class Upstart(base.InitDriver):
    name = "upstart"

    def __init__(self, job_dir=paths.UPSTART_DIR, templates=paths.INIT_TEMPLATES,
                 cron_dir=paths.CRON_HOURLY_DIR, initctl="/sbin/initctl"):
        super(Upstart, self).__init__(templates)
        self.job_dir = job_dir
        self.initctl = initctl
        self.cron = CronUpdater(self.template("cron", paths.CRON_FILE), cron_dir)

    def _job(self, name, disabled=False):
        return os.path.join(self.job_dir, name + (DISABLED_SUFFIX if disabled else ""))

    def _is_disabled(self):
        return (os.path.exists(self._job(paths.UPSTART_JOB, disabled=True))
                and not os.path.exists(self._job(paths.UPSTART_JOB)))

    def is_installed(self):
        return any(os.path.exists(self._job(job, flag)) for job in JOBS for flag in (False, True))

    def install(self):
        disabled = self._is_disabled()
        changed = []
        for job in JOBS:
            destination = self._job(job, disabled)
            if self.install_rendered("upstart", job, destination, 0o644):
                changed.append(destination)
        if self.cron.install():
            changed.append(self.cron.path)
        if changed:
            run_command((self.initctl, "reload-configuration"), check=False)
        return changed

    def uninstall(self):
        candidates = [self._job(job, flag) for job in JOBS for flag in (False, True)]
        removed = remove_managed(candidates) + self.cron.uninstall()
        run_command((self.initctl, "reload-configuration"), check=False)
        return removed

    def _rename_jobs(self, to_disabled):
        for job in JOBS:
            source = self._job(job, not to_disabled)
            if os.path.exists(source):
                os.rename(source, self._job(job, to_disabled))
        run_command((self.initctl, "reload-configuration"), check=False)

    def enable(self):
        self._rename_jobs(False)
        self.cron.set_enabled(True)

    def disable(self):
        self._rename_jobs(True)
        self.cron.set_enabled(False)

    def start(self):
        run_command((self.initctl, "start", paths.SERVICE_NAME))

    def stop(self):
        if self.is_active():
            run_command((self.initctl, "stop", paths.SERVICE_NAME))

    def is_active(self):
        status, output = run_command((self.initctl, "status", paths.SERVICE_NAME), check=False)
        if status != 0:
            return False if "Unknown job" in output else None
        return "start/running" in output

    def enablement(self):
        if os.path.exists(self._job(paths.UPSTART_JOB)):
            return base.ENABLED
        if os.path.exists(self._job(paths.UPSTART_JOB, disabled=True)):
            return base.DISABLED
        return base.NOT_INSTALLED

    def updater_enabled(self):
        return self.cron.enabled() and os.path.exists(self._job(paths.UPSTART_UPDATER_JOB))

    def set_updater_enabled(self, enabled):
        return self.cron.set_enabled(enabled)
