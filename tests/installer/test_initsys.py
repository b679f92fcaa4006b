"""Init-system drivers on temporary trees: the upstart disable procedure, cron, probing."""

import os
import stat
import sys

import pytest

from installer import paths
from installer.initsys import base, detect, foreign_init_files
from installer.initsys.cron import CronUpdater
from installer.initsys import systemd
from installer.initsys.systemd import Systemd
from installer.initsys.upstart import Upstart

FAKE_INITCTL = """#!{python}
import os, sys
state = os.path.join(os.path.dirname(os.path.abspath(sys.argv[0])), "running")
with open(state + ".log", "a") as log:
    log.write(" ".join(sys.argv[1:]) + "\\n")
command = sys.argv[1]
if command == "start":
    open(state, "w").close()
elif command == "stop" and os.path.exists(state):
    os.unlink(state)
elif command == "status":
    print("cisco-amp " + ("start/running, process 42" if os.path.exists(state) else "stop/waiting"))
"""


@pytest.fixture
def templates(tmp_path):
    from tools.stage import render_init_files
    share = tmp_path / "share"
    render_init_files(share)
    return str(share / "init")


@pytest.fixture
def upstart(tmp_path, templates):
    initctl = tmp_path / "initctl"
    initctl.write_text(FAKE_INITCTL.format(python=sys.executable))
    initctl.chmod(0o755)
    (tmp_path / "init").mkdir()
    (tmp_path / "cron").mkdir()
    return Upstart(job_dir=str(tmp_path / "init"), templates=templates,
                   cron_dir=str(tmp_path / "cron"), initctl=str(initctl))


def names(directory):
    return sorted(os.listdir(directory))


def test_upstart_install_enables_jobs_and_cron(upstart, tmp_path):
    assert upstart.install()
    assert names(tmp_path / "init") == ["cisco-amp.conf", "cisco-ampupdater.conf"]
    assert upstart.enablement() == base.ENABLED
    assert upstart.updater_enabled() is True


def test_upstart_disable_follows_vendor_procedure(upstart, tmp_path):
    upstart.install()
    upstart.start()
    assert upstart.is_active() is True
    upstart.stop()
    upstart.disable()
    assert upstart.is_active() is False
    assert names(tmp_path / "init") == ["cisco-amp.conf.disabled",
                                        "cisco-ampupdater.conf.disabled"]
    cron_mode = os.stat(upstart.cron.path).st_mode
    assert not cron_mode & stat.S_IXUSR
    assert upstart.enablement() == base.DISABLED
    assert upstart.updater_enabled() is False


def test_upstart_disabled_job_survives_upgrade(upstart, tmp_path):
    upstart.install()
    upstart.disable()
    (tmp_path / "init" / "cisco-amp.conf.disabled").write_text("# Managed by the "
                                                              "ciscoampconnector package\nold\n")
    upstart.install()
    assert names(tmp_path / "init") == ["cisco-amp.conf.disabled",
                                        "cisco-ampupdater.conf.disabled"]
    assert "exec /opt/cisco/amp/bin/ampmon" in (
        tmp_path / "init" / "cisco-amp.conf.disabled").read_text()
    assert upstart.updater_enabled() is False


def test_upstart_enable_reverses_disable(upstart, tmp_path):
    upstart.install()
    upstart.disable()
    upstart.enable()
    assert names(tmp_path / "init") == ["cisco-amp.conf", "cisco-ampupdater.conf"]
    assert upstart.updater_enabled() is True


def test_upstart_uninstall_removes_both_names(upstart, tmp_path):
    upstart.install()
    upstart.disable()
    removed = upstart.uninstall()
    assert len(removed) == 3
    assert names(tmp_path / "init") == []
    assert names(tmp_path / "cron") == []


def test_cron_updater_keeps_disabled_mode_on_refresh(tmp_path, templates):
    cron = CronUpdater(os.path.join(templates, "cron", paths.CRON_FILE), str(tmp_path))
    cron.install()
    assert cron.enabled()
    assert cron.set_enabled(False) is True
    assert cron.set_enabled(False) is False
    cron.install()
    assert not cron.enabled()


def test_systemd_enablement_words(monkeypatch):
    driver = Systemd(unit_dir="/nonexistent")
    cases = {
        (0, "enabled\n"): base.ENABLED,
        (1, "disabled\n"): base.DISABLED,
        (1, "masked\n"): base.MASKED,
        (1, "Failed to get unit file state for cisco-amp.service: No such file or directory\n"):
            base.NOT_INSTALLED,
        (1, "bad-setting\n"): base.UNKNOWN,
    }
    for answer, expected in cases.items():
        monkeypatch.setattr(driver, "_systemctl", lambda *args, answer=answer, **kw: answer)
        assert driver.enablement() == expected, answer


