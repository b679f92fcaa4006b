"""Helpers for end-to-end tests: polling, ampcli status and process lookups."""

import time

SERVICE = "cisco-amp.service"
UNIT_PATH = "/usr/lib/systemd/system/cisco-amp.service"
STATUS_KEYS = ("Status", "Mode", "Scan", "Last Scan", "Policy", "Faults")


def wait_for(probe, timeout=60, interval=0.5):
    """Call ``probe`` until it returns a true value or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def ampcli_status(host):
    return host.run(["/opt/cisco/amp/bin/ampcli", "status"], check=False)


def parse_status(output):
    """Return the ``Key: value`` lines of ``ampcli status`` as a dict."""
    fields = {}
    for line in output.splitlines():
        key, separator, value = line.partition(": ")
        if separator:
            fields[key.strip()] = value.strip()
    return fields


def wait_for_status(host, timeout=60):
    """Wait until ``ampcli status`` succeeds; return its result (the last one on timeout)."""
    results = []

    def probe():
        results.append(ampcli_status(host))
        return results[-1].returncode == 0

    wait_for(probe, timeout)
    return results[-1]


def daemon_pid(host, program):
    """Return the PID of /opt/cisco/amp/bin/PROGRAM in the host, or None."""
    result = host.run(["pgrep", "-f", "^/usr/bin/python3 /opt/cisco/amp/bin/" + program], check=False)
    pids = result.stdout.split()
    return int(pids[0]) if len(pids) == 1 else None


def systemctl(host, *args):
    return host.run(["systemctl"] + list(args), check=False).stdout.strip()
