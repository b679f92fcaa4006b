"""Open a TCP connection to an endpoint, directly or with HTTP CONNECT through a proxy."""

import base64
import socket

from installer.i18n import _


class ConnectError(Exception):
    """The endpoint could not be reached. The message names the failed step and the reason."""


def connect_direct(endpoint, timeout):
    """Open and close a TCP connection to ``endpoint`` within ``timeout`` seconds."""
    try:
        connection = socket.create_connection((endpoint.host, endpoint.port), timeout=timeout)
    except socket.timeout:
        raise ConnectError(_("timed out after {seconds:g} s").format(seconds=timeout))
    except socket.gaierror as error:
        raise ConnectError(_("name resolution failed ({error})").format(error=error.strerror or error))
    except (OSError, UnicodeError) as error:
        raise ConnectError(getattr(error, "strerror", None) or str(error))
    connection.close()


def _read_status_line(connection):
    """Read the proxy's response headers and return its status line."""
    response = b""
    while b"\r\n\r\n" not in response and len(response) < 16384:
        chunk = connection.recv(4096)
        if not chunk:
            break
        response += chunk
    return response.split(b"\r\n", 1)[0].decode("latin-1")


def connect_via_proxy(proxy, endpoint, timeout):
    """Ask the HTTP ``proxy`` to CONNECT to ``endpoint``; raise ConnectError unless it responds 2xx."""
    host = "[{0}]".format(endpoint.host) if ":" in endpoint.host else endpoint.host
    authority = "{0}:{1}".format(host, endpoint.port)
    request = "CONNECT {0} HTTP/1.1\r\nHost: {0}\r\n".format(authority)
    if proxy.username is not None:
        credentials = "{0}:{1}".format(proxy.username, proxy.password or "")
        token = base64.b64encode(credentials.encode("utf-8")).decode("ascii")
        request += "Proxy-Authorization: Basic {0}\r\n".format(token)
    request += "\r\n"
    try:
        connection = socket.create_connection((proxy.host, proxy.port), timeout=timeout)
    except socket.timeout:
        raise ConnectError(_("the proxy timed out after {seconds:g} s").format(seconds=timeout))
    except (OSError, UnicodeError) as error:
        raise ConnectError(_("the proxy is not reachable ({error})").format(
            error=getattr(error, "strerror", None) or error))
    try:
        connection.sendall(request.encode("ascii"))
        status_line = _read_status_line(connection)
    except socket.timeout:
        raise ConnectError(_("the proxy did not respond within {seconds:g} s").format(seconds=timeout))
    except OSError as error:
        raise ConnectError(_("the proxy connection failed ({error})").format(
            error=error.strerror or error))
    finally:
        connection.close()
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise ConnectError(_("the proxy sent no HTTP response"))
    if not parts[1].startswith("2"):
        raise ConnectError(_("the proxy responded {status}").format(status=status_line.strip()))
