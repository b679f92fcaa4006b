"""Jinja2 templates of the connector's init files, one set for every consumer.

The package build renders them into ``/opt/cisco/amp/share/init/`` and the
Ansible role renders the same files with its template module. This module
only names them; rendering needs Jinja2, which managed hosts do not have.
"""

from installer import paths

# Template file -> (init system, rendered file name).
TEMPLATES = {
    "cisco-amp.service.j2": ("systemd", "cisco-amp.service"),
}


def default_context(amp_home=paths.AMP_HOME):
    """Return the variables every template expects."""
    return {
        "amp_home": amp_home,
        "service_name": paths.SERVICE_NAME,
        "managed_marker": paths.MANAGED_MARKER,
    }
