"""Testinfra hosts for the Molecule verifier: the booted test hosts, entered with nsenter.

Testinfra's own Ansible backend would start ansible for every command; this
backend runs each command with nsenter directly, as the nspawn connection
plugin does. The instances come from Molecule's instance config.
"""

import json
import os

import pytest
import testinfra.host
import yaml
from testinfra.backend.base import BaseBackend

CONTAINER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class NsenterBackend(BaseBackend):
    """Run commands inside a running container by entering its init's namespaces."""

    NAME = "nsenter"

    def __init__(self, name, init_pid, **kwargs):
        self.init_pid = str(init_pid)
        super().__init__(name, **kwargs)

    def get_pytest_id(self):
        return self.hostname

    def run(self, command, *args, **kwargs):
        inner = self.get_command(command, *args)
        return self.run_local(
            "nsenter -t %s -a -r -w env -i PATH=%s LANG=C.UTF-8 HOME=/root /bin/sh -c %s",
            self.init_pid,
            CONTAINER_PATH,
            inner,
        )


def _instances():
    path = os.environ.get("MOLECULE_INSTANCE_CONFIG")
    if not path:
        raise RuntimeError("MOLECULE_INSTANCE_CONFIG is not set: run these tests with molecule verify")
    with open(path, encoding="utf-8") as config:
        return yaml.safe_load(config) or []


def _artifacts():
    path = os.path.join(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"], "artifacts", "artifacts.json")
    with open(path, encoding="utf-8") as artifacts:
        return json.load(artifacts)


# The fixture is not called "host", so testinfra's own plugin, which would
# resolve hosts through Ansible, leaves these tests alone.
def pytest_generate_tests(metafunc):
    if "amp_host" in metafunc.fixturenames:
        instances = _instances()
        metafunc.parametrize(
            "amp_host",
            [testinfra.host.Host(NsenterBackend(item["instance"], item["address"])) for item in instances],
            ids=[item["instance"] for item in instances],
            indirect=False,
            scope="module",
        )


@pytest.fixture(scope="module")
def expected():
    """What the scenario set up, from the verifier's environment in molecule.yml."""
    return {
        "init": os.environ.get("CISCO_AMP_EXPECT_INIT", "systemd"),
        "package_manager": os.environ.get("CISCO_AMP_EXPECT_PACKAGE_MANAGER", "apt"),
        "version": _artifacts()["version"],
        "policy_mode": os.environ.get("CISCO_AMP_EXPECT_POLICY_MODE", "protect"),
        "hold": os.environ.get("CISCO_AMP_EXPECT_HOLD", "false") == "true",
    }
