"""Mount helpers: overlayfs mounts, a probe for overlay support, and tree removal
that unmounts everything below a directory before deleting it."""

import logging
import os
import re
import shutil
import subprocess
import tempfile

log = logging.getLogger(__name__)

_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")

_overlay_probe_results = {}


def _unescape_mount_path(field):
    # mountinfo writes space, tab, newline and backslash as \ooo escapes.
    return _OCTAL_ESCAPE.sub(lambda match: chr(int(match.group(1), 8)), field)


def mounts_under(path):
    """Return the mount points at or below path, deepest first."""
    base = os.path.realpath(path)
    prefix = base.rstrip("/") + "/"
    found = []
    with open("/proc/self/mountinfo", encoding="utf-8") as mountinfo:
        for line in mountinfo:
            mount_point = _unescape_mount_path(line.split()[4])
            if mount_point == base or mount_point.startswith(prefix):
                found.append(mount_point)
    return sorted(set(found), key=len, reverse=True)


def unmount(path):
    """Unmount path, or detach it lazily with a warning if it is busy."""
    result = subprocess.run(["umount", path], capture_output=True, text=True)
    if result.returncode == 0:
        return
    log.warning("umount %s failed (%s), so detaching it lazily", path, result.stderr.strip())
    subprocess.run(["umount", "--lazy", path], check=True, capture_output=True, text=True)


def remove_tree(path):
    """Delete the directory tree at path after unmounting every mount below it.

    Without the unmounts, shutil.rmtree would descend into a mounted
    filesystem (for example a /proc that an interrupted debootstrap left
    mounted) and delete files outside the tree.
    """
    if not os.path.lexists(path):
        return
    for mount_point in mounts_under(path):
        unmount(mount_point)
    shutil.rmtree(path)


def mount_overlay(lower, upper, work, merged):
    """Mount an overlayfs at merged with a read-only lower and a writable upper dir."""
    options = f"lowerdir={lower},upperdir={upper},workdir={work}"
    # The kernel splits the option string at commas and lowerdir at colons.
    if any("," in path or ":" in path for path in (lower, upper, work)):
        raise ValueError(f"overlay directories must not contain ',' or ':': {options}")
    for directory in (upper, work, merged):
        os.makedirs(directory, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "overlay", "overlay", "-o", options, merged],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise OSError(f"mounting overlay at {merged} ({options}) failed: {result.stderr.strip()}")


def overlay_supported(base_dir):
    """Return whether an overlayfs with its upper dir in base_dir can be mounted.

    The probe mounts a tiny overlay once per base_dir and process.
    """
    base_dir = os.path.realpath(base_dir)
    if base_dir in _overlay_probe_results:
        return _overlay_probe_results[base_dir]
    probe_dir = tempfile.mkdtemp(prefix=".overlay-probe-", dir=base_dir)
    merged = os.path.join(probe_dir, "merged")
    try:
        os.mkdir(os.path.join(probe_dir, "lower"))
        mount_overlay(
            os.path.join(probe_dir, "lower"),
            os.path.join(probe_dir, "upper"),
            os.path.join(probe_dir, "work"),
            merged,
        )
    except OSError as error:
        log.info("overlayfs is not usable in %s: %s", base_dir, error)
        supported = False
    else:
        unmount(merged)
        supported = True
    finally:
        remove_tree(probe_dir)
    _overlay_probe_results[base_dir] = supported
    return supported
