"""Keep booted test hosts running between Molecule's create and destroy steps.

A TestHost lives as long as the Python process that booted it, but Molecule
runs create, converge and destroy as separate ansible-playbook runs. So
``start`` launches a background process that boots the hosts, writes their
init PIDs to STATE_DIR/hosts.json and waits. ``stop`` sends it SIGTERM, and
then it powers the hosts off.

Usage (as root, from anywhere):
    python3 testhostd.py start --state-dir DIR --host NAME=PROFILE [--host ...]
    python3 testhostd.py stop --state-dir DIR
"""

import argparse
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STATE_FILE = "hosts.json"
PID_FILE = "testhostd.pid"
LOG_FILE = "testhostd.log"
# Booting takes a few seconds a host; the first use of a profile also builds
# its root with debootstrap, which takes minutes.
START_TIMEOUT = 900.0
STOP_TIMEOUT = 120.0


def _parse_hosts(pairs):
    hosts = {}
    for pair in pairs:
        name, separator, profile = pair.partition("=")
        if not separator or not name or not profile:
            raise SystemExit(f"error: invalid --host {pair!r}: expected NAME=PROFILE")
        hosts[name] = profile
    return hosts


def _serve(state_dir, hosts):
    """Boot the hosts, publish their PIDs and hold them until SIGTERM."""
    sys.path.insert(0, str(REPO))
    from testhosts import TestHost

    stopping = []
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))
    booted = {}
    try:
        for name, profile in hosts.items():
            logging.info("booting %s (profile %s)", name, profile)
            booted[name] = TestHost.boot(profile)
            if stopping:
                return 1
        state = {
            name: {
                "init_pid": host.init_pid,
                "profile": profile,
                "machine": host.name,
                "init": host.profile.init,
            }
            for (name, profile), host in zip(hosts.items(), booted.values())
        }
        temporary = state_dir / (STATE_FILE + ".tmp")
        temporary.write_text(json.dumps(state, indent=2))
        temporary.rename(state_dir / STATE_FILE)
        logging.info("hosts ready: %s", state)
        while not stopping:
            signal.pause()
        return 0
    finally:
        for name, host in booted.items():
            logging.info("stopping %s", name)
            host.close()
        (state_dir / STATE_FILE).unlink(missing_ok=True)
        (state_dir / PID_FILE).unlink(missing_ok=True)


def _start(state_dir, hosts):
    state_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / STATE_FILE).unlink(missing_ok=True)
    argv = [sys.executable, __file__, "serve", "--state-dir", str(state_dir)]
    for name, profile in hosts.items():
        argv += ["--host", f"{name}={profile}"]
    with open(state_dir / LOG_FILE, "ab") as log:
        server = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
        )
    (state_dir / PID_FILE).write_text(str(server.pid))
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if (state_dir / STATE_FILE).exists():
            print((state_dir / STATE_FILE).read_text())
            return 0
        if server.poll() is not None:
            log_text = (state_dir / LOG_FILE).read_text(errors="replace")[-4000:]
            print(
                f"error: the test-host server exited with code {server.returncode}:\n{log_text}",
                file=sys.stderr,
            )
            return 1
        time.sleep(0.2)
    server.terminate()
    print(
        f"error: test hosts not ready after {START_TIMEOUT:.0f} s; see {state_dir / LOG_FILE}",
        file=sys.stderr,
    )
    return 1


def _stop(state_dir):
    pid_file = state_dir / PID_FILE
    if not pid_file.exists():
        print(f"no test-host server recorded in {state_dir}; nothing to stop")
        return 0
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pid_file.unlink(missing_ok=True)
        return 0
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return 0
        # The server is our child only when start and stop ran in one
        # process; otherwise init reaps it.
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.2)
    print(f"error: test-host server {pid} still running after {STOP_TIMEOUT:.0f} s", file=sys.stderr)
    return 1


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=("start", "stop", "serve"))
    parser.add_argument(
        "--state-dir", required=True, type=Path, help="directory for the PID, state and log files"
    )
    parser.add_argument("--host", action="append", default=[], help="NAME=PROFILE to boot (repeatable)")
    options = parser.parse_args(argv)
    state_dir = options.state_dir.resolve()
    if options.action == "stop":
        return _stop(state_dir)
    hosts = _parse_hosts(options.host)
    if not hosts:
        parser.error("give at least one --host NAME=PROFILE")
    if options.action == "start":
        return _start(state_dir, hosts)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    return _serve(state_dir, hosts)


if __name__ == "__main__":
    sys.exit(main())
