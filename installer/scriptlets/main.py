"""Entry point of every scriptlet: decode the arguments, lock, log, run the step."""

import sys

from installer.commands import CommandError
from installer.i18n import _, language, requested_language, set_language
from installer.locking import LifecycleLock, LockTimeout
from installer.scriptlets import lifecycle
from installer.scriptlets.steps import StepFailed, step_for
from installer.steplog import StepLog

DECODERS = {"rpm": lifecycle.from_rpm, "deb": lifecycle.from_deb}


def run(package_format, script, args):
    """Run one scriptlet; return the exit status the package manager should see."""
    # Logs stay English; only what is printed follows the locale.
    set_language(None)
    log = StepLog()
    try:
        try:
            transition = DECODERS[package_format](script, list(args))
        except lifecycle.LifecycleError as error:
            log.error(str(error))
            return 1
        log.info("starting {0}".format(transition.label))
        try:
            with LifecycleLock():
                step_for(transition)(log, transition)
        except (StepFailed, CommandError, OSError, LockTimeout) as error:
            with language(requested_language()):
                screen = _("{step} failed: {error}").format(
                    step=transition.label, error=getattr(error, "screen", None) or error)
            log.error("{0} failed: {1}".format(transition.label, error), screen=screen)
            return 1
        log.info("{0} {1} scriptlet done".format(package_format, script))
        return 0
    finally:
        log.close()


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 2 or argv[0] not in DECODERS:
        sys.stderr.write("usage: python3 -m installer.scriptlets rpm|deb SCRIPT [ARGS...]\n")
        return 64
    return run(argv[0], argv[1], argv[2:])
