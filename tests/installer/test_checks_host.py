"""Kernel, kernel monitoring, memory, container, conflicts and existing-install checks.

Each test builds the files the check reads (/proc, /sys, /lib/modules,
dpkg's database) in a fixture root.
"""

import os
from pathlib import Path

import pytest

from installer.checks.conflicts import check_conflicts
from installer.checks.container import check_container
from installer.checks.existing_install import check_existing_install, parse_version_file
from installer.checks.kernel import check_kernel
from installer.checks.kernel_monitoring import check_kernel_monitoring, headers_package
from installer.checks.memory import check_memory
from installer.checks.model import FAIL, PASS, UNKNOWN, WARN, HostContext

OS_ROOTS = Path(__file__).resolve().parent.parent / "fixtures" / "osroots"


def write(root, path, text):
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return target


def context(root, **options):
    return HostContext(root=str(root), machine="x86_64", **options)


@pytest.mark.parametrize("release,status", [
    ("5.14.0-362.8.1.el9_3.x86_64", PASS),
    ("3.10.0-1160.119.1.el7.x86_64", PASS),
    ("2.6.32-754.35.1.el6.x86_64", PASS),
    ("2.6.18-419.el5", FAIL),
    ("not-a-kernel", UNKNOWN),
])
def test_kernel_check_versions(tmp_path, release, status):
    result = check_kernel(context(tmp_path, kernel_release=release))
    assert result.status == status


def test_kernel_check_reads_osrelease_under_root(tmp_path):
    write(tmp_path, "/proc/sys/kernel/osrelease", "4.18.0-553.el8_10.x86_64\n")
    result = check_kernel(context(tmp_path))
    assert result.facts["release"] == "4.18.0-553.el8_10.x86_64"


def test_kernel_check_image_root_is_unknown(tmp_path):
    result = check_kernel(context(tmp_path))
    assert result.status == UNKNOWN


def test_kernel_monitoring_old_kernel_uses_modules(tmp_path):
    result = check_kernel_monitoring(context(tmp_path, kernel_release="3.10.0-1160.el7.x86_64"))
    assert result.status == PASS
    assert result.facts["mechanism"] == "kernel-modules"


def test_kernel_monitoring_4_14_still_uses_modules(tmp_path):
    result = check_kernel_monitoring(context(tmp_path, kernel_release="4.14.336-257.amzn2.x86_64"))
    assert result.facts["mechanism"] == "kernel-modules"


def test_kernel_monitoring_btf_preferred(tmp_path):
    write(tmp_path, "/sys/kernel/btf/vmlinux", "")
    write(tmp_path, "/lib/modules/6.1.0-18-amd64/build/Makefile", "")
    result = check_kernel_monitoring(context(tmp_path, kernel_release="6.1.0-18-amd64"))
    assert result.status == PASS
    assert result.facts["mechanism"] == "ebpf-btf"


def test_kernel_monitoring_headers_through_symlink(tmp_path):
    (tmp_path / "sys" / "kernel").mkdir(parents=True)
    write(tmp_path, "/usr/src/linux-headers-5.4.0-150-generic/Makefile", "")
    modules = tmp_path / "lib" / "modules" / "5.4.0-150-generic"
    modules.mkdir(parents=True)
    (modules / "build").symlink_to("/usr/src/linux-headers-5.4.0-150-generic")
    result = check_kernel_monitoring(context(tmp_path, kernel_release="5.4.0-150-generic"))
    assert result.status == PASS
    assert result.facts["mechanism"] == "ebpf-headers"


def test_kernel_monitoring_nothing_fits_names_package(tmp_path):
    (tmp_path / "sys" / "kernel").mkdir(parents=True)
    write(tmp_path, "/etc/os-release", 'ID=ubuntu\nVERSION_ID="20.04"\n')
    result = check_kernel_monitoring(context(tmp_path, kernel_release="5.4.0-150-generic"))
    assert result.status == FAIL
    assert "linux-headers-5.4.0-150-generic" in result.fix


def test_kernel_monitoring_in_container_warns(tmp_path):
    (tmp_path / "sys" / "kernel").mkdir(parents=True)
    write(tmp_path, "/run/systemd/container", "systemd-nspawn\n")
    result = check_kernel_monitoring(context(tmp_path, kernel_release="6.1.0-18-amd64"))
    assert result.status == WARN


