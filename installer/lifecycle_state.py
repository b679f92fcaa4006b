"""Installer records kept between package transactions.

``/var/lib/ciscoamp/lifecycle.json`` stores:

- ``pending``: the step that started and has not finished (e.g. a post-install
  step that was killed or whose service did not start). ``ampctl repair`` and
  the next install complete it; ``ampctl status`` reports it.
- ``service``: the service's enablement and activity saved before a removal,
  so an aborted removal restores them and a reinstall after removal keeps an
  admin's "disabled".
- ``version``: the version whose post-install step last completed.

Upgrade and remove keep the file; purge deletes it.
"""

import json
import time

from installer import paths
from installer.atomicfile import write_json_atomic


def load_state(path=paths.LIFECYCLE_STATE):
    try:
        with open(path, "r") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_state(state, path=paths.LIFECYCLE_STATE):
    write_json_atomic(path, state, 0o600)


def update_state(path=paths.LIFECYCLE_STATE, **changes):
    """Merge ``changes`` into the stored state; a value of None deletes the key."""
    state = load_state(path)
    for key, value in changes.items():
        if value is None:
            state.pop(key, None)
        else:
            state[key] = value
    save_state(state, path)
    return state


def mark_pending(step, version, first_time=False, path=paths.LIFECYCLE_STATE):
    """Record that ``step`` started; ``first_time`` marks a first install."""
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return update_state(path, pending={"step": step, "version": version,
                                       "first_time": bool(first_time), "since": since})


def mark_done(version, path=paths.LIFECYCLE_STATE):
    return update_state(path, pending=None, version=version)
