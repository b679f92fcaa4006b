"""Default paths of the connector and the command-line options that override them."""

import os

DEFAULT_ETC_DIR = "/opt/cisco/amp/etc"
DEFAULT_LOG_DIR = "/var/log/cisco"
DEFAULT_SOCKET = "/var/run/sfampd"
CONFIG_NAME = "amp.conf"


class Paths(object):
    """File locations of one connector install; every derived path follows etc_dir."""

    def __init__(self, etc_dir=DEFAULT_ETC_DIR, log_dir=DEFAULT_LOG_DIR,
                 socket_path=DEFAULT_SOCKET, config_path=None):
        self.etc_dir = etc_dir
        self.log_dir = log_dir
        self.socket_path = socket_path
        self.config_path = config_path or os.path.join(etc_dir, CONFIG_NAME)

    @property
    def identity_path(self):
        return os.path.join(self.etc_dir, "identity.json")

    @property
    def faults_path(self):
        return os.path.join(self.etc_dir, "faults.json")

    @property
    def events_db(self):
        return os.path.join(self.etc_dir, "events.db")

    @property
    def quarantine_dir(self):
        return os.path.join(self.etc_dir, "quarantine")

    @property
    def quarantine_db(self):
        return os.path.join(self.quarantine_dir, "quarantine.db")

    @property
    def retrospective_db(self):
        return os.path.join(self.quarantine_dir, "retrospective.db")

    @property
    def cloud_query_cache(self):
        return os.path.join(self.etc_dir, "cloud_query.cache")

    def log_path(self, program):
        """Return the log file of a program, e.g. ``ampdaemon`` -> <log_dir>/ampdaemon.log."""
        return os.path.join(self.log_dir, program + ".log")


def add_path_options(parser, state=True):
    """Add --socket and --log-dir to an argparse parser, and with state, --etc-dir and --config."""
    parser.add_argument(
        "--socket", dest="socket_path", default=DEFAULT_SOCKET, metavar="PATH",
        help="control socket of ampdaemon (default: %(default)s)")
    parser.add_argument(
        "--log-dir", default=DEFAULT_LOG_DIR, metavar="DIR",
        help="directory of the log files (default: %(default)s)")
    if state:
        parser.add_argument(
            "--etc-dir", default=DEFAULT_ETC_DIR, metavar="DIR",
            help="state directory: identity, databases, faults.json (default: %(default)s)")
        parser.add_argument(
            "--config", dest="config_path", default=None, metavar="FILE",
            help="configuration file (default: <etc-dir>/" + CONFIG_NAME + ")")


def paths_from_args(args):
    """Build Paths from options added by add_path_options."""
    return Paths(
        etc_dir=getattr(args, "etc_dir", DEFAULT_ETC_DIR),
        log_dir=args.log_dir,
        socket_path=args.socket_path,
        config_path=getattr(args, "config_path", None),
    )


def path_arguments(paths):
    """Return the command-line options that give another program the same paths."""
    return [
        "--socket", paths.socket_path,
        "--log-dir", paths.log_dir,
        "--etc-dir", paths.etc_dir,
        "--config", paths.config_path,
    ]
