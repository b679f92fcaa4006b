"""The role writes the same systemd units as the package build, from the same templates."""

import json
import subprocess
import sys
from pathlib import Path

import yaml

from installer.service_units import TEMPLATES, default_context
from tests.role.conftest import REPO, ROLE, TOOLS_BIN
from tools.stage import render_init_files

UNIT_TASK = "Write the systemd units from the templates the package build uses"


def _role_vars():
    return yaml.safe_load((ROLE / "vars" / "main.yml").read_text())


def _unit_task():
    tasks = yaml.safe_load((ROLE / "tasks" / "service-offline.yml").read_text())
    for task in tasks:
        if task["name"] == UNIT_TASK:
            return task
    raise AssertionError(f"task {UNIT_TASK!r} not found in tasks/service-offline.yml")


def test_role_lists_every_systemd_template():
    expected = sorted((template, name) for template, (init, name) in TEMPLATES.items() if init == "systemd")
    listed = sorted((unit["template"], unit["file"]) for unit in _role_vars()["_cisco_amp_systemd_units"])
    assert listed == expected


def test_role_templates_link_to_installer():
    for unit in _role_vars()["_cisco_amp_systemd_units"]:
        template = ROLE / "templates" / unit["template"]
        assert template.is_symlink(), f"{template} must be a link to installer/service_units/"
        assert template.resolve() == (REPO / "installer" / "service_units" / unit["template"]).resolve()


def test_role_context_matches_package():
    role_vars = _role_vars()
    task_vars = _unit_task()["vars"]
    resolved = {}
    for name, value in task_vars.items():
        reference = value.strip("{} ")
        assert reference in role_vars, f"{name}: {value!r} names no variable of vars/main.yml"
        resolved[name] = role_vars[reference]
    assert resolved == default_context()


def test_ansible_renders_units_like_package(tmp_path):
    """Run the role's own template task with Ansible and compare with the package build's files."""
    task = dict(_unit_task())
    task.pop("when")
    task["ansible.builtin.template"] = dict(task["ansible.builtin.template"])
    task["ansible.builtin.template"]["src"] = str(ROLE / "templates") + "/{{ item.template }}"
    task["ansible.builtin.template"]["dest"] = str(tmp_path / "role") + "/{{ item.file }}"
    playbook = [
        {
            "name": "Render the role's systemd units",
            "hosts": "localhost",
            "connection": "local",
            "gather_facts": False,
            "vars": {"ansible_python_interpreter": sys.executable},
            "vars_files": [str(ROLE / "vars" / "main.yml")],
            "tasks": [
                {
                    "name": "Create the output directory",
                    "ansible.builtin.file": {
                        "path": str(tmp_path / "role"),
                        "state": "directory",
                        "mode": "0755",
                    },
                },
                task,
            ],
        }
    ]
    playbook_path = tmp_path / "render.yml"
    playbook_path.write_text(json.dumps(playbook))
    result = subprocess.run(
        [str(TOOLS_BIN / "ansible-playbook"), "-i", "localhost,", str(playbook_path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    render_init_files(tmp_path / "package")
    for unit in _role_vars()["_cisco_amp_systemd_units"]:
        role_file = tmp_path / "role" / unit["file"]
        package_file = tmp_path / "package" / "init" / "systemd" / unit["file"]
        assert role_file.read_bytes() == package_file.read_bytes(), unit["file"]


def test_package_units_start_with_marker(tmp_path):
    render_init_files(tmp_path)
    marker = _role_vars()["_cisco_amp_managed_marker"]
    for unit in Path(tmp_path, "init", "systemd").iterdir():
        assert marker in unit.read_text().splitlines()[0], unit.name
