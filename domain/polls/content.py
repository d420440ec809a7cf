"""Built-in poll templates from guide_content/polls/*.yaml, validated at load.

Usage: `templates = load_poll_templates()` once at start-up; a `PollTemplateError` (a
`ContentError`) lists every problem as `polls/file.yaml:line: question 'q3': field 'kind': ...`.
Options are plain strings: each is both the stored value and the title, so it must not
contain a comma (multiple-choice answers travel as comma-separated values).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

from domain.core.content import CONTENT_DIR, ContentError
from domain.core.content_yaml import Entry, Problems, read_yaml
from domain.polls.model import CONSENT_ID, Option, PollTemplate, Question, QuestionKind

POLL_FILES = ("polls/quarterly_checkin.yaml", "polls/evaluation_survey.yaml")
_ID = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
MAX_OPTION = 80


class PollTemplateError(ContentError):
    """A poll template is invalid; the message lists every problem, one per line."""

    def __init__(self, message: str, problems: tuple[str, ...]) -> None:
        super().__init__(message)
        self.problems = problems


def load_poll_templates(
    content_dir: Path = CONTENT_DIR, files: tuple[str, ...] = POLL_FILES
) -> dict[str, PollTemplate]:
    """Every template by id, in file order; raise PollTemplateError naming file, line and field."""
    problems = Problems(files)
    templates: dict[str, PollTemplate] = {}
    for file in files:
        root = read_yaml(content_dir, file, problems)
        template = None if root is None else _template(root, file, problems)
        if template is not None:
            templates[template.id] = template
    if problems:
        found = tuple(problems.lines)
        raise PollTemplateError(
            f"Poll templates in {content_dir} have {len(found)} problem(s):\n" + "\n".join(found), found
        )
    return templates


def _template(root: Entry, file: str, problems: Problems) -> PollTemplate | None:
    """One file's template, or None with its problems recorded."""
    before = len(problems)
    text = {
        name: _text(root, name, file, problems, required=name in ("id", "title", "intro"))
        for name in ("id", "title", "intro", "consent", "closing")
    }
    if text["id"] and (not _ID.match(text["id"]) or text["id"] != Path(file).stem):
        problems.add(file, root.line_of("id"), "field 'id'", f"must be '{Path(file).stem}' (the file's name)")
    open_days = _whole(root, "open_days", file, problems, 1, 365)
    reminders = _reminders(root, file, problems, open_days)
    anonymous = root.values.get("anonymous", True)
    if not isinstance(anonymous, bool):
        problems.add(file, root.line_of("anonymous"), "field 'anonymous'", "must be true or false")
    questions = _questions(root, file, problems)
    if len(problems) > before or open_days is None:
        return None
    closing = text["closing"] or "This poll has now closed. Thank you to everyone who took part."
    return PollTemplate(
        text["id"],
        text["title"],
        text["intro"],
        questions,
        open_days,
        reminders,
        text["consent"],
        bool(anonymous),
        closing,
    )


def _text(entry: Entry, name: str, file: str, problems: Problems, required: bool, where: str = "") -> str:
    """A trimmed string field ("" when absent and optional)."""
    value = entry.values.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.add(
            file,
            entry.line_of(name),
            ": ".join(p for p in (where, f"field '{name}'") if p),
            "is missing or empty" if value is None else "must be non-empty text",
        )
        return ""
    return value.strip()


def _whole(entry: Entry, name: str, file: str, problems: Problems, low: int, high: int) -> int | None:
    """A whole number field within [low, high]."""
    value = entry.values.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.add(file, entry.line_of(name), f"field '{name}'", f"must be a whole number from {low} to {high}")
        return None
    return value


def _reminders(root: Entry, file: str, problems: Problems, open_days: int | None) -> tuple[int, ...]:
    """Reminder days after opening: ascending whole numbers before the poll closes."""
    value = root.values.get("reminder_days", [])
    last = (open_days or 366) - 1
    if (
        not isinstance(value, list)
        or any(isinstance(d, bool) or not isinstance(d, int) for d in value)
        or any(not 1 <= d <= last for d in value)
        or value != sorted(set(value))
    ):
        problems.add(
            file,
            root.line_of("reminder_days"),
            "field 'reminder_days'",
            f"must be a list of different whole numbers in ascending order, each from 1 to {last}",
        )
        return ()
    return tuple(value)


def _questions(root: Entry, file: str, problems: Problems) -> tuple[Question, ...]:
    """The questions, each checked; ids must be unique."""
    items = root.values.get("questions")
    if not isinstance(items, list) or not items:
        problems.add(file, root.line_of("questions"), "field 'questions'", "must be a non-empty list of questions")
        return ()
    found: list[Question] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, Entry):
            problems.add(file, root.line_of("questions"), f"question {number}", "must have named fields")
            continue
        question = _question(item, number, file, problems)
        if question is not None and any(q.id == question.id for q in found):
            problems.add(file, item.line_of("id"), f"question '{question.id}'", "this id is used twice")
        elif question is not None:
            found.append(question)
    return tuple(found)


def _question(item: Entry, number: int, file: str, problems: Problems) -> Question | None:
    """One question, or None with its problems recorded."""
    before = len(problems)
    qid = _text(item, "id", file, problems, True, f"question {number}")
    where = f"question '{qid or number}'"
    if qid and (not _ID.match(qid) or qid == CONSENT_ID):
        problems.add(
            file,
            item.line_of("id"),
            where,
            f"field 'id': use lower-case letters, digits and _ (and not '{CONSENT_ID}')",
        )
    text = _text(item, "text", file, problems, True, where)
    try:
        kind = QuestionKind(str(item.values.get("kind")))
    except ValueError:
        problems.add(
            file,
            item.line_of("kind"),
            where,
            "field 'kind': must be one of " + ", ".join(k.value for k in QuestionKind),
        )
        return None
    options = _options(item, kind, file, problems, where)
    flags = {name: item.values.get(name, False) for name in ("required", "contact")}
    for name, flag in flags.items():
        if not isinstance(flag, bool):
            problems.add(file, item.line_of(name), where, f"field '{name}': must be true or false")
    if flags["contact"] is True and kind != QuestionKind.SINGLE:
        problems.add(file, item.line_of("contact"), where, "field 'contact': only a single-choice question can be")
    if len(problems) > before:
        return None
    return Question(qid, kind, text, options, bool(flags["required"]), bool(flags["contact"]))


def _options(item: Entry, kind: QuestionKind, file: str, problems: Problems, where: str) -> tuple[Option, ...]:
    """Options for choice questions (at least two, unique, no commas); none for the other kinds."""
    value = item.values.get("options")
    if kind not in _CHOICE_KINDS:
        if value is not None:
            problems.add(file, item.line_of("options"), where, f"field 'options': a {kind.value} question has none")
        return ()
    # Why: unquoted Yes/No are YAML booleans; "True" as an option would be a silent mistake.
    plain = isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value)
    texts = [str(v).strip() for v in cast(list[object], value)] if plain else []
    if len(texts) < 2 or len(set(texts)) != len(texts) or any(not t or "," in t or len(t) > MAX_OPTION for t in texts):
        problems.add(
            file,
            item.line_of("options"),
            where,
            "field 'options': must list at least two different "
            f"quoted options, each without commas and under {MAX_OPTION} "
            "characters",
        )
        return ()
    return tuple(Option(t, t) for t in texts)
