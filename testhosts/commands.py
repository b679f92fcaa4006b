"""Commands in test hosts: clean environment, argv checks, timeouts and CommandError."""

import contextlib
import os
import shlex
import signal
import subprocess
import time

from .system import TestHostError

# systemd-nspawn gets SIGTERM, and powers its container off, when the thread
# that started it ends, so a test process killed by SIGKILL leaves no host
# running.  NOTE: that is the starting thread, not the process, so boot hosts
# from a thread that outlives them (pytest runs tests in the main thread).
PDEATHSIG_PREFIX = ["setpriv", "--pdeathsig", "TERM", "--"]

_KILL_WAIT = 5.0

BASE_ENVIRONMENT = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "HOME": "/root"}


class CommandError(subprocess.CalledProcessError, TestHostError):
    """A command in a test host exited with a non-zero code."""

    def __init__(self, host_name, returncode, cmd, stdout, stderr):
        super().__init__(returncode, cmd, stdout, stderr)
        self.host_name = host_name

    def __str__(self):
        return (
            f"command {shlex.join(self.cmd)} in test host {self.host_name} "
            f"failed with exit code {self.returncode}\n"
            f"--- stdout ---\n{self.stdout}--- stderr ---\n{self.stderr}"
        )


def clean_env_command(env=None):
    """Return the `env -i ...` prefix that gives a command a clean environment."""
    variables = dict(BASE_ENVIRONMENT)
    for key, value in (env or {}).items():
        if not key or "=" in key:
            raise ValueError(f"invalid environment variable name {key!r}")
        variables[key] = str(value)
    return ["env", "-i"] + [f"{key}={value}" for key, value in variables.items()]


def check_argv(argv):
    """Return argv as a list of str.

    A plain string raises TypeError, because passing one instead of a list
    is a common mistake.
    """
    if isinstance(argv, (str, bytes)):
        raise TypeError(f"argv must be a list of arguments, not a string: {argv!r}")
    argv = [os.fspath(arg) for arg in argv]
    if not argv:
        raise ValueError("argv must not be empty")
    return argv


def child_pids(pid):
    children = []
    try:
        task_ids = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return children
    for task_id in task_ids:
        try:
            with open(f"/proc/{pid}/task/{task_id}/children", encoding="ascii") as children_file:
                children.extend(int(child) for child in children_file.read().split())
        except FileNotFoundError:
            continue
    return children


def kill_process_tree(process):
    """SIGKILL a Popen's direct children, then the process itself, and reap it.

    nsenter forks the command into the target PID namespace, and killing
    nsenter alone would leave that command running in the host.  The
    children are not this process's children, so it cannot reap them, and
    instead waits up to _KILL_WAIT seconds until they are gone or zombies.
    """
    children = child_pids(process.pid)
    for child in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        process.kill()
    process.wait()
    deadline = time.monotonic() + _KILL_WAIT
    while any(_is_alive(child) for child in children) and time.monotonic() < deadline:
        time.sleep(0.05)


def _is_alive(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def run_process(command, argv, host_name, check, input, timeout, pass_fds=()):
    """Run command, a wrapper around argv, and return a CompletedProcess for argv.

    Raises CommandError for a non-zero exit (with check) and TestHostError on timeout.
    """
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        pass_fds=pass_fds,
    )
    try:
        stdout, stderr = process.communicate(input, timeout=timeout)
    except BaseException as error:
        kill_process_tree(process)
        if isinstance(error, subprocess.TimeoutExpired):
            raise TestHostError(
                f"command {shlex.join(argv)} in test host {host_name} timed out after {timeout} s"
            ) from None
        raise
    result = subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)
    if check and result.returncode != 0:
        raise CommandError(host_name, result.returncode, argv, stdout, stderr)
    return result
