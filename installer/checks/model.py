"""Results of host checks and the context every check reads the host through."""

import os
import platform

from installer.hostfs import resolve_in_root
from installer.version import get_version

PASS = "pass"
WARN = "warn"
FAIL = "fail"
UNKNOWN = "unknown"
SKIP = "skip"
STATUSES = (PASS, WARN, FAIL, UNKNOWN, SKIP)

# The verdict of a run is the worst status of its checks. Unknown counts as
# a warning because "could not tell" must not block an install on its own,
# and a skipped check (nothing to test, such as no endpoint) counts as a pass.
_SEVERITY = {FAIL: 3, WARN: 2, UNKNOWN: 2, PASS: 0, SKIP: 0}


class CheckResult(object):
    """Outcome of one check: status, a message and, unless it passed, a fix.

    ``facts`` contains what the check measured, as JSON-ready values.
    """

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


def worst_status(statuses):
    """Return the most severe of ``statuses`` (fail, then warn or unknown, then pass)."""
    order = (FAIL, WARN, UNKNOWN, PASS, SKIP)
    present = set(statuses)
    return next((status for status in order if status in present), PASS)


def combine_findings(name, findings, facts):
    """Merge (status, message, fix) findings into one result of the worst status.

    Messages and fixes of the findings that share the worst status come
    first, so the headline of the result explains its status.
    """
    status = worst_status([finding[0] for finding in findings])
    ordered = sorted(findings, key=lambda finding: finding[0] != status)
    messages = [finding[1] for finding in ordered]
    fixes = [finding[2] for finding in ordered if finding[2] and finding[0] != PASS]
    return CheckResult(name, status, " ".join(messages), " ".join(fixes) or None, facts)


class HostContext(object):
    """The examined host as the checks see it, and the options of the run.

    ``root`` is the directory the host's files are read from: ``/`` on a live
    host, a fixture tree in tests, or an image being built. Facts that only
    the running kernel can give (architecture, privileges) come from the
    live process and can be overridden for tests.

    ``endpoints``, ``proxy`` and ``timeout`` (seconds) configure the network
    check. ``tool_version`` is the version about to be installed, this
    build's by default. ``cache`` keeps probes that several checks share.
    """

    def __init__(self, root="/", euid=None, machine=None, install_dir="/opt/cisco/amp",
                 package_format=None, kernel_release=None, endpoints=(), proxy=None,
                 timeout=3.0, tool_version=None):
        self.root = os.path.abspath(root)
        self.euid = os.geteuid() if euid is None else euid
        self.machine = platform.machine() if machine is None else machine
        self.install_dir = install_dir
        self.package_format = package_format
        # The running kernel is the examined host's kernel only when the root
        # is the live one. For another root, /proc/sys/kernel/osrelease under
        # it names the kernel if present, else the kernel stays unknown.
        self._kernel_release = kernel_release
        self.endpoints = list(endpoints)
        self.proxy = proxy
        self.timeout = timeout
        self.tool_version = get_version() if tool_version is None else tool_version
        self.cache = {}

    @property
    def is_live(self):
        """True when the checks examine the running host, not a tree under another root."""
        return self.root == "/"

    @property
    def kernel_release(self):
        """The kernel release string (``uname -r``), or None when it cannot be known."""
        if self._kernel_release is not None:
            return self._kernel_release
        try:
            text = self.read_text("/proc/sys/kernel/osrelease").strip()
        except (OSError, UnicodeDecodeError):
            text = ""
        if text:
            return text
        return platform.release() if self.is_live else None

    def host_path(self, path):
        """Return where the host path ``path`` lives under ``root``."""
        return os.path.join(self.root, path.lstrip("/"))

    def read_text(self, path, limit=1 << 20):
        """Return the UTF-8 text of host ``path``, with symlinks resolved inside ``root``.

        Reads at most ``limit`` bytes. Raises OSError when the file cannot be
        read and UnicodeDecodeError when it is not UTF-8.
        """
        with open(self.host_path(resolve_in_root(self.root, path)), "rb") as handle:
            return handle.read(limit).decode("utf-8")

    def exists(self, path):
        """True when host ``path`` exists, with symlinks resolved inside ``root``."""
        try:
            return os.path.exists(self.host_path(resolve_in_root(self.root, path)))
        except OSError:
            return False
