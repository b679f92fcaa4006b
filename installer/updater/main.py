"""``ampupdater``: the hourly job that updates the connector and its definitions.

Exit statuses: 0 done (updated, up to date or skipped), 1 an update was
rolled back or a step failed, 64 usage error, 75 another run holds the lock.
"""

import argparse
import fcntl
import logging
import logging.handlers
import os
import random
import sys
import time

from installer.updater.definitions import DefinitionsError, refresh_definitions
from installer.updater.packages import PackageManagerError
from installer.updater.run import update_connector
from installer.updater.settings import DEFAULT_PATH, SettingsError, load_settings

LOG = logging.getLogger("ampupdater")
LOG_FILE = "/var/log/cisco/ampupdater.log"
LOCK_FILE = "/var/run/cisco-ampupdater.lock"
SYSLOG_TAG = "cisco-ampupdater"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 64, 75


def configure_logging(log_file):
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    try:
        os.makedirs(os.path.dirname(log_file), mode=0o755, exist_ok=True)
        descriptor = os.open(log_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(descriptor, 0o600)
        handler = logging.StreamHandler(os.fdopen(descriptor, "a"))
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s: %(message)s"))
        root.addHandler(handler)
    except OSError as error:
        sys.stderr.write("ampupdater: cannot write {0}: {1}\n".format(log_file, error.strerror))
    if os.path.exists("/dev/log"):
        syslog = logging.handlers.SysLogHandler(address="/dev/log")
        syslog.setFormatter(logging.Formatter(SYSLOG_TAG + ": %(message)s"))
        root.addHandler(syslog)
    # On a terminal every step is printed. Under cron or systemd only warnings
    # and errors go to stderr, because the log file and syslog record the rest.
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.INFO if sys.stderr.isatty() else logging.WARNING)
    console.setFormatter(logging.Formatter("ampupdater: %(message)s"))
    root.addHandler(console)


def acquire_lock(path):
    """Return an open lock file held exclusively, or None when another run holds it."""
    handle = open(path, "a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


def build_parser():
    parser = argparse.ArgumentParser(prog="ampupdater",
                                     description="Update the connector and its ClamAV definitions.")
    parser.add_argument("command", nargs="?", default="run", choices=("run",),
                        help="run one update pass (the default)")
    parser.add_argument("--config", default=DEFAULT_PATH, help="settings file (default: %(default)s)")
    parser.add_argument("--no-delay", action="store_true",
                        help="skip the random delay that spreads a fleet's runs")
    parser.add_argument("--log-file", default=LOG_FILE, help="log file (default: %(default)s)")
    parser.add_argument("--lock-file", default=LOCK_FILE, help="lock file (default: %(default)s)")
    return parser


def run_once(settings):
    status = EXIT_OK
    try:
        outcome = update_connector(settings)
        LOG.info("connector update: %s (%s)", outcome.result, outcome.detail)
        if outcome.result in ("rolled-back", "failed"):
            status = EXIT_FAILED
    except PackageManagerError as error:
        LOG.error("connector update failed: %s", error)
        status = EXIT_FAILED
    if not settings.definitions_enabled:
        LOG.info("definitions refresh skipped: disabled in updater.conf")
    elif not settings.mirror:
        LOG.info("definitions refresh skipped: no [definitions] mirror configured")
    else:
        try:
            names = refresh_definitions(settings.mirror, settings.definitions_dir,
                                        settings.download_timeout, settings.proxy_url)
            LOG.info("definitions refreshed from %s: %s", settings.mirror, ", ".join(names))
        except (DefinitionsError, OSError) as error:
            LOG.error("definitions refresh failed, old definitions kept: %s", error)
            status = EXIT_FAILED
    return status


def main(argv=None):
    try:
        options = build_parser().parse_args(argv)
    except SystemExit as exit_request:
        return EXIT_USAGE if exit_request.code else EXIT_OK
    configure_logging(options.log_file)
    try:
        settings = load_settings(options.config)
    except SettingsError as error:
        LOG.error("%s", error)
        return EXIT_FAILED
    lock = acquire_lock(options.lock_file)
    if lock is None:
        LOG.warning("another ampupdater run holds %s; exiting", options.lock_file)
        return EXIT_LOCKED
    try:
        if not options.no_delay and settings.random_delay > 0:
            delay = random.uniform(0, settings.random_delay)
            LOG.info("waiting %.0f s (random delay up to %.0f s) before contacting the repository",
                     delay, settings.random_delay)
            time.sleep(delay)
        LOG.info("updater run started")
        status = run_once(settings)
        LOG.info("updater run finished with status %d", status)
        return status
    finally:
        lock.close()


if __name__ == "__main__":
    sys.exit(main())
