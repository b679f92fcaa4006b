"""End to end on booted Debian 12 hosts: install, run, supervise and remove.

Each test boots a fresh host, installs the package with the real package
manager (apt for the .deb, rpm for the .rpm), and checks what a sysadmin
would: the service, ``ampcli status``, the journal, supervision and removal.
"""

import json
import re
import signal

import pytest

from e2e_helpers import (
    SERVICE, STATUS_KEYS, UNIT_PATH, daemon_pid, host_file, parse_status, systemctl, wait_for,
    wait_for_status,
)

pytestmark = pytest.mark.testhost

DEB_JOURNAL_STEPS = (
    "starting deb preinst scriptlet (install)",
    "deb preinst scriptlet done",
    "starting deb postinst scriptlet (configure)",
    "connector started",
    "deb postinst scriptlet done",
)
RPM_JOURNAL_STEPS = (
    "starting rpm pre scriptlet (1)",
    "rpm pre scriptlet done",
    "starting rpm post scriptlet (1)",
    "connector started",
    "rpm post scriptlet done",
)


def install_deb(host, deb, env=None):
    host.copy_in(deb, "/root/" + deb.name)
    return host.run(["apt-get", "install", "-y", "/root/" + deb.name],
                    env=dict({"DEBIAN_FRONTEND": "noninteractive"}, **(env or {})), check=False)


def install_rpm(host, rpm, provides_rpm):
    host.copy_in(provides_rpm, "/root/" + provides_rpm.name)
    host.copy_in(rpm, "/root/" + rpm.name)
    host.run(["rpm", "-i", "/root/" + provides_rpm.name])
    return host.run(["rpm", "-i", "/root/" + rpm.name], check=False)


def assert_connector_running(host):
    assert systemctl(host, "is-active", SERVICE) == "active"
    assert systemctl(host, "is-enabled", SERVICE) == "enabled"
    status = wait_for_status(host)
    assert status.returncode == 0, status.stdout + status.stderr
    fields = parse_status(status.stdout)
    for key in STATUS_KEYS:
        assert key in fields, "ampcli status has no {0!r} line: {1}".format(key, status.stdout)
    assert fields["Scan"] == "Ready for scan"
    assert fields["Mode"] == "Audit"


def assert_log_files_private(host):
    for name in ("ampdaemon.log", "ampmon.log", "ampinstaller.log"):
        mode = host.run(["stat", "-c", "%a", "/var/log/cisco/" + name]).stdout.strip()
        assert mode == "600", name


def assert_journal_has(host, steps):
    journal = host.journal(identifier="cisco-amp")
    for step in steps:
        assert step in journal, "journal lacks {0!r}:\n{1}".format(step, journal)


def assert_ampmon_restarts_killed_daemon(host):
    monitor = daemon_pid(host, "ampmon")
    daemon = daemon_pid(host, "ampdaemon")
    assert monitor and daemon
    # The minimal host has no procps; python3 sends the signal instead of kill(1).
    host.run(["python3", "-c", "import os, sys; os.kill(int(sys.argv[1]), int(sys.argv[2]))",
              str(daemon), str(int(signal.SIGKILL))])
    replacement = wait_for(lambda: (daemon_pid(host, "ampdaemon") or daemon) != daemon and
                           daemon_pid(host, "ampdaemon"))
    assert replacement and replacement != daemon
    assert daemon_pid(host, "ampmon") == monitor, "systemd restarted the service; ampmon did not"
    assert wait_for_status(host).returncode == 0


def assert_removed(host):
    assert not host_file(host, UNIT_PATH).exists()
    assert systemctl(host, "is-active", SERVICE) != "active"
    assert "cisco-amp" not in host.run(["systemctl", "list-unit-files", SERVICE], check=False).stdout
    assert daemon_pid(host, "ampmon") is None
    assert daemon_pid(host, "ampdaemon") is None
    assert not host_file(host, "/opt/cisco/amp/bin").exists()
    # Removal keeps configuration and identity; only purge deletes them.
    assert host_file(host, "/opt/cisco/amp/etc/identity.json").exists()


