"""Faults injected into installs on one booted Debian 12 host.

Each test starts from a purged host and undoes its injection, so the
tests share one boot. They check that a failed or interrupted transaction
leaves the package manager reporting the failure, and that the next
install or ``ampctl repair`` completes it.
"""

import json
import subprocess
import threading

import pytest

from lifecycle_helpers import Connector
from testhosts import wait_for
from testhosts import TestHost

pytestmark = pytest.mark.testhost

DROP_IN = "/etc/systemd/system/cisco-amp.service.d/fail.conf"
POLICY_RC_D = "/usr/sbin/policy-rc.d"

# Makes the connector's start take long enough to kill the scriptlet that waits for it.
SLOW_START = "[Service]\nExecStartPre=/bin/sleep 5\n"
SLOW_DROP_IN = "/etc/systemd/system/cisco-amp.service.d/slow.conf"


def kill_scriptlet_during_start(amp):
    """SIGKILL the scriptlet that runs ``systemctl start cisco-amp.service``, from outside."""
    proc = amp.path("/proc")

    def scriptlet_pid():
        for entry in proc.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
                status = (entry / "status").read_text()
            except OSError:
                continue
            if argv[:3] == [b"systemctl", b"start", b"cisco-amp.service"]:
                return int(status.split("PPid:")[1].split()[0])
        return None

    parent = wait_for(scriptlet_pid, timeout=60, interval=0.1)
    assert parent, "no scriptlet ran systemctl start"
    # The PID belongs to the host's PID namespace, so the signal is sent from
    # inside it. The minimal host has no procps, so python3 sends it.
    amp.must("python3", "-c", "import os, signal, sys; os.kill(int(sys.argv[1]), signal.SIGKILL)",
             str(parent))


def install_killed_during_start(amp, argv):
    amp.must("mkdir", "-p", "/etc/systemd/system/cisco-amp.service.d")
    amp.path(SLOW_DROP_IN).write_text(SLOW_START)
    results = []
    worker = threading.Thread(target=lambda: results.append(amp.run(*argv)))
    worker.start()
    try:
        kill_scriptlet_during_start(amp)
    finally:
        worker.join()
    amp.must("rm", "-f", SLOW_DROP_IN)
    amp.must("systemctl", "daemon-reload")
    return results[0]


@pytest.fixture(scope="module")
def host():
    with TestHost.boot("bookworm") as booted:
        yield booted


def purge_everything(connector):
    connector.run("sh", "-c", "if [ -x /usr/sbin/ampctl ]; then /usr/sbin/ampctl purge --yes; fi")
    connector.run("dpkg", "--purge", "ciscoampconnector")
    connector.run("rm", "-rf", "/var/lib/ciscoamp", "/opt/cisco", "/root/fakeproc")


@pytest.fixture
def amp(host):
    connector = Connector(host)
    purge_everything(connector)
    yield connector
    connector.run("rm", "-f", DROP_IN, SLOW_DROP_IN, POLICY_RC_D)
    connector.run("systemctl", "daemon-reload")
    connector.run("umount", "/opt")
    purge_everything(connector)


def test_unit_start_failure_fails_postinst(amp, packages):
    amp.must("mkdir", "-p", "/etc/systemd/system/cisco-amp.service.d")
    amp.path(DROP_IN).write_text("[Service]\nExecStartPre=/bin/false\n")
    result = amp.dpkg_install(packages["deb"])
    assert result.returncode != 0
    assert "ampctl repair" in result.stderr
    # dpkg records the package as not configured, and ampctl reports the pending step.
    assert amp.deb_status().startswith("iF")
    assert amp.status()["pending"]["step"] == "post-install"

    amp.must("rm", "-f", DROP_IN)
    amp.must("systemctl", "daemon-reload")
    repaired = amp.ampctl("repair", "--json")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert json.loads(repaired.stdout)["changed"] is True
    amp.must("dpkg", "--configure", "-a")
    assert amp.deb_status().startswith("ii")
    amp.assert_running(amp.status()["version"])


def test_killed_postinst_is_completed(amp, packages):
    result = install_killed_during_start(amp, ("dpkg", "-i", amp.copy(packages["deb"])))
    assert result.returncode != 0
    assert "killed by signal" in result.stderr
    assert amp.deb_status().startswith("iF")
    assert amp.status()["pending"]["step"] == "post-install"

    amp.must("dpkg", "--configure", "-a")
    assert amp.deb_status().startswith("ii")
    amp.assert_running(amp.status()["version"])


