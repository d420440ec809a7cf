"""The compose form read into a broadcast draft and a send time, or the problems to show beside it.

The same checks as the chat flow: text up to 2000 characters, an optional link button whose
address starts with https:// (domain/broadcasts/rules.check_link), one of the audiences chat
offers, and a time in the facilitator's own time zone that is still ahead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.broadcasts.model import Audience, AudienceKind, Draft
from domain.broadcasts.rules import BroadcastError, audience_key, check_link
from domain.core.timing import zone

MAX_TEXT = 2000
LATEST = timedelta(days=366)


@dataclass(frozen=True)
class Composed:
    """What the form holds: the draft (when it reads as one), when to send, and what is wrong."""

    text: str = ""
    link_title: str = ""
    link_url: str = ""
    audience: str = "everyone"
    when: str = "now"
    send_at: str = ""  # as typed: YYYY-MM-DDTHH:MM in the facilitator's zone
    problems: dict[str, str] = field(default_factory=dict)
    draft: Draft | None = None
    at: datetime | None = None  # None: now


def read_form(form: Mapping[str, str], allowed: list[Audience], time_zone: str, now: datetime) -> Composed:
    """Check every field; `draft` is set only when nothing is wrong."""
    text = form.get("text", "").strip()
    title, url = form.get("link_title", "").strip(), form.get("link_url", "").strip()
    chosen, when, typed_at = form.get("audience", ""), form.get("when", "now"), form.get("send_at", "").strip()
    problems: dict[str, str] = {}
    if not text:
        problems["text"] = "Please write the message."
    elif len(text) > MAX_TEXT:
        problems["text"] = f"Please keep it under {MAX_TEXT} characters (it is {len(text)})."
    link = ("", "")
    if title or url:
        if not (title and url):
            problems["link"] = "Please give both the button's title and its link, or neither."
        elif " " in url:
            problems["link"] = "The link can't contain spaces."
        else:
            try:
                link = check_link(f"{title} {url}")
            except BroadcastError as problem:
                problems["link"] = str(problem).replace("*", "")
    audience = next((a for a in allowed if audience_key(a) == chosen), None)
    if audience is None:
        problems["audience"] = "Please choose who should get it."
    at = None
    if when == "later":
        at = _when(typed_at, time_zone, now, problems)
    elif when != "now":
        problems["when"] = "Please choose now or a set time."
    composed = Composed(text, title, url, chosen, when, typed_at, problems)
    if problems or audience is None:
        return composed
    return Composed(text, title, url, chosen, when, typed_at, problems, Draft(text, audience, *link), at)


def shown_draft(composed: Composed) -> Draft | None:
    """What the preview shows: the message (and a valid link button) even before an audience is chosen."""
    if composed.draft is not None:
        return composed.draft
    if not composed.text or "text" in composed.problems:
        return None
    link = (
        (composed.link_title, composed.link_url) if composed.link_url and "link" not in composed.problems else ("", "")
    )
    return Draft(composed.text, Audience(AudienceKind.EVERYONE), *link)


def _when(typed: str, time_zone: str, now: datetime, problems: dict[str, str]) -> datetime | None:
    try:
        local = datetime.strptime(typed, "%Y-%m-%dT%H:%M")
    except ValueError:
        problems["send_at"] = "Please give a date and time, for example 2027-03-08 09:00."
        return None
    at = local.replace(tzinfo=zone(time_zone)).astimezone(now.tzinfo)
    if at <= now:
        problems["send_at"] = "That time has passed: please choose a time ahead."
    elif at > now + LATEST:
        problems["send_at"] = "Please choose a time within the next year."
    return at
