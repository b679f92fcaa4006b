"""Booted and unbooted bookworm test hosts: state, isolation, commands and teardown."""

import contextlib
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import pytest

from testhosts import CommandError, TestHost, TestHostError, nspawn, run_unbooted
from testhosts.overlay import mounts_under

pytestmark = pytest.mark.testhost


REPOSITORY_ROOT = pathlib.Path(__file__).resolve().parents[2]


def _process_exists(pid):
    return os.path.exists(f"/proc/{pid}")


def _process_running(pid):
    # An orphan stays in /proc as a zombie until its new parent reaps it.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_boot_state_running_or_degraded(bookworm_host):
    state = bookworm_host.run(["systemctl", "is-system-running"], check=False).stdout.strip()
    assert state in ("running", "degraded")


def test_pid1_is_systemd(bookworm_host):
    assert bookworm_host.run(["cat", "/proc/1/comm"]).stdout.strip() == "systemd"
    assert bookworm_host.read_text("/proc/1/comm").strip() == "systemd"


def test_boot_uses_overlay_by_default(bookworm_host):
    assert bookworm_host.mode == "overlay"
    assert bookworm_host.root in mounts_under(bookworm_host.workdir)


def test_write_stays_out_of_cache(bookworm_host, bookworm_root):
    bookworm_host.run(["sh", "-c", "echo written-in-host > /etc/amp-marker"])
    bookworm_host.run(["rm", "/etc/os-release"])

    assert bookworm_host.read_text("/etc/amp-marker") == "written-in-host\n"
    assert not os.path.exists(os.path.join(bookworm_root, "etc/amp-marker"))
    assert os.path.lexists(os.path.join(bookworm_root, "etc/os-release"))


def test_command_environment_is_clean(bookworm_host):
    lines = bookworm_host.run(["env"], env={"AMP_EXTRA": "1"}).stdout.splitlines()
    assert sorted(lines) == [
        "AMP_EXTRA=1",
        "HOME=/root",
        "LANG=C.UTF-8",
        "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
    ]
    assert bookworm_host.run(["pwd"]).stdout == "/\n"


def test_command_input_and_output(bookworm_host):
    result = bookworm_host.run(["python3", "-c", "import sys; print(sys.stdin.read().upper())"], input="abc")
    assert result.returncode == 0
    assert result.stdout == "ABC\n"
    assert result.args == ["python3", "-c", "import sys; print(sys.stdin.read().upper())"]


def test_failed_command_raises_with_output(bookworm_host):
    with pytest.raises(CommandError) as raised:
        bookworm_host.run(["sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"])

    error = raised.value
    assert error.returncode == 3
    assert error.stdout == "to-stdout\n"
    assert error.stderr == "to-stderr\n"
    message = str(error)
    assert "sh -c 'echo to-stdout; echo to-stderr >&2; exit 3'" in message
    assert "exit code 3" in message
    assert "to-stdout" in message
    assert "to-stderr" in message


def test_failed_command_without_check(bookworm_host):
    assert bookworm_host.run(["false"], check=False).returncode == 1


def test_run_rejects_string_argv(bookworm_host):
    with pytest.raises(TypeError):
        bookworm_host.run("systemctl status")


def test_command_timeout_kills_command(bookworm_host):
    started = time.monotonic()
    with pytest.raises(TestHostError, match="timed out after 1"):
        bookworm_host.run(["sleep", "300"], timeout=1)
    assert time.monotonic() - started < 30

    commands = bookworm_host.run(["sh", "-c", "cat /proc/[0-9]*/cmdline | tr '\\0' ' '"]).stdout
    assert "sleep 300" not in commands


