"""Pure poll decisions: who may answer now, which reminders are due, and reading answers from a
card submit or from typed text, with kind explanations.

Card convention: the submit is a dict of input ids -> values; each question's input id is
the question id. Multiple choice arrives as comma-separated option values (what an
Adaptive Card multi-select ChoiceSet sends); a single pick is the same with one value.
Typed answers (text channels) may also use an option's number (which wins) or title.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from domain.core.model import SMALL_GROUP_MIN, Participant
from domain.polls.model import (
    CONSENT_ID,
    Answers,
    AnswerValue,
    Option,
    Outcome,
    Poll,
    PollTemplate,
    Question,
    QuestionKind,
)

MAX_TEXT = 2000
AGREED = "yes"
_WHOLE = re.compile(r"^\s*\d{1,2}\s*$")


class AnswerProblem(ValueError):
    """An answer that does not fit its question; the message is shown to the person."""


def can_answer(poll: Poll | None, person: Participant, now: datetime) -> Outcome | None:
    """Why this person cannot answer now, or None when they can."""
    if poll is None:
        return Outcome.UNKNOWN
    if person.cohort_id != poll.cohort_id:
        return Outcome.NOT_INVITED
    return None if poll.is_open(now) else Outcome.NOT_OPEN


def reminders_reached(poll: Poll, now: datetime) -> tuple[int, ...]:
    """The poll's reminder days (counted from opening) that `now` has reached."""
    return tuple(d for d in poll.template.reminder_days if now >= poll.opens_at + timedelta(days=d))


def step_due(poll: Poll, now: datetime) -> bool:
    """Whether the scheduled job has something to do for this poll now: invite, remind or close."""
    if now < poll.opens_at:
        return False
    if now >= poll.closes_at or poll.invited_at is None:
        return True
    return any(day not in poll.reminded for day in reminders_reached(poll, now))


def inviting(poll: Poll, now: datetime) -> bool:
    """Whether the poll's due step (when one is: `step_due`) is to send its invitations."""
    return poll.invited_at is None and now < poll.closes_at


def release_due(poll: Poll, waiting: int) -> bool:
    """Whether held anonymous answers move into the poll's answers now: at least 5 wait, or it has closed."""
    return waiting >= SMALL_GROUP_MIN or poll.closed


def wants_contact(template: PollTemplate, answers: Answers) -> bool:
    """Whether a "please contact me" question was answered with its first option (yes)."""
    return any(answers.get(q.id) == q.choices[0].value for q in template.questions if q.contact)


def without_contact(template: PollTemplate, answers: Answers) -> Answers:
    """The answers minus "please contact me", which would name the person beside anonymous answers."""
    contact = {q.id for q in template.questions if q.contact}
    return {k: v for k, v in answers.items() if k not in contact}


def parse_answer(question: Question, raw: object, typed: bool = False) -> AnswerValue | None:
    """The stored form of one answer, None when blank; raise AnswerProblem when it does not fit."""
    if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
        return None
    if question.kind == QuestionKind.TEXT:
        return _text(raw)
    if question.kind == QuestionKind.SCALE:
        return _scale(raw)
    if question.kind == QuestionKind.MULTIPLE:
        return _many(question, raw, typed) or None
    return _one(question, _as_text(raw), typed)


def answers_from_form(template: PollTemplate, values: Mapping[str, object]) -> tuple[Answers, dict[str, str]]:
    """(answers, problems by question id) from a card submit; other keys are ignored."""
    answers: Answers = {}
    problems: dict[str, str] = {}
    if template.consent and str(values.get(CONSENT_ID, "")).strip() != AGREED:
        problems[CONSENT_ID] = 'Please tick "I agree to take part" to send your answers.'
    for question in template.questions:
        try:
            value = parse_answer(question, values.get(question.id))
        except AnswerProblem as problem:
            problems[question.id] = str(problem)
            continue
        if value is None and question.required:
            problems[question.id] = "This one needs an answer."
        elif value is not None:
            answers[question.id] = value
    return answers, problems


def display(question: Question, value: AnswerValue | None) -> str:
    """An answer as shown to people and in CSV: option titles, agreement words, the number or text."""
    if value is None:
        return ""
    values = value if isinstance(value, list) else [value]
    titles = {o.value: o.title for o in question.choices}
    return "; ".join(titles.get(v, v) for v in values)


def _as_text(raw: object) -> str:
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise AnswerProblem("Please pick one of the options.")
    return str(raw).strip()


def _text(raw: object) -> str:
    if not isinstance(raw, str):
        raise AnswerProblem("Please type your answer as text.")
    text = raw.strip()
    if len(text) > MAX_TEXT:
        raise AnswerProblem(f"That's a little long: please keep it under {MAX_TEXT} characters.")
    return text


def _scale(raw: object) -> str:
    """A whole number 0..10 (a card's Input.Number may send 7 or 7.0)."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw
    if not isinstance(text, str) or not _WHOLE.match(text) or not 0 <= int(text) <= 10:
        raise AnswerProblem("Please give a whole number from 0 to 10.")
    return str(int(text))


def _one(question: Question, text: str, typed: bool) -> str:
    """The value of the option `text` names (by value; typed: by its number, value or title)."""
    options = question.choices
    # Typed: the number shown beside an option first (the text channel lists them numbered), then value or title.
    found = _typed_option(options, text) if typed else None
    found = found or next((o for o in options if o.value == text), None)
    if found is not None:
        return found.value
    raise AnswerProblem(
        "That isn't one of the options: please pick one of "
        + ", ".join(f"{n}. {o.title}" for n, o in enumerate(options, start=1))
        + "."
    )


def _typed_option(options: tuple[Option, ...], text: str) -> Option | None:
    if text.isdigit() and 1 <= int(text) <= len(options):
        return options[int(text) - 1]
    folded = text.casefold()
    return next((o for o in options if o.title.casefold() == folded), None)


def _many(question: Question, raw: object, typed: bool) -> list[str]:
    """Several options, comma-separated (or a list); each must be an option, repeats ignored."""
    parts = raw if isinstance(raw, list) else _as_text(raw).split(",")
    picked = {_one(question, _as_text(part), typed) for part in parts if str(part).strip()}
    if not picked:
        return []
    # Option order, not typing order: stored answers compare and export the same way.
    return [o.value for o in question.choices if o.value in picked]
