"""The link signing keys and retention settings: what the launch checks are told, the signer each
configuration gives, and that rotation keeps old links working."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from config import MISSING_SIGNING_KEY, SHORT_SIGNING_KEY, ConfigError, Settings
from domain.core.signing import LinkSigner
from launch_checks import settings_problems

KEY, OLD = "k" * 32, "o" * 48
NOW = datetime(2027, 3, 1, tzinfo=UTC)


def _from(environ: dict[str, str]) -> Settings:
    return Settings.from_env(environ, env_file=None)


def test_no_key_is_a_problem_for_the_launch_checks_and_gives_no_signer() -> None:
    settings = _from({})
    assert settings.signing_key_problems() == [MISSING_SIGNING_KEY]
    assert settings.link_signer() is None  # bot.py then signs with a random key, and warns


def test_a_good_key_has_no_problems() -> None:
    settings = _from({"PLP_SIGNING_KEY": KEY, "PLP_SIGNING_KEYS_OLD": OLD})
    assert settings.signing_key_problems() == []
    assert settings.old_signing_keys == (OLD,)
    assert isinstance(settings.link_signer(), LinkSigner)


@pytest.mark.parametrize("key", ["k3y", "k" * 31])
def test_a_short_key_is_named_and_never_signs(key: str) -> None:
    settings = _from({"PLP_SIGNING_KEY": key})  # not refused here: the launch checks list every problem at once
    assert settings.signing_key_problems() == [SHORT_SIGNING_KEY]
    assert settings.link_signer() is None


def test_a_short_old_key_is_named_and_left_out() -> None:
    settings = _from({"PLP_SIGNING_KEY": KEY, "PLP_SIGNING_KEYS_OLD": f"{OLD},short"})
    assert settings.signing_key_problems() == ["PLP_SIGNING_KEYS_OLD: key 2 is shorter than 32 bytes, so it is ignored"]
    assert any(p.startswith("PLP_SIGNING_KEYS_OLD: key 2") for p in settings_problems(settings))
    signer = settings.link_signer()
    assert signer is not None
    token = LinkSigner.of(OLD.encode()).sign("calendar", "1-2", NOW + timedelta(days=1))
    assert signer.open("calendar", token, NOW) == "1-2"


def test_thirty_two_bytes_may_be_fewer_characters() -> None:
    assert _from({"PLP_SIGNING_KEY": "é" * 16}).signing_key_problems() == []


def test_rotation_moving_the_key_to_the_old_list_keeps_its_links() -> None:
    before = _from({"PLP_SIGNING_KEY": OLD}).link_signer()
    after = _from({"PLP_SIGNING_KEY": KEY, "PLP_SIGNING_KEYS_OLD": OLD}).link_signer()
    assert isinstance(before, LinkSigner) and isinstance(after, LinkSigner)
    token = before.sign("calendar", "1-2", NOW + timedelta(days=1))
    assert after.open("calendar", token, NOW) == "1-2"
    assert after.sign("calendar", "1-2", NOW + timedelta(days=1)) != token
    dropped = replace(_from({"PLP_SIGNING_KEY": KEY}), signing_keys_old="").link_signer()
    assert dropped is not None and dropped.open("calendar", token, NOW) is None


def test_retention_settings() -> None:
    assert (Settings().retention_months, Settings().dialog_state_days) == (12, 30)
    for name in ("PLP_RETENTION_MONTHS", "PLP_DIALOG_STATE_DAYS"):
        for bad in ("0", "-1", "a year"):
            with pytest.raises(ConfigError, match=name):
                _from({name: bad})
