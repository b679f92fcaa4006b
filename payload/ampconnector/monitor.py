"""ampmon: runs ampdaemon in the foreground and restarts it whenever it exits.

Restarts wait restart-delay seconds, doubling after each quick exit up to
max-restart-delay; a daemon that ran for stable-after seconds resets the delay.
SIGTERM or SIGINT stops the daemon (SIGTERM, then SIGKILL after stop-timeout
seconds) and ampmon exits 0. SIGHUP is passed on to the daemon.
Exit statuses: 0 stopped by a signal, 1 the daemon program is missing, 2 command-line error.
"""

import argparse
import logging
import os
import signal
import subprocess
import sys
import time

from ampconnector.logfiles import configure_logging
from ampconnector.paths import add_path_options, path_arguments, paths_from_args
from ampconnector.signals import SignalFlags, signal_name
from ampconnector.version import get_version

LOG = logging.getLogger("ampmon")

EXIT_OK = 0
EXIT_DAEMON_MISSING = 1

DEFAULT_RESTART_DELAY = 1.0
DEFAULT_MAX_RESTART_DELAY = 30.0
DEFAULT_STABLE_AFTER = 60.0
DEFAULT_STOP_TIMEOUT = 10.0
POLL_INTERVAL = 1.0  # seconds between checks of the child when no signal wakes ampmon


def _is_python_script(path):
    try:
        with open(path, "rb") as handle:
            first_line = handle.readline(256)
    except OSError:
        return False
    return first_line.startswith(b"#!") and b"python" in first_line


def default_daemon_command():
    """Return the argv that starts ampdaemon, and the environment changes it needs.

    The daemon is the ``ampdaemon`` beside the running ampmon launcher. A Python
    launcher runs under this interpreter, so both programs use the same Python.
    Without a launcher (``python -m ampconnector.monitor``) the package's module runs.
    """
    sibling = os.path.join(os.path.dirname(os.path.realpath(sys.argv[0])), "ampdaemon")
    if os.path.isfile(sibling):
        if _is_python_script(sibling):
            return [sys.executable, sibling], {}
        return [sibling], {}
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    python_path = os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH")) if p)
    return [sys.executable, "-m", "ampconnector.daemon"], {"PYTHONPATH": python_path}


def describe_exit(returncode):
    if returncode < 0:
        return "was killed by {}".format(signal_name(-returncode))
    return "exited with status {}".format(returncode)


class Supervisor(object):
    """Starts the daemon, restarts it with backoff and stops it on request."""

    def __init__(self, command, env, flags, restart_delay, max_restart_delay, stable_after,
                 stop_timeout):
        self.command = command
        self.env = env
        self.flags = flags
        self.restart_delay = restart_delay
        self.max_restart_delay = max_restart_delay
        self.stable_after = stable_after
        self.stop_timeout = stop_timeout
        self._next_delay = restart_delay
        self._starts = 0

    def _start_child(self):
        try:
            child = subprocess.Popen(self.command, env=self.env, stdin=subprocess.DEVNULL)
        except OSError as error:
            LOG.error("cannot start ampdaemon (%s): %s", " ".join(self.command), error)
            return None
        self._starts += 1
        LOG.info("started ampdaemon (pid %d, start %d)", child.pid, self._starts)
        return child

    def _schedule_restart(self, runtime):
        """Return the delay in seconds before the next start and grow the one after it."""
        if runtime >= self.stable_after:
            self._next_delay = self.restart_delay
        delay = self._next_delay
        self._next_delay = min(self._next_delay * 2, self.max_restart_delay)
        return delay

    def run(self):
        """Supervise until a stop signal arrives, then stop the daemon."""
        child = None
        started_at = 0.0
        next_start = time.monotonic()
        while self.flags.stop_signal is None:
            now = time.monotonic()
            if child is None and now >= next_start:
                child = self._start_child()
                started_at = now
                if child is None:
                    delay = self._schedule_restart(0.0)
                    LOG.info("retrying in %.1f s", delay)
                    next_start = now + delay

            if child is not None:
                if self.flags.take_reload():
                    LOG.info("SIGHUP received: passing it on to ampdaemon (pid %d)", child.pid)
                    child.send_signal(signal.SIGHUP)
                returncode = child.poll()
                if returncode is not None:
                    runtime = now - started_at
                    delay = self._schedule_restart(runtime)
                    level = logging.WARNING if returncode == 0 else logging.ERROR
                    LOG.log(level, "ampdaemon (pid %d) %s after %.1f s; restarting in %.1f s",
                            child.pid, describe_exit(returncode), runtime, delay)
                    child = None
                    next_start = now + delay

            if child is None:
                self.flags.take_reload()  # no daemon to pass it to
                timeout = next_start - time.monotonic()
            else:
                timeout = POLL_INTERVAL
            self.flags.wait(timeout)

        LOG.info("%s received: stopping", signal_name(self.flags.stop_signal))
        if child is not None:
            self.stop_child(child)

    def stop_child(self, child):
        """Send SIGTERM, then SIGKILL after stop_timeout seconds, and log how the daemon ended."""
        if child.poll() is None:
            LOG.info("sending SIGTERM to ampdaemon (pid %d)", child.pid)
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                LOG.error("ampdaemon (pid %d) still running after %.1f s; sending SIGKILL",
                          child.pid, self.stop_timeout)
                child.kill()
                child.wait()
        LOG.info("ampdaemon (pid %d) %s", child.pid, describe_exit(child.returncode))


