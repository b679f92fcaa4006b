"""What each lifecycle transition does on the host, written once for RPM and DEB."""

import os

from installer import paths
from installer.checks import run_checks
from installer.checks.model import FAIL, HostContext
from installer.initsys import service_driver
from installer.initsys.unitfiles import copy_default
from installer.scriptlets import lifecycle


class StepFailed(Exception):
    """A step that must stop the package transaction; the message says why and the fix."""


def preflight_ignore_list(environ=None):
    """Return the checks the admin asked the pre-install step to ignore.

    ``CISCO_AMP_PREFLIGHT_IGNORE=disk,os`` (or ``all``) lets an admin install
    on a host that fails those checks, as ``amp-preflight --ignore`` does.
    """
    environ = os.environ if environ is None else environ
    value = environ.get("CISCO_AMP_PREFLIGHT_IGNORE", "")
    return [name.strip() for name in value.split(",") if name.strip()]


def run_preflight(log, transition):
    ctx = HostContext(package_format=transition.package_format)
    results = run_checks(ctx, ignore=preflight_ignore_list())
    failed = [result for result in results if result.status == FAIL]
    for result in results:
        log.info("preflight {0}: {1}: {2}".format(result.name, result.status, result.message))
        if result.status != FAIL and result.status != "pass":
            log.warning("{0}: {1}".format(result.name, result.message))
    if failed:
        lines = ["preflight check {0} failed: {1} Fix: {2}".format(
            result.name, result.message, result.fix) for result in failed]
        raise StepFailed("the host cannot take the connector.\n  " + "\n  ".join(lines)
                         + "\n  To install anyway, set CISCO_AMP_PREFLIGHT_IGNORE="
                         + ",".join(result.name for result in failed))


def prepare_state_dirs():
    """Create the state and log directories and the default configuration if missing."""
    os.makedirs(paths.AMP_ETC, mode=0o750, exist_ok=True)
    os.makedirs(paths.LOG_DIR, mode=0o755, exist_ok=True)
    copy_default(paths.DEFAULT_CONFIG, paths.CONFIG_FILE, 0o640)


def post_install(log, transition):
    prepare_state_dirs()
    driver = service_driver()
    if driver is None:
        log.warning("no running init system found; files installed, the connector "
                    "was not enabled or started")
        return
    first_time = not driver.is_installed()
    driver.install()
    if first_time:
        # A first install, or a reinstall after remove: enable and start.
        driver.enable()
        log.info("starting connector")
        driver.start()
        log.info("connector started")
    else:
        # An upgrade keeps the admin's choices: enablement is left alone and
        # the service restarts only if it was running.
        driver.restart_if_running()
        log.info("connector restarted if it was running (enablement {0})".format(
            driver.enablement()))


def pre_remove(log, transition):
    driver = service_driver()
    if driver is None or not driver.is_installed():
        return
    log.info("stopping connector")
    driver.stop()
    driver.disable()
    log.info("connector stopped and disabled")


def post_remove(log, transition):
    driver = service_driver()
    if driver is not None:
        for path in driver.uninstall():
            log.info("removed {0}".format(path))


def purge(log, transition):
    post_remove(log, transition)
    import shutil
    for path in (paths.AMP_ETC, paths.LOG_DIR):
        if os.path.isdir(path):
            shutil.rmtree(path)
            log.info("purged {0}".format(path))


def nothing(log, transition):
    log.info("nothing to do for {0}".format(transition.kind))


# Steps by (hook, kind); a pair missing here does nothing. During an upgrade
# the old package's removal hooks must not stop, disable or delete anything.
STEPS = {
    (lifecycle.PRE_INSTALL, lifecycle.INSTALL): run_preflight,
    (lifecycle.PRE_INSTALL, lifecycle.UPGRADE): run_preflight,
    (lifecycle.POST_INSTALL, lifecycle.INSTALL): post_install,
    (lifecycle.POST_INSTALL, lifecycle.UPGRADE): post_install,
    (lifecycle.PRE_REMOVE, lifecycle.REMOVE): pre_remove,
    (lifecycle.POST_REMOVE, lifecycle.REMOVE): post_remove,
    (lifecycle.POST_REMOVE, lifecycle.PURGE): purge,
}


def step_for(transition):
    return STEPS.get((transition.hook, transition.kind), nothing)
