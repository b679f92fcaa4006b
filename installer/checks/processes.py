"""Running processes under the root's ``/proc``: their names and fanotify use."""

import os
import re

FANOTIFY_LINK = "anon_inode:[fanotify]"
_PID = re.compile(r"^[0-9]+$")


def list_processes(ctx):
    """Return ([(pid, comm)], whether /proc exists under the root). PIDs are ints."""
    proc = ctx.host_path("/proc")
    try:
        entries = os.listdir(proc)
    except OSError:
        return [], False
    processes = []
    for entry in entries:
        if not _PID.match(entry):
            continue
        try:
            with open(os.path.join(proc, entry, "comm"), "rb") as handle:
                comm = handle.read(64).decode("utf-8", "replace").strip()
        except OSError:
            continue  # the process exited while the list was read
        processes.append((int(entry), comm))
    return sorted(processes), True


def uses_fanotify(ctx, pid):
    """Return True, False, or None when its file descriptors cannot be read (needs root)."""
    fd_dir = ctx.host_path("/proc/{0}/fd".format(pid))
    try:
        descriptors = os.listdir(fd_dir)
    except OSError:
        return None
    for descriptor in descriptors:
        try:
            if os.readlink(os.path.join(fd_dir, descriptor)) == FANOTIFY_LINK:
                return True
        except OSError:
            continue
    return False
