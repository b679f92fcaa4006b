"""Reachability of the configured cloud endpoints, checked by TCP connect in a background thread.

The reference connector has no vendor cloud protocol: "Connected" only means
that at least one endpoint accepted a TCP connection at the last check.
"""

import logging
import socket
import threading
import time

from ampconnector.config import format_endpoint

LOG = logging.getLogger(__name__)

CONNECT_TIMEOUT = 3.0  # seconds per endpoint

NOT_CONFIGURED = "not_configured"
CHECKING = "checking"
CONNECTED = "connected"
DISCONNECTED = "disconnected"


def check_endpoint(endpoint, timeout=CONNECT_TIMEOUT):
    """Open and close a TCP connection to (host, port); return None or the error text."""
    # NOTE: the check connects directly, also when amp.conf sets a [proxy] url.
    try:
        connection = socket.create_connection(endpoint, timeout=timeout)
    except (OSError, socket.timeout) as error:
        return str(error) or type(error).__name__
    connection.close()
    return None


class CloudChecker(object):
    """Background thread that checks the endpoints every interval and caches the result."""

    def __init__(self, connect_timeout=CONNECT_TIMEOUT):
        self._connect_timeout = connect_timeout
        self._lock = threading.Lock()
        self._wakeup = threading.Event()
        self._stopping = False
        self._endpoints = []
        self._interval = 30.0
        self._generation = 0
        self._state = NOT_CONFIGURED
        self._results = []
        self._checked_at = None
        self._thread = threading.Thread(target=self._run, name="cloud-checker")
        self._thread.daemon = True

    def start(self):
        self._thread.start()

    def configure(self, endpoints, interval):
        """Set the endpoints and the interval in seconds, and check them at once."""
        with self._lock:
            self._endpoints = list(endpoints)
            self._interval = interval
            self._generation += 1
            self._state = CHECKING if self._endpoints else NOT_CONFIGURED
            self._results = []
            self._checked_at = None
        self._wakeup.set()

    def stop(self):
        self._stopping = True
        self._wakeup.set()

    def snapshot(self):
        """Return the cached state, the per-endpoint results and the check time (epoch seconds)."""
        with self._lock:
            return self._state, list(self._results), self._checked_at

    def _run(self):
        while not self._stopping:
            with self._lock:
                endpoints = list(self._endpoints)
                interval = self._interval
                generation = self._generation
            if endpoints:
                self._check(endpoints, generation)
            self._wakeup.wait(interval if endpoints else None)
            self._wakeup.clear()

    def _check(self, endpoints, generation):
        results = []
        for endpoint in endpoints:
            error = check_endpoint(endpoint, self._connect_timeout)
            results.append({"endpoint": format_endpoint(endpoint),
                            "reachable": error is None, "error": error})
        state = CONNECTED if any(item["reachable"] for item in results) else DISCONNECTED
        with self._lock:
            if generation != self._generation:
                return  # the configuration changed during the check: drop the old result
            previous = self._state
            self._state = state
            self._results = results
            self._checked_at = time.time()
        if state != previous:
            self._log_change(state, results)

    @staticmethod
    def _log_change(state, results):
        if state == CONNECTED:
            reachable = [item["endpoint"] for item in results if item["reachable"]]
            LOG.info("cloud endpoints reachable: %s", ", ".join(reachable))
        else:
            for item in results:
                LOG.warning("cloud endpoint %s unreachable: %s", item["endpoint"], item["error"])
