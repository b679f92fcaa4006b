"""Actions behind the ampctl commands. Every action returns a result dict.

A result has ``changed`` (whether the host differs afterwards) and the
service state after the action, so callers such as the Ansible role can be
idempotent. Actions raise ActionFailed with a message that names the fix.
"""

import os
import shutil

from installer import faults, kmod, lifecycle_state, paths, service_ops
from installer.daemon_status import query_daemon_status
from installer.commands import run_command
from installer.initsys import base, detect_init, service_driver
from installer.kmod.procmodules import loaded_modules
from installer.kmod.sequence import MODULES
from installer.version import get_version

PACKAGE = "ciscoampconnector"


class ActionFailed(Exception):
    """An ampctl action could not be completed; the message names the cause and the fix."""


def _require_driver():
    driver = service_driver()
    if driver is None:
        raise ActionFailed("no running init system found (image build, chroot or container "
                           "without init); boot the host, then retry")
    return driver


def service_state(driver):
    if driver is None:
        return {"init": detect_init(), "service_active": False,
                "service_enabled": base.UNKNOWN, "updater_enabled": False}
    return driver.describe()


def status():
    """Return the state ``ampctl status --json`` prints."""
    driver = service_driver()
    state = lifecycle_state.load_state()
    config = kmod.load_config()
    loaded = loaded_modules(config.modules_file)
    result = {"version": get_version()}
    result.update(service_state(driver))
    result["pending"] = state.get("pending")
    result["modules"] = None if loaded is None else {name: name in loaded for name in MODULES}
    # The running daemon reports the installer's faults and its own (such as an
    # invalid amp.conf); without a daemon, the installer's file is all there is.
    daemon = query_daemon_status()
    result["faults"] = daemon["faults"] if daemon else faults.read_faults()
    result["daemon_responding"] = daemon is not None
    return result


def _finish(before, driver, extra=None):
    after = service_state(driver)
    result = {"changed": before != after}
    result.update(after)
    if extra:
        result.update(extra)
    return result


def enable(log, start=True):
    driver = _require_driver()
    before = service_state(driver)
    _reject_masked(before)
    if before["service_enabled"] == base.NOT_INSTALLED:
        raise ActionFailed("the init files are not installed; run: ampctl repair")
    if before["service_enabled"] != base.ENABLED:
        driver.enable()
        log.info("{0} enabled".format(paths.SERVICE_NAME))
    if driver.set_updater_enabled(True):
        log.info("updater enabled")
    if start and not driver.is_active():
        service_ops.start_service(log, driver)
    return _finish(before, driver)


def disable(log):
    driver = _require_driver()
    before = service_state(driver)
    if driver.is_active():
        service_ops.stop_service(log, driver)
    if before["service_enabled"] == base.ENABLED:
        driver.disable()
        log.info("{0} disabled".format(paths.SERVICE_NAME))
    if driver.set_updater_enabled(False):
        log.info("updater disabled")
    return _finish(before, driver)


def _reject_masked(state):
    if state["service_enabled"] == base.MASKED:
        raise ActionFailed("{0} is masked; unmask it first with: systemctl unmask {0}".format(
            paths.SERVICE_NAME))


def start(log):
    driver = _require_driver()
    before = service_state(driver)
    _reject_masked(before)
    if not driver.is_active():
        service_ops.start_service(log, driver)
    return _finish(before, driver)


def restart(log):
    """Stop the service if it runs, then start it, so the daemon rereads amp.conf."""
    driver = _require_driver()
    before = service_state(driver)
    _reject_masked(before)
    if driver.is_active():
        service_ops.stop_service(log, driver)
    service_ops.start_service(log, driver)
    result = _finish(before, driver)
    result["changed"] = True
    return result


def stop(log):
    driver = _require_driver()
    before = service_state(driver)
    if driver.is_active():
        service_ops.stop_service(log, driver)
    return _finish(before, driver)


def repair(log):
    """Finish an interrupted install and bring the service to its intended state."""
    from installer.scriptlets.steps import complete_install

    driver = service_driver()
    before = service_state(driver)
    pending = lifecycle_state.load_state().get("pending")
    if pending:
        log.info("completing the interrupted {0} step of version {1}".format(
            pending.get("step"), pending.get("version")))
    driver = complete_install(log)
    if driver is not None and driver.enablement() == base.ENABLED and not driver.is_active():
        service_ops.start_service(log, driver)
    return _finish(before, driver, {"pending_before": pending})


def installed_by():
    """Return "rpm" or "deb" for the package manager that has the package, or None."""
    if shutil.which("rpm"):
        status, _output = run_command(("rpm", "-q", PACKAGE), check=False)
        if status == 0:
            return "rpm"
    if shutil.which("dpkg-query"):
        status, output = run_command(("dpkg-query", "-W", "-f=${db:Status-Status}", PACKAGE),
                                     check=False)
        if status == 0 and output.strip() not in ("", "not-installed"):
            return "deb"
    return None


def stop_and_unload(log):
    """First half of purge, under the lifecycle lock: stop, disable, unload modules."""
    from installer.scriptlets.steps import post_remove

    driver = service_driver()
    before = service_state(driver)
    if driver is not None and driver.is_installed():
        if driver.is_active():
            service_ops.stop_service(log, driver)
        if driver.enablement() == base.ENABLED:
            driver.disable()
    service_ops.unload_modules(log)
    manager = installed_by()
    if manager is None:
        post_remove(log, None)
    return before, manager


def remove_package(log, manager):
    """Second half of purge, without the lock: the package's own scriptlets take it."""
    argv = ("rpm", "-e", PACKAGE) if manager == "rpm" else ("dpkg", "--purge", PACKAGE)
    log.info("removing the package: {0}".format(" ".join(argv)))
    run_command(argv)


def wipe_state(log):
    from installer.scriptlets.steps import purge_state

    return purge_state(log)


def existing_state():
    """Return the state directories that purge deletes and that exist now."""
    from installer.scriptlets.steps import PURGED_PATHS

    return [path for path in PURGED_PATHS if os.path.isdir(path)]
