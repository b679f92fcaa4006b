"""The hourly updater as a cron.hourly file, used where no systemd timer runs it.

Its run bit is the on/off switch, as in the vendor's disable procedure:
``chmod -x`` disables it and cron's run-parts then skips it.
"""

import os
import stat

from installer import paths
from installer.initsys.unitfiles import install_file, remove_managed

EXECUTABLE = stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH


class CronUpdater(object):
    def __init__(self, source, cron_dir=paths.CRON_HOURLY_DIR, file_name=None):
        self.source = source
        self.path = os.path.join(cron_dir, file_name or paths.cron_file_name())

    def install(self):
        """Install or refresh the file, keeping a disabled file disabled."""
        mode = 0o755
        if os.path.exists(self.path) and not self.enabled():
            mode = 0o644
        return install_file(self.source, self.path, mode)

    def uninstall(self):
        return remove_managed([self.path])

    def enabled(self):
        try:
            return bool(os.stat(self.path).st_mode & EXECUTABLE)
        except OSError:
            return False

    def set_enabled(self, enabled):
        """Set or clear the run bit; return True if it changed."""
        if not os.path.exists(self.path) or self.enabled() == enabled:
            return False
        os.chmod(self.path, 0o755 if enabled else 0o644)
        return True
