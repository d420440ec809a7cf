"""Polls repository (implements domain.polls.ports.PollsRepo).

The has-responded row goes to `poll_responders`; anonymous answers, written by the service in a
transaction of their own, wait in `poll_held_answers` and are moved into `poll_anonymous_answers`
in batches (storage/repo_poll_answers.py). Answers are never logged.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.polls.model import Answers, Poll, PollDraft, PollTemplate
from storage import repo_poll_answers as anonymous
from storage.repo_common import missing, rows_affected, session_insert
from storage.tables_polls import PollNamedAnswerRow, PollResponderRow, PollRow


class SqlPollsRepo:
    """Polls, has-responded records, and named or anonymous answers."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(self, draft: PollDraft, closes_at: datetime, now: datetime) -> Poll:
        """A new poll for a cohort, keeping a snapshot of its template."""
        row = PollRow(
            cohort_id=draft.cohort_id,
            template_id=draft.template.id,
            definition=draft.template.to_dict(),
            anonymous=draft.anonymous,
            opens_at=draft.opens_at,
            closes_at=closes_at,
            created_by=draft.created_by,
            created_at=now,
            reminded=[],
        )
        self._session.add(row)
        await self._session.flush()
        return to_poll(row)

    async def get(self, poll_id: int) -> Poll | None:
        """The poll, or None."""
        row = await self._session.get(PollRow, poll_id)
        return None if row is None else to_poll(row)

    async def list_all(self) -> list[Poll]:
        """Every poll, newest first."""
        rows = await self._session.scalars(select(PollRow).order_by(PollRow.id.desc()))
        return [to_poll(row) for row in rows]

    async def unfinished(self) -> list[Poll]:
        """Polls whose closing step has not run, in id order."""
        rows = await self._session.scalars(select(PollRow).where(PollRow.closed_at.is_(None)).order_by(PollRow.id))
        return [to_poll(row) for row in rows]

    async def lock(self, poll_id: int) -> None:
        """Lock the poll row (PostgreSQL); SQLite already has one writer at a time."""
        await self._session.execute(select(PollRow.id).where(PollRow.id == poll_id).with_for_update())

    async def mark_invited(self, poll_id: int, now: datetime) -> None:
        """Record that invitations were queued."""
        await self._set(poll_id, invited_at=now)

    async def mark_reminded(self, poll_id: int, days: tuple[int, ...]) -> None:
        """Record which reminder days are done."""
        await self._set(poll_id, reminded=sorted(days))

    async def close(self, poll_id: int, closes_at: datetime, now: datetime) -> None:
        """Set the closing time and record that the closing step ran."""
        await self._set(poll_id, closes_at=closes_at, closed_at=now)

    async def responders(self, poll_id: int) -> set[int]:
        """Who has responded."""
        rows = await self._session.scalars(
            select(PollResponderRow.participant_id).where(PollResponderRow.poll_id == poll_id)
        )
        return set(rows)

    async def response_count(self, poll_id: int) -> int:
        """How many people have responded."""
        statement = select(func.count()).select_from(PollResponderRow).where(PollResponderRow.poll_id == poll_id)
        return int(await self._session.scalar(statement) or 0)

    async def save_named(self, poll_id: int, participant_id: int, answers: Answers, now: datetime) -> None:
        """Insert or replace this person's answers and mark them responded."""
        insert = session_insert(self._session, PollNamedAnswerRow.__table__).values(
            poll_id=poll_id, participant_id=participant_id, answers=answers, updated_at=now
        )
        await self._session.execute(
            insert.on_conflict_do_update(
                index_elements=["poll_id", "participant_id"], set_={"answers": answers, "updated_at": now}
            )
        )
        await self.mark_responded(poll_id, participant_id)

    async def mark_responded(self, poll_id: int, participant_id: int) -> bool:
        """Insert the has-responded row; False when it was already there (the key refuses a second)."""
        insert = session_insert(self._session, PollResponderRow.__table__).values(
            poll_id=poll_id, participant_id=participant_id
        )
        result = await self._session.execute(insert.on_conflict_do_nothing())
        return bool(rows_affected(result))

    async def forget_responded(self, poll_id: int, participant_id: int) -> None:
        """Remove the has-responded row (the answers could not be held, so the person may answer again)."""
        await self._session.execute(
            delete(PollResponderRow).where(
                PollResponderRow.poll_id == poll_id, PollResponderRow.participant_id == participant_id
            )
        )

    async def hold_anonymous(self, poll_id: int, answers: Answers) -> int:
        """Add answers to the poll's holding area (rewritten whole, no person); return how many wait."""
        return await anonymous.hold(self._session, poll_id, answers)

    async def held_counts(self) -> dict[int, int]:
        """Polls with anonymous answers waiting, and how many wait for each."""
        return await anonymous.held_counts(self._session)

    async def release_held(self, poll_id: int) -> int:
        """Move waiting answers into the poll's anonymous answers (rewritten whole); return how many moved."""
        return await anonymous.release(self._session, poll_id)

    async def named_answers(self, poll_id: int, participant_id: int) -> Answers | None:
        """This person's answers to a named poll, or None."""
        return await self._session.scalar(
            select(PollNamedAnswerRow.answers).where(
                PollNamedAnswerRow.poll_id == poll_id, PollNamedAnswerRow.participant_id == participant_id
            )
        )

    async def responses(self, poll_id: int) -> list[Answers]:
        """Named answers by participant, then the anonymous answers moved so far (random key order)."""
        named = await self._session.scalars(
            select(PollNamedAnswerRow.answers)
            .where(PollNamedAnswerRow.poll_id == poll_id)
            .order_by(PollNamedAnswerRow.participant_id)
        )
        return list(named) + await anonymous.read(self._session, anonymous.STORED, poll_id)

    async def _set(self, poll_id: int, **values: object) -> None:
        result = await self._session.execute(update(PollRow).where(PollRow.id == poll_id).values(**values))
        if not rows_affected(result):
            raise missing("poll", poll_id)


def to_poll(row: PollRow) -> Poll:
    return Poll(
        row.id,
        row.cohort_id,
        PollTemplate.from_dict(row.definition),
        row.anonymous,
        row.opens_at,
        row.closes_at,
        row.created_by,
        row.invited_at,
        tuple(row.reminded or ()),
        row.closed_at,
    )
