"""The init-file templates, rendered as the build renders them and then parsed.

Upstart cannot run on these machines, so its jobs are checked by parsing
their stanzas. The cron file and the SysV script are run with sh.
"""

import configparser
import os
import re
import subprocess
from pathlib import Path

import pytest

from installer import paths
from installer.service_units import TEMPLATES
from tools.stage import render_init_files

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    share = tmp_path_factory.mktemp("share")
    render_init_files(share)
    return share / "init"


def read(rendered, init, name):
    return (rendered / init / name).read_text()


def parse_upstart(text):
    """Return (stanzas, blocks): single-line stanzas and script blocks of an upstart job."""
    stanzas, blocks = {}, {}
    lines = iter(text.splitlines())
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        keyword, _space, rest = stripped.partition(" ")
        if rest in ("script",) or stripped in ("script",):
            name = keyword if rest == "script" else "script"
            body = []
            for inner in lines:
                if inner.strip() == "end script":
                    break
                body.append(inner.strip())
            else:
                raise AssertionError("unterminated script block " + name)
            blocks[name] = body
            continue
        stanzas.setdefault(keyword, []).append(rest)
    return stanzas, blocks


def test_every_template_rendered_with_marker(rendered):
    for template, (init, name) in TEMPLATES.items():
        text = read(rendered, init, name)
        assert paths.MANAGED_MARKER in text[:1024], template
        assert "{{" not in text, template
        assert "{%" not in text, template


def test_systemd_service_loads_modules_before_start(rendered):
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read_string(read(rendered, "systemd", "cisco-amp.service"))
    assert unit["Service"]["ExecStart"] == "/opt/cisco/amp/bin/ampmon"
    assert unit["Service"]["ExecStartPre"] == "-/opt/cisco/amp/bin/ampctl load-modules"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_systemd_updater_timer_is_hourly(rendered):
    timer = configparser.ConfigParser(strict=False, interpolation=None)
    timer.read_string(read(rendered, "systemd", "cisco-ampupdater.timer"))
    assert timer["Timer"]["OnCalendar"] == "hourly"
    service = configparser.ConfigParser(strict=False, interpolation=None)
    service.read_string(read(rendered, "systemd", "cisco-ampupdater.service"))
    assert service["Service"]["Type"] == "oneshot"
    assert "[ -x /opt/cisco/amp/bin/ampupdater ]" in service["Service"]["ExecStart"]


def test_upstart_job_prestart_loads_modules(rendered):
    stanzas, blocks = parse_upstart(read(rendered, "upstart", "cisco-amp.conf"))
    assert stanzas["start"] == ["on runlevel [2345]"]
    assert stanzas["stop"] == ["on runlevel [!2345]"]
    assert stanzas["exec"] == ["/opt/cisco/amp/bin/ampmon"]
    assert "respawn" in stanzas
    assert blocks["pre-start"] == ["/opt/cisco/amp/bin/ampctl load-modules || true"]


def test_upstart_updater_is_a_noop_safe_task(rendered):
    stanzas, blocks = parse_upstart(read(rendered, "upstart", "cisco-ampupdater.conf"))
    assert "task" in stanzas
    assert "start" not in stanzas, "the cron file starts the updater, not an event"
    assert blocks["script"][0] == "if [ -x /opt/cisco/amp/bin/ampupdater ]; then"


def render_with_home(tmp_path, init, name, amp_home):
    import jinja2

    from installer.service_units import default_context
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(REPO / "installer" / "service_units")),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    template = next(key for key, value in TEMPLATES.items() if value == (init, name))
    path = tmp_path / name
    path.write_text(environment.get_template(template).render(default_context(amp_home)))
    path.chmod(0o755)
    return path


def test_cron_file_runs_updater_only_if_present(tmp_path):
    home = tmp_path / "amp"
    (home / "bin").mkdir(parents=True)
    cron = render_with_home(tmp_path, "cron", paths.CRON_FILE, str(home))
    assert subprocess.run(["sh", "-n", str(cron)]).returncode == 0
    absent = subprocess.run([str(cron)], capture_output=True, text=True)
    assert absent.returncode == 0
    assert absent.stdout == ""
    updater = home / "bin" / "ampupdater"
    updater.write_text("#!/bin/sh\necho updater ran\n")
    updater.chmod(0o755)
    present = subprocess.run([str(cron)], capture_output=True, text=True)
    assert present.stdout == "updater ran\n"


def test_sysv_script_has_lsb_header(rendered):
    text = read(rendered, "sysv", "cisco-amp")
    header = re.search(r"### BEGIN INIT INFO\n(.*?)### END INIT INFO", text, re.S).group(1)
    fields = dict(re.match(r"# ([A-Za-z-]+):\s*(.*)", line).groups()
                  for line in header.splitlines() if re.match(r"# [A-Za-z-]+:", line))
    assert fields["Provides"] == "cisco-amp"
    assert fields["Default-Start"] == "2 3 4 5"
    assert fields["Default-Stop"] == "0 1 6"
    assert "$remote_fs" in fields["Required-Start"]
    assert subprocess.run(["sh", "-n", str(rendered / "sysv" / "cisco-amp")]).returncode == 0


def test_sysv_script_start_status_stop(tmp_path):
    home = tmp_path / "amp"
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "ampmon").write_text("#!/bin/sh\nexec sleep 60\n")
    (home / "bin" / "ampctl").write_text("#!/bin/sh\nexit 0\n")
    for program in ("ampmon", "ampctl"):
        (home / "bin" / program).chmod(0o755)
    script = render_with_home(tmp_path, "sysv", "cisco-amp", str(home))
    text = script.read_text().replace("PIDFILE=/var/run/cisco-amp.pid",
                                      "PIDFILE={0}/pid".format(tmp_path))
    script.write_text(text)

    def run(action):
        return subprocess.run([str(script), action], capture_output=True, text=True, timeout=60)

    assert run("status").returncode == 3
    assert run("start").returncode == 0
    assert run("status").returncode == 0
    assert run("start").stdout == "cisco-amp is already running\n"
    assert run("stop").returncode == 0
    assert run("status").returncode == 3
    assert not os.path.exists(str(tmp_path / "pid"))
