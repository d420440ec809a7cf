"""Enrolment data: the draft a person builds in the dialog, and the choices it offers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

MAX_ANSWER_LENGTH = 1000

RHYTHM_TITLES = {
    "2w": "Every 2 weeks",
    "4w": "Every 4 weeks",
    "6w": "Every 6 weeks",
    "together": "We'll decide together",
}
FORMAT_TITLES = {
    "in_person": "In person",
    "online": "Online (Teams)",
    "mix": "A mix of both",
}


class EnrolmentError(ValueError):
    """An answer that cannot be used; the message is safe to show the person."""


@dataclass
class EnrolmentDraft:
    """Everything a person tells the companion when enrolling (kept in dialog state as a dict)."""

    cohort_id: int
    cohort_name: str
    questions: list[str]
    answers: list[str] = field(default_factory=list)
    group: str = ""
    rhythm: str = ""
    format: str = ""
    time_zone: str = "Europe/London"

    def to_dict(self) -> dict[str, Any]:
        """The draft as plain data for dialog state."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EnrolmentDraft:
        """The draft back from dialog state."""
        return cls(**data)


@dataclass(frozen=True)
class DraftOpened:
    """The outcome of a typed join code: the code as read, and a fresh draft when a cohort has it."""

    code: str
    draft: EnrolmentDraft | None
