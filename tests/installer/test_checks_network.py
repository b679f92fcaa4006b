"""The network check against TCP servers and an HTTP CONNECT proxy on 127.0.0.1.

Nothing here connects anywhere but loopback: the proxy refuses any CONNECT
target other than 127.0.0.1.
"""

import base64
import socket
import threading

import pytest

from installer.checks.model import PASS, SKIP, UNKNOWN, WARN, HostContext
from installer.checks.network import check_network


@pytest.fixture
def listener():
    """A TCP server on 127.0.0.1 that accepts and closes connections."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    stop = threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _address = server.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    server.close()


@pytest.fixture
def closed_port():
    """A loopback port with nothing listening on it."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


class ConnectProxy(object):
    """A minimal HTTP CONNECT proxy on 127.0.0.1 that records the requests it gets."""

    def __init__(self, credentials=None):
        self.credentials = credentials
        self.requests = []
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        self.server.settimeout(0.2)
        while not self.stop.is_set():
            try:
                connection, _address = self.server.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with connection:
                self.answer(connection)

    def answer(self, connection):
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = connection.recv(4096)
            if not chunk:
                return
            request += chunk
        text = request.decode("latin-1")
        self.requests.append(text)
        method, target = text.split(" ")[:2]
        host, _colon, port = target.rpartition(":")
        if self.credentials:
            token = base64.b64encode(self.credentials.encode()).decode()
            if "Proxy-Authorization: Basic " + token not in text:
                connection.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n")
                return
        if method != "CONNECT" or host != "127.0.0.1":
            connection.sendall(b"HTTP/1.1 403 Forbidden\r\n\r\n")
            return
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
        except OSError:
            connection.sendall(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
            return
        connection.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

    def close(self):
        self.stop.set()
        self.thread.join()
        self.server.close()


@pytest.fixture
def proxy():
    server = ConnectProxy()
    yield server
    server.close()


def network(tmp_path, endpoints=(), proxy_url=None, timeout=2.0):
    return check_network(HostContext(root=str(tmp_path), endpoints=endpoints, proxy=proxy_url,
                                     timeout=timeout))


def test_network_without_endpoint_is_skipped(tmp_path):
    result = network(tmp_path)
    assert result.status == SKIP
    assert "Skipped" in result.message


def test_network_reachable_endpoint_passes(tmp_path, listener):
    result = network(tmp_path, ["127.0.0.1:{0}".format(listener)])
    assert result.status == PASS
    assert result.facts["source"] == "command line"


def test_network_closed_port_warns(tmp_path, closed_port):
    result = network(tmp_path, ["127.0.0.1:{0}".format(closed_port)])
    assert result.status == WARN
    assert "not reachable" in result.message
    assert "Connection refused" in result.message


def test_network_reads_endpoints_from_amp_conf(tmp_path, listener, closed_port):
    conf = tmp_path / "opt" / "cisco" / "amp" / "etc" / "amp.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text("[cloud]\nendpoints = 127.0.0.1:{0}, 127.0.0.1:{1}\n".format(
        listener, closed_port))
    result = network(tmp_path)
    assert result.status == WARN
    assert result.facts["source"] == "/opt/cisco/amp/etc/amp.conf"
    assert len(result.facts["endpoints"]) == 2
    assert "127.0.0.1:{0} is reachable".format(listener) in result.message


def test_network_invalid_endpoint_in_amp_conf_warns(tmp_path):
    conf = tmp_path / "opt" / "cisco" / "amp" / "etc" / "amp.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text("[cloud]\nendpoints = cloud.example:99999\n")
    result = network(tmp_path)
    assert result.status == WARN
    assert "99999" in result.message


def test_network_unreadable_amp_conf_is_unknown(tmp_path):
    conf = tmp_path / "opt" / "cisco" / "amp" / "etc" / "amp.conf"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(b"\xff\xfe[cloud]")
    assert network(tmp_path).status == UNKNOWN


def test_network_through_proxy_passes(tmp_path, listener, proxy):
    result = network(tmp_path, ["127.0.0.1:{0}".format(listener)],
                     "http://127.0.0.1:{0}".format(proxy.port))
    assert result.status == PASS
    assert "through the proxy" in result.message
    assert proxy.requests[0].startswith("CONNECT 127.0.0.1:{0} HTTP/1.1".format(listener))


def test_network_proxy_refusal_warns_with_status(tmp_path, closed_port, proxy):
    result = network(tmp_path, ["127.0.0.1:{0}".format(closed_port)],
                     "http://127.0.0.1:{0}".format(proxy.port))
    assert result.status == WARN
    assert "502 Bad Gateway" in result.message


def test_network_proxy_credentials_sent(tmp_path, listener):
    server = ConnectProxy(credentials="amp:s3cret")
    try:
        url = "http://amp:s3cret@127.0.0.1:{0}".format(server.port)
        result = network(tmp_path, ["127.0.0.1:{0}".format(listener)], url)
        wrong = network(tmp_path, ["127.0.0.1:{0}".format(listener)],
                        "http://127.0.0.1:{0}".format(server.port))
    finally:
        server.close()
    assert result.status == PASS
    assert "s3cret" not in result.message
    assert "s3cret" not in str(result.facts)
    assert wrong.status == WARN
    assert "407" in wrong.message


def test_network_unreachable_proxy_warns(tmp_path, listener, closed_port):
    result = network(tmp_path, ["127.0.0.1:{0}".format(listener)],
                     "http://127.0.0.1:{0}".format(closed_port))
    assert result.status == WARN
    assert "proxy is not reachable" in result.message


def test_network_silent_server_times_out(tmp_path):
    # A proxy that accepts but never responds: the check gives up after the timeout.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        result = network(tmp_path, ["127.0.0.1:443"],
                         "http://127.0.0.1:{0}".format(silent.getsockname()[1]), timeout=0.3)
    finally:
        silent.close()
    assert result.status == WARN
    assert "0.3 s" in result.message
