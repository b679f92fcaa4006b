"""ClamAV definitions refresh against local mirrors: good, corrupt and unreachable."""

import hashlib
import http.server
import socket
import threading

import pytest

from installer.updater.definitions import (
    DefinitionsError, parse_sums, recover_interrupted_swap, refresh_definitions,
)

GOOD_FILES = {"main.cvd": b"ClamAV-VDB:main header\x00body", "daily.cvd": b"ClamAV-VDB:daily\x00x"}


def make_mirror(directory, files, corrupt=None):
    directory.mkdir(parents=True)
    lines = []
    for name, content in files.items():
        (directory / name).write_bytes(content)
        digest = hashlib.sha256(content).hexdigest()
        lines.append("{0}  {1}".format(digest, name))
    (directory / "SHA256SUMS").write_text("\n".join(lines) + "\n")
    if corrupt:
        (directory / corrupt).write_bytes(b"ClamAV-VDB:tampered")
    return directory


def installed_definitions(tmp_path):
    target = tmp_path / "clamav"
    target.mkdir()
    (target / "main.cvd").write_bytes(b"ClamAV-VDB:old main")
    return target


def test_good_mirror_replaces_definitions(tmp_path):
    mirror = make_mirror(tmp_path / "mirror", GOOD_FILES)
    target = installed_definitions(tmp_path)
    names = refresh_definitions(mirror.as_uri(), str(target))
    assert sorted(names) == ["daily.cvd", "main.cvd"]
    assert (target / "main.cvd").read_bytes() == GOOD_FILES["main.cvd"]
    assert not (tmp_path / "clamav.new").exists()
    assert not (tmp_path / "clamav.old").exists()


def test_corrupt_file_keeps_old_definitions(tmp_path):
    mirror = make_mirror(tmp_path / "mirror", GOOD_FILES, corrupt="daily.cvd")
    target = installed_definitions(tmp_path)
    with pytest.raises(DefinitionsError) as error:
        refresh_definitions(mirror.as_uri(), str(target))
    assert "daily.cvd" in str(error.value)
    assert (target / "main.cvd").read_bytes() == b"ClamAV-VDB:old main"
    assert not (tmp_path / "clamav.new").exists()


def test_non_clamav_file_rejected(tmp_path):
    mirror = make_mirror(tmp_path / "mirror", {"main.cvd": b"<html>captive portal</html>"})
    target = installed_definitions(tmp_path)
    with pytest.raises(DefinitionsError) as error:
        refresh_definitions(mirror.as_uri(), str(target))
    assert "not a ClamAV database" in str(error.value)
    assert (target / "main.cvd").read_bytes() == b"ClamAV-VDB:old main"


def unused_loopback_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_mirror_keeps_old_definitions(tmp_path):
    target = installed_definitions(tmp_path)
    mirror = "http://127.0.0.1:{0}/clamav".format(unused_loopback_port())
    with pytest.raises(DefinitionsError) as error:
        refresh_definitions(mirror, str(target), timeout=2)
    assert "download from" in str(error.value)
    assert (target / "main.cvd").read_bytes() == b"ClamAV-VDB:old main"


@pytest.fixture
def http_mirror(tmp_path):
    """Serve a good mirror over HTTP on 127.0.0.1 for the duration of a test."""
    root = make_mirror(tmp_path / "served", GOOD_FILES)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:{0}/".format(server.server_address[1])
    server.shutdown()
    server.server_close()


def test_http_mirror_on_loopback(tmp_path, http_mirror):
    target = installed_definitions(tmp_path)
    refresh_definitions(http_mirror, str(target))
    assert (target / "daily.cvd").read_bytes() == GOOD_FILES["daily.cvd"]


def test_interrupted_swap_restores_old(tmp_path):
    (tmp_path / "clamav.old").mkdir()
    (tmp_path / "clamav.old" / "main.cvd").write_bytes(b"ClamAV-VDB:old")
    (tmp_path / "clamav.new").mkdir()
    recover_interrupted_swap(str(tmp_path / "clamav"))
    assert (tmp_path / "clamav" / "main.cvd").read_bytes() == b"ClamAV-VDB:old"
    assert not (tmp_path / "clamav.new").exists()


@pytest.mark.parametrize("text", ["", "nothex  main.cvd\n", "{0}  ../etc/passwd\n".format("a" * 64)])
def test_parse_sums_rejects_bad_lists(text):
    with pytest.raises(DefinitionsError):
        parse_sums(text)
