"""Settings.from_env with an explicit environment (and a tmp .env file): defaults, parsing,
and refusals that name the variable."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from pathlib import Path

import pytest

from config import DEFAULT_SQLITE_URL, ConfigError, Settings

CREDENTIALS = {"MICROSOFT_APP_ID": "app-id", "MICROSOFT_APP_PASSWORD": "secret"}


def _from(environ: dict[str, str]) -> Settings:
    return Settings.from_env(environ, env_file=None)


def test_defaults_describe_a_local_development_bot() -> None:
    settings = _from({})
    assert settings == Settings()
    assert (settings.port, settings.host, settings.database_url, settings.environment) == (
        3978,
        "0.0.0.0",
        DEFAULT_SQLITE_URL,
        "development",
    )
    assert (settings.is_production, settings.auth_enabled, settings.facilitators) == (False, False, frozenset())
    assert (
        settings.tenant_rate_per_second,
        settings.send_rate_per_second,
        settings.send_concurrency,
        settings.send_give_up,
        settings.worker_id,
        settings.dispatch_interval_seconds,
        settings.log_level,
        settings.reply_budget_seconds,
    ) == (50.0, 46.0, 64, timedelta(hours=24), "", 30.0, "INFO", 10.0)


def test_every_variable_is_read() -> None:
    settings = _from(
        {
            "PORT": "8080",
            "HOST": "127.0.0.1",
            "DATABASE_URL": "postgresql+asyncpg://u:p@db:5432/plp",
            "MICROSOFT_APP_ID": " app-id ",
            "MICROSOFT_APP_PASSWORD": " secret ",
            "MICROSOFT_APP_TENANT_ID": " t-1 ",
            "MICROSOFT_APP_TYPE": "SingleTenant",
            "PLP_ENV": " production ",
            "FACILITATORS": "ada@nhs.net",
            "PLP_DEFAULT_TIME_ZONE": "Asia/Kolkata",
            "PLP_TENANT_RATE": "20",
            "PLP_SEND_RATE": "12.5",
            "PLP_SEND_CONCURRENCY": "8",
            "PLP_REPLY_BUDGET_SECONDS": "7.5",
            "PLP_SEND_GIVE_UP_HOURS": "1.5",
            "PLP_WORKER_ID": " replica-2 ",
            "PLP_DISPATCH_INTERVAL": "0.5",
            "LOG_LEVEL": "debug",
            "PLP_WORK_HOURS": "08:00-16:00",
            "PLP_GUIDE_MAX_PER_WEEK": "1",
            "PLP_DAILY_MESSAGE_BUDGET": "3",
            "PLP_JOBS_INTERVAL": "60",
            "PLP_JOBS_PROCESS": " off ",
            "PLP_BROADCAST_INTERVAL": "2.5",
            "PLP_PUBLIC_URL": "https://plp.example.nhs.uk",
            "PLP_SIGNING_KEY": f" {'k' * 32} ",
            "PLP_SIGNING_KEYS_OLD": f" {'o' * 32} , {'p' * 40} ",
            "PLP_DIALOG_STATE_DAYS": "14",
            "PLP_MEETING_REMINDERS": "2h",
            "ALLOWED_TENANT_IDS": " tenant-a, ,tenant-b ",
            "PLP_RETENTION_MONTHS": "18",
        }
    )
    assert settings == Settings(
        port=8080,
        host="127.0.0.1",
        database_url="postgresql+asyncpg://u:p@db:5432/plp",
        app_id="app-id",
        app_password="secret",
        app_tenant_id="t-1",
        app_type="SingleTenant",
        environment="production",
        facilitators=frozenset({"ada@nhs.net"}),
        default_time_zone="Asia/Kolkata",
        tenant_rate_per_second=20.0,
        send_rate_per_second=12.5,
        send_concurrency=8,
        reply_budget_seconds=7.5,
        send_give_up_hours=1.5,
        worker_id="replica-2",
        dispatch_interval_seconds=0.5,
        log_level="DEBUG",
        work_hours="08:00-16:00",
        guide_max_per_week=1,
        daily_message_budget=3,
        jobs_interval_seconds=60.0,
        jobs_process=False,
        broadcast_interval_seconds=2.5,
        public_url="https://plp.example.nhs.uk",
        signing_key="k" * 32,
        signing_keys_old=f"{'o' * 32} , {'p' * 40}",
        dialog_state_days=14,
        meeting_reminders="2h",
        allowed_tenant_ids=("tenant-a", "tenant-b"),
        retention_months=18,
    )
    assert settings.is_production and settings.auth_enabled


@pytest.mark.parametrize(
    "name",
    [
        "HOST",
        "DATABASE_URL",
        "LOG_LEVEL",
        "PLP_DEFAULT_TIME_ZONE",
        "MICROSOFT_APP_TYPE",
        "PLP_ENV",
        "ALLOWED_TENANT_IDS",
        "PLP_RETENTION_MONTHS",
    ],
)
def test_an_empty_variable_means_the_default(name: str) -> None:
    assert _from({name: ""}) == Settings()


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        _from({}).port = 1


def test_values_come_from_the_env_file_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text('# local settings\nPORT=4000\nLOG_LEVEL=warning\nFACILITATORS="ada@nhs.net bo@nhs.net"\n')
    settings = Settings.from_env({"PORT": "5000"}, env_file=str(env_file))
    assert (settings.port, settings.log_level, settings.facilitators) == (
        5000,
        "WARNING",
        frozenset({"ada@nhs.net", "bo@nhs.net"}),
    )


def test_a_missing_env_file_is_ignored(tmp_path: Path) -> None:
    assert Settings.from_env({}, env_file=str(tmp_path / "absent.env")) == Settings()


def test_env_file_none_ignores_a_dot_env_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("PORT=4000\n")
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env({}, env_file=None).port == 3978
    assert Settings.from_env({}).port == 4000  # the default env_file is ./.env


def test_without_an_explicit_environ_the_process_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "4321")
    assert Settings.from_env(env_file=None).port == 4321


@pytest.mark.parametrize("raw", ["prod", "Production", "PRODUCTION", "dev", "staging", "production!"])
def test_plp_env_is_kept_as_written_so_the_launch_checks_can_refuse_a_typo(raw: str) -> None:
    settings = _from({"PLP_ENV": raw, **CREDENTIALS})
    assert settings.environment == raw and not settings.is_production  # refused by launch_checks, in every mode


def test_production_readiness_is_left_to_the_launch_checks() -> None:
    # Missing credentials are one of the problems launch_checks lists together (tests/test_launch_checks.py).
    assert _from({"PLP_ENV": "production"}).is_production
    assert _from({"PLP_ENV": "production", **CREDENTIALS}).auth_enabled


def test_direct_settings_are_validated_too() -> None:
    with pytest.raises(ConfigError, match="PLP_DAILY_MESSAGE_BUDGET"):
        Settings(daily_message_budget=0).validate()


@pytest.mark.parametrize("value", ["0", "-3", "a year", "1.5"])
def test_retention_must_be_a_whole_number_of_months(value: str) -> None:
    with pytest.raises(ConfigError, match="PLP_RETENTION_MONTHS"):
        _from({"PLP_RETENTION_MONTHS": value})


@pytest.mark.parametrize("app_type", ["SingleTenant", "singletenant"])
def test_single_tenant_needs_a_tenant_id(app_type: str) -> None:
    with pytest.raises(ConfigError, match="MICROSOFT_APP_TENANT_ID"):
        _from({"MICROSOFT_APP_TYPE": app_type, **CREDENTIALS})
    assert (
        _from({"MICROSOFT_APP_TYPE": app_type, "MICROSOFT_APP_TENANT_ID": "t-1", **CREDENTIALS}).app_tenant_id == "t-1"
    )
    assert _from({"MICROSOFT_APP_TYPE": app_type}).app_type == app_type  # no app id: local development


@pytest.mark.parametrize(("port", "expected"), [("0", 0), ("1", 1), ("65535", 65535), (" 8080 ", 8080)])
def test_port_numbers(port: str, expected: int) -> None:
    assert _from({"PORT": port}).port == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "abc"),
        ("PORT", "3.5"),
        ("PORT", ""),
        ("PORT", "-1"),
        ("PORT", "65536"),
        ("PLP_SEND_CONCURRENCY", "many"),
        ("PLP_SEND_CONCURRENCY", "2.5"),
        ("PLP_SEND_GIVE_UP_HOURS", "a day"),
        ("PLP_TENANT_RATE", "lots"),
        ("PLP_TENANT_RATE", "0"),
        ("PLP_SEND_RATE", "fast"),
        ("PLP_SEND_RATE", "0"),
        ("PLP_SEND_RATE", "-5"),
        ("PLP_DISPATCH_INTERVAL", "soon"),
        ("PLP_DISPATCH_INTERVAL", "0"),
        ("PLP_REPLY_BUDGET_SECONDS", "0"),
        ("PLP_REPLY_BUDGET_SECONDS", "15"),  # Teams gives up on the turn at about 15 s
        ("PLP_REPLY_BUDGET_SECONDS", "nan"),
    ],
)
def test_bad_numbers_are_refused_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        _from({name: value})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        # A count below one is a typo: the dispatcher would quietly run one send at a time or never retry.
        ("PLP_SEND_CONCURRENCY", "0"),
        ("PLP_SEND_CONCURRENCY", "-4"),
        ("PLP_SEND_GIVE_UP_HOURS", "0"),
        ("PLP_SEND_GIVE_UP_HOURS", "-1"),
        # A budget of none would hold every unprompted message back for ever.
        ("PLP_DAILY_MESSAGE_BUDGET", "0"),
        ("PLP_DAILY_MESSAGE_BUDGET", "two"),
        # float() accepts these words, but neither is a rate or an interval.
        ("PLP_SEND_RATE", "nan"),
        ("PLP_DISPATCH_INTERVAL", "nan"),
        ("PLP_DISPATCH_INTERVAL", "inf"),
        ("PLP_BROADCAST_INTERVAL", "0"),
        ("PLP_BROADCAST_INTERVAL", "nan"),
    ],
)
def test_counts_below_one_and_non_finite_numbers_are_refused(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        _from({name: value})


def test_the_jobs_process_switch_reads_yes_and_no_words_and_refuses_others() -> None:
    assert _from({}).jobs_process is True
    assert _from({"PLP_JOBS_PROCESS": "0"}).jobs_process is False
    assert _from({"PLP_JOBS_PROCESS": "True"}).jobs_process is True
    with pytest.raises(ConfigError, match="PLP_JOBS_PROCESS"):
        _from({"PLP_JOBS_PROCESS": "sometimes"})


def test_the_outbox_rate_must_leave_room_for_replies_in_the_tenant_budget() -> None:
    with pytest.raises(ConfigError, match="PLP_SEND_RATE must not exceed PLP_TENANT_RATE"):
        _from({"PLP_SEND_RATE": "60"})
    assert _from({"PLP_SEND_RATE": "50"}).send_rate_per_second == 50.0


def test_a_worker_id_must_fit_the_lease_column() -> None:
    with pytest.raises(ConfigError, match="PLP_WORKER_ID"):
        _from({"PLP_WORKER_ID": "x" * 65})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", frozenset()),
        ("  ,  , ", frozenset()),
        ("Ada@NHS.net", {"ada@nhs.net"}),
        ("ada@nhs.net,bo@nhs.net", {"ada@nhs.net", "bo@nhs.net"}),
        ("ada@nhs.net bo@nhs.net", {"ada@nhs.net", "bo@nhs.net"}),
        (" 29:ABC ,\tAAD-Object-1\n bo@nhs.net,, ", {"29:abc", "aad-object-1", "bo@nhs.net"}),
        ("ada@nhs.net, ADA@nhs.net", {"ada@nhs.net"}),
    ],
)
def test_facilitators_are_comma_or_space_separated_and_case_insensitive(raw: str, expected: set[str]) -> None:
    assert _from({"FACILITATORS": raw}).facilitators == frozenset(expected)


def test_the_readme_documents_every_variable_config_reads() -> None:
    root = Path(__file__).resolve().parent.parent
    read = set(re.findall(r'get\("([A-Z_]+)"', (root / "config.py").read_text(encoding="utf-8")))
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert read and {name for name in read if f"| `{name}` |" not in readme} == set()


@pytest.mark.parametrize(("raw", "problem"), [("soon", "PLP_MEETING_REMINDERS"), ("9-5pm", "PLP_WORK_HOURS")])
def test_bad_reminders_and_hours_name_the_variable(raw: str, problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        _from({problem: raw})


def test_reminder_offsets_are_largest_first_and_may_be_empty() -> None:
    assert _from({"PLP_MEETING_REMINDERS": "1h, 24h,15m"}).reminder_offsets == (
        timedelta(hours=24),
        timedelta(hours=1),
        timedelta(minutes=15),
    )
    assert _from({"PLP_MEETING_REMINDERS": ""}).reminder_offsets == ()


@pytest.mark.parametrize(
    ("environ", "try_it"),
    [
        ({}, True),  # local development: no credentials
        ({"PLP_ENV": "development", "MICROSOFT_APP_ID": "app", "MICROSOFT_APP_PASSWORD": "pw"}, False),
        ({"PLP_ENV": "production", "MICROSOFT_APP_ID": "app", "MICROSOFT_APP_PASSWORD": "pw"}, False),
    ],
)
def test_try_it_is_only_for_local_development_without_credentials(environ: dict[str, str], try_it: bool) -> None:
    assert _from(environ).try_it is try_it
