"""The role's verify step on a host whose daemon runs but never responds to ampcli status."""

import pytest

from tests.role.fleet import booted_fleet, role_variables, run_role, write_inventory

pytestmark = pytest.mark.testhost

# A daemon that starts and stays up but opens no control socket.
SILENT_DAEMON = "#!/bin/sh\nexec sleep 600\n"


def test_silent_daemon_fails_with_log_tail(role_artifacts, ansible_env, tmp_path):
    variables = dict(role_variables(role_artifacts))
    version = role_artifacts["version"]
    variables.update({"cisco_amp_package_file": role_artifacts["packages"][version]["deb"],
                      "cisco_amp_verify_timeout": 5, "cisco_amp_verify_log_lines": 5})
    with booted_fleet({"silent": "bookworm"}) as hosts:
        inventory = write_inventory(tmp_path / "inventory.ini", hosts)
        first = run_role(tmp_path, inventory, variables, ansible_env)
        assert first.returncode == 0, first.stdout[-4000:]

        host = hosts["silent"]
        host.run(["systemctl", "stop", "cisco-amp"])
        host.run(["sh", "-c", f"printf '{SILENT_DAEMON}' > /opt/cisco/amp/bin/ampdaemon"])
        second = run_role(tmp_path, inventory, variables, ansible_env)

    assert second.returncode != 0, second.stdout[-4000:]
    assert "ampcli status got no answer from the daemon within 5 s" in second.stdout
    assert "Last 5 lines of /var/log/cisco/ampdaemon.log" in second.stdout