def test_deb_lifecycle_on_systemd(packages, bookworm_host):
    host = bookworm_host
    result = install_deb(host, packages["deb"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert_connector_running(host)
    assert_log_files_private(host)
    assert_journal_has(host, DEB_JOURNAL_STEPS)
    assert_ampmon_restarts_killed_daemon(host)

    removal = host.run(["apt-get", "remove", "-y", "ciscoampconnector"],
                       env={"DEBIAN_FRONTEND": "noninteractive"}, check=False)
    assert removal.returncode == 0, removal.stdout + removal.stderr
    assert_removed(host)
    assert_journal_has(host, ("starting deb prerm scriptlet (remove)",
                              "starting deb postrm scriptlet (remove)"))


def test_rpm_lifecycle_on_systemd(packages, host_provides_rpm, bookworm_host):
    host = bookworm_host
    result = install_rpm(host, packages["rpm"], host_provides_rpm)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_connector_running(host)
    assert_log_files_private(host)
    assert_journal_has(host, RPM_JOURNAL_STEPS)
    assert_ampmon_restarts_killed_daemon(host)

    removal = host.run(["rpm", "-e", "ciscoampconnector"], check=False)
    assert removal.returncode == 0, removal.stdout + removal.stderr
    assert_removed(host)
    assert_journal_has(host, ("starting rpm preun scriptlet (0)",
                              "starting rpm postun scriptlet (0)"))


UNSUPPORTED_OS_RELEASE = 'ID=ubuntu\nVERSION_ID="16.04"\nPRETTY_NAME="Ubuntu 16.04.7 LTS"\n'


def make_host_unsupported(host):
    """Replace the host's OS identity with a release the connector does not support."""
    host.run(["rm", "-f", "/etc/os-release"])
    host_file(host, "/etc/os-release").write_text(UNSUPPORTED_OS_RELEASE)


def assert_nothing_landed(host):
    assert not host_file(host, "/opt/cisco/amp").exists()
    assert not host_file(host, UNIT_PATH).exists()


def test_deb_refused_on_unsupported_os(packages, bookworm_host):
    host = bookworm_host
    make_host_unsupported(host)
    result = install_deb(host, packages["deb"])
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "preflight check os failed" in output
    assert "Ubuntu 16.04.7 LTS" in output
    assert "CISCO_AMP_PREFLIGHT_IGNORE=os" in output
    assert_nothing_landed(host)
    status = host.run(["dpkg-query", "-W", "-f=${db:Status-Status}", "ciscoampconnector"],
                      check=False)
    assert status.stdout.strip() in ("", "not-installed")


def test_deb_refusal_in_japanese_locale(packages, bookworm_host):
    host = bookworm_host
    make_host_unsupported(host)
    result = install_deb(host, packages["deb"], env={"LANG": "ja_JP.UTF-8"})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "事前チェック os が不合格です" in output
    assert "対処: ホストをサポート対象の Ubuntu のリリースに移行してください" in output
    assert "CISCO_AMP_PREFLIGHT_IGNORE=os を設定してください" in output
    assert "preflight check os failed" not in output
    log = host.read_text("/var/log/cisco/ampinstaller.log")
    assert "preflight check os failed" in log
    assert "CISCO_AMP_PREFLIGHT_IGNORE=os" in log
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", log), log
    assert_nothing_landed(host)


def test_rpm_refused_on_unsupported_os(packages, host_provides_rpm, bookworm_host):
    host = bookworm_host
    make_host_unsupported(host)
    result = install_rpm(host, packages["rpm"], host_provides_rpm)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "preflight check os failed" in output
    assert_nothing_landed(host)
    assert host.run(["rpm", "-q", "ciscoampconnector"], check=False).returncode != 0


def test_deb_purge_without_python3(packages, bookworm_host):
    host = bookworm_host
    assert install_deb(host, packages["deb"]).returncode == 0
    assert wait_for_status(host).returncode == 0
    host.run(["apt-get", "remove", "-y", "ciscoampconnector"], env={"DEBIAN_FRONTEND": "noninteractive"})
    assert host_file(host, "/opt/cisco/amp/etc/identity.json").exists()
    # dpkg lets python3 go while the connector is only in config-files state.
    host.run(["mv", "/usr/bin/python3", "/usr/bin/python3.away"])
    try:
        purge = host.run(["dpkg", "--purge", "ciscoampconnector"], check=False)
    finally:
        host.run(["mv", "/usr/bin/python3.away", "/usr/bin/python3"])
    assert purge.returncode == 0, purge.stdout + purge.stderr
    assert not host_file(host, "/opt/cisco/amp").exists()
    assert not host_file(host, "/var/log/cisco").exists()


def test_ampctl_status_shows_daemon_config_fault(packages, bookworm_host):
    host = bookworm_host
    assert install_deb(host, packages["deb"]).returncode == 0
    host_file(host, "/opt/cisco/amp/etc/amp.conf").write_text("[policy]\nmode = block\n")
    host.run(["systemctl", "restart", "cisco-amp"])
    assert wait_for_status(host).returncode == 0
    status = json.loads(host.run(["/usr/sbin/ampctl", "status", "--json"]).stdout)
    assert [fault["id"] for fault in status["faults"]] == ["config_invalid"]
    human = host.run(["/usr/sbin/ampctl", "status"]).stdout
    assert "invalid [policy] mode 'block'" in human
