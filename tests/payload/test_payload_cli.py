"""ampcli against a real ampdaemon, and with no daemon running."""

import json
import os
import pwd
import socket

import pytest

from ampconnector.version import get_version
from payload_helpers import (
    PYTHON, make_stale_socket, run_cli, status_fields, world_executable,
)
from payload_helpers import program as program_path

EXPECTED_ORDER = ["Status", "Mode", "Scan", "Last Scan", "Policy", "Faults"]


def test_status_prints_fields_in_order(layout, start_daemon):
    start_daemon()

    result = run_cli(layout, "status")

    assert result.returncode == 0, result.stderr
    fields = status_fields(result.stdout)
    assert [key for key, _ in fields][:6] == EXPECTED_ORDER
    values = dict(fields)
    assert values["Status"] == "Offline (no cloud endpoint configured)"
    assert values["Mode"] == "Audit"
    assert values["Scan"] == "Ready for scan"
    assert values["Last Scan"] == "Never"
    assert values["Policy"] == "Audit Policy for Secure Endpoint Linux (#1)"
    assert values["Faults"] == "None"
    assert values["Version"] == get_version()


def test_status_prints_connect_progress(layout, start_daemon):
    start_daemon()

    lines = run_cli(layout, "status").stdout.splitlines()

    assert lines[0] == "Trying to connect..."
    assert lines[1] == "Connected."


def test_status_identity_matches_file(layout, start_daemon):
    start_daemon()

    values = dict(status_fields(run_cli(layout, "status").stdout))

    with open(layout.identity_path) as handle:
        assert values["Identity"] == json.load(handle)["uuid"]


def test_status_json_has_protocol_fields(layout, start_daemon):
    daemon = start_daemon()

    result = run_cli(layout, "status", "--json")

    assert result.returncode == 0, result.stderr
    body = result.stdout.split("Connected.\n", 1)[1]
    response = json.loads(body)
    for key in ("status", "mode", "scan", "last_scan", "policy", "faults", "version",
                "identity", "pid"):
        assert key in response
    assert response["pid"] == daemon.pid
    assert response["faults"] == []


def test_status_without_socket_fails_cleanly(layout):
    result = run_cli(layout, "status")

    assert result.returncode == 1
    assert layout.socket_path in result.stderr
    assert "socket not found" in result.stderr
    assert "systemctl start cisco-amp" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_status_stale_socket_reports_refused(layout):
    make_stale_socket(layout.socket_path)

    result = run_cli(layout, "status")

    assert result.returncode == 1
    assert "connection refused" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_status_silent_daemon_times_out(layout):
    os.makedirs(os.path.dirname(layout.socket_path))
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    silent.bind(layout.socket_path)
    silent.listen(1)  # accepts into the backlog but never reads or writes
    try:
        result = run_cli(layout, "status", "--timeout", "0.5")
    finally:
        silent.close()

    assert result.returncode == 1
    assert "timed out after 0.5 s" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_status_error_is_one_line(layout):
    result = run_cli(layout, "status")

    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run ampcli as another user")
def test_status_as_other_user_reports_permission(layout, start_daemon):
    pythons = [path for path in (PYTHON, "/usr/bin/python3")
               if os.path.exists(path) and world_executable(path)]
    if not pythons or not world_executable(program_path("ampcli")):
        pytest.skip("no Python interpreter that user nobody can run")
    start_daemon()
    os.chmod(layout.root, 0o755)
    nobody = pwd.getpwnam("nobody")

    def drop_privileges():
        os.setgid(nobody.pw_gid)
        os.setgroups([])
        os.setuid(nobody.pw_uid)

    result = run_cli(layout, "status", python=pythons[0], preexec_fn=drop_privileges)

    assert result.returncode == 1
    assert "permission denied" in result.stderr
    assert layout.socket_path in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_help_lists_commands_and_exit_codes(layout):
    result = run_cli(layout, "--help")

    assert result.returncode == 0
    assert "status" in result.stdout
    assert "version" in result.stdout
    assert "exit status" in result.stdout


def test_version_prints_package_version(layout):
    result = run_cli(layout, "version")

    assert result.returncode == 0
    assert result.stdout.strip() == "ampcli " + get_version()


@pytest.mark.parametrize("args", [(), ("frobnicate",), ("status", "--timeout", "0"),
                                  ("status", "--timeout", "nan")])
def test_usage_errors_exit_2(layout, args):
    result = run_cli(layout, *args)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_cli_log_file_written_with_mode_0600(layout, start_daemon):
    start_daemon()

    run_cli(layout, "status")

    mode = os.stat(layout.log_path("ampcli")).st_mode & 0o777
    assert mode == 0o600
    assert "status: Offline" in layout.log_text("ampcli")
