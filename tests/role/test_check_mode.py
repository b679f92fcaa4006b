"""The role's --check on an installed host: what apt-get and ampctl would change, with nothing changed."""

import re

import pytest

from tests.role.fleet import booted_fleet, role_variables, run_role, write_inventory

pytestmark = pytest.mark.testhost


def _task_result(output, task):
    """Return the first status word (ok, changed, skipping) printed under ``task``."""
    match = re.search(re.escape(f"TASK [cisco_amp : {task}]") + r"[^\n]*\n(\w+):", output)
    return match.group(1) if match else None


def _installed_version(host):
    return host.run(["dpkg-query", "-W", "-f=${Version}", "ciscoampconnector"]).stdout.strip()


def test_check_reports_upgrade_restart_start(role_artifacts, ansible_env, tmp_path):
    previous = role_artifacts["previous_version"]
    variables = dict(role_variables(role_artifacts), cisco_amp_version=previous)
    with booted_fleet({"checked": "bookworm"}, role_artifacts) as hosts:
        host = hosts["checked"]
        inventory = write_inventory(tmp_path / "inventory.ini", hosts)
        first = run_role(tmp_path, inventory, variables, ansible_env)
        assert first.returncode == 0, first.stdout[-4000:]

        latest = dict(variables, cisco_amp_version="latest")
        upgrade = run_role(tmp_path, inventory, latest, ansible_env, "--check")
        assert upgrade.returncode == 0, upgrade.stdout[-4000:]
        assert _task_result(upgrade.stdout, "Install the connector with apt-get") == "changed"
        newest = role_artifacts["version"]
        assert f"Would install: Inst ciscoampconnector [{previous}] ({newest}" in upgrade.stdout
        assert _installed_version(host) == previous

        protect = run_role(tmp_path, inventory, dict(variables, cisco_amp_policy_mode="protect"), ansible_env,
                           "--check")
        assert protect.returncode == 0, protect.stdout[-4000:]
        assert "Would run: ampctl restart." in protect.stdout
        assert "mode = audit" in host.read_text("/opt/cisco/amp/etc/amp.conf")

        host.run(["/opt/cisco/amp/bin/ampctl", "stop"])
        start = run_role(tmp_path, inventory, variables, ansible_env, "--check")
        assert start.returncode == 0, start.stdout[-4000:]
        assert "Would run: ampctl start." in start.stdout
        assert host.run(["systemctl", "is-active", "cisco-amp"], check=False).stdout.strip() == "inactive"
