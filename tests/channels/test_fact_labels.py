"""Fact labels stay short: Teams shows a Fact's title in a narrow column (about 150 px), where a
question or a long name wraps a word a line and breaks long words ("representa/tive").

Two guards. Every card builder reached here (the typed-text surfaces, whose names and answers
are long, plus the rest with real content) is rendered for Teams, and no FactSet title may pass
FACT_TITLE_MAX characters or hold what a person typed. And every `Fact(...)` written in the
code must take a short literal title, or one of the few label helpers exercised below, so a new
builder cannot put a question, a name or a date in a Fact's label unnoticed.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from channels.render import render
from domain.broadcasts import wording as broadcasts
from domain.broadcasts.model import Audience, AudienceKind, Broadcast, BroadcastStatus, Draft, Summary
from domain.core.content import load_profile_questions
from domain.core.model import Cohort, Participant, ProfileAnswer
from domain.core.reply import FACT_TITLE_MAX, VERBATIM_START, Reply
from domain.enrolment import wording as enrolment
from domain.enrolment.model import EnrolmentDraft
from domain.guide import browse
from domain.guide.content import load_guide
from domain.guide.model import GuidePlace
from domain.guide.wording import prompt_reply, support_reply
from domain.health import cards as health_cards
from domain.home.model import CohortCount, HomeView
from domain.home.wording import home_reply
from domain.meetings import cards as meeting_cards
from domain.meetings.model import Meeting, MeetingFormat, MeetingStatus, Overview
from domain.meetings.wording import meetings_card
from domain.pairing import wording as pairing
from domain.polls import wording as polls
from domain.polls.model import PollListing
from domain.polls.results import PollResults, tally
from domain.sessions import wording as sessions
from domain.sessions.model import GroupSession, SessionCounts
from tests.channels.test_typed_text_surfaces import CHECKIN_POLL, SURFACES
from tests.domain.poll_fixtures import CHECKIN

ROOT = Path(__file__).resolve().parents[2]
CODE = ("domain", "dialogs", "channels", "web", "scheduling", "slack_app", "teams_app")
# Label helpers whose every value is short: exercised by the builders below.
SHORT_LABELS = {
    "_week_label(p.week)",  # "Week 12", "Launch week", "1 week before launch"
    "_week_label(p.week) if isinstance(p, Prompt) else 'Extra prompt'",
    "label.capitalize()",  # a broadcast's "Pending", "Sent", "Failed", "Unreachable"
}

GUIDE = load_guide()
QUESTIONS = load_profile_questions().questions
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LONG_NAME = "Oluwaseun Adebayo-Whitfield"
COHORT = Cohort(1, "Spring 2027 senior leadership cohort", "K7TQ3M", date(2027, 3, 1), 12, list(QUESTIONS))
ADA = Participant(1, "msteams", "29:ada", LONG_NAME, cohort_id=1, time_zone="Europe/London")
SAM = Participant(2, "msteams", "29:sam", "Sam Patel", cohort_id=1, time_zone="Europe/London")
SOON = NOW + timedelta(days=3)


def _meeting(meeting_id: int, status: MeetingStatus, start: datetime | None) -> Meeting:
    return Meeting(meeting_id, 10, 2, status, [SOON, SOON + timedelta(days=1)], start, 45, MeetingFormat.TEAMS)


def _every_prompt_id() -> list[str]:
    return [p.id for p in GUIDE.prompts]


MORE_CARDS: dict[str, Callable[[], Reply]] = {
    "enrolment summary (the cohort's own questions)": lambda: enrolment.summary(
        EnrolmentDraft(1, COHORT.name, list(QUESTIONS), ["Yes"] * 3, "bme_colleague", "4w", "online"), editing=True
    ),
    "introduction (the cohort's own questions)": lambda: pairing.introduction(
        ADA, [ProfileAnswer(q, "A long and thoughtful answer") for q in QUESTIONS], COHORT
    ),
    "support": lambda: support_reply(GUIDE),
    "every support option": lambda: support_reply(GUIDE, everything=True),
    "home, partnered": lambda: home_reply(
        HomeView(True, True, COHORT.name, LONG_NAME, False, SOON, "Europe/London", "What surprised you?")
    ),
    "home, facilitator": lambda: home_reply(
        HomeView(True, True, COHORT.name, is_facilitator=True, cohorts=(CohortCount(COHORT.name, 12, None),))
    ),
    "guide overview": lambda: browse.guide_overview_reply(GUIDE, GuidePlace(10, 12, tuple(_every_prompt_id()), ())),
    "earlier prompts": lambda: browse.earlier_reply(GUIDE, ["P0-1", "P0-2", *_every_prompt_id()[:8]]),
    "phases": lambda: browse.phases_reply(GUIDE),
    "one phase": lambda: browse.phase_reply(GUIDE, "P0"),
    "resources": lambda: browse.resources_reply(GUIDE, None),
    "saved for later": lambda: browse.saved_reply(GUIDE, ["P0-1", "T-2"]),
    "a guide prompt": lambda: prompt_reply(GUIDE.prompts[5], GUIDE),
    "meetings overview": lambda: meetings_card(
        Overview(
            ADA,
            SAM,
            [_meeting(1, MeetingStatus.CONFIRMED, SOON)],
            [_meeting(2, MeetingStatus.PROPOSED, None)],
            [_meeting(3, MeetingStatus.CONFIRMED, NOW - timedelta(days=30))],
            0,
        )
    ),
    "meeting proposal": lambda: meeting_cards.proposal_card(
        _meeting(4, MeetingStatus.PROPOSED, None), SAM, "Europe/London", None
    ),
    "poll results": lambda: polls.results_reply(
        PollResults(PollListing(CHECKIN_POLL, COHORT.name, 6, 8), tally(CHECKIN.questions, [{"met": "2"}] * 6)),
        NOW + timedelta(days=60),
        "",
    ),
    "polls list": lambda: polls.polls_list_reply([PollListing(CHECKIN_POLL, COHORT.name, 6, 8)], NOW),
    "broadcast status": lambda: broadcasts.status_reply(
        Broadcast(4, Draft("Hello", Audience(AudienceKind.EVERYONE)), BroadcastStatus.SENT, NOW, NOW),
        Summary(sent=7, failed=1, unreachable=1, unreachable_names=(LONG_NAME,)),
        [COHORT],
        "Europe/London",
    ),
    "group sessions": lambda: sessions.sessions_reply(
        [(GroupSession(3, 1, "Reflecting on power", SOON, 90), COHORT.name, SessionCounts(6, 2, 1, 3))],
        NOW,
        "Europe/London",
    ),
    "contact alert": lambda: health_cards.contact_alert(LONG_NAME, "Sam Patel", "not_working"),
    "quiet pair alert": lambda: health_cards.quiet_alert((LONG_NAME, "Sam Patel"), health_cards.Health.QUIET, "x"),
}
CARDS = {**SURFACES, **MORE_CARDS}


def fact_titles(node: Any) -> Iterator[str]:
    """Every FactSet title anywhere in a rendered Adaptive Card."""
    if isinstance(node, dict):
        if node.get("type") == "FactSet":
            yield from (fact["title"] for fact in node["facts"])
        for value in node.values():
            yield from fact_titles(value)
    elif isinstance(node, list):
        for value in node:
            yield from fact_titles(value)


@pytest.mark.parametrize("card", list(CARDS))
def test_no_fact_label_is_long_or_typed(card: str) -> None:
    reply = CARDS[card]()
    neutral = [f.title for f in reply.facts] + [f.title for s in reply.sections for f in s.facts]
    assert not [t for t in neutral if VERBATIM_START in t], f"{card}: typed words in a Fact label"
    teams = list(fact_titles(render(reply, "msteams")["attachments"][0]["content"])) if neutral else []
    assert len(teams) == len(neutral)
    too_long = [t for t in teams if len(t) > FACT_TITLE_MAX]
    assert not too_long, f"{card}: Fact labels over {FACT_TITLE_MAX} characters: {too_long}"


def long_labels(source: str) -> list[tuple[int, str]]:
    """(line, title) of each `Fact(...)` in `source` whose title is neither a short literal nor a known short label."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Fact":
            title = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "title"), None)
            short = (
                isinstance(title, ast.Constant) and isinstance(title.value, str) and len(title.value) <= FACT_TITLE_MAX
            )
            if title is not None and not short and ast.unparse(title) not in SHORT_LABELS:
                found.append((node.lineno, ast.unparse(title)))
    return found


def test_every_fact_in_the_code_takes_a_short_label() -> None:
    files = [path for folder in CODE for path in sorted((ROOT / folder).rglob("*.py"))]
    assert sum("Fact(" in path.read_text(encoding="utf-8") for path in files) > 10  # the walk found the builders
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {title}"
        for path in files
        for line, title in long_labels(path.read_text(encoding="utf-8"))
    ]
    assert not wrong, (
        f"Fact titles must be short literals (at most {FACT_TITLE_MAX} characters): put a question above its "
        f"answer (question_sections) and a list labelled by names, dates or titles in `listed` rows: {wrong}"
    )


def test_the_static_guard_catches_questions_names_and_long_labels() -> None:
    source = (
        "Fact(verbatim(q), a)\n"
        'Fact("Group (facilitators only)", g)\n'
        'Fact("When", w)\n'
        'reply.Fact(title=f"{person.label} {name}", value=n)\n'
        "Fact(_week_label(p.week), p.text)\n"
        "Fact(**row)\n"
    )
    assert long_labels(source) == [
        (1, "verbatim(q)"),
        (2, "'Group (facilitators only)'"),
        (4, "f'{person.label} {name}'"),
    ]
