"""The hourly updater on a booted Debian SysV-init host: cron's run-parts must run it."""

import pytest
from lifecycle_helpers import Connector

from testhosts import TestHost

pytestmark = pytest.mark.testhost

CRON_FILE = "/etc/cron.hourly/cisco-ampupdater"


def run_parts_list(connector):
    return connector.host.run(["run-parts", "--test", "/etc/cron.hourly"]).stdout.split()


def test_debian_sysv_runs_updater_hourly(new_packages):
    with TestHost.boot("bookworm-sysvinit") as host:
        connector = Connector(host)
        connector.apt_install(new_packages["deb"])
        assert not connector.path("/etc/cron.hourly/cisco-ampupdater.cron").exists()
        assert CRON_FILE in run_parts_list(connector)

        connector.must("/usr/sbin/ampctl", "disable")
        assert CRON_FILE not in run_parts_list(connector)
        connector.must("/usr/sbin/ampctl", "enable")
        assert CRON_FILE in run_parts_list(connector)
