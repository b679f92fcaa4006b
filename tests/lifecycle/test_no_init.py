"""Install where no init system runs (image build, chroot): files land, nothing starts.

The root is a fresh copy of a systemd test-host root with systemd-nspawn's
stub init as PID 1, so the scriptlets find systemd installed but not running:
they install and enable the unit for the next boot and start nothing.
"""

import base64
import json

import pytest

from testhosts import run_unbooted

pytestmark = pytest.mark.testhost

SCRIPT = r"""
set -e
base64 -d > /root/amp.deb
dpkg -i /root/amp.deb > /root/dpkg.out 2>&1 || { cat /root/dpkg.out; exit 1; }
echo "=== dpkg"
cat /root/dpkg.out
echo "=== status"
dpkg-query -W -f='${db:Status-Abbrev}\n' ciscoampconnector
echo "=== ampctl"
/usr/sbin/ampctl status --json
echo "=== files"
ls /usr/lib/systemd/system/cisco-amp.service /etc/init.d/cisco-amp 2>&1 || true
echo "=== enabled"
readlink /etc/systemd/system/multi-user.target.wants/cisco-amp.service || true
echo "=== remove"
dpkg --purge ciscoampconnector
ls /opt/cisco /usr/lib/systemd/system/cisco-amp.service 2>&1 || true
ls /etc/systemd/system/multi-user.target.wants/ 2>&1 || true
"""


def sections(output):
    parts = {}
    name = None
    for line in output.splitlines():
        if line.startswith("=== "):
            name = line[4:]
            parts[name] = []
        elif name:
            parts[name].append(line)
    return {key: "\n".join(lines) for key, lines in parts.items()}


def test_deb_installs_without_running_init(packages):
    encoded = base64.b64encode(packages["deb"].read_bytes()).decode("ascii")
    result = run_unbooted("bookworm", ["sh", "-c", SCRIPT], input=encoded, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    parts = sections(result.stdout)
    assert "no running init system found (systemd installed)" in parts["dpkg"]
    assert parts["status"].strip() == "ii"
    status = json.loads(parts["ampctl"])
    assert status["init"] == "none"
    assert status["service_active"] is False
    assert status["pending"] is None
    assert "/usr/lib/systemd/system/cisco-amp.service" in parts["files"]
    assert "No such file" in parts["files"], "a SysV script beside the systemd unit"
    assert parts["enabled"].strip().endswith("/systemd/system/cisco-amp.service")
    assert "cannot access '/opt/cisco'" in parts["remove"]
    assert "cannot access '/usr/lib/systemd/system/cisco-amp.service'" in parts["remove"]
    assert "cisco-amp.service" not in parts["remove"].replace(
        "cannot access '/usr/lib/systemd/system/cisco-amp.service'", "")
