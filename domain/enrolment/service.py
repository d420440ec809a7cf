"""Enrolment: the draft a person builds in the dialog, its validation and saving."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from domain.core.model import Group, ProfileAnswer
from domain.core.ports import Store

MAX_ANSWER_LENGTH = 1000

GROUP_TITLES = {
    Group.SENIOR_LEADER.value: "Senior leader",
    Group.BME_COLLEAGUE.value: "Black and minority ethnic colleague",
    Group.BOTH.value: "Both",
}
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
TIME_ZONE_ALIASES = {
    "uk": "Europe/London",
    "london": "Europe/London",
    "gmt": "Europe/London",
    "bst": "Europe/London",
    "england": "Europe/London",
    "utc": "UTC",
}


NOT_PLACES = {"localtime", "factory", "posixrules"}


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
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EnrolmentDraft:
        return cls(**data)

    def with_answer(self, index: int, answer: str) -> EnrolmentDraft:
        """A copy with answer `index` set (answers fill in order)."""
        answers = list(self.answers) + [""] * (index + 1 - len(self.answers))
        answers[index] = clean_answer(answer)
        return replace(self, answers=answers)


def clean_answer(text: str) -> str:
    """A profile answer, trimmed; empty or overlong answers are refused."""
    answer = text.strip()
    if not answer:
        raise EnrolmentError("Please write a few words, even a short answer is fine.")
    if len(answer) > MAX_ANSWER_LENGTH:
        raise EnrolmentError(f"That's a little long: please keep it under {MAX_ANSWER_LENGTH} characters.")
    return answer


def parse_time_zone(text: str) -> str:
    """An IANA time zone name from what a person typed ("London", "europe/london", "UTC")."""
    raw = text.strip()
    alias = TIME_ZONE_ALIASES.get(raw.lower())
    if alias:
        return alias
    by_lower = {name.lower(): name for name in available_timezones() if name.lower() not in NOT_PLACES}
    name = by_lower.get(raw.lower().replace(" ", "_"))
    if name is None:
        raise EnrolmentError("I don't recognise that time zone. Try a name like Europe/London or Asia/Kolkata.")
    ZoneInfo(name)  # proves it loads on this machine
    return name


def is_complete(draft: EnrolmentDraft) -> bool:
    """True when every field needed to enrol has a valid value."""
    try:
        ZoneInfo(draft.time_zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a zone folder such as "Europe"
        return False
    return (
        draft.group in GROUP_TITLES
        and draft.rhythm in RHYTHM_TITLES
        and draft.format in FORMAT_TITLES
        and len(draft.answers) == len(draft.questions)
        and all(a.strip() for a in draft.answers)
    )


async def save_enrolment(store: Store, participant_id: int, draft: EnrolmentDraft, now: datetime) -> None:
    """Store the enrolment (or an edit of it) in one transaction."""
    if not is_complete(draft):
        raise EnrolmentError("Some answers are missing, so I couldn't save yet.")
    answers = [ProfileAnswer(q, a) for q, a in zip(draft.questions, draft.answers, strict=False)]
    async with store.transaction() as uow:
        await uow.participants.save_enrolment(
            participant_id,
            draft.cohort_id,
            Group(draft.group),
            answers,
            draft.rhythm,
            draft.format,
            draft.time_zone,
            now,
        )
