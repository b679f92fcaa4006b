"""The host's package manager, as the updater needs it: query, keep aside, install.

One class per package manager. The updater uses the one that manages the
installed connector: dpkg/apt when dpkg lists the package as installed, else rpm with
dnf, yum or zypper, whichever is on PATH in that order.
"""

import glob
import os
import re
import shutil
import subprocess

PACKAGE = "ciscoampconnector"
_APT_ENV = {"DEBIAN_FRONTEND": "noninteractive"}


class PackageManagerError(Exception):
    """A package-manager step failed; the message carries the command and output."""


def _run(argv, env=None, cwd=None, timeout=900):
    """Run a package-manager command and return its stdout; raise PackageManagerError."""
    environment = dict(os.environ)
    environment.update(env or {})
    try:
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, universal_newlines=True,
                                   env=environment, cwd=cwd)
    except OSError as error:
        raise PackageManagerError("cannot run {0}: {1}".format(argv[0], error.strerror))
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise PackageManagerError("{0} timed out after {1} s".format(" ".join(argv), timeout))
    if process.returncode != 0:
        raise PackageManagerError("{0} exited with status {1}: {2}".format(
            " ".join(argv), process.returncode, (stderr or stdout).strip()))
    return stdout


class Apt(object):
    name = "apt"

    def installed_version(self):
        try:
            output = _run(["dpkg-query", "-W", "-f=${Status} ${Version}", PACKAGE])
        except PackageManagerError:
            return None
        # The first status word is the selection (install, or hold after apt-mark hold).
        words = output.split()
        return words[-1] if len(words) == 4 and words[1:3] == ["ok", "installed"] else None

    def available_versions(self):
        _run(["apt-get", "update", "-q"], env=_APT_ENV)
        output = _run(["apt-cache", "madison", PACKAGE])
        return [line.split("|")[1].strip() for line in output.splitlines() if line.count("|") >= 2]

    def is_held(self):
        return PACKAGE in _run(["apt-mark", "showhold"]).split()

    def download(self, version, directory):
        _run(["apt-get", "download", "-q", "{0}={1}".format(PACKAGE, version)], cwd=directory)
        found = glob.glob(os.path.join(directory, "{0}_*.deb".format(PACKAGE)))
        if len(found) != 1:
            raise PackageManagerError("apt-get download left {0} packages in {1}".format(
                len(found), directory))
        return found[0]

    def install(self, version):
        _run(["apt-get", "install", "-y", "-q", "--allow-downgrades",
              "-o", "Dpkg::Options::=--force-confold", "{0}={1}".format(PACKAGE, version)],
             env=_APT_ENV)

    def install_file(self, path):
        _run(["dpkg", "-i", "--force-confold", path], env=_APT_ENV)


class Rpm(object):
    """rpm-based hosts driven by dnf or yum (``zypper`` has its own class)."""

    def __init__(self, tool):
        self.name = tool

    def installed_version(self):
        try:
            return _run(["rpm", "-q", "--qf", "%{VERSION}-%{RELEASE}", PACKAGE]).strip()
        except PackageManagerError:
            return None

    def available_versions(self):
        if self.name == "dnf":
            output = _run(["dnf", "-q", "--refresh", "repoquery", "--qf",
                           "%{version}-%{release}", PACKAGE])
            return [line.strip() for line in output.splitlines() if line.strip()]
        output = _run(["yum", "-q", "list", "--showduplicates", "available", PACKAGE])
        return [line.split()[1] for line in output.splitlines()
                if line.startswith(PACKAGE + ".") and len(line.split()) >= 2]

    def is_held(self):
        try:
            output = _run([self.name, "-q", "versionlock", "list"])
        except PackageManagerError:
            return False  # no versionlock plugin, so nothing can be locked with it
        return re.search(r"(^|\s|:){0}-".format(PACKAGE), output, re.M) is not None

    def download(self, version, directory):
        # "reinstall --downloadonly" fetches the installed version with core
        # dnf/yum alone; "dnf download" would need dnf-plugins-core.
        _run([self.name, "-y", "-q", "reinstall", "--downloadonly", "--downloaddir", directory,
              "{0}-{1}".format(PACKAGE, version)])
        found = glob.glob(os.path.join(directory, "{0}-*.rpm".format(PACKAGE)))
        if len(found) != 1:
            raise PackageManagerError("{0} download left {1} packages in {2}".format(
                self.name, len(found), directory))
        return found[0]

    def install(self, version):
        _run([self.name, "-y", "-q", "install", "{0}-{1}".format(PACKAGE, version)])

    def install_file(self, path):
        _run(["rpm", "-U", "--oldpackage", "--replacepkgs", path])


class Zypper(Rpm):
    # NOTE: no SUSE root can be downloaded here, so this class has only been
    # read against zypper's documentation, never run.
    def __init__(self):
        super(Zypper, self).__init__("zypper")

    def available_versions(self):
        output = _run(["zypper", "--non-interactive", "--xmlout", "search", "--details",
                       "--match-exact", PACKAGE])
        return re.findall(r'<solvable [^>]*edition="([^"]+)"', output)

    def is_held(self):
        return PACKAGE in _run(["zypper", "--non-interactive", "locks"])

    def download(self, version, directory):
        output = _run(["zypper", "--non-interactive", "download",
                       "{0}={1}".format(PACKAGE, version)])
        found = re.findall(r"(/\S+{0}-\S+\.rpm)".format(PACKAGE), output)
        if not found:
            raise PackageManagerError("zypper download printed no package path")
        target = os.path.join(directory, os.path.basename(found[-1]))
        shutil.copy2(found[-1], target)
        return target

    def install(self, version):
        _run(["zypper", "--non-interactive", "install", "--oldpackage",
              "{0}={1}".format(PACKAGE, version)])


def detect_package_manager():
    """Return the package manager that manages the installed connector, or None."""
    if shutil.which("dpkg-query") and Apt().installed_version():
        return Apt()
    if shutil.which("rpm"):
        for tool in ("dnf", "yum"):
            if shutil.which(tool):
                manager = Rpm(tool)
                return manager if manager.installed_version() else None
        if shutil.which("zypper"):
            return Zypper()
    return None
