"""The package version: the VERSION file, unless AMP_VERSION overrides it."""

import os
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VERSION_PATTERN = re.compile(r"^\d+\.\d+\.\d+$")


class VersionError(ValueError):
    """A version that RPM and Debian would not both order correctly."""


def package_version(override=None):
    """Return the version to build: ``override``, then AMP_VERSION, then VERSION."""
    version = override or os.environ.get("AMP_VERSION") or (REPO / "VERSION").read_text().strip()
    if not VERSION_PATTERN.match(version):
        raise VersionError(
            f"invalid version {version!r}: expected X.Y.Z with digits only, e.g. 1.2.3 "
            "(set AMP_VERSION or edit the VERSION file)"
        )
    return version
