"""Kernel modules: order, skip-and-log, faults and unload, with a fake proc tree.

This VM's kernel has no /proc/modules, so every test points the proc root
at a temporary directory and the loader at a small fake script.
"""

import json
import sys

import pytest

from installer import faults
from installer.kmod import KmodConfig, load_config, load_modules, unload_modules
from installer.kmod.procmodules import loaded_modules, parse_proc_modules

FAKE_LOADER = """\
import sys
action, name, modules, calls, failing = sys.argv[1:6]
with open(calls, "a") as handle:
    handle.write(action + " " + name + "\\n")
if action == "load":
    if name in failing.split(","):
        sys.stderr.write("insmod: ERROR: could not insert module " + name + ": Invalid module format\\n")
        sys.exit(1)
    with open(modules, "a") as handle:
        handle.write(name + " 16384 0 - Live 0x0\\n")
else:
    lines = [line for line in open(modules) if not line.startswith(name + " ")]
    open(modules, "w").writelines(lines)
"""


class RecordingLog(object):
    def __init__(self):
        self.lines = []

    def info(self, message):
        self.lines.append(("info", message))

    def warning(self, message):
        self.lines.append(("warning", message))

    def error(self, message):
        self.lines.append(("error", message))

    def messages(self):
        return [message for _level, message in self.lines]


@pytest.fixture
def fake(tmp_path):
    proc = tmp_path / "proc"
    proc.mkdir()
    (proc / "modules").write_text("")
    loader = tmp_path / "loader.py"
    loader.write_text(FAKE_LOADER)
    calls = tmp_path / "calls"
    calls.write_text("")

    def make(failing="", loaded=()):
        (proc / "modules").write_text("".join(name + " 1 0 - Live 0x0\n" for name in loaded))
        base = "{0} {1} {{action}} {{{{name}}}} {2} {3} {4}".format(
            sys.executable, loader, proc / "modules", calls, failing or "-")
        config = KmodConfig(proc_root=str(proc), load_command=base.format(action="load"),
                            unload_command=base.format(action="unload"),
                            module_dir=str(tmp_path / "modules"))
        return config

    make.calls = calls
    make.faults_file = str(tmp_path / "faults.json")
    make.proc = proc
    return make


def test_parse_proc_modules_takes_first_field():
    text = "avflt 16384 0 - Live 0xffffffffc0a00000\nredirfs 40960 1 avflt, Live 0x0\n\n"
    assert parse_proc_modules(text) == {"avflt", "redirfs"}


def test_missing_proc_modules_is_unknown(tmp_path):
    assert loaded_modules(str(tmp_path / "modules")) is None


def test_modules_load_in_order(fake):
    config = fake()
    log = RecordingLog()
    results = load_modules(log, config, faults_file=fake.faults_file)
    assert results == {"redirfs": "loaded", "avflt": "loaded", "ampnetworkflow": "loaded"}
    assert fake.calls.read_text().split("\n")[:3] == [
        "load redirfs", "load avflt", "load ampnetworkflow"]
    assert log.messages() == ["loading redirfs", "redirfs loaded", "loading avflt",
                              "avflt loaded", "loading ampnetworkflow", "ampnetworkflow loaded",
                              "done"]


def test_loaded_module_skipped_with_vendor_wording(fake):
    config = fake(loaded=("redirfs",))
    post_log, start_log = RecordingLog(), RecordingLog()
    load_modules(post_log, config, context="post-install", faults_file=fake.faults_file)
    load_modules(start_log, config, context="pre-start", faults_file=fake.faults_file)
    assert post_log.messages()[0] == "skip installing redirfs since it is already installed"
    assert start_log.messages() == ["redirfs already loaded", "avflt already loaded",
                                    "ampnetworkflow already loaded", "done"]
    assert "load redirfs" not in fake.calls.read_text()


def test_failed_module_records_fault_and_continues(fake):
    config = fake(failing="ampnetworkflow")
    log = RecordingLog()
    results = load_modules(log, config, faults_file=fake.faults_file)
    assert results["ampnetworkflow"] == "failed"
    assert results["avflt"] == "loaded"
    recorded = json.loads(open(fake.faults_file).read())
    assert [fault["id"] for fault in recorded] == ["kmod_ampnetworkflow_load_failed"]
    message = recorded[0]["message"]
    assert "ampnetworkflow" in message
    assert "Invalid module format" in message
    assert "ampctl repair" in message
    errors = [message for level, message in log.lines if level == "error"]
    assert len(errors) == 1
    assert errors[0].startswith("loading ampnetworkflow failed: ")


def test_avflt_not_loaded_when_redirfs_fails(fake):
    config = fake(failing="redirfs")
    results = load_modules(RecordingLog(), config, faults_file=fake.faults_file)
    assert results == {"redirfs": "failed", "avflt": "failed", "ampnetworkflow": "loaded"}
    assert "load avflt" not in fake.calls.read_text()
    ids = [fault["id"] for fault in faults.read_faults(fake.faults_file)]
    assert ids == ["kmod_redirfs_load_failed", "kmod_avflt_load_failed"]


def test_successful_load_clears_old_fault(fake):
    load_modules(RecordingLog(), fake(failing="avflt"), faults_file=fake.faults_file)
    assert faults.read_faults(fake.faults_file)
    load_modules(RecordingLog(), fake(loaded=("redirfs",)), faults_file=fake.faults_file)
    assert faults.read_faults(fake.faults_file) == []


def test_other_faults_are_kept(fake):
    faults.set_fault("config_invalid", "amp.conf is invalid", fake.faults_file)
    load_modules(RecordingLog(), fake(failing="avflt"), faults_file=fake.faults_file)
    load_modules(RecordingLog(), fake(loaded=("redirfs",)), faults_file=fake.faults_file)
    assert faults.read_faults(fake.faults_file) == [
        {"id": "config_invalid", "message": "amp.conf is invalid"}]


def test_unknown_module_state_loads_nothing(fake, tmp_path):
    config = fake()
    config.proc_root = str(tmp_path / "no-proc")
    log = RecordingLog()
    results = load_modules(log, config, faults_file=fake.faults_file)
    assert set(results.values()) == {"skipped"}
    assert fake.calls.read_text() == ""
    assert not (tmp_path / "faults.json").exists()
    assert log.lines[0][0] == "info"
    assert log.lines[0][1].startswith("cannot read ")


def test_unload_in_reverse_order(fake):
    config = fake(loaded=("redirfs", "avflt", "ampnetworkflow"))
    log = RecordingLog()
    assert unload_modules(log, config, faults_file=fake.faults_file) == [
        "ampnetworkflow", "avflt", "redirfs"]
    assert fake.proc.joinpath("modules").read_text() == ""


def test_config_from_environment_then_file(tmp_path):
    conf = tmp_path / "installer.conf"
    conf.write_text("[kmod]\nproc_root = /srv/fakeproc\nload_command = /bin/true {name}\n")
    config = load_config(environ={}, config_file=str(conf))
    assert config.proc_root == "/srv/fakeproc"
    assert config.load_command == "/bin/true {name}"
    assert config.unload_command == "/sbin/rmmod {name}"
    config = load_config(environ={"AMP_PROC_ROOT": "/tmp/p"}, config_file=str(conf))
    assert config.proc_root == "/tmp/p"
    assert config.modules_file == "/tmp/p/modules"


def test_default_loader_uses_module_path():
    config = load_config(environ={}, config_file="/nonexistent")
    assert config.proc_root == "/proc"
    assert config.module_path("avflt") == "/opt/cisco/amp/lib/modules/avflt.ko"
