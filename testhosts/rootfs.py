"""Build, cache and lock Debian root filesystems for test hosts.

Cache layout (the cache dir is $AMP_TESTHOST_CACHE, default
/var/cache/ciscoamp-testhosts):

    NAME-KEY/rootfs/        the root filesystem, never modified after the build
    NAME-KEY/profile.json   what was built, from which mirror, how long it took
    NAME-KEY/build.log      debootstrap output
    .build-NAME-KEY-*/      a build in progress, renamed to NAME-KEY when done
    .locks/NAME-KEY.lock    flock: exclusive while building, shared while booted

A root counts as built only once its directory has been renamed into place,
so a half-built root is never used.  A build takes the exclusive lock and
deletes leftover .build-* directories of the same profile, because holding
the lock means their builders have died.
"""

import configparser
import contextlib
import fcntl
import json
import logging
import os
import re
import subprocess
import tempfile
import time

from .overlay import remove_tree
from .paths import resolve_in_root
from .profiles import FORMAT_VERSION, INIT_SYSTEMD, INIT_SYSVINIT, get_profile
from .system import BUILD_TOOLS, TestHostError, require
from .sysvinit import configure_sysvinit

log = logging.getLogger(__name__)

DEFAULT_CACHE_DIR = "/var/cache/ciscoamp-testhosts"
FALLBACK_MIRROR = "http://deb.debian.org/debian"
DEB822_SOURCES = "/etc/apt/sources.list.d/debian.sources"
ONE_LINE_SOURCES = "/etc/apt/sources.list"

_BUILD_PREFIX = ".build-"
_MIRROR_SCHEMES = ("http://", "https://", "file:/")

# Written into each root in place of the host's files.  Test hosts have only
# a loopback interface, so they get no name server.
_HOSTS = "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n"
_RESOLV_CONF = "# Test hosts have only a loopback interface and no name server.\n"


def cache_dir():
    """Return the cache directory: $AMP_TESTHOST_CACHE or /var/cache/ciscoamp-testhosts."""
    return os.environ.get("AMP_TESTHOST_CACHE") or DEFAULT_CACHE_DIR


def _is_primary_suite(suite):
    # Security, updates and backports suites are skipped, because debootstrap
    # needs the main archive.
    return not re.search(r"[-/](security|updates|backports)$", suite)


def _mirror_from_deb822(text):
    for stanza in re.split(r"\n\s*\n", text):
        fields = {}
        for line in stanza.splitlines():
            match = re.match(r"^([A-Za-z-]+):\s*(.*)$", line)
            if match:
                fields[match.group(1).lower()] = match.group(2).split()
        if "deb" not in fields.get("types", []) or fields.get("enabled", ["yes"]) == ["no"]:
            continue
        if not any(_is_primary_suite(suite) for suite in fields.get("suites", [])):
            continue
        for uri in fields.get("uris", []):
            if uri.startswith(_MIRROR_SCHEMES):
                return uri
    return None


def _mirror_from_one_line(text):
    for line in text.splitlines():
        line = re.sub(r"\[[^\]]*\]", " ", line.split("#", 1)[0])
        words = line.split()
        if len(words) >= 3 and words[0] == "deb" and _is_primary_suite(words[2]):
            if words[1].startswith(_MIRROR_SCHEMES):
                return words[1]
    return None


def default_mirror():
    """Return the Debian mirror for debootstrap.

    Order: $AMP_TESTHOST_MIRROR, the host's apt sources (deb822 file, then
    sources.list), then http://deb.debian.org/debian.
    """
    mirror = os.environ.get("AMP_TESTHOST_MIRROR")
    if mirror:
        return mirror
    for path, parse in ((DEB822_SOURCES, _mirror_from_deb822), (ONE_LINE_SOURCES, _mirror_from_one_line)):
        try:
            with open(path, encoding="utf-8") as sources:
                mirror = parse(sources.read())
        except OSError:
            continue
        if mirror:
            return mirror
    return FALLBACK_MIRROR


def root_dir(profile, cache=None):
    """Return the directory that contains the profile's rootfs/ and profile.json."""
    return os.path.join(cache or cache_dir(), get_profile(profile).cache_name())


def rootfs_path(profile, cache=None):
    """Return the path where the profile's root filesystem is (or will be) cached."""
    return os.path.join(root_dir(profile, cache), "rootfs")


def find_root(profile, cache=None):
    """Return the cached root filesystem of the profile, or None if it is not built."""
    path = rootfs_path(profile, cache)
    return path if os.path.isdir(path) else None


