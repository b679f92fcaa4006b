"""The ``container`` check: is the host a container or a chroot?

Probes, all read under the root: ``/run/systemd/container`` (written by
systemd-nspawn, podman and LXC), ``/.dockerenv``, ``/run/.containerenv``
(podman), PID 1's ``container=`` environment variable and its cgroup paths.
On the live host a chroot shows as ``/proc/1/root`` differing from ``/``.
"""

import os

from installer.checks.model import CheckResult, PASS, UNKNOWN, WARN
from installer.i18n import _
from installer.parsers.container import (
    container_from_cgroup, container_from_environ, container_from_marker,
)

NAME = "container"


def _read_optional(ctx, path):
    """Return the text of ``path``, "" when missing, or None when it cannot be read."""
    try:
        return ctx.read_text(path, limit=64 * 1024)
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError):
        return None


def _container_kind(ctx):
    """Return (runtime name or "", whether a probe could not be read)."""
    unreadable = False
    probes = (("/run/systemd/container", container_from_marker),
              ("/proc/1/environ", container_from_environ),
              ("/proc/1/cgroup", container_from_cgroup))
    for path, parse in probes:
        text = _read_optional(ctx, path)
        if text is None:
            unreadable = True
            continue
        kind = parse(text)
        if kind:
            return kind, unreadable
    if ctx.exists("/.dockerenv"):
        return "docker", unreadable
    if ctx.exists("/run/.containerenv"):
        return "podman", unreadable
    return "", unreadable


def _in_chroot(ctx):
    """Return True, False, or None when unknown, because reading /proc/1/root needs root."""
    if not ctx.is_live:
        return False
    try:
        init_root = os.stat("/proc/1/root/")
        own_root = os.stat("/")
    except OSError:
        return None
    return (init_root.st_dev, init_root.st_ino) != (own_root.st_dev, own_root.st_ino)


def detect_container(ctx):
    """Return {"container": runtime or "", "chroot": bool or None, "unreadable": bool}, cached."""
    if "container" not in ctx.cache:
        kind, unreadable = _container_kind(ctx)
        ctx.cache["container"] = {"container": kind, "chroot": _in_chroot(ctx),
                                  "unreadable": unreadable}
    return ctx.cache["container"]


def check_container(ctx):
    found = detect_container(ctx)
    facts = {"container": found["container"] or None, "chroot": found["chroot"]}
    if found["container"]:
        return CheckResult(
            NAME, WARN,
            _("Running in a container ({runtime}): the connector cannot load kernel modules "
              "here, and its service starts only if the container runs an init system.").format(
                runtime=found["container"]),
            _("Install the connector on the host or virtual machine that runs the kernel, "
              "unless this container is only a test."),
            facts,
        )
    if found["chroot"]:
        return CheckResult(
            NAME, WARN,
            _("Running in a chroot: the files can be installed, but the service will not start."),
            _("Start the connector after booting the installed system."),
            facts,
        )
    if found["chroot"] is None:
        return CheckResult(
            NAME, UNKNOWN,
            _("No container found, but could not tell whether this is a chroot: reading "
              "/proc/1/root needs root."),
            _("Run amp-preflight as root."),
            facts,
        )
    return CheckResult(NAME, PASS, _("Not in a container or a chroot."), facts=facts)
