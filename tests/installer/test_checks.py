"""The preflight checks, run against fixture trees and real small filesystems."""

import os
import subprocess
from pathlib import Path

import pytest

from installer.checks import run_checks
from installer.checks.model import FAIL, PASS, UNKNOWN, WARN, HostContext, verdict
from installer.checks.os_identity import check_os, version_matches
from installer.hostfs import resolve_in_root

OS_ROOTS = Path(__file__).resolve().parent.parent / "fixtures" / "osroots"

OS_EXPECTATIONS = [
    ("debian-12", PASS, "debian", "12"),
    ("rhel-8.9", PASS, "rhel", "8.9"),
    ("amzn-2", PASS, "amzn", "2"),
    ("amzn-2018.03", FAIL, "amzn", "2018.03"),
    ("ubuntu-16.04", FAIL, "ubuntu", "16.04"),
    ("empty", UNKNOWN, "", ""),
]


@pytest.mark.parametrize("tree,status,distro_id,version", OS_EXPECTATIONS)
def test_os_check_on_fixture_tree(tree, status, distro_id, version):
    result = check_os(HostContext(root=str(OS_ROOTS / tree)))
    assert result.status == status
    assert result.facts["id"] == distro_id
    assert result.facts["version"] == version


def test_os_check_garbage_os_release_is_not_pass():
    result = check_os(HostContext(root=str(OS_ROOTS / "garbage")))
    assert result.status in (UNKNOWN, FAIL)


def test_os_check_failure_names_fix():
    result = check_os(HostContext(root=str(OS_ROOTS / "amzn-2018.03")))
    assert "Amazon Linux AMI 2018.03" in result.message
    assert result.fix.startswith("Move the host to a supported Amazon Linux release: ")


def test_os_check_warns_on_foreign_package_format():
    result = check_os(HostContext(root=str(OS_ROOTS / "debian-12"), package_format="rpm"))
    assert result.status == WARN
    assert ".deb" in result.fix


@pytest.mark.parametrize("row,host,expected", [
    ("8", "8.9", True), ("8", "8", True), ("2", "2023", False), ("2", "2018.03", False),
    ("2023", "2023.5.20240624", True), ("22.04", "22.04", True), ("22.04", "22.10", False),
    ("12", "", False),
])
def test_version_matches_componentwise(row, host, expected):
    assert version_matches(row, host) is expected


def test_root_check_fails_for_unprivileged_user():
    results = run_checks(HostContext(root=str(OS_ROOTS / "debian-12"), euid=1000), names=["root"])
    assert results[0].status == FAIL
    assert "1000" in results[0].message


def test_arch_check_rejects_unsupported_machine():
    results = run_checks(HostContext(machine="ppc64le"), names=["arch"])
    assert results[0].status == FAIL
    assert "ppc64le" in results[0].message


def test_init_check_without_running_init_warns(tmp_path):
    results = run_checks(HostContext(root=str(tmp_path)), names=["init"])
    assert results[0].status == WARN
    assert results[0].facts["init"] == "none"


def test_init_check_detects_systemd_marker(tmp_path):
    (tmp_path / "run" / "systemd" / "system").mkdir(parents=True)
    results = run_checks(HostContext(root=str(tmp_path)), names=["init"])
    assert results[0].status == PASS
    assert results[0].facts["init"] == "systemd"


def test_ignore_demotes_failure_to_warning():
    ctx = HostContext(root=str(OS_ROOTS / "ubuntu-16.04"))
    results = run_checks(ctx, names=["os"], ignore=["os"])
    assert results[0].status == WARN
    assert results[0].ignored is True
    assert verdict(results) == WARN


def test_broken_check_reports_unknown(monkeypatch):
    from installer import checks

    def explode(ctx):
        raise RuntimeError("probe exploded")

    monkeypatch.setattr(checks, "REGISTRY", (("boom", explode),))
    results = checks.run_checks(HostContext())
    assert results[0].status == UNKNOWN
    assert "probe exploded" in results[0].message


def test_resolve_in_root_keeps_absolute_links_inside(tmp_path):
    (tmp_path / "data" / "opt").mkdir(parents=True)
    (tmp_path / "opt").symlink_to("/data/opt")
    assert resolve_in_root(str(tmp_path), "/opt/cisco/amp") == "/data/opt/cisco/amp"


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 64 MiB tmpfs mounted at ROOT/data, with /opt pointing into it."""
    mount_point = tmp_path / "data"
    mount_point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount_point)],
                   check=True)
    try:
        (mount_point / "opt").mkdir()
        (tmp_path / "opt").symlink_to("/data/opt")
        yield tmp_path
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")
def test_disk_check_measures_symlinked_opt_on_small_tmpfs(small_tmpfs):
    results = run_checks(HostContext(root=str(small_tmpfs)), names=["disk"])
    assert results[0].status == FAIL
    filesystem = results[0].facts["filesystems"][0]
    assert filesystem["measured_on"] == "/data/opt"
    assert filesystem["mount_point"] == "/data"
    assert filesystem["free_mib"] <= 64
    assert "/data" in results[0].fix


def test_container_host_without_monitoring_has_no_failure(tmp_path):
    # A booted nspawn test host: systemd runs, but the kernel has no BTF visible
    # and no headers are installed. The pre-install scriptlet must not fail here.
    for path, text in (
        ("etc/os-release", (OS_ROOTS / "debian-12" / "etc" / "os-release").read_text()),
        ("run/systemd/container", "systemd-nspawn\n"),
        ("proc/meminfo", "MemTotal: 4194304 kB\nMemAvailable: 3145728 kB\n"),
        ("proc/1/comm", "systemd\n"),
    ):
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (tmp_path / "run" / "systemd" / "system").mkdir()
    (tmp_path / "sys" / "kernel").mkdir(parents=True)
    ctx = HostContext(root=str(tmp_path), euid=0, machine="x86_64", package_format="deb",
                      kernel_release="6.1.0-18-amd64")
    results = {result.name: result for result in run_checks(ctx)}
    assert [name for name, result in results.items() if result.status == FAIL] == []
    assert results["container"].status == WARN
    assert results["kernel-monitoring"].status == WARN
    assert results["init"].status == PASS