def make_root(tmp_path, files, dirs=()):
    for path in files:
        target = tmp_path / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("")
    for path in dirs:
        (tmp_path / path.lstrip("/")).mkdir(parents=True, exist_ok=True)
    return str(tmp_path)


def test_installed_init_probes(tmp_path):
    assert detect.detect_installed_init(make_root(tmp_path / "a", ["/lib/systemd/systemd"])) \
        == detect.SYSTEMD
    assert detect.detect_installed_init(make_root(tmp_path / "b", ["/sbin/initctl"],
                                                  ["/etc/init"])) == detect.UPSTART
    assert detect.detect_installed_init(make_root(tmp_path / "c", ["/sbin/init"],
                                                  ["/etc/init.d"])) == detect.SYSV
    assert detect.detect_installed_init(make_root(tmp_path / "d", [])) == detect.NONE


def test_running_init_needs_boot_markers(tmp_path):
    root = make_root(tmp_path, ["/lib/systemd/systemd"])
    assert detect.detect_init(root) == detect.NONE
    os.makedirs(os.path.join(root, "run/systemd/system"))
    assert detect.detect_init(root) == detect.SYSTEMD


def test_systemd_removes_sysv_and_upstart_files():
    foreign = foreign_init_files(detect.SYSTEMD)
    assert "/etc/init.d/cisco-amp" in foreign
    assert "/etc/init/cisco-amp.conf.disabled" in foreign
    assert "/etc/cron.hourly/cisco-ampupdater.cron" in foreign
    assert not any(path.startswith("/usr/lib/systemd") for path in foreign)


def test_sysv_removes_systemd_units_but_keeps_cron():
    foreign = foreign_init_files(detect.SYSV)
    assert "/usr/lib/systemd/system/cisco-amp.service" in foreign
    assert "/etc/cron.hourly/cisco-ampupdater.cron" not in foreign
    assert "/etc/init.d/cisco-amp" not in foreign


def test_policy_rc_d_101_forbids(tmp_path):
    policy = tmp_path / "policy-rc.d"
    assert base.runtime_actions_allowed("start", str(policy)) is True
    policy.write_text("#!/bin/sh\nexit 101\n")
    policy.chmod(0o755)
    assert base.runtime_actions_allowed("start", str(policy)) is False
    policy.write_text("#!/bin/sh\nexit 0\n")
    assert base.runtime_actions_allowed("start", str(policy)) is True


def test_cron_file_name_has_no_dot_on_debian(tmp_path):
    (tmp_path / "etc").mkdir()
    assert paths.cron_file_name(str(tmp_path)) == "cisco-ampupdater.cron"
    (tmp_path / "etc" / "debian_version").write_text("12.8\n")
    assert paths.cron_file_name(str(tmp_path)) == "cisco-ampupdater"


# `systemctl show --property=LoadState,ActiveState,UnitFileState` for the
# service and the timer, as systemd 252 prints it.
SHOW_RUNNING = """LoadState=loaded
ActiveState=active
UnitFileState=enabled

LoadState=loaded
ActiveState=active
UnitFileState=enabled
"""
SHOW_MASKED_NO_TIMER = """LoadState=masked
ActiveState=inactive
UnitFileState=masked

LoadState=not-found
ActiveState=inactive
UnitFileState=
"""


def test_systemctl_show_blocks_per_unit():
    units = systemd.parse_show(SHOW_RUNNING)
    assert len(units) == 2
    assert [systemd.unit_state(unit) for unit in units] == [(True, base.ENABLED), (True, base.ENABLED)]


def test_systemctl_show_masked_and_missing_units():
    service, timer = systemd.parse_show(SHOW_MASKED_NO_TIMER)
    assert systemd.unit_state(service) == (False, base.MASKED)
    assert systemd.unit_state(timer) == (False, base.NOT_INSTALLED)


def test_systemctl_show_words_follow_is_enabled():
    for word, expected in (("static", base.ENABLED), ("disabled", base.DISABLED),
                           ("masked-runtime", base.MASKED), ("bad", None)):
        assert systemd.enablement_of(word) == expected


def test_describe_falls_back_when_show_output_is_odd(monkeypatch):
    calls = []

    def fake_systemctl(self, *args, **kwargs):
        calls.append(args[0])
        if args[0] == "show":
            return 0, "Warning: something unexpected\n"
        if args[0] == "is-active":
            return 3, "inactive\n"
        return 0, "disabled\n"

    monkeypatch.setattr(Systemd, "_systemctl", fake_systemctl)
    state = Systemd().describe()
    assert calls[0] == "show"
    assert "is-enabled" in calls
    assert state == {"init": "systemd", "service_active": False, "service_enabled": base.DISABLED,
                     "updater_enabled": False}
