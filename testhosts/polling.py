"""Polling with a deadline, for tests that wait on a test host."""

import time


def wait_for(probe, timeout=60, interval=0.5):
    """Call ``probe`` until it returns a true value or ``timeout`` seconds pass; return the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
