"""Fixtures of the lifecycle matrix: an older and a newer package of the same tree."""

import pytest

OLD_VERSION = "1.0.0"
NEW_VERSION = "1.1.0"


@pytest.fixture(scope="session")
def old_packages(package_builder):
    return package_builder(OLD_VERSION)


@pytest.fixture(scope="session")
def new_packages(package_builder):
    return package_builder(NEW_VERSION)
