"""Compare the wall time of ``amp-preflight --json`` with ``ansible localhost -m setup``.

Both commands tell an admin about the host: ansible's setup module gathers
its facts, amp-preflight gathers the facts and judges them. The two run
alternately in the same process, so load on the machine affects both alike,
and the script prints the median of each and their ratio as one JSON line.

    python benchmarks/preflight_vs_ansible.py --rounds 10
    python benchmarks/preflight_vs_ansible.py --preflight dist/amp-preflight.pyz

The exit status is 0 when the median ratio is below --target (default 0.2,
that is amp-preflight takes less than a fifth of ansible's time), else 1.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def preflight_command(preflight):
    """Return the argv that runs amp-preflight --json, from the tree or from a .pyz."""
    if preflight:
        return [sys.executable, str(preflight), "--json"]
    return [sys.executable, "-m", "installer.preflight", "--json"]


def ansible_command(ansible):
    return [ansible, "localhost", "-m", "setup"]


def timed_run(argv, accepted_statuses):
    """Run ``argv`` and return its wall time in seconds; raise if its status is unexpected."""
    environment = dict(os.environ, ANSIBLE_LOCALHOST_WARNING="False",
                       ANSIBLE_INVENTORY_UNPARSED_WARNING="False")
    start = time.perf_counter()
    completed = subprocess.run(argv, cwd=str(REPO), capture_output=True, env=environment)
    elapsed = time.perf_counter() - start
    if completed.returncode not in accepted_statuses:
        raise RuntimeError("{0} exited with status {1}: {2}".format(
            " ".join(argv), completed.returncode, completed.stderr.decode(errors="replace")[-500:]))
    return elapsed


def measure(rounds, preflight_argv, ansible_argv):
    """Return (preflight times, ansible times), alternating the two commands each round."""
    # amp-preflight exits 1 or 2 when the host warns or fails; that is a result, not an error.
    timed_run(preflight_argv, (0, 1, 2))
    timed_run(ansible_argv, (0,))
    preflight_times, ansible_times = [], []
    for _round in range(rounds):
        preflight_times.append(timed_run(preflight_argv, (0, 1, 2)))
        ansible_times.append(timed_run(ansible_argv, (0,)))
    return preflight_times, ansible_times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each command")
    parser.add_argument("--preflight", type=Path,
                        help="an amp-preflight.pyz to time (default: the source tree)")
    parser.add_argument("--ansible", default=shutil.which("ansible") or str(
        Path(sys.executable).parent / "ansible"), help="the ansible command (default: on PATH)")
    parser.add_argument("--target", type=float, default=0.2,
                        help="the highest acceptable median ratio (default: 0.2)")
    options = parser.parse_args(argv)

    preflight_times, ansible_times = measure(
        options.rounds, preflight_command(options.preflight), ansible_command(options.ansible))
    preflight_median = statistics.median(preflight_times)
    ansible_median = statistics.median(ansible_times)
    ansible_version = subprocess.run([options.ansible, "--version"], capture_output=True,
                                     text=True).stdout.split("\n")[0]
    result = {
        "rounds": options.rounds,
        "preflight_median_s": round(preflight_median, 3),
        "preflight_min_s": round(min(preflight_times), 3),
        "ansible_median_s": round(ansible_median, 3),
        "ansible_min_s": round(min(ansible_times), 3),
        "ratio": round(preflight_median / ansible_median, 3),
        "target": options.target,
        "python": platform.python_version(),
        "ansible": ansible_version,
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result, sort_keys=True))
    return 0 if result["ratio"] < options.target else 1


if __name__ == "__main__":
    sys.exit(main())
