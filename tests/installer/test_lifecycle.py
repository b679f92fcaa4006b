"""The lifecycle model: RPM counts and Debian action words decode to one transition."""

import pytest

from installer.scriptlets import lifecycle as lc

RPM_CASES = [
    ("pre", "1", lc.PRE_INSTALL, lc.INSTALL),
    ("pre", "2", lc.PRE_INSTALL, lc.UPGRADE),
    ("post", "1", lc.POST_INSTALL, lc.INSTALL),
    ("post", "2", lc.POST_INSTALL, lc.UPGRADE),
    ("preun", "0", lc.PRE_REMOVE, lc.REMOVE),
    ("preun", "1", lc.PRE_REMOVE, lc.UPGRADE),
    ("postun", "0", lc.POST_REMOVE, lc.REMOVE),
    ("postun", "1", lc.POST_REMOVE, lc.UPGRADE),
]

DEB_CASES = [
    ("preinst", ["install"], lc.PRE_INSTALL, lc.INSTALL),
    ("preinst", ["install", "1.0.0"], lc.PRE_INSTALL, lc.INSTALL),
    ("preinst", ["upgrade", "1.0.0"], lc.PRE_INSTALL, lc.UPGRADE),
    ("preinst", ["abort-upgrade", "1.1.0"], lc.PRE_INSTALL, lc.ABORT),
    ("postinst", ["configure", ""], lc.POST_INSTALL, lc.INSTALL),
    ("postinst", ["configure"], lc.POST_INSTALL, lc.INSTALL),
    ("postinst", ["configure", "1.0.0"], lc.POST_INSTALL, lc.UPGRADE),
    ("postinst", ["abort-upgrade", "1.1.0"], lc.POST_INSTALL, lc.ABORT),
    ("postinst", ["abort-remove"], lc.POST_INSTALL, lc.ABORT),
    ("prerm", ["remove"], lc.PRE_REMOVE, lc.REMOVE),
    ("prerm", ["upgrade", "1.1.0"], lc.PRE_REMOVE, lc.UPGRADE),
    ("prerm", ["failed-upgrade", "1.0.0"], lc.PRE_REMOVE, lc.UPGRADE),
    ("postrm", ["remove"], lc.POST_REMOVE, lc.REMOVE),
    ("postrm", ["purge"], lc.POST_REMOVE, lc.PURGE),
    ("postrm", ["upgrade", "1.1.0"], lc.POST_REMOVE, lc.UPGRADE),
    ("postrm", ["abort-install"], lc.POST_REMOVE, lc.ABORT),
    ("postrm", ["abort-upgrade", "1.0.0"], lc.POST_REMOVE, lc.ABORT),
    ("postrm", ["failed-upgrade", "1.0.0"], lc.POST_REMOVE, lc.ABORT),
]


@pytest.mark.parametrize("script,count,hook,kind", RPM_CASES)
def test_rpm_counts_decode(script, count, hook, kind):
    transition = lc.from_rpm(script, [count])
    assert transition.hook == hook
    assert transition.kind == kind
    assert transition.label == "rpm {0} scriptlet ({1})".format(script, count)


@pytest.mark.parametrize("script,args,hook,kind", DEB_CASES)
def test_deb_actions_decode(script, args, hook, kind):
    transition = lc.from_deb(script, args)
    assert transition.hook == hook
    assert transition.kind == kind
    assert transition.label == "deb {0} scriptlet ({1})".format(script, args[0])


@pytest.mark.parametrize("script,args", [("pre", []), ("pre", ["x"]), ("bogus", ["1"])])
def test_rpm_bad_arguments_rejected(script, args):
    with pytest.raises(lc.LifecycleError):
        lc.from_rpm(script, args)


@pytest.mark.parametrize("script,args", [("preinst", []), ("postinst", ["reticulate"]),
                                         ("config", ["configure"])])
def test_deb_bad_arguments_rejected(script, args):
    with pytest.raises(lc.LifecycleError):
        lc.from_deb(script, args)


# What each transition runs. The RPM upgrade's old-package removal hooks
# (count 1) and the DEB upgrade hooks of the old package must do nothing.
STEP_CASES = [
    ("rpm", "pre", ["1"], "run_preflight"),
    ("rpm", "pre", ["2"], "run_preflight"),
    ("rpm", "post", ["1"], "post_install"),
    ("rpm", "post", ["2"], "post_install"),
    ("rpm", "preun", ["1"], "nothing"),
    ("rpm", "postun", ["1"], "nothing"),
    ("rpm", "preun", ["0"], "pre_remove"),
    ("rpm", "postun", ["0"], "post_remove"),
    ("deb", "preinst", ["install"], "run_preflight"),
    ("deb", "preinst", ["upgrade", "1.0.0"], "run_preflight"),
    ("deb", "preinst", ["abort-upgrade", "1.1.0"], "nothing"),
    ("deb", "postinst", ["configure", "1.0.0"], "post_install"),
    ("deb", "postinst", ["abort-upgrade", "1.1.0"], "restore_after_abort"),
    ("deb", "postinst", ["abort-remove"], "restore_after_abort"),
    ("deb", "postinst", ["abort-deconfigure"], "restore_after_abort"),
    ("deb", "postinst", ["triggered"], "nothing"),
    ("deb", "prerm", ["upgrade", "1.1.0"], "nothing"),
    ("deb", "prerm", ["failed-upgrade", "1.0.0"], "nothing"),
    ("deb", "prerm", ["remove"], "pre_remove"),
    ("deb", "postrm", ["upgrade", "1.1.0"], "nothing"),
    ("deb", "postrm", ["failed-upgrade", "1.0.0"], "nothing"),
    ("deb", "postrm", ["abort-install"], "nothing"),
    ("deb", "postrm", ["remove"], "post_remove"),
    ("deb", "postrm", ["purge"], "purge"),
]


@pytest.mark.parametrize("package_format,script,args,step", STEP_CASES)
def test_transition_runs_step(package_format, script, args, step):
    from installer.scriptlets.main import DECODERS
    from installer.scriptlets.steps import step_for
    transition = DECODERS[package_format](script, args)
    assert step_for(transition).__name__ == step


def test_lock_second_holder_times_out(tmp_path):
    from installer.locking import LifecycleLock, LockTimeout
    path = str(tmp_path / "lifecycle.lock")
    with LifecycleLock(path, timeout=0):
        with pytest.raises(LockTimeout) as error:
            LifecycleLock(path, timeout=0.3).acquire()
    assert path in str(error.value)
    with LifecycleLock(path, timeout=0):
        pass


def test_lock_released_when_holder_is_killed(tmp_path):
    import signal
    import subprocess
    import sys
    from installer.locking import LifecycleLock
    path = str(tmp_path / "lifecycle.lock")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, sys, time; f = open(sys.argv[1], 'w'); fcntl.flock(f, fcntl.LOCK_EX); "
        "print('held', flush=True); time.sleep(60)"), path], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with LifecycleLock(path, timeout=2):
        pass


def test_pending_mark_survives_until_done(tmp_path):
    from installer import lifecycle_state
    path = str(tmp_path / "lifecycle.json")
    lifecycle_state.update_state(path, service={"enabled": "disabled"})
    lifecycle_state.mark_pending("post-install", "1.1.0", True, path=path)
    state = lifecycle_state.load_state(path)
    assert state["pending"]["first_time"] is True
    assert state["service"] == {"enabled": "disabled"}
    lifecycle_state.mark_done("1.1.0", path=path)
    state = lifecycle_state.load_state(path)
    assert "pending" not in state
    assert state["version"] == "1.1.0"
