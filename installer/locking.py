"""An exclusive lock around lifecycle steps, so two of them never interleave.

Package scriptlets and ``ampctl`` take the same fcntl lock on
``/var/run/ciscoamp-lifecycle.lock``. A second process waits up to the
timeout (``CISCO_AMP_LOCK_TIMEOUT`` seconds, default 300) and then fails with
:class:`LockTimeout`, whose message names the lock and the holder's PID.
The kernel drops the lock when its holder exits, also when it is killed.
"""

import errno
import fcntl
import os
import time

from installer import paths

DEFAULT_TIMEOUT = 300.0
_POLL_SECONDS = 0.2


class LockTimeout(Exception):
    """Another lifecycle step held the lock for longer than the timeout."""


def lock_timeout(environ=None):
    environ = os.environ if environ is None else environ
    try:
        return float(environ.get("CISCO_AMP_LOCK_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


class LifecycleLock(object):
    """Context manager that holds an exclusive flock on ``path``."""

    def __init__(self, path=paths.LIFECYCLE_LOCK, timeout=None):
        self.path = path
        self.timeout = lock_timeout() if timeout is None else timeout
        self._descriptor = None

    def _holder(self):
        try:
            with open(self.path, "r") as handle:
                return handle.read().strip() or "unknown"
        except OSError:
            return "unknown"

    def acquire(self):
        os.makedirs(os.path.dirname(self.path), mode=0o755, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(descriptor)
                    raise
            if time.monotonic() >= deadline:
                os.close(descriptor)
                message = ("timed out after {0:g} s waiting for {1}, locked by another installer "
                           "step (pid {2}). Wait for it to finish, then retry.")
                raise LockTimeout(message.format(self.timeout, self.path, self._holder()))
            time.sleep(_POLL_SECONDS)
        os.ftruncate(descriptor, 0)
        os.write(descriptor, "{0}\n".format(os.getpid()).encode("ascii"))
        self._descriptor = descriptor
        return self

    def release(self):
        if self._descriptor is not None:
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)
            os.close(self._descriptor)
            self._descriptor = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc_info):
        self.release()
