"""Refresh the ClamAV definitions from a mirror, keeping the old ones on any failure.

The mirror serves the definition files and a ``SHA256SUMS`` list
(``<hex digest>  <file name>`` per line). A refresh downloads every listed
file into a staging directory beside the definitions directory, checks each
digest and the ``ClamAV-VDB:`` header of ``.cvd``/``.cld`` files, and only
then swaps the staging directory in with renames.
"""

import hashlib
import logging
import os
import re
import shutil
import urllib.request

from installer.hostfs import nearest_existing

LOG = logging.getLogger(__name__)
MIB = 1024 * 1024
# ClamAV definitions need up to 200 MB, the vendor's figure for the offline engine.
REQUIRED_BYTES = 200 * MIB
_SUMS_LINE = re.compile(r"^([0-9a-fA-F]{64})\s+\*?([A-Za-z0-9._-]+)$")
_SIGNED_SUFFIXES = (".cvd", ".cld")
_HEADER = b"ClamAV-VDB:"


class DefinitionsError(Exception):
    """A refresh that failed; the old definitions are still in place."""


def parse_sums(text):
    """Return [(file name, hex digest)] from SHA256SUMS text; raise on a bad line."""
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _SUMS_LINE.match(line.strip())
        if not match:
            raise DefinitionsError("invalid SHA256SUMS line {0}: {1!r}".format(number, line))
        entries.append((match.group(2), match.group(1).lower()))
    if not entries:
        raise DefinitionsError("SHA256SUMS lists no files")
    return entries


def _opener(proxy_url):
    handlers = []
    if proxy_url:
        handlers.append(urllib.request.ProxyHandler({"http": proxy_url, "https": proxy_url}))
    else:
        handlers.append(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener(*handlers)


def _fetch(opener, url, target, timeout):
    with opener.open(url, timeout=timeout) as response, open(target, "wb") as handle:
        shutil.copyfileobj(response, handle, 1024 * 1024)


def _digest(path):
    sha256 = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            sha256.update(block)
    return sha256.hexdigest()


def recover_interrupted_swap(directory):
    """Finish or undo a swap that a killed run left half done."""
    old, staging = directory + ".old", directory + ".new"
    if not os.path.isdir(directory) and os.path.isdir(old):
        os.rename(old, directory)
        LOG.warning("restored definitions from %s after an interrupted swap", old)
    for leftover in (old, staging):
        if os.path.isdir(leftover):
            shutil.rmtree(leftover)


def check_space(directory):
    parent = nearest_existing("/", directory)
    stats = os.statvfs(parent)
    free = stats.f_bavail * stats.f_frsize
    if free < REQUIRED_BYTES:
        raise DefinitionsError("only {0} MiB free on {1}; ClamAV definitions need {2} MiB: "
                               "free space there or move {3}".format(
                                   free // MIB, parent, REQUIRED_BYTES // MIB, directory))


def refresh_definitions(mirror, directory, timeout=30.0, proxy_url=""):
    """Replace the definitions in ``directory`` with the mirror's; return the file names."""
    recover_interrupted_swap(directory)
    check_space(directory)
    base = mirror.rstrip("/") + "/"
    opener = _opener(proxy_url)
    staging = directory + ".new"
    os.makedirs(staging, mode=0o755)
    try:
        sums_path = os.path.join(staging, "SHA256SUMS")
        try:
            _fetch(opener, base + "SHA256SUMS", sums_path, timeout)
            with open(sums_path, encoding="utf-8") as handle:
                entries = parse_sums(handle.read())
            for name, expected in entries:
                target = os.path.join(staging, name)
                _fetch(opener, base + name, target, timeout)
                actual = _digest(target)
                if actual != expected:
                    raise DefinitionsError("{0} from {1} has SHA-256 {2}, expected {3}".format(
                        name, mirror, actual, expected))
                if name.endswith(_SIGNED_SUFFIXES):
                    with open(target, "rb") as handle:
                        if not handle.read(len(_HEADER)) == _HEADER:
                            raise DefinitionsError("{0} from {1} is not a ClamAV database".format(
                                name, mirror))
        except (OSError, ValueError) as error:
            raise DefinitionsError("download from {0} failed: {1}".format(mirror, error))
        _swap_in(staging, directory)
        return [name for name, _digest_hex in entries]
    finally:
        if os.path.isdir(staging):
            shutil.rmtree(staging)


def _swap_in(staging, directory):
    old = directory + ".old"
    if os.path.isdir(directory):
        os.rename(directory, old)
    os.rename(staging, directory)
    if os.path.isdir(old):
        shutil.rmtree(old)
