"""Nudge, check-in and alert cards: the commands their buttons send, what each audience may
see, and the tone (optional, no blame, no durations, no comparisons, no banned words)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from domain.core.identity import chat_link
from domain.core.model import Participant
from domain.core.reply import Reply
from domain.health.cards import (
    checkin_card,
    contact_alert,
    leaving_support,
    nudge_card,
    paused_notice,
    quiet_alert,
    resumed_notice,
    unreachable_alert,
)
from domain.health.model import CHECKIN_ANSWERS, Health, HealthRow
from domain.health.wording import checkin_thanks, health_reply
from tests.reading import as_read

BANNED = ("mentor", "mentee", "reverse")
# Partner-facing cards never count time, blame, or compare with other pairs.
BLAME = (
    "week",
    "month",
    "days",
    "haven't",
    "have not",
    "missed",
    "overdue",
    "still not",
    "other pairs",
    "other partnerships",
    "most pairs",
    "behind",
)
PRIVATE = (
    "All fine, just busy",
    "It isn't working for me",
    "I'd like the programme team to contact me",
    "not_working",
    "checkin",
)
ENDING = "What has surprised you most about each other?"


def _all_text(reply: Reply) -> str:
    return json.dumps(reply.to_dict(), ensure_ascii=False)


def _commands(reply: Reply) -> list[tuple[str, str]]:
    return [(a.title, a.data["command"]) for a in reply.actions]


PARTNER_CARDS = [
    nudge_card(),
    checkin_card(7),
    *(checkin_thanks(a) for a in CHECKIN_ANSWERS),
    paused_notice(date(2027, 5, 3)),
    paused_notice(None),
    resumed_notice(),
    leaving_support("Ada", True, ENDING, 7),
    leaving_support("Ada", False, ENDING, 7),
]
FACILITATOR_CARDS = [
    quiet_alert(("Ada", "Sam"), Health.QUIET, "Spring 2027"),
    contact_alert("Ada", "Sam", "contact"),
    unreachable_alert("Ada"),
    health_reply([HealthRow("Spring 2027", ("Ada", "Sam"), Health.QUIET, None, False)]),
]


@pytest.mark.parametrize("reply", PARTNER_CARDS + FACILITATOR_CARDS)
def test_no_banned_words_anywhere(reply: Reply) -> None:
    assert not [word for word in BANNED if word in _all_text(reply).lower()]


@pytest.mark.parametrize("reply", PARTNER_CARDS)
def test_partner_cards_never_count_time_blame_or_compare(reply: Reply) -> None:
    text = re.sub(r'"card": "[^"]*"', "", _all_text(reply).lower())  # a button's token is never shown
    assert not [word for word in BLAME if word in text]
    # The only number a partner sees is the date of a pause or "a 20-minute catch-up".
    assert set(re.findall(r"\d+", re.sub(r"3 may 2027", "", text))) <= {"20"}


def test_nudge_is_the_same_for_both_partners_warm_optional_and_names_nobody() -> None:
    nudge = nudge_card()
    assert nudge == nudge_card() and nudge.to_dict() == nudge_card().to_dict()
    assert "Diaries have been tough" in nudge.text and "NHS" in nudge.text
    assert "If it helps" in nudge.text and "20-minute catch-up still counts" in nudge.text
    assert "you and your partner" in nudge.text
    assert "Ada" not in _all_text(nudge)
    assert _commands(nudge) == [("Propose a time", "meet"), ("We've met", "we met"), ("Pause for a while", "pause")]


def test_checkin_is_private_with_three_answers() -> None:
    card = checkin_card(7)
    assert "never shown to your partner" in card.text
    assert "only sees it if you ask them to contact you" in card.text
    assert _commands(card) == [
        ("All fine, just busy", "checkin fine"),
        ("It isn't working for me", "checkin not_working"),
        ("I'd like the programme team to contact me", "checkin contact"),
    ]


@pytest.mark.parametrize(
    ("answer", "says", "commands"),
    [
        ("fine", "a short catch-up still counts", ["meet"]),
        ("not_working", "nobody's fault", ["checkin contact", "pause"]),
        ("contact", "asked the programme team to get in touch", []),
    ],
)
def test_checkin_thanks_depends_on_the_answer(answer: str, says: str, commands: list[str]) -> None:
    thanks = checkin_thanks(answer)
    assert says in thanks.text
    assert [a.data["command"] for a in thanks.actions] == commands


def test_checkin_thanks_refuses_an_unknown_answer() -> None:
    with pytest.raises(ValueError):
        checkin_thanks("maybe")


@pytest.mark.parametrize(("health", "label"), [(Health.QUIET, "Quiet"), (Health.INACTIVE, "Inactive")])
def test_quiet_alert_names_the_pair_and_status_but_no_private_answer(health: Health, label: str) -> None:
    alert = as_read(quiet_alert(("Ada", "Sam"), health, "Spring 2027"))
    text = _all_text(alert)
    assert "Ada and Sam" in alert.text and f"been {label.lower()}" in alert.text
    assert [(f.title, f.value) for f in alert.facts] == [
        ("Partnership", "Ada and Sam"),
        ("Cohort", "Spring 2027"),
        ("Status", label),
    ]
    assert not [private for private in PRIVATE if private in text]
    assert [a.title for a in alert.actions] == ["View health"]  # no partnership or addresses given


def _teams_person(email: str = "", aad_object_id: str = "") -> Participant:
    return Participant(id=1, channel_id="msteams", user_id="29:ada", email=email, aad_object_id=aad_object_id)


def test_alerts_carry_buttons_to_chat_pause_and_view_health() -> None:
    ada = chat_link(_teams_person(email="ada@nhs.test"))
    quiet = quiet_alert(("Ada", "Sam"), Health.QUIET, "Spring 2027", 7, (ada, ""))
    assert [(a.title, a.kind, a.url or a.data) for a in quiet.actions] == [
        ("Chat with Ada", "open_url", "https://teams.microsoft.com/l/chat/0/0?users=ada%40nhs.test"),
        # Sam's address is unknown: no chat. The pause names the partnership while active (out of date after).
        ("Pause partnership", "submit", {"command": "pause partnership 7", "card": "partnership:7:active"}),
        ("View health", "submit", {"command": "health"}),
    ]
    contact = contact_alert("Ada", "Sam", "contact", 7, chat_link(_teams_person(aad_object_id="aad-ada")))
    assert [a.title for a in contact.actions] == ["Chat with Ada", "Pause partnership", "View health"]
    assert contact.actions[0].url == "https://teams.microsoft.com/l/chat/0/0?users=8%3Aorgid%3Aaad-ada"


def test_contact_alert_is_the_only_alert_showing_the_answer() -> None:
    alert = as_read(contact_alert("Ada", "Sam", "not_working"))
    assert "Ada would like the programme team to get in touch" in alert.text
    assert "don't mention it to Sam" in alert.text
    assert ("Check-in answer", "It isn't working for me") in [(f.title, f.value) for f in alert.facts]
    with pytest.raises(ValueError):
        contact_alert("Ada", "Sam", "whatever")


def test_unreachable_alert_names_the_person() -> None:
    alert = as_read(unreachable_alert("Ada"))
    assert "I can no longer reach Ada" in alert.text and alert.title == "Someone can't be reached"


def test_paused_notice_gives_the_date_never_a_reason() -> None:
    until = paused_notice(date(2027, 5, 3))
    assert "paused until Monday 3 May 2027" in until.text
    assert "paused for now" in paused_notice(None).text
    for notice in (until, paused_notice(None)):
        assert not re.search(r"leave|clinical|pressure|because|reason", notice.text, re.IGNORECASE)


def test_resumed_notice_offers_a_time() -> None:
    notice = resumed_notice()
    assert "back on" in notice.text and _commands(notice) == [("Propose a time", "meet")]


@pytest.mark.parametrize("had_met", [True, False])
def test_leaving_support_offers_three_ways_on(had_met: bool) -> None:
    reply = as_read(leaving_support("Ada", had_met, ENDING, 7))
    assert "Ada is leaving the programme" in reply.text and "nobody's fault" in reply.text
    assert _commands(reply) == [
        ("A new learning partner", "after leaving repair"),
        ("A proper closing", "after leaving close"),
        ("Carry on informally", "after leaving informal"),
    ]
    assert (ENDING in _all_text(reply)) is had_met
    assert ("learned together" in reply.text) is had_met


def test_health_reply_groups_by_status_with_counts_neediest_first() -> None:
    rows = [
        HealthRow("Spring 2027", ("Kim", "Lee"), Health.ACTIVE, date(2027, 5, 3), True),
        HealthRow("Spring 2027", ("Ada", "Sam"), Health.QUIET, None, False),
        HealthRow("Autumn 2027", ("Bo", "Cy"), Health.ACTIVE, date(2027, 4, 1), False),
        HealthRow("Spring 2027", ("Di", "Ed"), Health.INACTIVE, date(2027, 1, 2), True),
        HealthRow("Spring 2027", ("Fay", "Gus"), Health.ENDED, None, False),
    ]
    reply = as_read(health_reply(rows))
    assert reply.text == "5 partnerships: 1 inactive, 1 quiet, 2 active, 1 ended."
    assert [s.heading for s in reply.sections] == ["Inactive (1)", "Quiet (1)", "Active (2)", "Ended (1)"]
    active = reply.sections[2]
    assert active.text.splitlines() == [
        "- **Bo and Cy**: Autumn 2027 · last met Thursday 1 April 2027 · aims not agreed yet",
        "- **Kim and Lee**: Spring 2027 · last met Monday 3 May 2027 · aims agreed",
    ]
    assert reply.sections[1].text == "- **Ada and Sam**: Spring 2027 · no meeting logged yet · aims not agreed yet"
    assert all(s.facts == () for s in reply.sections)  # pairs' names are never a Fact's narrow label


def test_health_reply_with_one_or_no_partnerships() -> None:
    one = health_reply([HealthRow("Spring 2027", ("Ada", "Sam"), Health.PAUSED, None, True)])
    assert one.text == "1 partnership: 1 paused." and [s.heading for s in one.sections] == ["Paused (1)"]
    empty = health_reply([])
    assert empty.text == "There are no partnerships yet." and not empty.sections
