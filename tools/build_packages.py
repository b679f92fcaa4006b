"""Build the RPM, the DEB and amp-preflight.pyz into dist/ from one staged payload.

Usage: python -m tools.build_packages [--dist DIR] [--version X.Y.Z] [--format rpm|deb|pyz]...
The version defaults to AMP_VERSION, then the VERSION file.
"""

import argparse
import sys
import tempfile
from pathlib import Path

from tools.deb_build import build_deb
from tools.rpm_build import build_rpm
from tools.stage import LIB_PYTHON, stage_payload
from tools.version import REPO, VersionError, package_version
from tools.zipapp_build import build_zipapp

FORMATS = ("rpm", "deb", "pyz")


def build(dist_dir, version, formats=FORMATS):
    """Build the requested formats into ``dist_dir``; return {format: path}."""
    dist_dir = Path(dist_dir)
    dist_dir.mkdir(parents=True, exist_ok=True)
    built = {}
    with tempfile.TemporaryDirectory(prefix="amp-build-") as work:
        work_dir = Path(work)
        stage_dir = stage_payload(work_dir / "stage", version)
        lib_dir = stage_dir / "opt/cisco/amp" / LIB_PYTHON
        if "rpm" in formats:
            built["rpm"] = build_rpm(stage_dir, lib_dir, work_dir, dist_dir, version)
        if "deb" in formats:
            built["deb"] = build_deb(stage_dir, lib_dir, work_dir, dist_dir, version)
        if "pyz" in formats:
            built["pyz"] = build_zipapp(lib_dir, work_dir, dist_dir)
    return built


def main(argv=None):
    parser = argparse.ArgumentParser(description="Build the ciscoampconnector packages.")
    parser.add_argument("--dist", default=str(REPO / "dist"), help="output directory (default: dist/)")
    parser.add_argument("--version", help="package version X.Y.Z (default: AMP_VERSION, then VERSION)")
    parser.add_argument("--format", action="append", choices=FORMATS,
                        help="build only this format (repeatable; default: all)")
    options = parser.parse_args(argv)
    try:
        version = package_version(options.version)
    except VersionError as error:
        parser.error(str(error))
    for path in build(options.dist, version, tuple(options.format or FORMATS)).values():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
