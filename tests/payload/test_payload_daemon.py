"""ampdaemon as a real process: protocol, identity, state files, logs, config, faults, cloud."""

import json
import os
import signal
import socket
import stat

from payload_helpers import (
    exchange, make_stale_socket, request, run_cli, status_fields, try_ping, wait_until)


def _stop(process):
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=20)


def _status(layout):
    return dict(status_fields(run_cli(layout, "status").stdout))


def test_status_response_fields(layout, start_daemon):
    daemon = start_daemon()

    response = request(layout.socket_path, "status")

    assert response["ok"] is True
    assert response["command"] == "status"
    assert response["pid"] == daemon.pid
    assert response["scan"] == "Ready for scan"
    assert response["last_scan"] == "Never"
    assert isinstance(response["faults"], list)


def test_malformed_requests_get_errors(layout, start_daemon):
    daemon = start_daemon()
    lines = [
        b"not json",
        b"\xff\xfe",
        b"[1, 2]",
        b"{}",
        b'{"command": 7}',
        b'{"command": "selfdestruct"}',
        b'{"command": "status"}',
    ]

    responses = exchange(layout.socket_path, b"\n".join(lines) + b"\n")

    codes = [response.get("error") for response in responses]
    assert codes == ["invalid_json", "invalid_json", "invalid_request", "invalid_request",
                     "invalid_request", "unknown_command", None]
    assert all(response["ok"] is False for response in responses[:-1])
    assert responses[-1]["ok"] is True
    assert daemon.poll() is None


def test_unknown_command_lists_supported(layout, start_daemon):
    start_daemon()

    response = request(layout.socket_path, "selfdestruct")

    assert response["ok"] is False
    assert "status" in response["message"]


def test_oversized_request_rejected(layout, start_daemon):
    daemon = start_daemon()

    responses = exchange(layout.socket_path, b"x" * (200 * 1024) + b"\n")

    assert responses[0]["error"] == "request_too_large"
    assert daemon.poll() is None
    assert request(layout.socket_path, "status")["ok"] is True


def test_client_disconnect_midline_keeps_serving(layout, start_daemon):
    start_daemon()
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(layout.socket_path)
    client.sendall(b'{"command": "sta')
    client.close()

    assert request(layout.socket_path, "status")["ok"] is True


def test_socket_mode_0600(layout, start_daemon):
    start_daemon()

    mode = os.stat(layout.socket_path).st_mode

    assert stat.S_ISSOCK(mode)
    assert mode & 0o777 == 0o600


def test_sigterm_removes_socket(layout, start_daemon):
    daemon = start_daemon()

    returncode = _stop(daemon)

    assert returncode == 0
    assert not os.path.exists(layout.socket_path)
    assert "ampdaemon stopped by SIGTERM" in layout.log_text("ampdaemon")


def test_stale_socket_replaced(layout, start_daemon):
    make_stale_socket(layout.socket_path)

    start_daemon()

    assert request(layout.socket_path, "status")["ok"] is True
    assert "removed stale control socket" in layout.log_text("ampdaemon")


def test_second_daemon_exits_1(layout, start_daemon, processes):
    first = start_daemon()

    second = processes.start("ampdaemon", layout.daemon_args())

    assert second.wait(timeout=20) == 1
    assert try_ping(layout.socket_path) == first.pid
    assert "another ampdaemon is already serving" in layout.log_text("ampdaemon")


def test_non_socket_file_at_socket_path_kept(layout, processes):
    os.makedirs(os.path.dirname(layout.socket_path))
    with open(layout.socket_path, "w") as handle:
        handle.write("not a socket\n")

    daemon = processes.start("ampdaemon", layout.daemon_args())

    assert daemon.wait(timeout=20) == 1
    assert os.path.isfile(layout.socket_path)
    assert "is not a socket" in layout.log_text("ampdaemon")


def test_identity_created_once(layout, start_daemon):
    first = start_daemon()
    with open(layout.identity_path, "rb") as handle:
        original = handle.read()
    first_uuid = request(layout.socket_path, "status")["identity"]
    _stop(first)

    start_daemon()

    with open(layout.identity_path, "rb") as handle:
        assert handle.read() == original
    assert request(layout.socket_path, "status")["identity"] == first_uuid
    assert json.loads(original.decode())["uuid"] == first_uuid


def test_existing_identity_kept(layout, start_daemon):
    existing = '{"uuid": "0b7e6a52-3c4f-4f0e-9d6a-2f1c8e5b7a90", "created": "2016-05-02T20:01:00Z"}\n'
    layout.write_etc_file(layout.identity_path, existing)

    start_daemon()

    assert request(layout.socket_path, "status")["identity"] == \
        "0b7e6a52-3c4f-4f0e-9d6a-2f1c8e5b7a90"
    with open(layout.identity_path) as handle:
        assert handle.read() == existing


def test_invalid_identity_reported_not_rewritten(layout, start_daemon):
    layout.write_etc_file(layout.identity_path, "{broken")

    start_daemon()

    response = request(layout.socket_path, "status")
    assert response["identity"] is None
    assert "identity_unavailable" in [fault["id"] for fault in response["faults"]]
    with open(layout.identity_path) as handle:
        assert handle.read() == "{broken"


def test_state_files_created(layout, start_daemon):
    start_daemon()

    for name in ("events.db", "quarantine/quarantine.db", "quarantine/retrospective.db",
                 "cloud_query.cache", "identity.json"):
        assert os.path.isfile(os.path.join(layout.etc_dir, name)), name


