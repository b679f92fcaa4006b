"""The os check on fixture trees of real releases, and its lookup fallbacks.

Each tree under tests/fixtures/osroots contains os-release and the release
files as that release ships them. The debian-9 tree omits the /etc/os-release
link, so it exercises the /usr/lib/os-release fallback.
"""

from pathlib import Path

import pytest

from installer.checks import os_rules
from installer.checks.model import FAIL, PASS, UNKNOWN, WARN, HostContext
from installer.checks.os_identity import check_os

OS_ROOTS = Path(__file__).resolve().parent.parent / "fixtures" / "osroots"

# tree, status, id, version, the file the identity came from
RELEASES = [
    ("almalinux-8.10", PASS, "almalinux", "8.10", "/etc/os-release"),
    ("almalinux-9.4", PASS, "almalinux", "9.4", "/etc/os-release"),
    ("alpine-3.20", FAIL, "alpine", "3.20.3", "/etc/os-release"),
    ("amzn-2", PASS, "amzn", "2", "/etc/os-release"),
    ("amzn-2018.03", FAIL, "amzn", "2018.03", "/etc/os-release"),
    ("amzn-2023", PASS, "amzn", "2023.5.20240624", "/etc/os-release"),
    ("centos-6.10", FAIL, "centos", "6.10", "/etc/redhat-release"),
    ("centos-7.9", PASS, "centos", "7.9.2009", "/etc/os-release"),
    ("centos-stream-9", FAIL, "centos", "9", "/etc/os-release"),
    ("debian-9", FAIL, "debian", "9", "/usr/lib/os-release"),
    ("debian-10", PASS, "debian", "10", "/etc/os-release"),
    ("debian-11", PASS, "debian", "11", "/etc/os-release"),
    ("debian-12", PASS, "debian", "12", "/etc/os-release"),
    ("debian-13", FAIL, "debian", "13", "/etc/os-release"),
    ("debian-testing", FAIL, "debian", "", "/etc/os-release"),
    ("fedora-40", FAIL, "fedora", "40", "/etc/os-release"),
    ("linuxmint-21.3", FAIL, "linuxmint", "21.3", "/etc/os-release"),
    ("ol-7.9", PASS, "ol", "7.9", "/etc/os-release"),
    ("ol-8.10", PASS, "ol", "8.10", "/etc/os-release"),
    ("opensuse-leap-15.5", FAIL, "opensuse-leap", "15.5", "/etc/os-release"),
    ("rhel-7.6", FAIL, "rhel", "7.6", "/etc/os-release"),
    ("rhel-7.9", PASS, "rhel", "7.9", "/etc/os-release"),
    ("rhel-8.9", PASS, "rhel", "8.9", "/etc/os-release"),
    ("rhel-9.4", PASS, "rhel", "9.4", "/etc/os-release"),
    ("rocky-8.10", PASS, "rocky", "8.10", "/etc/os-release"),
    ("rocky-9.4", PASS, "rocky", "9.4", "/etc/os-release"),
    ("sles-12-sp5", PASS, "sles", "12.5", "/etc/os-release"),
    ("sles-15-sp5", PASS, "sles", "15.5", "/etc/os-release"),
    ("sles_sap-15-sp4", PASS, "sles_sap", "15.4", "/etc/os-release"),
    ("ubuntu-14.04", FAIL, "ubuntu", "14.04", "/etc/os-release"),
    ("ubuntu-16.04", FAIL, "ubuntu", "16.04", "/etc/os-release"),
    ("ubuntu-18.04", PASS, "ubuntu", "18.04", "/etc/os-release"),
    ("ubuntu-20.04", PASS, "ubuntu", "20.04", "/etc/os-release"),
    ("ubuntu-22.04", PASS, "ubuntu", "22.04", "/etc/os-release"),
    ("ubuntu-23.10", FAIL, "ubuntu", "23.10", "/etc/os-release"),
    ("ubuntu-24.04", PASS, "ubuntu", "24.04", "/etc/os-release"),
]


def run_os(tree, machine="x86_64", **options):
    return check_os(HostContext(root=str(OS_ROOTS / tree), machine=machine, **options))


def test_fixture_table_covers_25_releases():
    assert len(RELEASES) >= 25
    assert sorted(row[0] for row in RELEASES) == sorted(
        path.name for path in OS_ROOTS.iterdir() if path.name not in ("empty", "garbage"))


@pytest.mark.parametrize("tree,status,distro_id,version,source", RELEASES)
def test_os_check_release_table(tree, status, distro_id, version, source):
    result = run_os(tree)
    assert result.status == status, result.message
    assert result.facts["id"] == distro_id
    assert result.facts["version"] == version
    assert result.facts["source"] == source


