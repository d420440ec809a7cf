"""The introduction partners receive, the Teams chat link, and the companion's fixed
wording (domain/messages.py): equal partners, no programme group in sight."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from domain.core import wording as messages
from domain.core.model import Cohort, Group, Participant, ProfileAnswer
from domain.core.reply import Reply
from domain.pairing.wording import chat_link, introduction
from tests.reading import as_read

COHORT = Cohort(
    id=1,
    name="Spring 2027",
    join_code="K7TQ3M",
    start_date=date(2027, 4, 1),
    length_months=12,
    profile_questions=["Q1", "Q2", "Q3"],
)
PROFILE = [
    ProfileAnswer("What should your partner know?", "I coach netball."),
    ProfileAnswer("What do you hope to learn?", "How decisions land on wards."),
]
FORBIDDEN = ("black", "minority", "ethnic", "bme", "senior leader", "senior_leader", "mentor", "mentee")
CHAT = "https://teams.microsoft.com/l/chat/0/0"


def _person(
    name: str = "Sam Patel", email: str = "", aad: str = "", group: Group | None = Group.SENIOR_LEADER
) -> Participant:
    return Participant(
        id=7,
        channel_id="msteams",
        user_id="29:sam",
        name=name,
        email=email,
        aad_object_id=aad,
        cohort_id=1,
        group=group,
    )


def _users(link: str) -> list[str]:
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CHAT
    return parse_qs(parts.query)["users"]


@pytest.mark.parametrize(
    ("email", "aad", "users"),
    [
        ("sam@nhs.example", "", ["sam@nhs.example"]),
        ("sam@nhs.example", "0f1e2d3c-aaaa-bbbb-cccc-1234567890ab", ["sam@nhs.example"]),
        ("sam.patel+plp@nhs.example", "", ["sam.patel+plp@nhs.example"]),
        ("", "0f1e2d3c-aaaa-bbbb-cccc-1234567890ab", ["8:orgid:0f1e2d3c-aaaa-bbbb-cccc-1234567890ab"]),
    ],
)
def test_chat_link_opens_a_chat_with_the_partner(email: str, aad: str, users: list[str]) -> None:
    assert _users(chat_link(_person(email=email, aad=aad))) == users


def test_chat_link_is_empty_when_there_is_no_way_to_address_the_partner() -> None:
    assert chat_link(_person()) == ""


def test_introduction_presents_the_partner_their_answers_and_a_chat_button() -> None:
    reply = as_read(introduction(_person(email="sam@nhs.example"), PROFILE, COHORT))
    assert reply.title == "Meet your learning partner: Sam Patel"
    assert "Sam Patel" in reply.text and "Spring 2027" in reply.text and "equals" in reply.text
    assert reply.text.endswith("\n\nIn Sam Patel's words:")
    *answers, next_steps = reply.sections
    # each question is a heading above its answer, never a Fact: Teams' narrow label column would wrap it
    assert [(s.heading, s.text, s.facts) for s in answers] == [(a.question, a.answer, ()) for a in PROFILE]
    assert next_steps.heading == "What happens next" and "help" in next_steps.text
    chat, meet, help_button = reply.actions
    assert (chat.title, chat.kind, _users(chat.url)) == ("Chat with Sam Patel", "open_url", ["sam@nhs.example"])
    assert (meet.kind, meet.data) == ("submit", {"command": "meet"})
    assert (help_button.kind, help_button.data) == ("submit", {"command": "help"})


def test_introduction_without_a_link_offers_a_meeting_and_help() -> None:
    reply = introduction(_person(), PROFILE, COHORT)
    assert [(a.title, a.kind) for a in reply.actions] == [("Propose a first meeting", "submit"), ("Help", "submit")]


def test_introduction_to_someone_without_a_name_still_reads_well() -> None:
    reply = introduction(_person(name=""), [], COHORT)
    assert reply.title == "Meet your learning partner: your learning partner"
    assert reply.text.startswith("You and your learning partner are now learning partners")
    assert "words" not in reply.text  # no answers, so no lead-in to them
    assert [s.heading for s in reply.sections] == ["What happens next"]


def test_introduction_survives_the_outbox_round_trip() -> None:
    reply = introduction(_person(aad="aad-7"), PROFILE, COHORT)
    assert Reply.from_dict(json.loads(json.dumps(reply.to_dict()))) == reply


@pytest.mark.parametrize("group", [Group.SENIOR_LEADER, Group.BME_COLLEAGUE, Group.BOTH, None])
def test_introduction_wording_is_the_same_whatever_the_partners_group(group: Group | None) -> None:
    reply = introduction(_person(email="sam@nhs.example", group=group), PROFILE, COHORT)
    wording = json.dumps(reply.to_dict()).lower()
    assert [word for word in FORBIDDEN if word in wording] == []
    assert reply == introduction(_person(email="sam@nhs.example", group=Group.SENIOR_LEADER), PROFILE, COHORT)


FIXED_WORDING = [
    messages.greeting(),
    messages.help_reply(False),
    messages.help_reply(True),
    messages.not_understood(False),
    messages.not_understood(True),
    messages.facilitators_only(),
    messages.cancelled(),
    messages.group_chat_redirect(),
    Reply(text=messages.PRIVACY_NOTICE),
]


@pytest.mark.parametrize("reply", FIXED_WORDING)
def test_fixed_wording_never_casts_partners_as_unequal(reply: Reply) -> None:
    wording = json.dumps(reply.to_dict()).lower()
    assert "mentor" not in wording and "mentee" not in wording
    assert reply.text or reply.title


def _commands(reply: Reply) -> list[str]:
    return [a.data["command"] for a in reply.actions]


def test_help_shows_facilitator_commands_only_to_facilitators() -> None:
    partner, facilitator = messages.help_reply(False), messages.help_reply(True)
    # At most five buttons (Teams shows about six); the text lists every command.
    assert _commands(partner) == ["join", "profile", "guide", "aims", "support"]
    assert _commands(facilitator) == ["create cohort", "participants", "health", "suggest pairs", "pair"]
    assert "create cohort" not in partner.text and "**create cohort**" in facilitator.text
    assert "**add facilitator**" in facilitator.text and "**guide**" in facilitator.text
    assert "**cancel**" in partner.text


@pytest.mark.parametrize("is_facilitator", [False, True])
def test_not_understood_apologises_and_offers_help_in_one_tap_not_a_list(is_facilitator: bool) -> None:
    reply = messages.not_understood(is_facilitator)
    assert reply.title.startswith("Sorry") and len(reply.text.splitlines()) == 1
    assert [a.data["command"] for a in reply.actions] == ["help", "help all"]


def test_greeting_offers_joining_and_help() -> None:
    assert _commands(messages.greeting()) == ["join", "profile", "help"]


def test_privacy_notice_says_who_sees_the_group_and_asks_for_agreement() -> None:
    assert "only ever seen by the programme's facilitators" in messages.PRIVACY_NOTICE
    assert messages.PRIVACY_NOTICE.rstrip().endswith("?")
