"""Meetings of the person's partnerships, their "did you meet?" answers and private reflections."""

from __future__ import annotations

from datetime import datetime

from domain.core.personal import Exported, when
from domain.core.ports import UnitOfWork
from domain.meetings.model import Meeting

# Every kind of message about one meeting (the reminder's key says "reminder").
MESSAGE_KINDS = (
    "meeting_proposed",
    "meeting_confirmed",
    "meeting_declined",
    "meeting_cancelled",
    "reminder",
    "did_you_meet",
)


class MeetingsData:
    section = "Your meetings and reflections"
    tables = ("meetings", "meeting_answers", "reflections")

    async def export(self, uow: UnitOfWork, participant_id: int) -> Exported:
        meetings = await self._meetings(uow, participant_id)
        reflections = await uow.meetings.reflections(participant_id)
        if not (meetings or reflections):
            return {}
        rows = []
        for m in meetings:
            answer = (await uow.meetings.answers(m.id)).get(participant_id)
            rows.append(
                {
                    "status": m.status.value,
                    "starts": when(m.start_at),
                    "minutes": m.duration_minutes,
                    "format": m.format.value,
                    "place": m.place,
                    "agenda": m.agenda,
                    "proposed by you": m.proposed_by == participant_id,
                    "outcome": m.outcome.value,
                    "your answer to 'did you meet?'": answer.value if answer is not None else "",
                }
            )
        notes = [{"written": when(r.created_at), "note": r.text} for r in reflections]
        return {"meetings": rows, "private reflections": notes}

    async def traces(self, uow: UnitOfWork, participant_id: int) -> list[str]:
        mine = [m for m in await self._meetings(uow, participant_id) if m.proposed_by == participant_id]
        written = [text for m in mine for text in (m.agenda, m.place)]
        return written + [r.text for r in await uow.meetings.reflections(participant_id)]

    async def erase(self, uow: UnitOfWork, participant_id: int, now: datetime) -> None:
        """Reflections and answers go, so do the words of meetings they proposed; their cards are withdrawn."""
        meetings = await self._meetings(uow, participant_id)
        await uow.outbox.withdraw([f"{kind}:{m.id}:" for m in meetings for kind in MESSAGE_KINDS])
        await uow.meetings.forget_participant(participant_id)

    async def purge_before(self, uow: UnitOfWork, cutoff: datetime) -> int:
        return await uow.meetings.forget_ended_before(cutoff)

    @staticmethod
    async def _meetings(uow: UnitOfWork, participant_id: int) -> list[Meeting]:
        return [
            m for p in await uow.partnerships.all_for(participant_id) for m in await uow.meetings.for_partnership(p.id)
        ]
