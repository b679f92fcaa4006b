"""Control-socket protocol: one JSON object per line, UTF-8, in each direction.

A client sends a request such as ``{"command": "status"}`` and reads one
response line. A response has ``"ok": true`` and the command's fields, or
``"ok": false`` with ``"error"`` (a code) and ``"message"`` (text for people).
A connection may carry several requests in turn.
"""

import json
import socket

MAX_LINE_BYTES = 64 * 1024

# Error codes of failed responses.
INVALID_JSON = "invalid_json"
INVALID_REQUEST = "invalid_request"
UNKNOWN_COMMAND = "unknown_command"
REQUEST_TOO_LARGE = "request_too_large"
BUSY = "busy"
INTERNAL_ERROR = "internal_error"
# Raised on the client side only.
NO_RESPONSE = "no_response"


class ProtocolError(Exception):
    """A request or response line is not a valid protocol message."""

    def __init__(self, code, message):
        Exception.__init__(self, message)
        self.code = code


def encode_message(message):
    """Encode a dict as one UTF-8 JSON line."""
    return (json.dumps(message, sort_keys=True) + "\n").encode("utf-8")


def decode_message(line):
    """Decode one line (bytes) into a dict; raise ProtocolError if it is not a JSON object."""
    try:
        message = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ProtocolError(INVALID_JSON, "invalid JSON: {}".format(error))
    if not isinstance(message, dict):
        raise ProtocolError(INVALID_REQUEST, "expected a JSON object, got {}".format(
            type(message).__name__))
    return message


def error_response(code, message):
    return {"ok": False, "error": code, "message": message}


def read_line(stream):
    """Read one line from a binary file object; return b"" at end of stream.

    Raises ProtocolError when the line is longer than MAX_LINE_BYTES.
    """
    line = stream.readline(MAX_LINE_BYTES + 1)
    if len(line) > MAX_LINE_BYTES:
        raise ProtocolError(REQUEST_TOO_LARGE, "line longer than {} bytes".format(MAX_LINE_BYTES))
    return line


def send_request(socket_path, request, timeout):
    """Send one request to the daemon's socket and return its response dict.

    Raises OSError (including socket.timeout) when the socket cannot be reached,
    and ProtocolError when the reply is not a valid response.
    """
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.settimeout(timeout)
        client.connect(socket_path)
        client.sendall(encode_message(request))
        stream = client.makefile("rb")
        try:
            line = read_line(stream)
        finally:
            stream.close()
    finally:
        client.close()
    if not line:
        raise ProtocolError(NO_RESPONSE, "the daemon closed the connection without a response")
    return decode_message(line)
