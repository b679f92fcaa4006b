"""Build the RPM with rpmbuild from rpm/ciscoampconnector.spec and the stage."""

import shutil
import subprocess
import tarfile
from pathlib import Path

from tools.scriptlets import write_scriptlets
from tools.version import REPO

SPEC = REPO / "rpm" / "ciscoampconnector.spec"
NAME = "ciscoampconnector"
RPM_SCRIPTLETS = ("pre", "post", "preun", "postun")


def make_source_tarball(stage_dir, sources_dir, version):
    top = f"{NAME}-{version}"
    tarball = sources_dir / f"{top}.tar.gz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.add(stage_dir, arcname=top)
    return tarball


def build_rpm(stage_dir, lib_dir, work_dir, dist_dir, version):
    """Run rpmbuild in ``work_dir`` and copy the binary RPM into ``dist_dir``."""
    topdir = Path(work_dir) / "rpmbuild"
    sources = topdir / "SOURCES"
    sources.mkdir(parents=True)
    make_source_tarball(stage_dir, sources, version)
    scriptlets = write_scriptlets(lib_dir, topdir / "scriptlets", "rpm", RPM_SCRIPTLETS)
    for script, path in scriptlets.items():
        shutil.copy2(path, sources / f"{NAME}-{script}.py")
    subprocess.run(
        ["rpmbuild", "-bb", "--quiet",
         "--define", f"_topdir {topdir}",
         "--define", f"amp_version {version}",
         str(SPEC)],
        check=True,
    )
    built = sorted((topdir / "RPMS" / "noarch").glob(f"{NAME}-{version}-*.rpm"))
    if len(built) != 1:
        raise RuntimeError(f"rpmbuild produced {len(built)} packages, expected 1: {built}")
    target = Path(dist_dir) / built[0].name
    shutil.copy2(built[0], target)
    return target
