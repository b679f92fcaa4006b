"""The pure parsers: known inputs, and Hypothesis fuzzing for crashes.

Every parser must turn any text into data or, for the endpoint parsers,
raise EndpointError; no other exception may escape.
"""

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from installer.checks import os_rules
from installer.checks.existing_install import parse_version_file
from installer.checks.model import STATUSES, HostContext
from installer.checks.os_identity import check_os
from installer.parsers import container, dpkg_status, endpoints, kernel, meminfo, mounts, osrelease

# Text that looks like the files being parsed, so fuzzing reaches past the first check.
LINE_ALPHABET = st.characters(blacklist_categories=("Cs",))
KEYS = st.sampled_from(["ID", "VERSION_ID", "PRETTY_NAME", "ID_LIKE", "NAME", "DISTRIB_ID",
                        "MemTotal", "MemAvailable", "Package", "Status", "Version", "=", ""])
VALUES = st.one_of(st.text(LINE_ALPHABET, max_size=30),
                   st.from_regex(r'"[^"]{0,20}"?', fullmatch=True),
                   st.from_regex(r"[0-9]{1,6}(\.[0-9]{1,4}){0,3}", fullmatch=True))
LINES = st.lists(st.tuples(KEYS, st.sampled_from(["=", ":", " ", "\t", ": "]), VALUES).map(
    lambda parts: "".join(parts)), max_size=12).map("\n".join)
TEXT = st.one_of(st.text(LINE_ALPHABET, max_size=300), LINES)


@given(TEXT)
def test_fuzz_parse_os_release(text):
    variables = osrelease.parse_os_release(text)
    assert all(isinstance(key, str) and isinstance(value, str)
               for key, value in variables.items())


@given(TEXT)
def test_fuzz_parse_release_line(text):
    release = osrelease.parse_release_line(text)
    assert release is None or release["version"][0].isdigit()


@given(TEXT)
def test_fuzz_parse_debian_version(text):
    assert isinstance(osrelease.parse_debian_version(text), str)


@given(st.one_of(st.text(LINE_ALPHABET, max_size=60),
                 st.from_regex(r"[0-9]{1,4}\.[0-9]{1,4}(\.[0-9]{1,4})?[-+.a-z0-9_]{0,30}",
                               fullmatch=True)))
def test_fuzz_parse_kernel_release(text):
    version = kernel.parse_kernel_release(text)
    assert version is None or (len(version) == 3 and all(part >= 0 for part in version))


MOUNT_LINES = st.lists(st.tuples(
    st.sampled_from(["/dev/sda1", "tmpfs", "overlay", "", "a\\040b"]),
    st.sampled_from(["/", "/opt", "/opt/", "/var/log", "relative", "/mnt/my\\040disk", "/\\134x"]),
    st.sampled_from(["ext4", "xfs", "tmpfs", ""]),
    st.sampled_from(["rw", "ro,noexec", "rw,nosuid,nodev", ",", ""]),
).map(" ".join), max_size=10).map("\n".join)


@given(st.one_of(MOUNT_LINES, TEXT), st.text(LINE_ALPHABET, max_size=40).map(lambda t: "/" + t))
def test_fuzz_parse_mounts_and_lookup(text, path):
    table = mounts.parse_mounts(text)
    assert all(mount.mount_point.startswith("/") for mount in table)
    found = mounts.mount_for(table, path)
    assert found is None or found in table


@given(TEXT)
def test_fuzz_parse_meminfo(text):
    values = meminfo.parse_meminfo(text)
    assert all(isinstance(value, int) and value >= 0 for value in values.values())


@given(TEXT, st.sampled_from(["ciscoampconnector", "Package", ""]))
def test_fuzz_parse_dpkg_stanza(text, package):
    stanza = dpkg_status.parse_dpkg_stanza(text, package)
    assert stanza is None or stanza.get("Package") == package
    if stanza:
        assert isinstance(dpkg_status.parse_dpkg_state(stanza.get("Status", "")), str)


@given(st.one_of(st.text(LINE_ALPHABET, max_size=60),
                 st.from_regex(r"\[?[0-9a-f:.]{0,20}\]?(:[0-9]{0,6})?", fullmatch=True),
                 st.from_regex(r"[a-z.-]{0,20}(:[0-9]{0,6})?", fullmatch=True)))
def test_fuzz_parse_endpoint(text):
    try:
        endpoint = endpoints.parse_endpoint(text)
    except endpoints.EndpointError:
        return
    assert 1 <= endpoint.port <= 65535
    assert endpoint.host
    assert endpoints.parse_endpoint(endpoints.format_endpoint(endpoint)) == endpoint


@given(st.one_of(st.text(LINE_ALPHABET, max_size=60),
                 st.from_regex(r"(https?://)?([a-z]{0,5}(:[a-z]{0,5})?@)?[a-z0-9.\[\]:]{0,20}"
                               r"(:[0-9]{0,6})?/?", fullmatch=True)))
