"""Identify the distribution under a root, from the first file that names it.

Lookup order, each file read with symlinks resolved inside the root:

1. ``/etc/os-release``, then ``/usr/lib/os-release`` (os-release(5)); a file
   counts only if it is UTF-8 and sets ``ID``.
2. ``/etc/redhat-release``, then ``/etc/system-release``: the release line,
   its name mapped to an os-release ID by the supported-OS table.
3. ``/etc/lsb-release`` (``DISTRIB_ID`` and ``DISTRIB_RELEASE``).
4. ``/etc/debian_version``.

Where os-release gives only a major release (CentOS 7 writes ``VERSION_ID="7"``)
and a release-line file of the same distribution starts with it, the longer
version from that file is used, so minor-release rules can apply.

The result records every file tried and why it was passed over, so an
unidentified host can be reported with what was read.
"""

from installer.checks.os_rules import load_table
from installer.parsers.osrelease import (
    parse_debian_version, parse_os_release, parse_release_line,
)

OS_RELEASE_FILES = ("/etc/os-release", "/usr/lib/os-release")
RELEASE_LINE_FILES = ("/etc/redhat-release", "/etc/system-release")
LSB_RELEASE_FILE = "/etc/lsb-release"
DEBIAN_VERSION_FILE = "/etc/debian_version"
MISSING = "not found"


def _read(ctx, path, tried):
    """Return the text of ``path``, or None after noting in ``tried`` why not."""
    try:
        return ctx.read_text(path, limit=64 * 1024)
    except UnicodeDecodeError:
        tried.append({"path": path, "result": "not UTF-8 text"})
    except FileNotFoundError:
        tried.append({"path": path, "result": MISSING})
    except OSError as error:
        tried.append({"path": path, "result": error.strerror or str(error)})
    return None


def summarize_tried(tried):
    """Return the files passed over as one line: problems first, then the missing ones."""
    problems = ["{0}: {1}".format(entry["path"], entry["result"])
                for entry in tried if entry["result"] != MISSING]
    missing = [entry["path"] for entry in tried if entry["result"] == MISSING]
    if missing:
        problems.append("not found: " + ", ".join(missing))
    return "; ".join(problems) or "-"


def identity(distro_id, version, pretty_name, source, id_like=(), tried=()):
    return {"id": distro_id, "version": version, "pretty_name": pretty_name,
            "id_like": list(id_like), "source": source, "tried": list(tried)}


def id_for_release_name(name, table):
    """Return the os-release ID for a release-file name, longest prefix first, or ""."""
    for prefix, distro_id in sorted(table["release_file_names"], key=lambda item: -len(item[0])):
        if name.startswith(prefix):
            return distro_id
    return ""


def _from_os_release(ctx, tried):
    for path in OS_RELEASE_FILES:
        text = _read(ctx, path, tried)
        if text is None:
            continue
        variables = parse_os_release(text)
        distro_id = variables.get("ID", "").strip().lower()
        if not distro_id:
            tried.append({"path": path, "result": "no ID"})
            continue
        version = variables.get("VERSION_ID", "").strip()
        pretty = variables.get("PRETTY_NAME") or variables.get("NAME") or distro_id
        id_like = variables.get("ID_LIKE", "").lower().split()
        found = identity(distro_id, version, pretty.strip(), path, id_like, tried)
        found["version_id"] = version
        return found
    return None


def _refine_version(ctx, found, table):
    """Take the longer release number from a release-line file of the same distribution."""
    if not found["version"] or "." in found["version"]:
        return found
    for path in RELEASE_LINE_FILES:
        scratch = []
        text = _read(ctx, path, scratch)
        release = parse_release_line(text) if text else None
        if not release or id_for_release_name(release["name"], table) != found["id"]:
            continue
        if release["version"].split(".")[0] == found["version"]:
            found["version"] = release["version"]
            found["version_source"] = path
            return found
    return found


def _from_release_line(ctx, tried, table):
    for path in RELEASE_LINE_FILES:
        text = _read(ctx, path, tried)
        if text is None:
            continue
        release = parse_release_line(text)
        distro_id = id_for_release_name(release["name"], table) if release else ""
        if not distro_id:
            tried.append({"path": path, "result": "no known release line"})
            continue
        pretty = text.strip().split("\n")[0].strip()
        return identity(distro_id, release["version"], pretty, path, (), tried)
    return None


def _from_lsb_release(ctx, tried):
    text = _read(ctx, LSB_RELEASE_FILE, tried)
    if text is None:
        return None
    variables = parse_os_release(text)
    distro_id = variables.get("DISTRIB_ID", "").strip().lower().replace(" ", "")
    if not distro_id:
        tried.append({"path": LSB_RELEASE_FILE, "result": "no DISTRIB_ID"})
        return None
    version = variables.get("DISTRIB_RELEASE", "").strip()
    pretty = variables.get("DISTRIB_DESCRIPTION", "").strip() or "{0} {1}".format(
        variables["DISTRIB_ID"].strip(), version).strip()
    return identity(distro_id, version, pretty, LSB_RELEASE_FILE, (), tried)


def _from_debian_version(ctx, tried):
    text = _read(ctx, DEBIAN_VERSION_FILE, tried)
    if text is None:
        return None
    version = parse_debian_version(text)
    pretty = "Debian GNU/Linux {0}".format(version or text.strip().split("\n")[0][:40])
    return identity("debian", version, pretty.strip(), DEBIAN_VERSION_FILE, (), tried)


def identify(ctx, table=None):
    """Return the identity of the OS under ``ctx.root`` (cached on the context).

    The dict contains ``id``, ``version``, ``pretty_name``, ``id_like``, the
    ``source`` file, and ``tried``: the files passed over and why. ``id``
    is "" when no file names the host.
    """
    if "os" in ctx.cache:
        return ctx.cache["os"]
    table = table or load_table()
    tried = []
    found = _from_os_release(ctx, tried)
    if found:
        found = _refine_version(ctx, found, table)
    else:
        found = (_from_release_line(ctx, tried, table) or _from_lsb_release(ctx, tried)
                 or _from_debian_version(ctx, tried))
    result = found or identity("", "", "", None, (), tried)
    ctx.cache["os"] = result
    return result
