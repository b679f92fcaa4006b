#!/usr/bin/python
"""Read everything the cisco_amp role decides on, from one run on the host."""

# Ansible modules put their documentation before the imports.
# ruff: noqa: E402

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cisco_amp_info
short_description: Read the Cisco Secure Endpoint connector's state on a host and check the role's variables
description:
  - Reads the operating system from C(/etc/os-release), the installed package version and
    its dpkg selection, which of the files the role writes differ from what it would write, whether
    rpm's keyring holds the repository key, and C(ampctl status --json).
  - Optionally waits until C(ampcli status) gets an answer from the daemon, and fails with
    the end of the daemon log when it does not.
  - Fails with the messages in I(variable_errors), and with its own when the role's
    variables do not fit the host: no package manager the role
    supports, no repository URL for the host's package manager, a version hold on dnf, or
    a downgrade that I(allow_downgrade) does not allow. The role checks its variables here
    instead of in a task of its own, which saves a task on every host and every run.
  - Changes nothing on the host, so it also runs in check mode.
options:
  variable_errors:
    description: Messages of the role's variable checks that failed on the controller.
    type: list
    elements: str
    default: []
  target_version:
    description: The X.Y.Z version the role is about to install, "latest", or "" for none.
    type: str
    default: ""
  allow_downgrade:
    description: Whether I(target_version) may be lower than the installed version.
    type: bool
    default: false
  version_hold:
    description: Whether the role is asked to hold the version (apt only).
    type: bool
    default: false
  repo_urls:
    description: Repository URL per package manager (C(apt), C(dnf)) when the role manages the repository.
    type: dict
  package_manager:
    description: C(apt) or C(dnf); C(auto) follows the OS family from C(/etc/os-release).
    type: str
    choices: [auto, apt, dnf]
    default: auto
  expect:
    description:
      - What files should hold. Each entry has C(path), C(sha1) and C(mode), and optionally
        C(package_manager), which limits the entry to hosts with that package manager.
        The result lists in C(drifted) each path that is missing or differs, or whose owner
        is not root.
    type: list
    elements: dict
    default: []
  rpm_key:
    description: ASCII-armored key file on the host; the result says whether rpm imported it.
    type: path
  ampctl:
    description: Path of ampctl.
    type: path
    default: /opt/cisco/amp/bin/ampctl
  ampcli:
    description: Path of ampcli.
    type: path
    default: /opt/cisco/amp/bin/ampcli
  daemon_timeout:
    description:
      - Seconds to wait for C(ampcli status) to succeed while the service is running.
        0 reads the daemon's state once, without waiting.
    type: int
    default: 0
  require_daemon:
    description:
      - Fail when the service is running but C(ampcli status) got no answer within
        I(daemon_timeout).
    type: bool
    default: false
  daemon_log:
    description: Log whose last lines the failure message shows.
    type: path
    default: /var/log/cisco/ampdaemon.log
  log_lines:
    description: How many lines of I(daemon_log) the failure message shows.
    type: int
    default: 40
author: ciscoampconnector contributors
"""

RETURN = r"""
os:
  description: id, id_like, version_id, name, family (Debian, RedHat, Suse or unknown).
  returned: always
  type: dict
package_manager:
  description: apt, dnf or unsupported.
  returned: always
  type: str
