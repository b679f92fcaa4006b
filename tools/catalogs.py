"""Compile the gettext catalogs (.po) of the installer into .mo files."""

import subprocess
from pathlib import Path

from tools.version import REPO

LOCALE_DIR = REPO / "installer" / "locale"


def compile_catalogs(locale_dir=LOCALE_DIR):
    """Run msgfmt on every .po file, writing the .mo beside it; return the .mo paths."""
    compiled = []
    for po_file in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_file = po_file.with_suffix(".mo")
        subprocess.run(["msgfmt", "--check", "-o", str(mo_file), str(po_file)], check=True)
        compiled.append(mo_file)
    return compiled


if __name__ == "__main__":
    for path in compile_catalogs():
        print(path)
