"""Cards that read well, as each channel renders them: a question is a wrapping heading above its
answer (never a FactSet label, where Teams wraps it a word a line), a list labelled by names or
dates is one wrapping bulleted TextBlock, and support is a short card with "More options"."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from channels.markup import escape
from channels.render import render
from channels.slack.blocks import slack_message
from channels.text import plain_text
from domain.core.content import load_profile_questions
from domain.core.model import Cohort, Participant, ProfileAnswer
from domain.core.reply import Reply
from domain.enrolment import wording as enrolment
from domain.enrolment.model import EnrolmentDraft
from domain.guide.content import load_guide
from domain.guide.wording import support_reply
from domain.health.model import Health, HealthRow
from domain.health.wording import health_reply
from domain.pairing import wording as pairing
from tests.channels.card_schema import assert_valid_card

QUESTIONS = load_profile_questions().questions
ANSWERS = ("I trained as a nurse in Leeds.", "How boards decide.", "Walks, early mornings.")
COHORT = Cohort(1, "Spring 2027", "K7TQ3M", date(2027, 3, 1), 12, list(QUESTIONS))
SAM = Participant(2, "msteams", "29:sam", "Sam Patel", cohort_id=1)
GUIDE = load_guide()


def introduction() -> Reply:
    return pairing.introduction(SAM, [ProfileAnswer(q, a) for q, a in zip(QUESTIONS, ANSWERS, strict=True)], COHORT)


def summary() -> Reply:
    draft = EnrolmentDraft(1, "Spring 2027", list(QUESTIONS), list(ANSWERS), "senior_leader", "4w", "online")
    return enrolment.summary(draft, editing=False)


def teams(reply: Reply) -> dict[str, Any]:
    card = render(reply, "msteams")["attachments"][0]["content"]
    assert_valid_card(card)
    return card


def containers(card: dict[str, Any]) -> list[list[dict[str, Any]]]:
    return [element["items"] for element in card["body"] if element["type"] == "Container"]


def fact_sets(card: dict[str, Any]) -> list[dict[str, Any]]:
    inner = [item for items in containers(card) for item in items]
    return [element for element in card["body"] + inner if element["type"] == "FactSet"]


@pytest.mark.parametrize("build", [introduction, summary], ids=["introduction", "enrolment summary"])
def test_in_teams_each_question_is_a_wrapping_heading_above_its_answer(build: Any) -> None:
    card = teams(build())
    headed = {items[0]["text"]: items for items in containers(card)}
    for question, answer in zip(QUESTIONS, ANSWERS, strict=True):
        heading, said = headed[escape(question)]  # the question's own block: heading, then the answer
        assert heading == {"type": "TextBlock", "text": escape(question), "wrap": True, "weight": "Bolder"}
        assert said == {"type": "TextBlock", "text": answer, "wrap": True}
    labels = [fact["title"] for facts in fact_sets(card) for fact in facts["facts"]]
    assert not {escape(q) for q in QUESTIONS} & set(labels)
    assert all(len(label) <= 20 for label in labels)


def test_the_enrolment_summary_keeps_short_settings_as_facts_and_says_who_sees_the_answers() -> None:
    card = teams(summary())
    (settings,) = fact_sets(card)
    assert [f["title"] for f in settings["facts"]] == ["Cohort", "Group", "How often", "How to meet", "Time zone"]
    assert settings["facts"][1]["value"] == "Senior leader (only facilitators see this)"
    assert card["body"][1]["text"] == "Your partner will see your answers to the questions below."


def test_the_introduction_leads_into_the_partners_words_and_has_no_fact_set() -> None:
    card = teams(introduction())
    assert card["body"][2] == {"type": "TextBlock", "text": "In Sam Patel's words:", "wrap": True}
    assert fact_sets(card) == []


def test_in_slack_a_question_is_a_bold_section_above_its_answer_never_a_field() -> None:
    blocks = slack_message(introduction())["blocks"]
    texts = [block["text"]["text"] for block in blocks if block["type"] == "section" and "text" in block]
    for question, answer in zip(QUESTIONS, ANSWERS, strict=True):
        at = texts.index(f"*{question}*")
        assert texts[at + 1] == answer
    assert not [block for block in blocks if "fields" in block]


def test_in_plain_text_a_question_is_a_bold_line_above_its_answer() -> None:
    text = plain_text(summary())
    for question, answer in zip(QUESTIONS, ANSWERS, strict=True):
        assert f"**{escape(question)}**\n{answer}" in text


def test_a_list_labelled_by_names_is_one_wrapping_bulleted_text_block() -> None:
    rows = [
        HealthRow("Spring 2027", ("Oluwaseun Adebayo-Whitfield", "Sam Patel"), Health.ACTIVE, date(2027, 5, 3), True),
        HealthRow("Spring 2027", ("Kim Lee", "Bo Cy"), Health.ACTIVE, None, False),
    ]
    card = teams(health_reply(rows))
    ((heading, listed),) = containers(card)
    assert heading["text"] == "Active (2)"
    assert listed == {
        "type": "TextBlock",
        "text": "- **Kim Lee and Bo Cy**: Spring 2027 · no meeting logged yet · aims not agreed yet\n"
        "- **Oluwaseun Adebayo-Whitfield and Sam Patel**: Spring 2027 · last met Monday 3 May 2027 · aims agreed",
        "wrap": True,
    }
    assert fact_sets(card) == []


def test_support_is_a_short_card_with_more_options_that_opens_the_full_list() -> None:
    short, full = teams(support_reply(GUIDE)), teams(support_reply(GUIDE, everything=True))
    more = {"type": "Action.Submit", "title": "More options", "data": {"command": "support all"}}
    assert short["actions"][0] == more and more not in full["actions"]
    assert [items[0]["text"] for items in containers(short)] == ["At your trust", "If someone is at risk now"]
    assert "Across the NHS and nationally" in [items[0]["text"] for items in containers(full)]
    assert fact_sets(short) == fact_sets(full) == []  # long option names never sit in a narrow label column
    shown = plain_text(support_reply(GUIDE))
    assert len(shown.splitlines()) <= 25  # a laptop screen, without scrolling
    assert "More options: type `support all`" in shown  # where there are no buttons, the command
