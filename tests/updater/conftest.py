"""Fixtures for updater tests on booted hosts: versions N-1, N and a broken N+1."""

import shutil
import subprocess
from pathlib import Path

import pytest

from testhosts import TestHost
from tools.repos import (
    APT_COMPONENT, APT_SUITE, build_apt_repo, export_public_key, generate_test_key,
)

from updater_versions import BROKEN, CURRENT, PREVIOUS

BROKEN_DAEMON = '''#!/usr/bin/python3
# Test build: this ampdaemon exits at once, so the connector never responds.
import sys
sys.exit(3)
'''


def break_deb(deb, target_dir):
    """Return a copy of ``deb`` whose ampdaemon exits at once (the broken N+1)."""
    unpacked = target_dir / "unpacked"
    subprocess.run(["dpkg-deb", "-R", str(deb), str(unpacked)], check=True)
    daemon = unpacked / "opt/cisco/amp/bin/ampdaemon"
    daemon.write_text(BROKEN_DAEMON)
    daemon.chmod(0o755)
    md5sums = unpacked / "DEBIAN/md5sums"
    md5sums.write_text("".join(line for line in md5sums.read_text().splitlines(True)
                               if not line.rstrip().endswith("opt/cisco/amp/bin/ampdaemon")))
    broken = target_dir / deb.name
    subprocess.run(["dpkg-deb", "--root-owner-group", "-b", str(unpacked), str(broken)],
                   check=True, stdout=subprocess.DEVNULL)
    return broken


def broken_rpm(version, work_dir):
    """Build an RPM of ``version`` whose ampdaemon exits at once (the broken N+1)."""
    from tools.rpm_build import build_rpm
    from tools.stage import LIB_PYTHON, stage_payload

    stage = stage_payload(work_dir / "stage", version)
    daemon = stage / "opt/cisco/amp/bin/ampdaemon"
    daemon.write_text(BROKEN_DAEMON)
    daemon.chmod(0o755)
    dist = work_dir / "dist"
    dist.mkdir()
    return build_rpm(stage, stage / "opt/cisco/amp" / LIB_PYTHON, work_dir, dist, version)


@pytest.fixture(scope="session")
def updater_rpms(package_builder, tmp_path_factory):
    """The .rpm of N-1 and N, and a broken N+1."""
    return {
        PREVIOUS: package_builder(PREVIOUS)["rpm"],
        CURRENT: package_builder(CURRENT)["rpm"],
        BROKEN: broken_rpm(BROKEN, tmp_path_factory.mktemp("broken-rpm")),
    }


@pytest.fixture(scope="session")
def updater_debs(package_builder, tmp_path_factory):
    """The .deb of N-1 and N, and a broken N+1."""
    broken_dir = tmp_path_factory.mktemp("broken")
    return {
        PREVIOUS: package_builder(PREVIOUS)["deb"],
        CURRENT: package_builder(CURRENT)["deb"],
        BROKEN: break_deb(package_builder(BROKEN)["deb"], broken_dir),
    }


class AptRepository(object):
    """A signed file:// apt repository inside a test host, published from this machine.

    tools.repos builds it and signs its Release with a throwaway key, so apt
    verifies signatures as it would against a real repository.
    """

    PATH = "/srv/amp-repo"
    KEY = "/etc/apt/keyrings/cisco-amp.asc"

    def __init__(self, host, work_dir):
        self.host = host
        self.work_dir = Path(work_dir)
        self.gnupghome = self.work_dir / "gnupg"
        self.key_id = generate_test_key(self.gnupghome)
        self.debs = {}

    def publish(self, *debs):
        """Add ``debs`` to what the repository serves and copy it into the host again."""
        self.debs.update((deb.name, deb) for deb in debs)
        repository = self.work_dir / "apt"
        if repository.exists():
            shutil.rmtree(repository)
        build_apt_repo(repository, sorted(self.debs.values()), self.gnupghome, self.key_id)
        self.host.run(["rm", "-rf", self.PATH])
        self.host.copy_in(repository, self.PATH)

    def configure(self):
        # The private network reaches no Debian mirror; this repository is the only source.
        self.host.run(["rm", "-f", "/etc/apt/sources.list"])
        self.host.run(["mkdir", "-p", "/etc/apt/keyrings"])
        export_public_key(self.gnupghome, self.key_id, self.host.path(self.KEY))
        source = "deb [signed-by={0}] file:{1} {2} {3}\n".format(
            self.KEY, self.PATH, APT_SUITE, APT_COMPONENT)
        Path(self.host.path("/etc/apt/sources.list.d/amp.list")).write_text(source)
        self.host.run(["apt-get", "update", "-q"])

    def close(self):
        # gpg started an agent for the throwaway home; nothing else uses it.
        subprocess.run(["gpgconf", "--homedir", str(self.gnupghome), "--kill", "gpg-agent"],
                       check=False)


@pytest.fixture
def deb_host(tmp_path):
    """A booted Debian 12 host with an empty file:// apt repository configured."""
    with TestHost.boot("bookworm") as host:
        repository = AptRepository(host, tmp_path / "repo")
        try:
            repository.publish()
            repository.configure()
            host.repository = repository
            yield host
        finally:
            repository.close()
