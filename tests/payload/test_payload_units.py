"""Pure functions of the payload: configuration, faults, status text and restart backoff."""

import pytest

from ampconnector import cloud
from ampconnector.config import (
    ConfigError, format_endpoint, parse_config, parse_config_keeping, parse_endpoint,
)
from ampconnector.faults import parse_faults
from ampconnector.identity import IdentityError, parse_identity
from ampconnector.monitor import Supervisor, describe_exit
from ampconnector.status import build_status, format_faults, format_status_lines


def test_config_defaults_for_empty_text():
    config = parse_config("")

    assert config.mode == "audit"
    assert config.endpoints == []
    assert config.proxy_url == ""
    assert config.check_interval == 30.0


def test_config_all_keys():
    config = parse_config(
        "[policy]\nmode = Protect\n"
        "[cloud]\nendpoints = cloud.example.com:443, [2001:db8::1]:8443\ncheck_interval = 5\n"
        "[proxy]\nurl = http://proxy.example.com:3128\n")

    assert config.mode == "protect"
    assert config.endpoints == [("cloud.example.com", 443), ("2001:db8::1", 8443)]
    assert config.check_interval == 5.0
    assert config.proxy_url == "http://proxy.example.com:3128"


@pytest.mark.parametrize("text, fragment", [
    ("[policy]\nmode = paranoid\n", "invalid [policy] mode"),
    ("[cloud]\nendpoints = example.com\n", "expected host:port"),
    ("[cloud]\nendpoints = example.com:0\n", "port must be a number"),
    ("[cloud]\nendpoints = example.com:https\n", "port must be a number"),
    ("[cloud]\nendpoints = 2001:db8::1:443\n", "[address]:port"),
    ("[cloud]\ncheck_interval = 0\n", "invalid [cloud] check_interval"),
    ("[cloud]\ncheck_interval = soon\n", "invalid [cloud] check_interval"),
    ("[policy\nmode = audit\n", "invalid configuration file"),
    ("mode = audit\n", "invalid configuration file"),
])
def test_config_invalid_values_rejected(text, fragment):
    with pytest.raises(ConfigError) as excinfo:
        parse_config(text, source="amp.conf")

    assert fragment in str(excinfo.value)


def test_config_keeping_replaces_only_invalid_settings():
    current = parse_config("[cloud]\nendpoints = old.example:443\n")
    text = "[policy]\nmode = protect\n[cloud]\nendpoints = new.example:0\n"

    config, errors = parse_config_keeping(text, current, source="amp.conf")

    assert config.mode == "protect"
    assert config.endpoints == [("old.example", 443)]
    assert config.invalid_settings == ("endpoints",)
    assert len(errors) == 1
    assert "port must be a number" in errors[0]


def test_status_names_invalid_endpoints():
    offline = build_status(cloud.NOT_CONFIGURED, "audit", [], "1.0.0", None, 42, endpoints_invalid=True)
    unconfigured = build_status(cloud.NOT_CONFIGURED, "audit", [], "1.0.0", None, 42)
    assert offline["status"] == "Offline (invalid cloud endpoint in amp.conf; see Faults)"
    assert unconfigured["status"] == "Offline (no cloud endpoint configured)"


def test_config_keeping_syntax_error_keeps_everything():
    current = parse_config("[policy]\nmode = protect\n")

    config, errors = parse_config_keeping("[policy\nmode = audit\n", current)

    assert config is current
    assert "invalid configuration file" in errors[0]


@pytest.mark.parametrize("endpoint", [("cloud.example.com", 443), ("2001:db8::1", 8443)])
def test_endpoint_format_round_trip(endpoint):
    assert parse_endpoint(format_endpoint(endpoint)) == endpoint


def test_faults_parsed_with_default_message():
    faults = parse_faults('[{"id": "ebpf_unavailable"}, {"id": "x", "message": "m"}]')

    assert faults == [{"id": "ebpf_unavailable", "message": ""}, {"id": "x", "message": "m"}]


@pytest.mark.parametrize("text", ['{"id": "x"}', '[{"message": "m"}]', '[{"id": ""}]',
                                  '[{"id": "x", "message": 3}]', "not json"])
def test_faults_invalid_rejected(text):
    with pytest.raises(ValueError):
        parse_faults(text)


@pytest.mark.parametrize("text", ["{}", '{"uuid": 5}', '{"uuid": "not-a-uuid"}', "[]", "{"])
def test_identity_invalid_rejected(text):
    with pytest.raises(IdentityError):
        parse_identity(text, "identity.json")


def test_status_lines_for_protect_with_faults():
    response = build_status(cloud.CONNECTED, "protect",
                            [{"id": "a", "message": ""}, {"id": "b", "message": ""}],
                            "1.2.3", "0b7e6a52-3c4f-4f0e-9d6a-2f1c8e5b7a90", 42)

    lines = format_status_lines(response)

    assert lines == [
        "Status: Connected",
        "Mode: Protect",
        "Scan: Ready for scan",
        "Last Scan: Never",
        "Policy: Protect Policy for Secure Endpoint Linux (#2)",
        "Faults: a, b",
        "Version: 1.2.3",
        "Identity: 0b7e6a52-3c4f-4f0e-9d6a-2f1c8e5b7a90",
    ]


def test_status_missing_identity_shown_unknown():
    response = build_status(cloud.CHECKING, "audit", [], "1.0.0", None, 42)

    assert "Identity: Unknown" in format_status_lines(response)
    assert response["status"] == "Connecting"


def test_faults_none_when_empty():
    assert format_faults([]) == "None"


def _supervisor(restart_delay=1.0, max_restart_delay=30.0, stable_after=60.0):
    return Supervisor(command=["true"], env={}, flags=None, restart_delay=restart_delay,
                      max_restart_delay=max_restart_delay, stable_after=stable_after,
                      stop_timeout=10.0)


def test_backoff_doubles_to_max():
    supervisor = _supervisor()

    delays = [supervisor._schedule_restart(runtime=0.5) for _ in range(8)]

    assert delays == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]


def test_backoff_resets_after_stable_run():
    supervisor = _supervisor()
    for _ in range(4):
        supervisor._schedule_restart(runtime=0.5)

    assert supervisor._schedule_restart(runtime=60.0) == 1.0
    assert supervisor._schedule_restart(runtime=0.5) == 2.0


@pytest.mark.parametrize("returncode, text", [
    (0, "exited with status 0"), (3, "exited with status 3"), (-9, "was killed by SIGKILL")])
def test_describe_exit(returncode, text):
    assert describe_exit(returncode) == text
