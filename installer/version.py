"""The connector version, stamped into ``_version.py`` by the package build."""

import os


def get_version():
    """Return the version of this build, or of the source tree it runs from."""
    try:
        from installer._version import __version__
        return __version__
    except ImportError:
        pass
    version_file = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "VERSION")
    try:
        with open(version_file) as handle:
            return handle.read().strip()
    except OSError:
        return "unknown"
