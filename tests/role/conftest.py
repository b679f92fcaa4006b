"""Fixtures for the Ansible role's tests: the tools of this environment and a throwaway controller dir."""

import os
import sys
from pathlib import Path

import pytest

from tests.role.fleet import build_artifacts

REPO = Path(__file__).resolve().parents[2]
ROLE = REPO / "roles" / "cisco_amp"
TOOLS_BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def ansible_env():
    """Return an environment that runs this virtualenv's ansible with the repository's role and plugins."""
    env = dict(os.environ)
    env["PATH"] = f"{TOOLS_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["ANSIBLE_ROLES_PATH"] = str(REPO / "roles")
    env["ANSIBLE_CONNECTION_PLUGINS"] = str(REPO / "molecule" / "plugins" / "connection")
    env["ANSIBLE_NOCOLOR"] = "1"
    env["ANSIBLE_RETRY_FILES_ENABLED"] = "0"
    env["ANSIBLE_LOCALHOST_WARNING"] = "0"
    env["ANSIBLE_INVENTORY_UNPARSED_WARNING"] = "0"
    env["ANSIBLE_PIPELINING"] = "1"
    return env


@pytest.fixture(scope="session")
def role_artifacts(tmp_path_factory):
    """Packages of two versions, their signed repositories and amp-preflight.pyz, built once."""
    out = tmp_path_factory.mktemp("role-artifacts")
    artifacts = build_artifacts(out)
    artifacts["dir"] = str(out)
    return artifacts
