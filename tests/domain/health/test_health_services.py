"""Partnership health services on the real database: pause and resume, private check-ins,
facilitator pause and resume, a partner leaving, what comes after, and the `health` rows.

Ada works in London and Sam in New York: on NOW (Monday 1 March 2027, 09:00 UTC) Ada is in
working hours and Sam's next working start is 09:00 New York time (14:00 UTC).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.aims.service import accept_aims, propose_aims, save_hopes
from domain.core.facilitators import FacilitatorDirectory
from domain.core.model import NewOutboxMessage, OutboxStatus, PartnershipStatus, Role, outbox_key
from domain.core.reply import Reply
from domain.guide.content import load_guide
from domain.guide.model import Trigger
from domain.health import service as hs
from domain.health import team_service as team
from domain.health import wording
from domain.health.cards import contact_alert, paused_notice, resumed_notice
from domain.health.model import FACILITATOR_PAUSE, PAUSE_REASONS, Health, HealthRow
from domain.health.wording import checkin_thanks
from domain.meetings import service as meetings
from storage.outbox_store import OutboxStore
from storage.store import SqlStore
from tests.domain.meeting_fixtures import NOW, TUE_2PM, Pair, book, make_pair, outbox
from tests.reading import as_read

GUIDE = load_guide()
SAM_MORNING = datetime(2027, 3, 1, 14, 0, tzinfo=UTC)  # 9:00am in New York
CONFIGURED = FacilitatorDirectory(frozenset({"u-fran"}))
ENDING_PROMPT = GUIDE.triggered_for(Trigger.PARTNER_LEAVING_OR_ROLE_CHANGE)[0].text


@pytest.fixture
async def facilitators(store: SqlStore) -> list[int]:
    """Fran is named in FACILITATORS; Gail was granted the role in chat."""
    async with store.transaction() as uow:
        fran = await uow.participants.upsert_identity("test", "u-fran", "Fran", "", NOW)
        gail = await uow.participants.upsert_identity("test", "u-gail", "Gail", "", NOW)
        await uow.participants.set_role(gail.id, Role.FACILITATOR)
    return [fran.id, gail.id]


async def _partnership(store: SqlStore, partnership_id: int):
    async with store.transaction() as uow:
        return await uow.partnerships.get(partnership_id)


async def _everything(store: SqlStore, *people: int) -> list[str]:
    """Every outbox row of these people as JSON text, to search for anything private."""
    return [json.dumps(m.payload) for pid in people for m in await outbox(store, pid)]


@pytest.mark.parametrize("reason", list(PAUSE_REASONS))
@pytest.mark.parametrize("until", [date(2027, 3, 15), None])
async def test_pause_stores_reason_and_date_and_tells_the_partner_without_the_reason(
    store: SqlStore, pair: Pair, reason: str, until: date | None
) -> None:
    result = await hs.pause(store, pair.ada, until, reason, NOW)
    reply = wording.pause_reply(result)
    assert result.queued and "Sam" in reply.text and "resume" in reply.text
    stored = await _partnership(store, pair.partnership)
    assert (stored.status, stored.paused_until, stored.pause_reason) == (PartnershipStatus.PAUSED, until, reason)
    (notice,) = await outbox(store, pair.sam)
    assert (notice.kind, notice.due_at) == ("paused", SAM_MORNING)
    assert Reply.from_dict(notice.payload) == paused_notice(until)
    assert reason not in json.dumps(notice.payload) and "clinical" not in json.dumps(notice.payload).lower()
    assert await outbox(store, pair.ada) == []


async def test_pause_says_a_meeting_booked_inside_it_is_kept_and_offers_to_cancel_it(
    store: SqlStore, pair: Pair
) -> None:
    booked = await book(store, pair, TUE_2PM)  # Tuesday 2 March, 14:00 UTC
    later = await book(store, pair, TUE_2PM + timedelta(days=28))  # after the pause ends
    before = {m.idempotency_key for m in await outbox(store, pair.sam)}
    result = await hs.pause(store, pair.ada, date(2027, 3, 15), "leave", NOW)
    assert [b.meeting_id for b in result.booked] == [booked.id]  # only the one inside the pause
    mine = as_read(wording.pause_reply(result))
    assert "Your meeting on Tuesday 2 March 2027, 14:00 is still booked: it stays, and Sam has been told." in mine.text
    cancel = {"command": f"meeting cancel {booked.id}", "card": f"meeting:{booked.id}:confirmed"}
    assert [a.data for a in mine.actions] == [cancel]
    (notice,) = [m for m in await outbox(store, pair.sam) if m.idempotency_key not in before]
    card = Reply.from_dict(notice.payload)
    # Sam reads the time in New York and sees the same choice: kept unless one of them cancels it.
    assert "Your meeting on Tuesday 2 March 2027, 09:00 is still booked: it stays unless one of you cancels it." in (
        card.text
    )
    assert [(a.title, a.data) for a in card.actions] == [("Cancel that meeting", cancel)]
    assert f"meeting cancel {later.id}" not in json.dumps(notice.payload)
    async with store.transaction() as uow:  # the booking itself is untouched
        assert (await uow.meetings.get(booked.id)).status == (await uow.meetings.get(later.id)).status


async def test_a_team_pause_tells_both_partners_of_a_booked_meeting_each_in_their_zone(
    store: SqlStore, pair: Pair
) -> None:
    booked = await book(store, pair, TUE_2PM)
    before = {m.idempotency_key for p in (pair.ada, pair.sam) for m in await outbox(store, p)}
    result = await team.facilitator_pause(store, pair.partnership, None, NOW)
    assert "They have 1 meeting booked within the pause" in wording.team_pause_reply(result).text
    for person, shown in ((pair.ada, "14:00"), (pair.sam, "09:00")):
        (notice,) = [m for m in await outbox(store, person) if m.idempotency_key not in before]
        assert f"Your meeting on Tuesday 2 March 2027, {shown} is still booked" in Reply.from_dict(notice.payload).text
        assert f"meeting cancel {booked.id}" in json.dumps(notice.payload)


async def test_pause_refuses_an_unknown_reason_a_past_date_and_someone_without_a_partner(
    store: SqlStore, pair: Pair
) -> None:
    with pytest.raises(hs.HealthError, match="listed reasons"):
        await hs.pause(store, pair.ada, None, "bored", NOW)
    with pytest.raises(hs.HealthError, match="after today"):
        await hs.pause(store, pair.ada, NOW.date(), "leave", NOW)
    async with store.transaction() as uow:
        loner = await uow.participants.upsert_identity("test", "u-lone", "Lone", "", NOW)
    with pytest.raises(hs.HealthError, match="nothing to pause"):
        await hs.pause(store, loner.id, None, "leave", NOW)
    assert (await _partnership(store, pair.partnership)).status is PartnershipStatus.ACTIVE
    assert await outbox(store, pair.sam) == []


async def _deliver_due(engine: AsyncEngine, now: datetime) -> list[str]:
    """What the sender would post at `now`: claim every due row and mark it sent; their kinds."""
    sender = OutboxStore(engine)
    claimed = await sender.claim(now, 50, "test", 60)
    for message in claimed:
        assert await sender.mark_sent(message.id, "test", now, f"activity-{message.id}")
    return [m.kind for m in claimed]


async def test_resume_clears_the_pause_and_tells_the_partner(engine: AsyncEngine, store: SqlStore, pair: Pair) -> None:
    await hs.pause(store, pair.ada, date(2027, 4, 1), "leave", NOW)
    assert await _deliver_due(engine, SAM_MORNING) == ["paused"]
    later = NOW + timedelta(days=3)
    result = await hs.resume(store, pair.ada, later)
    assert result.queued and "Sam" in wording.resume_reply(result).text
    stored = await _partnership(store, pair.partnership)
    assert (stored.status, stored.paused_until, stored.pause_reason) == (PartnershipStatus.ACTIVE, None, "")
    (notice,) = [m for m in await outbox(store, pair.sam) if m.kind == "resumed"]
    assert (notice.due_at, Reply.from_dict(notice.payload)) == (later + timedelta(hours=5), resumed_notice())
    again = await hs.resume(store, pair.ada, later)
    assert not again.queued and "isn't paused" in wording.resume_reply(again).text
    assert [m.kind for m in await outbox(store, pair.sam)] == ["paused", "resumed"]


async def test_resuming_before_the_pause_notice_went_out_withdraws_it_and_says_nothing(
    store: SqlStore, pair: Pair
) -> None:
    await hs.pause(store, pair.ada, None, "clinical_pressure", NOW)
    await hs.resume(store, pair.ada, NOW + timedelta(hours=1))  # Sam's notice waits for 9am New York time
    assert [(m.kind, m.status) for m in await outbox(store, pair.sam)] == [("paused", OutboxStatus.CANCELLED)]


@pytest.mark.parametrize("answer", ["fine", "not_working"])
async def test_a_private_check_in_is_kept_and_tells_nobody(
    store: SqlStore, pair: Pair, facilitators: list[int], answer: str
) -> None:
    result = await hs.save_checkin(store, pair.ada, answer, CONFIGURED, NOW)
    assert (wording.checkin_reply(result), result.queued) == (checkin_thanks(answer), False)
    async with store.transaction() as uow:
        (kept,) = await uow.health.checkins(pair.partnership)
    assert (kept.participant_id, kept.answer) == (pair.ada, answer)
    assert await _everything(store, pair.ada, pair.sam, *facilitators) == []


async def test_asking_to_be_contacted_alerts_every_facilitator_and_never_the_partner(
    store: SqlStore, pair: Pair, facilitators: list[int]
) -> None:
    result = await hs.save_checkin(store, pair.sam, "contact", CONFIGURED, NOW)
    assert result.queued and wording.checkin_reply(result) == checkin_thanks("contact")
    for fid in facilitators:
        (alert,) = await outbox(store, fid)
        assert (alert.kind, alert.due_at) == ("facilitator_alert", NOW)
        assert Reply.from_dict(alert.payload) == contact_alert(
            "Sam", "Ada", "contact", pair.partnership, "https://teams.microsoft.com/l/chat/0/0?users=sam%40nhs.test"
        )
    assert await outbox(store, pair.ada) == [] and await outbox(store, pair.sam) == []
    again = await hs.save_checkin(store, pair.sam, "contact", CONFIGURED, NOW + timedelta(hours=1))
    assert not again.queued  # a second press the same day sends no second alert
    async with store.transaction() as uow:
        assert [c.answer for c in await uow.health.checkins(pair.partnership)] == ["contact", "contact"]


async def test_a_partner_who_also_facilitates_never_gets_the_alert_about_their_own_pair(
    store: SqlStore, pair: Pair, facilitators: list[int]
) -> None:
    async with store.transaction() as uow:
        await uow.participants.set_role(pair.ada, Role.FACILITATOR)
    await hs.save_checkin(store, pair.sam, "contact", CONFIGURED, NOW)
    assert await outbox(store, pair.ada) == []
    assert [len(await outbox(store, fid)) for fid in facilitators] == [1, 1]


async def test_a_check_in_is_refused_with_an_unknown_answer_or_after_the_partnership_closed(
    store: SqlStore, pair: Pair
) -> None:
    with pytest.raises(hs.HealthError, match="buttons"):
        await hs.save_checkin(store, pair.ada, "meh", CONFIGURED, NOW)
    await team.partner_leaving(store, pair.partnership, pair.sam, GUIDE, NOW)
    with pytest.raises(hs.HealthError, match="has closed"):
        await hs.save_checkin(store, pair.ada, "fine", CONFIGURED, NOW)
    async with store.transaction() as uow:
        assert await uow.health.checkins(pair.partnership) == []


async def test_facilitators_pause_and_resume_and_both_partners_hear_of_it(
    engine: AsyncEngine, store: SqlStore, pair: Pair
) -> None:
    paused = await team.facilitator_pause(store, pair.partnership, date(2027, 4, 1), NOW)
    queued = [Reply.from_dict(m.payload) for p in (pair.ada, pair.sam) for m in await outbox(store, p)]
    assert queued == [paused_notice(date(2027, 4, 1))] * 2  # the same notice to both
    assert sorted(await _deliver_due(engine, SAM_MORNING)) == ["paused", "paused"]
    assert paused.queued and "1 April 2027" in wording.team_pause_reply(paused).text
    stored = await _partnership(store, pair.partnership)
    assert (stored.status, stored.pause_reason) == (PartnershipStatus.PAUSED, FACILITATOR_PAUSE)
    later = NOW + timedelta(days=7)
    assert (await team.facilitator_resume(store, pair.partnership, later)).queued
    assert (await _partnership(store, pair.partnership)).status is PartnershipStatus.ACTIVE
    ada, sam = await outbox(store, pair.ada), await outbox(store, pair.sam)
    assert [(m.kind, m.due_at) for m in ada] == [("paused", NOW), ("resumed", later)]
    assert [(m.kind, m.due_at) for m in sam] == [("paused", SAM_MORNING), ("resumed", later + timedelta(hours=5))]
    assert ada[0].payload == sam[0].payload == {}  # sent: no copy of the words is kept
    await team.facilitator_pause(store, pair.partnership, None, later)
    with pytest.raises(hs.HealthError, match="programme team paused"):
        await hs.resume(store, pair.sam, later)  # a partner doesn't undo the team's pause
    assert (await team.facilitator_resume(store, pair.partnership, later)).queued
    not_paused = await team.facilitator_resume(store, pair.partnership, later)
    assert not not_paused.queued and "isn't paused" in wording.team_resume_reply(not_paused).text


async def test_facilitators_cannot_pause_an_ended_or_unknown_partnership(store: SqlStore, pair: Pair) -> None:
    await team.partner_leaving(store, pair.partnership, pair.ada, GUIDE, NOW)
    for partnership_id in (pair.partnership, 999):
        with pytest.raises(hs.HealthError, match="isn't current"):
            await team.facilitator_pause(store, partnership_id, None, NOW)
        with pytest.raises(hs.HealthError, match="isn't current"):
            await team.facilitator_resume(store, partnership_id, NOW)


async def test_a_partner_leaving_ends_it_sends_the_closing_note_and_withdraws_what_was_pending(
    store: SqlStore, pair: Pair
) -> None:
    await book(store, pair, TUE_2PM)
    async with store.transaction() as uow:
        await uow.outbox.enqueue(
            [
                NewOutboxMessage(
                    outbox_key("guide", pair.partnership, pair.ada, "P1-1"),
                    "guide",
                    pair.ada,
                    Reply(text="prompt").to_dict(),
                    NOW + timedelta(days=2),
                )
            ],
            NOW,
        )
    await hs.pause(store, pair.ada, None, "leave", NOW)  # Sam's notice waits for his working hours
    result = await team.partner_leaving(store, pair.partnership, pair.ada, GUIDE, NOW)
    reply = wording.leaving_reply(result)
    assert result.queued and "Ada" in reply.text and "Sam" in reply.text
    stored = await _partnership(store, pair.partnership)
    assert (stored.status, stored.end_reason, stored.ended_at) == (PartnershipStatus.ENDED, "left_trust", NOW)
    ada, sam = await outbox(store, pair.ada), await outbox(store, pair.sam)
    assert [m.kind for m in ada if m.kind == "partnership_ended"] == ["partnership_ended"]
    assert "partnership_ended" not in [m.kind for m in sam]
    withdrawn = ("reminder", "did_you_meet", "guide", "paused")  # all queued before the leaving
    earlier = [m for m in ada + sam if m.idempotency_key.split(":")[0] in withdrawn]
    assert {m.idempotency_key.split(":")[0] for m in earlier} == set(withdrawn)
    assert all(m.status is OutboxStatus.CANCELLED for m in earlier)
    assert [m.status for m in sam if m.kind == "leaving_support"] == [OutboxStatus.PENDING]


@pytest.mark.parametrize("had_met", [True, False])
async def test_the_remaining_partner_gets_support_with_the_ending_prompt_only_when_they_had_met(
    store: SqlStore, pair: Pair, had_met: bool
) -> None:
    if had_met:
        await meetings.log_met(store, pair.sam, NOW - timedelta(days=1), NOW)
    await team.partner_leaving(store, pair.partnership, pair.sam, GUIDE, NOW + timedelta(days=1))
    (support,) = [m for m in await outbox(store, pair.ada) if m.kind == "leaving_support"]
    card = Reply.from_dict(support.payload)
    assert "Sam" in card.text and support.due_at == NOW + timedelta(days=1)
    assert [a.data["command"] for a in card.actions] == [
        "after leaving repair",
        "after leaving close",
        "after leaving informal",
    ]
    assert (ENDING_PROMPT in json.dumps(support.payload)) is had_met


async def test_leaving_is_refused_for_someone_outside_the_partnership(store: SqlStore, pair: Pair) -> None:
    other = await make_pair(store, "AUTUMN", ("Bea", "Cal"))
    with pytest.raises(hs.HealthError, match="isn't in this partnership"):
        await team.partner_leaving(store, pair.partnership, other.ada, GUIDE, NOW)
    assert (await _partnership(store, pair.partnership)).status is PartnershipStatus.ACTIVE


async def test_after_leaving_a_new_partner_alerts_facilitators_once_a_day(
    store: SqlStore, pair: Pair, facilitators: list[int]
) -> None:
    await team.partner_leaving(store, pair.partnership, pair.ada, GUIDE, NOW)
    result = await hs.after_leaving(store, pair.sam, "repair", CONFIGURED, NOW)
    assert result.queued and "programme team" in wording.after_leaving_reply(result).text
    for fid in facilitators:
        (alert,) = await outbox(store, fid)
        assert alert.kind == "facilitator_alert" and "Sam (Spring) would like a new learning partner" in (
            as_read(Reply.from_dict(alert.payload)).text
        )
    assert not (await hs.after_leaving(store, pair.sam, "repair", CONFIGURED, NOW)).queued


@pytest.mark.parametrize("choice, words", [("close", "proper closing"), ("informal", "carry on informally")])
async def test_after_leaving_a_closing_or_carrying_on_is_a_kind_reply_only(
    store: SqlStore, pair: Pair, facilitators: list[int], choice: str, words: str
) -> None:
    await team.partner_leaving(store, pair.partnership, pair.ada, GUIDE, NOW)
    result = await hs.after_leaving(store, pair.sam, choice, CONFIGURED, NOW)
    assert not result.queued and words in wording.after_leaving_reply(result).text
    assert await _everything(store, *facilitators) == []


async def test_after_leaving_a_new_partner_is_not_asked_for_while_paired_or_by_an_unknown_button(
    store: SqlStore, pair: Pair, facilitators: list[int]
) -> None:
    result = await hs.after_leaving(store, pair.sam, "repair", CONFIGURED, NOW)
    assert not result.queued and "already have a learning partner" in wording.after_leaving_reply(result).text
    with pytest.raises(hs.HealthError, match="buttons"):
        await hs.after_leaving(store, pair.sam, "rematch", CONFIGURED, NOW)
    assert await _everything(store, *facilitators) == []


async def _agree_aims(store: SqlStore, pair: Pair) -> None:
    await save_hopes(store, pair.ada, "learn", "offer", NOW)
    await save_hopes(store, pair.sam, "learn", "offer", NOW)
    await propose_aims(store, pair.ada, ["Listen well", "Share a visit"], NOW)
    async with store.transaction() as uow:
        proposal = await uow.aims.open_proposal(pair.partnership)
    await accept_aims(store, pair.sam, proposal.id, NOW)


async def test_health_rows_give_status_last_met_and_aims_per_partnership(store: SqlStore, pair: Pair) -> None:
    later = NOW + timedelta(weeks=5)
    met_on = NOW + timedelta(weeks=4)
    await meetings.log_met(store, pair.ada, met_on, met_on)
    await _agree_aims(store, pair)
    quiet = await make_pair(store, "QUIET", ("Bea", "Cal"))
    await hs.save_checkin(store, quiet.ada, "not_working", CONFIGURED, NOW)
    paused = await make_pair(store, "PAUSED", ("Dee", "Eli"))
    await hs.pause(store, paused.ada, None, "clinical_pressure", NOW)
    ended = await make_pair(store, "ENDED", ("Fay", "Gus"))
    await team.partner_leaving(store, ended.partnership, ended.ada, GUIDE, NOW)
    strict = await make_pair(store, "STRICT", ("Hal", "Ivy"))
    async with store.transaction() as uow:
        await uow.cohorts.set_thresholds((await uow.partnerships.get(strict.partnership)).cohort_id, 2, 4)
    rows = await team.health_rows(store, later)
    assert sorted(rows, key=lambda r: r.names) == [
        HealthRow("Spring", ("Ada", "Sam"), Health.ACTIVE, met_on.date(), True),
        HealthRow("Spring", ("Bea", "Cal"), Health.QUIET, None, False),
        HealthRow("Spring", ("Dee", "Eli"), Health.PAUSED, None, False),
        HealthRow("Spring", ("Fay", "Gus"), Health.ENDED, None, False),
        HealthRow("Spring", ("Hal", "Ivy"), Health.INACTIVE, None, False),
    ]
