"""The storage seam for polls (`storage/repo_polls.py` implements it)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.polls.model import Answers, Poll, PollDraft


class PollsPersonal(Protocol):
    async def named_of(self, participant_id: int) -> list[tuple[Poll, Answers]]:
        """The person's answers to named polls, by poll id."""
        ...

    async def responded(self, participant_id: int) -> list[Poll]:
        """Polls the person has responded to (anonymous ones included: only that they did), by id."""
        ...

    async def forget_participant(self, participant_id: int) -> int:
        """Delete the person's named answers and has-responded records; polls they created no longer
        name them. Anonymous answers stay: nothing links them to anyone. How many rows changed."""
        ...

    async def forget_closed_before(self, cutoff: datetime) -> int:
        """Delete every answer (named and anonymous) and has-responded record of polls that closed
        before `cutoff`; how many."""
        ...


class PollsRepo(PollsPersonal, Protocol):
    """Polls, who has responded to each, and their answers: named, or anonymous with no link to the person."""

    async def create(self, draft: PollDraft, closes_at: datetime, now: datetime) -> Poll: ...
    async def get(self, poll_id: int) -> Poll | None: ...
    async def list_all(self) -> list[Poll]: ...
    async def unfinished(self) -> list[Poll]:
        """Polls whose closing step has not run yet."""
        ...

    async def lock(self, poll_id: int) -> None:
        """Serialise job steps and closing on one poll until the transaction ends."""
        ...

    async def mark_invited(self, poll_id: int, now: datetime) -> None: ...
    async def mark_reminded(self, poll_id: int, days: tuple[int, ...]) -> None: ...
    async def close(self, poll_id: int, closes_at: datetime, now: datetime) -> None:
        """Set the closing time and record that the closing step ran."""
        ...

    async def responders(self, poll_id: int) -> set[int]:
        """Who has responded (the has-responded record; it says nothing about answers)."""
        ...

    async def response_count(self, poll_id: int) -> int: ...
    async def save_named(self, poll_id: int, participant_id: int, answers: Answers, now: datetime) -> None:
        """Insert or replace this person's answers and mark them responded."""
        ...

    async def mark_responded(self, poll_id: int, participant_id: int) -> bool:
        """Record has-responded (for reminders and "once only"); False if it was already there."""
        ...

    async def forget_responded(self, poll_id: int, participant_id: int) -> None:
        """Undo has-responded when the person's anonymous answers could not be held."""
        ...

    async def hold_anonymous(self, poll_id: int, answers: Answers) -> int:
        """Add answers, with nothing about the person, to the poll's holding area; return how many wait.

        The whole area is rewritten at once, so waiting rows share one transaction and no order
        that maps to responders. Call it in a transaction apart from `mark_responded`, holding `lock`.
        """
        ...

    async def held_counts(self) -> dict[int, int]:
        """Polls with anonymous answers waiting, and how many wait for each."""
        ...

    async def release_held(self, poll_id: int) -> int:
        """Move the waiting answers into the poll's anonymous answers (all rewritten at once); how many moved."""
        ...

    async def named_answers(self, poll_id: int, participant_id: int) -> Answers | None: ...
    async def responses(self, poll_id: int) -> list[Answers]:
        """Every stored response's answers: named ones, then anonymous ones moved out of holding."""
        ...
