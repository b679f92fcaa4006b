"""ampmon as a real process supervising ampdaemon."""

import os
import re
import signal
import sys
import textwrap

from payload_helpers import pid_alive, request, try_ping, wait_until


def _start_monitor(processes, layout, extra_args=()):
    monitor = processes.start("ampmon", layout.daemon_args() + list(extra_args))
    daemon_pid = wait_until(lambda: try_ping(layout.socket_path),
                            "ampdaemon under ampmon to serve the socket")
    return monitor, daemon_pid


def _new_daemon_pid(layout, old_pid):
    """Return the pid serving the socket if it is not old_pid, else None."""
    pid = try_ping(layout.socket_path)
    if pid in (None, old_pid):
        return None
    return pid


def _write_fake_daemon(layout, body):
    """Write a stand-in for ampdaemon that accepts the path options and runs body."""
    path = os.path.join(layout.root, "fake-ampdaemon")
    with open(path, "w") as handle:
        handle.write("#!{}\n".format(sys.executable))
        handle.write(textwrap.dedent(body))
    os.chmod(path, 0o755)
    return path


def test_monitor_starts_daemon(layout, processes):
    monitor, daemon_pid = _start_monitor(processes, layout)

    assert daemon_pid != monitor.pid
    assert request(layout.socket_path, "status")["ok"] is True
    assert "started ampdaemon (pid {}, start 1)".format(daemon_pid) in layout.log_text("ampmon")


def test_monitor_forwards_path_options(layout, processes):
    layout.write_etc_file(layout.config_path, "[policy]\nmode = protect\n")

    _start_monitor(processes, layout)

    assert request(layout.socket_path, "status")["mode"] == "Protect"
    assert os.path.isfile(os.path.join(layout.etc_dir, "identity.json"))
    assert os.path.isfile(layout.log_path("ampdaemon"))


def test_monitor_restarts_after_sigkill(layout, processes):
    _, first_pid = _start_monitor(processes, layout)

    os.kill(first_pid, signal.SIGKILL)

    second_pid = wait_until(lambda: _new_daemon_pid(layout, first_pid),
                            "a new ampdaemon to serve the socket")
    assert request(layout.socket_path, "status")["pid"] == second_pid
    log = layout.log_text("ampmon")
    assert "ampdaemon (pid {}) was killed by SIGKILL".format(first_pid) in log
    assert "started ampdaemon (pid {}, start 2)".format(second_pid) in log


def test_monitor_restarts_after_clean_exit(layout, processes):
    _, first_pid = _start_monitor(processes, layout)

    os.kill(first_pid, signal.SIGTERM)

    wait_until(lambda: _new_daemon_pid(layout, first_pid),
               "a new ampdaemon after the first exited")
    assert "ampdaemon (pid {}) exited with status 0".format(first_pid) in layout.log_text("ampmon")


def test_monitor_sigterm_stops_both(layout, processes):
    monitor, daemon_pid = _start_monitor(processes, layout)

    monitor.send_signal(signal.SIGTERM)

    assert monitor.wait(timeout=30) == 0
    assert not pid_alive(daemon_pid)
    assert not os.path.exists(layout.socket_path)
    log = layout.log_text("ampmon")
    assert "SIGTERM received: stopping" in log
    assert "ampdaemon (pid {}) exited with status 0".format(daemon_pid) in log
    assert "ampmon stopped" in log


def test_monitor_sigint_exits_0(layout, processes):
    monitor, daemon_pid = _start_monitor(processes, layout)

    monitor.send_signal(signal.SIGINT)

    assert monitor.wait(timeout=30) == 0
    assert not pid_alive(daemon_pid)


def test_monitor_kills_daemon_ignoring_sigterm(layout, processes):
    ready = os.path.join(layout.root, "ready")
    fake = _write_fake_daemon(layout, """
        import signal, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        open({!r}, "w").close()
        while True:
            time.sleep(1)
        """.format(ready))
    monitor = processes.start("ampmon", layout.daemon_args() +
                              ["--daemon", fake, "--stop-timeout", "1"])
    wait_until(lambda: os.path.exists(ready), "the fake daemon to start")

    monitor.send_signal(signal.SIGTERM)

    assert monitor.wait(timeout=30) == 0
    log = layout.log_text("ampmon")
    assert "still running after 1.0 s; sending SIGKILL" in log
    assert "was killed by SIGKILL" in log


def test_monitor_backoff_doubles(layout, processes):
    fake = _write_fake_daemon(layout, """
        import sys
        sys.exit(3)
        """)
    processes.start("ampmon", layout.daemon_args() +
                    ["--daemon", fake, "--restart-delay", "0.2", "--max-restart-delay", "0.8"])

    wait_until(lambda: layout.log_text("ampmon").count("exited with status 3") >= 5,
               "five exits of the fake daemon")

    delays = re.findall(r"exited with status 3 after [\d.]+ s; restarting in ([\d.]+) s",
                        layout.log_text("ampmon"))
    assert delays[:5] == ["0.2", "0.4", "0.8", "0.8", "0.8"]


def test_monitor_passes_sighup_to_daemon(layout, processes):
    monitor, daemon_pid = _start_monitor(processes, layout)
    layout.write_etc_file(layout.config_path, "[policy]\nmode = protect\n")

    monitor.send_signal(signal.SIGHUP)

    wait_until(lambda: request(layout.socket_path, "status")["mode"] == "Protect",
               "mode Protect after SIGHUP to ampmon")
    assert request(layout.socket_path, "status")["pid"] == daemon_pid


def test_monitor_missing_daemon_exits_1(layout, processes):
    monitor = processes.start("ampmon", layout.daemon_args() +
                              ["--daemon", os.path.join(layout.root, "missing")])

    assert monitor.wait(timeout=30) == 1
    assert "not found" in layout.log_text("ampmon")


def test_monitor_log_mode_0600(layout, processes):
    _start_monitor(processes, layout)

    assert os.stat(layout.log_path("ampmon")).st_mode & 0o777 == 0o600
