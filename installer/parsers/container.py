"""Parse the files that show a process runs inside a container."""

import re

# Path fragments of /proc/1/cgroup that container runtimes create, and the
# runtime each one names.
_CGROUP_HINTS = (
    ("kubepods", "kubernetes"),
    ("docker", "docker"),
    ("libpod", "podman"),
    ("lxc.payload", "lxc"),
    ("/lxc/", "lxc"),
    ("machine.slice/machine-", "systemd-nspawn"),
)
_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def parse_environ(data):
    """Return the variables of a ``/proc/PID/environ`` text (NUL-separated)."""
    variables = {}
    for entry in data.split("\0"):
        key, separator, value = entry.partition("=")
        if separator and key:
            variables[key] = value
    return variables


def container_from_environ(data):
    """Return the ``container=`` value PID 1 was started with, or ""."""
    value = parse_environ(data).get("container", "").strip()
    return value if _NAME.match(value) else ""


def container_from_marker(text):
    """Return the manager named in ``/run/systemd/container``, or ""."""
    value = text.strip().split("\n")[0].strip() if text.strip() else ""
    return value if _NAME.match(value) else ""


def container_from_cgroup(text):
    """Return the runtime the cgroup paths of ``/proc/1/cgroup`` point at, or ""."""
    for line in text.splitlines():
        path = line.split(":", 2)[-1]
        for fragment, runtime in _CGROUP_HINTS:
            if fragment in path:
                return runtime
    return ""
