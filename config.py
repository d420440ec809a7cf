"""Settings: read once from the environment (and an optional `.env` file), then frozen.

Every variable is documented in README.md's configuration table; keep the two in step.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from dotenv import dotenv_values

from domain.core.facilitators import FacilitatorDirectory
from domain.core.signing import MIN_KEY_BYTES, LinkSigner
from domain.core.timing import parse_working_hours

DEFAULT_SQLITE_URL = "sqlite+aiosqlite:///./data/plp_companion.db"
# Teams waits about 15 s for a turn; the in-turn reply budget must end well before that.
TEAMS_TURN_SECONDS = 15.0
WORKER_ID_LENGTH = 64  # outbox.lease_owner and dispatch_workers.worker_id column size
_SLACK_PERSON = re.compile(r"[te][a-z0-9]+:[uw][a-z0-9]+", re.IGNORECASE)  # `<workspace id>:<user id>`
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
MISSING_SIGNING_KEY = (
    "PLP_SIGNING_KEY is not set: signed links (calendar files, exports, `my data`) would stop working at every restart"
)
SHORT_SIGNING_KEY = f"PLP_SIGNING_KEY is shorter than {MIN_KEY_BYTES} bytes, so it cannot sign links"
SLACK_API_URL = "https://slack.com/api/"


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
    environment: str = "development"  # exactly "development" or "production"; launch_checks refuses others
    facilitators: frozenset[str] = field(default_factory=frozenset)
    allowed_tenant_ids: tuple[str, ...] = ()  # lower-case, in the order given: the first is the home tenant
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
    jobs_process: bool = True  # when serving, ticks of scheduled work run in a worker process (tick_worker.py)
    broadcast_interval_seconds: float = 5.0
    public_url: str = "http://localhost:3978"
    signing_key: str = ""
    signing_keys_old: str = ""  # former PLP_SIGNING_KEY values, comma separated, still opening their tokens
    meeting_reminders: str = "24h,1h"
    retention_months: int = 12  # personal data is purged this long after a cohort ends
    dialog_state_days: int = 30  # an abandoned conversation (half-answered questions) is forgotten after this
    dashboard_link_minutes: int = 10  # a `dashboard` sign-in link works once, for this long
    dashboard_idle_minutes: int = 30  # a dashboard session ends after this long without use
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""
    slack_api_url: str = SLACK_API_URL
    allowed_slack_team_ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def slack_enabled(self) -> bool:
        """Slack is on with a bot token and a way in: the signing secret (HTTP) or an app token (Socket Mode)."""
        return bool(self.slack_bot_token and (self.slack_signing_secret or self.slack_app_token))

    @property
    def slack_socket_mode(self) -> bool:
        """Events arrive over Slack's WebSocket (SLACK_APP_TOKEN) instead of POST /slack/... ."""
        return self.slack_enabled and bool(self.slack_app_token)

    @property
    def teams_enabled(self) -> bool:
        """POST /api/messages is served: with a Microsoft app id, or in development (unauthenticated)."""
        return bool(self.app_id) or not self.is_production

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
        """True when `PLP_ENV=production`: every launch check must pass (launch_checks.py)."""
        return self.environment == "production"

    @property
    def home_tenant(self) -> str:
        """The first tenant in ALLOWED_TENANT_IDS: people named in FACILITATORS are recognised only there."""
        return self.allowed_tenant_ids[0] if self.allowed_tenant_ids else ""

    def tenant_allowed(self, tenant_id: str) -> bool:
        """Whether an activity from this tenant may be processed (any tenant when no list is set)."""
        return not self.allowed_tenant_ids or tenant_id.strip().lower() in self.allowed_tenant_ids

    def tenant_problems(self) -> list[str]:
        """What is unsafe about the tenant allow-list: production refuses to start on any of these,
        development only warns. Pure: reads nothing but these settings."""
        if not self.allowed_tenant_ids:
            return [
                "ALLOWED_TENANT_IDS is not set: any organisation that installs the app could talk to the "
                "companion; list your Microsoft 365 tenant id"
            ]
        problems = [
            f"ALLOWED_TENANT_IDS: {tenant!r} is not a tenant id (a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47)"
            for tenant in self.allowed_tenant_ids
            if not is_guid(tenant)
        ]
        own = self.app_tenant_id.strip().lower()
        if self.app_type.lower() == "singletenant" and own and own not in self.allowed_tenant_ids:
            problems.append(
                "ALLOWED_TENANT_IDS does not list MICROSOFT_APP_TENANT_ID, the only tenant a SingleTenant bot "
                "serves: every activity would be refused"
            )
        return problems

    def facilitator_problems(self) -> list[str]:
        """FACILITATORS entries production ignores: only emails, Entra object ids and Slack
        `<workspace>:<user>` ids name people there (other chat user ids are for the Emulator in development)."""
        return [
            f"FACILITATORS: {entry!r} is not an email, an Entra object id or a Slack <workspace id>:<user id>; "
            "production ignores it"
            for entry in sorted(self.facilitators)
            if "@" not in entry and not is_guid(entry) and not _SLACK_PERSON.fullmatch(entry)
        ]

    @property
    def facilitator_directory(self) -> FacilitatorDirectory:
        """Who facilitates: roles granted in chat and FACILITATORS entries pinned to one person in the home tenant."""
        return FacilitatorDirectory(self.facilitators, self.allowed_tenant_ids, user_ids=not self.is_production)

    @property
    def auth_enabled(self) -> bool:
        """Inbound tokens are checked only when the bot has a Microsoft app id."""
        return bool(self.app_id)

    @property
    def secure_cookies(self) -> bool:
        """Cookies (the dashboard's session) are sent over https only: an https public URL, or production."""
        return self.is_production or self.public_url.lower().startswith("https://")

    @property
    def try_it(self) -> bool:
        """The browser chat at `/` (try-it): local development mode only, never with credentials or in production."""
        return not self.is_production and not self.auth_enabled

    @property
    def old_signing_keys(self) -> tuple[str, ...]:
        """PLP_SIGNING_KEYS_OLD as a list of keys."""
        return tuple(part.strip() for part in self.signing_keys_old.split(",") if part.strip())

    def signing_key_problems(self) -> list[str]:
        """What is wrong with the link signing keys, one sentence each; [] when all is well.

        Pure, for the launch checks (launch_checks.py): production refuses to start on any of these,
        development warns and signs with a random key (links then stop working after a restart).
        """
        key_bytes = len(self.signing_key.encode("utf-8"))
        current = [] if key_bytes >= MIN_KEY_BYTES else [MISSING_SIGNING_KEY if not key_bytes else SHORT_SIGNING_KEY]
        return current + self.old_signing_key_problems()

    def old_signing_key_problems(self) -> list[str]:
        """Keys in PLP_SIGNING_KEYS_OLD too short to have been signing keys (they are left out)."""
        return [
            f"PLP_SIGNING_KEYS_OLD: key {number} is shorter than {MIN_KEY_BYTES} bytes, so it is ignored"
            for number, old in enumerate(self.old_signing_keys, start=1)
            if len(old.encode("utf-8")) < MIN_KEY_BYTES
        ]

    def link_signer(self) -> LinkSigner | None:
        """The signer for PLP_SIGNING_KEY, still opening the old keys' tokens; None without a usable key."""
        key = self.signing_key.encode("utf-8")
        if len(key) < MIN_KEY_BYTES:
            return None
        old = [k.encode("utf-8") for k in self.old_signing_keys]
        return LinkSigner.of(key, *(k for k in old if len(k) >= MIN_KEY_BYTES))

    def validate(self) -> Settings:
        """Refuse malformed settings (readiness for production is launch_checks.py's, all listed at once)."""
        self._validate_slack()
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
        if not 1 <= self.dashboard_link_minutes <= 60 or not 1 <= self.dashboard_idle_minutes <= 720:
            raise ConfigError("PLP_DASHBOARD_LINK_MINUTES must be 1-60 and PLP_DASHBOARD_IDLE_MINUTES 1-720")
        if self.retention_months < 1 or self.dialog_state_days < 1:
            raise ConfigError("PLP_RETENTION_MONTHS and PLP_DIALOG_STATE_DAYS must be at least 1")
        if len(self.worker_id) > WORKER_ID_LENGTH:
            raise ConfigError(f"PLP_WORKER_ID must be at most {WORKER_ID_LENGTH} characters")
        return self

    def _validate_slack(self) -> None:
        """A half-configured Slack, or an open one in production, is refused."""
        if self.slack_bot_token and not (self.slack_signing_secret or self.slack_app_token):
            raise ConfigError(
                "SLACK_BOT_TOKEN needs SLACK_SIGNING_SECRET (Events API) or SLACK_APP_TOKEN (Socket Mode)"
            )
        if (self.slack_signing_secret or self.slack_app_token) and not self.slack_bot_token:
            raise ConfigError("SLACK_SIGNING_SECRET and SLACK_APP_TOKEN need SLACK_BOT_TOKEN as well")
        if self.slack_app_token and not self.slack_app_token.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN must be an app-level token (it starts with xapp-)")
        if not self.slack_api_url.startswith(("https://", "http://")):
            raise ConfigError("SLACK_API_URL must start with https://")
        if self.is_production and self.slack_enabled and not self.allowed_slack_team_ids:
            raise ConfigError("PLP_ENV=production with Slack needs ALLOWED_SLACK_TEAM_IDS (the workspaces served)")

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
            environment=(get("PLP_ENV") or "").strip() or "development",
            facilitators=_id_set(get("FACILITATORS", "")),
            allowed_tenant_ids=_tenant_list(get("ALLOWED_TENANT_IDS", "")),
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
            jobs_process=_flag(get("PLP_JOBS_PROCESS") or "1", "PLP_JOBS_PROCESS"),
            broadcast_interval_seconds=_float(get("PLP_BROADCAST_INTERVAL", "5"), "PLP_BROADCAST_INTERVAL"),
            public_url=(get("PLP_PUBLIC_URL") or "").strip() or f"http://localhost:{get('PORT', '3978')}",
            signing_key=(get("PLP_SIGNING_KEY") or "").strip(),
            signing_keys_old=(get("PLP_SIGNING_KEYS_OLD") or "").strip(),
            dialog_state_days=_int(get("PLP_DIALOG_STATE_DAYS", "30"), "PLP_DIALOG_STATE_DAYS", minimum=1),
            dashboard_link_minutes=_int(
                get("PLP_DASHBOARD_LINK_MINUTES", "10"), "PLP_DASHBOARD_LINK_MINUTES", minimum=1
            ),
            dashboard_idle_minutes=_int(
                get("PLP_DASHBOARD_IDLE_MINUTES", "30"), "PLP_DASHBOARD_IDLE_MINUTES", minimum=1
            ),
            meeting_reminders=get("PLP_MEETING_REMINDERS", "24h,1h") or "",
            retention_months=_int(get("PLP_RETENTION_MONTHS") or "12", "PLP_RETENTION_MONTHS", minimum=1),
            slack_bot_token=(get("SLACK_BOT_TOKEN") or "").strip(),
            slack_signing_secret=(get("SLACK_SIGNING_SECRET") or "").strip(),
            slack_app_token=(get("SLACK_APP_TOKEN") or "").strip(),
            slack_api_url=_slash((get("SLACK_API_URL") or "").strip() or SLACK_API_URL),
            allowed_slack_team_ids=frozenset(
                part.upper() for part in _id_set(get("ALLOWED_SLACK_TEAM_IDS", "")) if part
            ),
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


def _slash(url: str) -> str:
    """The Web API base always ends in a slash (method names are appended to it)."""
    return url if url.endswith("/") else url + "/"


def _id_set(raw: str) -> frozenset[str]:
    """Facilitator ids/emails, comma or space separated, compared case-insensitively."""
    return frozenset(part.strip().lower() for part in raw.replace(",", " ").split() if part.strip())


def _tenant_list(raw: str) -> tuple[str, ...]:
    """Tenant ids, comma or space separated, lower-cased, first occurrence kept (the first is the home tenant)."""
    return tuple(dict.fromkeys(part.strip().lower() for part in raw.replace(",", " ").split() if part.strip()))


def is_guid(text: str) -> bool:
    """Whether `text` is written as a GUID (tenant ids and Entra object ids are)."""
    return bool(_GUID.fullmatch(text))


def _flag(raw: str, name: str) -> bool:
    word = raw.strip().lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be 1 or 0 (true or false), not {raw!r}")


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
