"""Read the connector's state on a host: OS, package, files, rpm key, service and daemon.

Used by the cisco_amp_info module; every function only reads.
"""

import glob
import hashlib
import json
import os
import re
import stat
import subprocess
import sys
import time

from configparser import Error as ConfigError
from configparser import RawConfigParser

from ansible.module_utils.cisco_amp_openpgp import armored_key_version

PACKAGE = "ciscoampconnector"
FAMILIES = (
    ("Debian", ("debian", "ubuntu")),
    ("RedHat", ("rhel", "centos", "fedora", "rocky", "almalinux", "ol", "amzn")),
    ("Suse", ("sles", "suse", "opensuse")),
)
PACKAGE_MANAGERS = {"Debian": "apt", "RedHat": "dnf"}
DPKG_SELECTIONS = {"i": "install", "h": "hold", "r": "deinstall", "p": "purge", "u": "unknown"}
# dnf 4's versionlock plugin (python3-dnf-plugin-versionlock on RHEL 8 and 9,
# dnf-plugins-core on Debian) reads its lock list from the file this names.
VERSIONLOCK_CONF = "/etc/dnf/plugins/versionlock.conf"
VERSIONLOCK_LIST = "/etc/dnf/plugins/versionlock.list"
DNF_CONF = "/etc/dnf/dnf.conf"
# The directories dnf 4 loads plugins from, unless dnf.conf sets pluginpath.
DNF_PLUGIN_DIRS = ("/usr/lib/python3*/site-packages/dnf-plugins",
                   "/usr/lib/python3/dist-packages/dnf-plugins")
FALSE_WORDS = ("0", "false", "no", "off")
# A lock entry as "dnf versionlock add" writes it: name-[epoch:]version-release.arch glob.
LOCK_ENTRY = re.compile(r"^{0}-(?:[0-9]+:)?([^-:]+)-\S+$".format(PACKAGE))
# Seconds between two ampcli status tries while the daemon starts. Short, since
# the daemon is expected to open its socket soon after start (an estimate).
DAEMON_POLL_INTERVAL = 0.2


def read_os_release(path="/etc/os-release"):
    """Return the os-release fields the role reports; missing fields are ""."""
    fields = {}
    try:
        with open(path) as handle:
            for line in handle:
                name, sep, value = line.strip().partition("=")
                if sep and name and not name.startswith("#"):
                    fields[name] = value.strip().strip("\"'")
    except OSError:
        pass
    ids = [fields.get("ID", "")] + fields.get("ID_LIKE", "").split()
    family = next((name for name, known in FAMILIES if any(i in known for i in ids)), "unknown")
    return {
        "id": fields.get("ID", ""),
        "id_like": fields.get("ID_LIKE", ""),
        "version_id": fields.get("VERSION_ID", ""),
        "name": fields.get("NAME", ""),
        "family": family,
    }


def parse_dpkg_status(output):
    """Parse "${db:Status-Abbrev} ${Version}" into (version, selection, config_files_left)."""
    abbrev, _, version = output.partition(" ")
    abbrev = (abbrev + "  ")[:2]
    selection = DPKG_SELECTIONS.get(abbrev[0], "unknown")
    if abbrev[1] == "i":
        return version.strip(), selection, False
    return "", selection, abbrev[1] == "c"


def read_package(module, manager):
    if manager == "apt":
        rc, out, _err = module.run_command(
            ["dpkg-query", "--show", "--showformat=${db:Status-Abbrev} ${Version}", PACKAGE])
        if rc != 0:
            return {"version": "", "selection": "", "config_files_left": False}
        version, selection, left = parse_dpkg_status(out)
        return {"version": version, "selection": selection, "config_files_left": left}
    if manager == "dnf":
        rc, out, _err = module.run_command(["rpm", "--query", "--queryformat", "%{VERSION}", PACKAGE])
        problem, locked = read_dnf_locks()
        return {"version": out.strip() if rc == 0 else "", "selection": "hold" if locked else "",
                "config_files_left": False, "versionlock_problem": problem, "locked_versions": locked}
    return {"version": "", "selection": "", "config_files_left": False}


def read_config(path):
    """Return (parser, problem): the parsed ``path``, or None and why it could not be read."""
    parser = RawConfigParser()
    try:
        if parser.read(path):
            return parser, ""
        return None, "{0} is missing".format(path)
    except ConfigError as error:
        return None, "{0} is invalid: {1}".format(path, error)


def option(parser, name, default=""):
    if parser.has_option("main", name):
        return parser.get("main", name).strip()
    return default


def versionlock_problem(conf_path=VERSIONLOCK_CONF, dnf_conf_path=DNF_CONF):
    """Return why dnf cannot use its versionlock plugin ("" when it can), and the lock list path."""
    conf, problem = read_config(conf_path)
    if problem:
        return problem, ""
    if option(conf, "enabled", "1").lower() in FALSE_WORDS:
        return "the plugin is disabled in {0} (enabled = {1})".format(
            conf_path, option(conf, "enabled")), ""
    # dnf.conf matters here only for plugins and pluginpath; without it the defaults apply.
    dnf_conf, _problem = read_config(dnf_conf_path)
    plugin_dirs = list(DNF_PLUGIN_DIRS)
    if dnf_conf is not None:
        if option(dnf_conf, "plugins", "1").lower() in FALSE_WORDS:
            return "dnf plugins are off in {0} (plugins = {1})".format(
                dnf_conf_path, option(dnf_conf, "plugins")), ""
        plugin_dirs = option(dnf_conf, "pluginpath").replace(",", " ").split() or plugin_dirs
    if not any(glob.glob(os.path.join(pattern, "versionlock.py")) for pattern in plugin_dirs):
        return "versionlock.py was not found in {0}".format(", ".join(plugin_dirs)), ""
    return "", option(conf, "locklist") or VERSIONLOCK_LIST


