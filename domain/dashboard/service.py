"""Dashboard sign-in use cases: the `dashboard` link, opening it once, the session on every request,
and signing out. The pages' reads are in reads.py.

A link is checked (signature, purpose, expiry) before the database is asked whether it was
used; using it and starting the session happen in one transaction, so two tabs racing with
the same link get one session between them. Every request re-reads the session and asks the
facilitator directory again, so a facilitator whose role is removed is out at their next click.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from domain.core.audit import record_event
from domain.core.facilitators import FacilitatorDirectory
from domain.core.ports import Store, UnitOfWork
from domain.core.signing import LinkSigner
from domain.dashboard.links import DASHBOARD, SignInLinks
from domain.dashboard.model import IDLE_TIMEOUT, MAX_SESSION, Refusal, SessionRecord, SignedIn, SignInLink, Viewer
from domain.dashboard.rules import lapsed, needs_touch, parse_link_subject, session_id
from domain.polls.results import csv_text
from domain.polls.service import results_for

_LONG_AGO = datetime(1970, 1, 2, tzinfo=UTC)  # opening a token "then" checks its signature, not its expiry
MAX_COOKIE_CHARS = 100
KEEP_AFTER = timedelta(days=1)  # ended sessions and used links are kept this long, then pruned at a sign-in


def sign_in_link(participant_id: int, links: SignInLinks) -> SignInLink:
    """A fresh single-use link for a facilitator (the command table lets only facilitators ask)."""
    url, expires_at = links.sign_in_url(participant_id)
    return SignInLink(url, expires_at)


def _opened(signer: LinkSigner, token: str, now: datetime) -> tuple[int, str, datetime] | Refusal:
    """(participant id, link id, expiry) of a genuine, unexpired sign-in token; else why not."""
    parsed = parse_link_subject(signer.open(DASHBOARD, token, now))
    if parsed is None:
        genuine = parse_link_subject(signer.open(DASHBOARD, token, _LONG_AGO)) is not None
        return Refusal.EXPIRED_LINK if genuine else Refusal.INVALID_LINK
    expires = datetime.fromtimestamp(int(token.split(".")[1]), UTC)
    return parsed[0], parsed[1], expires


async def check_link(store: Store, signer: LinkSigner, token: str, now: datetime) -> Refusal | None:
    """Whether the link would still sign someone in (the page before the button); reads only."""
    opened = _opened(signer, token, now)
    if isinstance(opened, Refusal):
        return opened
    async with store.reading() as uow:
        return Refusal.USED_LINK if await uow.dashboard.link_used(opened[1]) else None


async def sign_in(
    store: Store, signer: LinkSigner, token: str, facilitators: FacilitatorDirectory, now: datetime
) -> SignedIn | Refusal:
    """Use the link (once) and start a session for the facilitator it names; audited."""
    opened = _opened(signer, token, now)
    if isinstance(opened, Refusal):
        return opened
    participant_id, link_id, expires_at = opened
    async with store.transaction() as uow:
        if not await uow.dashboard.use_link(link_id, participant_id, now, expires_at):
            return Refusal.USED_LINK
        viewer = await _facilitator(uow, participant_id, facilitators, csrf_token=secrets.token_urlsafe(32))
        if viewer is None:
            return Refusal.NOT_FACILITATOR
        cookie = secrets.token_urlsafe(32)
        await uow.dashboard.open_session(
            SessionRecord(session_id(cookie), participant_id, viewer.csrf_token, created_at=now, last_seen_at=now)
        )
        await uow.dashboard.prune(now - MAX_SESSION - KEEP_AFTER, now - KEEP_AFTER)
        await record_event(uow, participant_id, "open_dashboard", None, now)
    return SignedIn(cookie, viewer)


async def viewer_for(
    store: Store,
    cookie: str,
    facilitators: FacilitatorDirectory,
    now: datetime,
    idle: timedelta = IDLE_TIMEOUT,
) -> Viewer | Refusal:
    """Who the session cookie belongs to, if the session is live and they still facilitate; else why not."""
    if not cookie or len(cookie) > MAX_COOKIE_CHARS:
        return Refusal.NO_SESSION
    sid = session_id(cookie)
    async with store.reading() as uow:
        record = await uow.dashboard.session(sid)
        if record is None:
            return Refusal.NO_SESSION
        if (why := lapsed(record, now, idle)) is not None:
            return why
        viewer = await _facilitator(uow, record.participant_id, facilitators, record.csrf_token)
    if viewer is None or needs_touch(record, now):
        async with store.transaction() as uow:
            if viewer is None:
                await uow.dashboard.end_session(sid, now)
            else:
                await uow.dashboard.touch(sid, now)
    return viewer if viewer is not None else Refusal.NOT_FACILITATOR


async def sign_out(store: Store, cookie: str, now: datetime) -> None:
    """End the session (a cookie naming none is ignored)."""
    if cookie and len(cookie) <= MAX_COOKIE_CHARS:
        async with store.transaction() as uow:
            await uow.dashboard.end_session(session_id(cookie), now)


async def poll_csv(store: Store, poll_id: int, facilitator_id: int, now: datetime) -> str | None:
    """A closed poll's suppressed aggregates as CSV (5 responses at least), recorded in the audit; else None."""
    found = await results_for(store, poll_id)
    if found is None or found.results is None or not found.exportable:
        return None
    async with store.transaction() as uow:
        await record_event(uow, facilitator_id, "export_poll", poll_id, now)
    return csv_text(found.results)


async def _facilitator(
    uow: UnitOfWork, participant_id: int, facilitators: FacilitatorDirectory, csrf_token: str
) -> Viewer | None:
    person = await uow.participants.get(participant_id)
    if person is None or person.erased_at is not None or not await facilitators.is_facilitator(uow, person):
        return None
    return Viewer(person.id, person.name, person.time_zone, csrf_token)
