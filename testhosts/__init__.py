"""Debian test hosts with a real init system, booted with systemd-nspawn.

Typical use (as root, with debootstrap and systemd-container installed):

    from testhosts import TestHost

    with TestHost.boot("bookworm") as host:
        print(host.run(["systemctl", "is-system-running"], check=False).stdout)

Roots are built with debootstrap on first use and cached; see rootfs.py for
the cache layout and the environment variables AMP_TESTHOST_CACHE and
AMP_TESTHOST_MIRROR.
"""

from .commands import CommandError
from .nspawn import TestHost, run_unbooted
from .polling import wait_for
from .profiles import DEFAULT_PROFILE, PROFILES, Profile, get_profile
from .rootfs import build_root, cache_dir, default_mirror, find_root, list_roots
from .system import TestHostError, missing_requirements

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILES",
    "CommandError",
    "Profile",
    "TestHost",
    "TestHostError",
    "build_root",
    "cache_dir",
    "default_mirror",
    "find_root",
    "get_profile",
    "list_roots",
    "missing_requirements",
    "run_unbooted",
    "wait_for",
    "wait_for",
]
