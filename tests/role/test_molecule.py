"""Run every Molecule scenario of the role: converge, idempotence, check mode, verify, side effect.

Each scenario boots its own systemd-nspawn test host (needs root). The
packages, repositories and amp-preflight.pyz are built once for all of them.
"""

import subprocess
import time

import pytest
import yaml

from tests.role.conftest import REPO, TOOLS_BIN

pytestmark = pytest.mark.testhost

SCENARIOS = sorted(path.parent.name for path in (REPO / "molecule").glob("*/molecule.yml"))
# Set in .config/molecule/config.yml; it must never show in Ansible's output.
ENROLMENT_KEY = yaml.safe_load((REPO / ".config" / "molecule" / "config.yml").read_text())["provisioner"][
    "inventory"
]["group_vars"]["all"]["cisco_amp_enrolment_key"]
SCENARIO_TIMEOUT = 900


def test_scenarios_found():
    assert "debian12" in SCENARIOS


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_molecule_scenario(scenario, role_artifacts, ansible_env):
    env = dict(ansible_env)
    env["CISCO_AMP_MOLECULE_ARTIFACTS"] = role_artifacts["dir"]
    env["NO_COLOR"] = "1"
    env["PY_COLORS"] = "0"
    started = time.monotonic()
    result = subprocess.run(
        # --parallel gives the run its own ephemeral directory, so two runs of
        # a scenario from the same checkout cannot destroy each other's hosts.
        [str(TOOLS_BIN / "molecule"), "test", "--parallel", "--scenario-name", scenario],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=SCENARIO_TIMEOUT,
        check=False,
    )
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    print(f"molecule test -s {scenario}: exit {result.returncode} in {elapsed:.0f} s")
    assert result.returncode == 0, output[-12000:]
    assert ENROLMENT_KEY not in output
