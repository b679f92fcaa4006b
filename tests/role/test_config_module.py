"""cisco_amp_config on the controller itself: directory, mode, idempotence, check mode, masked --diff."""

import json
import os
import stat
import subprocess
import sys

import pytest

from tests.role.conftest import ROLE, TOOLS_BIN

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the module sets owner root")

CONFIG = "[policy]\nmode = protect\n[cloud]\nenrolment_key = {key}\n[proxy]\nurl = {proxy}\n"


def write(tmp_path, ansible_env, path, content, secrets=(), options=()):
    playbook = [{
        "hosts": "localhost",
        "connection": "local",
        "gather_facts": False,
        "vars": {"ansible_python_interpreter": sys.executable},
        "tasks": [{"cisco_amp_config": {"path": str(path), "content": content, "secrets": list(secrets)}}],
    }]
    (tmp_path / "play.yml").write_text(json.dumps(playbook))
    env = dict(ansible_env, ANSIBLE_LIBRARY=str(ROLE / "library"),
               ANSIBLE_MODULE_UTILS=str(ROLE / "module_utils"))
    result = subprocess.run([str(TOOLS_BIN / "ansible-playbook"), "-i", "localhost,", *options,
                             str(tmp_path / "play.yml")],
                            capture_output=True, text=True, env=env, cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def changed(output):
    return "changed=1" in output


def test_creates_directory_and_file_once(tmp_path, ansible_env):
    path = tmp_path / "etc" / "amp.conf"
    content = CONFIG.format(key="k1", proxy="")
    assert changed(write(tmp_path, ansible_env, path, content))
    assert path.read_text() == content
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o750
    assert not changed(write(tmp_path, ansible_env, path, content))
    os.chmod(path, 0o644)
    assert changed(write(tmp_path, ansible_env, path, content))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_check_mode_writes_nothing(tmp_path, ansible_env):
    path = tmp_path / "etc" / "amp.conf"
    assert changed(write(tmp_path, ansible_env, path, "x = 1\n", options=["--check"]))
    assert not path.parent.exists()


def test_diff_masks_old_and_new_secrets(tmp_path, ansible_env):
    path = tmp_path / "etc" / "amp.conf"
    write(tmp_path, ansible_env, path, CONFIG.format(key="old-secret-key", proxy=""))
    new = CONFIG.format(key="new-secret-key", proxy="http://user:pw@proxy.example.invalid:3128")
    output = write(tmp_path, ansible_env, path, new,
                   secrets=["new-secret-key", "http://user:pw@proxy.example.invalid:3128"],
                   options=["--diff", "-v"])
    assert "enrolment_key = ********" in output
    for secret in ("old-secret-key", "new-secret-key", "user:pw"):
        assert secret not in output
    assert path.read_text() == new
