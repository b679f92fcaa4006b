"""The ``disk`` check: free space where the connector's files will land."""

import os

from installer.checks.model import CheckResult, FAIL, PASS, UNKNOWN
from installer.hostfs import nearest_existing
from installer.i18n import _

NAME = "disk"
MIB = 1024 * 1024
# The vendor asks for at least 1.5 GB free for the connector itself.
INSTALL_BYTES = 1536 * MIB


def free_bytes(path):
    """Return the bytes an unprivileged writer may still use on ``path``'s filesystem."""
    stats = os.statvfs(path)
    return stats.f_bavail * stats.f_frsize


def check_disk(ctx):
    existing = nearest_existing(ctx.root, ctx.install_dir)
    measured = ctx.host_path(existing)
    try:
        available = free_bytes(measured)
    except OSError as error:
        return CheckResult(
            NAME, UNKNOWN,
            _("Could not measure free space on {path}: {error}.").format(
                path=existing, error=error.strerror),
            _("Check that {path} is mounted and readable.").format(path=existing),
        )
    facts = {"path": ctx.install_dir, "measured_on": existing,
             "free_mib": available // MIB, "required_mib": INSTALL_BYTES // MIB}
    if available >= INSTALL_BYTES:
        return CheckResult(NAME, PASS, _("{free} MiB free on {path}; {need} MiB needed.").format(
            free=available // MIB, path=existing, need=INSTALL_BYTES // MIB), facts=facts)
    return CheckResult(
        NAME, FAIL,
        _("Only {free} MiB free on {path}; the connector needs {need} MiB.").format(
            free=available // MIB, path=existing, need=INSTALL_BYTES // MIB),
        _("Free at least {missing} MiB on the filesystem holding {path}.").format(
            missing=(INSTALL_BYTES - available) // MIB + 1, path=existing),
        facts,
    )
