"""ampdaemon: the reference connector daemon that serves the control socket.

Exit statuses: 0 after a clean stop (SIGTERM or SIGINT), 1 when it cannot start
(the control socket is in use or cannot be created), 2 on a command-line error.
SIGHUP reloads the configuration and reopens the log file.
"""

import argparse
import logging
import os
import selectors
import sqlite3
import sys
import threading

from ampconnector import cloud, protocol, status
from ampconnector.config import (
    Config, ConfigError, format_endpoint, parse_config_keeping, read_config_text,
)
from ampconnector.faults import load_faults, make_fault
from ampconnector.identity import IdentityError, load_or_create_identity
from ampconnector.logfiles import configure_logging
from ampconnector.paths import add_path_options, paths_from_args
from ampconnector.server import ControlServer, ServerError
from ampconnector.signals import SignalFlags, signal_name
from ampconnector.state import ensure_state_files
from ampconnector.version import get_version

LOG = logging.getLogger("ampdaemon")

EXIT_OK = 0
EXIT_START_FAILED = 1

COMMANDS = ("status", "version", "ping")

# Faults the daemon reports itself, beside those the installer writes to faults.json.
FAULT_CONFIG_INVALID = "config_invalid"
FAULT_IDENTITY_UNAVAILABLE = "identity_unavailable"
FAULT_STATE_FILES = "state_files_failed"


class Daemon(object):
    """Connector state and the request handler of the control socket."""

    def __init__(self, paths, version):
        self.paths = paths
        self.version = version
        self.config = Config()
        self.identity = None
        self.cloud = cloud.CloudChecker()
        self.server = ControlServer(paths.socket_path, self.handle_request)
        self._own_faults = {}
        self._lock = threading.Lock()

    def _set_fault(self, fault_id, message):
        with self._lock:
            if message is None:
                self._own_faults.pop(fault_id, None)
            else:
                self._own_faults[fault_id] = make_fault(fault_id, message)

    def prepare(self):
        """Create the state files, load the identity and the configuration.

        Each failure is logged and reported as a fault, so that ampdaemon still serves status.
        """
        try:
            for path in ensure_state_files(self.paths):
                LOG.info("created %s", path)
        except (OSError, sqlite3.Error) as error:
            LOG.error("cannot create the state files in %s: %s", self.paths.etc_dir, error)
            self._set_fault(FAULT_STATE_FILES, "cannot create the state files in {}: {}".format(
                self.paths.etc_dir, error))

        try:
            self.identity, created = load_or_create_identity(self.paths.identity_path)
        except (IdentityError, OSError) as error:
            LOG.error("identity unavailable: %s", error)
            self._set_fault(FAULT_IDENTITY_UNAVAILABLE, str(error))
        else:
            LOG.info("%s identity %s in %s", "created" if created else "loaded",
                     self.identity["uuid"], self.paths.identity_path)

        self.load_config()
        self.cloud.start()

    def load_config(self):
        """Read the configuration file; an invalid setting keeps its current value."""
        path = self.paths.config_path
        try:
            text = read_config_text(path)
        except ConfigError as error:
            text, errors = None, [str(error)]
        else:
            errors = []
        if text is None:
            config = self.config if errors else Config()
        else:
            config, errors = parse_config_keeping(text, self.config, source=path)
        for error in errors:
            LOG.error("%s; keeping the current value of that setting", error)
        self._set_fault(FAULT_CONFIG_INVALID, "; ".join(errors) or None)
        LOG.info("configuration %s: mode %s, cloud endpoints %s, proxy %s",
                 path, config.mode,
                 ", ".join(format_endpoint(endpoint) for endpoint in config.endpoints) or "none",
                 config.proxy_url or "none")
        with self._lock:
            self.config = config
        self.cloud.configure(config.endpoints, config.check_interval)

    def faults(self):
        """Return the installer's faults, read again on each call, then the daemon's own."""
        with self._lock:
            own = list(self._own_faults.values())
        return load_faults(self.paths.faults_path) + own

    def status(self):
        cloud_state, cloud_results, checked_at = self.cloud.snapshot()
        with self._lock:
            config = self.config
        response = status.build_status(
            cloud_state=cloud_state,
            mode=config.mode,
            faults=self.faults(),
            version=self.version,
            identity_uuid=self.identity["uuid"] if self.identity else None,
            pid=os.getpid(),
            endpoints_invalid="endpoints" in config.invalid_settings,
        )
        response["cloud"] = {"endpoints": cloud_results, "checked_at": checked_at,
                             "proxy": config.proxy_url or None}
        return response

    def handle_request(self, request):
        """Return the response to one decoded request."""
        command = request.get("command")
        if not isinstance(command, str):
            return protocol.error_response(protocol.INVALID_REQUEST,
                                           "missing \"command\" string in the request")
        if command == "status":
            response = self.status()
        elif command == "version":
            response = {"version": self.version}
        elif command == "ping":
            response = {"pid": os.getpid()}
        else:
            LOG.error("rejected unknown command %r", command)
            return protocol.error_response(protocol.UNKNOWN_COMMAND, "unknown command {!r}; "
                                           "supported: {}".format(command, ", ".join(COMMANDS)))
        response["ok"] = True
        response["command"] = command
        return response


def serve(daemon, flags, log_handler):
    """Run the accept loop until a stop signal arrives."""
    selector = selectors.DefaultSelector()
    selector.register(daemon.server, selectors.EVENT_READ, "client")
    selector.register(flags.wakeup_fd, selectors.EVENT_READ, "signal")
    try:
        while flags.stop_signal is None:
            for key, _ in selector.select(timeout=5.0):
                if key.data == "client":
                    daemon.server.accept()
                else:
                    flags.drain()
            if flags.take_reload() and flags.stop_signal is None:
                if log_handler is not None:
                    log_handler.reopen()
                LOG.info("SIGHUP received: reloading the configuration")
                daemon.load_config()
    finally:
        selector.close()


def build_parser():
    parser = argparse.ArgumentParser(
        prog="ampdaemon",
        description="Reference Secure Endpoint connector daemon: serves the control socket "
                    "that ampcli queries. Runs in the foreground; ampmon supervises it.",
        epilog="Exit status: 0 stopped by SIGTERM or SIGINT, 1 failed to start, "
               "2 invalid command line. SIGHUP reloads the configuration.")
    add_path_options(parser)
    parser.add_argument("--version", action="version", version="ampdaemon " + get_version())
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    paths = paths_from_args(args)
    flags = SignalFlags()
    log_handler, log_error = configure_logging(paths.log_dir, "ampdaemon",
                                               stderr_level=logging.WARNING)
    if log_error is not None:
        LOG.warning("cannot open the log file in %s: %s; logging to stderr only",
                    paths.log_dir, log_error)

    daemon = Daemon(paths, get_version())
    LOG.info("ampdaemon %s starting (pid %d, etc dir %s)", daemon.version, os.getpid(),
             paths.etc_dir)
    try:
        daemon.server.open()
    except (ServerError, OSError) as error:
        LOG.error("cannot serve control socket %s: %s", paths.socket_path, error)
        return EXIT_START_FAILED

    # Requests wait in the listen backlog until serve() runs, so no client sees
    # the daemon before its identity and configuration are loaded.
    try:
        daemon.prepare()
        serve(daemon, flags, log_handler)
    finally:
        daemon.cloud.stop()
        daemon.server.close()
    LOG.info("ampdaemon stopped by %s (pid %d)", signal_name(flags.stop_signal),
             os.getpid())
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
