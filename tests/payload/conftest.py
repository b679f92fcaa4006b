"""Fixtures for the reference connector tests: a temporary layout and processes killed at teardown."""

import shutil
import tempfile

import pytest

from payload_helpers import Layout, Processes, try_ping, wait_until


@pytest.fixture
def layout():
    # A short path under /tmp: Unix socket paths are limited to 107 bytes.
    root = tempfile.mkdtemp(prefix="amp-", dir="/tmp")
    yield Layout(root)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def processes():
    tracker = Processes()
    yield tracker
    tracker.kill_all()


@pytest.fixture
def start_daemon(layout, processes):
    """Return a function that starts ampdaemon in the layout and waits until its socket responds."""

    def start(extra_args=()):
        process = processes.start("ampdaemon", layout.daemon_args() + list(extra_args))
        wait_until(lambda: try_ping(layout.socket_path) == process.pid or process.poll() is not None,
                   "ampdaemon to serve {}".format(layout.socket_path))
        assert process.poll() is None, "ampdaemon exited early:\n" + processes.output(process)
        return process

    return start
