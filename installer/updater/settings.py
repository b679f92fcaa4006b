"""The updater's settings, read from ``/opt/cisco/amp/etc/updater.conf`` (INI).

    [updater]
    enabled = true            false: no connector updates at all
    policy = latest           latest | pin | max
    version =                 the pinned version (policy = pin)
    max_version =             the highest version allowed (policy = max)
    health_timeout = 120      seconds to wait for ampcli status after an update
    random_delay = 1800       seconds; each run first sleeps a random time up to this

    [definitions]
    enabled = true
    mirror =                  URL of the ClamAV definitions mirror (file:// or http[s]://)
    directory = /opt/cisco/amp/clamav
    timeout = 30              seconds per download

    [proxy]
    url =                     HTTP proxy for the definitions mirror

A missing file means the defaults: updates on, latest, no definitions mirror.
"""

import configparser

from installer import paths
from installer.updater.versions import VersionError, parse_version

POLICIES = ("latest", "pin", "max")
DEFAULT_PATH = paths.UPDATER_CONFIG


class SettingsError(ValueError):
    """An updater.conf value that is invalid; the message names it and the fix."""


class Settings(object):
    """Updater settings; the defaults are those of a missing file."""

    def __init__(self):
        self.enabled = True
        self.policy = "latest"
        self.version = None
        self.max_version = None
        self.health_timeout = 120.0
        self.random_delay = 1800.0
        self.definitions_enabled = True
        self.mirror = ""
        self.definitions_dir = "/opt/cisco/amp/clamav"
        self.download_timeout = 30.0
        self.proxy_url = ""


def _number(parser, section, key, default, source, minimum=0.0):
    text = parser.get(section, key, fallback=None)
    if text is None or not text.strip():
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value < minimum:
        raise SettingsError("invalid [{0}] {1} = {2!r} in {3}: expected a number of seconds "
                            ">= {4:g}".format(section, key, text, source, minimum))
    return value


def _boolean(parser, section, key, default, source):
    try:
        return parser.getboolean(section, key, fallback=default)
    except ValueError:
        raise SettingsError("invalid [{0}] {1} = {2!r} in {3}: expected true or false".format(
            section, key, parser.get(section, key), source))


def _version(parser, key, source):
    text = parser.get("updater", key, fallback="").strip()
    if not text:
        return None
    try:
        parse_version(text)
    except VersionError:
        raise SettingsError("invalid [updater] {0} = {1!r} in {2}: expected a version such as "
                            "1.2.3".format(key, text, source))
    return text


def parse_settings(text, source="<string>"):
    """Parse updater.conf text into Settings; raise SettingsError on an invalid value."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=source)
    except configparser.Error as error:
        raise SettingsError("invalid updater configuration {0}: {1}".format(source, error))
    settings = Settings()
    settings.enabled = _boolean(parser, "updater", "enabled", True, source)
    settings.policy = parser.get("updater", "policy", fallback="latest").strip().lower()
    if settings.policy not in POLICIES:
        raise SettingsError("invalid [updater] policy = {0!r} in {1}: expected one of {2}".format(
            settings.policy, source, ", ".join(POLICIES)))
    settings.version = _version(parser, "version", source)
    settings.max_version = _version(parser, "max_version", source)
    if settings.policy == "pin" and not settings.version:
        raise SettingsError("[updater] policy = pin in {0} needs version = X.Y.Z".format(source))
    if settings.policy == "max" and not settings.max_version:
        raise SettingsError("[updater] policy = max in {0} needs max_version = X.Y.Z".format(
            source))
    settings.health_timeout = _number(parser, "updater", "health_timeout", 120.0, source, 1.0)
    settings.random_delay = _number(parser, "updater", "random_delay", 1800.0, source)
    settings.definitions_enabled = _boolean(parser, "definitions", "enabled", True, source)
    settings.mirror = parser.get("definitions", "mirror", fallback="").strip()
    settings.definitions_dir = parser.get(
        "definitions", "directory", fallback=settings.definitions_dir).strip()
    settings.download_timeout = _number(parser, "definitions", "timeout", 30.0, source, 1.0)
    settings.proxy_url = parser.get("proxy", "url", fallback="").strip()
    return settings


def load_settings(path=DEFAULT_PATH):
    """Read ``path``; a missing file gives the defaults."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError("cannot read {0}: {1}".format(path, error))
    return parse_settings(text, source=path)