def test_fuzz_parse_proxy_url(text):
    try:
        proxy = endpoints.parse_proxy_url(text)
    except endpoints.EndpointError:
        return
    assert proxy.host
    assert 1 <= proxy.port <= 65535
    assert "@" not in endpoints.format_proxy(proxy)


@given(st.one_of(TEXT, st.text(LINE_ALPHABET, max_size=60).map(
    lambda value: "[cloud]\nendpoints = " + value + "\n[proxy]\nurl = " + value)))
def test_fuzz_parse_amp_conf(text):
    try:
        found, proxy = endpoints.parse_amp_conf(text)
    except endpoints.EndpointError:
        return
    assert all(item.strip() == item and item for item in found)
    assert isinstance(proxy, str)


@given(TEXT)
def test_fuzz_container_parsers(text):
    for parse in (container.container_from_environ, container.container_from_marker,
                  container.container_from_cgroup):
        assert isinstance(parse(text), str)


@given(TEXT)
def test_fuzz_parse_version_file(text):
    assert isinstance(parse_version_file(text), str)


@given(st.text(LINE_ALPHABET, max_size=20), st.text(LINE_ALPHABET, max_size=20))
def test_fuzz_version_compare(host, minimum):
    assert isinstance(os_rules.version_at_least(host, minimum), bool)
    assert isinstance(os_rules.version_matches(minimum, host), bool)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(
    ["etc/os-release", "usr/lib/os-release", "etc/redhat-release", "etc/lsb-release",
     "etc/debian_version", "etc/system-release"]))
def test_fuzz_os_check_on_any_file(data, relative):
    with tempfile.TemporaryDirectory() as root:
        path = Path(root) / relative
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        result = check_os(HostContext(root=root, machine="x86_64"))
    assert result.status in STATUSES
    assert result.message


@pytest.mark.parametrize("text,expected", [
    ('ID="rhel"\nVERSION_ID="8.9"\n', {"ID": "rhel", "VERSION_ID": "8.9"}),
    ("ID='sles'\n", {"ID": "sles"}),
    ('PRETTY_NAME="Debian \\"quoted\\""\n', {"PRETTY_NAME": 'Debian "quoted"'}),
    ('BROKEN="unterminated\nID=x\n', {"ID": "x"}),
    ("  # comment\n\n1BAD=x\nID=ok\n", {"ID": "ok"}),
])
def test_parse_os_release_quoting(text, expected):
    assert osrelease.parse_os_release(text) == expected


@pytest.mark.parametrize("text,name,version", [
    ("CentOS Linux release 7.9.2009 (Core)\n", "CentOS Linux", "7.9.2009"),
    ("Amazon Linux AMI release 2018.03\n", "Amazon Linux AMI", "2018.03"),
    ("Red Hat Enterprise Linux Server release 6.10 (Santiago)", "Red Hat Enterprise Linux Server",
     "6.10"),
])
def test_parse_release_line_known(text, name, version):
    release = osrelease.parse_release_line(text)
    assert release["name"] == name
    assert release["version"] == version


def test_parse_mounts_unescapes_and_keeps_order():
    table = mounts.parse_mounts("/dev/a / ext4 rw 0 0\n/dev/b /mnt/my\\040disk xfs ro,noexec 0 0\n"
                                "tmpfs /mnt/my\\040disk tmpfs rw 0 0\n")
    assert table[1].mount_point == "/mnt/my disk"
    assert "noexec" in table[1].options
    assert mounts.mount_for(table, "/mnt/my disk/x").fstype == "tmpfs"
    assert mounts.mount_for(table, "/mnt/my diskette").fstype == "ext4"


def test_parse_meminfo_units():
    assert meminfo.parse_meminfo("MemTotal: 16 kB\nHugePages_Free: 3\nBad: x kB\n") == {
        "MemTotal": 16384, "HugePages_Free": 3}


@pytest.mark.parametrize("text,expected", [
    ("cloud.example", ("cloud.example", 443)),
    ("cloud.example:8443", ("cloud.example", 8443)),
    ("[2001:db8::1]:443", ("2001:db8::1", 443)),
    ("[::1]", ("::1", 443)),
])
def test_parse_endpoint_known(text, expected):
    assert tuple(endpoints.parse_endpoint(text)) == expected


@pytest.mark.parametrize("text", ["", ":443", "host:0", "host:65536", "2001:db8::1",
                                  "[not-ipv6]:443", "bad host:443", "host:44x"])
def test_parse_endpoint_rejects(text):
    with pytest.raises(endpoints.EndpointError):
        endpoints.parse_endpoint(text)


def test_parse_proxy_url_credentials_hidden():
    proxy = endpoints.parse_proxy_url("http://user:p%40ss@proxy.example:8080")
    assert proxy.password == "p@ss"
    assert endpoints.format_proxy(proxy) == "http://proxy.example:8080"


@pytest.mark.parametrize("text", ["https://proxy:3128", "http://", "http://proxy:99999",
                                  "http://proxy:"])
def test_parse_proxy_url_rejects(text):
    with pytest.raises(endpoints.EndpointError):
        endpoints.parse_proxy_url(text)
