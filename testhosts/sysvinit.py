"""Adjustments that let a SysV-init root boot under systemd-nspawn -b."""

SYSVINIT_POWEROFF = ["poweroff"]


def configure_sysvinit(rootfs):
    """Adjust a freshly built SysV-init root so it boots in a container."""


def sysvinit_boot_state(host):
    """Return "running" once SysV init has finished entering its runlevel."""
    result = host._nsenter(["runlevel"], check=False)
    return "running" if result.stdout.split()[-1:] == ["2"] else "starting"
