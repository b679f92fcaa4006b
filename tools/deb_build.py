"""Build the DEB with dpkg-deb from the stage and the templates in deb/."""

import gzip
import hashlib
import shutil
import string
import subprocess
from pathlib import Path

from tools.scriptlets import write_scriptlets
from tools.version import REPO

DEB_DIR = REPO / "deb"
NAME = "ciscoampconnector"
DEB_SCRIPTS = ("preinst", "postinst", "prerm", "postrm")


def installed_size_kib(root):
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024 + 1


def write_md5sums(root, control_dir):
    lines = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and control_dir not in path.parents:
            digest = hashlib.md5(path.read_bytes()).hexdigest()
            lines.append(f"{digest}  {path.relative_to(root).as_posix()}\n")
    (control_dir / "md5sums").write_text("".join(lines))


def write_docs(root, version):
    doc_dir = root / "usr" / "share" / "doc" / NAME
    doc_dir.mkdir(parents=True)
    shutil.copy2(DEB_DIR / "copyright", doc_dir / "copyright")
    changelog = (
        f"{NAME} ({version}) stable; urgency=medium\n\n"
        f"  * Release {version}.\n\n"
        " -- ciscoampconnector maintainers <ciscoampconnector-maintainers@example.org>  "
        "Fri, 04 Dec 2026 00:00:00 +0000\n"
    )
    with gzip.GzipFile(doc_dir / "changelog.gz", "wb", mtime=0) as handle:
        handle.write(changelog.encode())
    overrides = root / "usr" / "share" / "lintian" / "overrides"
    overrides.mkdir(parents=True)
    shutil.copy2(DEB_DIR / "lintian-overrides", overrides / NAME)


def build_deb(stage_dir, lib_dir, work_dir, dist_dir, version):
    """Assemble the package tree in ``work_dir`` and build it into ``dist_dir``."""
    root = Path(work_dir) / "deb-root"
    shutil.copytree(stage_dir, root, symlinks=True)
    write_docs(root, version)
    control_dir = root / "DEBIAN"
    control_dir.mkdir()
    write_scriptlets(lib_dir, control_dir, "deb", DEB_SCRIPTS)
    template = string.Template((DEB_DIR / "control.in").read_text())
    (control_dir / "control").write_text(template.substitute(
        version=version, installed_size=installed_size_kib(root)))
    write_md5sums(root, control_dir)
    target = Path(dist_dir) / f"{NAME}_{version}_all.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(target)],
                   check=True, stdout=subprocess.DEVNULL)
    return target
