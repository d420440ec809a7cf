"""Partnership health through the real bot on a real database: `pause` and `resume`, the
private check-in and after-leaving buttons, and the facilitators' `health`, `pause partnership`,
`resume partnership` and `partner leaving`.

Ada works in London and Sam in New York; Fran facilitates (named in FACILITATORS).
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from channels.text import plain_text
from domain.core.facilitators import FacilitatorDirectory
from domain.core.model import GROUP_TITLES, Group, OutboxMessage, OutboxStatus, Partnership, PartnershipStatus
from domain.core.reply import Reply
from domain.health import service as health_services
from domain.health import team_service as health_team_services
from domain.health.wording import CHECKIN_LABELS, NOT_PAIRED, USE_BUTTONS
from domain.meetings import service as meetings
from storage.outbox_store import OutboxStore
from storage.store import SqlStore
from tests.dialogs.chat import GUIDE, NOW, Chat, make_bot

FAC = frozenset({"fac-1"})
ZONES = {"ada": "Europe/London", "sam": "America/New_York"}
NAMES = {"ada": "Ada", "sam": "Sam"}


@pytest.fixture
async def people(engine: AsyncEngine) -> dict[str, int]:
    """Ada and Sam, enrolled and paired (Ada is partner a), and Fran, who facilitates."""
    async with SqlStore(engine).transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2027", "SPRING", date(2027, 3, 1), 12, ["a", "b", "c"], NOW)
        ids = {"fran": (await uow.participants.upsert_identity("test", "fac-1", "Fran", "", NOW)).id}
        for key, name in NAMES.items():
            person = await uow.participants.upsert_identity("test", f"u-{key}", name, "", NOW)
            await uow.participants.save_enrolment(
                person.id,
                cohort.id,
                Group.SENIOR_LEADER if key == "ada" else Group.BME_COLLEAGUE,
                [],
                "monthly",
                "online",
                ZONES[key],
                NOW,
            )
            ids[key] = person.id
        partnership = await uow.partnerships.create(cohort.id, ids["ada"], ids["sam"], date(2027, 3, 1), NOW)
    return {**ids, "partnership": partnership.id}


def _chats(engine: AsyncEngine, wakes: list[int] | None = None) -> tuple[Chat, Chat, Chat]:
    bot = make_bot(engine, FAC, wakes=wakes)
    return Chat(bot, "u-ada", "Ada"), Chat(bot, "u-sam", "Sam"), Chat(bot, "fac-1", "Fran")


async def _outbox(engine: AsyncEngine, participant_id: int, kind: str = "") -> list[OutboxMessage]:
    async with SqlStore(engine).transaction() as uow:
        return [m for m in await uow.outbox.list_for(participant_id) if not kind or m.kind == kind]


async def _partnership(engine: AsyncEngine, partnership_id: int) -> Partnership:
    async with SqlStore(engine).transaction() as uow:
        found = await uow.partnerships.get(partnership_id)
    assert found is not None
    return found


async def _deliver_due(engine: AsyncEngine) -> list[str]:
    """What the sender would post at NOW: claim every due row and mark it sent; their kinds."""
    sender = OutboxStore(engine)
    claimed = await sender.claim(NOW, 50, "test", 60)
    for message in claimed:
        assert await sender.mark_sent(message.id, "test", NOW, f"activity-{message.id}")
    return [m.kind for m in claimed]


def _text(message: OutboxMessage) -> str:
    return plain_text(Reply.from_dict(message.payload))


@pytest.mark.parametrize(
    "reason, code, length, until",
    [
        ("Leave", "leave", "2 weeks", date(2027, 3, 15)),
        ("Clinical pressure", "clinical_pressure", "1 month", date(2027, 4, 1)),
        ("Something else", "other", "3 months", date(2027, 6, 1)),
        ("2", "clinical_pressure", "Not sure yet", None),
    ],
)
async def test_pause_asks_why_and_for_how_long_and_tells_the_partner_without_the_reason(
    engine: AsyncEngine, people: dict[str, int], reason: str, code: str, length: str, until: date | None
) -> None:
    wakes: list[int] = []
    ada, _, _ = _chats(engine, wakes)
    asked = await ada.last("pause")
    assert "1. Leave\n2. Clinical pressure\n3. Something else" in asked and "won't tell your partner" in asked
    assert "1. 2 weeks\n2. 1 month\n3. 3 months\n4. Not sure yet" in await ada.last(reason)
    done = await ada.last(length)
    assert "paused" in done and "Sam" in done and wakes == [1]
    stored = await _partnership(engine, people["partnership"])
    assert (stored.status, stored.paused_until, stored.pause_reason) == (PartnershipStatus.PAUSED, until, code)
    (notice,) = await _outbox(engine, people["sam"])
    shown = _text(notice).lower()
    assert notice.kind == "paused" and "paused" in shown
    for secret in ("leave", "clinical", "pressure", "something else", code):
        assert secret not in shown and secret not in json.dumps(notice.payload).lower()


async def test_pause_without_a_partner_says_so_before_any_question(engine: AsyncEngine, people: dict[str, int]) -> None:
    loner = Chat(make_bot(engine, FAC), "u-lone", "Lone")
    replies = await loner.say("pause")
    assert replies == [NOT_PAIRED]
    assert "didn't catch" in (await loner.last("1")).lower()  # no question was left waiting


async def test_resume_makes_it_active_again_and_tells_the_partner(engine: AsyncEngine, people: dict[str, int]) -> None:
    ada, sam, _ = _chats(engine)
    for text in ("pause", "Leave", "Not sure yet"):
        await sam.say(text)
    assert await _deliver_due(engine) == ["paused"]  # Ada is in working hours: told at once
    assert "active again" in await sam.last("resume")
    stored = await _partnership(engine, people["partnership"])
    assert (stored.status, stored.paused_until, stored.pause_reason) == (PartnershipStatus.ACTIVE, None, "")
    assert [m.kind for m in await _outbox(engine, people["ada"])] == ["paused", "resumed"]
    assert "isn't paused" in await ada.last("resume")


@pytest.mark.parametrize("answer", ["fine", "not_working"])
async def test_check_in_buttons_keep_the_answer_private_and_alert_nobody(
    engine: AsyncEngine, people: dict[str, int], answer: str
) -> None:
    _, sam, _ = _chats(engine)
    assert "Thank" in await sam.last(value={"command": f"checkin {answer}"})
    async with SqlStore(engine).transaction() as uow:
        assert [c.answer for c in await uow.health.checkins(people["partnership"])] == [answer]
    for who in ("ada", "sam", "fran"):
        assert await _outbox(engine, people[who]) == []


async def test_asking_to_be_contacted_alerts_the_facilitator_and_never_the_partner(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    wakes: list[int] = []
    _, sam, _ = _chats(engine, wakes)
    assert "Your partner won't be told" in await sam.last(value={"command": "checkin contact"})
    (alert,) = await _outbox(engine, people["fran"])
    assert alert.kind == "facilitator_alert" and alert.due_at == NOW and wakes == [1]
    assert "Sam would like the programme team to get in touch" in _text(alert)
    assert await _outbox(engine, people["ada"]) == []


async def test_an_unknown_check_in_button_is_refused_kindly(engine: AsyncEngine, people: dict[str, int]) -> None:
    _, sam, _ = _chats(engine)
    assert await sam.last(value={"command": "checkin maybe"}) == USE_BUTTONS


async def test_after_leaving_buttons(engine: AsyncEngine, people: dict[str, int]) -> None:
    await health_team_services.partner_leaving(SqlStore(engine), people["partnership"], people["sam"], GUIDE, NOW)
    ada, _, _ = _chats(engine)
    assert "proper closing" in await ada.last(value={"command": "after leaving close"})
    assert "carry on informally" in await ada.last(value={"command": "after leaving informal"})
    assert await _outbox(engine, people["fran"]) == []
    assert "programme team know" in await ada.last(value={"command": "after leaving repair"})
    (alert,) = await _outbox(engine, people["fran"])
    assert "Ada (Spring 2027) would like a new learning partner" in _text(alert)


async def test_health_lists_status_last_met_and_aims_but_no_group_or_private_answer(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    store = SqlStore(engine)
    await meetings.log_met(store, people["ada"], NOW - timedelta(days=1), NOW)
    await health_services.save_checkin(store, people["sam"], "not_working", FacilitatorDirectory(FAC), NOW)
    ada, _, fran = _chats(engine)
    listing = await fran.last("health")
    assert "1 partnership: 1 active." in listing
    assert "- **Ada and Sam**: Spring 2027 · last met Sunday 28 February 2027 · aims not agreed yet" in listing
    for private in (*GROUP_TITLES.values(), *CHECKIN_LABELS.values(), "not_working", "check-in"):
        assert private.lower() not in listing.lower()
    for text in ("pause", "Clinical pressure", "Not sure yet"):
        await ada.say(text)
    listing = await fran.last("health")
    assert "Paused (1)" in listing and "Clinical pressure".lower() not in listing.lower()


async def test_facilitators_pause_and_resume_a_partnership(engine: AsyncEngine, people: dict[str, int]) -> None:
    _, _, fran = _chats(engine)
    assert "1. Ada and Sam" in await fran.last("pause partnership")
    assert "Not sure yet" in await fran.last("1")
    assert "Both partners have been told" in await fran.last("1 month")
    assert await _deliver_due(engine) == ["paused"]  # Ada's, now; Sam's waits for 9am New York time
    stored = await _partnership(engine, people["partnership"])
    assert (stored.status, stored.paused_until) == (PartnershipStatus.PAUSED, date(2027, 4, 1))
    assert "no active partnerships" in await fran.last("pause partnership")
    assert "1. Ada and Sam" in await fran.last("resume partnership")
    assert "Resumed" in await fran.last("1")
    assert (await _partnership(engine, people["partnership"])).status is PartnershipStatus.ACTIVE
    assert [m.kind for m in await _outbox(engine, people["ada"])] == ["paused", "resumed"]
    # Sam never heard of the pause, so his notice is withdrawn and no "welcome back" follows.
    assert [(m.kind, m.status) for m in await _outbox(engine, people["sam"])] == [("paused", OutboxStatus.CANCELLED)]
    assert "No partnership is paused" in await fran.last("resume partnership")


async def test_partner_leaving_ends_it_and_supports_the_partner_who_stays(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    await meetings.log_met(SqlStore(engine), people["ada"], NOW - timedelta(days=1), NOW)
    _, _, fran = _chats(engine)
    assert "1. Ada and Sam" in await fran.last("partner leaving")
    assert "Who is leaving?\n\n1. Ada\n2. Sam" in await fran.last("1")
    assert "closing note" in await fran.last("Sam")
    assert "has ended" in await fran.last("yes")
    stored = await _partnership(engine, people["partnership"])
    assert (stored.status, stored.end_reason) == (PartnershipStatus.ENDED, "left_trust")
    assert [m.kind for m in await _outbox(engine, people["sam"])] == ["partnership_ended"]
    (support,) = await _outbox(engine, people["ada"], "leaving_support")
    assert "Sam is leaving" in _text(support) and "Ending well" in _text(support)
    assert await _outbox(engine, people["ada"], "partnership_ended") == []


async def test_partner_leaving_not_now_changes_nothing(engine: AsyncEngine, people: dict[str, int]) -> None:
    _, _, fran = _chats(engine)
    for text in ("partner leaving", "1", "Ada"):
        await fran.say(text)
    assert "nothing has changed" in await fran.last("Not now")
    assert (await _partnership(engine, people["partnership"])).status is PartnershipStatus.ACTIVE
    assert await _outbox(engine, people["ada"]) == [] and await _outbox(engine, people["sam"]) == []


async def test_partners_cannot_use_the_facilitator_health_commands(engine: AsyncEngine, people: dict[str, int]) -> None:
    ada, _, _ = _chats(engine)
    for command in ("health", "pause partnership", "resume partnership", "partner leaving"):
        assert "facilitators do" in await ada.last(command)
    assert (await _partnership(engine, people["partnership"])).status is PartnershipStatus.ACTIVE
