"""The .deb through its whole lifecycle, with apt and dpkg, on every init system.

One booted host per profile walks install, reinstall, upgrade N-1 to N,
downgrade, remove, reinstall after remove and purge, checking files, the
service, the admin's disabled or masked state and the identity at each step.
"""

import json

import pytest

from lifecycle_helpers import NEW_VERSION, OLD_VERSION, Connector
from testhosts import TestHost

pytestmark = pytest.mark.testhost

# Debian 13 is not on the supported-OS list yet, so its installs ignore that check.
PROFILES = {
    "bullseye": {},
    "bookworm": {},
    "trixie": {"CISCO_AMP_PREFLIGHT_IGNORE": "os"},
    "bookworm-sysvinit": {},
}


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_deb_lifecycle_matrix(profile, old_packages, new_packages):
    with TestHost.boot(profile) as host:
        amp = Connector(host, env=PROFILES[profile])
        old_deb, new_deb = old_packages["deb"], new_packages["deb"]

        # Install N-1 with apt: enabled, running, identity created.
        amp.apt_install(old_deb)
        amp.assert_running(OLD_VERSION)
        identity = amp.identity()
        amp.edit_config()
        assert amp.deb_status() == "ii " + OLD_VERSION

        # Reinstall the same version: still running, same identity and config.
        amp.apt_install(old_deb, "--reinstall")
        amp.assert_running(OLD_VERSION)
        assert amp.identity() == identity

        # Upgrade N-1 to N with apt.
        amp.apt_install(new_deb)
        amp.assert_running(NEW_VERSION)
        assert amp.identity() == identity
        assert amp.deb_status() == "ii " + NEW_VERSION

        # The admin disables the connector; a downgrade with dpkg keeps it disabled.
        disabled = amp.must("/usr/sbin/ampctl", "disable")
        assert "disabled" in disabled.stdout
        amp.assert_disabled()
        result = amp.dpkg_install(old_deb)
        assert result.returncode == 0, result.stdout + result.stderr
        amp.assert_disabled()
        assert amp.status()["version"] == OLD_VERSION

        # And the upgrade back to N too; enable reverses the disable.
        assert amp.dpkg_install(new_deb).returncode == 0
        amp.assert_disabled()
        amp.must("/usr/sbin/ampctl", "enable")
        amp.assert_running(NEW_VERSION)

        # A restart (the Ansible role's handler after a new amp.conf) always
        # reports a change and leaves the daemon responding.
        restarted = json.loads(amp.must("/usr/sbin/ampctl", "restart", "--json").stdout)
        assert restarted["changed"] is True
        assert restarted["service_active"] is True
        amp.assert_running(NEW_VERSION)

        if not amp.sysv:
            # A masked unit stays masked and stopped across a reinstall.
            amp.must("systemctl", "mask", "--now", "cisco-amp.service")
            amp.apt_install(new_deb, "--reinstall")
            assert amp.service_enablement() == "masked"
            assert amp.status()["service_enabled"] == "masked"
            assert not amp.service_active()
            amp.must("systemctl", "unmask", "cisco-amp.service")
            amp.must("/usr/sbin/ampctl", "start")
            amp.assert_running(NEW_VERSION)

        # Remove keeps configuration and identity.
        amp.must("apt-get", "remove", "-y", "ciscoampconnector")
        amp.assert_removed_keeping_state(identity)
        assert amp.deb_status().startswith("rc")

        # Reinstall after remove with dpkg: running again with the same identity.
        assert amp.dpkg_install(new_deb).returncode == 0
        amp.assert_running(NEW_VERSION)
        assert amp.identity() == identity

        # Purge deletes everything.
        amp.must("apt-get", "purge", "-y", "ciscoampconnector")
        amp.assert_purged()
        assert amp.deb_status() == ""

        log = "\n".join([host.journal(identifier="cisco-amp")] if not amp.sysv else [])
        if log:
            assert "starting deb postinst scriptlet (configure)" in log
            assert "connector not running, so not restarted (enablement disabled)" in log
