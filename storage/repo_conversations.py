"""Conversation reference repository (implements domain.core.ports.ConversationRepo)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.model import ConversationRef
from storage.personal_people import ConversationsPersonalSql
from storage.repo_common import session_insert
from storage.tables import ConversationRefRow


def to_conversation_ref(row: ConversationRefRow) -> ConversationRef:
    """Map a table row to the domain dataclass."""
    return ConversationRef(
        participant_id=row.participant_id,
        channel_id=row.channel_id,
        service_url=row.service_url,
        conversation_id=row.conversation_id,
        user_id=row.user_id,
        bot_id=row.bot_id,
        bot_name=row.bot_name,
        tenant_id=row.tenant_id,
        conversation_type=row.conversation_type,
    )


class SqlConversationRepo(ConversationsPersonalSql):
    """Where to reach each participant proactively, one row per participant."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert(self, ref: ConversationRef, now: datetime) -> None:
        """Insert or replace the participant's conversation reference."""
        values = {**asdict(ref), "updated_at": now}
        statement = session_insert(self._session, ConversationRefRow).values(**values)
        # ON CONFLICT: two concurrent turns of one person must not fail on the primary key.
        statement = statement.on_conflict_do_update(
            index_elements=[ConversationRefRow.participant_id],
            set_={name: statement.excluded[name] for name in values if name != "participant_id"},
        )
        await self._session.execute(statement)

    async def get(self, participant_id: int) -> ConversationRef | None:
        """The participant's conversation reference, or None."""
        # populate_existing: the upsert above bypasses the ORM identity map.
        row = await self._session.get(ConversationRefRow, participant_id, populate_existing=True)
        return to_conversation_ref(row) if row is not None else None
