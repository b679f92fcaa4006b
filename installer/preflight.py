"""``amp-preflight``: tell whether this host can take the connector, and why not.

Exit statuses are those of :mod:`installer.exitcodes`: 0 pass, 1 warnings
only, 2 failed, 64 usage error, 70 internal error.
"""

import argparse
import os
import sys

from installer import exitcodes
from installer.checks import CHECK_NAMES, run_checks
from installer.checks.model import HostContext, verdict
from installer.i18n import _
from installer.report import render_json, render_text
from installer.version import get_version


class UsageError(Exception):
    """A command-line mistake; the message names the value and the fix."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def parse_names(value, allow_all=False):
    """Split ``a,b`` into a list of check names, rejecting unknown ones."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    known = CHECK_NAMES + (("all",) if allow_all else ())
    for name in names:
        if name not in known:
            raise UsageError(_("unknown check {name!r}; known checks: {known}").format(
                name=name, known=", ".join(known)))
    return names


def build_parser():
    parser = _Parser(
        prog="amp-preflight",
        description=_("Check whether this host can run the Secure Endpoint Linux connector."),
    )
    parser.add_argument("--json", action="store_true",
                        help=_("print a JSON report instead of the table"))
    parser.add_argument("--check", action="append", default=[], metavar="NAME[,NAME]",
                        help=_("run only these checks (repeatable); known: {names}").format(
                            names=", ".join(CHECK_NAMES)))
    parser.add_argument("--ignore", action="append", default=[], metavar="NAME[,NAME]|all",
                        help=_("report failures of these checks as warnings"))
    parser.add_argument("--root", default="/", metavar="DIR",
                        help=_("read the host's files from DIR instead of / (default: /)"))
    parser.add_argument("--version", action="version", version=get_version())
    return parser


def main(argv=None):
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except UsageError as error:
        sys.stderr.write("amp-preflight: {0}\n".format(error))
        sys.stderr.write(_("Run 'amp-preflight --help' for usage.") + "\n")
        return exitcodes.USAGE
    except KeyboardInterrupt:
        return exitcodes.INTERNAL
    except Exception as error:  # noqa: BLE001 - last resort: one line, no traceback
        sys.stderr.write(_("amp-preflight: internal error: {error!r}").format(error=error) + "\n")
        return exitcodes.INTERNAL


def run(argv):
    options = build_parser().parse_args(argv)
    if not os.path.isdir(options.root):
        raise UsageError(_("--root {root!r} is not a directory").format(root=options.root))
    names = None
    if options.check:
        names = [name for value in options.check for name in parse_names(value)]
    ignore = [name for value in options.ignore for name in parse_names(value, allow_all=True)]

    ctx = HostContext(root=options.root)
    results = run_checks(ctx, names=names, ignore=ignore)
    if options.json:
        host_facts = {"root": ctx.root, "machine": ctx.machine, "tool_version": get_version()}
        print(render_json(results, host_facts))
    else:
        colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        print(render_text(results, colour=colour))
    return exitcodes.BY_VERDICT[verdict(results)]


if __name__ == "__main__":
    sys.exit(main())
