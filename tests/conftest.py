"""Fixtures shared by the whole suite: packages built once per session and version,
and the test-only RPM that lets rpm install them on Debian test hosts."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tools.build_packages import build  # noqa: E402
from tools.version import package_version  # noqa: E402


@pytest.fixture(scope="session")
def package_builder(tmp_path_factory):
    """Return build(version=None) -> {"rpm": path, "deb": path, "pyz": path}.

    Each version is built once per session into its own directory, so
    upgrade tests can ask for an older and a newer package.
    """
    cache = {}

    def build_version(version=None):
        version = version or package_version()
        if version not in cache:
            dist = tmp_path_factory.mktemp("dist-" + version)
            cache[version] = build(dist, version)
        return cache[version]

    return build_version


@pytest.fixture(scope="session")
def packages(package_builder):
    """The packages of the current version."""
    return package_builder()


@pytest.fixture(scope="session")
def host_provides_rpm(tmp_path_factory):
    """Build the test-only RPM that declares a Debian test host's python3 to rpm."""
    topdir = tmp_path_factory.mktemp("rpm-provides")
    spec = REPO / "tests" / "e2e" / "rpm-host-provides.spec"
    subprocess.run(["rpmbuild", "-bb", "--quiet", "--define", "_topdir {0}".format(topdir),
                    str(spec)], check=True)
    return next((topdir / "RPMS" / "noarch").glob("amp-testhost-provides-*.rpm"))
