"""Build signed package repositories from the built RPM and DEB files.

Usage:
    python -m tools.repos --out DIR --rpm PKG.rpm... --deb PKG.deb... \\
        (--gnupghome DIR --key-id ID | --test-key)

It writes:

- ``DIR/rpm/``: the RPMs signed with ``rpmsign``, ``repodata/`` from
  ``createrepo_c``, and ``repodata/repomd.xml.asc``, a detached signature,
  so dnf can run with both ``gpgcheck=1`` and ``repo_gpgcheck=1``.
- ``DIR/apt/``: ``pool/`` and ``dists/SUITE/`` with ``Packages`` indexes from
  ``dpkg-scanpackages``, a ``Release`` file with SHA256 sums, and its
  signatures ``InRelease`` (clear-signed) and ``Release.gpg`` (detached).
- ``DIR/cisco-amp-repo.asc``: the ASCII-armored public key for both, which the
  Ansible role installs (Signed-By for apt, the rpm keyring for dnf).

``--test-key`` generates a throwaway key without a passphrase in
``DIR/gnupg``, for tests only. Needs gpg, rpmsign (Debian package ``rpm``),
createrepo_c and dpkg-scanpackages (``dpkg-dev``).
"""

import argparse
import email.utils
import gzip
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

PUBLIC_KEY_NAME = "cisco-amp-repo.asc"
APT_SUITE = "stable"
APT_COMPONENT = "main"
# The packages are architecture-independent, so each architecture's index
# lists the same files; "all" is listed for apt versions that fetch it.
APT_ARCHITECTURES = ("amd64", "arm64", "all")
TEST_KEY_USER_ID = "ciscoampconnector test repository <test-repo@example.invalid>"


class RepoError(RuntimeError):
    """A repository tool failed or is missing."""


def _run(argv, **kwargs):
    try:
        return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs)
    except FileNotFoundError:
        raise RepoError(f"{argv[0]} not found: install it (see the module docstring)") from None
    except subprocess.CalledProcessError as error:
        raise RepoError(
            f"{' '.join(map(str, argv))} failed with exit code {error.returncode}:\n{error.stderr}"
        ) from None


def _gpg(gnupghome, *args, **kwargs):
    return _run(["gpg", "--batch", "--yes", "--homedir", str(gnupghome), *args], **kwargs)


