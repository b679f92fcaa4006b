"""Log files of the connector programs, created with mode 0600 in the log directory.

Only the programs' main functions call configure_logging; library modules just
get loggers with logging.getLogger(__name__).
"""

import io
import logging
import os
import sys

LOG_FORMAT = "%(asctime)s %(name)s[%(process)d]: %(levelname)s %(message)s"
LOG_DIR_MODE = 0o755
LOG_FILE_MODE = 0o600


class PrivateFileHandler(logging.FileHandler):
    """A FileHandler that creates its file with mode 0600 and can reopen it after rotation."""

    def __init__(self, path):
        logging.FileHandler.__init__(self, path, mode="a", encoding="utf-8")

    def _open(self):
        fd = os.open(self.baseFilename,
                     os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, LOG_FILE_MODE)
        try:
            # Tighten a file that an older version or another tool created with a wider mode.
            os.fchmod(fd, LOG_FILE_MODE)
        except OSError:
            pass  # owned by another user: keep its mode
        return io.open(fd, "a", encoding="utf-8")

    def reopen(self):
        """Close and reopen the file, so that logging continues in a rotated file's successor."""
        self.acquire()
        try:
            if self.stream is not None:
                self.stream.close()
            self.stream = self._open()
        finally:
            self.release()


def open_log_handler(log_dir, program):
    """Create log_dir (0755) if missing and return a PrivateFileHandler for <program>.log.

    Raises OSError when the directory or the file cannot be created or opened.
    """
    os.makedirs(log_dir, LOG_DIR_MODE, exist_ok=True)
    return PrivateFileHandler(os.path.join(log_dir, program + ".log"))


def configure_logging(log_dir, program, stderr_level=None):
    """Send the root logger's records to <log_dir>/<program>.log and optionally to stderr.

    Returns (handler, None), or (None, error) when the log file cannot be
    opened, so that each program decides how to report that.
    """
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    formatter = logging.Formatter(LOG_FORMAT)
    if stderr_level is not None:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(stderr_level)
        console.setFormatter(formatter)
        root.addHandler(console)
    try:
        handler = open_log_handler(log_dir, program)
    except OSError as error:
        return None, error
    handler.setFormatter(formatter)
    root.addHandler(handler)
    return handler, None
