"""Command line of ampctl: parse, check root, take the lifecycle lock, print.

Human output is translated (``installer.i18n``); ``--json`` output is not.
Installer steps are logged to syslog (tag cisco-amp) and ampinstaller.log.
"""

import argparse
import json
import os
import sys

from installer import service_ops
from installer.ampctl import actions, exitcodes
from installer.commands import CommandError
from installer.i18n import _
from installer.kmod.sequence import PRE_START
from installer.locking import LifecycleLock, LockTimeout
from installer.steplog import StepLog


def build_parser():
    parser = argparse.ArgumentParser(
        prog="ampctl",
        description=_("Manage the Cisco Secure Endpoint Linux connector: its service, its "
                      "updater and its local data."))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    def add(name, help_text):
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.add_argument("--json", action="store_true",
                             help=_("print the result as JSON for scripts"))
        return command

    add("status", _("show the service, updater, pending step and faults"))
    enable = add("enable", _("enable and start the service and the hourly updater"))
    enable.add_argument("--no-start", action="store_true",
                        help=_("enable without starting the service now"))
    add("disable", _("stop the service and disable it and the hourly updater"))
    add("start", _("start the service"))
    add("stop", _("stop the service"))
    add("restart", _("stop the service if it runs, then start it, so amp.conf is read again"))
    add("repair", _("finish an interrupted install and start the service if it is enabled"))
    purge = add("purge", _("remove the package and delete configuration, identity, "
                           "databases and logs"))
    purge.add_argument("--yes", action="store_true",
                       help=_("confirm the purge; the connector's identity is lost"))
    # Internal commands of the init jobs; without help= they stay out of --help.
    commands.add_parser("load-modules")
    commands.add_parser("unload-modules")
    return parser


def print_status(result, out):
    def yes_no(value):
        return _("yes") if value else _("no")

    pending = result.get("pending")
    lines = [
        (_("Version"), result["version"]),
        (_("Init system"), result["init"]),
        (_("Service running"), yes_no(result["service_active"])),
        (_("Service enabled"), result["service_enabled"]),
        (_("Updater enabled"), yes_no(result["updater_enabled"])),
        (_("Pending step"), _("none") if not pending else _(
            "{step} of {version} did not finish; run: ampctl repair").format(
                step=pending.get("step"), version=pending.get("version"))),
    ]
    modules = result.get("modules")
    if modules is None:
        lines.append((_("Kernel modules"), _("unknown (no /proc/modules)")))
    else:
        lines.append((_("Kernel modules"), ", ".join(
            "{0} {1}".format(name, _("loaded") if loaded else _("not loaded"))
            for name, loaded in sorted(modules.items()))))
    faults = result.get("faults") or []
    lines.append((_("Faults"), _("none") if not faults else "; ".join(
        fault.get("message") or fault["id"] for fault in faults)))
    for label, value in lines:
        out.write("{0}: {1}\n".format(label, value))


def print_change(command, result, out):
    if command == "purge":
        out.write(_("The connector and its local data were removed.") + "\n")
        return
    if not result["changed"]:
        out.write(_("Nothing to do: the connector was already in that state.") + "\n")
    out.write(_("Service running: {active}; service enabled: {enabled}; updater enabled: "
                "{updater}").format(active=_("yes") if result["service_active"] else _("no"),
                                    enabled=result["service_enabled"],
                                    updater=_("yes") if result["updater_enabled"] else _("no"))
              + "\n")


def run_purge(log, args):
    if not args.yes:
        raise UsageError(_("purge deletes the connector's identity and data; repeat with --yes "
                           "to confirm"))
    existing = actions.existing_state()
    with LifecycleLock():
        before, manager = actions.stop_and_unload(log)
    if manager is not None:
        actions.remove_package(log, manager)
    with LifecycleLock():
        actions.wipe_state(log)
    # dpkg --purge runs the package's own purge step, which deletes the
    # directories before wipe_state looks, so the report compares before and after.
    deleted = [path for path in existing if not os.path.isdir(path)]
    return {"changed": bool(deleted) or manager is not None or before["service_active"],
            "package_removed": manager, "deleted": deleted}


class UsageError(Exception):
    pass


MUTATING = {
    "enable": lambda log, args: actions.enable(log, start=not args.no_start),
    "disable": lambda log, args: actions.disable(log),
    "start": lambda log, args: actions.start(log),
    "stop": lambda log, args: actions.stop(log),
    "restart": lambda log, args: actions.restart(log),
    "repair": lambda log, args: actions.repair(log),
}


def dispatch(args, log):
    if args.command == "load-modules":
        service_ops.load_modules(log, PRE_START)
        return None
    if args.command == "unload-modules":
        service_ops.unload_modules(log)
        return None
    if args.command == "purge":
        return run_purge(log, args)
    with LifecycleLock():
        return MUTATING[args.command](log, args)


def report_error(args, message, out, err):
    if getattr(args, "json", False):
        out.write(json.dumps({"changed": False, "failed": True, "error": message}) + "\n")
    else:
        err.write("ampctl: {0}\n".format(message))


def main(argv=None, out=None, err=None):
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as error:
        # argparse exits 2 on a bad command line and 0 after --help.
        return exitcodes.USAGE if error.code else exitcodes.OK
    if args.command != "status" and os.geteuid() != 0:
        report_error(args, _("{command} changes the host and must run as root").format(
            command=args.command), out, err)
        return exitcodes.NOT_ROOT
    if args.command == "status":
        # status changes nothing, so it logs nothing and works without root.
        result = actions.status()
        if args.json:
            out.write(json.dumps(result, sort_keys=True) + "\n")
        else:
            print_status(result, out)
        return exitcodes.OK
    log = StepLog(stream=err)
    try:
        result = dispatch(args, log)
    except UsageError as error:
        report_error(args, str(error), out, err)
        return exitcodes.USAGE
    except LockTimeout as error:
        report_error(args, str(error), out, err)
        return exitcodes.LOCKED
    except (actions.ActionFailed, CommandError, OSError) as error:
        log.error("ampctl {0} failed: {1}".format(args.command, error))
        report_error(args, str(error), out, err)
        return exitcodes.FAILED
    finally:
        log.close()
    if result is None:
        return exitcodes.OK
    if args.json:
        out.write(json.dumps(result, sort_keys=True) + "\n")
    else:
        print_change(args.command, result, out)
    return exitcodes.OK
