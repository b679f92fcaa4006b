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
from installer.parsers.endpoints import EndpointError, parse_endpoint, parse_proxy_url
from installer.report import host_facts, render_json, render_text, write_line, write_text
from installer.version import get_version

DEFAULT_TIMEOUT = 3.0
MAX_TIMEOUT = 60.0


class UsageError(Exception):
    """A command-line mistake; the message names the value and the fix."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)

    def print_help(self, file=None):
        write_text(file or sys.stdout, self.format_help())

    def print_usage(self, file=None):
        write_text(file or sys.stdout, self.format_usage())


def parse_names(value, allow_all=False):
    """Split ``a,b`` into a list of check names, rejecting unknown ones."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    known = CHECK_NAMES + (("all",) if allow_all else ())
    for name in names:
        if name not in known:
            raise UsageError(_("unknown check {name!r}; known checks: {known}").format(
                name=name, known=", ".join(known)))
    return names


def parse_timeout(value):
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= MAX_TIMEOUT:
        raise UsageError(_("invalid --timeout {value!r}: expected seconds above 0, at most "
                           "{maximum:g}").format(value=value, maximum=MAX_TIMEOUT))
    return seconds


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
    parser.add_argument("--endpoint", action="append", default=[], metavar="HOST[:PORT]",
                        help=_("cloud endpoint for the network check (repeatable; default "
                               "port 443; default: [cloud] endpoints in amp.conf)"))
    parser.add_argument("--proxy", metavar="URL",
                        help=_("HTTP proxy for the network check, as http://[USER:PASSWORD@]"
                               "HOST[:PORT] (default: [proxy] url in amp.conf)"))
    parser.add_argument("--timeout", default=str(DEFAULT_TIMEOUT), metavar="SECONDS",
                        help=_("timeout of each network connection in seconds (default: "
                               "{seconds:g})").format(seconds=DEFAULT_TIMEOUT))
    parser.add_argument("--version", action="version", version=get_version())
    return parser


def main(argv=None):
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except UsageError as error:
        write_line(sys.stderr, "amp-preflight: {0}".format(error))
        write_line(sys.stderr, _("Run 'amp-preflight --help' for usage."))
        return exitcodes.USAGE
    except KeyboardInterrupt:
        return exitcodes.INTERNAL
    except Exception as error:  # noqa: BLE001 - last resort: one line, no traceback
        write_line(sys.stderr, _("amp-preflight: internal error: {error!r}").format(error=error))
        return exitcodes.INTERNAL


def context_from_options(options):
    """Build the HostContext the options describe; raise UsageError on bad values."""
    if not os.path.isdir(options.root):
        raise UsageError(_("--root {root!r} is not a directory").format(root=options.root))
    try:
        for endpoint in options.endpoint:
            parse_endpoint(endpoint)
        if options.proxy:
            parse_proxy_url(options.proxy)
    except EndpointError as error:
        raise UsageError(error)
    return HostContext(root=options.root, endpoints=options.endpoint, proxy=options.proxy,
                       timeout=parse_timeout(options.timeout))


def run(argv):
    options = build_parser().parse_args(argv)
    names = None
    if options.check:
        names = [name for value in options.check for name in parse_names(value)]
    ignore = [name for value in options.ignore for name in parse_names(value, allow_all=True)]
    ctx = context_from_options(options)

    results = run_checks(ctx, names=names, ignore=ignore)
    if options.json:
        write_line(sys.stdout, render_json(results, host_facts(ctx), ignore))
    else:
        colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        write_line(sys.stdout, render_text(results, colour=colour))
    return exitcodes.BY_VERDICT[verdict(results)]


if __name__ == "__main__":
    sys.exit(main())
