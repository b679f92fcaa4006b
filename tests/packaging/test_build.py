"""The package build: RPM and DEB from one payload, the zipapp, the version override."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
PAYLOAD_COMMANDS = ("ampmon", "ampdaemon", "ampcli", "amp-preflight")


def run(*argv, **kwargs):
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs).stdout


def rpm_files(rpm):
    return {line for line in run("rpm", "-qpl", str(rpm)).splitlines()}


def deb_files(deb):
    names = set()
    for line in run("dpkg-deb", "-c", str(deb)).splitlines():
        name = line.split()[5].lstrip(".")
        if name.endswith("/"):
            name = name.rstrip("/")
        if name:
            names.add(name)
    return names


def test_rpm_metadata(packages):
    query = run("rpm", "-qp", "--queryformat", "%{NAME} %{VERSION} %{ARCH}", str(packages["rpm"]))
    version = (REPO / "VERSION").read_text().strip()
    assert query == "ciscoampconnector {0} noarch".format(version)
    requires = run("rpm", "-qpR", str(packages["rpm"]))
    assert "/usr/bin/python3" in requires


def test_rpm_scriptlets_are_python(packages):
    scripts = run("rpm", "-qp", "--scripts", str(packages["rpm"]))
    for hook in ("preinstall", "postinstall", "preuninstall", "postuninstall"):
        assert "{0} scriptlet (using /usr/bin/python3)".format(hook) in scripts


def test_deb_control_fields(packages):
    fields = run("dpkg-deb", "-f", str(packages["deb"]), "Package", "Architecture", "Depends")
    assert "Package: ciscoampconnector" in fields
    assert "Architecture: all" in fields
    assert "python3" in fields


def test_deb_maintainer_scripts_executable(packages, tmp_path):
    run("dpkg-deb", "-e", str(packages["deb"]), str(tmp_path / "control"))
    for script in ("preinst", "postinst", "prerm", "postrm"):
        path = tmp_path / "control" / script
        assert os.access(str(path), os.X_OK), script
    for script in ("preinst", "postinst", "prerm"):
        assert (tmp_path / "control" / script).read_text().startswith("#!/usr/bin/python3\n")
    # A purge may run after python3 is removed, so postrm starts in the shell.
    postrm = (tmp_path / "control" / "postrm").read_text()
    assert postrm.startswith("#!/bin/sh\n")
    subprocess.run(["sh", "-n", str(tmp_path / "control" / "postrm")], check=True)


def test_rpm_and_deb_install_same_payload(packages):
    rpm = {name for name in rpm_files(packages["rpm"]) if name.startswith("/opt/")}
    deb = {name for name in deb_files(packages["deb"]) if name.startswith("/opt/cisco/amp/")}
    rpm_under_amp = {name for name in rpm if name.startswith("/opt/cisco/amp/")}
    assert rpm_under_amp == deb
    for command in PAYLOAD_COMMANDS:
        assert "/opt/cisco/amp/bin/" + command in deb


def test_packages_ship_no_bytecode(packages):
    names = rpm_files(packages["rpm"]) | deb_files(packages["deb"])
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_version_override_builds_older_package(package_builder):
    older = package_builder("0.9.0")
    assert older["deb"].name == "ciscoampconnector_0.9.0_all.deb"
    assert run("dpkg-deb", "-f", str(older["deb"]), "Version").strip() == "0.9.0"
    assert run("rpm", "-qp", "--queryformat", "%{VERSION}", str(older["rpm"])) == "0.9.0"


def test_invalid_version_rejected_with_fix(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tools.build_packages", "--dist", str(tmp_path)],
                            cwd=REPO, capture_output=True, text=True,
                            env=dict(os.environ, AMP_VERSION="1.0-beta"))
    assert result.returncode != 0
    assert "invalid version '1.0-beta'" in result.stderr
    assert "X.Y.Z" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_zipapp_runs_with_bare_python(packages):
    # -I ignores PYTHON* variables and the user site, -S skips site-packages:
    # only the standard library and the zipapp itself are importable.
    result = subprocess.run(["/usr/bin/python3", "-I", "-S", str(packages["pyz"]), "--json",
                             "--check", "os,arch"], capture_output=True, text=True)
    report = json.loads(result.stdout)
    assert [check["name"] for check in report["checks"]] == ["os", "arch"]
    assert report["host"]["tool_version"] == (REPO / "VERSION").read_text().strip()
    assert "Traceback" not in result.stderr


def test_lintian_reports_no_errors(packages):
    result = subprocess.run(["lintian", "--tag-display-limit", "0", str(packages["deb"])],
                            capture_output=True, text=True)
    errors = [line for line in result.stdout.splitlines() if line.startswith("E: ")]
    assert errors == [], result.stdout
