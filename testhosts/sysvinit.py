"""SysV-init hosts: root adjustments for systemd-nspawn -b, boot readiness and poweroff.

Checked with sysvinit-core 3.06 (bookworm) under systemd-nspawn 252: such a
root boots with /sbin/init as PID 1 once the systemd package is absent (see
profiles.py), runs /etc/init.d/rcS and then the scripts of runlevel 2.
"""

import os
import re

SYSVINIT_POWEROFF = ["poweroff"]

# Prints "running" once init has entered a multi-user runlevel (2-5) and no
# /etc/init.d/rc or rcS process is left, meaning every start script has run.
_READY_SCRIPT = r"""
import os, subprocess
fields = subprocess.run(["runlevel"], capture_output=True, text=True).stdout.split()
ready = len(fields) == 2 and fields[1] in "2345"
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            args = cmdline.read().split(b"\0")
    except OSError:
        continue
    if any(arg.endswith((b"/init.d/rc", b"/init.d/rcS", b"/init/rc")) for arg in args):
        ready = False
print("running" if ready else "starting")
"""

# A container has no virtual terminals, so gettys on tty1-6 would fail and be
# respawned until init disables them.  Tests use nsenter, not a login.
_GETTY_LINE = re.compile(r"^([0-9]+:[0-9]+:respawn:/sbin/getty\b.*)$", re.MULTILINE)


def configure_sysvinit(rootfs):
    """Disable the terminal gettys in /etc/inittab of a freshly built SysV-init root."""
    inittab_path = os.path.join(rootfs, "etc/inittab")
    with open(inittab_path, encoding="utf-8") as inittab:
        text = inittab.read()
    text = _GETTY_LINE.sub(r"# Disabled for systemd-nspawn test hosts: \1", text)
    with open(inittab_path, "w", encoding="utf-8") as inittab:
        inittab.write(text)


def sysvinit_boot_state(host):
    """Return "running" once SysV init has run all start scripts, else "starting"."""
    result = host._nsenter(["python3", "-c", _READY_SCRIPT], check=False)
    return result.stdout.strip() or "starting"
