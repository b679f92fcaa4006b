"""Test-host profiles: a Debian suite, a package list and an init system.

A profile's cache key is a hash of its suite, its sorted package list and
FORMAT_VERSION, so a changed package list or build procedure gives a new root.
"""

import dataclasses
import hashlib
import json

# Raise this when the build steps in rootfs.py change what ends up in a root,
# so that roots built by older code are not reused.
FORMAT_VERSION = 1

# Debian suites that test hosts can be built from, with their release numbers.
SUITES = {"bullseye": "11", "bookworm": "12", "trixie": "13"}

# Packages shared by every profile.  All of them exist in bullseye, bookworm
# and trixie (checked by building each root with debootstrap), so no suite
# needs its own list.
COMMON_PACKAGES = ("python3", "cron", "dbus", "rpm", "dnf", "createrepo-c")

# Packages that only some suites have. dnf-plugins-core brings dnf's
# versionlock plugin, which the role's dnf version hold uses. bullseye lacks
# it (debootstrap failed with "Couldn't find these debs: dnf-plugins-core").
SUITE_PACKAGES = {"bookworm": ("dnf-plugins-core",), "trixie": ("dnf-plugins-core",)}

SYSTEMD_PACKAGES = ("systemd", "systemd-sysv") + COMMON_PACKAGES

# sysvinit-core makes /sbin/init SysV init.  The systemd package must stay
# out: systemd-nspawn -b starts /usr/lib/systemd/systemd or
# /lib/systemd/systemd whenever one exists and uses /sbin/init only otherwise
# (checked with systemd-nspawn 252).
SYSVINIT_PACKAGES = ("sysvinit-core",) + COMMON_PACKAGES

DEFAULT_PROFILE = "bookworm"

INIT_SYSTEMD = "systemd"
INIT_SYSVINIT = "sysvinit"


@dataclasses.dataclass(frozen=True)
class Profile:
    """A test-host root filesystem: Debian suite, packages and init system."""

    name: str
    suite: str
    packages: tuple
    init: str = INIT_SYSTEMD

    def cache_key(self):
        """Return the hex digest that names this profile's cached root."""
        payload = {
            "format": FORMAT_VERSION,
            "suite": self.suite,
            "packages": sorted(set(self.packages)),
        }
        text = json.dumps(payload, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def cache_name(self):
        """Return the directory name of this profile's root in the cache."""
        return f"{self.name}-{self.cache_key()}"


# NOTE: trixie has no SysV-init profile.  Its cron-daemon-common depends on
# "systemd | systemd-standalone-sysusers | systemd-sysusers", debootstrap
# (1.0.128) always takes the first alternative, also with --exclude=systemd,
# and the build then fails on systemd's pre-dependency on libsystemd-shared.
SYSVINIT_SUITES = ("bullseye", "bookworm")


def _build_profiles():
    profiles = {}
    for suite in SUITES:
        extra = SUITE_PACKAGES.get(suite, ())
        profiles[suite] = Profile(suite, suite, SYSTEMD_PACKAGES + extra, INIT_SYSTEMD)
    for suite in SYSVINIT_SUITES:
        name = f"{suite}-sysvinit"
        extra = SUITE_PACKAGES.get(suite, ())
        profiles[name] = Profile(name, suite, SYSVINIT_PACKAGES + extra, INIT_SYSVINIT)
    return profiles


PROFILES = _build_profiles()


def get_profile(profile):
    """Return the Profile for a profile name, or the argument if it already is one.

    Raises ValueError for an unknown name.
    """
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(f"unknown test-host profile {profile!r}. Known profiles: {known}") from None
