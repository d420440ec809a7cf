"""The fallback for an in-turn reply Teams would not take within the turn: the outbox.

The reply is queued as the same neutral `Reply` (the dispatcher renders it for the person's
channel exactly as `say` did), due now, under an idempotency key made of the inbound
activity id and the reply's index in the turn, so a second attempt to queue it adds nothing.
The dispatcher is woken at once; it sends when the rate limits and any 429 pause allow.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from domain.core.clock import Clock
from domain.core.model import NewOutboxMessage, outbox_key
from domain.core.ports import Store
from domain.core.reply import Reply

REPLY_KIND = "reply"
# Keys live in a 255-character column; longer inbound ids are hashed (still stable per activity).
MAX_ID_CHARS = 120


@dataclass(frozen=True)
class QueuedReply:
    """Who the reply is for, which turn and which reply of that turn it was, and what it says."""

    channel_id: str
    user_id: str
    inbound_activity_id: str
    index: int
    reply: Reply


class ReplyOutbox:
    """Queues undeliverable in-turn replies for the dispatcher."""

    def __init__(self, store: Store, clock: Clock, wake: Callable[[], None]) -> None:
        self._store, self._clock, self._wake = store, clock, wake

    async def queue(self, queued: QueuedReply) -> bool:
        """Queue the reply for the person who spoke; False when they are not registered."""
        now = self._clock.now()
        async with self._store.transaction() as uow:
            person = await uow.participants.find_by_user(queued.channel_id, queued.user_id)
            if person is None:
                return False
            key = outbox_key(REPLY_KIND, _subject(queued.inbound_activity_id), person.id, queued.index)
            await uow.outbox.enqueue([NewOutboxMessage(key, REPLY_KIND, person.id, queued.reply.to_dict(), now)], now)
        self._wake()
        return True


def _subject(activity_id: str) -> str:
    """The inbound activity id as a key part: as is when short, else a stable digest."""
    if len(activity_id) <= MAX_ID_CHARS:
        return activity_id
    return hashlib.sha256(activity_id.encode("utf-8")).hexdigest()
