"""Service operations shared by the scriptlets and ``ampctl``.

Each function takes the step log and an init-system driver, logs what it
does and raises CommandError or OSError when a command fails, so the caller
decides whether that fails a package transaction.
"""

import os

from installer import kmod, lifecycle_state, paths
from installer.initsys import base, remove_foreign_init_files
from installer.initsys.unitfiles import copy_default


def prepare_state_dirs():
    """Create the state and log directories and the default configuration if missing."""
    os.makedirs(paths.AMP_ETC, mode=0o750, exist_ok=True)
    os.makedirs(paths.LOG_DIR, mode=0o755, exist_ok=True)
    os.makedirs(paths.STATE_DIR, mode=0o755, exist_ok=True)
    copy_default(paths.DEFAULT_CONFIG, paths.CONFIG_FILE, 0o640)
    copy_default(paths.DEFAULT_UPDATER_CONFIG, paths.UPDATER_CONFIG, 0o640)


def install_init_files(log, driver):
    """Install the driver's files and delete those of other init systems."""
    for path in remove_foreign_init_files(driver.name):
        log.info("removed {0}, which belongs to another init system".format(path))
    for path in driver.install():
        log.info("installed {0}".format(path))


def load_modules(log, context):
    from installer.locking import LifecycleLock
    with LifecycleLock(paths.KMOD_LOCK):
        return kmod.load_modules(log, kmod.load_config(), context=context)


def unload_modules(log):
    from installer.locking import LifecycleLock
    with LifecycleLock(paths.KMOD_LOCK):
        return kmod.unload_modules(log, kmod.load_config())


def start_service(log, driver):
    """Start the service unless policy-rc.d forbids it; return True if started."""
    if not base.runtime_actions_allowed("start"):
        log.warning("policy-rc.d forbids starting services; {0} was not started. Start it "
                    "later with: ampctl start".format(paths.SERVICE_NAME))
        return False
    log.info("starting connector")
    driver.start()
    log.info("connector started")
    return True


def stop_service(log, driver):
    if not base.runtime_actions_allowed("stop"):
        log.warning("policy-rc.d forbids stopping services; {0} was left as it is".format(
            paths.SERVICE_NAME))
        return False
    log.info("stopping connector")
    driver.stop()
    log.info("connector stopped")
    return True


def save_service_state(driver):
    """Remember enablement and activity before a removal (see lifecycle_state)."""
    lifecycle_state.update_state(service={"enabled": driver.enablement(),
                                          "active": bool(driver.is_active()),
                                          "updater_enabled": driver.updater_enabled()})


def bring_up(log, driver, first_time):
    """Enable and start on a first install; on an upgrade keep the admin's choices.

    A first install (or a reinstall after removal) enables the service unless
    the state saved at removal records that the admin had disabled it. A masked unit is never
    enabled or started. An upgrade restarts the service only if it runs.
    """
    enablement = driver.enablement()
    if enablement == base.MASKED:
        log.warning("{0} is masked; it was not enabled or started. Unmask it and run "
                    "ampctl enable to use it".format(paths.SERVICE_NAME))
        return
    if not first_time:
        if not base.runtime_actions_allowed("restart"):
            log.warning("policy-rc.d forbids restarting services; the connector keeps running "
                        "the old version until it is restarted")
            return
        restarted = driver.restart_if_running()
        log.info("connector {0} (enablement {1})".format(
            "restarted" if restarted else "not running, so not restarted", enablement))
        return
    saved = lifecycle_state.load_state().get("service") or {}
    if saved.get("enabled") == base.DISABLED:
        # Fresh init files may come enabled (an upstart job, a runnable cron
        # file), so put them back into the disabled state explicitly.
        driver.disable()
        driver.set_updater_enabled(bool(saved.get("updater_enabled", False)))
        log.info("{0} was disabled before removal; it stays disabled".format(paths.SERVICE_NAME))
        return
    driver.enable()
    driver.set_updater_enabled(saved.get("updater_enabled", True))
    log.info("{0} enabled".format(paths.SERVICE_NAME))
    start_service(log, driver)
