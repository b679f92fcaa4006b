"""Build what the Molecule scenarios install: two package versions in signed repositories.

Usage: python3 build_artifacts.py OUT_DIR

OUT_DIR receives:
- ``dist/``: the RPM and DEB of the current version N and of an older N-1,
  and ``amp-preflight.pyz``;
- ``repos/``: the signed RPM and apt repositories of both versions and the
  public key ``cisco-amp-repo.asc``, signed with a throwaway key;
- ``testhost-provides.rpm``: the test-only RPM that declares the Debian test
  host's python3 to rpm;
- ``artifacts.json``: the versions and paths above.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tools.build_packages import build  # noqa: E402
from tools.repos import build_repos  # noqa: E402
from tools.version import package_version  # noqa: E402

PROVIDES_SPEC = REPO / "tests" / "e2e" / "rpm-host-provides.spec"


def previous_version(version):
    """Return a version that sorts just below ``version`` for both rpm and dpkg."""
    major, minor, patch = (int(part) for part in version.split("."))
    if patch:
        return f"{major}.{minor}.{patch - 1}"
    if minor:
        return f"{major}.{minor - 1}.99"
    if major:
        return f"{major - 1}.99.99"
    raise ValueError(f"no version below {version!r}: raise the version in the VERSION file")


def build_provides_rpm(out_dir):
    with tempfile.TemporaryDirectory(prefix="amp-provides-") as topdir:
        subprocess.run(
            ["rpmbuild", "-bb", "--quiet", "--define", f"_topdir {topdir}", str(PROVIDES_SPEC)],
            check=True,
        )
        built = next((Path(topdir) / "RPMS" / "noarch").glob("amp-testhost-provides-*.rpm"))
        target = out_dir / "testhost-provides.rpm"
        target.write_bytes(built.read_bytes())
    return target


def build_artifacts(out_dir):
    out_dir = Path(out_dir).resolve()
    dist = out_dir / "dist"
    current = package_version()
    older = previous_version(current)
    packages = {version: build(dist, version) for version in (older, current)}
    repos = build_repos(
        out_dir / "repos",
        rpms=[packages[version]["rpm"] for version in (older, current)],
        debs=[packages[version]["deb"] for version in (older, current)],
    )
    artifacts = {
        "version": current,
        "previous_version": older,
        "preflight_pyz": str(packages[current]["pyz"]),
        "packages": {
            version: {kind: str(path) for kind, path in built.items()} for version, built in packages.items()
        },
        "repos": {name: str(path) for name, path in repos.items()},
        "testhost_provides_rpm": str(build_provides_rpm(out_dir)),
    }
    (out_dir / "artifacts.json").write_text(json.dumps(artifacts, indent=2) + "\n")
    return artifacts


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(json.dumps(build_artifacts(sys.argv[1]), indent=2))
