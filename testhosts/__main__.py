"""Command line: build cached roots, list them, or run one command in a booted host."""

import argparse
import logging
import signal
import sys

from .nspawn import TestHost
from .profiles import DEFAULT_PROFILE, PROFILES
from .rootfs import build_root, cache_dir, directory_size, find_root, list_roots
from .system import TestHostError


def _build(args):
    for name in args.profile or [DEFAULT_PROFILE]:
        print(build_root(name, mirror=args.mirror, rebuild=args.rebuild), flush=True)
    return 0


def _list(args):
    built = {root["path"] for root in list_roots()}
    print(f"cache: {cache_dir()}")
    for name, profile in sorted(PROFILES.items()):
        path = find_root(profile)
        if path is None:
            status = "not built"
        else:
            status = f"{path} ({directory_size(path) / 2**20:.0f} MiB)"
            built.discard(path)
        print(f"{name:20} {profile.suite:9} {profile.cache_key()}  {status}")
    for path in sorted(built):
        # Roots of older package lists or format versions stay until deleted by hand.
        print(f"{'(stale)':20} {'':9} {'':16}  {path}")
    return 0


def _run(args):
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        print("error: no command given. Usage: run --profile NAME -- CMD...", file=sys.stderr)
        return 2
    with TestHost.boot(args.profile, name=args.name) as host:
        result = host.run(command, check=False, timeout=args.timeout)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result.returncode


def _parser():
    parser = argparse.ArgumentParser(prog="python3 -m testhosts", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    commands = parser.add_subparsers(dest="action", required=True)
    profile_names = sorted(PROFILES)

    build = commands.add_parser("build", help="build and cache roots, and print their paths")
    build.add_argument(
        "--profile",
        action="append",
        choices=profile_names,
        help=f"profile to build (repeatable, default {DEFAULT_PROFILE})",
    )
    build.add_argument(
        "--mirror", help="Debian mirror URL (default: $AMP_TESTHOST_MIRROR or the host's apt sources)"
    )
    build.add_argument(
        "--rebuild", action="store_true", help="replace a cached root (waits until no host uses it)"
    )
    build.set_defaults(handler=_build)

    listing = commands.add_parser("list", help="list profiles and their cached roots")
    listing.set_defaults(handler=_list)

    run = commands.add_parser("run", help="boot a host, run one command, print its output, tear down")
    run.add_argument("--profile", default=DEFAULT_PROFILE, choices=profile_names, help="profile to boot")
    run.add_argument("--name", help="machine name (default: random)")
    run.add_argument("--timeout", type=float, default=600.0, help="command timeout in seconds (default 600)")
    run.add_argument("command", nargs=argparse.REMAINDER, help="-- CMD [ARG...]")
    run.set_defaults(handler=_run)
    return parser


def _exit_on_sigterm(signum, frame):
    # SystemExit unwinds the with-blocks, so a host is torn down on SIGTERM too.
    sys.exit(128 + signum)


def main(argv=None):
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        return args.handler(args)
    except (TestHostError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
