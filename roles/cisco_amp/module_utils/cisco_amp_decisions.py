"""Decide, from a reading of the host, what the cisco_amp role has to change there.

Pure functions over the reading, so tests can call them without a host.
"""

import re

from ansible.module_utils.cisco_amp_host import PACKAGE


def version_tuple(text):
    match = re.match(r"(\d+)\.(\d+)\.(\d+)", text or "")
    return tuple(int(part) for part in match.groups()) if match else None


def variable_problems(request, manager, os_info, package):
    """Return what the role's variables ask for that this host cannot do, as messages."""
    installed = package["version"]
    if manager == "unsupported":
        return [
            'No package manager for OS "{0} {1}" (ID {2}): set cisco_amp_package_manager to apt or '
            "dnf.".format(os_info["name"], os_info["version_id"], os_info["id"] or "unknown")]
    problems = []
    urls = request["repo_urls"]
    if urls is not None and not urls.get(manager):
        problems.append(
            "{0} is empty: set it to your {1} repository, or set cisco_amp_package_file, or "
            "cisco_amp_repo_manage: false when the host already has the repository.".format(
                "cisco_amp_apt_repo_url" if manager == "apt" else "cisco_amp_rpm_repo_url",
                "apt" if manager == "apt" else "RPM"))
    if request["version_hold"] and manager == "dnf" and package.get("versionlock_problem"):
        problems.append(
            "cisco_amp_version_hold needs dnf's versionlock plugin, but {0}: install and enable "
            "python3-dnf-plugin-versionlock (dnf-plugins-core on Debian), or set "
            "cisco_amp_version_hold: false.".format(package["versionlock_problem"]))
    target, found = version_tuple(request["target_version"]), version_tuple(installed)
    if target and found and found > target and not request["allow_downgrade"]:
        problems.append(
            "The host has {0} {1}, newer than the requested {2}: set cisco_amp_allow_downgrade: "
            "true to downgrade.".format(PACKAGE, installed, request["target_version"]))
    return problems


def service_actions(service, state):
    """Return the ampctl commands that bring the service to ``state``, in order."""
    if not service:
        return []
    enabled = service.get("service_enabled") == "enabled"
    active = bool(service.get("service_active"))
    actions = []
    if state == "started":
        if not enabled:
            actions.append("enable")
        if not active:
            actions.append("start")
        return actions
    if active:
        actions.append("stop")
    if state == "disabled" and enabled:
        actions.append("disable")
    return actions


def hold_needed(request, manager, package, install):
    """Return whether the version hold (a dpkg selection or a dnf versionlock) must change."""
    if manager not in ("apt", "dnf") or not request["target_version"]:
        return False
    hold = request["version_hold"]
    is_held = package["selection"] == "hold"
    if hold != is_held:
        return True
    if manager == "apt":
        # dpkg_selections changes nothing where the hold is in place already.
        return hold and install
    # A dnf lock on any other version than the installed one is stale. After
    # an install that changed the version, install.yml locks again.
    return hold and package.get("locked_versions") != [package["version"]]


def needed_changes(request, manager, package, drifted, rpm_key_imported, service, daemon):
    """Return what differs from ``request``; every value is false or empty on a host that matches."""
    target = request["target_version"]
    install = bool(target) and (target == "latest" or package["version"] != target)
    return {
        "install": install,
        "files": drifted,
        "rpm_key": request["repo_urls"] is not None and manager == "dnf" and not rpm_key_imported,
        "hold": hold_needed(request, manager, package, install),
        "service": service_actions(service, request["service_state"]) if request["init_running"] else [],
        "answer": request["verify"] and not daemon["answered"],
        "units": not request["init_running"],
    }


def report(os_info, service, preflight_verdict):
    """Return the role's per-host report (the fact cisco_amp_report) from a reading."""
    return {
        "os": " ".join(part for part in (os_info["name"] or "unknown", os_info["version_id"]) if part),
        "preflight_verdict": preflight_verdict,
        "version": service["version"] if service else "not installed",
        "service_active": bool(service and service.get("service_active")),
        "service_enabled": service["service_enabled"] if service else "not-installed",
    }
