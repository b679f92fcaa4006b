"""The main job, end to end: build, check this host, install on a Debian 12 test host.

1. Build the RPM, the DEB and amp-preflight.pyz into dist/.
2. Run dist/amp-preflight.pyz on this machine and show its report.
3. Boot a Debian 12 test host (systemd-nspawn), install the .deb there with
   apt-get, and print the connector's ``ampcli status``.
The test host is powered off and deleted at the end.
"""

import subprocess
import sys
import time

from testhosts import TestHost
from tools.build_packages import build
from tools.version import REPO, package_version


def banner(text):
    print("\n== " + text, flush=True)


def wait_for_status(host, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        result = host.run(["/opt/cisco/amp/bin/ampcli", "status"], check=False)
        if result.returncode == 0 or time.monotonic() > deadline:
            return result
        time.sleep(1)


def main():
    version = package_version()
    banner(f"Building ciscoampconnector {version} into dist/")
    built = build(REPO / "dist", version)
    for path in built.values():
        print(path.relative_to(REPO))

    banner("amp-preflight on this machine")
    subprocess.run([sys.executable, str(built["pyz"])], check=False)

    banner("Booting a Debian 12 test host (the first run builds its root with debootstrap)")
    with TestHost.boot("bookworm") as host:
        deb = "/root/" + built["deb"].name
        host.copy_in(built["deb"], deb)
        banner(f"apt-get install {deb} on test host {host.name}")
        install = host.run(["apt-get", "install", "-y", deb],
                           env={"DEBIAN_FRONTEND": "noninteractive"}, check=False)
        # dpkg's "Reading database ... N%" progress lines are noise here.
        lines = (install.stdout + install.stderr).splitlines()
        print("\n".join(line for line in lines if not line.startswith("(Reading database")))
        if install.returncode != 0:
            print("demo: apt-get install failed on the test host", file=sys.stderr)
            return 1
        banner("systemctl status cisco-amp")
        print(host.run(["systemctl", "--no-pager", "status", "cisco-amp"], check=False).stdout)
        banner("/opt/cisco/amp/bin/ampcli status")
        status = wait_for_status(host)
        print(status.stdout + status.stderr)
        return status.returncode


if __name__ == "__main__":
    sys.exit(main())
