"""Connector configuration, read from an INI file (amp.conf).

Sections and keys, all optional:

    [policy]
    mode = audit | protect          (default: audit)

    [cloud]
    endpoints = host:port, ...      (default: none; IPv6 as [addr]:port)
    check_interval = 30             (seconds between reachability checks, 1-3600)

    [proxy]
    url = http://proxy:3128         (read and reported only)
"""

import configparser
import errno

MODES = ("audit", "protect")
DEFAULT_MODE = "audit"
DEFAULT_CHECK_INTERVAL = 30.0
MIN_CHECK_INTERVAL = 1.0
MAX_CHECK_INTERVAL = 3600.0


class ConfigError(ValueError):
    """The configuration file is unreadable or has an invalid value."""


class Config(object):
    """Settings the daemon uses; the defaults are those of a missing file."""

    def __init__(self, mode=DEFAULT_MODE, endpoints=(), proxy_url="",
                 check_interval=DEFAULT_CHECK_INTERVAL, invalid_settings=()):
        self.mode = mode
        self.endpoints = list(endpoints)
        self.proxy_url = proxy_url
        self.check_interval = check_interval
        # Settings whose value in the file was invalid, so they kept an earlier value.
        self.invalid_settings = tuple(invalid_settings)


def parse_endpoint(text):
    """Parse ``host:port`` or ``[ipv6]:port`` into a (host, port) tuple."""
    text = text.strip()
    host, separator, port_text = text.rpartition(":")
    if not separator or not host:
        raise ConfigError("invalid cloud endpoint {!r}: expected host:port".format(text))
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        raise ConfigError(
            "invalid cloud endpoint {!r}: write an IPv6 address as [address]:port".format(text))
    try:
        port = int(port_text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise ConfigError(
            "invalid cloud endpoint {!r}: port must be a number from 1 to 65535".format(text))
    return host, port


def format_endpoint(endpoint):
    """Format a (host, port) tuple the way it is written in the configuration."""
    host, port = endpoint
    if ":" in host:
        return "[{}]:{}".format(host, port)
    return "{}:{}".format(host, port)


def _read_mode(parser, source):
    mode = parser.get("policy", "mode", fallback=DEFAULT_MODE).strip().lower()
    if mode not in MODES:
        raise ConfigError("invalid [policy] mode {!r} in {}: expected one of {}".format(
            mode, source, ", ".join(MODES)))
    return mode


def _read_endpoints(parser, source):
    endpoints_text = parser.get("cloud", "endpoints", fallback="")
    return [parse_endpoint(item) for item in endpoints_text.split(",") if item.strip()]


def _read_check_interval(parser, source):
    interval_text = parser.get("cloud", "check_interval", fallback=str(DEFAULT_CHECK_INTERVAL))
    try:
        check_interval = float(interval_text)
    except ValueError:
        check_interval = -1.0
    if not MIN_CHECK_INTERVAL <= check_interval <= MAX_CHECK_INTERVAL:
        raise ConfigError(
            "invalid [cloud] check_interval {!r} in {}: expected seconds from {:g} to {:g}".format(
                interval_text, source, MIN_CHECK_INTERVAL, MAX_CHECK_INTERVAL))
    return check_interval


def _read_proxy_url(parser, source):
    return parser.get("proxy", "url", fallback="").strip()


# Config attribute -> reader; each reader raises ConfigError for its own key only.
_READERS = (
    ("mode", _read_mode),
    ("endpoints", _read_endpoints),
    ("check_interval", _read_check_interval),
    ("proxy_url", _read_proxy_url),
)


def parse_config_keeping(text, current, source="<string>"):
    """Parse amp.conf text; return (Config, errors).

    A setting with an invalid value keeps its value from ``current``, so one
    typo (a bad endpoint, say) does not reset ``mode = protect`` to audit.
    A file that is not valid INI syntax keeps all of ``current``.
    """
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=source)
    except configparser.Error as error:
        return current, ["invalid configuration file {}: {}".format(source, error)]
    values = {}
    errors = []
    invalid = []
    for attribute, reader in _READERS:
        try:
            values[attribute] = reader(parser, source)
        except ConfigError as error:
            values[attribute] = getattr(current, attribute)
            errors.append(str(error))
            invalid.append(attribute)
    return Config(invalid_settings=invalid, **values), errors


def parse_config(text, source="<string>"):
    """Parse the text of an amp.conf file into a Config; raise ConfigError on invalid input."""
    config, errors = parse_config_keeping(text, Config(), source)
    if errors:
        raise ConfigError(errors[0])
    return config


def read_config_text(path):
    """Return the text of the configuration file, or None when it does not exist."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as error:
        if error.errno == errno.ENOENT:
            return None
        raise ConfigError("cannot read configuration file {}: {}".format(path, error.strerror))
    except UnicodeDecodeError as error:
        raise ConfigError("invalid configuration file {}: not UTF-8 text ({})".format(path, error))
