"""Lay out the files both packages install, from one source: the staged payload.

The stage is a directory tree rooted at ``/``: ``opt/cisco/amp/...`` and the
``usr/sbin`` symlinks. The RPM and the DEB are both built from it, so they
cannot drift apart.
"""

import shutil
from pathlib import Path

import distro
import jinja2

from installer import paths
from installer.service_units import TEMPLATES, default_context
from tools.catalogs import compile_catalogs
from tools.version import REPO

LIB_PYTHON = "lib/python"
# Commands the package puts on PATH: name -> module whose main() runs.
INSTALLER_COMMANDS = {
    "amp-preflight": "installer.preflight",
    "ampctl": "installer.ampctl.cli",
    "ampupdater": "installer.updater.main",
}
SBIN_LINKS = ("amp-preflight", "ampctl")
# Templates are rendered at build time into share/init, so hosts need no *.j2.
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.po", "*.pot", "*.j2", "*.default")

LAUNCHER = '''#!/usr/bin/python3
"""Run {module} from the package's own library directory."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "lib", "python"))

from {module} import main  # noqa: E402

sys.exit(main())
'''


def write_version(package_dir, version):
    (package_dir / "_version.py").write_text(f'__version__ = "{version}"\n')


def copy_python_packages(lib_dir, version):
    """Copy our two packages and the bundled ``distro`` into ``lib_dir``."""
    compile_catalogs()
    for name in ("installer", "payload/ampconnector"):
        source = REPO / name
        target = lib_dir / source.name
        shutil.copytree(source, target, ignore=_IGNORE)
        write_version(target, version)
    shutil.copytree(Path(distro.__file__).parent, lib_dir / "distro", ignore=_IGNORE)


def render_init_files(share_dir):
    """Render every service-unit template into ``share/init/<init system>/``."""
    templates_dir = REPO / "installer" / "service_units"
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    context = default_context()
    for template_name, (init_system, file_name) in TEMPLATES.items():
        target = share_dir / "init" / init_system / file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        text = environment.get_template(template_name).render(context)
        target.write_text(text)
        # The SysV script and the cron file are programs; the scriptlets copy them as they are.
        target.chmod(0o755 if text.startswith("#!") else 0o644)


def write_launchers(bin_dir):
    for source in sorted((REPO / "payload" / "bin").iterdir()):
        shutil.copy2(source, bin_dir / source.name)
        (bin_dir / source.name).chmod(0o755)
    for command, module in INSTALLER_COMMANDS.items():
        launcher = bin_dir / command
        launcher.write_text(LAUNCHER.format(module=module))
        launcher.chmod(0o755)


def stage_payload(stage_dir, version):
    """Create the install tree under ``stage_dir`` and return it."""
    stage_dir = Path(stage_dir)
    home = stage_dir / paths.AMP_HOME.lstrip("/")
    bin_dir = home / "bin"
    bin_dir.mkdir(parents=True)
    lib_dir = home / LIB_PYTHON
    lib_dir.mkdir(parents=True)
    copy_python_packages(lib_dir, version)
    write_launchers(bin_dir)
    share_dir = home / "share"
    render_init_files(share_dir)
    shutil.copy2(REPO / "payload" / "amp.conf.default", share_dir / "amp.conf.default")
    shutil.copy2(REPO / "installer" / "updater" / "updater.conf.default",
                 share_dir / "updater.conf.default")
    sbin = stage_dir / "usr" / "sbin"
    sbin.mkdir(parents=True)
    for command in SBIN_LINKS:
        # Absolute, as Debian Policy 10.5 requires for links between top-level directories.
        (sbin / command).symlink_to(f"{paths.AMP_BIN}/{command}")
    return stage_dir
