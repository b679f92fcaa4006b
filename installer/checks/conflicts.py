"""The ``conflicts`` check: other endpoint agents, fanotify users, SELinux, AppArmor and fapolicyd.

Running processes are read from ``/proc`` under the root; a tree without
``/proc`` (an image) has no processes to examine, which is reported as
unknown. Finding a fanotify user needs root, because it reads every
process's file descriptors.
"""

import json
import os
import pkgutil

from installer.checks.model import PASS, UNKNOWN, WARN, combine_findings
from installer.checks.processes import list_processes, uses_fanotify
from installer.i18n import _

NAME = "conflicts"
OWN_PROCESSES = ("ampdaemon", "ampmon")
COMM_LENGTH = 15


def load_agents():
    data = pkgutil.get_data("installer", "data/known_agents.json")
    return {agent["process"][:COMM_LENGTH]: agent["product"]
            for agent in json.loads(data.decode("utf-8"))["agents"]}


def _process_findings(ctx, facts):
    processes, has_proc = list_processes(ctx)
    if not has_proc:
        return [(UNKNOWN, _("No running processes to examine under {root}.").format(
            root=ctx.root), _("Run amp-preflight on the booted host."))]
    agents = load_agents()
    findings = []
    own_pid = os.getpid() if ctx.is_live else None
    unreadable = 0
    for pid, comm in processes:
        if comm in agents:
            facts["agents"].append({"pid": pid, "process": comm, "product": agents[comm]})
            findings.append((WARN, _("{product} is running ({process}, PID {pid}): two endpoint "
                                     "agents scanning the same files slow the host and can block "
                                     "each other.").format(product=agents[comm], process=comm,
                                                           pid=pid),
                             _("Exclude /opt/cisco/amp in {product} and exclude its directories "
                               "in the connector's policy, or remove one of the two.").format(
                                 product=agents[comm])))
            continue
        if pid == own_pid or comm in OWN_PROCESSES or comm == "fapolicyd":
            continue
        fanotify = uses_fanotify(ctx, pid)
        if fanotify is None:
            unreadable += 1
        elif fanotify:
            facts["fanotify_users"].append({"pid": pid, "process": comm})
            findings.append((WARN, _("{process} (PID {pid}) watches files with fanotify, as the "
                                     "connector will.").format(process=comm, pid=pid),
                             _("Check that {process} does not block access to /opt/cisco/amp, "
                               "or exclude that directory in it.").format(process=comm)))
    if "fapolicyd" in (comm for _pid, comm in processes):
        facts["fapolicyd"] = True
        findings.append((WARN, _("fapolicyd is running: it stops programs it does not trust from "
                                 "running."),
                         _("If the connector does not start, trust its files with fapolicyd-cli "
                           "--file add /opt/cisco/amp/ and then fapolicyd-cli --update.")))
    if unreadable and ctx.euid != 0:
        findings.append((UNKNOWN, _("Could not look for other fanotify users: reading the file "
                                    "descriptors of {count} processes needs root.").format(
                                        count=unreadable),
                         _("Run amp-preflight as root.")))
    return findings


def _read_flag(ctx, path):
    try:
        return ctx.read_text(path, limit=4096).strip()
    except (OSError, UnicodeDecodeError):
        return None


def _selinux_findings(ctx, facts):
    enforce = _read_flag(ctx, "/sys/fs/selinux/enforce")
    mode = {"1": "enforcing", "0": "permissive"}.get(enforce, "disabled")
    facts["selinux"] = mode
    if mode == "disabled":
        return []
    # NOTE: the reference connector runs as unconfined_service_t under systemd,
    # so enforcing mode is reported but does not warn.
    return [(PASS, _("SELinux is {mode}.").format(mode=mode), None)]


def _apparmor_findings(ctx, facts):
    enabled = _read_flag(ctx, "/sys/module/apparmor/parameters/enabled")
    if enabled != "Y":
        facts["apparmor"] = "disabled"
        return []
    facts["apparmor"] = "enabled"
    profiles = _read_flag(ctx, "/sys/kernel/security/apparmor/profiles")
    if profiles is None:
        return [(PASS, _("AppArmor is enabled; its profiles could not be read."), None)]
    confining = [line.strip() for line in profiles.splitlines()
                 if line.startswith("/opt/cisco/amp") and "(unconfined)" not in line]
    if not confining:
        return [(PASS, _("AppArmor is enabled and no profile confines the connector."), None)]
    facts["apparmor_profiles"] = confining
    return [(WARN, _("AppArmor profiles confine the connector: {profiles}.").format(
        profiles=", ".join(confining)),
        _("Put these profiles in complain mode with aa-complain, or remove them."))]


def check_conflicts(ctx):
    facts = {"agents": [], "fanotify_users": []}
    findings = (_process_findings(ctx, facts) + _selinux_findings(ctx, facts)
                + _apparmor_findings(ctx, facts))
    if not any(status != PASS for status, _message, _fix in findings):
        findings.insert(0, (PASS, _("No other endpoint agent or fanotify user is running."),
                            None))
    return combine_findings(NAME, findings, facts)
