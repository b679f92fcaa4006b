"""One updater run: finish an interrupted update, then update within policy.

Every decision is logged with its reason: what was checked, what was found,
what was done, and why a step was skipped.
"""

import logging
import os
import shutil

from installer.updater.health import connector_healthy
from installer.updater.packages import PackageManagerError, detect_package_manager
from installer.updater.state import STATE_DIR, UpdaterState
from installer.updater.versions import choose_target

LOG = logging.getLogger(__name__)
KEPT_DIR = os.path.join(STATE_DIR, "kept")


class UpdateOutcome(object):
    """Outcome of a run: ``result`` is up-to-date, skipped, updated, rolled-back or failed."""

    def __init__(self, result, detail, version=None):
        self.result = result
        self.detail = detail
        self.version = version

    def __repr__(self):
        return "UpdateOutcome({0!r}, {1!r})".format(self.result, self.detail)


def service_is_active():
    from installer.initsys import service_driver
    driver = service_driver()
    return driver is not None and driver.is_active()


def restore_service(was_active):
    """Put the service back in the state it had before the update."""
    from installer.initsys import service_driver
    driver = service_driver()
    if driver is None:
        return
    if was_active and not driver.is_active():
        driver.start()
    elif not was_active and driver.is_active():
        driver.stop()


def keep_aside(manager, version):
    """Download the installed version's package, for a rollback; return its path."""
    if os.path.isdir(KEPT_DIR):
        shutil.rmtree(KEPT_DIR)
    os.makedirs(KEPT_DIR, mode=0o700)
    return manager.download(version, KEPT_DIR)


def roll_back(manager, state, reason, health_timeout):
    transaction = state.transaction
    LOG.error("update to %s failed: %s; rolling back to %s", transaction["to"], reason,
              transaction["from"])
    manager.install_file(transaction["kept_package"])
    restore_service(transaction["service_active"])
    state.finish(failed_version=transaction["to"])
    LOG.warning("rolled back to %s; %s will not be tried again until a newer version appears",
                transaction["from"], transaction["to"])
    if transaction["service_active"]:
        check_restored(transaction["from"], health_timeout)
    return UpdateOutcome("rolled-back", reason, transaction["from"])


def check_restored(version, health_timeout):
    """Poll ampcli status after a rollback and log whether the restored version responds."""
    healthy, output = connector_healthy(health_timeout)
    if healthy:
        LOG.info("connector %s is healthy again after the rollback", version)
    else:
        LOG.error("connector %s did not respond to ampcli status within %g s after the rollback: "
                  "%s; see /var/log/cisco/ampdaemon.log", version, health_timeout, output)


def verify_or_roll_back(manager, state, health_timeout):
    """Check the update recorded in ``state`` and commit it or roll it back."""
    transaction = state.transaction
    state.set_phase("verifying")
    installed = manager.installed_version()
    if installed is None or installed.split("-")[0] != transaction["to"].split("-")[0]:
        return roll_back(manager, state, "installed version is {0}, expected {1}".format(
            installed, transaction["to"]), health_timeout)
    if transaction["service_active"]:
        healthy, output = connector_healthy(health_timeout)
        if not healthy:
            return roll_back(manager, state, "ampcli status did not succeed within {0:g} s: "
                             "{1}".format(health_timeout, output), health_timeout)
        LOG.info("connector %s is healthy", transaction["to"])
    else:
        # NOTE: a stopped service cannot prove its health; the update counts
        # as done once the package is installed, and the service stays stopped.
        LOG.info("service was stopped before the update; not starting it to check health")
    restore_service(transaction["service_active"])
    state.finish()
    LOG.info("updated from %s to %s", transaction["from"], transaction["to"])
    return UpdateOutcome("updated", "from {0}".format(transaction["from"]), transaction["to"])


def resume_interrupted(manager, state, health_timeout):
    transaction = state.transaction
    LOG.warning("found an update from %s to %s interrupted in phase %s; finishing it",
                transaction["from"], transaction["to"], transaction["phase"])
    return verify_or_roll_back(manager, state, health_timeout)


def update_connector(settings, manager=None, state=None):
    """Run the connector part of the updater; return an UpdateOutcome."""
    manager = manager or detect_package_manager()
    if manager is None:
        return UpdateOutcome("skipped", "ciscoampconnector is not installed by a known "
                             "package manager")
    state = state or UpdaterState.load()
    if state.load_error:
        LOG.warning("%s; starting with an empty state", state.load_error)
    if state.transaction:
        return resume_interrupted(manager, state, settings.health_timeout)
    if not settings.enabled:
        return UpdateOutcome("skipped", "updates are disabled in updater.conf")
    if manager.is_held():
        return UpdateOutcome("skipped", "the package is held; release the hold to allow updates")

    installed = manager.installed_version()
    LOG.info("installed version %s; asking %s for newer versions", installed, manager.name)
    available = manager.available_versions()
    LOG.info("repository offers: %s", ", ".join(available) or "nothing")
    target, reason = choose_target(installed, available, settings, state.failed_versions)
    if target is None:
        return UpdateOutcome("up-to-date", reason, installed)

    LOG.info("%s; keeping %s aside for a rollback", reason, installed)
    try:
        kept = keep_aside(manager, installed)
    except (PackageManagerError, OSError) as error:
        return UpdateOutcome("failed", "cannot keep {0} aside, so not updating: {1}".format(
            installed, error))
    state.begin(installed, target, kept, service_is_active())
    try:
        manager.install(target)
    except PackageManagerError as error:
        LOG.error("installing %s failed: %s", target, error)
    return verify_or_roll_back(manager, state, settings.health_timeout)
