"""Results of host checks and the context every check reads the host through."""

import os
import platform

PASS = "pass"
WARN = "warn"
FAIL = "fail"
UNKNOWN = "unknown"
STATUSES = (PASS, WARN, FAIL, UNKNOWN)

# Worst first: the verdict of a run is the worst status of its checks, with
# unknown counted as a warning because "could not tell" must not block an
# install on its own.
_SEVERITY = {FAIL: 3, WARN: 2, UNKNOWN: 2, PASS: 0}


class CheckResult(object):
    """Outcome of one check: status, a message and, unless it passed, a fix."""

    __slots__ = ("name", "status", "message", "fix", "facts", "ignored")

    def __init__(self, name, status, message, fix=None, facts=None):
        if status not in STATUSES:
            raise ValueError("invalid check status: {0!r}".format(status))
        self.name = name
        self.status = status
        self.message = message
        self.fix = fix
        self.facts = facts or {}
        self.ignored = False

    def demote(self):
        """Turn a failure into a warning because the admin chose to ignore it."""
        if self.status == FAIL:
            self.status = WARN
            self.ignored = True

    def to_dict(self):
        data = {"name": self.name, "status": self.status, "message": self.message}
        if self.fix:
            data["fix"] = self.fix
        if self.facts:
            data["facts"] = self.facts
        if self.ignored:
            data["ignored"] = True
        return data

    def __repr__(self):
        return "CheckResult({0!r}, {1!r}, {2!r})".format(self.name, self.status, self.message)


def verdict(results):
    """Return pass, warn or fail for a list of results."""
    worst = max([_SEVERITY[result.status] for result in results] or [0])
    if worst >= _SEVERITY[FAIL]:
        return FAIL
    if worst >= _SEVERITY[WARN]:
        return WARN
    return PASS


class HostContext(object):
    """What the checks need to know about the host they examine.

    ``root`` is the directory the host's files are read from: ``/`` on a live
    host, a fixture tree in tests, or an image being built. Facts that only
    the running kernel can give (architecture, privileges) come from the
    live process and can be overridden for tests.
    """

    def __init__(self, root="/", euid=None, machine=None, install_dir="/opt/cisco/amp",
                 package_format=None):
        self.root = os.path.abspath(root)
        self.euid = os.geteuid() if euid is None else euid
        self.machine = platform.machine() if machine is None else machine
        self.install_dir = install_dir
        self.package_format = package_format

    def host_path(self, path):
        """Return where the host path ``path`` lives under ``root``."""
        return os.path.join(self.root, path.lstrip("/"))
