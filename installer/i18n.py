"""Message catalogs: English by default, Japanese when the locale selects it.

Catalogs are read with ``pkgutil.get_data`` so they load the same way from
the installed package, from the source tree and from inside the
``amp-preflight.pyz`` zipapp, where ``gettext.translation`` cannot look.
"""

import contextlib
import gettext
import io
import os
import pkgutil

DOMAIN = "ciscoamp"
SUPPORTED_LANGUAGES = ("ja",)
_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_translations = None


def requested_language(environ=None):
    """Return the first supported language the locale variables name, or None.

    The variables are read in the order gettext uses. ``LANGUAGE`` may hold a
    colon-separated list; ``C`` and ``POSIX`` mean English.
    """
    environ = os.environ if environ is None else environ
    for variable in _LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if not value:
            continue
        for entry in value.split(":"):
            language = entry.split(".")[0].split("_")[0].split("@")[0].lower()
            if language in SUPPORTED_LANGUAGES:
                return language
            if language in ("c", "posix", "en"):
                return None
        if variable != "LANGUAGE":
            return None
    return None


def load_translations(language):
    """Return the catalog for ``language``, or the identity catalog if absent."""
    if language is None:
        return gettext.NullTranslations()
    resource = "locale/{0}/LC_MESSAGES/{1}.mo".format(language, DOMAIN)
    try:
        data = pkgutil.get_data("installer", resource)
    except OSError:
        data = None
    if not data:
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(data))


def set_language(language):
    """Switch the catalog used by ``_`` (tests and ``--lang`` use this)."""
    global _translations
    _translations = load_translations(language)


@contextlib.contextmanager
def language(code):
    """Switch ``_`` to ``code`` (None for English) inside the block, then back."""
    global _translations
    saved = _translations
    set_language(code)
    try:
        yield
    finally:
        _translations = saved


def _(message):
    """Translate ``message`` into the language of the current locale."""
    global _translations
    if _translations is None:
        _translations = load_translations(requested_language())
    return _translations.gettext(message)