def test_copy_in_and_read_text(bookworm_host, tmp_path):
    source = tmp_path / "payload.sh"
    source.write_text("#!/bin/sh\necho payload\n")
    source.chmod(0o755)

    assert bookworm_host.copy_in(source, "/usr/local/bin/") == "/usr/local/bin/payload.sh"
    assert bookworm_host.run(["/usr/local/bin/payload.sh"]).stdout == "payload\n"
    # /tmp in the host is a tmpfs, mounted only in the container's mount namespace.
    bookworm_host.copy_in(source, "/tmp/copy.sh", mode=0o600)
    assert bookworm_host.run(["stat", "-c", "%a", "/tmp/copy.sh"]).stdout == "600\n"
    assert bookworm_host.read_text("/tmp/copy.sh") == source.read_text()


def test_path_resolves_symlinks_inside_host(bookworm_host):
    # /bin is a relative symlink to usr/bin.  /etc/amp-link is an absolute
    # symlink, which must resolve inside the host, not in this machine's /etc.
    bookworm_host.run(["ln", "-sf", "/etc/amp-target", "/etc/amp-link"])
    bookworm_host.run(["sh", "-c", "echo inside > /etc/amp-target"])

    assert bookworm_host.path("/bin/true") == f"/proc/{bookworm_host.init_pid}/root/usr/bin/true"
    assert bookworm_host.read_text("/etc/amp-link") == "inside\n"


def test_journal_returns_logged_message(bookworm_host):
    bookworm_host.run(["logger", "-t", "amp-journal-test", "hello from the test"])

    deadline = time.monotonic() + 20
    journal = ""
    while time.monotonic() < deadline and "hello from the test" not in journal:
        journal = bookworm_host.journal("amp-journal-test")
        time.sleep(0.2)
    assert "hello from the test" in journal
    assert "Started" not in journal


def test_teardown_removes_workdir_and_nspawn(bookworm_root):
    host = TestHost.boot("bookworm")
    workdir, root, init_pid = host.workdir, host.root, host.init_pid
    nspawn_pid = host._nspawn.pid
    assert os.path.isdir(workdir)
    assert _process_exists(nspawn_pid)

    host.close()

    assert not os.path.exists(workdir)
    assert not _process_exists(nspawn_pid)
    assert not _process_exists(init_pid)
    assert mounts_under(root) == []
    with pytest.raises(TestHostError, match="not running"):
        host.run(["true"])
    host.close()


@pytest.mark.parametrize("exception", [RuntimeError, KeyboardInterrupt])
def test_teardown_on_exception(bookworm_root, exception):
    with pytest.raises(exception):
        with TestHost.boot("bookworm") as host:
            workdir, nspawn_pid = host.workdir, host._nspawn.pid
            raise exception("raised inside the with block")

    assert not os.path.exists(workdir)
    assert not _process_exists(nspawn_pid)


def test_two_hosts_at_once(bookworm_root):
    with contextlib.ExitStack() as stack:
        first = stack.enter_context(TestHost.boot("bookworm"))
        second = stack.enter_context(TestHost.boot("bookworm"))
        first.run(["touch", "/root/only-in-first"])

        assert first.name != second.name
        assert first.run(["hostname"]).stdout.strip() == first.name
        assert second.run(["hostname"]).stdout.strip() == second.name
        assert first.read_text("/etc/machine-id") != second.read_text("/etc/machine-id")
        assert second.run(["test", "-e", "/root/only-in-first"], check=False).returncode == 1
    assert not os.path.exists(first.workdir)
    assert not os.path.exists(second.workdir)


def test_machine_name_in_use_rejected(bookworm_root):
    lock_file = pathlib.Path(tempfile.gettempdir(), "ciscoamp-testhost-names", "amp-name-test.lock")
    with TestHost.boot("bookworm", name="amp-name-test") as host:
        with pytest.raises(TestHostError, match="in use"):
            TestHost.boot("bookworm", name="amp-name-test")
        assert host.run(["hostname"]).stdout.strip() == "amp-name-test"
        assert lock_file.exists()
    assert not lock_file.exists()


def test_invalid_machine_name_rejected(bookworm_root):
    with pytest.raises(ValueError, match="invalid machine name"):
        TestHost.boot("bookworm", name="bad name/")


