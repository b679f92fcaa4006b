"""Time the cisco_amp role against a bare copy-and-install playbook on a fleet of test hosts.

In one run, as root:

1. boot --hosts Debian test hosts and run a bare playbook that copies the .deb
   and installs it with apt-get (the floor for any install);
2. boot as many fresh hosts and converge them with the role from the same
   .deb, all phases on (preflight, install, configure, service, verify);
   steps 1 and 2 alternate --converge-rounds times, and the ratio uses the
   medians;
3. on the last converged hosts, run the role again (idempotent: it must
   change nothing) and a no-op play that only gathers facts, alternately
   --rounds times.

Both fleets run with forks equal to the host count, pipelining on, and the
nspawn connection plugin. Prints JSON with the wall times and two ratios:
first converge / bare install (target at most 1.5) and idempotent run /
fact-gathering no-op (target at most 1.0). Exits 1 when a target is missed.

With --task-times DIR, each playbook run also writes DIR/NAME.jsonl: one
line per task with its wall time (benchmarks/callback_plugins/task_times.py).

Usage: python3 benchmarks/role_converge.py [--hosts 10] [--rounds 3] [--converge-rounds 3]
                                           [--profile bookworm] [--task-times DIR]
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.role.fleet import booted_fleet, build_artifacts, role_variables, write_inventory  # noqa: E402

CONVERGE_TARGET = 1.5
IDEMPOTENT_TARGET = 1.0
RECAP_LINE = re.compile(
    r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE
)

BARE_PLAYBOOK = [
    {
        "name": "Copy the .deb and install it",
        "hosts": "cisco_amp",
        "gather_facts": False,
        "tasks": [
            {
                "name": "Copy the package",
                "ansible.builtin.copy": {"src": "{{ deb }}", "dest": "/root/connector.deb", "mode": "0644"},
            },
            {
                "name": "Install the package",
                "ansible.builtin.command": {
                    "argv": ["apt-get", "install", "-y", "-q", "/root/connector.deb"]
                },
                "environment": {"DEBIAN_FRONTEND": "noninteractive"},
                "changed_when": True,
            },
        ],
    }
]

# The role gathers the minimal facts it needs itself.
ROLE_PLAYBOOK = [
    {
        "name": "Converge with the cisco_amp role",
        "hosts": "cisco_amp",
        "gather_facts": False,
        "roles": [{"role": "cisco_amp"}],
    }
]

NOOP_PLAYBOOK = [{"name": "Gather facts only", "hosts": "cisco_amp", "gather_facts": True, "tasks": []}]


def _ansible_env(forks, task_times=None):
    env = dict(os.environ)
    if task_times:
        env["ANSIBLE_CALLBACK_PLUGINS"] = str(REPO / "benchmarks" / "callback_plugins")
        env["ANSIBLE_CALLBACKS_ENABLED"] = "task_times"
    env.update(
        {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            "ANSIBLE_ROLES_PATH": str(REPO / "roles"),
            "ANSIBLE_CONNECTION_PLUGINS": str(REPO / "molecule" / "plugins" / "connection"),
            "ANSIBLE_PIPELINING": "1",
            "ANSIBLE_FORKS": str(forks),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_PYTHON_INTERPRETER": "auto_silent",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
        }
    )
    return env


def run_playbook(workdir, name, playbook, inventory, variables, env, times_file=None):
    """Run one playbook; return (seconds, {host: changed count}). Raise on failure."""
    if times_file:
        env = dict(env, AMP_TASK_TIMES=str(times_file))
    path = workdir / f"{name}.yml"
    path.write_text(json.dumps(playbook))
    argv = [
        str(Path(sys.executable).parent / "ansible-playbook"),
        "-i",
        str(inventory),
        "-e",
        json.dumps(variables),
        str(path),
    ]
    started = time.monotonic()
    result = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=workdir, check=False)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        raise RuntimeError(f"{name} playbook failed (exit {result.returncode}):\n{result.stdout[-6000:]}")
    changed = {match[0]: int(match[2]) for match in RECAP_LINE.findall(result.stdout)}
    return elapsed, changed


def fleet_profiles(count, profile, prefix):
    return {f"{prefix}{index:02d}": profile for index in range(count)}


def measure(hosts, rounds, profile, converge_rounds=3, task_times=None):
    def times(name):
        return Path(task_times) / f"{name}.jsonl" if task_times else None

    with tempfile.TemporaryDirectory(prefix="amp-role-bench-") as work:
        workdir = Path(work)
        artifacts = build_artifacts(workdir / "artifacts")
        deb = artifacts["packages"][artifacts["version"]]["deb"]
        env = _ansible_env(hosts, task_times)
        role_vars = dict(role_variables(artifacts))
        role_vars.update({"cisco_amp_package_file": deb, "cisco_amp_repo_manage": False})

        # Bare and role alternate on fresh fleets, so load drifts reach both.
        bare, converge = [], []
        for index in range(converge_rounds):
            last = index == converge_rounds - 1
            with booted_fleet(fleet_profiles(hosts, profile, "bare")) as fleet:
                inventory = write_inventory(workdir / "bare.ini", fleet)
                seconds, _ = run_playbook(
                    workdir, "bare", BARE_PLAYBOOK, inventory, {"deb": deb}, env, times(f"bare-{index}")
                )
                bare.append(seconds)
            with booted_fleet(fleet_profiles(hosts, profile, "role")) as fleet:
                inventory = write_inventory(workdir / "role.ini", fleet)
                seconds, _ = run_playbook(
                    workdir, "role", ROLE_PLAYBOOK, inventory, role_vars, env, times(f"converge-{index}")
                )
                converge.append(seconds)
                if last:
                    idempotent, noop = idempotent_rounds(workdir, inventory, role_vars, env, rounds, times)

    report = {
        "hosts": hosts,
        "profile": profile,
        "converge_rounds": converge_rounds,
        "rounds": rounds,
        "bare_install_s": [round(value, 2) for value in bare],
        "role_converge_s": [round(value, 2) for value in converge],
        "role_idempotent_s": [round(value, 2) for value in idempotent],
        "facts_noop_s": [round(value, 2) for value in noop],
    }
    report["converge_ratio"] = round(statistics.median(converge) / statistics.median(bare), 2)
    report["idempotent_ratio"] = round(statistics.median(idempotent) / statistics.median(noop), 2)
    report["converge_target"] = CONVERGE_TARGET
    report["idempotent_target"] = IDEMPOTENT_TARGET
    return report


def idempotent_rounds(workdir, inventory, role_vars, env, rounds, times):
    """Run the role again and the no-op play alternately; return both lists of seconds."""
    idempotent, noop = [], []
    for index in range(rounds):
        seconds, changed = run_playbook(
            workdir, "role", ROLE_PLAYBOOK, inventory, role_vars, env, times(f"idempotent-{index}")
        )
        if any(changed.values()):
            raise RuntimeError(f"the second converge changed hosts: {changed}")
        idempotent.append(seconds)
        seconds, _ = run_playbook(workdir, "noop", NOOP_PLAYBOOK, inventory, {}, env, times(f"noop-{index}"))
        noop.append(seconds)
    return idempotent, noop


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--hosts", type=int, default=10, help="test hosts in each fleet (default 10)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="idempotent and no-op runs, alternately (default 3)"
    )
    parser.add_argument(
        "--converge-rounds",
        type=int,
        default=3,
        help="bare installs and first converges, alternately, each on fresh hosts (default 3)",
    )
    parser.add_argument("--profile", default="bookworm", help="test-host profile (default bookworm)")
    parser.add_argument("--task-times", metavar="DIR", help="write each run's per-task wall times to DIR")
    options = parser.parse_args(argv)
    if options.task_times:
        Path(options.task_times).mkdir(parents=True, exist_ok=True)
    report = measure(
        options.hosts, options.rounds, options.profile, options.converge_rounds, options.task_times
    )
    print(json.dumps(report, indent=2))
    met = report["converge_ratio"] <= CONVERGE_TARGET and report["idempotent_ratio"] <= IDEMPOTENT_TARGET
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
