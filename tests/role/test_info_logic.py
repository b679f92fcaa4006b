"""The decisions and readings behind cisco_amp_info, without a test host.

The role's module_utils import each other as ansible.module_utils.NAME,
as Ansible packs them; the fixture loads them under those names.
"""

import importlib.util
import json
import subprocess
import sys
import textwrap

import pytest

from tests.role.conftest import ROLE

MODULE_UTILS = ROLE / "module_utils"
GPG = "gpg"


def _load(name):
    qualified = "ansible.module_utils." + name
    spec = importlib.util.spec_from_file_location(qualified, MODULE_UTILS / (name + ".py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[qualified] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def utils():
    pytest.importorskip("ansible.module_utils")
    openpgp = _load("cisco_amp_openpgp")
    host = _load("cisco_amp_host")
    decisions = _load("cisco_amp_decisions")
    return openpgp, host, decisions


class FakeModule:
    """The two members of AnsibleModule that run_preflight uses."""

    def __init__(self, tmpdir):
        self.tmpdir = str(tmpdir)
        self.argv = None

    def run_command(self, argv):
        self.argv = argv
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        return done.returncode, done.stdout, done.stderr


FAILING_PREFLIGHT = """
import json, sys
print(json.dumps({"verdict": "fail", "checks": [
    {"name": "os", "status": "fail", "message": "Debian 13 is not supported", "fix": "use Debian 12"},
    {"name": "disk", "status": "pass", "message": "enough space"}]}))
sys.exit(2)
"""


def _encoded(script):
    import base64

    return base64.b64encode(script.encode()).decode()


def test_preflight_fail_lists_failed_checks(tmp_path):
    preflight = _load("cisco_amp_preflight")
    module = FakeModule(tmp_path)
    ignore = ["memory", "kernel"]
    result = preflight.run_preflight(module, _encoded(FAILING_PREFLIGHT), sys.executable, ignore)
    expected = {"name": "os", "message": "Debian 13 is not supported", "fix": "use Debian 12"}
    assert result["verdict"] == "fail"
    assert result["failed"] == [expected]
    assert module.argv[2:] == ["--json", "--ignore", "memory,kernel"]
    assert list(tmp_path.iterdir()) == []


def test_preflight_without_report_is_error(tmp_path):
    preflight = _load("cisco_amp_preflight")
    result = preflight.run_preflight(FakeModule(tmp_path), _encoded("import sys\nsys.exit('broken')\n"),
                                     sys.executable, [])
    assert result["verdict"] == "error"
    assert result["rc"] == 1
    assert "broken" in result["stderr"]


REQUEST = {
    "target_version": "1.0.0",
    "allow_downgrade": False,
    "version_hold": False,
    "repo_urls": None,
    "service_state": "started",
    "init_running": True,
    "verify": True,
}
RUNNING = {"service_active": True, "service_enabled": "enabled", "daemon_responding": True,
           "version": "1.0.0"}
INSTALLED = {"version": "1.0.0", "selection": "install", "config_files_left": False}
ABSENT = {"version": "", "selection": "", "config_files_left": False}
RPM_INSTALLED = {"version": "1.0.0", "selection": "", "config_files_left": False, "versionlock_problem": "",
                 "locked_versions": []}


def needed(decisions, wanted=None, package=None, service=RUNNING, answered=True, drifted=(), manager="apt"):
    return decisions.needed_changes(dict(REQUEST, **(wanted or {})), manager, package or INSTALLED,
                                    list(drifted), None, service, {"answered": answered})


def test_matching_host_needs_nothing(utils):
    result = needed(utils[2])
    assert not any(result.values()), result


@pytest.mark.parametrize(
    "change, key",
    [
        ({"wanted": {"target_version": "1.1.0"}}, "install"),
        ({"wanted": {"target_version": "latest"}}, "install"),
        ({"drifted": ["/opt/cisco/amp/etc/amp.conf"]}, "files"),
        ({"wanted": {"version_hold": True}}, "hold"),
        ({"service": dict(RUNNING, service_active=False)}, "service"),
        ({"answered": False}, "answer"),
        ({"wanted": {"init_running": False}}, "units"),
    ],
)
def test_each_difference_is_needed(utils, change, key):
    result = needed(utils[2], **change)
    assert result[key]
    assert [name for name, value in result.items() if value] == [key]


@pytest.mark.parametrize(
    "state, service, actions",
    [
        ("started", {"service_active": False, "service_enabled": "disabled"}, ["enable", "start"]),
        ("started", {"service_active": True, "service_enabled": "disabled"}, ["enable"]),
        ("stopped", {"service_active": True, "service_enabled": "enabled"}, ["stop"]),
        ("disabled", {"service_active": True, "service_enabled": "enabled"}, ["stop", "disable"]),
        ("disabled", {"service_active": False, "service_enabled": "masked"}, []),
        ("started", None, []),
    ],
)
def test_service_actions(utils, state, service, actions):
    assert utils[2].service_actions(service, state) == actions


def test_downgrade_rejected_names_variable(utils):
    problems = utils[2].variable_problems(dict(REQUEST, target_version="0.9.0"), "apt",
                                          {"name": "Debian", "version_id": "12", "id": "debian"}, INSTALLED)
    assert len(problems) == 1
    assert "set cisco_amp_allow_downgrade: true" in problems[0]
    assert "1.0.0" in problems[0]
    assert "0.9.0" in problems[0]


def test_unsupported_os_and_missing_repo_url(utils):
    os_info = {"name": "Alpine Linux", "version_id": "3.20", "id": "alpine"}
    unsupported = utils[2].variable_problems(REQUEST, "unsupported", os_info, ABSENT)
    assert "cisco_amp_package_manager" in unsupported[0]
    problems = utils[2].variable_problems(dict(REQUEST, repo_urls={"apt": "", "dnf": "file:///r"}), "apt",
                                          os_info, ABSENT)
    assert "cisco_amp_apt_repo_url is empty" in problems[0]


@pytest.mark.parametrize(
    "hold, locked, target, expected",
    [
        (True, [], "1.0.0", True),
        (True, ["1.0.0"], "1.0.0", False),
        (True, ["0.9.0"], "1.0.0", True),
        (True, ["1.0.0"], "1.1.0", False),
        (True, ["1.0.0"], "latest", False),
        (False, ["1.0.0"], "1.0.0", True),
        (False, [], "1.0.0", False),
    ],
)
def test_dnf_versionlock_hold_needed(utils, hold, locked, target, expected):
    package = dict(RPM_INSTALLED, locked_versions=locked, selection="hold" if locked else "")
    wanted = {"version_hold": hold, "target_version": target}
    assert needed(utils[2], wanted, package, manager="dnf")["hold"] is expected


def test_dnf_hold_without_plugin_rejected(utils):
    os_info = {"name": "Rocky Linux", "version_id": "9.4", "id": "rocky"}
    package = dict(RPM_INSTALLED, versionlock_problem="/etc/dnf/plugins/versionlock.conf is missing")
    problems = utils[2].variable_problems(dict(REQUEST, version_hold=True), "dnf", os_info, package)
    assert len(problems) == 1
    assert "/etc/dnf/plugins/versionlock.conf is missing" in problems[0]
    assert "python3-dnf-plugin-versionlock" in problems[0]
    assert "cisco_amp_version_hold: false" in problems[0]
    assert utils[2].variable_problems(dict(REQUEST, version_hold=True), "dnf", os_info, RPM_INSTALLED) == []


def test_lock_entries_of_connector(utils):
    entries = [
        "# Added lock on Sat Dec  5 00:52:24 2026",
        "ciscoampconnector-0:1.0.0-1.*",
        "!ciscoampconnector-0:1.1.0-1.*",
        "ciscoampconnector-2.0.0-3.el9.x86_64",
        "bash-0:5.1.8-9.*",
        "",
    ]
    assert utils[1].parse_lock_entries(entries) == ["1.0.0", "2.0.0"]


def _versionlock_files(tmp_path, enabled="1", dnf_conf=""):
    plugins = tmp_path / "dnf-plugins"
    plugins.mkdir()
    (plugins / "versionlock.py").write_text("")
    locklist = tmp_path / "locks.list"
    locklist.write_text("\n# Added lock\nciscoampconnector-0:1.0.0-1.*\n")
    conf_path = tmp_path / "versionlock.conf"
    conf_path.write_text(f"[main]\nenabled = {enabled}\nlocklist = {locklist}\n")
    dnf_conf_path = tmp_path / "dnf.conf"
    dnf_conf_path.write_text(f"[main]\npluginpath = {plugins}\n{dnf_conf}")
    return str(conf_path), str(dnf_conf_path), locklist


def test_read_dnf_locks_follows_locklist(utils, tmp_path):
    conf, dnf_conf, locklist = _versionlock_files(tmp_path)
    assert utils[1].read_dnf_locks(conf, dnf_conf) == ("", ["1.0.0"])
    locklist.unlink()
    assert utils[1].read_dnf_locks(conf, dnf_conf) == ("", [])


@pytest.mark.parametrize(
    "enabled, dnf_conf, expected",
    [
        ("0", "", "the plugin is disabled in"),
        ("1", "plugins = False\n", "dnf plugins are off in"),
    ],
)
def test_versionlock_problem_names_cause(utils, tmp_path, enabled, dnf_conf, expected):
    conf_path, dnf_conf_path, _locklist = _versionlock_files(tmp_path, enabled, dnf_conf)
    problem, locked = utils[1].read_dnf_locks(conf_path, dnf_conf_path)
    assert expected in problem
    assert locked == []


def test_versionlock_problem_missing_files(utils, tmp_path):
    conf, dnf_conf, _locklist = _versionlock_files(tmp_path)
    (tmp_path / "dnf-plugins" / "versionlock.py").unlink()
    assert "versionlock.py was not found in" in utils[1].read_dnf_locks(conf, dnf_conf)[0]
    missing = str(tmp_path / "missing.conf")
    assert utils[1].read_dnf_locks(missing, dnf_conf) == (f"{missing} is missing", [])


def test_report_of_a_fresh_host(utils):
    report = utils[2].report({"name": "Debian GNU/Linux", "version_id": "12"}, None, "pass")
    assert report == {"os": "Debian GNU/Linux 12", "preflight_verdict": "pass", "version": "not installed",
                      "service_active": False, "service_enabled": "not-installed"}


@pytest.mark.parametrize(
    "status, expected",
    [
        ("ii  1.2.3", ("1.2.3", "install", False)),
        ("hi  1.2.3", ("1.2.3", "hold", False)),
        ("rc  1.2.3", ("", "deinstall", True)),
        ("un  ", ("", "unknown", False)),
    ],
)
def test_dpkg_status(utils, status, expected):
    assert utils[1].parse_dpkg_status(status) == expected


def test_os_release_family(utils, tmp_path):
    release = tmp_path / "os-release"
    release.write_text('NAME="Rocky Linux"\nVERSION_ID="9.4"\nID="rocky"\nID_LIKE="rhel centos fedora"\n')
    found = utils[1].read_os_release(str(release))
    assert (found["family"], found["version_id"]) == ("RedHat", "9.4")
    assert utils[1].read_os_release(str(tmp_path / "missing"))["family"] == "unknown"


def test_drifted_paths(utils, tmp_path):
    import hashlib
    import os

    good, bad = tmp_path / "good", tmp_path / "bad"
    good.write_text("a\n")
    bad.write_text("b\n")
    os.chmod(good, 0o640)
    os.chmod(bad, 0o640)
    sha1 = hashlib.sha1(b"a\n").hexdigest()
    expected = [{"path": str(path), "sha1": sha1, "mode": "0640"} for path in (good, bad, tmp_path / "none")]
    expected.append({"path": str(bad), "sha1": "x", "mode": "0640", "package_manager": "dnf"})
    owned_by_root = os.getuid() == 0
    drifted = utils[1].drifted_paths(expected, "apt")
    assert drifted == ([] if owned_by_root else [str(good)]) + [str(bad), str(tmp_path / "none")]


def test_key_id_matches_gpg(utils, tmp_path):
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    environment = {"GNUPGHOME": str(home), "PATH": "/usr/bin:/bin"}
    subprocess.run([GPG, "--batch", "--passphrase", "", "--quick-gen-key", "Test <test@example.invalid>",
                    "ed25519", "sign", "never"], check=True, capture_output=True, env=environment)
    armored = subprocess.run([GPG, "--armor", "--export"], check=True, capture_output=True, text=True,
                             env=environment).stdout
    listing = subprocess.run([GPG, "--with-colons", "--list-keys"], check=True, capture_output=True,
                             text=True, env=environment).stdout
    key_id = next(line.split(":")[4] for line in listing.splitlines() if line.startswith("pub:"))
    assert utils[0].armored_key_version(armored) == key_id[-8:].lower()
    assert utils[0].armored_key_version("not a key") is None


FAKE_ACTIONS = """
def status():
    return {"version": "9.9.9", "service_active": True, "service_enabled": "enabled"}
"""


def test_status_in_process_uses_package_library(tmp_path):
    """A clean interpreter: this test process has the repository's own installer imported."""
    actions = tmp_path / "amp" / "lib" / "python" / "installer" / "ampctl"
    actions.mkdir(parents=True)
    for package in (actions.parent, actions):
        (package / "__init__.py").write_text("")
    (actions / "actions.py").write_text(FAKE_ACTIONS)
    (tmp_path / "amp" / "bin").mkdir()
    script = textwrap.dedent(f"""
        import importlib.util, json, sys
        for name in ("cisco_amp_openpgp", "cisco_amp_host"):
            spec = importlib.util.spec_from_file_location("ansible.module_utils." + name,
                                                          "{MODULE_UTILS}/" + name + ".py")
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module
            spec.loader.exec_module(module)
        print(json.dumps([module.status_in_process("{tmp_path}/amp/bin/ampctl"),
                          module.status_in_process("{tmp_path}/elsewhere/bin/ampctl")]))
    """)
    output = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    found, missing = json.loads(output)
    assert found["version"] == "9.9.9"
    assert missing is None
    assert not list(tmp_path.rglob("__pycache__"))


def test_run_with_deadline_stops_slow_command(utils):
    rc, output = utils[1].run_with_deadline(["sh", "-c", "echo waiting; exec sleep 30"], 0.5)
    assert rc == 124
    assert "(stopped after 0.5 s)" in output


def test_run_with_deadline_returns_output(utils):
    assert utils[1].run_with_deadline(["sh", "-c", "echo ready; exit 3"], 5) == (3, "ready")