def _positive_seconds(text):
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise argparse.ArgumentTypeError("expected a number of seconds > 0, got {!r}".format(text))
    return value


def build_parser():
    parser = argparse.ArgumentParser(
        prog="ampmon",
        description="Supervisor of the reference Secure Endpoint connector: runs ampdaemon "
                    "in the foreground and restarts it whenever it exits. The path options "
                    "are passed on to ampdaemon.",
        epilog="Exit status: 0 stopped by SIGTERM or SIGINT, 1 ampdaemon program not found, "
               "2 invalid command line. SIGHUP is passed on to ampdaemon.")
    add_path_options(parser)
    parser.add_argument(
        "--daemon", metavar="PATH", default=None,
        help="ampdaemon program to run (default: the ampdaemon beside ampmon)")
    parser.add_argument(
        "--restart-delay", type=_positive_seconds, default=DEFAULT_RESTART_DELAY,
        metavar="SECONDS", help="first delay before a restart (default: %(default)s)")
    parser.add_argument(
        "--max-restart-delay", type=_positive_seconds, default=DEFAULT_MAX_RESTART_DELAY,
        metavar="SECONDS", help="maximum delay before a restart (default: %(default)s)")
    parser.add_argument(
        "--stable-after", type=_positive_seconds, default=DEFAULT_STABLE_AFTER,
        metavar="SECONDS",
        help="run time after which the restart delay resets (default: %(default)s)")
    parser.add_argument(
        "--stop-timeout", type=_positive_seconds, default=DEFAULT_STOP_TIMEOUT,
        metavar="SECONDS",
        help="wait after SIGTERM before killing ampdaemon (default: %(default)s)")
    parser.add_argument("--version", action="version", version="ampmon " + get_version())
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    paths = paths_from_args(args)
    flags = SignalFlags(wake=(signal.SIGCHLD,))
    _, log_error = configure_logging(paths.log_dir, "ampmon", stderr_level=logging.WARNING)
    if log_error is not None:
        LOG.warning("cannot open the log file in %s: %s; logging to stderr only",
                    paths.log_dir, log_error)

    if args.daemon is not None:
        if not os.path.isfile(args.daemon):
            LOG.error("ampdaemon program %s not found; check --daemon", args.daemon)
            return EXIT_DAEMON_MISSING
        command, env_changes = [args.daemon], {}
    else:
        command, env_changes = default_daemon_command()
    command = command + path_arguments(paths)
    env = dict(os.environ)
    env.update(env_changes)

    LOG.info("ampmon %s starting (pid %d): %s", get_version(), os.getpid(), " ".join(command))
    supervisor = Supervisor(command, env, flags, args.restart_delay, args.max_restart_delay,
                            args.stable_after, args.stop_timeout)
    supervisor.run()
    LOG.info("ampmon stopped (pid %d)", os.getpid())
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
