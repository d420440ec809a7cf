"""The dashboard's sign-in and session rules over real loopback HTTP, on SQLite and PostgreSQL:
the `dashboard` link works once and for ten minutes, the session cookie's attributes, the idle
timeout, sign out, the facilitator role checked on every request, and CSRF on every POST."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot import SIGNER, STORE
from domain.audit.service import recent_audit
from domain.core.clock import FixedClock
from domain.core.model import Role
from domain.dashboard.links import DASHBOARD
from domain.dashboard.rules import link_subject
from tests.e2e.harness import Harness, TeamsUser, card_text, running, settings_for
from tests.web.dashboard_client import DashboardClient, link_in, sign_in_link, signed_in

MONDAY = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY)


@pytest.fixture
async def harness(database_url: str, clock: FixedClock) -> AsyncIterator[Harness]:
    settings = settings_for(database_url, facilitators=frozenset({"29:fran"}), public_url="https://plp.example.org")
    async with running(replace(settings, public_url="http://localhost:3978"), clock) as h:
        yield h


@pytest.fixture
async def fran(harness: Harness) -> TeamsUser:
    person = harness.person("Fran")
    assert await person.install() == 201
    return person


async def participant_id(h: Harness, user: TeamsUser) -> int:
    async with h.app[STORE].reading() as uow:
        found = await uow.participants.find_by_user("msteams", user.user_id)
    assert found is not None
    return found.id


async def test_the_command_gives_a_facilitator_a_link_under_the_public_url(harness: Harness, fran: TeamsUser) -> None:
    replies = await fran.say("dashboard")
    assert "works for the next 10 minutes" in card_text(replies[-1])
    assert link_in(replies[-1]).startswith("http://localhost:3978/dashboard/sign-in/")


async def test_a_partner_asking_for_the_dashboard_is_told_kindly_it_is_for_facilitators(harness: Harness) -> None:
    sam = harness.person("Sam")
    await sam.install()
    reply = card_text((await sam.say("dashboard"))[-1])
    assert "facilitators do" in reply and "sign-in" not in reply


async def test_the_link_signs_in_once_with_a_strict_http_only_cookie(harness: Harness, fran: TeamsUser) -> None:
    client = DashboardClient.of(harness)
    path = await sign_in_link(fran)
    looked = await client.get(path)
    assert looked.status == 200 and "Continue to the dashboard" in looked.text
    assert (await client.get(path)).status == 200, "looking (a link preview) must not use the link up"
    pressed = await client.post(path)
    assert pressed.status == 303 and pressed.headers["Location"] == "/dashboard"
    cookie = pressed.headers["Set-Cookie"]
    assert cookie.startswith("plp-dashboard=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Path=/" in cookie and "Secure" not in cookie  # an http public URL in development
    page = await client.get("/dashboard")
    assert page.status == 200 and "Signed in as Fran" in page.text
    assert page.headers["Cache-Control"] == "no-store" and page.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]

    second = DashboardClient.of(harness)
    again = await second.post(path)
    assert again.status == 410 and "already been used" in again.text and not second.cookies
    assert (await second.get(path)).status == 410
    assert (await second.get("/dashboard")).status == 403


async def test_sign_in_is_recorded_in_the_audit(harness: Harness, fran: TeamsUser) -> None:
    await signed_in(DashboardClient.of(harness), fran)
    trail = await recent_audit(harness.app[STORE])
    newest = trail.entries[0]  # (older: the FACILITATORS entry pinned to Fran)
    assert (newest.action, newest.actor_id, newest.subject_id) == (
        "open_dashboard",
        await participant_id(harness, fran),
        None,
    )


async def test_an_expired_or_altered_link_gets_a_clear_refusal(
    harness: Harness, fran: TeamsUser, clock: FixedClock
) -> None:
    client = DashboardClient.of(harness)
    path = await sign_in_link(fran)
    altered = path[:-1] + ("A" if path[-1] != "A" else "B")
    refused = await client.post(altered)
    assert refused.status == 404 and "doesn't work" in refused.text
    assert (await client.get("/dashboard/sign-in/%00%ff")).status == 404
    clock.current = MONDAY + timedelta(minutes=10)
    expired = await client.post(path)
    assert expired.status == 410 and "has expired" in expired.text and not client.cookies


async def test_a_link_signed_for_someone_who_does_not_facilitate_opens_nothing(harness: Harness) -> None:
    sam = harness.person("Sam")
    await sam.install()
    token = harness.app[SIGNER].sign(
        DASHBOARD, link_subject(await participant_id(harness, sam), "ab" * 12), MONDAY + timedelta(minutes=5)
    )
    client = DashboardClient.of(harness)
    refused = await client.post(f"/dashboard/sign-in/{token}")
    assert refused.status == 403 and "for the programme's facilitators" in refused.text and not client.cookies


async def test_without_a_session_every_page_is_refused(harness: Harness) -> None:
    client = DashboardClient.of(harness)
    for path in ("/dashboard", "/dashboard/partnerships", "/dashboard/audit", "/dashboard/exports/cohorts.csv"):
        answer = await client.get(path)
        assert answer.status == 403 and "Please sign in" in answer.text, path
    client.cookies["plp-dashboard"] = "made-up"
    assert (await client.get("/dashboard")).status == 403


async def test_the_session_ends_after_thirty_idle_minutes_but_not_while_used(
    harness: Harness, fran: TeamsUser, clock: FixedClock
) -> None:
    client = DashboardClient.of(harness)
    await signed_in(client, fran)
    clock.current = MONDAY + timedelta(minutes=25)
    assert (await client.get("/dashboard/meetings")).status == 200
    clock.current = MONDAY + timedelta(minutes=50)  # 25 minutes after the last use
    assert (await client.get("/dashboard")).status == 200
    clock.current = MONDAY + timedelta(minutes=80)  # 30 minutes idle
    timed_out = await client.get("/dashboard")
    assert timed_out.status == 403 and "signed out" in timed_out.text
    assert not client.cookies, "the dead cookie is cleared"


async def test_sign_out_ends_the_session_in_the_database(harness: Harness, fran: TeamsUser) -> None:
    client = DashboardClient.of(harness)
    page = await signed_in(client, fran)
    kept = dict(client.cookies)
    out = await client.post("/dashboard/sign-out", {"csrf": page.csrf})
    assert out.status == 200 and "signed out" in out.text and not client.cookies
    client.cookies.update(kept)  # a copy of the old cookie opens nothing any more
    assert (await client.get("/dashboard")).status == 403


async def test_a_removed_facilitator_loses_access_at_the_next_request(harness: Harness) -> None:
    kim = harness.person("Kim")
    await kim.install()
    kim_id = await participant_id(harness, kim)
    async with harness.app[STORE].transaction() as uow:
        await uow.participants.set_role(kim_id, Role.FACILITATOR)
    client = DashboardClient.of(harness)
    await signed_in(client, kim)
    async with harness.app[STORE].transaction() as uow:
        await uow.participants.set_role(kim_id, Role.PARTNER)
    refused = await client.get("/dashboard")
    assert refused.status == 403 and "facilitator role" in refused.text
    async with harness.app[STORE].transaction() as uow:
        await uow.participants.set_role(kim_id, Role.FACILITATOR)
    assert (await client.get("/dashboard")).status == 403, "the session ended with the role"


async def test_every_post_needs_the_pages_csrf_token_and_our_origin(harness: Harness, fran: TeamsUser) -> None:
    client = DashboardClient.of(harness)
    page = await signed_in(client, fran)
    for form in ({}, {"csrf": "forged"}, {"csrf": page.csrf + "x"}):
        refused = await client.post("/dashboard/sign-out", form)
        assert refused.status == 403 and "That form has expired" in refused.text
    foreign = await client.post("/dashboard/sign-out", {"csrf": page.csrf}, Origin="https://evil.example")
    assert foreign.status == 403
    assert (await client.post("/dashboard/compose", {"text": "Hello", "audience": "everyone"})).status == 403
    assert (await client.get("/dashboard")).status == 200, "refused posts changed nothing"
    with_header = await client.post("/dashboard/compose/preview", {"text": "Hi **all**"}, **{"X-CSRF-Token": page.csrf})
    assert with_header.status == 200 and "<strong>all</strong>" in with_header.text


async def test_an_https_public_url_makes_the_cookie_secure_and_host_only(database_url: str, clock: FixedClock) -> None:
    settings = settings_for(database_url, facilitators=frozenset({"29:fran"}), public_url="https://plp.example.org")
    async with running(settings, clock) as h:
        fran = h.person("Fran")
        await fran.install()
        replies = await fran.say("dashboard")
        assert link_in(replies[-1]).startswith("https://plp.example.org/dashboard/sign-in/")
        client = DashboardClient.of(h)
        pressed = await client.post(await sign_in_link(fran))
        cookie = pressed.headers["Set-Cookie"]
        assert cookie.startswith("__Host-plp-dashboard=") and "Secure" in cookie and "Domain" not in cookie


async def test_bad_requests_get_a_4xx_never_a_500(harness: Harness, fran: TeamsUser) -> None:
    client = DashboardClient.of(harness)
    page = await signed_in(client, fran)
    assert (await client.get("/dashboard/partnerships?cohort=abc")).status == 400
    assert (await client.get("/dashboard/partnerships?health=fine")).status == 400
    assert (await client.get("/dashboard/broadcasts/999")).status == 404
    assert (await client.get("/dashboard/broadcasts/x1")).status == 404
    assert (await client.get("/dashboard/exports/secrets.csv")).status == 404
    assert (await client.get("/dashboard/exports/poll-77.csv")).status == 404
    nonsense = await client.post("/dashboard/compose", {"csrf": page.csrf, "audience": "cohort:999", "when": "soon"})
    assert nonsense.status == 400 and "Please write the message" in nonsense.text
    assert (await client.post("/dashboard/broadcasts/999/resend", {"csrf": page.csrf})).status == 404
