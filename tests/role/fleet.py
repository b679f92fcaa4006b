"""Boot several test hosts and describe them to Ansible, for the rollout test and the benchmark.

Hosts are reached with the nspawn connection plugin in molecule/plugins,
by the PID of each container's init.
"""

import contextlib
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from testhosts import TestHost

REPO = Path(__file__).resolve().parents[2]
BUILD_ARTIFACTS = REPO / "molecule" / "shared" / "build_artifacts.py"
REPO_DIR_IN_HOST = "/srv/cisco-amp-repo"


def build_artifacts(out_dir):
    """Build both package versions, the signed repositories and amp-preflight.pyz; return artifacts.json."""
    subprocess.run([sys.executable, str(BUILD_ARTIFACTS), str(out_dir)], check=True, capture_output=True)
    return json.loads((Path(out_dir) / "artifacts.json").read_text())


@contextlib.contextmanager
def booted_fleet(profiles, artifacts=None):
    """Boot one host per name -> profile, at once; yield {name: TestHost} and power them off after.

    With artifacts, each host gets the signed repositories under /srv/cisco-amp-repo.
    """
    with contextlib.ExitStack() as stack, ThreadPoolExecutor(max_workers=len(profiles)) as pool:
        futures = {name: pool.submit(TestHost.boot, profile) for name, profile in profiles.items()}
        hosts = {}
        try:
            for name, future in futures.items():
                hosts[name] = stack.enter_context(future.result())
        finally:
            # A boot that failed must not leave the others running.
            for name, future in futures.items():
                if name not in hosts and future.exception() is None:
                    stack.enter_context(future.result())
        if artifacts:
            for host in hosts.values():
                host.run(["mkdir", "-p", REPO_DIR_IN_HOST])
                for kind in ("apt", "rpm"):
                    host.copy_in(artifacts["repos"][kind], REPO_DIR_IN_HOST + "/")
        yield hosts


def write_inventory(path, hosts, group="cisco_amp"):
    """Write an INI inventory with every host in ``group``, in the order given."""
    lines = [f"[{group}]"]
    for name, host in hosts.items():
        lines.append(f"{name} ansible_host={host.init_pid} ansible_connection=nspawn")
    Path(path).write_text("\n".join(lines) + "\n")
    return path


def role_variables(artifacts):
    """Return the role variables that point at the artifacts and the in-host repositories."""
    repos = artifacts["repos"]
    return {
        "cisco_amp_version": artifacts["version"],
        "cisco_amp_apt_repo_url": f"file://{REPO_DIR_IN_HOST}/apt",
        "cisco_amp_rpm_repo_url": f"file://{REPO_DIR_IN_HOST}/rpm",
        "cisco_amp_repo_key_file": repos["key"],
        "cisco_amp_preflight_pyz": artifacts["preflight_pyz"],
    }

ROLE_PLAYBOOK = [
    {"name": "Apply the role", "hosts": "cisco_amp", "gather_facts": False, "roles": ["cisco_amp"]},
]


def run_role(workdir, inventory, variables, ansible_env, *options):
    """Apply the role to the inventory's cisco_amp group with ansible-playbook; return the result."""
    playbook = Path(workdir) / "role.yml"
    playbook.write_text(json.dumps(ROLE_PLAYBOOK))
    argv = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory),
            "-e", json.dumps(variables)]
    return subprocess.run(argv + list(options) + [str(playbook)], capture_output=True, text=True,
                          check=False, env=ansible_env, cwd=REPO)
