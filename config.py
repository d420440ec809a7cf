"""Settings: read once from the environment (and an optional `.env` file), then frozen.

Every variable is documented in README.md's configuration table; keep the two in step.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from dotenv import dotenv_values

from domain.core.signing import MIN_KEY_BYTES, LinkSigner
from domain.core.timing import parse_working_hours

DEFAULT_SQLITE_URL = "sqlite+aiosqlite:///./data/plp_companion.db"
# Teams waits about 15 s for a turn; the in-turn reply budget must end well before that.
TEAMS_TURN_SECONDS = 15.0
WORKER_ID_LENGTH = 64  # outbox.lease_owner and dispatch_workers.worker_id column size
MISSING_SIGNING_KEY = (
    "PLP_SIGNING_KEY is not set: signed links (calendar files, exports, `my data`) would stop working at every restart"
)


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to start; built by `Settings.from_env()` or directly in tests."""

    port: int = 3978
    host: str = "0.0.0.0"
    database_url: str = DEFAULT_SQLITE_URL
    app_id: str = ""
    app_password: str = ""
    app_tenant_id: str = ""
    app_type: str = "MultiTenant"
    environment: str = "development"
    facilitators: frozenset[str] = field(default_factory=frozenset)
    default_time_zone: str = "Europe/London"
    max_request_bytes: int = 256 * 1024
    dispatch_interval_seconds: float = 30.0
    tenant_rate_per_second: float = 50.0
    send_rate_per_second: float = 46.0
    send_rate_per_conversation: float = 7.0
    send_concurrency: int = 64
    reply_budget_seconds: float = 10.0
    send_give_up_hours: float = 24.0
    worker_id: str = ""
    log_level: str = "INFO"
    work_hours: str = "09:00-17:00"
    guide_max_per_week: int = 2
    daily_message_budget: int = 2
    jobs_interval_seconds: float = 900.0
    broadcast_interval_seconds: float = 5.0
    public_url: str = "http://localhost:3978"
    signing_key: str = ""
    signing_keys_old: str = ""  # former PLP_SIGNING_KEY values, comma separated, still opening their tokens
    meeting_reminders: str = "24h,1h"
    retention_months: int = 12  # personal data is purged this long after a cohort ends
    dialog_state_days: int = 30  # an abandoned conversation (half-answered questions) is forgotten after this

    @property
    def reminder_offsets(self) -> tuple[timedelta, ...]:
        """How long before a meeting each reminder goes out."""
        return parse_offsets(self.meeting_reminders)

    @property
    def send_give_up(self) -> timedelta:
        """How long after its first due time a failing outbox message is still retried."""
        return timedelta(hours=self.send_give_up_hours)

    @property
    def is_production(self) -> bool:
        """True when `PLP_ENV=production`: credentials become mandatory."""
        return self.environment == "production"

    @property
    def auth_enabled(self) -> bool:
        """Inbound tokens are checked only when the bot has a Microsoft app id."""
        return bool(self.app_id)

    @property
    def old_signing_keys(self) -> tuple[str, ...]:
        """PLP_SIGNING_KEYS_OLD as a list of keys."""
        return tuple(part.strip() for part in self.signing_keys_old.split(",") if part.strip())

    def signing_key_problems(self) -> list[str]:
        """What is wrong with the link signing keys, one sentence each; [] when all is well.

        Pure, for the start-up checks: production must refuse to start on any of these. Without
        PLP_SIGNING_KEY, development signs with a random key (links stop working after a restart);
        a key that is set but too short is refused everywhere (see `validate`).
        """
        missing = [] if self.signing_key else [MISSING_SIGNING_KEY]
        return missing + self._short_signing_keys()

    def _short_signing_keys(self) -> list[str]:
        problems = []
        if self.signing_key and len(self.signing_key.encode("utf-8")) < MIN_KEY_BYTES:
            problems.append(f"PLP_SIGNING_KEY must be at least {MIN_KEY_BYTES} bytes (e.g. 48 random characters)")
        for number, old in enumerate(self.old_signing_keys, start=1):
            if len(old.encode("utf-8")) < MIN_KEY_BYTES:
                problems.append(f"PLP_SIGNING_KEYS_OLD: key {number} is shorter than {MIN_KEY_BYTES} bytes")
        return problems

    def link_signer(self) -> LinkSigner | None:
        """The signer for PLP_SIGNING_KEY that still opens the old keys' tokens; None without a key."""
        if not self.signing_key:
            return None
        return LinkSigner.of(self.signing_key.encode("utf-8"), *(k.encode("utf-8") for k in self.old_signing_keys))

    def validate(self) -> Settings:
        """Refuse settings that would start an unsafe or broken bot."""
        if self.is_production and not (self.app_id and self.app_password):
            raise ConfigError(
                "PLP_ENV=production needs MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD; "
                "refusing to start without credentials"
            )
        if self.app_type.lower() == "singletenant" and self.app_id and not self.app_tenant_id:
            raise ConfigError("MICROSOFT_APP_TYPE=SingleTenant needs MICROSOFT_APP_TENANT_ID")
        try:
            parse_working_hours(self.work_hours)
        except ValueError as exc:
            raise ConfigError(f"PLP_WORK_HOURS: {exc}") from exc
        try:
            _ = self.reminder_offsets  # parsing is the check
        except ValueError as exc:
            raise ConfigError(f"PLP_MEETING_REMINDERS: {exc}") from exc
        if self.daily_message_budget < 1:
            raise ConfigError("PLP_DAILY_MESSAGE_BUDGET must be at least 1")
        if not self.public_url.startswith(("http://", "https://")):
            raise ConfigError("PLP_PUBLIC_URL must start with https:// (or http:// for local development)")
        if self.reply_budget_seconds >= TEAMS_TURN_SECONDS:
            raise ConfigError(f"PLP_REPLY_BUDGET_SECONDS must be under Teams' {TEAMS_TURN_SECONDS:g} s turn window")
        if not 1 <= self.port <= 65535 and self.port != 0:
            raise ConfigError(f"PORT must be a TCP port number, not {self.port}")
        if self.send_rate_per_second > self.tenant_rate_per_second:
            raise ConfigError("PLP_SEND_RATE must not exceed PLP_TENANT_RATE (replies need room in the same budget)")
        if short_keys := self._short_signing_keys():
            raise ConfigError("; ".join(short_keys))
        if self.retention_months < 1 or self.dialog_state_days < 1:
            raise ConfigError("PLP_RETENTION_MONTHS and PLP_DIALOG_STATE_DAYS must be at least 1")
        if len(self.worker_id) > WORKER_ID_LENGTH:
            raise ConfigError(f"PLP_WORKER_ID must be at most {WORKER_ID_LENGTH} characters")
        return self

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, env_file: str | None = ".env") -> Settings:
        """Read settings from `environ` (default `os.environ`) over values in `env_file`."""
        values: dict[str, str] = {}
        if env_file and Path(env_file).is_file():
            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        values.update(os.environ if environ is None else environ)
        get = values.get
        settings = cls(
            port=_int(get("PORT", "3978"), "PORT"),
            host=get("HOST", "0.0.0.0") or "0.0.0.0",
            database_url=get("DATABASE_URL") or DEFAULT_SQLITE_URL,
            app_id=get("MICROSOFT_APP_ID", "").strip(),
            app_password=get("MICROSOFT_APP_PASSWORD", "").strip(),
            app_tenant_id=get("MICROSOFT_APP_TENANT_ID", "").strip(),
            app_type=get("MICROSOFT_APP_TYPE", "MultiTenant").strip() or "MultiTenant",
            environment=(get("PLP_ENV", "development").strip().lower() or "development"),
            facilitators=_id_set(get("FACILITATORS", "")),
            default_time_zone=get("PLP_DEFAULT_TIME_ZONE", "Europe/London") or "Europe/London",
            tenant_rate_per_second=_float(get("PLP_TENANT_RATE", "50"), "PLP_TENANT_RATE"),
            send_rate_per_second=_float(get("PLP_SEND_RATE", "46"), "PLP_SEND_RATE"),
            send_concurrency=_int(get("PLP_SEND_CONCURRENCY", "64"), "PLP_SEND_CONCURRENCY", minimum=1),
            reply_budget_seconds=_float(get("PLP_REPLY_BUDGET_SECONDS", "10"), "PLP_REPLY_BUDGET_SECONDS"),
            send_give_up_hours=_float(get("PLP_SEND_GIVE_UP_HOURS", "24"), "PLP_SEND_GIVE_UP_HOURS"),
            worker_id=(get("PLP_WORKER_ID") or "").strip(),
            dispatch_interval_seconds=_float(get("PLP_DISPATCH_INTERVAL", "30"), "PLP_DISPATCH_INTERVAL"),
            log_level=(get("LOG_LEVEL", "INFO") or "INFO").upper(),
            work_hours=get("PLP_WORK_HOURS", "09:00-17:00") or "09:00-17:00",
            guide_max_per_week=_int(get("PLP_GUIDE_MAX_PER_WEEK", "2"), "PLP_GUIDE_MAX_PER_WEEK", minimum=0),
            daily_message_budget=_int(get("PLP_DAILY_MESSAGE_BUDGET", "2"), "PLP_DAILY_MESSAGE_BUDGET", minimum=1),
            jobs_interval_seconds=_float(get("PLP_JOBS_INTERVAL", "900"), "PLP_JOBS_INTERVAL"),
            broadcast_interval_seconds=_float(get("PLP_BROADCAST_INTERVAL", "5"), "PLP_BROADCAST_INTERVAL"),
            public_url=(get("PLP_PUBLIC_URL") or "").strip() or f"http://localhost:{get('PORT', '3978')}",
            signing_key=(get("PLP_SIGNING_KEY") or "").strip(),
            signing_keys_old=(get("PLP_SIGNING_KEYS_OLD") or "").strip(),
            retention_months=_int(get("PLP_RETENTION_MONTHS", "12"), "PLP_RETENTION_MONTHS", minimum=1),
            dialog_state_days=_int(get("PLP_DIALOG_STATE_DAYS", "30"), "PLP_DIALOG_STATE_DAYS", minimum=1),
            meeting_reminders=get("PLP_MEETING_REMINDERS", "24h,1h") or "",
        )
        return settings.validate()


def parse_offsets(raw: str) -> tuple[timedelta, ...]:
    """'24h,1h,15m' -> offsets, largest first; '' means no reminders."""
    offsets = []
    for part in raw.replace(" ", "").split(","):
        if not part:
            continue
        unit = {"d": "days", "h": "hours", "m": "minutes"}.get(part[-1:].lower())
        if unit is None or not part[:-1].isdigit() or int(part[:-1]) <= 0:
            raise ValueError(f"{part!r} is not a duration like 24h, 1h or 15m")
        offsets.append(timedelta(**{unit: int(part[:-1])}))
    return tuple(sorted(set(offsets), reverse=True))


def _id_set(raw: str) -> frozenset[str]:
    """Facilitator ids/emails, comma or space separated, compared case-insensitively."""
    return frozenset(part.strip().lower() for part in raw.replace(",", " ").split() if part.strip())


def _int(raw: str, name: str, minimum: int | None = None) -> int:
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}")
    return value


def _float(raw: str, name: str) -> float:
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, not {raw!r}") from exc
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(f"{name} must be a finite number greater than zero")
    return value
