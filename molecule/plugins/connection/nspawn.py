"""Ansible connection to a booted systemd-nspawn test host, through nsenter."""

# Ansible plugins put DOCUMENTATION before the imports.
# ruff: noqa: E402

from __future__ import annotations

DOCUMENTATION = """
    name: nspawn
    short_description: run tasks in a booted systemd-nspawn container through nsenter
    description:
        - Runs each command with C(nsenter -t PID -a), where PID is the container's init
          process as seen from the controller, so tasks see the container's mount, PID,
          network, IPC and UTS namespaces and its root directory.
        - Made for this repository's test hosts (C(testhosts.TestHost)); the controller
          must run as root on the machine that booted the container.
    author: ciscoampconnector contributors
    options:
        remote_addr:
            description:
                - PID of the container's init process (the child of C(systemd-nspawn)).
            type: str
            vars:
                - name: inventory_hostname
                - name: ansible_host
        command_timeout:
            description: Seconds a single command may run before it is killed.
            type: int
            default: 1800
            vars:
                - name: ansible_nspawn_command_timeout
    extends_documentation_fragment:
        - connection_pipelining
"""

import os
import subprocess

from ansible.errors import AnsibleConnectionFailure, AnsibleError, AnsibleFileNotFound
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.plugins.connection import ConnectionBase
from ansible.utils.display import Display

display = Display()

# The environment a command starts with inside the container; the host's own
# variables (virtualenvs, CI settings) must not leak in.
CONTAINER_ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
    "HOME": "/root",
}


class Connection(ConnectionBase):
    """Connection that enters a running container's namespaces with nsenter."""

    transport = "nspawn"
    has_pipelining = True

    def _init_pid(self):
        value = str(self.get_option("remote_addr"))
        if not value.isdigit():
            raise AnsibleConnectionFailure(
                f"nspawn connection: invalid ansible_host {value!r}: expected the container's init PID"
            )
        if not os.path.isdir(f"/proc/{value}"):
            raise AnsibleConnectionFailure(
                f"nspawn connection: no process {value}: the test host is not running (run molecule create)"
            )
        return value

    def _nsenter(self, argv):
        return (
            ["nsenter", "-t", self._init_pid(), "-a", "-r", "-w", "env", "-i"]
            + [f"{name}={value}" for name, value in CONTAINER_ENV.items()]
            + argv
        )

    def _connect(self):
        if not self._connected:
            display.vvv(f"NSPAWN: entering init PID {self._init_pid()}", host=self._play_context.remote_addr)
            self._connected = True
        return self

    def _run(self, argv, stdin_data=None, stdin_file=None, stdout_file=None):
        command = self._nsenter(argv)
        display.vvvv(f"NSPAWN: {command!r}", host=self._play_context.remote_addr)
        try:
            result = subprocess.run(
                command,
                input=stdin_data if stdin_file is None else None,
                stdin=stdin_file
                if stdin_file is not None
                else (None if stdin_data is not None else subprocess.DEVNULL),
                stdout=stdout_file if stdout_file is not None else subprocess.PIPE,
                stderr=subprocess.PIPE,
                timeout=self.get_option("command_timeout"),
                check=False,
            )
        except FileNotFoundError:
            raise AnsibleConnectionFailure(
                "nspawn connection: nsenter not found (Debian package util-linux)"
            ) from None
        except subprocess.TimeoutExpired:
            raise AnsibleConnectionFailure(
                f"nspawn connection: command timed out after {self.get_option('command_timeout')} s: {argv!r}"
            ) from None
        return result.returncode, result.stdout or b"", result.stderr

    def exec_command(self, cmd, in_data=None, sudoable=True):
        super().exec_command(cmd, in_data=in_data, sudoable=sudoable)
        return self._run(["/bin/sh", "-c", to_text(cmd)], stdin_data=in_data)

    def put_file(self, in_path, out_path):
        super().put_file(in_path, out_path)
        display.vvv(f"PUT {in_path} TO {out_path}", host=self._play_context.remote_addr)
        if not os.path.exists(to_bytes(in_path)):
            raise AnsibleFileNotFound(f"file or module does not exist: {in_path}")
        # Write through a shell inside the container, so symlinks in out_path
        # resolve against the container's root, not the controller's.
        with open(to_bytes(in_path), "rb") as source:
            returncode, _, stderr = self._run(
                ["/bin/sh", "-c", 'cat > "$1"', "sh", out_path], stdin_file=source
            )
        if returncode != 0:
            raise AnsibleError(f"failed to write {out_path} in the container: {to_text(stderr)}")

    def fetch_file(self, in_path, out_path):
        super().fetch_file(in_path, out_path)
        display.vvv(f"FETCH {in_path} TO {out_path}", host=self._play_context.remote_addr)
        with open(to_bytes(out_path), "wb") as target:
            returncode, _, stderr = self._run(["cat", in_path], stdout_file=target)
        if returncode != 0:
            raise AnsibleError(f"failed to read {in_path} in the container: {to_text(stderr)}")

    def close(self):
        self._connected = False
