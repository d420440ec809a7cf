"""The personal-data side of the guide, aims, meetings and partnership-health repositories:
each capability's repository extended with what erasure and the retention purge need
(storage/repositories.py binds these classes to the unit of work)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, or_, select, update

from domain.aims.model import SharedAims
from domain.core.model import PartnershipStatus
from storage.repo_aims import SqlAimsRepo, to_shared_aims
from storage.repo_common import changed, rows_affected
from storage.repo_guide import SqlGuideRepo
from storage.repo_health import SqlHealthRepo
from storage.repo_meetings import SqlMeetingsRepo
from storage.tables import (
    AimHopesRow,
    AimRatingRow,
    CheckinRow,
    GuideSavedRow,
    MeetingAnswerRow,
    MeetingRow,
    NudgeRow,
    PartnershipRow,
    ReflectionRow,
    SharedAimsRow,
)


def ended_before(cutoff: datetime) -> Select[Any]:
    """The ids of partnerships that ended before `cutoff`."""
    return select(PartnershipRow.id).where(
        PartnershipRow.status == PartnershipStatus.ENDED.value, PartnershipRow.ended_at < cutoff
    )


class SqlGuideData(SqlGuideRepo):
    async def forget_saved(self, participant_id: int) -> int:
        """Delete the prompts the person saved."""
        statement = delete(GuideSavedRow).where(GuideSavedRow.participant_id == participant_id)
        return rows_affected(await self._session.execute(statement))


class SqlAimsData(SqlAimsRepo):
    async def proposals(self, partnership_id: int) -> list[SharedAims]:
        """Every proposal in the partnership, oldest first."""
        statement = (
            select(SharedAimsRow)
            .where(SharedAimsRow.partnership_id == partnership_id)
            .order_by(SharedAimsRow.id)
            .execution_options(populate_existing=True)
        )
        return [to_shared_aims(row) for row in await self._session.scalars(statement)]

    async def forget_participant(self, participant_id: int) -> int:
        """Delete the person's hopes, ratings and proposals."""
        return await changed(
            self._session,
            delete(AimHopesRow).where(AimHopesRow.participant_id == participant_id),
            delete(AimRatingRow).where(AimRatingRow.participant_id == participant_id),
            delete(SharedAimsRow).where(SharedAimsRow.proposed_by == participant_id),
        )

    async def forget_ended_before(self, cutoff: datetime) -> int:
        """Delete hopes, aims and ratings of partnerships that ended before `cutoff`."""
        ended = ended_before(cutoff)
        return await changed(
            self._session,
            delete(AimHopesRow).where(AimHopesRow.partnership_id.in_(ended)),
            delete(AimRatingRow).where(AimRatingRow.partnership_id.in_(ended)),
            delete(SharedAimsRow).where(SharedAimsRow.partnership_id.in_(ended)),
        )


class SqlMeetingsData(SqlMeetingsRepo):
    async def forget_participant(self, participant_id: int) -> int:
        """Reflections and answers deleted; the meetings they proposed keep their times, not their words."""
        return await changed(
            self._session,
            delete(ReflectionRow).where(ReflectionRow.participant_id == participant_id),
            delete(MeetingAnswerRow).where(MeetingAnswerRow.participant_id == participant_id),
            update(MeetingRow)
            .where(MeetingRow.proposed_by == participant_id)
            .values(agenda="", place="", proposed_by=None),
        )

    async def forget_ended_before(self, cutoff: datetime) -> int:
        """Meetings of long-ended partnerships keep when and whether they happened, nothing written."""
        of_ended = MeetingRow.partnership_id.in_(ended_before(cutoff))
        return await changed(
            self._session,
            update(MeetingRow)
            .where(of_ended, or_(MeetingRow.agenda != "", MeetingRow.place != ""))
            .values(agenda="", place=""),
            delete(MeetingAnswerRow).where(MeetingAnswerRow.meeting_id.in_(select(MeetingRow.id).where(of_ended))),
        )


class SqlHealthData(SqlHealthRepo):
    async def forget_participant(self, participant_id: int) -> int:
        """Delete the person's check-in answers and the nudges sent to them."""
        return await changed(
            self._session,
            delete(CheckinRow).where(CheckinRow.participant_id == participant_id),
            delete(NudgeRow).where(NudgeRow.participant_id == participant_id),
        )

    async def forget_ended_before(self, cutoff: datetime) -> int:
        """Delete check-ins and nudges of partnerships that ended before `cutoff`."""
        ended = ended_before(cutoff)
        return await changed(
            self._session,
            delete(CheckinRow).where(CheckinRow.partnership_id.in_(ended)),
            delete(NudgeRow).where(NudgeRow.partnership_id.in_(ended)),
        )