def generate_test_key(gnupghome):
    """Create a passphrase-less signing key in ``gnupghome``; return its fingerprint."""
    gnupghome = Path(gnupghome)
    gnupghome.mkdir(mode=0o700, parents=True, exist_ok=True)
    _gpg(gnupghome, "--passphrase", "", "--quick-generate-key", TEST_KEY_USER_ID, "rsa3072", "sign", "never")
    listing = _gpg(gnupghome, "--with-colons", "--list-secret-keys").stdout
    fingerprints = [line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:")]
    if not fingerprints:
        raise RepoError(f"gpg generated no secret key in {gnupghome}")
    return fingerprints[0]


def export_public_key(gnupghome, key_id, destination):
    destination = Path(destination)
    destination.write_text(_gpg(gnupghome, "--armor", "--export", key_id).stdout)
    return destination


def build_rpm_repo(out_dir, rpms, gnupghome, key_id):
    """Copy and sign ``rpms`` into ``out_dir``, index it and sign repomd.xml."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    copies = []
    for rpm in rpms:
        copy = out_dir / Path(rpm).name
        shutil.copy2(rpm, copy)
        copies.append(str(copy))
    _run(
        [
            "rpmsign",
            "--addsign",
            "--define",
            f"_gpg_name {key_id}",
            "--define",
            f"_gpg_path {gnupghome}",
            "--define",
            "__gpg /usr/bin/gpg",
            *copies,
        ]
    )
    _run(["createrepo_c", "--quiet", "--update", str(out_dir)])
    repomd = out_dir / "repodata" / "repomd.xml"
    _gpg(
        gnupghome,
        "--local-user",
        key_id,
        "--armor",
        "--detach-sign",
        "--output",
        str(repomd) + ".asc",
        str(repomd),
    )
    return out_dir


def _release_text(dists_dir, index_files):
    lines = [
        "Origin: ciscoampconnector",
        "Label: ciscoampconnector",
        f"Suite: {APT_SUITE}",
        f"Codename: {APT_SUITE}",
        f"Date: {email.utils.formatdate(usegmt=True)}",
        f"Architectures: {' '.join(APT_ARCHITECTURES)}",
        f"Components: {APT_COMPONENT}",
        "Description: Cisco Secure Endpoint Linux connector",
        "SHA256:",
    ]
    for path in index_files:
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        lines.append(f" {digest} {len(content):>8} {path.relative_to(dists_dir).as_posix()}")
    return "\n".join(lines) + "\n"


def build_apt_repo(out_dir, debs, gnupghome, key_id):
    """Lay out ``debs`` as an apt repository in ``out_dir`` with a signed Release."""
    out_dir = Path(out_dir)
    pool = out_dir / "pool" / APT_COMPONENT
    pool.mkdir(parents=True, exist_ok=True)
    for deb in debs:
        shutil.copy2(deb, pool / Path(deb).name)

    # Run from the repository root, so each Filename: is relative to it.
    packages = _run(["dpkg-scanpackages", "--multiversion", "pool", "/dev/null"], cwd=out_dir).stdout
    dists_dir = out_dir / "dists" / APT_SUITE
    index_files = []
    for architecture in APT_ARCHITECTURES:
        index_dir = dists_dir / APT_COMPONENT / f"binary-{architecture}"
        index_dir.mkdir(parents=True, exist_ok=True)
        plain = index_dir / "Packages"
        plain.write_text(packages)
        compressed = index_dir / "Packages.gz"
        # mtime=0 keeps the archive identical for identical input.
        compressed.write_bytes(gzip.compress(packages.encode(), mtime=0))
        index_files += [plain, compressed]

    release = dists_dir / "Release"
    release.write_text(_release_text(dists_dir, index_files))
    sign = ["--local-user", key_id]
    _gpg(gnupghome, *sign, "--clearsign", "--output", str(dists_dir / "InRelease"), str(release))
    detached = dists_dir / "Release.gpg"
    _gpg(gnupghome, *sign, "--armor", "--detach-sign", "--output", str(detached), str(release))
    return out_dir


def build_repos(out_dir, rpms, debs, gnupghome=None, key_id=None):
    """Build both repositories and export the public key; return their paths.

    Without ``gnupghome`` and ``key_id`` a throwaway key is generated in
    ``out_dir/gnupg``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    test_key = gnupghome is None
    if test_key:
        gnupghome = out_dir / "gnupg"
        key_id = generate_test_key(gnupghome)
    elif key_id is None:
        raise RepoError("a key id is required with a GnuPG home directory")
    try:
        result = {"key": export_public_key(gnupghome, key_id, out_dir / PUBLIC_KEY_NAME)}
        if rpms:
            result["rpm"] = build_rpm_repo(out_dir / "rpm", rpms, gnupghome, key_id)
        if debs:
            result["apt"] = build_apt_repo(out_dir / "apt", debs, gnupghome, key_id)
    finally:
        if test_key:
            # gpg started an agent for the throwaway home; nothing else uses it.
            subprocess.run(["gpgconf", "--homedir", str(gnupghome), "--kill", "gpg-agent"], check=False)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description="Build signed RPM and apt repositories.")
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--rpm", action="append", default=[], help="RPM file to publish (repeatable)")
    parser.add_argument("--deb", action="append", default=[], help="DEB file to publish (repeatable)")
    parser.add_argument("--gnupghome", help="GnuPG home directory that contains the signing key")
    parser.add_argument("--key-id", help="fingerprint or user id of the signing key")
    parser.add_argument(
        "--test-key",
        action="store_true",
        help="generate a throwaway key without a passphrase in OUT/gnupg (tests only)",
    )
    options = parser.parse_args(argv)
    if options.test_key == bool(options.gnupghome):
        parser.error("give either --gnupghome with --key-id, or --test-key")
    if not options.rpm and not options.deb:
        parser.error("nothing to publish: give --rpm or --deb")
    try:
        result = build_repos(options.out, options.rpm, options.deb, options.gnupghome, options.key_id)
    except RepoError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for name, path in sorted(result.items()):
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
