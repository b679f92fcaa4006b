"""Message catalogs: every message has a Japanese translation, and locales pick it."""

import re
import subprocess

import pytest

from installer import i18n
from tools.catalogs import LOCALE_DIR, compile_catalogs, extract_messages


def read_po(path):
    """Return {msgid: msgstr} of a .po file, skipping the header and fuzzy entries."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if "#, fuzzy" in block:
            continue
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', block.split("msgstr")[0], re.M))
        msgstr = "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[1])) if "msgstr" in block else ""
        if msgid:
            entries[msgid] = msgstr
    return entries


def test_every_message_has_japanese_translation(tmp_path):
    template = extract_messages(tmp_path / "current.pot")
    wanted = read_po(template)
    japanese = read_po(LOCALE_DIR / "ja" / "LC_MESSAGES" / "ciscoamp.po")
    missing = sorted(msgid for msgid in wanted if not japanese.get(msgid))
    assert wanted, "xgettext found no messages"
    assert missing == [], "untranslated; run python -m tools.catalogs extract and translate"


def test_catalog_placeholders_match():
    japanese = read_po(LOCALE_DIR / "ja" / "LC_MESSAGES" / "ciscoamp.po")
    for msgid, msgstr in japanese.items():
        assert sorted(re.findall(r"{\w+(?:!r)?}", msgid)) == \
            sorted(re.findall(r"{\w+(?:!r)?}", msgstr)), msgid


@pytest.mark.parametrize("environ,expected", [
    ({"LANG": "ja_JP.UTF-8"}, "ja"),
    ({"LC_ALL": "ja_JP.eucJP", "LANG": "en_US.UTF-8"}, "ja"),
    ({"LANGUAGE": "fr:ja", "LANG": "en_US.UTF-8"}, "ja"),
    ({"LANG": "C.UTF-8"}, None),
    ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, None),
    ({}, None),
])
def test_requested_language_follows_locale_variables(environ, expected):
    assert i18n.requested_language(environ) == expected


def test_japanese_catalog_loads_from_package():
    compile_catalogs()
    catalog = i18n.load_translations("ja")
    assert catalog.gettext("Running as root.") == "root として実行しています。"


def test_msgfmt_accepts_catalog():
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null",
                    str(LOCALE_DIR / "ja" / "LC_MESSAGES" / "ciscoamp.po")], check=True)
