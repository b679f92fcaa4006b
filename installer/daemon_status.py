"""Ask the running ampdaemon for its status over the control socket."""

import json
import socket

from installer import paths

_REQUEST = b'{"command": "status"}\n'
_MAX_RESPONSE = 64 * 1024


def query_daemon_status(socket_path=paths.CONTROL_SOCKET, timeout=2.0):
    """Return the daemon's status object, or None when no daemon responds in time."""
    data = b""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(timeout)
            client.connect(socket_path)
            client.sendall(_REQUEST)
            while not data.endswith(b"\n") and len(data) < _MAX_RESPONSE:
                chunk = client.recv(4096)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return None
    try:
        response = json.loads(data.decode("utf-8"))
    except ValueError:
        return None
    if not isinstance(response, dict) or not response.get("ok"):
        return None
    return response
