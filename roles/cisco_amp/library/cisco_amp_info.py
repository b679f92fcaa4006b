#!/usr/bin/python
"""Read the connector's state on a host, check the role's variables, and list what must change."""

# Ansible modules put their documentation before the imports.
# ruff: noqa: E402

DOCUMENTATION = r"""
module: cisco_amp_info
short_description: Read the Cisco Secure Endpoint connector's state and decide what must change
description:
  - Reads, in one pass, the operating system from C(/etc/os-release), the installed package
    version and its hold (a dpkg selection or a dnf versionlock), which files differ from
    what the role would write, whether rpm's keyring contains the repository key, and
    C(ampctl status --json).
  - Returns what must change to reach the requested state (C(needed), C(drift)), and sets
    the fact C(cisco_amp_report), the role's per-host report, so a host that matches costs
    the role this one module run.
  - Fails with the messages in I(variable_errors), and with its own when the role's variables
    do not fit the host: no package manager the role supports, no repository URL for the
    host's package manager, a version hold on dnf without the versionlock plugin, or a
    downgrade that I(allow_downgrade) does not allow.
  - Runs amp-preflight, which its action plugin sends from the controller, when the package
    is about to change, and returns the verdict and the failed checks in C(preflight).
  - Optionally waits until C(ampcli status) succeeds, and fails with the end of the daemon
    log when the daemon of a running service does not respond.
  - Changes nothing on the host, so it also runs in check mode.
options:
  package_manager:
    description: C(apt) or C(dnf); C(auto) follows the OS family from C(/etc/os-release).
    type: str
    choices: [auto, apt, dnf]
    default: auto
  expect:
    description:
      - What files should hold. Each entry has C(path), C(sha1) and C(mode), and optionally
        C(package_manager), which limits the entry to hosts with that package manager.
        C(needed.files) lists each path that is missing, differs, or is not owned by root.
    type: list
    elements: dict
    default: []
  variable_errors:
    description: Messages of the role's variable checks that failed on the controller.
    type: list
    elements: str
    default: []
  target_version:
    description: The X.Y.Z version to install, C(latest), or an empty string for none.
    type: str
    default: ""
  allow_downgrade:
    description: Whether I(target_version) may be lower than the installed version.
    type: bool
    default: false
  version_hold:
    description: Whether the version should be held, with dpkg selections or dnf's versionlock plugin.
    type: bool
    default: false
  repo_urls:
    description: Repository URL per package manager (C(apt), C(dnf)) when the role manages the repository.
    type: dict
  rpm_key:
    description: ASCII-armored key file on the host. C(rpm_key_imported) reports whether rpm imported it.
    type: path
  service_state:
    description: The requested service state.
    type: str
    choices: [started, stopped, disabled]
    default: started
  init_running:
    description: Whether an init system runs; without one, the service is not read.
    type: bool
    default: true
  verify:
    description: Whether the daemon should answer C(ampcli status).
    type: bool
    default: false
  preflight_verdict:
    description: The amp-preflight verdict of this run, for the report, when this reading runs none.
    type: str
    default: not run
  preflight_pyz:
    description:
      - amp-preflight.pyz on the controller. The action plugin reads it and passes its content;
        the module runs it when C(needed.install) is set.
    type: path
  preflight_pyz_content:
    description: The base64 content of I(preflight_pyz); the action plugin sets it.
    type: str
  preflight_ignore:
    description: Check names whose failure only warns (amp-preflight's C(--ignore)).
    type: list
    elements: str
    default: []
  preflight_python:
    description: Python on the host that runs amp-preflight.pyz.
    type: path
    default: /usr/bin/python3
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
  description: version ("" when not installed), selection (dpkg's, such as install or hold;
    on dnf hosts hold when versionlock locks a version, else "") and config_files_left (removed,
    configuration kept). On dnf hosts also versionlock_problem (why dnf cannot use its
    versionlock plugin, "" when it can) and locked_versions.
  returned: always
  type: dict
rpm_key_imported:
  description: Whether rpm's keyring holds I(rpm_key); null when it could not be told.
  returned: always
  type: bool
service:
  description: The output of C(ampctl status --json), or null when ampctl is not installed.
  returned: always
  type: dict
daemon:
  description: answered (whether the daemon answered), output of ampcli, log_tail when it did not.
  returned: always
  type: dict
preflight:
  description: verdict (pass, warn, fail or error), rc, failed (name, message, fix of each
    failed check) and stderr when amp-preflight gave no report; null when it did not run.
  returned: always
  type: dict
needed:
  description: install, files, rpm_key, hold, service (ampctl commands in order), answer, units.
  returned: always
  type: dict
drift:
  description: Whether anything in C(needed) is set.
  returned: always
  type: bool
ansible_facts:
  description: cisco_amp_report, with os, preflight_verdict, version, service_active and service_enabled.
  returned: always
  type: dict
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.cisco_amp_decisions import needed_changes, report, variable_problems
from ansible.module_utils.cisco_amp_host import (
    PACKAGE_MANAGERS,
    drifted_paths,
    read_daemon,
    read_os_release,
    read_package,
    read_service,
    rpm_key_imported,
)
from ansible.module_utils.cisco_amp_preflight import run_preflight

ARGUMENT_SPEC = dict(
    package_manager=dict(type="str", choices=["auto", "apt", "dnf"], default="auto"),
    expect=dict(type="list", elements="dict", default=[]),
    variable_errors=dict(type="list", elements="str", default=[]),
    target_version=dict(type="str", default=""),
    allow_downgrade=dict(type="bool", default=False),
    version_hold=dict(type="bool", default=False),
    repo_urls=dict(type="dict"),
    rpm_key=dict(type="path"),
    service_state=dict(type="str", choices=["started", "stopped", "disabled"], default="started"),
    init_running=dict(type="bool", default=True),
    verify=dict(type="bool", default=False),
    preflight_verdict=dict(type="str", default="not run"),
    preflight_pyz_content=dict(type="str", no_log=True),
    preflight_ignore=dict(type="list", elements="str", default=[]),
    preflight_python=dict(type="path", default="/usr/bin/python3"),
    ampctl=dict(type="path", default="/opt/cisco/amp/bin/ampctl"),
    ampcli=dict(type="path", default="/opt/cisco/amp/bin/ampcli"),
    daemon_timeout=dict(type="int", default=0),
    require_daemon=dict(type="bool", default=False),
    daemon_log=dict(type="path", default="/var/log/cisco/ampdaemon.log"),
    log_lines=dict(type="int", default=40),
)


def read_service_and_daemon(module, params, installed):
    if not (installed and params["init_running"]):
        return None, {"answered": False, "output": ""}
    service = read_service(module, params["ampctl"])
    daemon = read_daemon(module, service, params["ampcli"], params["daemon_timeout"],
                         params["daemon_log"], params["log_lines"])
    if daemon["answered"] and not (service or {}).get("daemon_responding"):
        # The daemon came up while the module waited: read the state again.
        service = read_service(module, params["ampctl"])
    return service, daemon


def read_package_checked(module, params):
    """Read the OS and the package, and fail when the variables do not fit this host."""
    os_info = read_os_release()
    manager = params["package_manager"]
    if manager == "auto":
        manager = PACKAGE_MANAGERS.get(os_info["family"], "unsupported")
    package = read_package(module, manager)
    problems = params["variable_errors"] + variable_problems(params, manager, os_info, package)
    if problems:
        module.fail_json(msg=" ".join(problems), os=os_info, package_manager=manager, package=package)
    return os_info, manager, package


def preflight_if_installing(module, params, needed):
    if not (needed["install"] and params["preflight_pyz_content"]):
        return None
    return run_preflight(module, params["preflight_pyz_content"], params["preflight_python"],
                         params["preflight_ignore"])


def fail_without_daemon(module, params, result):
    """Fail when the service runs but its daemon never responded to ampcli status."""
    service, daemon = result["service"], result["daemon"]
    if params["require_daemon"] and service and service.get("service_active") and not daemon["answered"]:
        # The message shows the log tail, so the result does not repeat it.
        tail = daemon.pop("log_tail", "")
        module.fail_json(
            msg="ampcli status got no answer from the daemon within {0} s. "
                "Last {1} lines of {2}:\n{3}".format(params["daemon_timeout"], params["log_lines"],
                                                      params["daemon_log"], tail),
            **result)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    os_info, manager, package = read_package_checked(module, params)

    service, daemon = read_service_and_daemon(module, params, package["version"])
    key_imported = rpm_key_imported(module, params["rpm_key"]) if manager == "dnf" else None
    needed = needed_changes(params, manager, package, drifted_paths(params["expect"], manager),
                            key_imported, service, daemon)
    preflight = preflight_if_installing(module, params, needed)
    verdict = preflight["verdict"] if preflight else params["preflight_verdict"]
    result = dict(
        changed=False,
        preflight=preflight,
        os=os_info,
        package_manager=manager,
        package=package,
        rpm_key_imported=key_imported,
        service=service,
        daemon=daemon,
        needed=needed,
        drift=any(needed.values()),
        ansible_facts=dict(cisco_amp_report=report(os_info, service, verdict)),
    )
    fail_without_daemon(module, params, result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
