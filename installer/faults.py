"""Faults the installer records for the connector to report.

``/opt/cisco/amp/etc/faults.json`` is a JSON list of ``{"id": ..., "message": ...}``
objects; ampdaemon reads it on each status request and ``ampcli status``
prints the entries under Faults. The installer owns the ids it writes and
replaces or clears them; entries with other ids are kept as they are.
"""

import json
import os

from installer import paths
from installer.atomicfile import write_json_atomic


def read_faults(path=paths.FAULTS_FILE):
    """Return the list of faults in ``path``; a missing or invalid file gives []."""
    try:
        with open(path, "r") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return []
    if not isinstance(data, list):
        return []
    return [item for item in data if isinstance(item, dict) and isinstance(item.get("id"), str)]


def write_faults(faults, path=paths.FAULTS_FILE):
    """Replace ``path`` atomically with ``faults``; delete it when the list is empty."""
    if not faults:
        if os.path.exists(path):
            os.unlink(path)
        return
    write_json_atomic(path, faults, 0o640, directory_mode=0o750)


def set_fault(fault_id, message, path=paths.FAULTS_FILE):
    """Add the fault ``fault_id`` or replace its message."""
    faults = [item for item in read_faults(path) if item["id"] != fault_id]
    faults.append({"id": fault_id, "message": message})
    write_faults(faults, path)


def clear_fault(fault_id, path=paths.FAULTS_FILE):
    """Remove the fault ``fault_id``; return True if it was present."""
    faults = read_faults(path)
    kept = [item for item in faults if item["id"] != fault_id]
    if len(kept) == len(faults):
        return False
    write_faults(kept, path)
    return True
