"""Load the connector's modules in order, skip loaded ones, record failures as faults.

The log lines follow the vendor installer's transcript: the post-install
step logs ``skip installing redirfs since it is already installed``, the
init job's pre-start logs ``redirfs already loaded``, ``loading avflt``,
``avflt loaded`` and finally ``done``.
"""

from installer import faults, paths
from installer.kmod.loader import CommandLoader, LoadFailed
from installer.kmod.procmodules import loaded_modules

# Load order; each module needs the ones before it that it names here.
MODULES = ("redirfs", "avflt", "ampnetworkflow")
REQUIRES = {"avflt": ("redirfs",)}
PURPOSE = {
    "redirfs": "file monitoring",
    "avflt": "file monitoring",
    "ampnetworkflow": "network flow monitoring",
}

POST_INSTALL = "post-install"
PRE_START = "pre-start"


def fault_id(name):
    return "kmod_{0}_load_failed".format(name)


def _record_failure(name, reason, faults_file):
    message = ("kernel module {0} failed to load: {1}. {2} is off; the connector runs in "
               "degraded mode. Fix: check dmesg and that {0} matches the running kernel, then "
               "run ampctl repair.").format(name, reason, PURPOSE[name].capitalize())
    faults.set_fault(fault_id(name), message, faults_file)


def load_modules(log, config, context=PRE_START, faults_file=paths.FAULTS_FILE, loader=None):
    """Load every module not loaded yet; return {name: "loaded"|"already"|"failed"|"skipped"}.

    A load failure is logged and written to faults.json instead of raised, so
    the connector still starts. When the module state cannot be read, nothing
    is loaded and nothing is recorded, because "could not tell" is not a failure.
    """
    loader = CommandLoader(config) if loader is None else loader
    loaded = loaded_modules(config.modules_file)
    if loaded is None:
        # A skip, not a failure: containers and kernels without module support
        # have no modules file, and the preflight container check warns already.
        log.info("cannot read {0}: the kernel reports no loadable modules; skipping "
                 "redirfs, avflt and ampnetworkflow".format(config.modules_file))
        return {name: "skipped" for name in MODULES}
    results = {}
    for name in MODULES:
        missing = [needed for needed in REQUIRES.get(name, ()) if results.get(needed) == "failed"]
        if missing:
            log.error("not loading {0} because {1} failed to load".format(name, missing[0]))
            _record_failure(name, "{0} is not loaded".format(missing[0]), faults_file)
            results[name] = "failed"
            continue
        if name in loaded:
            if context == POST_INSTALL:
                log.info("skip installing {0} since it is already installed".format(name))
            else:
                log.info("{0} already loaded".format(name))
            faults.clear_fault(fault_id(name), faults_file)
            results[name] = "already"
            continue
        log.info("loading {0}".format(name))
        try:
            loader.load(name)
        except LoadFailed as error:
            log.error("loading {0} failed: {1}".format(name, error))
            _record_failure(name, str(error), faults_file)
            results[name] = "failed"
            continue
        log.info("{0} loaded".format(name))
        faults.clear_fault(fault_id(name), faults_file)
        results[name] = "loaded"
    log.info("done")
    return results


def unload_modules(log, config, loader=None, faults_file=paths.FAULTS_FILE):
    """Unload the loaded modules in reverse order; a failure is a warning.

    Returns the names unloaded. Their faults are cleared, since a removed
    connector reports nothing.
    """
    loader = CommandLoader(config) if loader is None else loader
    loaded = loaded_modules(config.modules_file)
    unloaded = []
    for name in reversed(MODULES):
        faults.clear_fault(fault_id(name), faults_file)
        if loaded is None or name not in loaded:
            continue
        log.info("unloading {0}".format(name))
        try:
            loader.unload(name)
        except LoadFailed as error:
            log.warning("unloading {0} failed: {1}; it stays loaded until reboot".format(
                name, error))
            continue
        log.info("{0} unloaded".format(name))
        unloaded.append(name)
    return unloaded
