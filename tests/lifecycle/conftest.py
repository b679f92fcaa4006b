"""Fixtures of the lifecycle matrix: an older and a newer package of the same tree."""

import pytest

from lifecycle_helpers import NEW_VERSION, OLD_VERSION


@pytest.fixture(scope="session")
def old_packages(package_builder):
    return package_builder(OLD_VERSION)


@pytest.fixture(scope="session")
def new_packages(package_builder):
    return package_builder(NEW_VERSION)
