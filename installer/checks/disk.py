"""The ``disk`` check: space, and write and execute rights, where the connector's files land.

The connector needs 1.5 GB for its install and up to 200 MB more for the
ClamAV offline engine's definitions. Each directory is measured on the
filesystem that will really hold it: symlinks are resolved inside the root
(``/opt -> /data/opt``), and when both directories land on one filesystem
their needs add up. A read-only mount fails wherever the connector writes,
and a noexec mount fails where it runs programs from.
"""

import os

from installer.checks.model import CheckResult, FAIL, PASS, UNKNOWN, combine_findings
from installer.checks.mounttable import find_mount
from installer.hostfs import nearest_existing
from installer.i18n import _

NAME = "disk"
MIB = 1024 * 1024


class Need(object):
    """One directory the connector writes to: its size need and whether it runs programs."""

    def __init__(self, label, path, required_bytes, executes):
        self.label = label
        self.path = path
        self.required_bytes = required_bytes
        self.executes = executes


def needs_for(ctx):
    # NOTE: the ClamAV definitions directory is assumed to be under the install
    # directory, as in the reference payload; move it here if the vendor's differs.
    return (
        Need("install", ctx.install_dir, 1536 * MIB, True),
        Need("clamav", ctx.install_dir + "/clamav", 200 * MIB, False),
        Need("logs", "/var/log/cisco", 0, False),
    )


def measure(ctx, need):
    """Return a dict describing the filesystem that will hold ``need.path``."""
    existing = nearest_existing(ctx.root, need.path)
    real_path = ctx.host_path(existing)
    status = os.stat(real_path)
    stats = os.statvfs(real_path)
    mount = find_mount(ctx, existing)
    options = mount.options if mount else frozenset()
    return {
        "device": status.st_dev,
        "measured_on": existing,
        "mount_point": mount.mount_point if mount else None,
        "fstype": mount.fstype if mount else None,
        "free_bytes": stats.f_bavail * stats.f_frsize,
        "read_only": bool(stats.f_flag & os.ST_RDONLY) or "ro" in options,
        "noexec": bool(stats.f_flag & os.ST_NOEXEC) or "noexec" in options,
    }


def _group_by_filesystem(ctx, needs):
    """Return ([filesystem dicts with their needs], findings for paths that could not be measured)."""
    groups = {}
    findings = []
    for need in needs:
        try:
            filesystem = measure(ctx, need)
        except OSError as error:
            findings.append((UNKNOWN, _("Could not measure the filesystem of {path}: {error}.").format(
                path=need.path, error=error.strerror or error),
                _("Check that {path} is mounted and readable.").format(path=need.path)))
            continue
        group = groups.setdefault(filesystem["device"], dict(filesystem, needs=[]))
        group["needs"].append(need)
    return list(groups.values()), findings


def _mount_name(filesystem):
    return filesystem["mount_point"] or filesystem["measured_on"]


def _filesystem_findings(filesystem):
    findings = []
    mount = _mount_name(filesystem)
    required = sum(need.required_bytes for need in filesystem["needs"])
    paths = ", ".join(need.path for need in filesystem["needs"])
    sized_paths = ", ".join(need.path for need in filesystem["needs"] if need.required_bytes)

    if filesystem["read_only"]:
        findings.append((FAIL, _("{paths} would be on the read-only mount {mount}.").format(
            paths=paths, mount=mount),
            _("Remount {mount} read-write (mount -o remount,rw {mount}) or link {paths} to a "
              "writable filesystem.").format(mount=mount, paths=paths)))
    for need in filesystem["needs"]:
        if need.executes and filesystem["noexec"]:
            findings.append((FAIL, _("{path} would be on {mount}, which is mounted noexec, but "
                                     "the connector runs its programs from there.").format(
                path=need.path, mount=mount),
                _("Remount {mount} without noexec or link {path} to a filesystem that allows "
                  "execution.").format(mount=mount, path=need.path)))

    if not required:
        return findings

    free = filesystem["free_bytes"]
    values = {"free": free // MIB, "need": required // MIB, "paths": sized_paths, "mount": mount}
    if free < required:
        findings.append((FAIL, _("Only {free} MiB free on {mount} for {paths}; {need} MiB "
                                 "needed.").format(**values),
                         _("Free at least {missing} MiB on {mount}, or link {paths} to a larger "
                           "filesystem.").format(missing=(required - free) // MIB + 1, **values)))
    else:
        findings.append((PASS, _("{free} MiB free on {mount} for {paths}; {need} MiB "
                                 "needed.").format(**values), None))
    return findings


def check_disk(ctx):
    filesystems, findings = _group_by_filesystem(ctx, needs_for(ctx))
    facts = {"filesystems": [{
        "measured_on": filesystem["measured_on"],
        "mount_point": filesystem["mount_point"],
        "fstype": filesystem["fstype"],
        "free_mib": filesystem["free_bytes"] // MIB,
        "required_mib": sum(need.required_bytes for need in filesystem["needs"]) // MIB,
        "paths": [need.path for need in filesystem["needs"]],
        "read_only": filesystem["read_only"],
        "noexec": filesystem["noexec"],
    } for filesystem in filesystems]}
    for filesystem in filesystems:
        findings.extend(_filesystem_findings(filesystem))
    if not findings:
        return CheckResult(NAME, UNKNOWN, _("No directory to measure."), None, facts)
    return combine_findings(NAME, findings, facts)