package:
  description: version ("" when not installed), selection (dpkg's, such as install or hold)
    and config_files_left (removed, configuration kept).
  returned: always
  type: dict
drifted:
  description: The paths of I(expect) that are missing or differ from it.
  returned: always
  type: list
rpm_key_imported:
  description: Whether rpm's keyring holds I(rpm_key); null when it could not be told.
  returned: always
  type: bool
service:
  description: The output of C(ampctl status --json), or null when ampctl is not installed.
  returned: always
  type: dict
read_at:
  description: When the reading ended, in seconds since the epoch on the host's clock.
  returned: always
  type: float
daemon:
  description: answered (whether ampcli status succeeded), output, and log_tail when it did not.
  returned: always
  type: dict
"""

import base64
import hashlib
import json
import os
import re
import stat
import time

from ansible.module_utils.basic import AnsibleModule

PACKAGE = "ciscoampconnector"
FAMILIES = (
    ("Debian", ("debian", "ubuntu")),
    ("RedHat", ("rhel", "centos", "fedora", "rocky", "almalinux", "ol", "amzn")),
    ("Suse", ("sles", "suse", "opensuse")),
)
PACKAGE_MANAGERS = {"Debian": "apt", "RedHat": "dnf"}
DPKG_SELECTIONS = {"i": "install", "h": "hold", "r": "deinstall", "p": "purge", "u": "unknown"}
COMMAND_TIMEOUT = 30


def read_os_release(path="/etc/os-release"):
    """Return the os-release fields the role reports; missing fields are ""."""
    fields = {}
    try:
        with open(path) as handle:
            for line in handle:
                name, sep, value = line.strip().partition("=")
                if sep and name and not name.startswith("#"):
                    fields[name] = value.strip().strip("\"'")
    except (IOError, OSError):
        pass
    ids = [fields.get("ID", "")] + fields.get("ID_LIKE", "").split()
    family = next((name for name, known in FAMILIES if any(i in known for i in ids)), "unknown")
    return {
        "id": fields.get("ID", ""),
        "id_like": fields.get("ID_LIKE", ""),
        "version_id": fields.get("VERSION_ID", ""),
        "name": fields.get("NAME", ""),
        "family": family,
    }


def parse_dpkg_status(output):
    """Parse "${db:Status-Abbrev} ${Version}" into (version, selection, config_files_left)."""
    abbrev, _, version = output.partition(" ")
    abbrev = (abbrev + "  ")[:2]
    selection = DPKG_SELECTIONS.get(abbrev[0], "unknown")
    if abbrev[1] == "i":
        return version.strip(), selection, False
    return "", selection, abbrev[1] == "c"


def read_package(module, manager):
    if manager == "apt":
        rc, out, _err = module.run_command(
            ["dpkg-query", "--show", "--showformat=${db:Status-Abbrev} ${Version}", PACKAGE])
        if rc != 0:
            return {"version": "", "selection": "", "config_files_left": False}
        version, selection, left = parse_dpkg_status(out)
        return {"version": version, "selection": selection, "config_files_left": left}
    if manager == "dnf":
        rc, out, _err = module.run_command(["rpm", "--query", "--queryformat", "%{VERSION}", PACKAGE])
        return {"version": out.strip() if rc == 0 else "", "selection": "", "config_files_left": False}
    return {"version": "", "selection": "", "config_files_left": False}


def describe_file(path):
    try:
        info = os.stat(path)
    except OSError:
        return {"exists": False}
    result = {"exists": True, "mode": "%04o" % stat.S_IMODE(info.st_mode),
              "uid": info.st_uid, "gid": info.st_gid, "sha1": None}
    if stat.S_ISREG(info.st_mode):
        digest = hashlib.sha1()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(65536), b""):
                digest.update(block)
        result["sha1"] = digest.hexdigest()
    return result


def drifted_paths(expected, manager):
    """Return the paths in ``expected`` whose file is missing or differs in content, mode or owner."""
    drifted = []
    for entry in expected:
        if entry.get("package_manager") not in (None, manager):
            continue
        found = describe_file(entry["path"])
        wanted = (True, entry["sha1"], entry["mode"], 0, 0)
        if tuple(found.get(key) for key in ("exists", "sha1", "mode", "uid", "gid")) != wanted:
            drifted.append(entry["path"])
    return drifted


def armored_key_version(text):
    """Return rpm's gpg-pubkey version (the key ID's last 8 hex digits) of an OpenPGP v4 key.

    Returns None for anything else; the role then imports the key again,
    which rpm_key does idempotently.
    """
    lines = text.strip().splitlines()
    try:
        start = lines.index("-----BEGIN PGP PUBLIC KEY BLOCK-----") + 1
        end = lines.index("-----END PGP PUBLIC KEY BLOCK-----")
    except ValueError:
        return None
    body = lines[start:end]
    while body and ":" in body[0]:
        body.pop(0)
    encoded = "".join(line for line in body if line and not line.startswith("="))
    try:
        data = bytearray(base64.b64decode(encoded))
    except (ValueError, TypeError):
        return None
    packet = public_key_packet(data)
    if packet is None or not packet or packet[0] != 4:
        return None
    fingerprint = hashlib.sha1(b"\x99" + len(packet).to_bytes(2, "big") + bytes(packet)).hexdigest()
    return fingerprint[-8:]


def public_key_packet(data):
    """Return the body of the first packet when it is a public-key packet (tag 6), else None."""
    if len(data) < 2 or not data[0] & 0x80:
        return None
    first = data[0]
    if first & 0x40:
        tag, length_octet = first & 0x3F, data[1]
        if length_octet < 192:
            offset, length = 2, length_octet
        elif length_octet < 224 and len(data) > 2:
            offset, length = 3, ((length_octet - 192) << 8) + data[2] + 192
        elif length_octet == 255 and len(data) > 5:
            offset, length = 6, int.from_bytes(bytes(data[2:6]), "big")
        else:
            return None
    else:
        tag, size = (first >> 2) & 0x0F, {0: 1, 1: 2, 2: 4}.get(first & 0x03)
        if size is None or len(data) < 1 + size:
            return None
        offset, length = 1 + size, int.from_bytes(bytes(data[1:1 + size]), "big")
    if tag != 6 or len(data) < offset + length:
        return None
    return data[offset:offset + length]


def rpm_key_imported(module, path):
    if not path or not os.path.isfile(path):
        return None
    with open(path) as handle:
        version = armored_key_version(handle.read())
    if version is None:
        return None
    rc, _out, _err = module.run_command(["rpm", "--query", "gpg-pubkey-" + version])
    return rc == 0


def read_service(module, ampctl):
    if not os.access(ampctl, os.X_OK):
        return None
    rc, out, _err = module.run_command([ampctl, "status", "--json"])
    try:
        return json.loads(out) if rc == 0 else None
    except ValueError:
        return None


def ask_daemon(module, ampcli, timeout):
    """Run ampcli status until it succeeds or ``timeout`` seconds pass; return (answered, output)."""
    deadline = time.time() + timeout
    while True:
        rc, out, err = module.run_command([ampcli, "status"])
        if rc == 0 or time.time() >= deadline:
            return rc == 0, (out + err).strip()
        time.sleep(1)


def log_tail(path, count):
    try:
        with open(path, errors="replace") as handle:
            return "".join(handle.readlines()[-count:]).rstrip("\n")
    except (IOError, OSError) as error:
        return "(cannot read {0}: {1})".format(path, error.strerror)


def read_daemon(module, service):
    """Return the daemon part of the result; fail when the module must see an answer."""
    params = module.params
    daemon = {"answered": bool(service and service.get("daemon_responding")), "output": ""}
    running = bool(service and service.get("service_active"))
    if not running or (daemon["answered"] and params["daemon_timeout"] == 0):
        return daemon
    daemon["answered"], daemon["output"] = ask_daemon(module, params["ampcli"], params["daemon_timeout"])
    if not daemon["answered"]:
        daemon["log_tail"] = log_tail(params["daemon_log"], params["log_lines"])
    return daemon


def version_tuple(text):
    match = re.match(r"(\d+)\.(\d+)\.(\d+)", text or "")
    return tuple(int(part) for part in match.groups()) if match else None


def variable_problems(params, manager, os_info, installed):
    """Return what the role's variables ask for that this host cannot do, as messages."""
    problems = []
    if manager == "unsupported":
        problems.append(
            'No package manager for OS "{0} {1}" (ID {2}): set cisco_amp_package_manager to apt or '
            "dnf.".format(os_info["name"], os_info["version_id"], os_info["id"] or "unknown"))
        return problems
    urls = params["repo_urls"]
    if urls is not None and not urls.get(manager):
        variable = "cisco_amp_apt_repo_url" if manager == "apt" else "cisco_amp_rpm_repo_url"
        problems.append(
            "{0} is empty: set it to your {1} repository, or set cisco_amp_package_file, or "
            "cisco_amp_repo_manage: false when the host already has the repository.".format(
                variable, "apt" if manager == "apt" else "RPM"))
    if params["version_hold"] and manager == "dnf":
        problems.append(
            "cisco_amp_version_hold is not supported with dnf: a dnf hold needs the versionlock "
            "plugin, which this role does not manage. Pin cisco_amp_version instead.")
    wanted, found = version_tuple(params["target_version"]), version_tuple(installed)
    if wanted and found and found > wanted and not params["allow_downgrade"]:
        problems.append(
            "The host has {0} {1}, newer than the requested {2}: set cisco_amp_allow_downgrade: "
            "true to downgrade.".format(PACKAGE, installed, params["target_version"]))
    return problems


