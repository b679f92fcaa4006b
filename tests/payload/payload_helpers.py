"""Helpers that run the reference connector's programs as real processes in a temporary layout.

The programs run under $AMP_PAYLOAD_PYTHON when set (e.g. a Python 3.6 to check
the payload on the oldest supported interpreter), else under the test's Python.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAYLOAD_DIR = os.path.join(REPO_ROOT, "payload")
BIN_DIR = os.path.join(PAYLOAD_DIR, "bin")
PYTHON = os.environ.get("AMP_PAYLOAD_PYTHON") or sys.executable
DEADLINE = 20.0  # seconds; generous so that a slow CI host does not fail the tests

if PAYLOAD_DIR not in sys.path:
    sys.path.insert(0, PAYLOAD_DIR)


def program(name):
    return os.path.join(BIN_DIR, name)


def wait_until(predicate, description, timeout=DEADLINE, interval=0.05):
    """Poll predicate until it returns a true value and return it; fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail("timed out after {:g} s waiting for {}".format(timeout, description))
        time.sleep(interval)


def exchange(socket_path, payload, timeout=5.0):
    """Send raw bytes to the control socket, close the write side and return the response dicts."""
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(timeout)
    try:
        client.connect(socket_path)
        client.sendall(payload)
        client.shutdown(socket.SHUT_WR)
        data = b""
        while True:
            chunk = client.recv(65536)
            if not chunk:
                break
            data += chunk
    finally:
        client.close()
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def request(socket_path, command):
    return exchange(socket_path, (json.dumps({"command": command}) + "\n").encode())[0]


def try_ping(socket_path):
    """Return the daemon's pid, or None while nothing serves the socket."""
    try:
        response = request(socket_path, "ping")
    except (OSError, ValueError, IndexError):
        return None
    return response.get("pid")


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


class Layout(object):
    """An unprivileged install layout: socket, log and etc directories under one temp dir."""

    def __init__(self, root):
        self.root = root
        self.socket_path = os.path.join(root, "run", "sfampd")
        self.log_dir = os.path.join(root, "log")
        self.etc_dir = os.path.join(root, "etc")
        self.config_path = os.path.join(self.etc_dir, "amp.conf")
        self.identity_path = os.path.join(self.etc_dir, "identity.json")
        self.faults_path = os.path.join(self.etc_dir, "faults.json")

    def daemon_args(self):
        return ["--socket", self.socket_path, "--log-dir", self.log_dir,
                "--etc-dir", self.etc_dir]

    def cli_args(self):
        return ["--socket", self.socket_path, "--log-dir", self.log_dir]

    def write_etc_file(self, path, text):
        os.makedirs(self.etc_dir, exist_ok=True)
        with open(path, "w") as handle:
            handle.write(text)

    def log_path(self, program_name):
        return os.path.join(self.log_dir, program_name + ".log")

    def log_text(self, program_name):
        try:
            with open(self.log_path(program_name)) as handle:
                return handle.read()
        except FileNotFoundError:
            return ""


class Processes(object):
    """Starts programs in their own process groups and kills every group at teardown."""

    def __init__(self):
        self.started = []

    def start(self, name, args):
        # Output goes to a file, not a pipe, so a chatty program never blocks on a full pipe.
        output = tempfile.TemporaryFile()
        process = subprocess.Popen(
            [PYTHON, program(name)] + list(args), stdin=subprocess.DEVNULL,
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        process.output_file = output
        self.started.append(process)
        return process

    @staticmethod
    def output(process):
        process.output_file.seek(0)
        return process.output_file.read().decode("utf-8", "replace")

    def kill_all(self):
        for process in self.started:
            # The group contains the program and every child it started, such as ampmon's daemon.
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=DEADLINE)
            process.output_file.close()
        for process in self.started:
            group = process.pid
            wait_until(lambda group=group: not group_alive(group),
                       "process group {} to exit".format(group))


def run_cli(layout, *args, python=PYTHON, **kwargs):
    """Run ampcli to completion and return the CompletedProcess with text output."""
    return subprocess.run(
        [python, program("ampcli")] + list(args) + layout.cli_args(),
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, **kwargs)


def world_executable(path):
    """Return True if any user can run path: the file and every directory above it have o+x."""
    path = os.path.realpath(path)
    while True:
        if not os.stat(path).st_mode & 0o001:
            return False
        parent = os.path.dirname(path)
        if parent == path:
            return True
        path = parent


def status_fields(stdout):
    """Return the ``Key: value`` lines of ampcli status as an ordered list of pairs."""
    fields = []
    for line in stdout.splitlines():
        key, separator, value = line.partition(": ")
        if separator:
            fields.append((key, value))
    return fields


def make_stale_socket(path):
    """Leave a socket file that nothing listens on, as a killed daemon does."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(path)
    stale.close()
