"""Build dist/amp-preflight.pyz: amp-preflight as one file for a bare python3."""

import zipapp
from pathlib import Path

from tools.scriptlets import BUNDLED_PACKAGES

MAIN = '''import sys

from installer.preflight import main

sys.exit(main())
'''


def build_zipapp(lib_dir, work_dir, dist_dir):
    """Pack the staged ``installer`` and ``distro`` packages into a zipapp."""
    source = Path(work_dir) / "pyz"
    source.mkdir()
    for package in BUNDLED_PACKAGES:
        for path in (Path(lib_dir) / package).rglob("*"):
            if path.is_file():
                target = source / path.relative_to(lib_dir)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes())
    (source / "__main__.py").write_text(MAIN)
    target = Path(dist_dir) / "amp-preflight.pyz"
    zipapp.create_archive(source, target, interpreter="/usr/bin/env python3", compressed=True)
    target.chmod(0o755)
    return target
