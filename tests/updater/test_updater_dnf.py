"""The updater's dnf path on a booted Debian 12 host with a createrepo_c repository.

rpm and dnf run inside the Debian host; a test-only RPM declares the host's
python3 to rpm's database (tests/e2e/rpm-host-provides.spec).
"""

import json
import shutil
from pathlib import Path

import pytest
from updater_versions import BROKEN, CURRENT, PREVIOUS

from testhosts import TestHost

pytestmark = pytest.mark.testhost

REPO = "/srv/amp-rpm-repo"
REPO_FILE = "[amp]\nname=ciscoampconnector test repository\nbaseurl=file://{0}\ngpgcheck=0\n"


def publish(host, work_dir, *rpms):
    work_dir.mkdir(parents=True, exist_ok=True)
    for rpm in rpms:
        shutil.copy2(rpm, work_dir / rpm.name)
    host.run(["rm", "-rf", REPO])
    host.copy_in(work_dir, REPO)
    host.run(["createrepo_c", "-q", REPO])


def rpm_version(host):
    return host.run(["rpm", "-q", "--qf", "%{VERSION}", "ciscoampconnector"]).stdout.strip()


def test_dnf_update_and_rollback(updater_rpms, host_provides_rpm, tmp_path):
    with TestHost.boot("bookworm") as host:
        host.copy_in(host_provides_rpm, "/root/" + host_provides_rpm.name)
        host.run(["rpm", "-i", "/root/" + host_provides_rpm.name])
        host.run(["mkdir", "-p", "/etc/yum.repos.d"])
        Path(host.path("/etc/yum.repos.d/amp.repo")).write_text(REPO_FILE.format(REPO))
        publish(host, tmp_path / "repo", updater_rpms[PREVIOUS], updater_rpms[CURRENT])
        host.run(["dnf", "-y", "-q", "install", "ciscoampconnector-" + PREVIOUS])

        # A versionlock (dnf-plugins-core in the test host) keeps the version.
        host.run(["dnf", "-q", "versionlock", "add", "ciscoampconnector"])
        locked_run = host.run(["/opt/cisco/amp/bin/ampupdater", "run", "--no-delay"], check=False)
        assert locked_run.returncode == 0, locked_run.stderr
        assert rpm_version(host) == PREVIOUS
        assert "the package is held" in host.read_text("/var/log/cisco/ampupdater.log")
        host.run(["dnf", "-q", "versionlock", "delete", "ciscoampconnector"])

        updated = host.run(["/opt/cisco/amp/bin/ampupdater", "run", "--no-delay"], check=False)
        assert updated.returncode == 0, updated.stderr
        assert rpm_version(host) == CURRENT

        publish(host, tmp_path / "repo", updater_rpms[BROKEN])
        Path(host.path("/opt/cisco/amp/etc/updater.conf")).write_text(
            "[updater]\nhealth_timeout = 10\n")
        rolled_back = host.run(["/opt/cisco/amp/bin/ampupdater", "run", "--no-delay"],
                               check=False)
        assert rolled_back.returncode == 1
        assert rpm_version(host) == CURRENT
        assert host.run(["/opt/cisco/amp/bin/ampcli", "status"], check=False).returncode == 0
        state = json.loads(host.read_text("/opt/cisco/amp/etc/updater/state.json"))
        assert state["failed_versions"] == [BROKEN + "-1"]