@pytest.mark.parametrize("tree,status,distro_id,version,source", RELEASES)
def test_os_check_message_names_release(tree, status, distro_id, version, source):
    result = run_os(tree)
    assert result.facts["pretty_name"] in result.message
    if status == FAIL:
        assert result.fix.startswith(("Install on", "Move the host", "Update the host")), result.fix
        assert "supported_os.json" not in result.fix


def test_os_check_derivative_names_parent():
    result = run_os("linuxmint-21.3")
    assert "derived from ubuntu" in result.message


def test_os_check_listed_derivative_maps_to_parent():
    result = run_os("sles_sap-15-sp4")
    assert result.facts["supported_as"] == "sles"


def test_os_check_minor_release_rule():
    result = run_os("rhel-7.6")
    assert "(release 7.6)" in result.message
    assert "7.9" in result.message
    assert "7.9" in result.fix


def test_os_check_centos_minor_from_release_file():
    assert run_os("centos-7.9").facts["version"] == "7.9.2009"


def test_os_check_centos_minor_unknown(tmp_path):
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "os-release").write_text('ID="centos"\nVERSION_ID="7"\n')
    result = check_os(HostContext(root=str(tmp_path), machine="x86_64"))
    assert result.status == UNKNOWN
    assert "7.9" in result.message


def test_os_check_architecture_per_release():
    result = run_os("centos-7.9", machine="aarch64")
    assert result.status == FAIL
    assert "aarch64" in result.message


def test_os_check_warns_on_foreign_package_format():
    result = run_os("rhel-9.4", package_format="deb")
    assert result.status == WARN
    assert ".rpm" in result.fix


def test_os_check_empty_tree_unknown():
    result = run_os("empty")
    assert result.status == UNKNOWN
    assert "/etc/os-release" in result.message
    assert [entry["path"] for entry in result.facts["tried"]][:2] == [
        "/etc/os-release", "/usr/lib/os-release"]


def test_os_check_garbage_unknown():
    result = run_os("garbage")
    assert result.status == UNKNOWN
    assert "not UTF-8" in result.message


def test_os_check_absolute_symlink_stays_in_root(tmp_path):
    (tmp_path / "etc").mkdir()
    (tmp_path / "usr" / "lib").mkdir(parents=True)
    (tmp_path / "usr" / "lib" / "os-release").write_text('ID=ubuntu\nVERSION_ID="22.04"\n')
    (tmp_path / "etc" / "os-release").symlink_to("/usr/lib/os-release")
    result = check_os(HostContext(root=str(tmp_path), machine="x86_64"))
    assert result.facts["id"] == "ubuntu"
    assert result.status == PASS


def test_os_check_redhat_release_fallback(tmp_path):
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "os-release").write_text("NAME=whatever\n")
    (tmp_path / "etc" / "redhat-release").write_text(
        "Red Hat Enterprise Linux release 8.10 (Ootpa)\n")
    result = check_os(HostContext(root=str(tmp_path), machine="x86_64"))
    assert result.status == PASS
    assert result.facts["source"] == "/etc/redhat-release"


def test_os_check_lsb_release_fallback(tmp_path):
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "lsb-release").write_text(
        'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=20.04\nDISTRIB_DESCRIPTION="Ubuntu 20.04.6 LTS"\n')
    result = check_os(HostContext(root=str(tmp_path), machine="x86_64"))
    assert result.status == PASS
    assert result.facts["id"] == "ubuntu"
    assert result.facts["source"] == "/etc/lsb-release"


def test_os_check_debian_version_fallback(tmp_path):
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "debian_version").write_text("11.9\n")
    result = check_os(HostContext(root=str(tmp_path), machine="x86_64"))
    assert result.status == PASS
    assert result.facts["version"] == "11.9"


@pytest.mark.parametrize("host,minimum,expected", [
    ("7.9", "7.9", True), ("7.10", "7.9", True), ("7.6", "7.9", False),
    ("7.9.2009", "7.9", True), ("8", "7.9", True), ("2018.03", "2023", False),
])
def test_version_at_least_compares_numbers(host, minimum, expected):
    assert os_rules.version_at_least(host, minimum) is expected


def test_supported_table_rows_name_sources():
    table = os_rules.load_table()
    for row in table["rows"]:
        assert row["source"], row["id"]
        assert set(row["arch"]) <= {"x86_64", "aarch64"}, row["id"]
        assert row["package_format"] in ("rpm", "deb"), row["id"]
        for version in row.get("minimum_release", {}):
            assert version in row["versions"], row["id"]


def test_os_check_relative_symlink_cannot_leave_root(tmp_path):
    # The link resolves inside the root, back to itself (a loop), never to the live file.
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "os-release").symlink_to("../../../../../../../etc/os-release")
    result = check_os(HostContext(root=str(tmp_path), machine="x86_64"))
    assert result.status == UNKNOWN
    assert result.facts["id"] == ""
