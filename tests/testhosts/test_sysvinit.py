"""A bookworm host booted with SysV init as PID 1."""

import os

import pytest

import testhosts
from testhosts import TestHost, TestHostError

pytestmark = pytest.mark.testhost


@pytest.fixture(scope="module")
def sysvinit_root(host_requirements):
    return testhosts.build_root("bookworm-sysvinit")


@pytest.fixture
def sysvinit_host(sysvinit_root):
    with TestHost.boot("bookworm-sysvinit") as host:
        yield host


def test_pid1_is_sysv_init(sysvinit_host):
    assert sysvinit_host.read_text("/proc/1/comm").strip() == "init"
    assert sysvinit_host.run(["runlevel"]).stdout.split() == ["N", "2"]


def test_start_scripts_have_run(sysvinit_host):
    # cron is started by /etc/rc2.d/S01cron, so its pid file shows that runlevel 2 ran.
    assert sysvinit_host.run(["test", "-s", "/run/crond.pid"], check=False).returncode == 0
    assert sysvinit_host.run(["test", "-e", "/run/systemd/system"], check=False).returncode == 1


def test_init_script_service_control(sysvinit_host):
    sysvinit_host.run(["/etc/init.d/cron", "stop"])
    assert sysvinit_host.run(["/etc/init.d/cron", "status"], check=False).returncode != 0
    sysvinit_host.run(["/etc/init.d/cron", "start"])
    assert sysvinit_host.run(["/etc/init.d/cron", "status"], check=False).returncode == 0


def test_journal_rejected_without_systemd(sysvinit_host):
    with pytest.raises(TestHostError, match="no journal"):
        sysvinit_host.journal()


def test_sysvinit_teardown(sysvinit_root):
    host = TestHost.boot("bookworm-sysvinit")
    workdir, nspawn_pid = host.workdir, host._nspawn.pid

    host.close()

    assert not os.path.exists(workdir)
    assert not os.path.exists(f"/proc/{nspawn_pid}")
    assert host._nspawn.returncode == 0
