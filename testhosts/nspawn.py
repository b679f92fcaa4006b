"""Booted test hosts: start with systemd-nspawn -b, run commands through nsenter, tear down.

A host runs with --private-network, so it has only its own loopback
interface.  --register=no and --keep-unit are needed because the machines
these tests run on need not have systemd as PID 1.
"""

import atexit
import contextlib
import logging
import os
import shutil
import signal
import subprocess
import time

from . import workspace
from .commands import PDEATHSIG_PREFIX, check_argv, child_pids, clean_env_command, run_process
from .paths import resolve_in_root
from .profiles import DEFAULT_PROFILE, INIT_SYSTEMD, INIT_SYSVINIT, get_profile
from .system import BOOT_TOOLS, TestHostError, require
from .sysvinit import SYSVINIT_POWEROFF, sysvinit_boot_state

log = logging.getLogger(__name__)

# Timeouts in seconds.  A boot took 0.3-1.4 s on a 2-core VM, so the boot
# timeout leaves a wide margin for loaded CI machines.
BOOT_TIMEOUT = 120.0
COMMAND_TIMEOUT = 120.0
STOP_TIMEOUT = 30.0
_KILL_WAIT = 10.0
_POLL_INTERVAL = 0.2

# The comm (process name) of each init system's PID 1.
_INIT_COMM = {INIT_SYSTEMD: "systemd", INIT_SYSVINIT: "init"}

_live_hosts = set()


