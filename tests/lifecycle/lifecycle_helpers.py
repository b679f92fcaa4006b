"""Drive the connector's package on a booted test host and read back its state.

Every check reads the host the way an admin would: the package manager's
database, files, ``systemctl`` or the SysV script, ``ampcli status`` and
``ampctl status --json``.
"""

import json
from pathlib import Path

from testhosts import wait_for

# The versions the lifecycle tests build: N-1 and N.
OLD_VERSION = "1.0.0"
NEW_VERSION = "1.1.0"

NONINTERACTIVE = {"DEBIAN_FRONTEND": "noninteractive"}
IDENTITY = "/opt/cisco/amp/etc/identity.json"
CONFIG = "/opt/cisco/amp/etc/amp.conf"
SYSTEMD_UNIT = "/usr/lib/systemd/system/cisco-amp.service"
SYSV_SCRIPT = "/etc/init.d/cisco-amp"
ADMIN_CONFIG_LINE = "# edited by the admin before the transaction\n"


class Connector(object):
    """The connector package on one test host."""

    def __init__(self, host, env=None):
        self.host = host
        self.env = dict(NONINTERACTIVE, **(env or {}))
        self.sysv = host.profile.init == "sysvinit"

    def run(self, *argv, env=None, check=False):
        merged = dict(self.env, **(env or {}))
        return self.host.run(list(argv), env=merged, check=check)

    def path(self, container_path):
        return Path(self.host.path(container_path))

    def copy(self, package):
        destination = "/root/" + Path(package).name
        if not self.path(destination).exists():
            self.host.copy_in(package, destination)
        return destination

    def must(self, *argv, env=None):
        result = self.run(*argv, env=env)
        assert result.returncode == 0, "{0} failed ({1}):\n{2}\n{3}".format(
            " ".join(argv), result.returncode, result.stdout, result.stderr)
        return result

    # Package managers.
    def apt_install(self, package, *options):
        return self.must("apt-get", "install", "-y", *options, self.copy(package))

    def dpkg_install(self, package, env=None):
        return self.run("dpkg", "-i", self.copy(package), env=env)

    def rpm(self, *argv):
        return self.must("rpm", *argv)

    def deb_status(self):
        result = self.run("dpkg-query", "-W", "-f=${db:Status-Abbrev}${Version}",
                          "ciscoampconnector")
        return result.stdout.strip()

    def rpm_version(self):
        result = self.run("rpm", "-q", "--qf", "%{VERSION}", "ciscoampconnector")
        return result.stdout.strip() if result.returncode == 0 else None

    # State.
    def ampctl(self, *argv, env=None):
        return self.run("/usr/sbin/ampctl", *argv, env=env)

    def status(self):
        result = self.must("/usr/sbin/ampctl", "status", "--json")
        return json.loads(result.stdout)

    def identity(self):
        path = self.path(IDENTITY)
        found = wait_for(path.exists, timeout=30)
        assert found, "ampdaemon did not write " + IDENTITY
        return json.loads(path.read_text())["uuid"]

    def service_active(self):
        """Return the service's activity as the init system itself reports it."""
        if self.sysv:
            return self.run(SYSV_SCRIPT, "status").returncode == 0
        return self.run("systemctl", "is-active", "--quiet", "cisco-amp.service").returncode == 0

    def service_enablement(self):
        """Return enabled, disabled, masked or not-installed, from the init system itself."""
        if self.sysv:
            if not self.path(SYSV_SCRIPT).exists():
                return "not-installed"
            links = list(self.path("/etc/rc2.d").glob("S??cisco-amp"))
            return "enabled" if links else "disabled"
        output = self.run("systemctl", "is-enabled", "cisco-amp.service").stdout.strip()
        return output or "not-installed"

    def ampcli_ok(self):
        return wait_for(lambda: self.run("/opt/cisco/amp/bin/ampcli", "status").returncode == 0,
                        timeout=60)

    def installer_log(self):
        return self.path("/var/log/cisco/ampinstaller.log").read_text()

    def assert_running(self, version):
        status = self.status()
        assert status["version"] == version
        assert status["service_active"] is True
        assert status["service_enabled"] == "enabled"
        assert status["pending"] is None
        assert self.service_active()
        assert self.service_enablement() == "enabled"
        assert self.ampcli_ok()
        assert self.status()["daemon_responding"] is True

    def assert_disabled(self):
        status = self.status()
        assert status["service_active"] is False
        assert status["service_enabled"] == "disabled"
        assert status["updater_enabled"] is False
        assert not self.service_active()
        assert self.service_enablement() == "disabled"

    def assert_removed_keeping_state(self, identity):
        assert not self.path("/opt/cisco/amp/bin").exists()
        assert not self.path("/usr/sbin/ampctl").exists()
        assert not self.path(SYSTEMD_UNIT).exists()
        assert not self.path(SYSV_SCRIPT).exists()
        assert not self.service_active()
        assert json.loads(self.path(IDENTITY).read_text())["uuid"] == identity
        assert ADMIN_CONFIG_LINE in self.path(CONFIG).read_text()

    def assert_purged(self):
        for path in ("/opt/cisco/amp", "/var/lib/ciscoamp", "/var/log/cisco", SYSTEMD_UNIT,
                     SYSV_SCRIPT, "/etc/cron.hourly/cisco-ampupdater.cron",
                     "/etc/cron.hourly/cisco-ampupdater"):
            assert not self.path(path).exists(), path + " survived the purge"

    def edit_config(self):
        with open(str(self.path(CONFIG)), "a") as handle:
            handle.write(ADMIN_CONFIG_LINE)
