"""The health gate: whether ``ampcli status`` succeeds within a time limit."""

import subprocess
import time

AMPCLI = "/opt/cisco/amp/bin/ampcli"


def connector_healthy(timeout, ampcli=AMPCLI, interval=2.0):
    """Return (healthy, last output) after polling ``ampcli status`` for up to ``timeout`` s."""
    deadline = time.monotonic() + timeout
    output = ""
    while True:
        try:
            result = subprocess.run([ampcli, "status", "--timeout", "5"], stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, universal_newlines=True,
                                    timeout=30)
            output = result.stdout.strip()
            if result.returncode == 0:
                return True, output
        except (OSError, subprocess.TimeoutExpired) as error:
            output = str(error)
        if time.monotonic() >= deadline:
            return False, output
        time.sleep(interval)
