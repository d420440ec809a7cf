"""Group check-in session rules on data and time: what a valid session and link are, when an RSVP
or a cancellation may happen, when each message is delivered and which reminder is due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from domain.core.timing import WorkingHours, next_delivery_time
from domain.language.recognize import web_link
from domain.sessions.model import ANSWERS, NO_ANSWER, GroupSession, Invite, SessionCounts, SessionDraft

REMINDERS = (("day", timedelta(days=1)), ("hour", timedelta(hours=1)))  # label in the key, how long before
MIN_MINUTES, MAX_MINUTES, MAX_TITLE = 15, 480, 200
_NONE_WORDS = frozenset({"", "none", "no", "skip", "no link", "-"})


class SessionError(ValueError):
    """A request that cannot go ahead; the message is kind and safe to show."""


def parse_link(text: str) -> str:
    """A meeting link (https only, no spaces; a bare address gets https://), or "" when none is given."""
    if text.strip().lower() in _NONE_WORDS:
        return ""
    link = web_link(text)
    if link is None:
        raise SessionError(
            "That doesn't look like a meeting link. Please paste the https:// link (for example "
            "https://teams.microsoft.com/l/…), or type **none**."
        )
    return link


def check_draft(draft: SessionDraft, now: datetime) -> None:
    """Refuse a session without a short title, starting in the past, of odd length or with a bad link."""
    if not draft.title.strip() or len(draft.title) > MAX_TITLE:
        raise SessionError(f"Please give the session a short title (up to {MAX_TITLE} characters).")
    if draft.starts_at <= now:
        raise SessionError("That time has already passed. Please choose a time that's still ahead.")
    if not MIN_MINUTES <= draft.minutes <= MAX_MINUTES:
        raise SessionError(f"A session lasts between {MIN_MINUTES} minutes and {MAX_MINUTES // 60} hours.")
    parse_link(draft.link)


def check_answer(answer: str) -> None:
    """Refuse anything but the three RSVP answers."""
    if answer not in ANSWERS:
        raise SessionError("Please use one of the buttons: Yes, Maybe or No.")


def check_rsvp(session: GroupSession | None, invited: bool, now: datetime) -> None:
    """An answer counts only from someone invited, to a session neither cancelled nor started."""
    if session is None or not invited:
        raise SessionError("I can't find an invitation to that session for you.")
    if session.cancelled_at is not None:
        raise SessionError("That session has been cancelled, so there's nothing to answer.")
    if now >= session.starts_at:
        raise SessionError("That session has already started, so your answer can't change now.")


def check_cancel(session: GroupSession, now: datetime) -> None:
    """Only a session not cancelled and not yet started can be cancelled."""
    if session.cancelled_at is not None or now >= session.starts_at:
        raise SessionError("That session has already been cancelled or has started.")


def deliver_at(now: datetime, time_zone: str, hours: WorkingHours, starts_at: datetime) -> datetime:
    """Within the person's working hours, unless that would be after the start (then straight away)."""
    at = next_delivery_time(now, time_zone, hours)
    return at if at < starts_at else now


def due_reminder(session: GroupSession, now: datetime) -> tuple[str, datetime] | None:
    """The latest reminder due at `now` (label, instant), or None before the first."""
    due = [(label, session.starts_at - before) for label, before in REMINDERS if session.starts_at - before <= now]
    # A day-before reminder missed until the last hour is not worth sending.
    return due[-1] if due else None


def heard_before(invite: Invite, time_zone: str, hours: WorkingHours, session: GroupSession, at: datetime) -> bool:
    """Whether the invitation arrived before the reminder instant (a reminder must not come first)."""
    assert invite.invited_at is not None  # set on insert
    return deliver_at(invite.invited_at, time_zone, hours, session.starts_at) < at


def counts(invites: Sequence[Invite]) -> SessionCounts:
    """How many invitees said yes, maybe, no, or have not answered."""
    answers = [i.answer for i in invites]
    return SessionCounts(answers.count("yes"), answers.count("maybe"), answers.count("no"), answers.count(NO_ANSWER))
