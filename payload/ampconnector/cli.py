"""ampcli: queries the connector daemon over its control socket.

Exit statuses:
    0  the command succeeded (for status: the daemon responded)
    1  the daemon is not reachable: no socket, connection refused, permission denied, timeout
    2  invalid command line
    3  the daemon returned an error or an invalid response
    130  interrupted (Ctrl-C)
"""

import argparse
import errno
import json
import logging
import math
import os
import socket
import sys

from ampconnector import protocol
from ampconnector.logfiles import configure_logging
from ampconnector.paths import add_path_options, paths_from_args
from ampconnector.status import format_status_lines
from ampconnector.version import get_version

LOG = logging.getLogger("ampcli")

EXIT_OK = 0
EXIT_NOT_RUNNING = 1
EXIT_USAGE = 2  # argparse exits with this status on an invalid command line
EXIT_BAD_RESPONSE = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it

DEFAULT_TIMEOUT = 10.0
START_HINT = ("is the connector running? Start it with 'systemctl start cisco-amp' "
              "(on upstart hosts such as RHEL 6: 'initctl start cisco-amp')")


def describe_connect_error(socket_path, error, timeout, log_dir):
    """Return a one-line message for an error reaching the socket, naming the fix."""
    if isinstance(error, socket.timeout):
        return "timed out after {:g} s waiting for the connector at {}; check {}".format(
            timeout, socket_path, os.path.join(log_dir, "ampdaemon.log"))
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied on {}; run ampcli as root, e.g. 'sudo ampcli status'".format(
            socket_path)
    if error.errno == errno.ENOENT:
        reason = "socket not found"
    elif error.errno == errno.ECONNREFUSED:
        reason = "connection refused"
    else:
        reason = error.strerror or str(error)
    return "cannot connect to the connector at {} ({}); {}".format(socket_path, reason, START_HINT)


def run_status(socket_path, timeout, as_json, log_dir):
    print("Trying to connect...")
    sys.stdout.flush()
    try:
        response = protocol.send_request(socket_path, {"command": "status"}, timeout)
    except OSError as error:
        message = describe_connect_error(socket_path, error, timeout, log_dir)
        LOG.error("status failed: %s", message)
        print("ampcli: " + message, file=sys.stderr)
        return EXIT_NOT_RUNNING
    except protocol.ProtocolError as error:
        LOG.error("status failed: invalid response from %s: %s", socket_path, error)
        print("ampcli: invalid response from the connector at {}: {}".format(socket_path, error),
              file=sys.stderr)
        return EXIT_BAD_RESPONSE
    if not response.get("ok"):
        message = response.get("message") or response.get("error") or "no error message"
        LOG.error("status failed: the connector returned an error: %s", message)
        print("ampcli: the connector returned an error: {}".format(message), file=sys.stderr)
        return EXIT_BAD_RESPONSE

    print("Connected.")
    if as_json:
        print(json.dumps(response, indent=2, sort_keys=True))
    else:
        for line in format_status_lines(response):
            print(line)
    LOG.info("status: %s, mode %s, daemon pid %s", response.get("status"),
             response.get("mode"), response.get("pid"))
    return EXIT_OK


def _timeout_seconds(text):
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError("expected a number of seconds > 0, got {!r}".format(text))
    return value


def build_parser():
    parser = argparse.ArgumentParser(
        prog="ampcli",
        description="Query the Secure Endpoint connector daemon.",
        epilog="commands:\n"
               "  status   print the connector's status as 'Key: value' lines\n"
               "  version  print the version of ampcli\n\n"
               "exit status: 0 success, 1 connector not reachable, 2 invalid command line,\n"
               "3 the connector returned an error or an invalid response",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("status", "version"), help="command to run")
    add_path_options(parser, state=False)
    parser.add_argument(
        "--timeout", type=_timeout_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
        help="time to wait for the daemon (default: %(default)s)")
    parser.add_argument(
        "--json", action="store_true", help="status: print the daemon's response as JSON")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    paths = paths_from_args(args)
    # A user who cannot write the log directory still gets the command's output,
    # and the NullHandler keeps logging's last-resort handler off stderr.
    handler, _ = configure_logging(paths.log_dir, "ampcli")
    if handler is None:
        logging.getLogger().addHandler(logging.NullHandler())

    if args.command == "version":
        print("ampcli " + get_version())
        return EXIT_OK
    try:
        return run_status(paths.socket_path, args.timeout, args.json, paths.log_dir)
    except KeyboardInterrupt:
        print("ampcli: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
