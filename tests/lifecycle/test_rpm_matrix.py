"""The .rpm through its whole lifecycle with rpm inside Debian test hosts.

RPM runs the old package's preun and postun after the new package's post
during an upgrade, so these tests check that the connector keeps running
and stays as the admin left it after every upgrade and downgrade. rpm has
no purge, so ``ampctl purge`` is the last step.
"""

import pytest

from lifecycle_helpers import NEW_VERSION, OLD_VERSION, Connector
from testhosts import TestHost

pytestmark = pytest.mark.testhost


def scriptlet_order(log):
    """Return the scriptlet start lines of the installer log, in order."""
    return [line.split("starting ", 1)[1] for line in log.splitlines() if "starting rpm" in line]


@pytest.mark.parametrize("profile", ["bookworm", "bookworm-sysvinit"])
def test_rpm_lifecycle_matrix(profile, old_packages, new_packages, host_provides_rpm):
    with TestHost.boot(profile) as host:
        amp = Connector(host)
        amp.rpm("-i", amp.copy(host_provides_rpm))
        old_rpm, new_rpm = amp.copy(old_packages["rpm"]), amp.copy(new_packages["rpm"])

        amp.rpm("-i", old_rpm)
        amp.assert_running(OLD_VERSION)
        identity = amp.identity()
        amp.edit_config()

        # Upgrade: the new post runs first, then the old preun/postun (count 1),
        # which must leave the service running.
        amp.rpm("-U", new_rpm)
        amp.assert_running(NEW_VERSION)
        assert amp.rpm_version() == NEW_VERSION
        order = scriptlet_order(amp.installer_log())
        assert order[-4:] == ["rpm pre scriptlet (2)", "rpm post scriptlet (2)",
                              "rpm preun scriptlet (1)", "rpm postun scriptlet (1)"]
        assert amp.identity() == identity

        # Reinstall of the same version.
        amp.rpm("-U", "--replacepkgs", new_rpm)
        amp.assert_running(NEW_VERSION)

        # Disabled by the admin, downgraded: stays disabled.
        amp.must("/usr/sbin/ampctl", "disable")
        amp.assert_disabled()
        amp.rpm("-U", "--oldpackage", old_rpm)
        assert amp.rpm_version() == OLD_VERSION
        amp.assert_disabled()

        # Removed while disabled, reinstalled: still disabled, same identity.
        amp.rpm("-e", "ciscoampconnector")
        amp.assert_removed_keeping_state(identity)
        amp.rpm("-i", new_rpm)
        amp.assert_disabled()
        amp.must("/usr/sbin/ampctl", "enable")
        amp.assert_running(NEW_VERSION)
        assert amp.identity() == identity

        # rpm has no purge: ampctl purge removes the package and the state.
        refused = amp.ampctl("purge")
        assert refused.returncode == 64
        assert "--yes" in refused.stderr
        amp.must("/usr/sbin/ampctl", "purge", "--yes")
        assert amp.rpm_version() is None
        amp.assert_purged()
