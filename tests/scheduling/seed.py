"""Rows and clocks the scheduling tests need, inserted directly with SQLAlchemy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.clock import FixedClock
from domain.core.reply import Reply
from scheduling.dispatcher import Dispatcher
from storage.tables import ConversationRefRow, OutboxRow, ParticipantRow

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
TENANT = "00000000-0000-4000-8000-0000000000a1"
BOT_ID = "28:00000000-0000-4000-8000-00000000b071"
DispatcherFactory = Callable[..., Dispatcher]  # build(owner="...", **settings_overrides)


@dataclass
class LimiterTime:
    """Limiter time read from the FixedClock; waits are recorded, not slept (reservations stand)."""

    clock: FixedClock
    waits: list[float] = field(default_factory=list)

    def time(self) -> float:
        """Seconds since the epoch according to the fixed clock."""
        return self.clock.now().timestamp()

    async def sleep(self, seconds: float) -> None:
        """Record the wait; the reservation already holds the slot, so nothing needs to pass."""
        self.waits.append(seconds)


def personal_conversation(n: int) -> str:
    """The personal conversation id `add_person` gives person `n`."""
    return f"a:personal-{n}"


async def add_person(
    engine: AsyncEngine,
    n: int,
    service_url: str | None,
    conversation_type: str = "personal",
    channel_id: str = "msteams",
) -> int:
    """Insert participant `n` (and a conversation reference unless service_url is None)."""
    async with engine.begin() as conn:
        result = await conn.execute(
            insert(ParticipantRow).values(
                channel_id=channel_id, user_id=f"29:user-{n}", name=f"Person {n}", created_at=START
            )
        )
        participant_id = result.inserted_primary_key[0]
        if service_url is not None:
            conversation = personal_conversation(n) if conversation_type == "personal" else f"19:team-{n}@thread.tacv2"
            await conn.execute(
                insert(ConversationRefRow).values(
                    participant_id=participant_id,
                    channel_id=channel_id,
                    service_url=service_url,
                    conversation_id=conversation,
                    conversation_type=conversation_type,
                    user_id=f"29:user-{n}",
                    bot_id=BOT_ID,
                    bot_name="PLP Companion",
                    tenant_id=TENANT,
                    updated_at=START,
                )
            )
    return participant_id


async def add_message(
    engine: AsyncEngine, participant_id: int, key: str, due_at: datetime = START, payload: dict[str, Any] | None = None
) -> int:
    """Insert one pending outbox row."""
    body = payload if payload is not None else Reply(text=f"Hello ({key})").to_dict()
    async with engine.begin() as conn:
        result = await conn.execute(
            insert(OutboxRow).values(
                idempotency_key=key,
                kind="test",
                participant_id=participant_id,
                payload=body,
                due_at=due_at,
                created_at=START,
            )
        )
        return result.inserted_primary_key[0]


async def outbox_row(engine: AsyncEngine, row_id: int) -> Any:
    """The outbox row as stored."""
    async with engine.connect() as conn:
        return (await conn.execute(select(OutboxRow.__table__).where(OutboxRow.id == row_id))).one()


async def participant_row(engine: AsyncEngine, participant_id: int) -> Any:
    """The participant row as stored."""
    async with engine.connect() as conn:
        return (await conn.execute(select(ParticipantRow.__table__).where(ParticipantRow.id == participant_id))).one()


async def ref_row(engine: AsyncEngine, participant_id: int) -> Any:
    """The conversation reference row as stored."""
    async with engine.connect() as conn:
        return (
            await conn.execute(
                select(ConversationRefRow.__table__).where(ConversationRefRow.participant_id == participant_id)
            )
        ).one()
