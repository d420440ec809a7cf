"""Polls as data: question kinds, templates, a poll, its responses and what answering it came to.

Answers are a mapping of question id -> value: a string for single choice, agreement
(option "1".."5"), 0-10 (its digits) and free text; a list of option values for multiple
choice. The consent question (id `consent`) is never stored with the answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

AnswerValue = str | list[str]
Answers = dict[str, AnswerValue]
CONSENT_ID = "consent"


class QuestionKind(StrEnum):
    SINGLE = "single"  # pick one option
    MULTIPLE = "multiple"  # tick any options
    AGREE = "agree5"  # 5-point agreement, strongly disagree .. strongly agree
    SCALE = "scale10"  # a whole number 0..10
    TEXT = "text"  # free text (treated as possibly special category data)


@dataclass(frozen=True)
class Option:
    """One answer option: `value` is stored, `title` is shown."""

    value: str
    title: str


AGREEMENT = (
    Option("1", "Strongly disagree"),
    Option("2", "Disagree"),
    Option("3", "Neither agree nor disagree"),
    Option("4", "Agree"),
    Option("5", "Strongly agree"),
)


@dataclass(frozen=True)
class Question:
    """One question; `contact` marks a yes/no "please contact me" question (a "yes" tells facilitators)."""

    id: str
    kind: QuestionKind
    text: str
    options: tuple[Option, ...] = ()
    required: bool = False
    contact: bool = False

    @property
    def choices(self) -> tuple[Option, ...]:
        """The options a person picks from (agreement has its fixed five)."""
        return AGREEMENT if self.kind == QuestionKind.AGREE else self.options


@dataclass(frozen=True)
class PollTemplate:
    """A built-in poll: what is asked, for how long, and when non-responders are reminded."""

    id: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    open_days: int
    reminder_days: tuple[int, ...] = ()
    consent: str = ""  # shown first, with a required "I agree" when set
    anonymous: bool = True  # the default offered when a facilitator creates the poll
    closing: str = "This poll has now closed. Thank you to everyone who took part."

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready snapshot (a poll keeps the questions it was created with)."""
        return {
            "id": self.id,
            "title": self.title,
            "intro": self.intro,
            "open_days": self.open_days,
            "reminder_days": list(self.reminder_days),
            "consent": self.consent,
            "anonymous": self.anonymous,
            "closing": self.closing,
            "questions": [
                {
                    "id": q.id,
                    "kind": q.kind.value,
                    "text": q.text,
                    "required": q.required,
                    "contact": q.contact,
                    "options": [[o.value, o.title] for o in q.options],
                }
                for q in self.questions
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PollTemplate:
        """Inverse of `to_dict`."""
        questions = tuple(
            Question(
                q["id"],
                QuestionKind(q["kind"]),
                q["text"],
                tuple(Option(v, t) for v, t in q.get("options", ())),
                bool(q.get("required")),
                bool(q.get("contact")),
            )
            for q in data["questions"]
        )
        return cls(
            data["id"],
            data["title"],
            data.get("intro", ""),
            questions,
            int(data["open_days"]),
            tuple(data.get("reminder_days", ())),
            data.get("consent", ""),
            bool(data.get("anonymous", True)),
            data.get("closing", ""),
        )


@dataclass(frozen=True)
class Poll:
    """A poll sent to one cohort; the `*_at` / `reminded` fields record which job steps are done."""

    id: int
    cohort_id: int
    template: PollTemplate
    anonymous: bool
    opens_at: datetime
    closes_at: datetime
    created_by: int | None = None
    invited_at: datetime | None = None
    reminded: tuple[int, ...] = ()
    closed_at: datetime | None = None

    def is_open(self, now: datetime) -> bool:
        """Answers are accepted from opening until closing."""
        return self.opens_at <= now < self.closes_at and self.closed_at is None

    @property
    def title(self) -> str:
        return self.template.title

    @property
    def closed(self) -> bool:
        """Whether the closing step has run: results and exports exist only from then on."""
        return self.closed_at is not None


@dataclass(frozen=True)
class PollListing:
    """A poll as facilitators list it: its cohort's name and how many responded of how many invited."""

    poll: Poll
    cohort: str
    responses: int
    invited: int


@dataclass(frozen=True)
class PollDraft:
    """What a facilitator asks for in `create poll`."""

    cohort_id: int
    template: PollTemplate
    anonymous: bool
    opens_at: datetime
    created_by: int | None = None


@dataclass(frozen=True)
class PollStarted:
    """A new poll and, when it opens now, the invitations already queued (`first_due`: when the first goes)."""

    poll: Poll
    invited: int = 0
    first_due: datetime | None = None

    @property
    def queued(self) -> bool:
        """Whether invitations wait in the outbox (the dispatcher should look now)."""
        return self.invited > 0


class Outcome(StrEnum):
    """What came of one person's attempt to answer a poll (or why they may not)."""

    SAVED = "saved"
    CHANGED = "changed"
    ALREADY = "already"  # anonymous answers cannot be changed
    NOT_OPEN = "not_open"  # also: the poll closed while anonymous answers were on their way
    NOT_INVITED = "not_invited"
    UNKNOWN = "unknown"