def main():
    module = AnsibleModule(
        argument_spec=dict(
            package_manager=dict(type="str", choices=["auto", "apt", "dnf"], default="auto"),
            expect=dict(type="list", elements="dict", default=[]),
            variable_errors=dict(type="list", elements="str", default=[]),
            target_version=dict(type="str", default=""),
            allow_downgrade=dict(type="bool", default=False),
            version_hold=dict(type="bool", default=False),
            repo_urls=dict(type="dict"),
            rpm_key=dict(type="path"),
            ampctl=dict(type="path", default="/opt/cisco/amp/bin/ampctl"),
            ampcli=dict(type="path", default="/opt/cisco/amp/bin/ampcli"),
            daemon_timeout=dict(type="int", default=0),
            require_daemon=dict(type="bool", default=False),
            daemon_log=dict(type="path", default="/var/log/cisco/ampdaemon.log"),
            log_lines=dict(type="int", default=40),
        ),
        supports_check_mode=True,
    )
    params = module.params
    os_info = read_os_release()
    manager = params["package_manager"]
    if manager == "auto":
        manager = PACKAGE_MANAGERS.get(os_info["family"], "unsupported")
    package = read_package(module, manager)
    problems = params["variable_errors"] + variable_problems(params, manager, os_info, package["version"])
    if problems:
        module.fail_json(msg=" ".join(problems), os=os_info, package_manager=manager, package=package)
    service = read_service(module, params["ampctl"]) if package["version"] else None
    daemon = read_daemon(module, service)
    if daemon["answered"] and not (service or {}).get("daemon_responding"):
        # The daemon came up while the module waited: read the state again.
        service = read_service(module, params["ampctl"])
    result = dict(
        changed=False,
        read_at=time.time(),
        os=os_info,
        package_manager=manager,
        package=package,
        drifted=drifted_paths(params["expect"], manager),
        rpm_key_imported=rpm_key_imported(module, params["rpm_key"]) if manager == "dnf" else None,
        service=service,
        daemon=daemon,
    )
    if params["require_daemon"] and service and service.get("service_active") and not daemon["answered"]:
        module.fail_json(
            msg="ampcli status got no answer from the daemon within {0} s. Last {1} lines of {2}:\n{3}".format(
                params["daemon_timeout"], params["log_lines"], params["daemon_log"], daemon["log_tail"]),
            **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
