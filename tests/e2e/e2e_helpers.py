"""Helpers for end-to-end tests: polling, ampcli status and process lookups."""

from pathlib import Path

from testhosts import wait_for

SERVICE = "cisco-amp.service"
UNIT_PATH = "/usr/lib/systemd/system/cisco-amp.service"
STATUS_KEYS = ("Status", "Mode", "Scan", "Last Scan", "Policy", "Faults")


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
    """Return the PID of /opt/cisco/amp/bin/PROGRAM running in the host, or None.

    The host's /proc is read through the test host's root, so no procps
    tools are needed inside it. More than one match is an error.
    """
    wanted = "/opt/cisco/amp/bin/" + program
    found = []
    proc = Path(host.path("/proc"))
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if len(argv) > 1 and argv[1].decode(errors="replace") == wanted:
            found.append(int(entry.name))
    assert len(found) <= 1, "{0} runs {1} times: {2}".format(program, len(found), found)
    return found[0] if found else None


def host_file(host, path):
    """Return a pathlib.Path on this machine for ``path`` inside the test host."""
    return Path(host.path(path))


def systemctl(host, *args):
    return host.run(["systemctl"] + list(args), check=False).stdout.strip()
