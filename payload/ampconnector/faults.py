"""Faults the connector reports in its status.

The installer writes faults.json, a JSON list of {"id": "...", "message": "..."}
objects, for problems it found (for example a kernel module that failed to
load). The daemon adds its own faults, such as an invalid configuration file.
"""

import errno
import json

FAULTS_FILE_INVALID = "faults_file_invalid"


def make_fault(fault_id, message):
    return {"id": fault_id, "message": message}


def parse_faults(text):
    """Parse faults.json text into a list of faults; raise ValueError if invalid."""
    data = json.loads(text)
    if not isinstance(data, list):
        raise ValueError("expected a JSON list of fault objects")
    faults = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            raise ValueError("entry {} has no \"id\" string".format(index))
        message = item.get("message", "")
        if not isinstance(message, str):
            raise ValueError("entry {} has a \"message\" that is not a string".format(index))
        faults.append(make_fault(item["id"], message))
    return faults


def load_faults(path):
    """Read the installer's faults; a missing file means no faults.

    An unreadable or invalid file is reported as the single fault
    ``faults_file_invalid`` instead of hiding the installer's faults as "none".
    """
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        if error.errno == errno.ENOENT:
            return []
        return [make_fault(FAULTS_FILE_INVALID, "cannot read {}: {}".format(
            path, error.strerror))]
    except UnicodeDecodeError as error:
        return [make_fault(FAULTS_FILE_INVALID, "invalid {}: {}".format(path, error))]
    try:
        return parse_faults(text)
    except ValueError as error:
        return [make_fault(FAULTS_FILE_INVALID, "invalid {}: {}".format(path, error))]
