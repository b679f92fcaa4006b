"""Profiles, mirror lookup, path resolution and the root cache, without building roots.

The cache tests replace the debootstrap step with a stub, so they need
neither root nor network.
"""

import os
import threading
import time

import pytest

from testhosts import profiles, rootfs
from testhosts.paths import resolve_in_root
from testhosts.system import TestHostError, missing_requirements


def test_cache_key_ignores_package_order():
    first = profiles.Profile("a", "bookworm", ("python3", "cron"))
    second = profiles.Profile("a", "bookworm", ("cron", "python3", "cron"))
    assert first.cache_key() == second.cache_key()


def test_cache_key_covers_suite_packages_format(monkeypatch):
    base = profiles.Profile("a", "bookworm", ("cron",))
    key = base.cache_key()
    assert profiles.Profile("a", "trixie", ("cron",)).cache_key() != key
    assert profiles.Profile("a", "bookworm", ("cron", "rpm")).cache_key() != key
    monkeypatch.setattr(profiles, "FORMAT_VERSION", profiles.FORMAT_VERSION + 1)
    assert base.cache_key() != key


def test_profiles_cover_every_suite():
    for suite in ("bullseye", "bookworm", "trixie"):
        systemd = profiles.get_profile(suite)
        assert systemd.suite == suite
        assert {"systemd", "systemd-sysv", "python3", "dnf", "createrepo-c"} <= set(systemd.packages)
    assert "trixie-sysvinit" not in profiles.PROFILES


def test_sysvinit_profiles_leave_out_systemd():
    for suite in ("bullseye", "bookworm"):
        sysvinit = profiles.get_profile(f"{suite}-sysvinit")
        assert "sysvinit-core" in sysvinit.packages
        assert "systemd" not in sysvinit.packages
        assert sysvinit.init == "sysvinit"


def test_unknown_profile_lists_known_names():
    with pytest.raises(ValueError, match="unknown test-host profile 'jessie'.*bookworm"):
        profiles.get_profile("jessie")


DEB822 = """\
Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main

Types: deb-src
URIs: http://mirror.example/source
Suites: bookworm

Types: deb
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
"""

ONE_LINE = """\
# deb http://commented.example/debian bookworm main
deb http://mirror.example/debian-security bookworm-security main
deb [arch=amd64 signed-by=/x.gpg] http://mirror.example/debian bookworm main
"""


def test_mirror_from_deb822_skips_security():
    assert rootfs._mirror_from_deb822(DEB822) == "http://mirror.example/debian"


def test_mirror_from_sources_list_skips_comments():
    assert rootfs._mirror_from_one_line(ONE_LINE) == "http://mirror.example/debian"


def test_mirror_from_environment(monkeypatch):
    monkeypatch.setenv("AMP_TESTHOST_MIRROR", "http://127.0.0.1:8080/debian")
    assert rootfs.default_mirror() == "http://127.0.0.1:8080/debian"


def test_mirror_falls_back_to_debian(monkeypatch, tmp_path):
    monkeypatch.delenv("AMP_TESTHOST_MIRROR", raising=False)
    monkeypatch.setattr(rootfs, "DEB822_SOURCES", str(tmp_path / "missing.sources"))
    monkeypatch.setattr(rootfs, "ONE_LINE_SOURCES", str(tmp_path / "missing.list"))
    assert rootfs.default_mirror() == "http://deb.debian.org/debian"


@pytest.fixture
def fake_root(tmp_path):
    root = tmp_path / "root"
    (root / "usr/bin").mkdir(parents=True)
    (root / "etc").mkdir()
    (root / "etc/real").write_text("real\n")
    (root / "bin").symlink_to("usr/bin")
    (root / "etc/absolute").symlink_to("/etc/real")
    (root / "etc/escape").symlink_to("../../../../../../etc/passwd")
    (root / "etc/loop").symlink_to("/etc/loop")
    return str(root)


def test_resolve_relative_symlink(fake_root):
    assert resolve_in_root(fake_root, "/bin/python3") == f"{fake_root}/usr/bin/python3"


def test_resolve_absolute_symlink_stays_in_root(fake_root):
    assert resolve_in_root(fake_root, "/etc/absolute") == f"{fake_root}/etc/real"


def test_resolve_dotdot_stops_at_root(fake_root):
    assert resolve_in_root(fake_root, "/etc/escape") == f"{fake_root}/etc/passwd"
    assert resolve_in_root(fake_root, "/../../etc/real") == f"{fake_root}/etc/real"