def test_kernel_monitoring_without_sysfs_is_unknown(tmp_path):
    result = check_kernel_monitoring(context(tmp_path, kernel_release="6.1.0-18-amd64"))
    assert result.status == UNKNOWN


@pytest.mark.parametrize("distro_id,release,package", [
    ("debian", "6.1.0-18-amd64", "linux-headers-6.1.0-18-amd64"),
    ("rhel", "5.14.0-362.el9.x86_64", "kernel-devel-5.14.0-362.el9.x86_64"),
    ("ol", "5.15.0-204.147.6.el9uek.x86_64", "kernel-uek-devel-5.15.0-204.147.6.el9uek.x86_64"),
    ("sles", "5.14.21-150500.55.39-default", "kernel-default-devel"),
    ("alpine", "6.6.1-0-lts", ""),
])
def test_headers_package_per_distribution(distro_id, release, package):
    assert headers_package(distro_id, release) == package


MEMINFO = "MemTotal:  {total} kB\nMemFree:  100 kB\nMemAvailable:  {available} kB\n"


@pytest.mark.parametrize("total_mib,available_mib,status", [
    (4096, 3000, PASS), (4096, 200, WARN), (512, 400, FAIL),
])
def test_memory_check_thresholds(tmp_path, total_mib, available_mib, status):
    write(tmp_path, "/proc/meminfo", MEMINFO.format(total=total_mib * 1024,
                                                     available=available_mib * 1024))
    result = check_memory(context(tmp_path))
    assert result.status == status
    assert result.facts["total_mib"] == total_mib


def test_memory_check_old_kernel_estimates_available(tmp_path):
    write(tmp_path, "/proc/meminfo", "MemTotal: 4194304 kB\nMemFree: 1048576 kB\n"
                                     "Cached: 1048576 kB\n")
    result = check_memory(context(tmp_path))
    assert result.facts["available_mib"] == 2048


def test_memory_check_without_proc_is_unknown(tmp_path):
    assert check_memory(context(tmp_path)).status == UNKNOWN


@pytest.mark.parametrize("path,text,runtime", [
    ("/run/systemd/container", "systemd-nspawn\n", "systemd-nspawn"),
    ("/proc/1/environ", "PATH=/bin\0container=podman\0", "podman"),
    ("/proc/1/cgroup", "0::/kubepods/besteffort/pod1/abc\n", "kubernetes"),
    ("/.dockerenv", "", "docker"),
])
def test_container_check_detects_runtime(tmp_path, path, text, runtime):
    write(tmp_path, path, text)
    result = check_container(context(tmp_path))
    assert result.status == WARN
    assert result.facts["container"] == runtime


def test_container_check_plain_tree_passes(tmp_path):
    result = check_container(context(tmp_path))
    assert result.status == PASS


def test_conflicts_without_proc_is_unknown(tmp_path):
    assert check_conflicts(context(tmp_path)).status == UNKNOWN


def fake_process(root, pid, comm, fanotify=False):
    write(root, "/proc/{0}/comm".format(pid), comm + "\n")
    fd_dir = root / "proc" / str(pid) / "fd"
    fd_dir.mkdir(parents=True)
    (fd_dir / "0").symlink_to("/dev/null")
    if fanotify:
        (fd_dir / "3").symlink_to("anon_inode:[fanotify]")


def test_conflicts_finds_known_agent(tmp_path):
    fake_process(tmp_path, 1, "systemd")
    fake_process(tmp_path, 812, "falcon-sensor", fanotify=True)
    result = check_conflicts(context(tmp_path))
    assert result.status == WARN
    assert "CrowdStrike Falcon sensor" in result.message
    assert result.facts["agents"][0]["pid"] == 812


def test_conflicts_finds_truncated_process_name(tmp_path):
    fake_process(tmp_path, 900, "sophos_threat_d")
    result = check_conflicts(context(tmp_path))
    assert "Sophos Protection for Linux" in result.message


def test_conflicts_finds_unknown_fanotify_user(tmp_path):
    fake_process(tmp_path, 1, "systemd")
    fake_process(tmp_path, 4242, "auditwatch", fanotify=True)
    result = check_conflicts(context(tmp_path))
    assert result.status == WARN
    assert result.facts["fanotify_users"] == [{"pid": 4242, "process": "auditwatch"}]