def test_existing_state_file_untouched(layout, start_daemon):
    events_db = os.path.join(layout.etc_dir, "events.db")
    layout.write_etc_file(events_db, "vendor data")

    start_daemon()

    with open(events_db) as handle:
        assert handle.read() == "vendor data"


def test_log_files_mode_0600(layout, start_daemon):
    start_daemon()

    assert os.stat(layout.log_dir).st_mode & 0o777 == 0o755
    assert os.stat(layout.log_path("ampdaemon")).st_mode & 0o777 == 0o600
    assert "ampdaemon" in layout.log_text("ampdaemon")


def test_wide_log_file_tightened(layout, start_daemon):
    os.makedirs(layout.log_dir)
    with open(layout.log_path("ampdaemon"), "w"):
        pass
    os.chmod(layout.log_path("ampdaemon"), 0o644)

    start_daemon()

    assert os.stat(layout.log_path("ampdaemon")).st_mode & 0o777 == 0o600


def test_config_protect_mode(layout, start_daemon):
    layout.write_etc_file(layout.config_path, "[policy]\nmode = protect\n")
    start_daemon()

    values = _status(layout)

    assert values["Mode"] == "Protect"
    assert values["Policy"] == "Protect Policy for Secure Endpoint Linux (#2)"


def test_config_option_overrides_path(layout, start_daemon):
    other = os.path.join(layout.root, "other.conf")
    with open(other, "w") as handle:
        handle.write("[policy]\nmode = protect\n")

    start_daemon(["--config", other])

    assert _status(layout)["Mode"] == "Protect"


def test_invalid_config_reported_as_fault(layout, start_daemon):
    layout.write_etc_file(layout.config_path, "[policy]\nmode = paranoid\n")
    start_daemon()

    values = _status(layout)

    assert values["Mode"] == "Audit"
    assert values["Faults"] == "config_invalid"
    assert "invalid [policy] mode 'paranoid'" in layout.log_text("ampdaemon")


def test_bad_endpoint_keeps_protect_mode(layout, start_daemon):
    layout.write_etc_file(layout.config_path,
                          "[policy]\nmode = protect\n[cloud]\nendpoints = cloud.example:44x\n")
    start_daemon()

    values = _status(layout)

    assert values["Mode"] == "Protect"
    assert values["Faults"] == "config_invalid"
    assert values["Status"] == "Offline (invalid cloud endpoint in amp.conf; see Faults)"
    assert "invalid cloud endpoint 'cloud.example:44x'" in layout.log_text("ampdaemon")


def test_sighup_reloads_config(layout, start_daemon):
    daemon = start_daemon()
    assert _status(layout)["Mode"] == "Audit"
    layout.write_etc_file(layout.config_path, "[policy]\nmode = protect\n")

    daemon.send_signal(signal.SIGHUP)

    wait_until(lambda: request(layout.socket_path, "status")["mode"] == "Protect",
               "mode Protect after SIGHUP")
    assert "SIGHUP received: reloading the configuration" in layout.log_text("ampdaemon")


def test_sighup_with_invalid_config_keeps_mode(layout, start_daemon):
    layout.write_etc_file(layout.config_path, "[policy]\nmode = protect\n")
    daemon = start_daemon()
    layout.write_etc_file(layout.config_path, "[policy\nmode = audit\n")

    daemon.send_signal(signal.SIGHUP)

    wait_until(lambda: request(layout.socket_path, "status")["faults"],
               "config_invalid fault after SIGHUP")
    response = request(layout.socket_path, "status")
    assert response["mode"] == "Protect"
    assert [fault["id"] for fault in response["faults"]] == ["config_invalid"]


def test_installer_faults_listed(layout, start_daemon):
    faults = [{"id": "kmod_avflt_load_failed", "message": "avflt did not load"},
              {"id": "ebpf_unavailable", "message": "no BTF and no kernel headers"}]
    layout.write_etc_file(layout.faults_path, json.dumps(faults))
    start_daemon()

    values = _status(layout)
    response = request(layout.socket_path, "status")

    assert values["Faults"] == "kmod_avflt_load_failed, ebpf_unavailable"
    assert response["faults"] == faults


def test_invalid_faults_file_is_a_fault(layout, start_daemon):
    layout.write_etc_file(layout.faults_path, '{"id": "not a list"}')
    start_daemon()

    assert _status(layout)["Faults"] == "faults_file_invalid"


def test_cloud_listener_reports_connected(layout, start_daemon):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    layout.write_etc_file(layout.config_path,
                          "[cloud]\nendpoints = 127.0.0.1:{}\ncheck_interval = 1\n".format(port))
    try:
        start_daemon()

        wait_until(lambda: request(layout.socket_path, "status")["status"] == "Connected",
                   "status Connected")

        listener.close()
        wait_until(lambda: request(layout.socket_path, "status")["status"] == "Disconnected",
                   "status Disconnected after the listener closed")
    finally:
        listener.close()
    assert "cloud endpoint 127.0.0.1:{} unreachable".format(port) in layout.log_text("ampdaemon")


def test_cloud_closed_port_reports_disconnected(layout, start_daemon):
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens on this port now
    layout.write_etc_file(layout.config_path, "[cloud]\nendpoints = 127.0.0.1:{}\n".format(port))
    start_daemon()

    wait_until(lambda: request(layout.socket_path, "status")["status"] == "Disconnected",
               "status Disconnected")

    endpoints = request(layout.socket_path, "status")["cloud"]["endpoints"]
    assert endpoints[0]["endpoint"] == "127.0.0.1:{}".format(port)
    assert endpoints[0]["reachable"] is False
