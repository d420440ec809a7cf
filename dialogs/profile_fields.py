"""The enrolment fields: how each is asked and applied to the draft.

Enrolment asks them in order; `profile` edits one at a time. One table serves both.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dialogs.ask import ask_choice, ask_text, ask_time_zone, choices
from domain.core.model import GROUP_TITLES
from domain.core.reply import Choice, Reply, verbatim
from domain.enrolment.model import FORMAT_TITLES, RHYTHM_TITLES, EnrolmentDraft
from domain.enrolment.rules import with_answer

LABEL_CHARS = 60  # a question named in the edit menu
GROUP_NOTE = "Which group are you joining as? Only the programme's facilitators see this; your partner never does."


def field_ids(draft: EnrolmentDraft) -> list[str]:
    """Every field in the order enrolment asks them."""
    return ["group", *(f"answer:{i}" for i in range(len(draft.questions))), "rhythm", "format", "time_zone"]


def field_label(field: str, draft: EnrolmentDraft) -> str:
    """A short label for the edit menu; a profile answer is named by its question."""
    if field.startswith("answer:"):
        return _shortened(draft.questions[int(field.split(":")[1])])
    return {"group": "Group", "rhythm": "How often to meet", "format": "How to meet", "time_zone": "Time zone"}[field]


def _shortened(question: str, limit: int = LABEL_CHARS) -> str:
    """The question, cut at a word and marked "…" when longer than `limit` characters."""
    if len(question) <= limit:
        return question
    cut = question[: limit - 1].rsplit(" ", 1)[0]
    if cut.count("(") > cut.count(")"):  # no half a bracket
        cut = cut[: cut.rfind("(")]
    return cut.rstrip(" ,;:") + "…"


def question_for(field: str, draft: EnrolmentDraft) -> dict[str, Any]:
    """The Ask options for one field."""
    if field == "group":
        return ask_choice(Reply(text=GROUP_NOTE, choices=choices(list(GROUP_TITLES.items()))))
    if field.startswith("answer:"):
        index = int(field.split(":")[1])
        return ask_text(
            Reply(
                title=f"Profile question {index + 1} of {len(draft.questions)}",
                text=verbatim(draft.questions[index]) + "\n\nYour partner will see this answer.",
            )
        )
    if field == "rhythm":
        return ask_choice(
            Reply(text="How often would you like to meet your partner?", choices=choices(list(RHYTHM_TITLES.items())))
        )
    if field == "format":
        return ask_choice(Reply(text="How would you prefer to meet?", choices=choices(list(FORMAT_TITLES.items()))))
    keep = Choice(value=draft.time_zone, title=f"Keep {draft.time_zone}")
    return ask_time_zone(
        Reply(
            text=(
                f"Which time zone are you in? I'll use it for reminders. "
                f"Choose to keep {verbatim(draft.time_zone)}, or type another, e.g. Europe/Dublin."
            ),
            choices=(keep,),
        )
    )


def apply(field: str, draft: EnrolmentDraft, value: Any) -> EnrolmentDraft:
    """The draft with `field` set to the recognised `value`."""
    if field.startswith("answer:"):
        return with_answer(draft, int(field.split(":")[1]), str(value))
    text = str(value)
    match field:
        case "group":
            return replace(draft, group=text)
        case "rhythm":
            return replace(draft, rhythm=text)
        case "format":
            return replace(draft, format=text)
        case "time_zone":
            return replace(draft, time_zone=text)
    raise KeyError(field)


def edit_menu(draft: EnrolmentDraft) -> dict[str, Any]:
    """Ask which field to change."""
    return ask_choice(
        Reply(
            text="What would you like to change?",
            choices=tuple(Choice(f, field_label(f, draft)) for f in field_ids(draft)),
        )
    )
