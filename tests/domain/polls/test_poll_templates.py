"""The built-in poll templates load, match the guide brief, and bad ones are reported by file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.core.content import ContentError
from domain.polls.content import PollTemplateError, load_poll_templates
from domain.polls.model import PollTemplate, QuestionKind

FILE = "polls/quarterly_checkin.yaml"
GOOD = """id: quarterly_checkin
title: Check-in
intro: Hello
open_days: 14
reminder_days: [7]
questions:
  - {id: met, kind: single, text: "Met?", options: ["0", "1"]}
"""


def write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "polls").mkdir(exist_ok=True)
    (tmp_path / FILE).write_text(body, encoding="utf-8")
    return tmp_path


def load_one(tmp_path: Path, body: str) -> dict[str, PollTemplate]:
    return load_poll_templates(write(tmp_path, body), (FILE,))


def test_the_quarterly_check_in_follows_the_brief() -> None:
    checkin = load_poll_templates()["quarterly_checkin"]
    kinds = [q.kind for q in checkin.questions]
    assert kinds.count(QuestionKind.AGREE) == 4 and QuestionKind.MULTIPLE in kinds and QuestionKind.TEXT in kinds
    assert [o.value for o in checkin.questions[0].options] == ["0", "1", "2", "3", "4+"]
    assert [q.id for q in checkin.questions if q.contact] == ["contact_me"]
    assert checkin.anonymous


def test_the_evaluation_survey_follows_the_brief() -> None:
    survey = load_poll_templates()["evaluation_survey"]
    by_id = {q.id: q for q in survey.questions}
    assert survey.consent.startswith("This survey asks about your experience")
    assert (survey.open_days, survey.reminder_days) == (33, (10, 24))
    assert by_id["recommend"].required and [o.value for o in by_id["recommend"].options] == ["Yes", "No"]
    assert by_id["likely"].kind == QuestionKind.SCALE and not by_id["likely"].required
    assert [o.value for o in by_id["interview"].options] == ["Yes", "No"]
    assert [q.id for q in survey.questions if q.required] == ["recommend"]
    for text in (q.text for q in survey.questions):
        assert "mentor" not in text.lower()


def test_a_good_file_loads(tmp_path: Path) -> None:
    [template] = load_one(tmp_path, GOOD).values()
    assert template.questions[0].required is False and template.closing


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("kind: single", "kind: ranking"),
            "polls/quarterly_checkin.yaml:7: question 'met': field 'kind': must be one of",
        ),
        (('options: ["0", "1"]', 'options: ["0"]'), "question 'met': field 'options': must list at least two"),
        (('options: ["0", "1"]', "options: [Yes, No]"), "field 'options'"),
        (('options: ["0", "1"]', 'options: ["a,b", "c"]'), "without commas"),
        (("reminder_days: [7]", "reminder_days: [14]"), ":5: field 'reminder_days'"),
        (("open_days: 14", "open_days: 0"), ":4: field 'open_days': must be a whole number from 1 to 365"),
        (("id: quarterly_checkin", "id: other"), ":1: field 'id': must be 'quarterly_checkin'"),
        (("title: Check-in\n", ""), "field 'title': is missing or empty"),
        (("id: met,", "id: consent,"), "question 'consent': field 'id'"),
        (("kind: single,", "kind: text, contact: true,"), "field 'options': a text question has none"),
    ],
)
def test_problems_name_file_line_and_field(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    assert change[0] in GOOD
    with pytest.raises(PollTemplateError) as caught:
        load_one(tmp_path, GOOD.replace(*change))
    assert expected in str(caught.value)
    assert isinstance(caught.value, ContentError)


def test_repeated_question_ids_and_a_missing_file_are_reported_together(tmp_path: Path) -> None:
    body = GOOD + '  - {id: met, kind: text, text: "Again?"}\n'
    with pytest.raises(PollTemplateError) as caught:
        load_poll_templates(write(tmp_path, body), (FILE, "polls/missing.yaml"))
    assert len(caught.value.problems) == 2
    assert "question 'met': this id is used twice" in caught.value.problems[0]
    assert "polls/missing.yaml: file not found" in caught.value.problems[1]


def test_contact_questions_must_be_single_choice(tmp_path: Path) -> None:
    body = GOOD + '  - {id: c, kind: multiple, contact: true, text: "Contact?", options: ["Yes", "No"]}\n'
    with pytest.raises(PollTemplateError, match="field 'contact': only a single-choice question can be"):
        load_one(tmp_path, body)