def read_dnf_locks(conf_path=VERSIONLOCK_CONF, dnf_conf_path=DNF_CONF):
    """Return why the versionlock plugin is unusable ("" when usable) and the versions it locks."""
    problem, list_path = versionlock_problem(conf_path, dnf_conf_path)
    if problem:
        return problem, []
    try:
        with open(list_path) as handle:
            entries = [line.strip() for line in handle]
    except OSError:
        return "", []
    return "", parse_lock_entries(entries)


def parse_lock_entries(entries):
    """Return the connector versions that versionlock entries lock; exclusions (!) lock none."""
    versions = []
    for entry in entries:
        match = LOCK_ENTRY.match(entry)
        if match and match.group(1) not in versions:
            versions.append(match.group(1))
    return versions


def describe_file(path):
    try:
        info = os.stat(path)
    except OSError:
        return {"exists": False}
    result = {"exists": True, "mode": "%04o" % stat.S_IMODE(info.st_mode),
              "uid": info.st_uid, "gid": info.st_gid, "sha1": None}
    if stat.S_ISREG(info.st_mode):
        digest = hashlib.sha1()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(65536), b""):
                digest.update(block)
        result["sha1"] = digest.hexdigest()
    return result


def drifted_paths(expected, manager):
    """Return the paths in ``expected`` whose file is missing or differs in content, mode or owner."""
    drifted = []
    for entry in expected:
        if entry.get("package_manager") not in (None, manager):
            continue
        found = describe_file(entry["path"])
        wanted = (True, entry["sha1"], entry["mode"], 0, 0)
        if tuple(found.get(key) for key in ("exists", "sha1", "mode", "uid", "gid")) != wanted:
            drifted.append(entry["path"])
    return drifted


def rpm_key_imported(module, path):
    if not path or not os.path.isfile(path):
        return None
    with open(path) as handle:
        version = armored_key_version(handle.read())
    if version is None:
        return None
    rc, _out, _err = module.run_command(["rpm", "--query", "gpg-pubkey-" + version])
    return rc == 0


def read_service(module, ampctl):
    """Return what ``ampctl status --json`` prints, or None when ampctl is missing or fails."""
    if not os.access(ampctl, os.X_OK):
        return None
    state = status_in_process(ampctl)
    if state is not None:
        return state
    rc, out, _err = module.run_command([ampctl, "status", "--json"])
    try:
        return json.loads(out) if rc == 0 else None
    except ValueError:
        return None


def status_in_process(ampctl):
    """Call the function behind ``ampctl status`` from the package's library beside ampctl.

    This saves starting a second Python on every host and every run. Any
    failure returns None, and the caller runs the command instead.
    """
    library = os.path.normpath(os.path.join(os.path.dirname(os.path.realpath(ampctl)), "..", "lib", "python"))
    if not os.path.isdir(os.path.join(library, "installer")):
        return None
    # Like the package's launchers: no bytecode files that no package owns.
    sys.dont_write_bytecode = True
    sys.path.insert(0, library)
    try:
        from installer.ampctl.actions import status

        # The command's JSON, so both ways give the same types.
        return json.loads(json.dumps(status()))
    except Exception:  # noqa: BLE001 - any failure falls back to the command
        return None
    finally:
        sys.path.remove(library)


def ask_daemon(ampcli, timeout):
    """Run ampcli status until it succeeds or ``timeout`` seconds pass; return (succeeded, output)."""
    deadline = time.time() + timeout
    while True:
        # ampcli waits for the daemon itself (10 s in the reference connector),
        # so a call that would outlast ``timeout`` is stopped at the deadline.
        rc, output = run_with_deadline([ampcli, "status"], max(1.0, deadline - time.time()))
        if rc == 0 or time.time() >= deadline:
            return rc == 0, output
        time.sleep(DAEMON_POLL_INTERVAL)


def run_with_deadline(argv, seconds):
    """Run ``argv`` for at most ``seconds``; return (exit status, output). A timeout gives 124."""
    try:
        done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True, timeout=seconds)
    except subprocess.TimeoutExpired as expired:
        partial = expired.output or ""
        if isinstance(partial, bytes):
            partial = partial.decode("utf-8", "replace")
        return 124, (partial + "\n(stopped after {0:g} s)".format(seconds)).strip()
    except OSError as error:
        return 127, "cannot run {0}: {1}".format(argv[0], error.strerror)
    return done.returncode, done.stdout.strip()


def log_tail(path, count):
    try:
        with open(path, errors="replace") as handle:
            return "".join(handle.readlines()[-count:]).rstrip("\n")
    except OSError as error:
        return "(cannot read {0}: {1})".format(path, error.strerror)


def read_daemon(module, service, ampcli, timeout, daemon_log, log_lines):
    """Return whether the daemon responded, ampcli's output, and the log tail when it did not.

    ``ampctl status`` has queried the daemon already, so ``ampcli status`` runs
    only when that query failed while the service runs, or to wait ``timeout``
    seconds for a response.
    """
    daemon = {"answered": bool(service and service.get("daemon_responding")), "output": ""}
    running = bool(service and service.get("service_active"))
    if not running or (daemon["answered"] and timeout == 0):
        return daemon
    daemon["answered"], daemon["output"] = ask_daemon(ampcli, timeout)
    if not daemon["answered"]:
        daemon["log_tail"] = log_tail(daemon_log, log_lines)
    return daemon
