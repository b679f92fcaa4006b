"""Init-system handling: which one runs on the host, and how to drive it."""

from installer.initsys.detect import NONE, SYSTEMD, detect_init


def service_driver(init=None):
    """Return the driver for the running init system, or None when none runs."""
    init = detect_init() if init is None else init
    if init == SYSTEMD:
        from installer.initsys.systemd import Systemd
        return Systemd()
    if init == NONE:
        return None
    # NOTE: upstart and SysV drivers are not written yet; until they are,
    # those hosts get the files but no service management.
    return None