def test_conflicts_fapolicyd_fix_names_trust_command(tmp_path):
    fake_process(tmp_path, 700, "fapolicyd", fanotify=True)
    result = check_conflicts(context(tmp_path))
    assert result.status == WARN
    assert "fapolicyd-cli --file add /opt/cisco/amp/" in result.fix
    assert result.facts["fanotify_users"] == []


def test_conflicts_own_daemon_is_not_a_conflict(tmp_path):
    fake_process(tmp_path, 1, "systemd")
    fake_process(tmp_path, 500, "ampdaemon", fanotify=True)
    assert check_conflicts(context(tmp_path)).status == PASS


def test_conflicts_reports_selinux_and_apparmor(tmp_path):
    fake_process(tmp_path, 1, "systemd")
    write(tmp_path, "/sys/fs/selinux/enforce", "1")
    write(tmp_path, "/sys/module/apparmor/parameters/enabled", "Y\n")
    write(tmp_path, "/sys/kernel/security/apparmor/profiles",
          "/usr/sbin/cupsd (enforce)\n/opt/cisco/amp/bin/ampdaemon (enforce)\n")
    result = check_conflicts(context(tmp_path))
    assert result.facts["selinux"] == "enforcing"
    assert result.status == WARN
    assert "aa-complain" in result.fix
    assert result.facts["apparmor_profiles"] == ["/opt/cisco/amp/bin/ampdaemon (enforce)"]


DPKG_STANZA = ("Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\n\n"
               "Package: ciscoampconnector\nStatus: install ok {state}\nVersion: 1.0.0\n"
               "Description: connector\n long text\n\n")


def install_files(root, version="1.0.0", programs=("ampmon", "ampdaemon", "ampcli")):
    write(root, "/opt/cisco/amp/lib/python/installer/_version.py",
          '__version__ = "{0}"\n'.format(version))
    for name in programs:
        write(root, "/opt/cisco/amp/bin/" + name, "")


def test_existing_install_none(tmp_path):
    result = check_existing_install(context(tmp_path))
    assert result.status == PASS
    assert result.facts["installed_version"] is None


def test_existing_install_reports_version(tmp_path):
    install_files(tmp_path)
    write(tmp_path, "/var/lib/dpkg/status", DPKG_STANZA.format(state="installed"))
    result = check_existing_install(context(tmp_path, tool_version="1.1.0"))
    assert result.status == PASS
    assert "1.0.0" in result.message


def test_existing_install_half_configured_warns(tmp_path):
    install_files(tmp_path)
    write(tmp_path, "/var/lib/dpkg/status", DPKG_STANZA.format(state="half-configured"))
    result = check_existing_install(context(tmp_path))
    assert result.status == WARN
    assert "half-configured" in result.message
    assert "dpkg --configure -a" in result.fix


def test_existing_install_missing_program_warns(tmp_path):
    install_files(tmp_path, programs=("ampmon",))
    result = check_existing_install(context(tmp_path))
    assert result.status == WARN
    assert "/opt/cisco/amp/bin/ampdaemon" in result.message


def test_existing_install_newer_than_package_warns(tmp_path):
    install_files(tmp_path, version="2.0.0")
    result = check_existing_install(context(tmp_path, tool_version="1.0.0"))
    assert result.status == WARN
    assert "2.0.0" in result.message


def test_existing_install_kept_configuration(tmp_path):
    write(tmp_path, "/opt/cisco/amp/etc/amp.conf", "[cloud]\n")
    result = check_existing_install(context(tmp_path))
    assert result.status == PASS
    assert "configuration" in result.message


def test_existing_install_after_remove_is_not_broken(tmp_path):
    write(tmp_path, "/opt/cisco/amp/etc/amp.conf", "[cloud]\n")
    write(tmp_path, "/var/lib/dpkg/status",
          DPKG_STANZA.replace("Status: install ok {state}", "Status: deinstall ok config-files"))
    result = check_existing_install(context(tmp_path))
    assert result.status == PASS
    assert "configuration of an earlier install" in result.message


def test_parse_version_file():
    assert parse_version_file('__version__ = "1.2.3"\n') == "1.2.3"
    assert parse_version_file("junk") == ""


@pytest.mark.skipif(os.geteuid() != 0, reason="reading other processes' descriptors needs root")
def test_conflicts_on_live_host_runs():
    result = check_conflicts(HostContext())
    assert result.status in (PASS, WARN)
