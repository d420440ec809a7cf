"""Every surface that shows what people type, rendered as Teams renders it: the words arrive as
literal text, never as a link or formatting. One typed value carries a disguised link and bold
text; it stands in for each name, answer, hope, aim, agenda, note and free-text poll answer.

A surface passes when, in every string Teams reads as Markdown (TextBlocks and FactSets of
the card, or the text of a plain message), the value appears escaped and never raw.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from channels.markup import escape
from channels.render import render
from domain.aims import cards as aims_cards
from domain.aims import wording as aims_wording
from domain.aims.model import AimRating, Hopes, SharedAims
from domain.broadcasts import wording as broadcasts
from domain.broadcasts.model import Audience, AudienceKind, Broadcast, BroadcastStatus, Draft, Summary
from domain.cohorts import wording as cohorts
from domain.cohorts.model import Roster
from domain.core.model import Cohort, Participant, Partnership, ProfileAnswer
from domain.core.reply import Reply
from domain.enrolment import wording as enrolment
from domain.enrolment.model import EnrolmentDraft
from domain.health import cards as health_cards
from domain.health import wording as health
from domain.health.model import Health, HealthRow, PartnerLeft, Paused
from domain.meetings import cards as meeting_cards
from domain.meetings.model import Meeting, MeetingFormat, MeetingStatus
from domain.pairing import wording as pairing
from domain.pairing.model import Suggestion
from domain.polls import wording as polls
from domain.polls.model import PollListing, Question, QuestionKind
from domain.polls.results import PollResults, QuestionResult
from domain.sessions import wording as sessions
from domain.sessions.model import GroupSession
from tests.domain.poll_fixtures import CHECKIN

TYPED = "[click](https://evil.example) **bold**"
SHOWN = escape(TYPED)
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
COHORT = Cohort(1, TYPED, "K7TQ3M", date(2027, 3, 1), 12, [TYPED, TYPED, TYPED])
ADA = Participant(1, "msteams", "29:ada", TYPED, email="ada@nhs.example", cohort_id=1)
SAM = Participant(2, "msteams", "29:sam", TYPED, cohort_id=1)
PAIR = Partnership(10, 1, 1, 2)
AIMS = SharedAims(5, 10, (TYPED, TYPED), 1, "agreed", NOW, NOW)
MEETING = Meeting(7, 10, 1, MeetingStatus.PROPOSED, [NOW], None, 60, MeetingFormat.IN_PERSON, TYPED, TYPED)
SESSION = GroupSession(3, 1, TYPED, NOW, 60)
BROADCAST = Broadcast(4, Draft("Hello", Audience(AudienceKind.COHORT, "1")), BroadcastStatus.SENT, NOW, NOW)
FREE_TEXT = Question("q", QuestionKind.TEXT, "What helped?")

SURFACES: dict[str, Callable[[], Reply]] = {
    "introduction to the partner (name, cohort, profile answers)": lambda: pairing.introduction(
        ADA, [ProfileAnswer(TYPED, TYPED)], COHORT
    ),
    "pairing suggestions (names, cohort)": lambda: pairing.suggestions_reply(COHORT, [Suggestion(ADA, SAM, "x")]),
    "enrolment summary (profile answers, cohort)": lambda: enrolment.summary(
        EnrolmentDraft(1, TYPED, [TYPED], [TYPED], "both", "4w", "online"), editing=False
    ),
    "unknown join code (what was typed)": lambda: enrolment.unknown_code(TYPED),
    "hopes card (names, hopes)": lambda: aims_cards.hopes_card([ADA, SAM], [Hopes(1, TYPED, TYPED)]),
    "suggested aims to the partner (name, aims)": lambda: aims_cards.proposal_card(AIMS, ADA),
    "agreed aims": lambda: aims_cards.agreed_card(AIMS),
    "progress ratings (aims, names)": lambda: aims_cards.ratings_card(
        "mid", AIMS, [ADA, SAM], [AimRating(1, "mid", (1, 2))]
    ),
    "waiting for the partner's hopes (plain message)": lambda: aims_wording.waiting_for_hopes(SAM),
    "rating one aim": lambda: aims_wording.rating_question([TYPED], 0),
    "meeting proposal to the partner (name, place, agenda)": lambda: meeting_cards.proposal_card(
        MEETING, ADA, "Europe/London", None
    ),
    "meeting declined (name)": lambda: meeting_cards.declined_card(SAM, None, "Europe/London"),
    "pause told to the partner who paused (name)": lambda: health.pause_reply(Paused(None, TYPED)),
    "partner leaving, to facilitators (names)": lambda: health.leaving_reply(PartnerLeft(TYPED, TYPED)),
    "health report (names, cohort)": lambda: health.health_reply(
        [HealthRow(TYPED, (TYPED, TYPED), Health.QUIET, None, False)]
    ),
    "quiet pair alert (names, cohort)": lambda: health_cards.quiet_alert((TYPED, TYPED), Health.QUIET, TYPED),
    "contact alert (names)": lambda: health_cards.contact_alert(TYPED, TYPED, "contact"),
    "unreachable alert (name)": lambda: health_cards.unreachable_alert(TYPED),
    "new partner request (name, cohort)": lambda: health_cards.new_partner_request(TYPED, TYPED),
    "partner leaving, to the one who stays (name)": lambda: health_cards.leaving_support(TYPED, True, "Ending", 7),
    "participants roster (names, cohort, shared aims)": lambda: cohorts.roster_reply(
        [Roster(COHORT, [ADA, SAM], [PAIR])]
    ),
    "cohort created (cohort)": lambda: cohorts.cohort_created(COHORT),
    "poll free-text results (answers, cohort)": lambda: polls.results_reply(
        PollResults(PollListing(CHECKIN_POLL, TYPED, 5, 6), (QuestionResult(FREE_TEXT, 5, texts=(TYPED,) * 5),)),
        NOW,
        "",
    ),
    "poll contact request (name)": lambda: polls.contact_reply(CHECKIN_POLL, TYPED),
    "polls list (cohort)": lambda: polls.polls_list_reply([PollListing(CHECKIN_POLL, TYPED, 1, 2)], NOW),
    "session invitation (title, cohort)": lambda: sessions.invitation(SESSION, TYPED, "Europe/London"),
    "broadcast status (cohort, unreachable names)": lambda: broadcasts.status_reply(
        BROADCAST, Summary(unreachable=1, unreachable_names=(TYPED,)), [COHORT], "Europe/London"
    ),
}


def _checkin_poll() -> Any:
    from domain.polls.model import Poll

    return Poll(9, 1, CHECKIN, False, NOW, NOW.replace(month=4))


CHECKIN_POLL = _checkin_poll()


def markdown_strings(activity: dict[str, Any]) -> list[str]:
    """The strings Teams renders as Markdown: card TextBlocks and FactSets, or a message's text."""
    if "text" in activity:
        return [activity["text"]]
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                found.append(node["text"])
            if node.get("type") == "FactSet":
                found.extend(s for fact in node["facts"] for s in (fact["title"], fact["value"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(activity["attachments"][0]["content"])
    return found


@pytest.mark.parametrize("channel", ["msteams", "slack"])
@pytest.mark.parametrize("surface", list(SURFACES))
def test_typed_words_arrive_as_literal_text(surface: str, channel: str) -> None:
    shown = "\n".join(markdown_strings(render(SURFACES[surface](), channel)))
    assert SHOWN in shown, f"{surface}: the typed words are missing or not escaped"
    assert "](https://evil.example)" not in shown and "**bold**" not in shown and "\ufdd0" not in shown


def test_a_broadcast_keeps_the_facilitators_formatting() -> None:
    draft = Draft("**Launch** is on _Monday_: [book](https://trust.example/book)", Audience(AudienceKind.EVERYONE))
    shown = "\n".join(markdown_strings(render(broadcasts.message_reply(draft), "msteams")))
    assert "**Launch** is on _Monday_: [book](https://trust.example/book)" in shown
