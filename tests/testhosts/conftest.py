"""Fixtures for the test-host tests.

Tests that boot hosts need root, debootstrap, systemd-nspawn and nsenter.
Where these are missing they fail with the reason instead of being skipped,
because CI runs as root with the tools installed.
"""

import pathlib
import sys

import pytest

# pytest puts this folder, not the repository root, on sys.path.
REPOSITORY_ROOT = pathlib.Path(__file__).resolve().parents[2]
if str(REPOSITORY_ROOT) not in sys.path:
    sys.path.insert(0, str(REPOSITORY_ROOT))

import testhosts  # noqa: E402


@pytest.fixture(scope="session")
def host_requirements():
    """Fail the test unless this process can build and boot test hosts."""
    problems = testhosts.missing_requirements()
    if problems:
        pytest.fail("test hosts cannot run here: " + "; ".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def bookworm_root(host_requirements):
    """Path of the cached bookworm root, built on first use (about a minute)."""
    return testhosts.build_root("bookworm")


@pytest.fixture
def bookworm_host(bookworm_root):
    with testhosts.TestHost.boot("bookworm") as host:
        yield host
