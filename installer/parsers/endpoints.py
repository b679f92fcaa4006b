"""Parse cloud endpoints and HTTP proxy URLs as amp.conf and the command line write them.

amp.conf names endpoints in ``[cloud] endpoints = host:port, ...`` (IPv6 as
``[address]:port``) and a proxy in ``[proxy] url = http://host:port``.
"""

import collections
import configparser
import ipaddress
import re
from urllib.parse import unquote, urlsplit

from installer.i18n import _

Endpoint = collections.namedtuple("Endpoint", "host port")
Proxy = collections.namedtuple("Proxy", "host port username password")

DEFAULT_PORT = 443
DEFAULT_PROXY_PORT = 3128
_PORT = re.compile(r"^[0-9]{1,5}$")
_HOST = re.compile(r"^[A-Za-z0-9._-]+$")


class EndpointError(ValueError):
    """An endpoint or proxy URL is malformed; the message names the value."""


def _parse_port(text, value):
    port = int(text) if _PORT.match(text) else 0
    if not 1 <= port <= 65535:
        raise EndpointError(_(
            "invalid port in {0!r}: expected a number from 1 to 65535").format(value))
    return port


def _check_host(host, value):
    if ":" in host:
        return host  # an IPv6 address, already taken out of its brackets
    if not _HOST.match(host):
        raise EndpointError(_("invalid host name in {0!r}").format(value))
    return host


def parse_endpoint(value):
    """Parse ``host``, ``host:port`` or ``[ipv6]:port`` into an :class:`Endpoint`.

    The port defaults to 443, the only port the connector uses.

    >>> parse_endpoint("cloud.example:8443")
    Endpoint(host='cloud.example', port=8443)
    >>> parse_endpoint("[::1]:443")
    Endpoint(host='::1', port=443)
    """
    text = value.strip()
    if text.startswith("["):
        address, bracket, rest = text[1:].partition("]")
        if not bracket or not address or (rest and not rest.startswith(":")):
            raise EndpointError(_(
                "invalid endpoint {0!r}: write an IPv6 address as [address]:port").format(value))
        try:
            ipaddress.IPv6Address(address)
        except ValueError:
            raise EndpointError(_("invalid IPv6 address in {0!r}").format(value))
        port = _parse_port(rest[1:], value) if rest else DEFAULT_PORT
        return Endpoint(address, port)
    host, separator, port_text = text.rpartition(":")
    if not separator:
        host, port_text = text, ""
    elif ":" in host:
        raise EndpointError(_(
            "invalid endpoint {0!r}: write an IPv6 address as [address]:port").format(value))
    if not host:
        raise EndpointError(_("invalid endpoint {0!r}: expected host:port").format(value))
    port = _parse_port(port_text, value) if separator else DEFAULT_PORT
    return Endpoint(_check_host(host, value), port)


def format_endpoint(endpoint):
    """Format an :class:`Endpoint` as amp.conf writes it."""
    if ":" in endpoint.host:
        return "[{0}]:{1}".format(endpoint.host, endpoint.port)
    return "{0}:{1}".format(endpoint.host, endpoint.port)


def parse_proxy_url(value):
    """Parse ``http://[user:password@]host[:port]`` into a :class:`Proxy`.

    Only plain HTTP proxies are supported, because the check speaks HTTP
    CONNECT to them. The port defaults to 3128.
    """
    text = value.strip()
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        port_text = parts.netloc.rpartition("@")[2]
        host = parts.hostname
        port = parts.port
    except ValueError:
        raise EndpointError(_("invalid proxy URL {0!r}: expected http://host:port").format(value))
    if parts.scheme != "http" or not host:
        raise EndpointError(_("invalid proxy URL {0!r}: expected http://host:port").format(value))
    if port is None and port_text.endswith(":"):
        raise EndpointError(_("invalid proxy URL {0!r}: the port is empty").format(value))
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return Proxy(host, port or DEFAULT_PROXY_PORT, username, password)


def format_proxy(proxy):
    """Format a :class:`Proxy` for reports, without its credentials."""
    host = "[{0}]".format(proxy.host) if ":" in proxy.host else proxy.host
    return "http://{0}:{1}".format(host, proxy.port)


def parse_amp_conf(text):
    """Return (endpoint strings, proxy URL string) from amp.conf text.

    Raise :class:`EndpointError` when the text is not an INI file. The
    strings are returned unparsed so the caller can report each bad one.
    """
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error as error:
        raise EndpointError(_("invalid configuration: {0}").format(error).splitlines()[0])
    endpoints = parser.get("cloud", "endpoints", fallback="")
    proxy = parser.get("proxy", "url", fallback="").strip()
    return [item.strip() for item in endpoints.split(",") if item.strip()], proxy
