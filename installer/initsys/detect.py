"""Detect the init system that is running (not merely installed) on a host.

Each probe reads a file the running init creates at boot, so an image build
or a chroot, where nothing has booted, detects as ``none``:

- systemd: the directory ``/run/systemd/system`` (what sd_booted(3) tests).
- upstart: its control socket is abstract, so ``/sbin/initctl`` together
  with job files in ``/etc/init`` and no systemd marks it.
- SysV init: the control FIFO ``/run/initctl`` (``/dev/initctl`` on old
  releases) that sysvinit creates.
"""

import os
import stat

SYSTEMD = "systemd"
UPSTART = "upstart"
SYSV = "sysv"
NONE = "none"


def _is_fifo(path):
    try:
        return stat.S_ISFIFO(os.stat(path).st_mode)
    except OSError:
        return False


def detect_init(root="/"):
    """Return systemd, upstart, sysv or none for the host under ``root``."""
    def host(path):
        return os.path.join(root, path.lstrip("/"))

    if os.path.isdir(host("/run/systemd/system")):
        return SYSTEMD
    if os.path.exists(host("/sbin/initctl")) and os.path.isdir(host("/etc/init")):
        return UPSTART
    if _is_fifo(host("/run/initctl")) or _is_fifo(host("/dev/initctl")):
        return SYSV
    return NONE


def detect_installed_init(root="/"):
    """Return the init system installed under ``root`` (for images and chroots).

    systemd when its manager binary exists, upstart when ``/sbin/initctl`` and
    ``/etc/init`` exist, SysV init when ``/etc/init.d`` and ``/sbin/init`` exist,
    else none.
    """
    def host(path):
        return os.path.join(root, path.lstrip("/"))

    if any(os.path.exists(host(path)) for path in ("/lib/systemd/systemd",
                                                   "/usr/lib/systemd/systemd")):
        return SYSTEMD
    if os.path.exists(host("/sbin/initctl")) and os.path.isdir(host("/etc/init")):
        return UPSTART
    if os.path.isdir(host("/etc/init.d")) and os.path.exists(host("/sbin/init")):
        return SYSV
    return NONE
