"""Jinja2 templates of the connector's init files, one set for every consumer.

The package build renders them into ``/opt/cisco/amp/share/init/<init>/`` and
the Ansible role renders the same files with its template module. This module
only names them; rendering needs Jinja2, which managed hosts do not have.
"""

from installer import paths

# Template file -> (init system, rendered file name). Every rendered file
# starts with the managed-file marker, so removal deletes only these files.
TEMPLATES = {
    "cisco-amp.service.j2": ("systemd", paths.SYSTEMD_UNIT),
    "cisco-ampupdater.service.j2": ("systemd", paths.SYSTEMD_UPDATER_SERVICE),
    "cisco-ampupdater.timer.j2": ("systemd", paths.SYSTEMD_UPDATER_TIMER),
    "cisco-amp.conf.j2": ("upstart", paths.UPSTART_JOB),
    "cisco-ampupdater.conf.j2": ("upstart", paths.UPSTART_UPDATER_JOB),
    "cisco-amp.init.j2": ("sysv", paths.SERVICE_NAME),
    "cisco-ampupdater.cron.j2": ("cron", paths.CRON_FILE),
}


def default_context(amp_home=paths.AMP_HOME):
    """Return the variables every template expects."""
    return {
        "amp_home": amp_home,
        "service_name": paths.SERVICE_NAME,
        "updater_name": paths.UPDATER_NAME,
        "managed_marker": paths.MANAGED_MARKER,
    }
