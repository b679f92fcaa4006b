"""Extract, merge and compile the installer's gettext catalogs.

python -m tools.catalogs extract   refresh installer/locale/ciscoamp.pot and merge it
                                   into every .po (new messages arrive untranslated)
python -m tools.catalogs compile   write a .mo beside every .po (the build does this)
"""

import subprocess
import sys

from tools.version import REPO

LOCALE_DIR = REPO / "installer" / "locale"
TEMPLATE = LOCALE_DIR / "ciscoamp.pot"


def source_files():
    return sorted(str(p.relative_to(REPO)) for p in (REPO / "installer").rglob("*.py"))


def extract_messages(output=TEMPLATE):
    """Write the message template of every ``_()`` call in installer/ to ``output``."""
    subprocess.run(
        ["xgettext", "--language=Python", "--keyword=_", "--from-code=UTF-8",
         "--add-comments=NOTE", "--sort-by-file", "--package-name=ciscoampconnector",
         "-o", str(output)] + source_files(),
        check=True, cwd=REPO,
    )
    return output


def merge_catalogs():
    for po_file in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        subprocess.run(["msgmerge", "--quiet", "--update", "--backup=none", "--no-fuzzy-matching",
                        str(po_file), str(TEMPLATE)], check=True)


def compile_catalogs(locale_dir=LOCALE_DIR):
    """Run msgfmt on every .po file, writing the .mo beside it; return the .mo paths."""
    compiled = []
    for po_file in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_file = po_file.with_suffix(".mo")
        subprocess.run(["msgfmt", "--check", "-o", str(mo_file), str(po_file)], check=True)
        compiled.append(mo_file)
    return compiled


def main(argv):
    if argv == ["extract"]:
        extract_messages()
        merge_catalogs()
    elif argv == ["compile"]:
        for path in compile_catalogs():
            print(path)
    else:
        sys.stderr.write(__doc__)
        return 64
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
