"""The installer's step log: syslog with the tag ``cisco-amp``, plus a 0600 file.

Every scriptlet step is written to both, as the vendor's installer does, so
an admin finds the install history in ``/var/log/messages`` or the journal
and in ``/var/log/cisco/ampinstaller.log``. Warnings and errors are also
printed on stderr, where the package manager shows them. The logs stay
English; the printed text may be given in the locale's language.
"""

import os
import sys
import syslog
import time

from installer import paths

SYSLOG_TAG = "cisco-amp"


def open_private_log(path):
    """Open ``path`` for appending with mode 0600, creating its directory."""
    os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "a")


class StepLog(object):
    """Write installer steps to syslog, the installer log and, if serious, stderr."""

    def __init__(self, log_file=paths.INSTALLER_LOG, stream=None):
        syslog.openlog(SYSLOG_TAG, 0, syslog.LOG_USER)
        self._stream = sys.stderr if stream is None else stream
        try:
            self._file = open_private_log(log_file)
        except OSError as error:
            # A full or read-only /var must not stop the step itself.
            self._file = None
            syslog.syslog(syslog.LOG_WARNING,
                          "cannot write {0}: {1}".format(log_file, error.strerror))

    def _write(self, priority, level, message):
        syslog.syslog(priority, message)
        if self._file is not None:
            try:
                self._file.write("{0} {1}: {2}\n".format(
                    time.strftime("%Y-%m-%d %H:%M:%S"), level, message))
                self._file.flush()
            except OSError:
                self._file = None

    def info(self, message):
        self._write(syslog.LOG_INFO, "info", message)

    def warning(self, message, screen=None):
        """Log ``message``; print ``screen`` (its text in the locale's language) or ``message``."""
        self._write(syslog.LOG_WARNING, "warning", message)
        self._stream.write("{0}: warning: {1}\n".format(SYSLOG_TAG, screen or message))

    def error(self, message, screen=None):
        """Log ``message``; print ``screen`` (its text in the locale's language) or ``message``."""
        self._write(syslog.LOG_ERR, "error", message)
        self._stream.write("{0}: error: {1}\n".format(SYSLOG_TAG, screen or message))

    def close(self):
        if self._file is not None:
            self._file.close()
            self._file = None
        syslog.closelog()