def test_killed_rpm_post_is_repaired(amp, packages, host_provides_rpm):
    amp.run("rpm", "-i", amp.copy(host_provides_rpm))
    result = install_killed_during_start(amp, ("rpm", "-i", amp.copy(packages["rpm"])))
    human = amp.ampctl("status").stdout
    assert "did not finish; run: ampctl repair" in human
    # rpm (4.18) only warns about a failed %post and exits 0, so the pending
    # record is what tells the admin; ampctl status shows it.
    nevra = packages["rpm"].name[:-len(".rpm")]
    assert "%post({0}) scriptlet failed, signal 9".format(nevra) in result.stderr
    assert amp.status()["pending"]["step"] == "post-install"

    amp.must("/usr/sbin/ampctl", "repair")
    amp.assert_running(amp.status()["version"])
    amp.must("/usr/sbin/ampctl", "purge", "--yes")
    amp.assert_purged()


def test_policy_rc_d_101_installs_without_starting(amp, packages):
    amp.path(POLICY_RC_D).write_text("#!/bin/sh\nexit 101\n")
    amp.must("chmod", "755", POLICY_RC_D)
    result = amp.dpkg_install(packages["deb"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "policy-rc.d forbids starting services" in result.stderr
    assert amp.deb_status().startswith("ii")
    status = amp.status()
    assert status["service_enabled"] == "enabled"
    assert status["service_active"] is False

    amp.must("rm", "-f", POLICY_RC_D)
    amp.must("/usr/sbin/ampctl", "start")
    amp.assert_running(status["version"])


def test_full_disk_during_unpack_leaves_nothing(amp, packages):
    # The package needs about 760 KiB under /opt; give it 256 KiB.
    amp.must("mkdir", "-p", "/opt")
    amp.must("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", "/opt")
    result = amp.dpkg_install(packages["deb"], env={"CISCO_AMP_PREFLIGHT_IGNORE": "disk"})
    assert result.returncode != 0
    assert "No space left on device" in result.stderr
    assert not amp.deb_status().startswith("ii")
    assert not amp.path("/opt/cisco/amp/bin/ampmon").exists()
    assert not amp.path("/usr/lib/systemd/system/cisco-amp.service").exists()
    assert not amp.service_active()

    amp.must("umount", "/opt")
    assert amp.dpkg_install(packages["deb"]).returncode == 0
    amp.assert_running(amp.status()["version"])


def test_two_installs_at_once(amp, packages):
    deb = amp.copy(packages["deb"])
    results = []

    def install():
        results.append(amp.run("dpkg", "-i", deb))

    threads = [threading.Thread(target=install) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(result.returncode for result in results)
    # dpkg's own lock lets one through, and the other fails with a lock error.
    assert codes[0] == 0
    if codes[1] != 0:
        loser = next(result for result in results if result.returncode != 0)
        assert "lock" in loser.stderr
    assert amp.deb_status().startswith("ii")
    amp.assert_running(amp.status()["version"])


def test_ampctl_waits_for_lifecycle_lock(amp, packages):
    assert amp.dpkg_install(packages["deb"]).returncode == 0
    holder = subprocess.Popen(
        ["nsenter", "-t", str(amp.host.init_pid), "-a", "python3", "-c",
         "import fcntl, sys; f = open('/var/run/ciscoamp-lifecycle.lock', 'w'); "
         "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        blocked = amp.ampctl("disable", "--json", env={"CISCO_AMP_LOCK_TIMEOUT": "1"})
        assert blocked.returncode == 75
        answer = json.loads(blocked.stdout)
        assert answer["failed"] is True
        assert "/var/run/ciscoamp-lifecycle.lock" in answer["error"]
        assert amp.status()["service_active"] is True
    finally:
        # End of input makes the holder exit, which releases the lock.
        holder.stdin.close()
        holder.wait(timeout=30)
    assert amp.ampctl("disable", "--json").returncode == 0
    amp.assert_disabled()


FAKE_LOADER = """#!/bin/sh
# Fake module loader: records loads in the fake /proc/modules; ampnetworkflow fails.
action=$1 name=$2
modules=/root/fakeproc/modules
echo "$action $name" >> /root/loader.calls
if [ "$action" = load ]; then
    if [ "$name" = ampnetworkflow ]; then
        echo "insmod: ERROR: could not insert module: Invalid module format" >&2
        exit 1
    fi
    echo "$name 16384 0 - Live 0x0000000000000000" >> "$modules"
else
    grep -v "^$name " "$modules" > "$modules.new"; mv "$modules.new" "$modules"
fi
"""

INSTALLER_CONF = """[kmod]
proc_root = /root/fakeproc
load_command = /root/fakeloader load {name}
unload_command = /root/fakeloader unload {name}
"""


def test_kernel_modules_with_fake_loader(amp, packages):
    # This VM's kernel has no /proc/modules, so the host gets a fake proc tree
    # with redirfs already loaded and a fake loader whose ampnetworkflow fails.
    amp.must("mkdir", "-p", "/root/fakeproc", "/opt/cisco/amp/etc")
    amp.path("/root/fakeproc/modules").write_text("redirfs 16384 1 - Live 0x0\n")
    amp.path("/root/fakeloader").write_text(FAKE_LOADER)
    amp.must("chmod", "755", "/root/fakeloader")
    amp.path("/opt/cisco/amp/etc/installer.conf").write_text(INSTALLER_CONF)
    amp.path("/root/loader.calls").write_text("")

    assert amp.dpkg_install(packages["deb"]).returncode == 0
    amp.assert_running(amp.status()["version"])
    log = amp.installer_log()
    for line in ("skip installing redirfs since it is already installed", "loading avflt",
                 "avflt loaded", "loading ampnetworkflow", "loading ampnetworkflow failed",
                 "avflt already loaded", "redirfs already loaded", "done"):
        assert line in log, line
    assert amp.path("/root/loader.calls").read_text().splitlines()[:2] == [
        "load avflt", "load ampnetworkflow"]

    faults = json.loads(amp.path("/opt/cisco/amp/etc/faults.json").read_text())
    assert [fault["id"] for fault in faults] == ["kmod_ampnetworkflow_load_failed"]
    assert "Invalid module format" in faults[0]["message"]
    cli = wait_for(lambda: amp.run("/opt/cisco/amp/bin/ampcli", "status"))
    assert "Faults: kmod_ampnetworkflow_load_failed" in cli.stdout
    status = amp.status()
    assert status["modules"] == {"redirfs": True, "avflt": True, "ampnetworkflow": False}

    # A fixed loader and ampctl repair clear the fault.
    amp.path("/root/fakeloader").write_text(FAKE_LOADER.replace(
        'if [ "$name" = ampnetworkflow ]', "if false"))
    amp.must("/usr/sbin/ampctl", "repair")
    assert not amp.path("/opt/cisco/amp/etc/faults.json").exists()

    # Removal unloads in reverse order.
    amp.must("dpkg", "-r", "ciscoampconnector")
    calls = amp.path("/root/loader.calls").read_text().splitlines()
    assert calls[-3:] == ["unload ampnetworkflow", "unload avflt", "unload redirfs"]
    assert amp.path("/root/fakeproc/modules").read_text() == ""


def test_failed_upgrade_keeps_old_version_running(amp, old_packages, new_packages):
    assert amp.dpkg_install(old_packages["deb"]).returncode == 0
    amp.assert_running(old_packages["deb"].name.split("_")[1])
    # An unsupported OS makes the new preinst fail, so dpkg runs the new
    # postrm and the old postinst with abort-upgrade.
    amp.must("rm", "-f", "/etc/os-release")
    amp.path("/etc/os-release").write_text('ID=ubuntu\nVERSION_ID="16.04"\n')
    try:
        result = amp.dpkg_install(new_packages["deb"])
    finally:
        amp.must("rm", "-f", "/etc/os-release")
        amp.must("ln", "-s", "../usr/lib/os-release", "/etc/os-release")
    assert result.returncode != 0
    assert "preflight check os failed" in result.stderr
    log = amp.installer_log()
    assert "starting deb postrm scriptlet (abort-upgrade)" in log
    assert "starting deb postinst scriptlet (abort-upgrade)" in log
    assert amp.deb_status() == "ii " + old_packages["deb"].name.split("_")[1]
    amp.assert_running(old_packages["deb"].name.split("_")[1])