def test_private_network_has_only_loopback(bookworm_host):
    interfaces = sorted(os.listdir(bookworm_host.path("/sys/class/net")))
    assert interfaces == ["lo"]


def test_boot_with_copied_root(bookworm_root):
    with TestHost.boot("bookworm", mode="copy") as host:
        host.run(["touch", "/etc/amp-copy-marker"])
        assert host.mode == "copy"
        assert mounts_under(host.workdir) == []
        assert host.run(["systemctl", "is-system-running"], check=False).stdout.strip() in (
            "running",
            "degraded",
        )
    assert not os.path.exists(os.path.join(bookworm_root, "etc/amp-copy-marker"))


def test_unbooted_runs_without_init(bookworm_root):
    result = run_unbooted(
        "bookworm", ["sh", "-c", "echo $$; cat /proc/1/comm; ls /run/systemd/system"], check=False
    )

    pid, init_comm = result.stdout.splitlines()[:2]
    assert pid == "2"
    assert init_comm != "systemd"
    assert result.returncode != 0


def test_unbooted_failure_raises(bookworm_root):
    with pytest.raises(CommandError, match="exit code 4"):
        run_unbooted("bookworm", ["sh", "-c", "exit 4"])


def test_unbooted_input_and_write_isolation(bookworm_root):
    result = run_unbooted(
        "bookworm", ["sh", "-c", "cat > /etc/amp-unbooted; cat /etc/amp-unbooted"], input="data\n"
    )
    assert result.stdout == "data\n"
    assert not os.path.exists(os.path.join(bookworm_root, "etc/amp-unbooted"))


def test_killed_owner_host_cleaned_up(bookworm_root):
    owner_script = (
        "import sys, testhosts\n"
        "host = testhosts.TestHost.boot('bookworm')\n"
        "print(host.workdir, host._nspawn.pid, flush=True)\n"
        "sys.stdin.read()\n"
    )
    owner = subprocess.Popen(
        [sys.executable, "-c", owner_script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(REPOSITORY_ROOT)),
    )
    workdir, nspawn_pid = owner.stdout.readline().split()
    owner.kill()
    owner.wait()

    deadline = time.monotonic() + 30
    while _process_running(int(nspawn_pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _process_running(int(nspawn_pid))
    assert os.path.isdir(workdir)

    with TestHost.boot("bookworm"):
        assert not os.path.exists(workdir)


def test_teardown_kills_host_that_ignores_poweroff(bookworm_root, monkeypatch, caplog):
    monkeypatch.setattr(nspawn, "STOP_TIMEOUT", 1.0)
    host = TestHost.boot("bookworm")
    workdir, init_pid, nspawn_pid = host.workdir, host.init_pid, host._nspawn.pid
    host.run(["mv", "/usr/bin/systemctl", "/usr/bin/systemctl.disabled"])

    host.close()

    assert "powering off" in caplog.text
    assert "did not power off" in caplog.text
    assert not os.path.exists(workdir)
    assert not _process_exists(nspawn_pid)
    assert not _process_running(init_pid)


def _run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "testhosts", *args],
        capture_output=True,
        text=True,
        cwd=REPOSITORY_ROOT,
        timeout=300,
    )


def test_cli_run_returns_command_exit_code(bookworm_root):
    result = _run_cli(
        "run", "--profile", "bookworm", "--", "sh", "-c", "cat /proc/1/comm; echo oops >&2; exit 5"
    )

    assert result.returncode == 5
    assert result.stdout == "systemd\n"
    assert "oops" in result.stderr


def test_cli_build_and_list(bookworm_root):
    build = _run_cli("build", "--profile", "bookworm")
    listing = _run_cli("list")

    assert build.returncode == 0
    assert build.stdout == bookworm_root + "\n"
    assert listing.returncode == 0
    assert bookworm_root in listing.stdout
