"""The connector version, stamped into ``_version.py`` by the package build."""

import os


def get_version():
    """Return the build's version, else the source tree's VERSION file, else "unknown"."""
    try:
        from ampconnector._version import __version__
        return __version__
    except ImportError:
        pass
    # payload/ampconnector/../../VERSION is the top-level VERSION of a source checkout.
    package_dir = os.path.dirname(os.path.abspath(__file__))
    version_file = os.path.join(package_dir, "..", "..", "VERSION")
    try:
        with open(version_file) as handle:
            return handle.read().strip() or "unknown"
    except OSError:
        return "unknown"
