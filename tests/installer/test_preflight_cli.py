"""amp-preflight as a command: output formats, exit statuses and option errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

REPO = Path(__file__).resolve().parent.parent.parent
OS_ROOTS = REPO / "tests" / "fixtures" / "osroots"
SCHEMA = json.loads((REPO / "installer" / "data" / "preflight-report.schema.json").read_text())


def preflight(*args, env=None):
    environment = dict(os.environ, LANG="C.UTF-8", LANGUAGE="", LC_ALL="")
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "installer.preflight", *args], cwd=REPO,
                          capture_output=True, text=True, env=environment)


def test_json_report_matches_schema():
    result = preflight("--json", "--root", str(OS_ROOTS / "debian-12"))
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    assert [check["name"] for check in report["checks"]] == ["root", "os", "arch", "disk", "init"]


def test_check_option_runs_only_named_checks():
    result = preflight("--json", "--check", "os", "--root", str(OS_ROOTS / "debian-12"))
    report = json.loads(result.stdout)
    assert [check["name"] for check in report["checks"]] == ["os"]
    assert report["verdict"] == "pass"
    assert result.returncode == 0


def test_unsupported_os_exits_failed():
    result = preflight("--check", "os", "--root", str(OS_ROOTS / "ubuntu-16.04"))
    assert result.returncode == 2
    assert "Ubuntu 16.04.7 LTS 16.04 is not a supported operating system." in result.stdout
    assert "fix:" in result.stdout


def test_warning_only_exits_one(tmp_path):
    result = preflight("--check", "init", "--root", str(tmp_path))
    assert result.returncode == 1
    assert "WARN" in result.stdout


def test_ignored_failure_is_reported_as_ignored():
    result = preflight("--json", "--check", "os", "--ignore", "os",
                       "--root", str(OS_ROOTS / "ubuntu-16.04"))
    report = json.loads(result.stdout)
    assert report["checks"][0]["status"] == "warn"
    assert report["checks"][0]["ignored"] is True
    assert result.returncode == 1


@pytest.mark.parametrize("args,expected", [
    (["--check", "bogus"], "unknown check 'bogus'"),
    (["--root", "/nonexistent/root"], "'/nonexistent/root' is not a directory"),
    (["--frobnicate"], "unrecognized arguments"),
])
def test_usage_errors_exit_64_without_traceback(args, expected):
    result = preflight(*args)
    assert result.returncode == 64
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_japanese_locale_translates_output():
    result = preflight("--check", "os", "--root", str(OS_ROOTS / "debian-12"),
                       env={"LANG": "ja_JP.UTF-8"})
    assert "はサポートされています" in result.stdout
    assert "判定: 合格" in result.stdout
