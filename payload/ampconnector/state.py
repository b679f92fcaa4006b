"""State files in the etc directory that the vendor ampdaemon keeps open.

Each file is created only when missing and an existing one is never changed, so
data written by an earlier install or by the vendor connector survives.
"""

import errno
import os
import sqlite3

# NOTE: the reference connector has no scan engine, so nothing writes rows yet.
# The schemas are placeholders of our own, not the vendor's formats.
_SCHEMAS = {
    "events": "CREATE TABLE events (id INTEGER PRIMARY KEY, time TEXT NOT NULL, "
              "type TEXT NOT NULL, detail TEXT)",
    "quarantine": "CREATE TABLE quarantine (id INTEGER PRIMARY KEY, time TEXT NOT NULL, "
                  "original_path TEXT NOT NULL, sha256 TEXT NOT NULL)",
    "retrospective": "CREATE TABLE retrospective (id INTEGER PRIMARY KEY, time TEXT NOT NULL, "
                     "sha256 TEXT NOT NULL, disposition TEXT NOT NULL)",
}


def _create_exclusive(path):
    """Create an empty file with mode 0600; return False if it already exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        if error.errno == errno.EEXIST:
            return False
        raise
    os.close(fd)
    return True


def _create_database(path, schema):
    if not _create_exclusive(path):
        return False
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute(schema)
    finally:
        connection.close()
    return True


def ensure_state_files(paths):
    """Create the missing state directories and files; return the paths created.

    Raises OSError or sqlite3.Error when a directory or file cannot be created.
    """
    created = []
    for directory, mode in ((paths.etc_dir, 0o755), (paths.quarantine_dir, 0o700)):
        if not os.path.isdir(directory):
            os.makedirs(directory, mode)
            created.append(directory)
    databases = (
        (paths.events_db, _SCHEMAS["events"]),
        (paths.quarantine_db, _SCHEMAS["quarantine"]),
        (paths.retrospective_db, _SCHEMAS["retrospective"]),
    )
    for path, schema in databases:
        if _create_database(path, schema):
            created.append(path)
    if _create_exclusive(paths.cloud_query_cache):
        created.append(paths.cloud_query_cache)
    return created
