"""Unix control socket of ampdaemon: binding, stale-socket recovery and request handling."""

import errno
import logging
import os
import socket
import stat
import threading

from ampconnector import protocol

LOG = logging.getLogger(__name__)

SOCKET_MODE = 0o600
SOCKET_DIR_MODE = 0o755
LISTEN_BACKLOG = 16
PROBE_TIMEOUT = 1.0  # seconds to wait for a daemon already serving the socket
CLIENT_IDLE_TIMEOUT = 30.0  # seconds a client may stay silent before it is disconnected
MAX_CLIENTS = 32
DRAIN_MAX_BYTES = 1024 * 1024
DRAIN_TIMEOUT = 1.0  # seconds


class ServerError(Exception):
    """The control socket cannot be created."""


def remove_stale_socket(path):
    """Remove a socket file that no process serves any more.

    Raises ServerError when a daemon still accepts connections on it or the path is
    not a socket.
    Returns True when a stale socket was removed.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    if not stat.S_ISSOCK(mode):
        raise ServerError("{} exists and is not a socket; move it away and start again".format(path))
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(PROBE_TIMEOUT)
    try:
        probe.connect(path)
    except (ConnectionRefusedError, FileNotFoundError):
        pass  # no process listens, so a killed daemon left the socket behind
    except socket.timeout:
        raise ServerError(
            "{} is in use by a daemon that does not respond; stop it and start again".format(path))
    else:
        raise ServerError("another ampdaemon is already serving {}".format(path))
    finally:
        probe.close()
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    return True


def bind_socket(path):
    """Create, bind and listen on the control socket with mode 0600; return (socket, inode)."""
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, SOCKET_DIR_MODE, exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # The umask makes the socket 0600 from the moment it appears, not only after chmod.
    old_umask = os.umask(0o177)
    try:
        listener.bind(path)
    except OSError:
        listener.close()
        raise
    finally:
        os.umask(old_umask)
    os.chmod(path, SOCKET_MODE)
    listener.listen(LISTEN_BACKLOG)
    return listener, os.stat(path).st_ino


class ControlServer(object):
    """Accepts connections on the control socket and handles requests in worker threads.

    handle_request(request_dict) returns the response dict. The caller runs the
    accept loop (see ampdaemon), so that signals are handled in the main thread.
    """

    def __init__(self, path, handle_request):
        self.path = path
        self._handle_request = handle_request
        self._listener = None
        self._inode = None
        self._clients = threading.BoundedSemaphore(MAX_CLIENTS)

    def open(self):
        """Bind the socket, replacing a stale one; raise ServerError or OSError on failure."""
        if remove_stale_socket(self.path):
            LOG.warning("removed stale control socket %s left by a stopped daemon", self.path)
        self._listener, self._inode = bind_socket(self.path)
        self._listener.setblocking(False)
        LOG.info("serving control socket %s", self.path)

    def fileno(self):
        return self._listener.fileno()

    def accept(self):
        """Accept one pending connection and serve it in a new thread."""
        try:
            connection, _ = self._listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError as error:
            LOG.error("accept on %s failed: %s", self.path, error)
            return
        connection.setblocking(True)
        connection.settimeout(CLIENT_IDLE_TIMEOUT)
        if not self._clients.acquire(False):
            LOG.warning("rejected a client: %d connections already open", MAX_CLIENTS)
            self._send_and_close(connection, protocol.error_response(
                protocol.BUSY, "too many open connections, try again"))
            return
        worker = threading.Thread(target=self._serve_client, args=(connection,),
                                  name="control-client")
        worker.daemon = True
        worker.start()

    def close(self):
        """Stop listening and remove the socket file if it is still the one this server bound."""
        if self._listener is None:
            return
        self._listener.close()
        self._listener = None
        try:
            if os.stat(self.path).st_ino == self._inode:
                os.unlink(self.path)
        except OSError as error:
            if error.errno != errno.ENOENT:
                LOG.error("cannot remove control socket %s: %s", self.path, error)

    @staticmethod
    def _send_and_close(connection, response):
        try:
            connection.sendall(protocol.encode_message(response))
        except OSError:
            pass
        finally:
            connection.close()

    def _serve_client(self, connection):
        stream = connection.makefile("rb")
        try:
            while True:
                try:
                    line = protocol.read_line(stream)
                except protocol.ProtocolError as error:
                    LOG.error("closed a client connection: %s", error)
                    connection.sendall(protocol.encode_message(
                        protocol.error_response(error.code, str(error))))
                    self._drain(connection)
                    return
                if not line:
                    return
                if not line.strip():
                    continue
                connection.sendall(protocol.encode_message(self._respond(line)))
        except socket.timeout:
            LOG.info("closed a client connection idle for %.0f s", CLIENT_IDLE_TIMEOUT)
        except OSError as error:
            LOG.error("client connection failed: %s", error)
        finally:
            stream.close()
            connection.close()
            self._clients.release()

    @staticmethod
    def _drain(connection):
        """Discard unread input before closing, so that the client gets the response.

        Closing a socket with unread input sends a reset, and the client may then
        lose the response already sent. The drain stops after DRAIN_MAX_BYTES or
        DRAIN_TIMEOUT seconds without input.
        """
        connection.shutdown(socket.SHUT_WR)
        connection.settimeout(DRAIN_TIMEOUT)
        discarded = 0
        try:
            while discarded < DRAIN_MAX_BYTES:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                discarded += len(chunk)
        except socket.timeout:
            pass

    def _respond(self, line):
        try:
            request = protocol.decode_message(line)
        except protocol.ProtocolError as error:
            LOG.error("rejected a malformed request: %s", error)
            return protocol.error_response(error.code, str(error))
        try:
            return self._handle_request(request)
        except Exception:  # noqa: BLE001 - one bad request must not stop the daemon
            LOG.exception("request %r failed", request.get("command"))
            return protocol.error_response(protocol.INTERNAL_ERROR,
                                           "the daemon failed to handle the request; see its log")
