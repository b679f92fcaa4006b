"""Check a host the cisco_amp role converged: files, service, socket, status, logs."""

import json

import pytest

AMP_HOME = "/opt/cisco/amp"
CONFIG_FILE = AMP_HOME + "/etc/amp.conf"

# path -> (mode, user); the log modes follow the vendor's: 0600.
EXPECTED_FILES = {
    AMP_HOME + "/bin/ampmon": (0o755, "root"),
    AMP_HOME + "/bin/ampdaemon": (0o755, "root"),
    AMP_HOME + "/bin/ampcli": (0o755, "root"),
    AMP_HOME + "/bin/ampctl": (0o755, "root"),
    AMP_HOME + "/etc": (0o750, "root"),
    CONFIG_FILE: (0o640, "root"),
    "/var/log/cisco/ampdaemon.log": (0o600, "root"),
    "/var/log/cisco/ampinstaller.log": (0o600, "root"),
}


def _status(amp_host):
    result = amp_host.run("/opt/cisco/amp/bin/ampctl status --json")
    assert result.rc == 0, result.stderr
    return json.loads(result.stdout)


def _installed_version(amp_host, package_manager):
    if package_manager == "dnf":
        return amp_host.check_output("rpm --query --queryformat %s ciscoampconnector", "%{VERSION}")
    return amp_host.check_output("dpkg-query --show --showformat %s ciscoampconnector", "${Version}")


def test_installed_version_is_pinned(amp_host, expected):
    assert _installed_version(amp_host, expected["package_manager"]) == expected["version"]


@pytest.mark.parametrize("path", sorted(EXPECTED_FILES))
def test_file_mode_and_owner(amp_host, path):
    mode, user = EXPECTED_FILES[path]
    installed = amp_host.file(path)
    assert installed.exists, path
    assert installed.mode == mode, f"{path}: {installed.mode:o}"
    assert installed.user == user


def test_config_has_role_settings(amp_host, expected):
    config = amp_host.file(CONFIG_FILE).content_string
    assert f"mode = {expected['policy_mode']}" in config
    assert "endpoints = 127.0.0.1:8443" in config
    assert "Ansible managed" in config


def test_service_running_and_enabled(amp_host, expected):
    status = _status(amp_host)
    assert status["init"] == expected["init"]
    assert status["service_active"] is True
    assert status["service_enabled"] == "enabled"


def test_systemd_unit_state(amp_host, expected):
    if expected["init"] != "systemd":
        pytest.skip("systemd only")
    service = amp_host.service("cisco-amp")
    assert service.is_running
    assert service.is_enabled


def test_control_socket_exists(amp_host):
    assert amp_host.file("/var/run/sfampd").is_socket


def test_ampcli_status_reports_policy(amp_host, expected):
    output = amp_host.check_output("/opt/cisco/amp/bin/ampcli status")
    assert "Connected." in output
    assert f"Mode: {expected['policy_mode'].capitalize()}" in output


def test_install_steps_in_syslog(amp_host, expected):
    if expected["init"] != "systemd":
        pytest.skip("no journal without systemd; see the installer log test")
    journal = amp_host.check_output("journalctl --no-pager -t cisco-amp")
    script = "post" if expected["package_manager"] == "dnf" else "postinst"
    assert f"{script} scriptlet done" in journal


def test_install_steps_in_installer_log(amp_host, expected):
    log = amp_host.file("/var/log/cisco/ampinstaller.log").content_string
    script = "post" if expected["package_manager"] == "dnf" else "postinst"
    assert f"{script} scriptlet done" in log


def test_package_hold_matches_variable(amp_host, expected):
    if expected["package_manager"] != "apt":
        pytest.skip("dpkg selections only")
    selection = amp_host.check_output("dpkg --get-selections ciscoampconnector").split()[-1]
    assert selection == ("hold" if expected["hold"] else "install")


def test_versionlock_matches_variable(amp_host, expected):
    if expected["package_manager"] != "dnf":
        pytest.skip("dnf versionlock only")
    locks = amp_host.check_output("dnf -q --disablerepo='*' versionlock list").split()
    wanted = [f"ciscoampconnector-0:{expected['version']}-1.*"] if expected["hold"] else []
    assert [entry for entry in locks if entry.startswith("ciscoampconnector")] == wanted