class TestHost:
    """A booted Debian test host, created by TestHost.boot() and used as a context manager."""

    # Keep pytest from collecting this class when a test module imports it.
    __test__ = False

    def __init__(self, profile, name):
        self.profile = get_profile(profile)
        self.name = name
        self.workdir = None
        self.root = None
        self.mode = None
        self.init_pid = None
        self._nspawn = None
        self._console_log = None
        self._cleanup = contextlib.ExitStack()
        self._closed = False

    @classmethod
    def boot(
        cls,
        profile=DEFAULT_PROFILE,
        name=None,
        *,
        cache=None,
        mirror=None,
        mode=workspace.MODE_AUTO,
        timeout=BOOT_TIMEOUT,
    ):
        """Boot a host from the profile's cached root (built first if missing).

        mode is "overlay", "copy" or "auto" (overlay where it can be mounted).
        Waits up to timeout seconds for the boot to finish.  On any error,
        including KeyboardInterrupt, the partly started host is torn down.
        """
        require(BOOT_TOOLS)
        profile = get_profile(profile)
        host = cls(profile, name or workspace.new_machine_name(profile))
        _live_hosts.add(host)
        try:
            host._start(cache, mirror, mode, timeout)
        except BaseException:
            host.close()
            raise
        return host

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __repr__(self):
        return f"<TestHost {self.name} profile={self.profile.name} init_pid={self.init_pid}>"

    def _start(self, cache, mirror, mode, timeout):
        self.workdir, self.root, self.mode, owner_lock = workspace.prepare_root(
            self._cleanup, self.profile, self.name, cache=cache, mirror=mirror, mode=mode
        )
        # The boot timeout starts after the root is ready, because a first
        # use may build the root with debootstrap, which takes minutes.
        deadline = time.monotonic() + timeout
        command = PDEATHSIG_PREFIX + [
            "systemd-nspawn",
            "-b",
            "-D",
            self.root,
            "--register=no",
            "--keep-unit",
            f"--machine={self.name}",
            "--private-network",
            "--link-journal=no",
            "--console=read-only",
            "-q",
        ]
        self._console_log = os.path.join(self.workdir, "console.log")
        self._cleanup.callback(self._stop)
        with open(self._console_log, "wb") as console:
            # A new session keeps a terminal's Ctrl-C away from systemd-nspawn,
            # so teardown decides how the host stops.
            self._nspawn = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=console,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                pass_fds=(owner_lock,),
            )
        log.info(
            "booting %s (%s, %s root): pid %d", self.name, self.profile.name, self.mode, self._nspawn.pid
        )
        self.init_pid = self._find_init_pid(deadline)
        if self.profile.init == INIT_SYSVINIT:
            self._wait_for_sysvinit(deadline)
        else:
            self._wait_for_systemd(deadline)

    def _boot_error(self, message):
        return TestHostError(
            f"test host {self.name}: {message}\n--- console ---\n{self.console_output()[-4000:]}"
        )

    def console_output(self):
        """Return what the host wrote to its console so far."""
        if not self._console_log or not os.path.exists(self._console_log):
            return ""
        with open(self._console_log, encoding="utf-8", errors="replace") as console:
            return console.read()

    def _check_nspawn_alive(self):
        if self._nspawn.poll() is not None:
            raise self._boot_error(f"systemd-nspawn exited with code {self._nspawn.returncode} during boot")

    def _find_init_pid(self, deadline):
        # The container's init is the child of systemd-nspawn in another PID
        # namespace.  Until that child executes init, its comm stays
        # "systemd-nspawn"; entering it earlier would reach a half-set-up root.
        expected_comm = _INIT_COMM[self.profile.init]
        own_pid_ns = os.readlink(f"/proc/{self._nspawn.pid}/ns/pid")
        while time.monotonic() < deadline:
            self._check_nspawn_alive()
            for child in child_pids(self._nspawn.pid):
                try:
                    if os.readlink(f"/proc/{child}/ns/pid") == own_pid_ns:
                        continue
                    with open(f"/proc/{child}/comm", encoding="utf-8") as comm:
                        if comm.read().strip() != expected_comm:
                            continue
                except OSError:
                    continue
                return child
            time.sleep(_POLL_INTERVAL / 4)
        raise self._boot_error(f"timed out waiting for the container's init process ({expected_comm})")

    def _wait_for_systemd(self, deadline):
        while True:
            self._check_nspawn_alive()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._boot_error("timed out waiting for systemctl is-system-running")
            try:
                result = self.run(
                    ["systemctl", "is-system-running", "--wait"], check=False, timeout=remaining
                )
            except TestHostError:
                continue
            state = result.stdout.strip()
            if state == "running":
                return
            if state == "degraded":
                failed = self.run(["systemctl", "--failed", "--no-legend", "--plain"], check=False).stdout
                log.warning("test host %s booted degraded; failed units:\n%s", self.name, failed.rstrip())
                return
            if state in ("maintenance", "stopping"):
                raise self._boot_error(f"system state is {state!r}")
            # Before systemd listens on its bus, systemctl fails at once, and
            # before it creates /run/systemd/system, it prints "offline".
            time.sleep(_POLL_INTERVAL)

    def _wait_for_sysvinit(self, deadline):
        while True:
            self._check_nspawn_alive()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._boot_error("timed out waiting for SysV init to reach its runlevel")
            if sysvinit_boot_state(self) == "running":
                return
            time.sleep(_POLL_INTERVAL)

    def run(self, argv, check=True, input=None, timeout=COMMAND_TIMEOUT, env=None):
        """Run argv in the host and return a CompletedProcess with text stdout and stderr.

        The command gets only PATH, LANG=C.UTF-8, HOME=/root and the env
        mapping.  With check=True a non-zero exit raises CommandError, whose
        message has argv, exit code, stdout and stderr.  A command still
        running after timeout seconds is killed and TestHostError is raised.
        """
        if self.init_pid is None or self._closed:
            raise TestHostError(f"test host {self.name} is not running")
        return self._nsenter(argv, check, input, timeout, env)

    def _nsenter(self, argv, check=True, input=None, timeout=COMMAND_TIMEOUT, env=None):
        argv = check_argv(argv)
        command = ["nsenter", "-t", str(self.init_pid), "-a", "-r", "-w"] + clean_env_command(env) + argv
        return run_process(command, argv, self.name, check, input, timeout)

    def path(self, container_path):
        """Return the host-side path of a container path.

        The path goes through /proc/INITPID/root, so it also reaches the
        container's own mounts such as /run and /tmp.  Symlinks are resolved
        inside the container.  The path is valid only while the host runs.
        """
        if self.init_pid is None or self._closed:
            raise TestHostError(f"test host {self.name} is not running")
        return resolve_in_root(f"/proc/{self.init_pid}/root", os.fspath(container_path))

    def read_text(self, container_path, encoding="utf-8"):
        """Return the text of a file in the host."""
        with open(self.path(container_path), encoding=encoding) as text_file:
            return text_file.read()

    def copy_in(self, source, destination, mode=None):
        """Copy a host file or directory into the host; return the container path written.

        If destination is an existing directory in the host, the source keeps
        its name inside it.  Copied files keep their mode unless mode is given.
        """
        source = os.fspath(source)
        destination = os.fspath(destination)
        target = self.path(destination)
        if os.path.isdir(target):
            destination = destination.rstrip("/") + "/" + os.path.basename(source.rstrip("/"))
            target = self.path(destination)
        if os.path.isdir(source):
            shutil.copytree(source, target, symlinks=True)
        else:
            shutil.copy2(source, target)
        if mode is not None:
            os.chmod(target, mode)
        return destination

    def journal(self, identifier=None, unit=None):
        """Return this boot's journal, optionally only one syslog identifier or unit."""
        if self.profile.init == INIT_SYSVINIT:
            raise TestHostError(f"test host {self.name} runs SysV init and has no journal")
        argv = ["journalctl", "--no-pager", "-b", "-o", "short-iso"]
        if identifier:
            argv += ["-t", identifier]
        if unit:
            argv += ["-u", unit]
        return self.run(argv).stdout

    def close(self):
        """Power off the host, unmount its root and delete its temp dir.  Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        _live_hosts.discard(self)
        self._cleanup.close()

    def _stop(self):
        nspawn = self._nspawn
        if nspawn is None:
            return
        if nspawn.poll() is None and self.init_pid is not None:
            poweroff = SYSVINIT_POWEROFF if self.profile.init == INIT_SYSVINIT else ["systemctl", "poweroff"]
            try:
                self._nsenter(poweroff, timeout=_KILL_WAIT)
            except TestHostError as error:
                log.warning("powering off %s failed: %s", self.name, error)
            with contextlib.suppress(subprocess.TimeoutExpired):
                nspawn.wait(STOP_TIMEOUT)
            if nspawn.poll() is None:
                log.warning(
                    "test host %s did not power off within %s s, so killing it", self.name, STOP_TIMEOUT
                )
        if nspawn.poll() is None and self.init_pid in child_pids(nspawn.pid):
            # Killing the container's init ends its whole PID namespace, and
            # systemd-nspawn then reaps it, cleans up and exits.
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.init_pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                nspawn.wait(_KILL_WAIT)
        if nspawn.poll() is None:
            log.warning("systemd-nspawn of %s is still running, so killing it", self.name)
            nspawn.kill()
            try:
                nspawn.wait(_KILL_WAIT)
            except subprocess.TimeoutExpired:
                raise TestHostError(
                    f"systemd-nspawn (pid {nspawn.pid}) of {self.name} survived SIGKILL"
                ) from None
        log.info("test host %s stopped (systemd-nspawn exit code %s)", self.name, nspawn.returncode)


@atexit.register
def _close_live_hosts():
    for host in list(_live_hosts):
        log.warning("tearing down test host %s at exit; use it as a context manager", host.name)
        host.close()


def run_unbooted(
    profile,
    argv,
    *,
    check=True,
    input=None,
    timeout=COMMAND_TIMEOUT,
    env=None,
    name=None,
    cache=None,
    mirror=None,
    mode=workspace.MODE_AUTO,
):
    """Run one command in a fresh writable copy of the profile's root, with no init system.

    systemd-nspawn's stub init is PID 1 and argv runs as PID 2, with the
    same clean environment as TestHost.run.  Returns a CompletedProcess.
    With check=True a non-zero exit raises CommandError.  The root is
    discarded afterwards.
    """
    require(BOOT_TOOLS)
    argv = check_argv(argv)
    profile = get_profile(profile)
    name = name or workspace.new_machine_name(profile)
    with contextlib.ExitStack() as stack:
        _, root, _, owner_lock = workspace.prepare_root(
            stack, profile, name, cache=cache, mirror=mirror, mode=mode
        )
        command = (
            PDEATHSIG_PREFIX
            + [
                "systemd-nspawn",
                "-q",
                "--register=no",
                "--keep-unit",
                "-D",
                root,
                f"--machine={name}",
                "--private-network",
                "--link-journal=no",
                "--as-pid2",
                "--pipe",
                "--",
            ]
            + clean_env_command(env)
            + argv
        )
        return run_process(command, argv, name, check, input, timeout, pass_fds=(owner_lock,))
