"""Participant repository (implements domain.core.ports.ParticipantRepo).

`grp` and profile answers are special category / free-text data: nothing here logs them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.model import Group, Participant, ProfileAnswer, Role
from storage.participant_rows import COLUMNS, to_participant
from storage.personal_people import ParticipantsPersonalSql
from storage.repo_common import id_chunks, missing, one_of, session_insert
from storage.repo_participants_bulk import ParticipantsInBulkSql
from storage.tables import CohortRow, ParticipantRow, ProfileAnswerRow


class SqlParticipantRepo(ParticipantsInBulkSql, ParticipantsPersonalSql):
    """Participants in `participants`, their matching profile in `profile_answers`."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert_identity(
        self, channel_id: str, user_id: str, name: str, aad_object_id: str, now: datetime, tenant_id: str = ""
    ) -> Participant:
        """Create the participant, or refresh name / AAD id when the new values are non-empty; the tenant is
        kept from the first message that named one (a facilitator pin names it, so it never moves)."""
        upsert = session_insert(self._session, ParticipantRow)
        excluded = upsert.excluded
        # ON CONFLICT keeps this atomic when two first turns of the same person race.
        statement = (
            upsert.values(
                channel_id=channel_id,
                user_id=user_id,
                name=name,
                aad_object_id=aad_object_id,
                tenant_id=tenant_id,
                created_at=now,
            )
            .on_conflict_do_update(
                index_elements=[ParticipantRow.channel_id, ParticipantRow.user_id],
                set_={
                    "name": func.coalesce(func.nullif(excluded.name, ""), ParticipantRow.name),
                    "aad_object_id": func.coalesce(
                        func.nullif(excluded.aad_object_id, ""), ParticipantRow.aad_object_id
                    ),
                    "tenant_id": func.coalesce(func.nullif(ParticipantRow.tenant_id, ""), excluded.tenant_id),
                },
            )
            .returning(ParticipantRow)
        )
        rows = await self._session.scalars(statement, execution_options={"populate_existing": True})
        return to_participant(rows.one())

    async def get(self, participant_id: int) -> Participant | None:
        """The participant with this id, or None."""
        row = await self._session.get(ParticipantRow, participant_id)
        return to_participant(row) if row is not None else None

    async def get_many(self, participant_ids: Sequence[int]) -> dict[int, Participant]:
        """The participants with these ids that exist, by id."""
        found: dict[int, Participant] = {}
        for chunk in id_chunks(participant_ids):
            # Plain columns (no ORM tracking): `to_participant` reads them by name.
            rows = await self._session.execute(select(*COLUMNS).where(one_of(self._session, ParticipantRow.id, chunk)))
            found.update((row.id, to_participant(row)) for row in rows)
        return found

    async def find_by_user(self, channel_id: str, user_id: str) -> Participant | None:
        """The participant with this channel identity, or None."""
        statement = select(ParticipantRow).where(
            ParticipantRow.channel_id == channel_id, ParticipantRow.user_id == user_id
        )
        row = (await self._session.scalars(statement)).one_or_none()
        return to_participant(row) if row is not None else None

    async def set_email(self, participant_id: int, email: str) -> None:
        """Record the participant's email address (never on an erased person: a lookup may finish late)."""
        row = await self._row(participant_id)
        if row.erased_at is None:
            row.email = email

    async def set_role(self, participant_id: int, role: Role) -> None:
        """Make the participant a partner or a facilitator."""
        (await self._row(participant_id)).role = role.value

    async def record_consent(self, participant_id: int, accepted: bool, now: datetime) -> None:
        """Record consent given (consent_at) or declined (consent_declined_at only)."""
        row = await self._row(participant_id)
        row.consent_at = now if accepted else None
        row.consent_declined_at = None if accepted else now

    async def save_enrolment(
        self,
        participant_id: int,
        cohort_id: int,
        group: Group,
        answers: Sequence[ProfileAnswer],
        meeting_rhythm: str,
        meeting_format: str,
        time_zone: str,
        now: datetime,
    ) -> None:
        """Store enrolment choices and replace the profile answers; keeps the first enrolled_at."""
        row = await self._row(participant_id)
        if row.cohort_id != cohort_id or row.cohort_number is None:
            row.cohort_number = await self._next_number(cohort_id)
        row.cohort_id = cohort_id
        row.grp = group.value
        row.meeting_rhythm = meeting_rhythm
        row.meeting_format = meeting_format
        row.time_zone = time_zone
        if row.enrolled_at is None:
            row.enrolled_at = now
        await self._replace_answers(participant_id, answers, now)

    async def _next_number(self, cohort_id: int) -> int:
        """The cohort's next participant number: one UPDATE, so two enrolments at once never share one."""
        statement = (
            update(CohortRow)
            .where(CohortRow.id == cohort_id)
            .values(last_number=CohortRow.last_number + 1)
            .returning(CohortRow.last_number)
        )
        return int((await self._session.execute(statement)).scalar_one())

    async def by_number(self, cohort_id: int, number: int) -> Participant | None:
        """The participant with this number in the cohort, or None."""
        statement = select(*COLUMNS).where(
            ParticipantRow.cohort_id == cohort_id, ParticipantRow.cohort_number == number
        )
        row = (await self._session.execute(statement)).first()
        return to_participant(row) if row is not None else None

    async def profile(self, participant_id: int) -> list[ProfileAnswer]:
        """The participant's matching-profile answers in question order."""
        statement = (
            select(ProfileAnswerRow.question, ProfileAnswerRow.answer)
            .where(ProfileAnswerRow.participant_id == participant_id)
            .order_by(ProfileAnswerRow.position)
        )
        rows = await self._session.execute(statement)
        return [ProfileAnswer(question=question, answer=answer) for question, answer in rows]

    async def list_in_cohort(self, cohort_id: int) -> list[Participant]:
        """Participants enrolled in the cohort, in id order."""
        statement = select(*COLUMNS).where(ParticipantRow.cohort_id == cohort_id).order_by(ParticipantRow.id)
        return [to_participant(row) for row in await self._session.execute(statement)]

    async def named_by(self, names: Collection[str]) -> list[Participant]:
        """People whose email, Entra object id or chat user id (case-insensitive) is one of `names`, by id."""
        if not names:
            return []
        named = sorted(names)
        statement = select(*COLUMNS).where(
            or_(
                func.lower(ParticipantRow.user_id).in_(named),
                func.lower(ParticipantRow.aad_object_id).in_(named),
                func.lower(ParticipantRow.email).in_(named),
            )
        )
        return [to_participant(row) for row in await self._session.execute(statement.order_by(ParticipantRow.id))]

    async def list_all(self) -> list[Participant]:
        """Every participant, in id order."""
        rows = await self._session.scalars(select(ParticipantRow).order_by(ParticipantRow.id))
        return [to_participant(row) for row in rows]

    async def mark_unreachable(self, participant_id: int, now: datetime) -> None:
        """Note that the channel refused delivery to this participant (403/404)."""
        (await self._row(participant_id)).unreachable_at = now

    async def mark_reachable(self, participant_id: int) -> None:
        """Clear the unreachable flag: the person has written to the companion again."""
        row = await self._row(participant_id)
        # Forget the alert too, so facilitators hear again if the person becomes unreachable later.
        row.unreachable_at = row.unreachable_alerted_at = None

    async def unreachable_unalerted(self) -> list[Participant]:
        """Unreachable people facilitators have not been told about yet, in id order."""
        statement = (
            select(ParticipantRow)
            .where(ParticipantRow.unreachable_at.is_not(None), ParticipantRow.unreachable_alerted_at.is_(None))
            .order_by(ParticipantRow.id)
            .execution_options(populate_existing=True)
        )
        return [to_participant(row) for row in await self._session.scalars(statement)]

    async def mark_unreachable_alerted(self, participant_id: int, now: datetime) -> None:
        """Note that facilitators have been told this person cannot be reached."""
        (await self._row(participant_id)).unreachable_alerted_at = now

    async def _row(self, participant_id: int) -> ParticipantRow:
        row = await self._session.get(ParticipantRow, participant_id)
        if row is None:
            raise missing("participant", participant_id)
        return row

    async def _replace_answers(self, participant_id: int, answers: Sequence[ProfileAnswer], now: datetime) -> None:
        # Core statements (not ORM objects) so no stale answer rows linger in the session.
        await self._session.execute(
            delete(ProfileAnswerRow).where(ProfileAnswerRow.participant_id == participant_id),
            execution_options={"synchronize_session": False},
        )
        if not answers:
            return
        await self._session.execute(
            insert(ProfileAnswerRow),
            [
                {
                    "participant_id": participant_id,
                    "position": position,
                    "question": answer.question,
                    "answer": answer.answer,
                    "updated_at": now,
                }
                for position, answer in enumerate(answers)
            ],
        )
