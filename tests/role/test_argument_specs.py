"""The role's variables: one spec per default, and wrong values fail before any change.

The failing runs target the controller itself in check mode; the role fails
during its first tasks, which only read facts and the package database.
"""

import json
import subprocess
import sys

import pytest
import yaml

from tests.role.conftest import ROLE, TOOLS_BIN


def _specs():
    return yaml.safe_load((ROLE / "meta" / "argument_specs.yml").read_text())["argument_specs"]["main"][
        "options"
    ]


def _defaults():
    return yaml.safe_load((ROLE / "defaults" / "main.yml").read_text())


def _run_role(tmp_path, ansible_env, variables):
    playbook = [
        {
            "name": "Apply the role to the controller in check mode",
            "hosts": "localhost",
            "connection": "local",
            "gather_facts": False,
            "vars": {"ansible_python_interpreter": sys.executable},
            "tasks": [{"name": "Apply cisco_amp", "ansible.builtin.include_role": {"name": "cisco_amp"}}],
        }
    ]
    playbook_path = tmp_path / "role.yml"
    playbook_path.write_text(json.dumps(playbook))
    return subprocess.run(
        [
            str(TOOLS_BIN / "ansible-playbook"),
            "-i",
            "localhost,",
            "--check",
            "-e",
            json.dumps(variables),
            str(playbook_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=ansible_env,
        cwd=tmp_path,
    )


def test_every_default_has_spec():
    assert sorted(_defaults()) == sorted(_specs())


@pytest.mark.parametrize("name", sorted(_defaults()))
def test_spec_default_matches_defaults(name):
    assert _specs()[name].get("default") == _defaults()[name]


@pytest.mark.parametrize("name", sorted(_defaults()))
def test_spec_has_type_and_description(name):
    spec = _specs()[name]
    assert spec.get("type"), name
    assert spec.get("description"), name


def test_enrolment_key_spec_is_no_log():
    assert _specs()["cisco_amp_enrolment_key"]["no_log"] is True


# variables -> text the failure must contain (the variable's name and value).
INVALID = [
    ({"cisco_amp_policy_mode": "enforce"}, ["cisco_amp_policy_mode", "enforce"]),
    ({"cisco_amp_state": "installed"}, ["cisco_amp_state", "installed"]),
    ({"cisco_amp_verify_timeout": "soon"}, ["cisco_amp_verify_timeout"]),
    ({"cisco_amp_service_state": "running"}, ["cisco_amp_service_state", "running"]),
    ({"cisco_amp_preflight": False, "cisco_amp_version": "1.2"}, ["cisco_amp_version", "1.2"]),
    ({"cisco_amp_preflight": False, "cisco_amp_package_manager": "apt"}, ["cisco_amp_apt_repo_url"]),
    (
        {
            "cisco_amp_preflight": False,
            "cisco_amp_package_manager": "dnf",
            "cisco_amp_rpm_repo_url": "file:///srv/r",
        },
        ["cisco_amp_repo_key_file"],
    ),
    ({"cisco_amp_preflight_pyz": "/nonexistent/amp-preflight.pyz"}, ["cisco_amp_preflight_pyz"]),
    (
        {
            "cisco_amp_preflight": False,
            "cisco_amp_package_file": "/nonexistent/ciscoampconnector-1.0.0-1.noarch.rpm",
        },
        ["cisco_amp_package_file"],
    ),
    (
        {"cisco_amp_preflight": False, "cisco_amp_package_file": str(ROLE / "meta" / "main.yml")},
        ["cisco_amp_package_file"],
    ),
    (
        {"cisco_amp_preflight": False, "cisco_amp_cloud_endpoints": ["cloud.example:443", "nohostport"]},
        ["cisco_amp_cloud_endpoints", "nohostport"],
    ),
    ({"cisco_amp_preflight": False, "cisco_amp_proxy_url": "notaurl"}, ["cisco_amp_proxy_url", "notaurl"]),
    (
        {
            "cisco_amp_preflight": False,
            "cisco_amp_version": "0.9.0",
            "cisco_amp_package_file": str(ROLE.parent.parent / "README.md"),
        },
        ["cisco_amp_version", "0.9.0"],
    ),
    # Any file serves as the key here, because the role fails before reading it.
    (
        {
            "cisco_amp_preflight": False,
            "cisco_amp_package_manager": "dnf",
            "cisco_amp_version_hold": True,
            "cisco_amp_rpm_repo_url": "file:///srv/r",
            "cisco_amp_repo_key_file": str(ROLE / "meta" / "main.yml"),
        },
        ["cisco_amp_version_hold"],
    ),
]


@pytest.mark.parametrize(
    "variables, expected", INVALID, ids=[next(iter(v)) + "-" + str(i) for i, (v, _) in enumerate(INVALID)]
)
def test_invalid_value_fails_before_changes(tmp_path, ansible_env, variables, expected):
    result = _run_role(tmp_path, ansible_env, variables)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for text in expected:
        assert text in output, output
    assert "changed: [localhost]" not in output
