"""ampctl's command line: JSON contract, exit statuses and translated output."""

import io
import json

import pytest

from installer import i18n
from installer.ampctl import actions, cli, exitcodes
from installer.locking import LifecycleLock
from tools.catalogs import compile_catalogs

STATE = {"init": "systemd", "service_active": True, "service_enabled": "enabled",
         "updater_enabled": True}


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """Send the lock and the step log to tmp_path; English output."""
    lock = str(tmp_path / "lifecycle.lock")
    monkeypatch.setattr(cli, "LifecycleLock", lambda: LifecycleLock(lock, timeout=0.5))
    log_file = str(tmp_path / "ampinstaller.log")
    monkeypatch.setattr(cli, "StepLog", lambda stream: _StepLog(log_file, stream))
    i18n.set_language(None)
    yield lock
    i18n.set_language(None)


def _StepLog(log_file, stream):
    from installer.steplog import StepLog
    return StepLog(log_file=log_file, stream=stream)


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(argv, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_disable_json_reports_change(sandbox, monkeypatch):
    after = dict(STATE, service_active=False, service_enabled="disabled", updater_enabled=False)
    monkeypatch.setattr(actions, "disable", lambda log: dict(after, changed=True))
    status, out, _err = run(["disable", "--json"])
    assert status == exitcodes.OK
    answer = json.loads(out)
    assert answer["changed"] is True
    assert answer["service_enabled"] == "disabled"
    assert answer["updater_enabled"] is False


def test_status_json_has_contract_fields(sandbox, monkeypatch):
    monkeypatch.setattr(actions, "status", lambda: dict(
        STATE, version="1.0.0", pending=None, modules=None, faults=[]))
    status, out, _err = run(["status", "--json"])
    assert status == exitcodes.OK
    answer = json.loads(out)
    for key in ("version", "init", "service_active", "service_enabled", "updater_enabled"):
        assert key in answer
    assert isinstance(answer["service_active"], bool)


def test_status_human_output(sandbox, monkeypatch):
    monkeypatch.setattr(actions, "status", lambda: dict(
        STATE, version="1.0.0", pending={"step": "post-install", "version": "1.0.0"},
        modules={"avflt": True}, faults=[{"id": "x", "message": "avflt failed"}]))
    _status, out, _err = run(["status"])
    assert "Service running: yes\n" in out
    assert "Pending step: post-install of 1.0.0 did not finish; run: ampctl repair\n" in out
    assert "Kernel modules: avflt loaded\n" in out
    assert "Faults: avflt failed\n" in out


def test_status_in_japanese(sandbox, monkeypatch):
    monkeypatch.setattr(actions, "status", lambda: dict(
        STATE, version="1.0.0", pending=None, modules=None, faults=[]))
    compile_catalogs()
    i18n.set_language("ja")
    _status, out, _err = run(["status"])
    assert "サービス実行中: はい\n" in out
    assert "バージョン: 1.0.0\n" in out


def test_failed_action_exits_one_with_json_error(sandbox, monkeypatch):
    def masked(log, start=True):
        raise actions.ActionFailed("cisco-amp is masked; unmask it first")

    monkeypatch.setattr(actions, "enable", masked)
    status, out, _err = run(["enable", "--json"])
    assert status == exitcodes.FAILED
    assert json.loads(out) == {"changed": False, "failed": True,
                               "error": "cisco-amp is masked; unmask it first"}


def test_busy_lock_exits_tempfail(sandbox, monkeypatch):
    monkeypatch.setattr(actions, "stop", lambda log: dict(STATE, changed=False))
    with LifecycleLock(sandbox, timeout=0):
        status, _out, err = run(["stop"])
    assert status == exitcodes.LOCKED
    assert sandbox in err
    assert run(["stop"])[0] == exitcodes.OK


def test_purge_needs_yes(sandbox):
    status, _out, err = run(["purge"])
    assert status == exitcodes.USAGE
    assert "--yes" in err


def test_unchanged_result_says_nothing_to_do(sandbox, monkeypatch):
    monkeypatch.setattr(actions, "start", lambda log: dict(STATE, changed=False))
    _status, out, _err = run(["start"])
    assert out.startswith("Nothing to do")


def test_unknown_command_is_usage_error(sandbox):
    status, _out, err = run(["reticulate"])
    assert status == exitcodes.USAGE


def test_purge_reports_dirs_the_package_deleted(sandbox, monkeypatch, tmp_path):
    """dpkg --purge deletes the state in the package's postrm, before ampctl's own wipe looks."""
    state = [tmp_path / "etc", tmp_path / "log"]
    for directory in state:
        directory.mkdir()

    def package_purge(log, manager):
        for directory in state:
            directory.rmdir()

    monkeypatch.setattr(actions, "existing_state", lambda: [str(path) for path in state])
    monkeypatch.setattr(actions, "stop_and_unload", lambda log: ({"service_active": True}, "dpkg"))
    monkeypatch.setattr(actions, "remove_package", package_purge)
    monkeypatch.setattr(actions, "wipe_state", lambda log: [])
    status, out, _err = run(["purge", "--yes", "--json"])
    assert status == exitcodes.OK
    answer = json.loads(out)
    assert answer["deleted"] == [str(path) for path in state]
    assert answer["package_removed"] == "dpkg"
