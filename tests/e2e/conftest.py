"""Fixtures for end-to-end tests on booted systemd-nspawn test hosts."""

import subprocess
from pathlib import Path

import pytest

from testhosts import TestHost

HERE = Path(__file__).resolve().parent


@pytest.fixture
def bookworm_host():
    """A freshly booted Debian 12 host, torn down after the test."""
    with TestHost.boot("bookworm") as host:
        yield host


@pytest.fixture(scope="session")
def host_provides_rpm(tmp_path_factory):
    """Build the test-only RPM that declares the host's python3 to rpm."""
    topdir = tmp_path_factory.mktemp("rpm-provides")
    subprocess.run(["rpmbuild", "-bb", "--quiet", "--define", "_topdir {0}".format(topdir),
                    str(HERE / "rpm-host-provides.spec")], check=True)
    return next((topdir / "RPMS" / "noarch").glob("amp-testhost-provides-*.rpm"))
