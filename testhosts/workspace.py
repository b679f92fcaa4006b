"""Per-host workspace: a unique machine name, a temp dir and a writable root.

The writable root is an overlayfs over the cached root (upper and work dirs
in the temp dir) or, where overlayfs cannot be mounted, a copy made with
`cp -a --reflink=auto`.  Either way the cached root is never written to.
Every step registers its undo on an ExitStack, so closing the stack releases
whatever was set up, in reverse order.

Each temp dir holds owner.lock, locked by the Python process and passed to
its systemd-nspawn.  A temp dir whose lock is free belongs to a process that
died without tearing down (for example one killed by SIGKILL), and the next
prepare_root call unmounts and deletes it.
"""

import fcntl
import logging
import os
import re
import secrets
import subprocess
import tempfile
import time

from .overlay import mount_overlay, overlay_supported, remove_tree, unmount
from .profiles import get_profile
from .rootfs import build_root, find_root, root_lock
from .system import TestHostError

log = logging.getLogger(__name__)

WORKDIR_PREFIX = "ciscoamp-testhost-"
OWNER_LOCK = "owner.lock"
# Seconds after which a name lock file that no process has locked counts as stale.
STALE_NAME_LOCK_AGE = 60

MODE_AUTO = "auto"
MODE_OVERLAY = "overlay"
MODE_COPY = "copy"
MODES = (MODE_AUTO, MODE_OVERLAY, MODE_COPY)

# systemd-nspawn uses the machine name as host name, so it must be a valid
# host name label (at most 63 characters).
_MACHINE_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def new_machine_name(profile):
    """Return a random machine name for a host of the profile."""
    return f"amp-{get_profile(profile).name}-{secrets.token_hex(4)}"


def _lock_machine_name(stack, name):
    if not _MACHINE_NAME.match(name):
        raise ValueError(
            f"invalid machine name {name!r}: use letters, digits and inner '-', at most 63 characters"
        )
    lock_dir = os.path.join(tempfile.gettempdir(), "ciscoamp-testhost-names")
    os.makedirs(lock_dir, exist_ok=True)
    _remove_stale_name_locks(lock_dir)
    path = os.path.join(lock_dir, name + ".lock")
    lock_file = stack.enter_context(open(path, "a+b"))
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise TestHostError(
            f"machine name {name!r} is in use by another test host. Pick another name."
        ) from None
    if not _is_same_file(lock_file, path):
        # The previous holder deleted the file after this open, so another
        # host may lock a new file of that name.
        raise TestHostError(f"machine name {name!r} was just released by another test host. Try again.")
    # Runs before the file closes, so the file goes while still locked.
    stack.callback(_remove_file, path)


def _remove_stale_name_locks(lock_dir):
    # A killed test process leaves its file behind, so an unlocked file is
    # stale. A young file may belong to a host that has not locked it yet.
    for entry in os.listdir(lock_dir):
        path = os.path.join(lock_dir, entry)
        try:
            if time.time() - os.stat(path).st_mtime < STALE_NAME_LOCK_AGE:
                continue
            descriptor = os.open(path, os.O_RDWR)
        except OSError:
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            _remove_file(path)
        except BlockingIOError:
            pass
        finally:
            os.close(descriptor)


def _is_same_file(handle, path):
    try:
        return os.path.samestat(os.fstat(handle.fileno()), os.stat(path))
    except FileNotFoundError:
        return False


def _remove_file(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def prepare_root(stack, profile, name, cache=None, mirror=None, mode=MODE_AUTO):
    """Set up a writable root for one host and register its teardown on stack.

    Builds the profile's root first if it is not cached, and holds the root's
    shared lock until the stack closes, so no rebuild replaces it meanwhile.
    Returns (workdir, root, mode, owner_lock) with the mode actually used.
    Pass owner_lock to systemd-nspawn (Popen pass_fds) so the temp dir
    counts as in use while systemd-nspawn runs.
    """
    if mode not in MODES:
        raise ValueError(f"invalid root mode {mode!r}. Expected one of: {', '.join(MODES)}")
    profile = get_profile(profile)
    _lock_machine_name(stack, name)

    build_root(profile, cache=cache, mirror=mirror)
    stack.enter_context(root_lock(profile, cache, shared=True))
    lower = find_root(profile, cache)
    if lower is None:
        raise TestHostError(f"cached root of profile {profile.name} disappeared after it was built")

    _remove_stale_workdirs(tempfile.gettempdir())
    workdir = tempfile.mkdtemp(prefix=f"{WORKDIR_PREFIX}{name}-")
    stack.callback(remove_tree, workdir)
    owner_lock = stack.enter_context(open(os.path.join(workdir, OWNER_LOCK), "a+b"))
    fcntl.flock(owner_lock, fcntl.LOCK_EX)

    if mode == MODE_AUTO:
        mode = MODE_OVERLAY if overlay_supported(os.path.dirname(workdir)) else MODE_COPY
    if mode == MODE_OVERLAY:
        root = os.path.join(workdir, "merged")
        mount_overlay(lower, os.path.join(workdir, "upper"), os.path.join(workdir, "work"), root)
        stack.callback(unmount, root)
    else:
        root = os.path.join(workdir, "root")
        result = subprocess.run(["cp", "-a", "--reflink=auto", lower, root], capture_output=True, text=True)
        if result.returncode != 0:
            raise TestHostError(f"copying {lower} to {root} failed: {result.stderr.strip()}")
    log.debug("host %s uses root %s (%s of %s)", name, root, mode, lower)
    return workdir, root, mode, owner_lock.fileno()


def _remove_stale_workdirs(base_dir):
    for entry in os.listdir(base_dir):
        path = os.path.join(base_dir, entry)
        if not entry.startswith(WORKDIR_PREFIX) or not os.path.isdir(path):
            continue
        try:
            lock_file = open(os.path.join(path, OWNER_LOCK), "rb")
        except FileNotFoundError:
            # Not ours, or a temp dir whose owner has not created its lock yet.
            continue
        with lock_file:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            log.warning("removing %s left by a test host that was not torn down", path)
            remove_tree(path)
