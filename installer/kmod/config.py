"""Settings of kernel-module handling: the proc root and the load and unload commands.

Each setting comes from the environment first, then from the ``[kmod]``
section of ``/opt/cisco/amp/etc/installer.conf``, then the default:

==================  =========================  ===============================
setting             environment variable       default
==================  =========================  ===============================
``proc_root``       ``AMP_PROC_ROOT``          ``/proc``
``load_command``    ``AMP_KMOD_LOAD_COMMAND``  ``/sbin/insmod {path}``
``unload_command``  ``AMP_KMOD_UNLOAD_COMMAND`` ``/sbin/rmmod {name}``
``module_dir``      ``AMP_KMOD_DIR``           ``/opt/cisco/amp/lib/modules``
==================  =========================  ===============================

Commands are split like a shell command line; ``{name}`` is replaced by the
module name and ``{path}`` by ``<module_dir>/<name>.ko``. The file lives in
the state directory, so the settings survive upgrades.
"""

import os

import configparser

from installer import paths

SETTINGS = {
    "proc_root": ("AMP_PROC_ROOT", "/proc"),
    "load_command": ("AMP_KMOD_LOAD_COMMAND", "/sbin/insmod {path}"),
    "unload_command": ("AMP_KMOD_UNLOAD_COMMAND", "/sbin/rmmod {name}"),
    "module_dir": ("AMP_KMOD_DIR", paths.KMOD_DIR),
}


class KmodConfig(object):
    def __init__(self, proc_root="/proc", load_command="/sbin/insmod {path}",
                 unload_command="/sbin/rmmod {name}", module_dir=paths.KMOD_DIR):
        self.proc_root = proc_root
        self.load_command = load_command
        self.unload_command = unload_command
        self.module_dir = module_dir

    @property
    def modules_file(self):
        return os.path.join(self.proc_root, "modules")

    def module_path(self, name):
        return os.path.join(self.module_dir, name + ".ko")


def read_file_settings(path):
    """Return the ``[kmod]`` settings of an installer.conf file ({} if missing)."""
    parser = configparser.ConfigParser()
    try:
        parser.read(path)
    except configparser.Error:
        return {}
    if not parser.has_section("kmod"):
        return {}
    return {key: value for key, value in parser.items("kmod") if key in SETTINGS}


def load_config(environ=None, config_file=paths.INSTALLER_CONFIG):
    environ = os.environ if environ is None else environ
    from_file = read_file_settings(config_file)
    values = {}
    for key, (variable, default) in SETTINGS.items():
        values[key] = environ.get(variable) or from_file.get(key) or default
    return KmodConfig(**values)
