"""The updater's persistent state: versions that failed, and the update under way.

Stored as JSON in ``/opt/cisco/amp/etc/updater/state.json``, written
atomically, so a run that is killed at any point leaves either the old or
the new state, and the next run finishes or rolls back the recorded update.
"""

import json
import os

from installer.atomicfile import write_json_atomic

STATE_DIR = "/opt/cisco/amp/etc/updater"


class UpdaterState(object):
    """Failed versions and the transaction of an update not yet finished."""

    def __init__(self, path):
        self.path = path
        self.failed_versions = []
        self.transaction = None

    @classmethod
    def load(cls, directory=STATE_DIR):
        state = cls(os.path.join(directory, "state.json"))
        try:
            with open(state.path, encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            return state
        except (OSError, ValueError) as error:
            # A damaged file must not stop updates for good; it is replaced
            # on the next save, and the loss is logged by the caller.
            state.load_error = "cannot read {0}: {1}".format(state.path, error)
            return state
        state.failed_versions = [str(v) for v in data.get("failed_versions", [])]
        state.transaction = data.get("transaction")
        return state

    load_error = None

    def save(self):
        write_json_atomic(self.path, {"failed_versions": self.failed_versions,
                                      "transaction": self.transaction},
                          0o600, directory_mode=0o700)

    def begin(self, from_version, to_version, kept_package, service_active):
        self.transaction = {"from": from_version, "to": to_version, "kept_package": kept_package,
                            "service_active": service_active, "phase": "installing"}
        self.save()

    def set_phase(self, phase):
        self.transaction["phase"] = phase
        self.save()

    def finish(self, failed_version=None):
        if failed_version and failed_version not in self.failed_versions:
            self.failed_versions.append(failed_version)
        self.transaction = None
        self.save()
