"""Dialog state documents (implements domain.core.personal_ports.DialogStateRepo): the part of
`bot_state` that erasure and expiry reach. storage/sql_storage.py reads and writes the same
rows for botbuilder; nothing here decodes a document beyond reading its strings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.repo_common import rows_affected
from storage.tables import BotStateRow
from storage.text_search import containing, mentions


def _of_conversation(conversation_id: str) -> ColumnElement[bool]:
    """ConversationState keys are '{channel}/conversations/{conversation id}'."""
    suffix = f"/conversations/{conversation_id}"
    return func.substr(BotStateRow.key, func.length(BotStateRow.key) - len(suffix) + 1) == suffix


class SqlDialogStateRepo:
    """Conversations' dialog stacks (half-answered questions), by conversation."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def has_conversation(self, conversation_id: str) -> bool:
        """Whether the conversation's dialog state is stored."""
        found = await self._session.scalar(select(BotStateRow.key).where(_of_conversation(conversation_id)).limit(1))
        return found is not None

    async def forget_conversation(self, conversation_id: str) -> int:
        """Delete the conversation's dialog state."""
        return rows_affected(await self._session.execute(delete(BotStateRow).where(_of_conversation(conversation_id))))

    async def forget_mentioning(self, texts: Sequence[str]) -> int:
        """Delete documents holding one of `texts` as a whole word or phrase (those conversations start afresh)."""
        wanted = [t for t in dict.fromkeys(t.strip() for t in texts) if t]
        if not wanted:
            return 0
        rows = await self._session.execute(
            select(BotStateRow.key, BotStateRow.document).where(containing(self._session, BotStateRow.document, wanted))
        )
        keys = [key for key, document in rows if mentions(document, wanted)]
        if not keys:
            return 0
        return rows_affected(await self._session.execute(delete(BotStateRow).where(BotStateRow.key.in_(keys))))

    async def forget_idle(self, before: datetime) -> int:
        """Delete documents not written since `before`."""
        return rows_affected(await self._session.execute(delete(BotStateRow).where(BotStateRow.updated_at < before)))
