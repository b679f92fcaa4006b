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
