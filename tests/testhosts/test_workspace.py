"""Machine-name lock files of test hosts: which ones count as stale."""

import fcntl
import os
import time

from testhosts import workspace


def _lock_file(directory, name, age):
    path = directory / name
    path.write_bytes(b"")
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


def test_stale_name_locks_removed(tmp_path):
    stale = _lock_file(tmp_path, "amp-stale.lock", 600)
    young = _lock_file(tmp_path, "amp-young.lock", 0)
    locked = _lock_file(tmp_path, "amp-locked.lock", 600)
    with open(locked, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        workspace._remove_stale_name_locks(str(tmp_path))
    assert not stale.exists()
    assert young.exists()
    assert locked.exists()
