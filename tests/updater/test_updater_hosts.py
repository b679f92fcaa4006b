"""The updater on booted Debian 12 hosts, against a signed file:// apt repository.

The repository contains N-1 and N, then a broken N+1 whose ampdaemon exits at
once. Each test checks the installed version, the service state, and that
configuration and identity survive.
"""

import hashlib
import json
import time
from pathlib import Path

import pytest
from updater_versions import BROKEN, CURRENT, PREVIOUS

pytestmark = pytest.mark.testhost

APT_ENV = {"DEBIAN_FRONTEND": "noninteractive"}
UPDATER = "/opt/cisco/amp/bin/ampupdater"


def ampupdater(host, *args):
    return host.run([UPDATER, "run", "--no-delay"] + list(args), check=False)


def installed_version(host):
    return host.run(["dpkg-query", "-W", "-f=${Version}", "ciscoampconnector"]).stdout.strip()


def write_file(host, path, text):
    Path(host.path(path)).write_text(text)


def read_identity(host):
    return json.loads(host.read_text("/opt/cisco/amp/etc/identity.json"))


def wait_identity(host):
    deadline = time.monotonic() + 30
    while not Path(host.path("/opt/cisco/amp/etc/identity.json")).exists():
        assert time.monotonic() < deadline, "ampdaemon created no identity"
        time.sleep(0.5)
    return read_identity(host)


def install_previous(host, debs):
    host.repository.publish(debs[PREVIOUS], debs[CURRENT])
    host.run(["apt-get", "update", "-q"])
    host.run(["apt-get", "install", "-y", "-q", "ciscoampconnector=" + PREVIOUS], env=APT_ENV)
    write_file(host, "/opt/cisco/amp/etc/amp.conf", "[policy]\nmode = protect\n")
    host.run(["systemctl", "restart", "cisco-amp"])
    return wait_identity(host)


def test_updater_moves_to_newest_and_keeps_state(deb_host, updater_debs):
    host = deb_host
    identity = install_previous(host, updater_debs)
    result = ampupdater(host)
    assert result.returncode == 0, result.stderr
    assert installed_version(host) == CURRENT
    assert host.run(["systemctl", "is-active", "cisco-amp"], check=False).stdout.strip() == "active"
    assert read_identity(host) == identity
    assert "mode = protect" in host.read_text("/opt/cisco/amp/etc/amp.conf")
    status = host.run(["/opt/cisco/amp/bin/ampcli", "status"]).stdout
    assert "Mode: Protect" in status
    log = host.read_text("/var/log/cisco/ampupdater.log")
    assert "updated from {0} to {1}".format(PREVIOUS, CURRENT) in log
    mode = host.run(["stat", "-c", "%a", "/var/log/cisco/ampupdater.log"]).stdout.strip()
    assert mode == "600"
    journal = host.journal(identifier="cisco-ampupdater")
    assert "updated from {0} to {1}".format(PREVIOUS, CURRENT) in journal


def test_broken_update_rolls_back_once(deb_host, updater_debs):
    host = deb_host
    identity = install_previous(host, updater_debs)
    assert ampupdater(host).returncode == 0
    host.repository.publish(updater_debs[PREVIOUS], updater_debs[CURRENT], updater_debs[BROKEN])
    write_file(host, "/opt/cisco/amp/etc/updater.conf", "[updater]\nhealth_timeout = 10\n")

    first = ampupdater(host)
    assert first.returncode == 1
    assert installed_version(host) == CURRENT
    assert host.run(["systemctl", "is-active", "cisco-amp"], check=False).stdout.strip() == "active"
    assert host.run(["/opt/cisco/amp/bin/ampcli", "status"], check=False).returncode == 0
    state = json.loads(host.read_text("/opt/cisco/amp/etc/updater/state.json"))
    assert state["failed_versions"] == [BROKEN]
    assert state["transaction"] is None
    assert read_identity(host) == identity
    log = host.read_text("/var/log/cisco/ampupdater.log")
    assert "update to {0} failed".format(BROKEN) in log
    assert "connector {0} is healthy again after the rollback".format(CURRENT) in log

    second = ampupdater(host)
    assert second.returncode == 0
    assert installed_version(host) == CURRENT
    log = host.read_text("/var/log/cisco/ampupdater.log")
    assert "skipped versions that failed before: {0}".format(BROKEN) in log


