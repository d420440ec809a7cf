"""The personal-data side of the shared repositories (core/ports.py composes these in), and the
dialog-state repository: what export, erasure and the retention purge need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.core.model import Participant, Partnership


class ParticipantsPersonal(Protocol):
    async def erase(self, participant_id: int, placeholder_name: str, now: datetime) -> None:
        """Keep the row (partnerships point at it) but nothing that identifies the person: name
        replaced, ids, email, group, consent and choices cleared, profile answers deleted."""
        ...

    async def retention_due(self, cohort_ids: Sequence[int], idle_before: datetime, limit: int) -> list[Participant]:
        """Up to `limit` people not yet erased, in id order, who are in one of `cohort_ids` or in no
        cohort and have not been heard from since `idle_before`."""
        ...


class PartnershipsPersonal(Protocol):
    async def all_for(self, participant_id: int) -> list[Partnership]:
        """Every partnership the person was ever in (ended ones too), in id order."""
        ...


class ConversationsPersonal(Protocol):
    async def forget(self, participant_id: int) -> None:
        """Delete the person's conversation reference."""
        ...


class OutboxPersonal(Protocol):
    async def forget_recipient(self, participant_id: int) -> int:
        """Delete every message to the person, whatever its state; return how many."""
        ...

    async def withdraw(self, key_prefixes: Sequence[str]) -> int:
        """Messages whose idempotency key starts with one of the prefixes: unsent ones cancelled, and
        every one's payload cleared; return how many rows changed."""
        ...

    async def withdraw_mentioning(self, texts: Sequence[str]) -> int:
        """Messages whose payload holds one of `texts` (as a whole word or phrase, case-sensitive):
        unsent ones cancelled and every one's payload cleared; return how many."""
        ...

    async def purge_finished(self, before: datetime) -> int:
        """Delete sent, failed or cancelled messages created before `before` (finished messages hold no
        payload already); return how many."""
        ...


class DialogStateRepo(Protocol):
    """botbuilder's conversation state documents (the `bot_state` table)."""

    async def has_conversation(self, conversation_id: str) -> bool:
        """Whether a conversation's dialog state is stored."""
        ...

    async def forget_conversation(self, conversation_id: str) -> int:
        """Delete a conversation's dialog state; return how many documents."""
        ...

    async def forget_mentioning(self, texts: Sequence[str]) -> int:
        """Delete documents that hold one of `texts` (the conversation starts afresh); how many."""
        ...

    async def forget_idle(self, before: datetime) -> int:
        """Delete documents not written since `before` (abandoned conversations); how many."""
        ...
