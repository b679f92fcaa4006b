"""The disk check on real small filesystems mounted under a fixture root.

Sizes: the connector needs 1536 MiB for the install and 200 MiB for the
ClamAV definitions under /opt/cisco/amp/clamav, 1736 MiB when both share a
filesystem. tmpfs sizes are limits, so large ones cost no memory.
"""

import contextlib
import os
import subprocess

import pytest

from installer.checks.disk import check_disk
from installer.checks.model import FAIL, PASS, UNKNOWN, HostContext

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")


@contextlib.contextmanager
def tmpfs(mount_point, size, options=""):
    mount_point.mkdir(parents=True, exist_ok=True)
    option_text = "size={0}".format(size) + ("," + options if options else "")
    subprocess.run(["mount", "-t", "tmpfs", "-o", option_text, "tmpfs", str(mount_point)],
                   check=True)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


def disk_result(root):
    return check_disk(HostContext(root=str(root)))


def by_mount(result):
    return {filesystem["mount_point"]: filesystem for filesystem in result.facts["filesystems"]}


def test_disk_shared_filesystem_sums_needs(tmp_path):
    # 1700 MiB is enough for the install (1536) but not install plus ClamAV (1736).
    with tmpfs(tmp_path / "opt", "1700m"):
        result = disk_result(tmp_path)
    assert result.status == FAIL
    filesystem = by_mount(result)["/opt"]
    assert filesystem["required_mib"] == 1736
    assert filesystem["paths"] == ["/opt/cisco/amp", "/opt/cisco/amp/clamav"]
    assert "1736 MiB needed" in result.message


def test_disk_shared_filesystem_large_enough_passes(tmp_path):
    with tmpfs(tmp_path / "opt", "1800m"):
        result = disk_result(tmp_path)
    assert result.status == PASS
    assert by_mount(result)["/opt"]["free_mib"] >= 1736


def test_disk_split_filesystems_measured_apart(tmp_path):
    # The same 1700 MiB is enough once the ClamAV directory links elsewhere.
    with tmpfs(tmp_path / "opt", "1700m"), tmpfs(tmp_path / "defs", "300m"):
        amp = tmp_path / "opt" / "cisco" / "amp"
        amp.mkdir(parents=True)
        (amp / "clamav").symlink_to("/defs/clamav")
        (tmp_path / "defs" / "clamav").mkdir()
        result = disk_result(tmp_path)
    assert result.status == PASS, result.message
    mounts = by_mount(result)
    assert mounts["/opt"]["required_mib"] == 1536
    assert mounts["/defs"]["required_mib"] == 200
    assert mounts["/defs"]["measured_on"] == "/defs/clamav"


def test_disk_small_clamav_filesystem_fails(tmp_path):
    with tmpfs(tmp_path / "opt", "1700m"), tmpfs(tmp_path / "defs", "100m"):
        amp = tmp_path / "opt" / "cisco" / "amp"
        amp.mkdir(parents=True)
        (amp / "clamav").symlink_to("/defs")
        result = disk_result(tmp_path)
    assert result.status == FAIL
    assert "/defs" in result.message
    assert "/opt/cisco/amp/clamav" in result.fix


def test_disk_symlinked_opt_measures_target(tmp_path):
    with tmpfs(tmp_path / "data", "64m"):
        (tmp_path / "data" / "opt").mkdir()
        (tmp_path / "opt").symlink_to("/data/opt")
        result = disk_result(tmp_path)
    assert result.status == FAIL
    filesystem = by_mount(result)["/data"]
    assert filesystem["measured_on"] == "/data/opt"
    assert filesystem["free_mib"] <= 64


def test_disk_read_only_mount_fails_naming_it(tmp_path):
    with tmpfs(tmp_path / "opt", "2g", "ro"):
        result = disk_result(tmp_path)
    assert result.status == FAIL
    assert "read-only mount /opt" in result.message
    assert "remount,rw" in result.fix
    assert by_mount(result)["/opt"]["read_only"] is True


def test_disk_noexec_mount_fails_naming_it(tmp_path):
    with tmpfs(tmp_path / "opt", "2g", "noexec"):
        result = disk_result(tmp_path)
    assert result.status == FAIL
    assert "/opt/cisco/amp would be on /opt, which is mounted noexec" in result.message
    assert by_mount(result)["/opt"]["noexec"] is True


def test_disk_noexec_log_mount_is_fine(tmp_path):
    with tmpfs(tmp_path / "opt", "2g"), tmpfs(tmp_path / "var" / "log", "10m", "noexec"):
        result = disk_result(tmp_path)
    assert result.status == PASS, result.message


def test_disk_reads_mount_table_under_root(tmp_path):
    # A root with its own /proc/self/mounts is described by that table.
    (tmp_path / "proc" / "self").mkdir(parents=True)
    (tmp_path / "proc" / "self" / "mounts").write_text(
        "/dev/vda1 / ext4 rw,relatime 0 0\n"
        "/dev/vdb1 /opt xfs ro,relatime 0 0\n")
    (tmp_path / "opt").mkdir()
    result = disk_result(tmp_path)
    assert result.status == FAIL
    assert by_mount(result)["/opt"]["fstype"] == "xfs"
    assert "read-only mount /opt" in result.message


def test_disk_unmeasurable_path_is_unknown(tmp_path, monkeypatch):
    from installer.checks import disk

    def refuse(path):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(disk.os, "statvfs", refuse)
    result = disk_result(tmp_path)
    assert result.status == UNKNOWN
    assert "Permission denied" in result.message
