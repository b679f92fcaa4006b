"""Host steps of each lifecycle transition, written once for RPM and DEB.

| hook         | kind    | step                                                        |
|--------------|---------|-------------------------------------------------------------|
| pre-install  | install | preflight checks                                            |
| pre-install  | upgrade | preflight checks                                            |
| post-install | install | files, modules, enable (unless disabled before), start      |
| post-install | upgrade | files, modules, restart only if running; enablement kept    |
| post-install | abort   | restore files and the service state saved before removal    |
| pre-remove   | remove  | save service state, stop, disable, unload modules           |
| post-remove  | remove  | delete the init files; state under /opt/cisco/amp/etc stays |
| post-remove  | purge   | as remove, then delete state, logs and lifecycle records    |
| any other    |         | nothing                                                     |

RPM runs the old package's preun and postun after the new package's post
during an upgrade, so the upgrade kind of the removal hooks must do nothing.
"""

import os
import shutil

from installer import lifecycle_state, paths, service_ops
from installer.commands import CommandError
from installer.checks import run_checks
from installer.checks.model import FAIL, UNKNOWN, WARN, HostContext
from installer.i18n import _, language, requested_language
from installer.initsys import offline_driver, service_driver
from installer.kmod.sequence import POST_INSTALL as KMOD_POST_INSTALL
from installer.locking import LockTimeout
from installer.scriptlets import lifecycle
from installer.version import get_version

PENDING_POST_INSTALL = "post-install"
PURGED_PATHS = (paths.AMP_ETC, paths.LOG_DIR, paths.STATE_DIR)


class StepFailed(Exception):
    """A step that must stop the package transaction; the message names the cause and the fix.

    ``screen`` is the same message in the locale's language, for stderr.
    """

    def __init__(self, message, screen=None):
        super(StepFailed, self).__init__(message)
        self.screen = screen


def preflight_ignore_list(environ=None):
    """Return the checks the admin asked the pre-install step to ignore.

    ``CISCO_AMP_PREFLIGHT_IGNORE=disk,os`` (or ``all``) lets an admin install
    on a host that fails those checks, as ``amp-preflight --ignore`` does.
    """
    environ = os.environ if environ is None else environ
    value = environ.get("CISCO_AMP_PREFLIGHT_IGNORE", "")
    return [name.strip() for name in value.split(",") if name.strip()]


def run_preflight(log, transition):
    """Run the checks in English for the logs; print findings in the locale's language."""
    ctx = HostContext(package_format=transition.package_format)
    ignore = preflight_ignore_list()
    results = run_checks(ctx, ignore=ignore)
    localized = results_on_screen(ctx, results, ignore)
    for result in results:
        line = "preflight {0}: {1}: {2}".format(result.name, result.status, result.message)
        if result.status in (WARN, UNKNOWN):
            log.warning(line, screen="{0}: {1}".format(result.name, localized[result.name].message))
        else:
            log.info(line)
    failed = [result for result in results if result.status == FAIL]
    if failed:
        with language(requested_language()):
            screen = preflight_failure_message([localized[result.name] for result in failed])
        raise StepFailed(preflight_failure_message(failed), screen=screen)


def results_on_screen(ctx, results, ignore):
    """Return the results to print, by check name.

    The checks that did not pass run again in the locale's language, unless it
    is English, since a check's message is translated when the check runs.
    """
    localized = dict((result.name, result) for result in results)
    code = requested_language()
    names = [result.name for result in results if result.status in (FAIL, WARN, UNKNOWN)]
    if code is None or not names:
        return localized
    with language(code):
        localized.update((result.name, result) for result in run_checks(ctx, names=names,
                                                                    ignore=ignore))
    return localized


def preflight_failure_message(failed):
    """Return the message that stops an install, naming each failed check and its fix."""
    lines = [_("preflight check {name} failed: {message} Fix: {fix}").format(
        name=result.name, message=result.message, fix=result.fix) for result in failed]
    names = ",".join(result.name for result in failed)
    return "\n  ".join(
        [_("the host cannot take the connector")] + lines
        + [_("To install anyway, set CISCO_AMP_PREFLIGHT_IGNORE={names}").format(names=names)])


def complete_install(log, first_time=None):
    """Do the post-install work; ``ampctl repair`` runs it too.

    The pending mark is written first and cleared last, so a step that is
    killed or fails leaves a record that repair and the next install finish.
    Returns the driver, or None when no init system runs.
    """
    version = get_version()
    interrupted = lifecycle_state.load_state().get("pending") or {}
    driver = service_driver()
    if first_time is None:
        # An interrupted first install stays a first install until it completes.
        first_time = bool(interrupted.get("first_time")) or (
            driver is not None and not driver.is_installed())
    lifecycle_state.mark_pending(PENDING_POST_INSTALL, version, first_time)
    service_ops.prepare_state_dirs()
    if driver is None:
        install_offline(log)
        lifecycle_state.mark_done(version)
        return None
    service_ops.install_init_files(log, driver)
    service_ops.load_modules(log, KMOD_POST_INSTALL)
    service_ops.bring_up(log, driver, first_time)
    lifecycle_state.mark_done(version)
    return driver


