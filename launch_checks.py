"""Launch checks: is this configuration and content safe to run for real? Pure: no I/O.

`launch_report(settings, content)` lists every problem at once, each naming what to fix.
Production (`PLP_ENV=production`) refuses to start while any is listed (bot.py prints them
and exits 2); development logs the same list as warnings. A `PLP_ENV` other than exactly
`development` or `production` refuses to start in every mode, since a typo such as `prod`
must never run an unauthenticated bot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from config import Settings
from domain.core.placeholders import placeholders_in
from domain.guide.model import SupportInfo
from domain.notice.content import NOTICE_FILE
from domain.notice.model import Notice
from domain.notice.rules import placeholders as notice_placeholders
from domain.polls.model import PollTemplate

ENVIRONMENTS = ("development", "production")
MIN_SIGNING_KEY_BYTES = 32
SUPPORT_FILE = "guide_content/support.yaml"
POLLS_FOLDER = "guide_content/polls"
_SHOWN = 70  # characters of a placeholder quoted in a problem
_NEW_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"


@dataclass(frozen=True)
class LaunchContent:
    """The loaded content the checks read: support options, poll templates and the privacy notice."""

    support: SupportInfo
    poll_templates: Mapping[str, PollTemplate]
    notice: Notice


@dataclass(frozen=True)
class LaunchReport:
    """Every problem found, and whether it stops the start (production, or an unknown PLP_ENV)."""

    problems: tuple[str, ...]
    refuse: bool


def launch_report(settings: Settings, content: LaunchContent) -> LaunchReport:
    """Check settings, then content; development only warns, anything else with a problem refuses."""
    problems = (*settings_problems(settings), *content_problems(content))
    return LaunchReport(problems, refuse=bool(problems) and settings.environment != "development")


def settings_problems(settings: Settings) -> tuple[str, ...]:
    """What production needs from the environment, one line per missing or unsafe setting."""
    found = []
    if settings.environment not in ENVIRONMENTS:
        found.append(f"PLP_ENV must be exactly 'development' or 'production', not {settings.environment!r}")
    url = urlsplit(settings.public_url)
    if url.scheme != "https" or not url.hostname:
        found.append(
            f"PLP_PUBLIC_URL must be the bot's public https:// address (the privacy notice, calendar and "
            f"export links use it), not {settings.public_url!r}"
        )
    found += _teams_problems(settings) + _slack_problems(settings) + settings.facilitator_problems()
    key_bytes = len(settings.signing_key.encode("utf-8"))
    if key_bytes < MIN_SIGNING_KEY_BYTES:
        state = "is missing" if not key_bytes else f"is shorter than {MIN_SIGNING_KEY_BYTES} bytes"
        found.append(f"PLP_SIGNING_KEY {state}: set a random secret of at least 32 bytes, e.g. from {_NEW_KEY}")
    return tuple(found)


def _teams_problems(settings: Settings) -> list[str]:
    """Teams needs its app credentials and the tenant allow-list, unless the bot serves Slack alone."""
    if settings.slack_enabled and not (settings.app_id or settings.app_password):
        return []  # Slack only: /api/messages is not served in production
    found = [
        f"{name} is missing: without the bot's Microsoft app credentials nothing is authenticated"
        for name, value in (("MICROSOFT_APP_ID", settings.app_id), ("MICROSOFT_APP_PASSWORD", settings.app_password))
        if not value
    ]
    if not settings.allowed_tenant_ids:
        found.append(
            "ALLOWED_TENANT_IDS is missing: list your organisation's Microsoft Entra tenant id(s), "
            "comma-separated, so no other organisation can reach the bot"
        )
    else:
        found += settings.tenant_problems()  # an entry that is not a tenant id; a SingleTenant bot's own missing
    return found


def _slack_problems(settings: Settings) -> list[str]:
    """Slack, when switched on, needs its workspace allow-list."""
    if settings.slack_enabled and not settings.allowed_slack_team_ids:
        return [
            "ALLOWED_SLACK_TEAM_IDS is missing: list your Slack workspace (team) id(s), comma-separated, "
            "so no other workspace can reach the bot"
        ]
    return []


def content_problems(content: LaunchContent) -> tuple[str, ...]:
    """Placeholders left in support.yaml, the poll templates (the survey consent) and privacy.yaml."""
    found = []
    support = content.support
    wording = {
        "acknowledgement": support.acknowledgement,
        "not_a_reporting_channel": support.not_a_reporting_channel,
        "choices_intro": support.choices_intro,
        "sensitive_prompt_note": support.sensitive_prompt_note,
        "crisis_intro": support.crisis_intro,
    }
    found += [_problem(SUPPORT_FILE, f"wording '{name}'", [text]) for name, text in wording.items()]
    for section, contacts in support.sections():
        for contact in contacts:
            texts = (contact.title, contact.name or "", contact.contact, contact.url or "", contact.summary)
            found.append(_problem(SUPPORT_FILE, f"{section} '{contact.id}'", texts))
    for template in content.poll_templates.values():
        found += [
            _problem(POLLS_FOLDER, f"template '{template.id}' {name}", [text]) for name, text in _poll_texts(template)
        ]
    for placeholder in notice_placeholders(content.notice):
        found.append(_problem(f"guide_content/{NOTICE_FILE}", placeholder.where, [placeholder.text]))
    return tuple(problem for problem in found if problem)


def _poll_texts(template: PollTemplate) -> list[tuple[str, str]]:
    """(field, text) for everything a template shows people."""
    texts = [("title", template.title), ("intro", template.intro), ("consent", template.consent)]
    texts.append(("closing", template.closing))
    for question in template.questions:
        texts.append((f"question '{question.id}'", question.text))
        texts += [(f"question '{question.id}' option", option.title) for option in question.options]
    return texts


def _problem(file: str, where: str, texts: Iterable[str]) -> str:
    """`file: where: replace the placeholders ...`, or "" when the texts hold none."""
    found = [_quote(p) for text in texts for p in placeholders_in(text)]
    if not found:
        return ""
    return f"{file}: {where}: replace the placeholder{'s' if len(found) > 1 else ''} {', '.join(found)}"


def _quote(placeholder: str) -> str:
    shown = placeholder if len(placeholder) <= _SHOWN else placeholder[: _SHOWN - 3].rstrip() + "..."
    return f'"{shown}"'
