"""Updater policy and settings: which version a run picks, and invalid settings."""

import pytest

from installer.updater.settings import Settings, SettingsError, parse_settings
from installer.updater.versions import VersionError, choose_target, parse_version

AVAILABLE = ["1.0.0", "1.1.0", "1.2.0"]


def settings_for(policy="latest", version=None, max_version=None):
    settings = Settings()
    settings.policy = policy
    settings.version = version
    settings.max_version = max_version
    return settings


@pytest.mark.parametrize("text,expected", [
    ("1.2.3", (1, 2, 3)), ("1.2.3-1", (1, 2, 3)), ("0:1.10.0-1.el8", (1, 10, 0)), ("2", (2,)),
])
def test_parse_version_accepts_package_forms(text, expected):
    assert parse_version(text) == expected


@pytest.mark.parametrize("text", ["", "latest", "1.2.x", "v1.2"])
def test_parse_version_rejects_garbage(text):
    with pytest.raises(VersionError):
        parse_version(text)


def test_latest_picks_newest():
    assert choose_target("1.0.0", AVAILABLE, settings_for())[0] == "1.2.0"


def test_latest_compares_numerically():
    assert choose_target("1.9.0", ["1.10.0", "1.9.0"], settings_for())[0] == "1.10.0"


def test_latest_skips_failed_version():
    target, reason = choose_target("1.1.0", AVAILABLE, settings_for(), failed=["1.2.0"])
    assert target is None
    assert "1.2.0" in reason


def test_newer_than_failed_is_taken():
    target, _reason = choose_target("1.1.0", AVAILABLE + ["1.3.0"], settings_for(),
                                    failed=["1.2.0"])
    assert target == "1.3.0"


def test_pin_stays_at_pin():
    assert choose_target("1.1.0", AVAILABLE, settings_for("pin", version="1.1.0"))[0] is None


def test_pin_moves_up_to_pin_only():
    assert choose_target("1.0.0", AVAILABLE, settings_for("pin", version="1.1.0"))[0] == "1.1.0"


def test_pin_below_installed_never_downgrades():
    target, reason = choose_target("1.2.0", AVAILABLE, settings_for("pin", version="1.0.0"))
    assert target is None
    assert "not downgrading" in reason


def test_max_caps_version():
    assert choose_target("1.0.0", AVAILABLE, settings_for("max", max_version="1.1.0"))[0] == "1.1.0"


def test_up_to_date_reports_reason():
    target, reason = choose_target("1.2.0", AVAILABLE, settings_for())
    assert target is None
    assert "no newer version" in reason


def test_rpm_release_suffix_handled():
    assert choose_target("1.0.0-1", ["1.0.0-1", "1.1.0-1"], settings_for())[0] == "1.1.0-1"


def test_settings_defaults_when_empty():
    settings = parse_settings("")
    assert settings.enabled is True
    assert settings.policy == "latest"
    assert settings.mirror == ""


@pytest.mark.parametrize("text,fragment", [
    ("[updater]\npolicy = newest\n", "policy = 'newest'"),
    ("[updater]\npolicy = pin\n", "needs version"),
    ("[updater]\npolicy = max\n", "needs max_version"),
    ("[updater]\nversion = 1.x\n", "version = '1.x'"),
    ("[updater]\nenabled = maybe\n", "expected true or false"),
    ("[updater]\nhealth_timeout = soon\n", "health_timeout = 'soon'"),
    ("[updater\n", "invalid updater configuration"),
])
def test_invalid_settings_name_value(text, fragment):
    with pytest.raises(SettingsError) as error:
        parse_settings(text, source="updater.conf")
    assert fragment in str(error.value)
    assert "updater.conf" in str(error.value)


def test_shipped_default_file_gives_defaults():
    from pathlib import Path

    shipped = Path(__file__).resolve().parents[2] / "installer/updater/updater.conf.default"
    settings = parse_settings(shipped.read_text(), source=str(shipped))
    defaults = Settings()
    assert vars(settings) == vars(defaults)
