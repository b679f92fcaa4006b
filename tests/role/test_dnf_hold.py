"""The dnf version hold on a Debian 12 host with rpm, dnf and the versionlock plugin.

Covers what the rpm Molecule scenario does not: "latest" run twice, a hold
turned off with the string "false" from -e, check mode on lock changes, and
a disabled plugin, which must fail before the package changes.
"""

import re
from pathlib import Path

import pytest

from tests.role.fleet import booted_fleet, role_variables, run_role, write_inventory

pytestmark = pytest.mark.testhost

VERSIONLOCK_CONF = "/etc/dnf/plugins/versionlock.conf"


def _changed(result):
    """Return the changed count of the play recap."""
    return int(re.search(r"changed=(\d+)", result.stdout.split("PLAY RECAP")[-1]).group(1))


def _locks(host):
    listing = host.run(["dnf", "-q", "--disablerepo=*", "versionlock", "list"]).stdout
    return [line for line in listing.split() if line.startswith("ciscoampconnector")]


def _rpm_installed(host):
    return host.run(["rpm", "-q", "ciscoampconnector"], check=False).returncode == 0


def _prepare_rpm_host(host, artifacts):
    provides = Path(artifacts["testhost_provides_rpm"])
    host.copy_in(provides, "/root/" + provides.name)
    host.run(["rpm", "--install", "/root/" + provides.name])


@pytest.fixture()
def dnf_host(role_artifacts, tmp_path):
    with booted_fleet({"locked": "bookworm"}, role_artifacts) as hosts:
        _prepare_rpm_host(hosts["locked"], role_artifacts)
        yield hosts["locked"], write_inventory(tmp_path / "inventory.ini", hosts)


def _variables(artifacts, **extra):
    variables = dict(role_variables(artifacts), cisco_amp_package_manager="dnf", cisco_amp_dnf_backend="dnf4",
                     cisco_amp_version_hold=True)
    variables.update(extra)
    return variables


def test_latest_with_hold_is_idempotent(role_artifacts, ansible_env, tmp_path, dnf_host):
    host, inventory = dnf_host
    latest = _variables(role_artifacts, cisco_amp_version="latest")
    first = run_role(tmp_path, inventory, latest, ansible_env)
    assert first.returncode == 0, first.stdout[-4000:]
    assert _locks(host) == [f"ciscoampconnector-0:{role_artifacts['version']}-1.*"]

    second = run_role(tmp_path, inventory, latest, ansible_env)
    assert second.returncode == 0, second.stdout[-4000:]
    assert _changed(second) == 0, second.stdout[-4000:]


def test_hold_off_as_string_unlocks(role_artifacts, ansible_env, tmp_path, dnf_host):
    host, inventory = dnf_host
    first = run_role(tmp_path, inventory, _variables(role_artifacts), ansible_env)
    assert first.returncode == 0, first.stdout[-4000:]
    assert len(_locks(host)) == 1

    # -e key=value gives the string "false", not a boolean.
    unhold = _variables(role_artifacts)
    del unhold["cisco_amp_version_hold"]
    hold_off = ("-e", "cisco_amp_version_hold=false")
    checked = run_role(tmp_path, inventory, unhold, ansible_env, *hold_off, "--check")
    assert checked.returncode == 0, checked.stdout[-4000:]
    assert "Would delete the dnf versionlock of ciscoampconnector." in checked.stdout
    assert len(_locks(host)) == 1

    released = run_role(tmp_path, inventory, unhold, ansible_env, *hold_off)
    assert released.returncode == 0, released.stdout[-4000:]
    assert _locks(host) == []


def test_disabled_plugin_fails_before_install(role_artifacts, ansible_env, tmp_path, dnf_host):
    host, inventory = dnf_host
    host.run(["sed", "-i", "s/^enabled = 1/enabled = 0/", VERSIONLOCK_CONF])
    result = run_role(tmp_path, inventory, _variables(role_artifacts), ansible_env)
    assert result.returncode != 0
    assert f"the plugin is disabled in {VERSIONLOCK_CONF} (enabled = 0)" in result.stdout
    assert not _rpm_installed(host)