@contextlib.contextmanager
def root_lock(profile, cache=None, shared=False):
    """Hold the profile's flock: shared while a host uses the root, exclusive to build."""
    lock_dir = os.path.join(cache or cache_dir(), ".locks")
    os.makedirs(lock_dir, exist_ok=True)
    lock_path = os.path.join(lock_dir, get_profile(profile).cache_name() + ".lock")
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    with open(lock_path, "a+b") as lock_file:
        try:
            fcntl.flock(lock_file, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = "a build" if shared else "a build or a running host"
            log.info("waiting for lock %s, which %s has taken", lock_path, holder)
            fcntl.flock(lock_file, mode)
        yield


def build_root(profile, cache=None, mirror=None, rebuild=False):
    """Build the profile's root filesystem unless it is cached, and return its path.

    With rebuild=True an existing root is replaced.  The replacement waits
    for the exclusive lock, so it waits until every host booted from the old
    root has been torn down.
    """
    profile = get_profile(profile)
    cache = cache or cache_dir()
    # Without this check a running host's shared lock would block the call.
    if not rebuild and find_root(profile, cache):
        return rootfs_path(profile, cache)
    os.makedirs(cache, exist_ok=True)
    with root_lock(profile, cache):
        final_dir = root_dir(profile, cache)
        if os.path.isdir(final_dir) and not rebuild:
            return rootfs_path(profile, cache)
        require(BUILD_TOOLS)
        _remove_stale_builds(profile, cache)
        build_dir = tempfile.mkdtemp(prefix=f"{_BUILD_PREFIX}{profile.cache_name()}-", dir=cache)
        os.chmod(build_dir, 0o755)
        try:
            _build_into(profile, build_dir, mirror or default_mirror())
            _replace_dir(build_dir, final_dir)
        except BaseException:
            remove_tree(build_dir)
            raise
    return rootfs_path(profile, cache)


def _remove_stale_builds(profile, cache):
    prefix = f"{_BUILD_PREFIX}{profile.cache_name()}-"
    for entry in os.listdir(cache):
        if entry.startswith(prefix):
            log.warning("removing unfinished build %s left by a builder that stopped", entry)
            remove_tree(os.path.join(cache, entry))


def _replace_dir(new_dir, final_dir):
    if not os.path.exists(final_dir):
        os.rename(new_dir, final_dir)
        return
    old_dir = tempfile.mkdtemp(prefix=".old-", dir=os.path.dirname(final_dir))
    old_root = os.path.join(old_dir, "root")
    os.rename(final_dir, old_root)
    os.rename(new_dir, final_dir)
    remove_tree(old_dir)


def _build_into(profile, build_dir, mirror):
    rootfs = os.path.join(build_dir, "rootfs")
    log_path = os.path.join(build_dir, "build.log")
    command = [
        "debootstrap",
        "--variant=minbase",
        "--include=" + ",".join(sorted(set(profile.packages))),
        profile.suite,
        rootfs,
        mirror,
    ]
    log.info("building %s: %s", profile.name, " ".join(command))
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as build_log:
        result = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=build_log, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        # debootstrap writes the output of failed dpkg runs only to its own log.
        details = _tail(log_path)
        debootstrap_log = os.path.join(rootfs, "debootstrap/debootstrap.log")
        if os.path.exists(debootstrap_log):
            details += f"--- {debootstrap_log} ---\n{_tail(debootstrap_log)}"
        raise TestHostError(
            f"debootstrap for profile {profile.name} (suite {profile.suite}, mirror {mirror}) "
            f"failed with exit code {result.returncode}:\n{details}"
        )

    _configure(rootfs, profile)
    _check_root(rootfs, profile)
    manifest = {
        "name": profile.name,
        "suite": profile.suite,
        "packages": sorted(set(profile.packages)),
        "init": profile.init,
        "cache_key": profile.cache_key(),
        "format": FORMAT_VERSION,
        "mirror": mirror,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "build_seconds": round(time.monotonic() - started, 1),
    }
    with open(os.path.join(build_dir, "profile.json"), "w", encoding="utf-8") as manifest_file:
        json.dump(manifest, manifest_file, indent=2)
        manifest_file.write("\n")
    log.info("built %s in %.1f s", profile.name, manifest["build_seconds"])


def _tail(path, lines=40):
    with open(path, encoding="utf-8", errors="replace") as text_file:
        return "".join(text_file.readlines()[-lines:])


def _write(rootfs, path, text):
    with open(os.path.join(rootfs, path), "w", encoding="utf-8") as target:
        target.write(text)


def _configure(rootfs, profile):
    # An empty machine-id makes systemd use the random UUID from systemd-nspawn,
    # so every host gets its own ID.  D-Bus reads the same file through the link.
    _write(rootfs, "etc/machine-id", "")
    dbus_machine_id = os.path.join(rootfs, "var/lib/dbus/machine-id")
    if os.path.lexists(dbus_machine_id):
        os.unlink(dbus_machine_id)
    os.symlink("/etc/machine-id", dbus_machine_id)

    # debootstrap copies these from the build host.  Without /etc/hostname
    # the host name is the machine name that systemd-nspawn sets.
    hostname = os.path.join(rootfs, "etc/hostname")
    if os.path.lexists(hostname):
        os.unlink(hostname)
    _write(rootfs, "etc/hosts", _HOSTS)
    resolv_conf = os.path.join(rootfs, "etc/resolv.conf")
    if os.path.lexists(resolv_conf):
        os.unlink(resolv_conf)
    _write(rootfs, "etc/resolv.conf", _RESOLV_CONF)

    _clear_root_password(rootfs)
    _clean_apt_cache(rootfs)
    _disable_dnf_local_plugin(rootfs)
    if profile.init == INIT_SYSVINIT:
        configure_sysvinit(rootfs)


def _clear_root_password(rootfs):
    shadow_path = os.path.join(rootfs, "etc/shadow")
    with open(shadow_path, encoding="utf-8") as shadow:
        lines = shadow.read().splitlines(keepends=True)
    for index, line in enumerate(lines):
        fields = line.split(":")
        if fields[0] == "root":
            fields[1] = ""
            lines[index] = ":".join(fields)
    with open(shadow_path, "w", encoding="utf-8") as shadow:
        shadow.writelines(lines)


def _disable_dnf_local_plugin(rootfs):
    # Debian's dnf-plugins-core enables every plugin it ships. The "local"
    # plugin adds a repository of every installed package with gpgcheck on,
    # which breaks dnf on hosts without a key. Red Hat distributions ship it
    # as the separate package python3-dnf-plugin-local, so it stays off here.
    path = os.path.join(rootfs, "etc/dnf/plugins/local.conf")
    if not os.path.exists(path):
        return
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(path, encoding="utf-8")
    conf["main"]["enabled"] = "false"
    with open(path, "w", encoding="utf-8") as target:
        conf.write(target)


def _clean_apt_cache(rootfs):
    # The same files that "apt-get clean" deletes.  The package lists in
    # /var/lib/apt/lists stay, so apt-cache works in the host and apt-get can
    # resolve dependencies of a local .deb that is installed with it.
    apt_cache = os.path.join(rootfs, "var/cache/apt")
    archives = os.path.join(apt_cache, "archives")
    for directory in (archives, os.path.join(archives, "partial")):
        for entry in os.listdir(directory):
            path = os.path.join(directory, entry)
            if entry.endswith(".deb") and os.path.isfile(path):
                os.unlink(path)
    for entry in os.listdir(apt_cache):
        if entry.endswith(".bin"):
            os.unlink(os.path.join(apt_cache, entry))


def _check_root(rootfs, profile):
    problems = []
    if not os.path.exists(os.path.join(rootfs, "usr/bin/python3")):
        problems.append("/usr/bin/python3 is missing")
    init_target = resolve_in_root(rootfs, "/sbin/init")
    expected_init = "systemd" if profile.init == INIT_SYSTEMD else "init"
    if os.path.basename(init_target) != expected_init:
        problems.append(f"/sbin/init resolves to {init_target}, expected {profile.init}")
    if problems:
        raise TestHostError(f"root filesystem for profile {profile.name} is unusable: " + "; ".join(problems))


def directory_size(path):
    """Return the disk usage of a tree in bytes, counting hard links once."""
    seen = set()
    total = 0
    root_device = os.lstat(path).st_dev
    for directory, subdirs, files in os.walk(path):
        for entry in subdirs + files:
            status = os.lstat(os.path.join(directory, entry))
            if status.st_dev != root_device or (status.st_ino in seen):
                continue
            seen.add(status.st_ino)
            total += status.st_blocks * 512
    return total


def list_roots(cache=None):
    """Return the manifests of all cached roots, each with its "path" added."""
    cache = cache or cache_dir()
    roots = []
    if not os.path.isdir(cache):
        return roots
    for entry in sorted(os.listdir(cache)):
        manifest_path = os.path.join(cache, entry, "profile.json")
        if entry.startswith(".") or not os.path.isfile(manifest_path):
            continue
        with open(manifest_path, encoding="utf-8") as manifest_file:
            manifest = json.load(manifest_file)
        manifest["path"] = os.path.join(cache, entry, "rootfs")
        roots.append(manifest)
    return roots
