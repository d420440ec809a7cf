"""The poll as a form to fill in: the whole poll as ONE card where cards exist (one input per
question, input id = question id; multiple choice is a "choice" input whose value is
comma-separated option values), else one question at a time (`question_reply`).
"""

from __future__ import annotations

from domain.core.reply import Choice, Input, Reply
from domain.polls.model import CONSENT_ID, Answers, Poll, Question, QuestionKind
from domain.polls.rules import AGREED
from domain.polls.wording import ANONYMOUS_NOTE, NAMED_NOTE

SKIP = "skip"


def form_reply(poll: Poll, previous: Answers | None = None, problems: dict[str, str] | None = None) -> Reply:
    """The whole poll as one form, pre-filled with earlier answers; problems shown per question."""
    problems = problems or {}
    inputs = [_consent_input(problems)] if poll.template.consent else []
    inputs += [_input(q, (previous or {}).get(q.id), problems.get(q.id)) for q in poll.template.questions]
    parts = [poll.template.intro, poll.template.consent, ANONYMOUS_NOTE if poll.anonymous else NAMED_NOTE]
    if problems:
        parts.insert(0, "Some answers need another look: see the notes beside them.")
    return Reply(title=poll.title, text="\n\n".join(p for p in parts if p), inputs=tuple(inputs))


def _consent_input(problems: dict[str, str]) -> Input:
    label = "I agree to take part" + (f" ({problems[CONSENT_ID]})" if CONSENT_ID in problems else "")
    return Input(CONSENT_ID, label, "choice", required=True, choices=(Choice(AGREED, "I agree to take part"),))


def _input(question: Question, value: object, problem: str | None) -> Input:
    """One question as a card input (required ones are marked by the card itself)."""
    label = question.text + (f" ({problem})" if problem else "")
    shown = ",".join(value) if isinstance(value, list) else str(value or "")
    if question.kind == QuestionKind.TEXT:
        return Input(question.id, label, "multiline", value=shown, required=question.required)
    if question.kind == QuestionKind.SCALE:
        return Input(question.id, label, "number", placeholder="0 to 10", value=shown, required=question.required)
    choices = tuple(Choice(o.value, o.title) for o in question.choices)
    return Input(
        question.id,
        label,
        "choice",
        value=shown,
        required=question.required,
        choices=choices,
        multiple=question.kind == QuestionKind.MULTIPLE,
    )


def consent_question(poll: Poll) -> Reply:
    """Step by step: the consent wording first, with one button."""
    return Reply(
        title=poll.title,
        text=f"{poll.template.consent}\n\n{ANONYMOUS_NOTE if poll.anonymous else NAMED_NOTE}",
        choices=(Choice(AGREED, "I agree to take part"),),
    )


def question_reply(question: Question, number: int, total: int) -> Reply:
    """Step by step: one question, with numbered options and a way to skip optional ones."""
    hint = {
        QuestionKind.MULTIPLE: "Type the numbers of all that apply, separated by commas (for example 1, 3).",
        QuestionKind.SCALE: "Type a whole number from 0 to 10.",
        QuestionKind.TEXT: "Type your answer.",
    }.get(question.kind, "")
    skip = "" if question.required else " Or type **skip**."
    text = f"Question {number} of {total}: {question.text}\n\n{hint}{skip}".strip()
    single = question.kind in (QuestionKind.SINGLE, QuestionKind.AGREE)
    choices = tuple(Choice(o.value, o.title) for o in question.choices) if single else ()
    if question.kind == QuestionKind.MULTIPLE:
        text += "\n\n" + "\n".join(f"{n}. {o.title}" for n, o in enumerate(question.choices, start=1))
    return Reply(text=text, choices=choices)


def fill_in_form() -> Reply:
    """Said when something other than the form arrives while it waits."""
    return Reply(text="Please fill in the form above and press **Submit** (or type **cancel** to stop).")


def agree_first() -> Reply:
    """Said when the step-by-step consent question gets another answer."""
    return Reply(text="To take part, choose **I agree to take part** (or type **cancel** to stop).")


def try_again(problem: str) -> Reply:
    """Said when a typed answer does not fit its question (the question follows again)."""
    return Reply(text=f"{problem} (Type **cancel** to stop.)")
