"""amp-preflight as a command: output formats, exit statuses and option errors."""

import json
import os
import pty
import socket
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


ALL_CHECKS = ["root", "os", "arch", "kernel", "kernel-monitoring", "disk", "memory", "init",
              "container", "conflicts", "network", "existing-install"]


def test_json_report_matches_schema():
    result = preflight("--json", "--root", str(OS_ROOTS / "debian-12"))
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    assert [check["name"] for check in report["checks"]] == ALL_CHECKS
    assert report["schema_version"] == 2


@pytest.mark.parametrize("tree", sorted(path.name for path in OS_ROOTS.iterdir()))
def test_json_report_valid_on_every_fixture(tree):
    result = preflight("--json", "--root", str(OS_ROOTS / tree))
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    assert result.returncode == {"pass": 0, "warn": 1, "fail": 2}[report["verdict"]]
    assert sum(report["summary"].values()) == len(ALL_CHECKS)


def test_json_report_on_live_host_matches_schema():
    result = preflight("--json")
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    assert report["host"]["live"] is True
    assert report["host"]["kernel"] == os.uname().release
    assert result.returncode in (0, 1, 2)


def test_json_host_facts_name_the_os():
    report = json.loads(preflight("--json", "--check", "root",
                                  "--root", str(OS_ROOTS / "rocky-9.4")).stdout)
    assert report["host"]["os"] == {"id": "rocky", "version": "9.4",
                                    "pretty_name": "Rocky Linux 9.4 (Blue Onyx)"}
    assert report["host"]["live"] is False


def test_ignore_all_is_listed_in_json():
    report = json.loads(preflight("--json", "--ignore", "all", "--check", "os",
                                  "--root", str(OS_ROOTS / "fedora-40")).stdout)
    assert report["ignored"] == ["all"]
    assert report["verdict"] == "warn"


def test_check_option_runs_only_named_checks():
    result = preflight("--json", "--check", "os", "--root", str(OS_ROOTS / "debian-12"))
    report = json.loads(result.stdout)
    assert [check["name"] for check in report["checks"]] == ["os"]
    assert report["verdict"] == "pass"
    assert result.returncode == 0


def test_unsupported_os_exits_failed():
    result = preflight("--check", "os", "--root", str(OS_ROOTS / "ubuntu-16.04"))
    assert result.returncode == 2
    assert "Ubuntu 16.04.7 LTS is not a supported operating system" in result.stdout
    assert "fix:" in result.stdout
    assert "To proceed anyway, at your own risk: --ignore os" in result.stdout


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
    (["--endpoint", "cloud.example:99999"], "invalid port in 'cloud.example:99999'"),
    (["--proxy", "https://proxy:3128"], "invalid proxy URL 'https://proxy:3128'"),
    (["--timeout", "0"], "invalid --timeout '0'"),
    (["--ignore", "os,nope"], "unknown check 'nope'"),
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


def test_network_option_reaches_loopback_server():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    try:
        result = preflight("--json", "--check", "network",
                           "--endpoint", "127.0.0.1:{0}".format(server.getsockname()[1]))
    finally:
        server.close()
    report = json.loads(result.stdout)
    assert report["checks"][0]["status"] == "pass"
    assert result.returncode == 0


def test_skipped_network_check_exits_zero():
    result = preflight("--check", "network", "--root", str(OS_ROOTS / "debian-12"))
    assert result.returncode == 0
    assert "SKIP" in result.stdout


def test_table_has_no_colour_when_piped():
    result = preflight("--check", "os", "--root", str(OS_ROOTS / "fedora-40"))
    assert "\033[" not in result.stdout


def test_table_has_colour_on_terminal():
    controller, terminal = pty.openpty()
    environment = dict(os.environ, LANG="C.UTF-8", LANGUAGE="", LC_ALL="")
    environment.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "installer.preflight", "--check", "os",
         "--root", str(OS_ROOTS / "fedora-40")],
        cwd=REPO, stdout=terminal, stderr=terminal, env=environment)
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait()
    os.close(controller)
    assert b"\033[31m" in output
    assert process.returncode == 2


def test_japanese_locale_translates_failure_and_fix():
    result = preflight("--check", "os", "--root", str(OS_ROOTS / "centos-stream-9"),
                       env={"LANG": "ja_JP.UTF-8"})
    assert "CentOS Stream 9" in result.stdout
    assert "サポート" in result.stdout
    assert "判定" in result.stdout
    assert "is not a supported" not in result.stdout


def test_broken_os_release_under_root_is_unknown(tmp_path):
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "os-release").write_bytes(b"\xff\xfeID=\x00")
    result = preflight("--json", "--check", "os", "--root", str(tmp_path))
    report = json.loads(result.stdout)
    assert report["checks"][0]["status"] == "unknown"
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_ignored_failure_is_marked_in_table():
    result = preflight("--check", "os", "--ignore", "os", "--root", str(OS_ROOTS / "alpine-3.20"))
    assert "(failure ignored on request)" in result.stdout
    assert result.returncode == 1


@pytest.mark.parametrize("args,expected", [
    (["--check", "os"], "はサポートされています"),
    (["--help"], "表の代わりに"),
    (["--check", "bogus"], "不明なチェック"),
])
def test_japanese_output_on_ascii_stream(args, expected):
    # Python 3.6 opens stdout as ASCII when LANG names a locale that is not installed.
    result = subprocess.run(
        [sys.executable, "-m", "installer.preflight", "--root", str(OS_ROOTS / "debian-12"),
         *args], cwd=REPO, capture_output=True,
        env=dict(os.environ, LANG="ja_JP.UTF-8", LANGUAGE="", LC_ALL="", PYTHONIOENCODING="ascii"))
    output = (result.stdout + result.stderr).decode("utf-8")
    assert result.returncode in (0, 64)
    assert "内部エラー" not in output
    assert "\\u" not in output
    assert expected in output
