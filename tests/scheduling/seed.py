"""Rows and clocks the scheduling tests need, inserted directly with SQLAlchemy."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.clock import FixedClock
from domain.core.reply import Reply
from scheduling.dispatcher import Dispatcher
from storage.outbox_store import OutboxStore
from storage.tables import ConversationRefRow, OutboxRow, ParticipantRow

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
TENANT = "00000000-0000-4000-8000-0000000000a1"
BOT_ID = "28:00000000-0000-4000-8000-00000000b071"
DispatcherFactory = Callable[..., Dispatcher]  # build(owner="...", **settings_overrides)


@dataclass
class LimiterTime:
    """Limiter time read from the FixedClock. The limiter's waits are recorded, not slept (its own
    clock runs on past them); the dispatcher's idle sleeps move the FixedClock itself."""

    clock: FixedClock
    waits: list[float] = field(default_factory=list)
    grants: list[tuple[float, str, bool]] = field(default_factory=list)

    def time(self) -> float:
        """Seconds since the epoch according to the fixed clock."""
        return self.clock.now().timestamp()

    async def wait_virtually(self, seconds: float) -> None:
        """A virtual sleep: record the limiter's wait; no real time passes."""
        self.waits.append(seconds)

    def grant(self, at: float, conversation: str, reply: bool) -> None:
        """The limiter's grant observer: every send instant, in order."""
        self.grants.append((at, conversation, reply))

    async def pass_time(self, seconds: float) -> None:
        """The dispatcher's idle sleep: the fixed clock moves on by `seconds`."""
        self.clock.current += timedelta(seconds=seconds)
        await asyncio.sleep(0)

    def outbox_grants(self) -> list[float]:
        """The instants outbox sends were granted, as seconds after START."""
        return [at - START.timestamp() for at, _, reply in self.grants if not reply]


async def settle(dispatcher: Dispatcher, engine: AsyncEngine, clock: FixedClock, rounds: int = 2000) -> int:
    """Dispatch, then move the clock to the next due row, until nothing is left to send; return the rounds."""
    outbox = OutboxStore(engine)
    for done in range(1, rounds + 1):
        await dispatcher.run_once()
        due = await outbox.next_due()
        if due is None:
            return done
        clock.current = max(clock.current, due)
    raise AssertionError(f"still sending after {rounds} rounds: {await outbox.summary()}")


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