def install_offline(log):
    """Install and enable the init files of the installed init system, start nothing.

    This is the image-build and chroot case: the service starts at the next
    boot. A disabled service saved before a removal stays disabled.
    """
    driver = offline_driver()
    if driver is None:
        log.warning("no running or installed init system found; files installed, the "
                    "connector was not enabled or started")
        return
    first_time = not driver.is_installed()
    service_ops.install_init_files(log, driver)
    saved = lifecycle_state.load_state().get("service") or {}
    if first_time and saved.get("enabled") != "disabled":
        try:
            driver.enable()
            driver.set_updater_enabled(True)
        except (CommandError, OSError) as error:
            log.warning("cannot enable {0} without a running init system: {1}".format(
                paths.SERVICE_NAME, error))
    log.warning("no running init system found ({0} installed); {1} was installed for the next "
                "boot but not started".format(driver.name, paths.SERVICE_NAME))


def post_install(log, transition):
    try:
        complete_install(log)
    except (CommandError, OSError, LockTimeout) as error:
        raise StepFailed("{0}. Fix the cause, then run: ampctl repair (or, for the .deb, "
                         "dpkg --configure -a)".format(str(error).rstrip(". \n")))


def restore_after_abort(log, transition):
    """Undo a removal or upgrade that dpkg rolled back: files and saved service state.

    An aborted upgrade only needs the init files back, because the upgrade
    hooks of the old package stopped and disabled nothing.
    """
    driver = service_driver()
    if driver is None:
        return
    service_ops.install_init_files(log, driver)
    if transition.argument == "abort-upgrade":
        return
    saved = lifecycle_state.load_state().get("service") or {}
    if saved.get("enabled") == "enabled" and driver.enablement() != "enabled":
        driver.enable()
        log.info("{0} enabled again".format(paths.SERVICE_NAME))
    if saved.get("active", True) and driver.enablement() == "enabled" and not driver.is_active():
        service_ops.start_service(log, driver)


def pre_remove(log, transition):
    driver = service_driver()
    if driver is None:
        # No running init system: nothing to stop, but enablement links go.
        driver = offline_driver()
        if driver is not None and driver.is_installed():
            service_ops.save_service_state(driver)
            driver.disable()
        service_ops.unload_modules(log)
        return
    if not driver.is_installed():
        service_ops.unload_modules(log)
        return
    service_ops.save_service_state(driver)
    service_ops.stop_service(log, driver)
    if driver.enablement() not in ("masked", "not-installed"):
        driver.disable()
    log.info("connector stopped and disabled")
    service_ops.unload_modules(log)


def post_remove(log, transition):
    driver = service_driver() or offline_driver()
    if driver is not None:
        for path in driver.uninstall():
            log.info("removed {0}".format(path))


def purge_state(log):
    """Delete state, logs and lifecycle records; return the deleted directories."""
    purged = []
    for path in PURGED_PATHS:
        if os.path.isdir(path):
            shutil.rmtree(path)
            log.info("purged {0}".format(path))
            purged.append(path)
    # The package owns /opt/cisco/amp and /opt/cisco, but the package manager
    # leaves them while etc/ is in them; delete them once empty.
    for directory in (paths.AMP_HOME, os.path.dirname(paths.AMP_HOME)):
        try:
            os.rmdir(directory)
        except OSError:
            pass
    return purged


def purge(log, transition):
    post_remove(log, transition)
    purge_state(log)


def nothing(log, transition):
    log.info("nothing to do for {0}".format(transition.kind))


# Steps by (hook, kind); a pair missing here does nothing.
STEPS = {
    (lifecycle.PRE_INSTALL, lifecycle.INSTALL): run_preflight,
    (lifecycle.PRE_INSTALL, lifecycle.UPGRADE): run_preflight,
    (lifecycle.POST_INSTALL, lifecycle.INSTALL): post_install,
    (lifecycle.POST_INSTALL, lifecycle.UPGRADE): post_install,
    (lifecycle.POST_INSTALL, lifecycle.ABORT): restore_after_abort,
    (lifecycle.PRE_REMOVE, lifecycle.REMOVE): pre_remove,
    (lifecycle.POST_REMOVE, lifecycle.REMOVE): post_remove,
    (lifecycle.POST_REMOVE, lifecycle.PURGE): purge,
}


def step_for(transition):
    return STEPS.get((transition.hook, transition.kind), nothing)