def test_resolve_symlink_loop_raises(fake_root):
    with pytest.raises(OSError, match="(?i)too many levels"):
        resolve_in_root(fake_root, "/etc/loop")


def test_resolve_rejects_relative_path(fake_root):
    with pytest.raises(ValueError, match="must be absolute"):
        resolve_in_root(fake_root, "etc/real")


def test_missing_requirements_names_package(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    problems = missing_requirements(("systemd-nspawn",))
    assert any("install the Debian package systemd-container" in problem for problem in problems)


TEST_PROFILE = profiles.Profile("unit", "bookworm", ("python3",))


@pytest.fixture
def stub_build(monkeypatch):
    """Replace debootstrap and root configuration with a stub that counts builds."""
    calls = []

    def build_into(profile, build_dir, mirror):
        calls.append(build_dir)
        time.sleep(0.3)
        os.makedirs(os.path.join(build_dir, "rootfs/etc"))
        with open(os.path.join(build_dir, "profile.json"), "w") as manifest:
            manifest.write('{"name": "unit"}\n')

    monkeypatch.setattr(rootfs, "_build_into", build_into)
    monkeypatch.setattr(rootfs, "require", lambda tools: None)
    return calls


def test_concurrent_builds_build_once(tmp_path, stub_build):
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(rootfs.build_root(TEST_PROFILE, cache=str(tmp_path))))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(stub_build) == 1
    assert results == [rootfs.rootfs_path(TEST_PROFILE, str(tmp_path))] * 3
    assert not [entry for entry in os.listdir(tmp_path) if entry.startswith(".build-")]


def test_failed_build_leaves_no_root(tmp_path, monkeypatch):
    def failing_build(profile, build_dir, mirror):
        os.makedirs(os.path.join(build_dir, "rootfs/etc"))
        raise TestHostError("debootstrap failed")

    monkeypatch.setattr(rootfs, "_build_into", failing_build)
    monkeypatch.setattr(rootfs, "require", lambda tools: None)
    with pytest.raises(TestHostError, match="debootstrap failed"):
        rootfs.build_root(TEST_PROFILE, cache=str(tmp_path))

    assert rootfs.find_root(TEST_PROFILE, str(tmp_path)) is None
    assert sorted(os.listdir(tmp_path)) == [".locks"]


def test_stale_build_dir_removed_and_not_used(tmp_path, stub_build):
    stale = tmp_path / f".build-{TEST_PROFILE.cache_name()}-crashed"
    (stale / "rootfs/etc").mkdir(parents=True)
    assert rootfs.find_root(TEST_PROFILE, str(tmp_path)) is None

    rootfs.build_root(TEST_PROFILE, cache=str(tmp_path))

    assert not stale.exists()
    assert len(stub_build) == 1


def test_rebuild_replaces_root(tmp_path, stub_build):
    path = rootfs.build_root(TEST_PROFILE, cache=str(tmp_path))
    marker = os.path.join(path, "etc/old-build")
    open(marker, "w").close()

    assert rootfs.build_root(TEST_PROFILE, cache=str(tmp_path), rebuild=True) == path
    assert not os.path.exists(marker)
    assert len(stub_build) == 2
    assert sorted(os.listdir(tmp_path)) == [".locks", TEST_PROFILE.cache_name()]


def test_rebuild_waits_for_shared_lock(tmp_path, stub_build):
    rootfs.build_root(TEST_PROFILE, cache=str(tmp_path))
    finished = threading.Event()
    rebuild = threading.Thread(
        target=lambda: (rootfs.build_root(TEST_PROFILE, cache=str(tmp_path), rebuild=True), finished.set())
    )
    with rootfs.root_lock(TEST_PROFILE, str(tmp_path), shared=True):
        rebuild.start()
        assert not finished.wait(1.0)
        # A cached root is returned at once even while a host holds the lock.
        assert rootfs.build_root(TEST_PROFILE, cache=str(tmp_path))
    rebuild.join(10)
    assert finished.is_set()


def test_list_roots_reads_manifests(tmp_path, stub_build):
    rootfs.build_root(TEST_PROFILE, cache=str(tmp_path))
    (tmp_path / ".build-other-x").mkdir()

    roots = rootfs.list_roots(str(tmp_path))

    assert [root["name"] for root in roots] == ["unit"]
    assert roots[0]["path"] == rootfs.rootfs_path(TEST_PROFILE, str(tmp_path))
