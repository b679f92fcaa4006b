"""Init-system handling: which one runs on the host, and the driver for it.

One driver class per init system (systemd, upstart, SysV), chosen by probing
what runs, not what is installed. Switching drivers removes the files of the
others, so a SysV script and a systemd unit never manage the same service.
"""

import os

from installer import paths
from installer.initsys.detect import NONE, SYSTEMD, SYSV, UPSTART, detect_init, detect_installed_init
from installer.initsys.unitfiles import remove_managed


def driver_class(init):
    if init == SYSTEMD:
        from installer.initsys.systemd import Systemd
        return Systemd
    if init == UPSTART:
        from installer.initsys.upstart import Upstart
        return Upstart
    if init == SYSV:
        from installer.initsys.sysv import SysV
        return SysV
    return None


def service_driver(init=None):
    """Return the driver for the running init system, or None when none runs."""
    init = detect_init() if init is None else init
    cls = driver_class(init)
    return None if cls is None else cls()


def offline_driver():
    """Return a driver for the installed but not running init system, or None.

    It installs and enables files only; nothing can be started or stopped.
    """
    init = detect_installed_init()
    cls = driver_class(init)
    if cls is None:
        return None
    if init == SYSTEMD:
        return cls(offline=True)
    return cls()


def foreign_init_files(init):
    """Return the paths other init systems' drivers install, for ``init`` to remove."""
    files = {
        SYSTEMD: [os.path.join(paths.SYSTEMD_UNIT_DIR, name) for name in (
            paths.SYSTEMD_UNIT, paths.SYSTEMD_UPDATER_SERVICE, paths.SYSTEMD_UPDATER_TIMER)],
        UPSTART: [os.path.join(paths.UPSTART_DIR, name + suffix)
                  for name in (paths.UPSTART_JOB, paths.UPSTART_UPDATER_JOB)
                  for suffix in ("", ".disabled")],
        SYSV: [os.path.join(paths.SYSV_INIT_DIR, paths.SERVICE_NAME)],
    }
    crons = [os.path.join(paths.CRON_HOURLY_DIR, name)
             for name in (paths.CRON_FILE, paths.CRON_FILE_DEBIAN)]
    foreign = []
    for other, other_files in files.items():
        if other != init:
            foreign.extend(other_files)
    if init == SYSTEMD:
        foreign.extend(crons)
    return foreign


def remove_foreign_init_files(init):
    """Delete managed init files of other init systems; return the deleted paths."""
    return remove_managed(foreign_init_files(init))


__all__ = ["NONE", "SYSTEMD", "SYSV", "UPSTART", "detect_init", "detect_installed_init",
           "driver_class",
           "offline_driver", "remove_foreign_init_files", "service_driver"]
