"""examples/rolling_rollout.yml: batches stop at a failed host, and the summary covers every host."""

import json
import subprocess

import pytest

from tests.role.conftest import REPO, TOOLS_BIN
from tests.role.fleet import booted_fleet, role_variables, write_inventory

pytestmark = pytest.mark.testhost

PLAYBOOK = REPO / "examples" / "rolling_rollout.yml"
# Inventory order is batch order: the Debian 13 host fails the os preflight
# check (the vendor does not list it), so the third host is never reached.
FLEET = {"first": "bookworm", "unsupported": "trixie", "after": "bookworm"}


@pytest.fixture(scope="module")
def rollout(role_artifacts, ansible_env, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("rollout")
    summary_file = workdir / "summary.json"
    variables = dict(role_variables(role_artifacts))
    variables.update(
        {
            "rollout_batches": [1],
            "rollout_max_fail_percentage": 0,
            "rollout_summary_file": str(summary_file),
        }
    )
    with booted_fleet(FLEET, role_artifacts) as hosts:
        inventory = write_inventory(workdir / "inventory.ini", hosts)
        result = subprocess.run(
            [
                str(TOOLS_BIN / "ansible-playbook"),
                "-i",
                str(inventory),
                "-e",
                json.dumps(variables),
                str(PLAYBOOK),
            ],
            capture_output=True,
            text=True,
            check=False,
            env=ansible_env,
            cwd=workdir,
        )
        untouched = hosts["after"].run(["test", "-e", "/opt/cisco/amp"], check=False).returncode != 0
    summary = json.loads(summary_file.read_text()) if summary_file.exists() else None
    return {"result": result, "summary": summary, "after_untouched": untouched}


def _row(rollout, host):
    assert rollout["summary"] is not None, rollout["result"].stdout[-6000:]
    return next(row for row in rollout["summary"] if row["host"] == host)


def test_rollout_fails_on_unsupported_host(rollout):
    assert rollout["result"].returncode != 0, rollout["result"].stdout[-6000:]


def test_rollout_summary_lists_every_host(rollout):
    assert sorted(row["host"] for row in rollout["summary"]) == sorted(FLEET)


def test_rollout_first_host_installed(rollout, role_artifacts):
    row = _row(rollout, "first")
    assert row["result"] == "ok"
    assert row["version"] == role_artifacts["version"]
    assert row["preflight"] in ("pass", "warn")
    assert row["service_active"] is True
    assert row["service_enabled"] == "enabled"


def test_rollout_unsupported_host_failed_preflight(rollout):
    row = _row(rollout, "unsupported")
    assert row["result"] == "failed"
    assert row["preflight"] == "fail"
    assert "os" in row["error"]


def test_rollout_stops_before_next_batch(rollout):
    assert _row(rollout, "after")["result"] == "pending"
    assert rollout["after_untouched"]


def test_rollout_prints_table(rollout):
    header = [
        line for line in rollout["result"].stdout.splitlines() if "preflight" in line and "host" in line
    ]
    assert header, rollout["result"].stdout[-6000:]
