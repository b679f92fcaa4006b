"""tools.repos: both repositories are signed by the key it exports, and their indexes match the files."""

import gzip
import hashlib
import subprocess

import pytest

from tools.repos import APT_ARCHITECTURES, APT_COMPONENT, APT_SUITE, build_repos

OLD_VERSION = "0.9.0"
NEW_VERSION = "1.0.0"


@pytest.fixture(scope="module")
def repos(package_builder, tmp_path_factory):
    """Both repositories with two versions, signed with a throwaway key."""
    old = package_builder(OLD_VERSION)
    new = package_builder(NEW_VERSION)
    out = tmp_path_factory.mktemp("repos")
    return build_repos(out, rpms=[old["rpm"], new["rpm"]], debs=[old["deb"], new["deb"]])


@pytest.fixture(scope="module")
def keyring(repos, tmp_path_factory):
    """A keyring that contains only the exported public key, for gpgv."""
    home = tmp_path_factory.mktemp("verify-gnupg")
    home.chmod(0o700)
    keyring_path = home / "repo.gpg"
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--homedir",
            str(home),
            "--no-default-keyring",
            "--keyring",
            str(keyring_path),
            "--import",
            str(repos["key"]),
        ],
        check=True,
        capture_output=True,
    )
    # gpg may start an agent for the new home; stop it, since gpgv needs none.
    subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], check=False)
    return keyring_path


def _gpgv(keyring, *files):
    return subprocess.run(
        ["gpgv", "--keyring", str(keyring), *map(str, files)], capture_output=True, text=True
    )


def test_apt_inrelease_signature_valid(repos, keyring):
    result = _gpgv(keyring, repos["apt"] / "dists" / APT_SUITE / "InRelease")
    assert result.returncode == 0, result.stderr


def test_apt_release_detached_signature_valid(repos, keyring):
    dists = repos["apt"] / "dists" / APT_SUITE
    result = _gpgv(keyring, dists / "Release.gpg", dists / "Release")
    assert result.returncode == 0, result.stderr


def test_apt_release_sums_match_indexes(repos):
    dists = repos["apt"] / "dists" / APT_SUITE
    release = (dists / "Release").read_text()
    sums = release.split("SHA256:\n", 1)[1].splitlines()
    assert len(sums) == 2 * len(APT_ARCHITECTURES)
    for line in sums:
        digest, size, name = line.split()
        content = (dists / name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == digest, name
        assert len(content) == int(size), name


def test_apt_index_lists_both_versions(repos):
    packages = gzip.decompress(
        (repos["apt"] / "dists" / APT_SUITE / APT_COMPONENT / "binary-amd64" / "Packages.gz").read_bytes()
    ).decode()
    assert f"Version: {OLD_VERSION}\n" in packages
    assert f"Version: {NEW_VERSION}\n" in packages
    for line in packages.splitlines():
        if line.startswith("Filename: "):
            assert (repos["apt"] / line.split(" ", 1)[1]).is_file(), line


def test_rpm_repomd_signature_valid(repos, keyring):
    repodata = repos["rpm"] / "repodata"
    result = _gpgv(keyring, repodata / "repomd.xml.asc", repodata / "repomd.xml")
    assert result.returncode == 0, result.stderr


def test_rpm_packages_signed_by_key(repos, tmp_path):
    subprocess.run(["rpmkeys", "--dbpath", str(tmp_path), "--import", str(repos["key"])], check=True)
    rpms = sorted(repos["rpm"].glob("*.rpm"))
    assert len(rpms) == 2
    for rpm in rpms:
        result = subprocess.run(
            ["rpmkeys", "--dbpath", str(tmp_path), "--checksig", str(rpm)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "digests signatures OK" in result.stdout, result.stdout


def test_rpm_signature_rejected_without_key(repos, tmp_path):
    rpm = sorted(repos["rpm"].glob("*.rpm"))[0]
    result = subprocess.run(
        ["rpmkeys", "--dbpath", str(tmp_path), "--checksig", str(rpm)], capture_output=True, text=True
    )
    assert result.returncode != 0, result.stdout
