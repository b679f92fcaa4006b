"""Map RPM scriptlet counts and Debian maintainer-script arguments onto one model.

A :class:`Transition` names the hook that runs (``PRE_INSTALL``, ``POST_INSTALL``,
``PRE_REMOVE``, ``POST_REMOVE``) and for what (``INSTALL``, ``UPGRADE``,
``REMOVE``, ``PURGE``, ``ABORT``). The steps are written once against it.

RPM passes the number of package instances that will be installed after the
transaction: 1 on a first install, 2 or more in the new package's pre/post
during an upgrade, and 1 or more in the old package's preun/postun while it
is being replaced (0 on a real erase). RPM calls downgrades upgrades too.

Debian passes an action word and versions; the table below follows the
Debian Policy Manual, chapter 6 ("Package maintainer scripts and
installation procedure").
"""

PRE_INSTALL = "pre-install"
POST_INSTALL = "post-install"
PRE_REMOVE = "pre-remove"
POST_REMOVE = "post-remove"

INSTALL = "install"
UPGRADE = "upgrade"
REMOVE = "remove"
PURGE = "purge"
ABORT = "abort"
IGNORE = "ignore"

RPM_HOOKS = {"pre": PRE_INSTALL, "post": POST_INSTALL, "preun": PRE_REMOVE, "postun": POST_REMOVE}
DEB_HOOKS = {"preinst": PRE_INSTALL, "postinst": POST_INSTALL, "prerm": PRE_REMOVE,
             "postrm": POST_REMOVE}


class LifecycleError(ValueError):
    """Arguments no lifecycle transition matches."""


class Transition(object):
    """One scriptlet invocation, decoded."""

    def __init__(self, package_format, script, hook, kind, argument, other_version=None):
        self.package_format = package_format
        self.script = script
        self.hook = hook
        self.kind = kind
        self.argument = argument
        self.other_version = other_version

    @property
    def label(self):
        """The name the step log uses, e.g. ``rpm pre scriptlet (1)``."""
        return "{0} {1} scriptlet ({2})".format(self.package_format, self.script, self.argument)

    def __repr__(self):
        return "Transition({0!r}, {1!r}, {2!r})".format(self.script, self.hook, self.kind)


def from_rpm(script, args):
    """Decode an RPM scriptlet's name and its argument list (``["1"]``)."""
    if script not in RPM_HOOKS:
        raise LifecycleError("unknown RPM scriptlet {0!r}".format(script))
    if len(args) < 1 or not args[0].isdigit():
        raise LifecycleError("RPM scriptlet {0} needs the instance count, got {1!r}".format(
            script, args))
    count = int(args[0])
    hook = RPM_HOOKS[script]
    if hook in (PRE_INSTALL, POST_INSTALL):
        kind = INSTALL if count == 1 else UPGRADE
    else:
        kind = REMOVE if count == 0 else UPGRADE
    return Transition("rpm", script, hook, kind, args[0])


_DEB_ACTIONS = {
    ("preinst", "install"): INSTALL,
    ("preinst", "upgrade"): UPGRADE,
    ("preinst", "abort-upgrade"): ABORT,
    ("postinst", "configure"): INSTALL,
    ("postinst", "triggered"): IGNORE,
    ("postinst", "abort-upgrade"): ABORT,
    ("postinst", "abort-remove"): ABORT,
    ("postinst", "abort-deconfigure"): ABORT,
    ("prerm", "remove"): REMOVE,
    ("prerm", "deconfigure"): REMOVE,
    ("prerm", "upgrade"): UPGRADE,
    ("prerm", "failed-upgrade"): UPGRADE,
    ("postrm", "remove"): REMOVE,
    ("postrm", "purge"): PURGE,
    ("postrm", "disappear"): REMOVE,
    ("postrm", "upgrade"): UPGRADE,
    ("postrm", "failed-upgrade"): ABORT,
    ("postrm", "abort-install"): ABORT,
    ("postrm", "abort-upgrade"): ABORT,
}


def from_deb(script, args):
    """Decode a maintainer script's name and arguments (``["configure", "1.0.0"]``)."""
    if script not in DEB_HOOKS:
        raise LifecycleError("unknown maintainer script {0!r}".format(script))
    if not args:
        raise LifecycleError("maintainer script {0} needs an action".format(script))
    action = args[0]
    kind = _DEB_ACTIONS.get((script, action))
    if kind is None:
        raise LifecycleError("maintainer script {0} got unknown action {1!r}".format(
            script, action))
    other_version = args[1] if len(args) > 1 and args[1] else None
    # configure with the previously configured version is an upgrade; an
    # install over a removed-but-not-purged package keeps its old config.
    if script == "postinst" and action == "configure" and other_version:
        kind = UPGRADE
    return Transition("deb", script, DEB_HOOKS[script], kind, action, other_version)
