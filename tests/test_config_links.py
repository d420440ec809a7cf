"""The link signing keys and retention settings: what is refused, what the launch checks are told,
and that rotation keeps old links working."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from config import MISSING_SIGNING_KEY, ConfigError, Settings
from domain.core.signing import LinkSigner

KEY, OLD = "k" * 32, "o" * 48
NOW = datetime(2027, 3, 1, tzinfo=UTC)


def _from(environ: dict[str, str]) -> Settings:
    return Settings.from_env(environ, env_file=None)


def test_no_key_is_a_problem_for_the_launch_checks_but_development_still_starts() -> None:
    settings = _from({})
    assert settings.signing_key_problems() == [MISSING_SIGNING_KEY]
    assert settings.link_signer() is None


def test_a_good_key_has_no_problems() -> None:
    settings = _from({"PLP_SIGNING_KEY": KEY, "PLP_SIGNING_KEYS_OLD": OLD})
    assert settings.signing_key_problems() == []
    assert settings.old_signing_keys == (OLD,)


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"PLP_SIGNING_KEY": "k3y"}, "PLP_SIGNING_KEY must be at least 32 bytes"),
        ({"PLP_SIGNING_KEY": "k" * 31}, "PLP_SIGNING_KEY must be at least 32 bytes"),
        ({"PLP_SIGNING_KEY": KEY, "PLP_SIGNING_KEYS_OLD": f"{OLD},short"}, "PLP_SIGNING_KEYS_OLD: key 2"),
    ],
)
def test_short_keys_are_refused_in_any_environment(environ: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        _from(environ)
    assert any(named in problem for problem in Settings(**_fields(environ)).signing_key_problems())


def _fields(environ: dict[str, str]) -> dict[str, str]:
    return {"signing_key": environ["PLP_SIGNING_KEY"], "signing_keys_old": environ.get("PLP_SIGNING_KEYS_OLD", "")}


def test_thirty_two_bytes_may_be_fewer_characters() -> None:
    assert _from({"PLP_SIGNING_KEY": "é" * 16}).signing_key_problems() == []


def test_rotation_moving_the_key_to_the_old_list_keeps_its_links() -> None:
    before = _from({"PLP_SIGNING_KEY": OLD}).link_signer()
    after = _from({"PLP_SIGNING_KEY": KEY, "PLP_SIGNING_KEYS_OLD": OLD}).link_signer()
    assert isinstance(before, LinkSigner) and isinstance(after, LinkSigner)
    token = before.sign("calendar", "1-2", NOW + timedelta(days=1))
    assert after.open("calendar", token, NOW) == "1-2"
    assert after.sign("calendar", "1-2", NOW + timedelta(days=1)) != token


def test_retention_settings() -> None:
    assert (Settings().retention_months, Settings().dialog_state_days) == (12, 30)
    for name in ("PLP_RETENTION_MONTHS", "PLP_DIALOG_STATE_DAYS"):
        for bad in ("0", "-1", "a year"):
            with pytest.raises(ConfigError, match=name):
                _from({name: bad})
