"""ampctl's status query to the daemon over a real Unix socket in a temporary directory."""

import json
import socket
import threading

import pytest

from installer.ampctl import actions
from installer.daemon_status import query_daemon_status

STATUS = {"ok": True, "command": "status", "status": "Offline",
          "faults": [{"id": "config_invalid", "message": "invalid [policy] mode 'block'"}]}


@pytest.fixture
def fake_daemon(tmp_path):
    """Serve one JSON line per connection on a Unix socket, as ampdaemon does."""
    path = str(tmp_path / "sfampd")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(4)
    replies = {"line": json.dumps(STATUS).encode() + b"\n"}

    def serve():
        while True:
            try:
                connection, _address = server.accept()
            except OSError:
                return
            with connection:
                connection.recv(4096)
                connection.sendall(replies["line"])

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield path, replies
    # shutdown() wakes the accept() that the serving thread is blocked in.
    server.shutdown(socket.SHUT_RDWR)
    server.close()
    thread.join(timeout=5)


def test_query_returns_daemon_status(fake_daemon):
    path, _replies = fake_daemon
    assert query_daemon_status(path) == STATUS


def test_query_without_daemon_returns_none(tmp_path):
    assert query_daemon_status(str(tmp_path / "missing")) is None


def test_query_error_response_returns_none(fake_daemon):
    path, replies = fake_daemon
    replies["line"] = b'{"ok": false, "error": "busy", "message": "too many clients"}\n'
    assert query_daemon_status(path) is None


def test_query_garbage_returns_none(fake_daemon):
    path, replies = fake_daemon
    replies["line"] = b"not json\n"
    assert query_daemon_status(path) is None


def test_status_prefers_daemon_faults(monkeypatch):
    monkeypatch.setattr(actions, "query_daemon_status", lambda: STATUS)
    monkeypatch.setattr(actions.faults, "read_faults", lambda: [])
    status = actions.status()
    assert status["faults"] == STATUS["faults"]
    assert status["daemon_responding"] is True


def test_status_falls_back_to_fault_file(monkeypatch):
    installer_faults = [{"id": "kmod_avflt_load_failed", "message": "avflt did not load"}]
    monkeypatch.setattr(actions, "query_daemon_status", lambda: None)
    monkeypatch.setattr(actions.faults, "read_faults", lambda: installer_faults)
    status = actions.status()
    assert status["faults"] == installer_faults
    assert status["daemon_responding"] is False