@pytest.mark.parametrize("setup,reason", [
    ("hold", "the package is held"),
    ("disabled", "updates are disabled"),
    ("pin", "is the pinned version"),
])
def test_updater_leaves_host_alone(deb_host, updater_debs, setup, reason):
    host = deb_host
    install_previous(host, updater_debs)
    if setup == "hold":
        host.run(["apt-mark", "hold", "ciscoampconnector"])
    elif setup == "disabled":
        write_file(host, "/opt/cisco/amp/etc/updater.conf", "[updater]\nenabled = false\n")
    else:
        write_file(host, "/opt/cisco/amp/etc/updater.conf",
                   "[updater]\npolicy = pin\nversion = {0}\n".format(PREVIOUS))
    result = ampupdater(host)
    assert result.returncode == 0
    assert installed_version(host) == PREVIOUS
    assert reason in host.read_text("/var/log/cisco/ampupdater.log")


def test_second_run_exits_while_locked(deb_host, updater_debs):
    host = deb_host
    install_previous(host, updater_debs)
    # A transient unit holds the updater's lock, as a first run would.
    host.run(["systemd-run", "--unit=first-updater-run", "flock", "/var/run/cisco-ampupdater.lock",
              "sleep", "60"])
    deadline = time.monotonic() + 20
    while host.run(["flock", "-n", "/var/run/cisco-ampupdater.lock", "true"],
                   check=False).returncode == 0:
        assert time.monotonic() < deadline, "the lock holder never took the lock"
        time.sleep(0.2)
    second = ampupdater(host)
    assert second.returncode == 75
    assert "another ampupdater run holds" in _log(host)
    assert installed_version(host) == PREVIOUS


def _log(host):
    path = Path(host.path("/var/log/cisco/ampupdater.log"))
    return path.read_text() if path.exists() else ""


def test_definitions_from_file_mirror(deb_host, updater_debs, tmp_path):
    host = deb_host
    install_previous(host, updater_debs)
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    content = b"ClamAV-VDB:test daily\x00"
    (mirror / "daily.cvd").write_bytes(content)
    (mirror / "SHA256SUMS").write_text(
        "{0}  daily.cvd\n".format(hashlib.sha256(content).hexdigest()))
    host.copy_in(mirror, "/srv/clamav-mirror")
    write_file(host, "/opt/cisco/amp/etc/updater.conf",
               "[updater]\nenabled = false\n[definitions]\nmirror = file:///srv/clamav-mirror\n")
    result = ampupdater(host)
    assert result.returncode == 0, result.stderr
    assert Path(host.path("/opt/cisco/amp/clamav/daily.cvd")).read_bytes() == content


def test_interrupted_update_is_finished_by_next_run(deb_host, updater_debs):
    host = deb_host
    identity = install_previous(host, updater_debs)
    host.repository.publish(updater_debs[PREVIOUS], updater_debs[CURRENT], updater_debs[BROKEN])
    host.run(["apt-get", "update", "-q"])
    # What a run killed right after installing the broken N+1 leaves behind:
    # the kept package, the recorded transaction and the new package.
    kept = "/opt/cisco/amp/etc/updater/kept/" + updater_debs[PREVIOUS].name
    host.run(["mkdir", "-p", "/opt/cisco/amp/etc/updater/kept"])
    host.copy_in(updater_debs[PREVIOUS], kept)
    transaction = {"from": PREVIOUS, "to": BROKEN, "kept_package": kept,
                   "service_active": True, "phase": "installing"}
    write_file(host, "/opt/cisco/amp/etc/updater/state.json",
               json.dumps({"failed_versions": [], "transaction": transaction}))
    host.run(["apt-get", "install", "-y", "-q", "ciscoampconnector=" + BROKEN], env=APT_ENV)
    write_file(host, "/opt/cisco/amp/etc/updater.conf", "[updater]\nhealth_timeout = 10\n")

    result = ampupdater(host)
    assert result.returncode == 1
    assert installed_version(host) == PREVIOUS
    assert host.run(["/opt/cisco/amp/bin/ampcli", "status"], check=False).returncode == 0
    state = json.loads(host.read_text("/opt/cisco/amp/etc/updater/state.json"))
    assert state == {"failed_versions": [BROKEN], "transaction": None}
    assert read_identity(host) == identity
    log = _log(host)
    assert "interrupted in phase installing" in log
    assert "connector {0} is healthy again after the rollback".format(PREVIOUS) in log
