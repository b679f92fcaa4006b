"""Fixtures for end-to-end tests on booted systemd-nspawn test hosts."""

import pytest

from testhosts import TestHost


@pytest.fixture
def bookworm_host():
    """A freshly booted Debian 12 host, torn down after the test."""
    with TestHost.boot("bookworm") as host:
        yield host
