"""What the dashboard reads of broadcasts: each audience's size for the compose page, and one
broadcast's per-recipient delivery (never names for a group audience: the list would reveal
who is in the group)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.broadcasts import audience as audiences
from domain.broadcasts.model import BUCKETS, Audience, AudienceKind, Broadcast, Summary
from domain.broadcasts.wording import GROUP_WORDS, HEALTH_WORDS, audience_words, count_words
from domain.core.model import Cohort
from domain.core.personal import FORMER_NAME
from domain.core.ports import Store
from domain.core.reply import unmarked


@dataclass(frozen=True)
class AudienceOption:
    """One audience a facilitator may choose, its words and its size as chat would say it."""

    audience: Audience
    words: str
    size: str  # "12 people", or "fewer than 5 people" for a small group audience
    count: int


@dataclass(frozen=True)
class Recipient:
    """One person a broadcast went to, and how their latest attempt went ("sent", "failed", ...)."""

    participant_id: int
    name: str
    outcome: str
    attempts: int


@dataclass(frozen=True)
class BroadcastDelivery:
    """One broadcast: its summary (counts), and its recipients unless the audience is a group."""

    broadcast: Broadcast
    summary: Summary
    recipients: tuple[Recipient, ...]
    names_withheld: bool
    cohorts: tuple[Cohort, ...]


def plain_words(audience: Audience, cohorts: tuple[Cohort, ...]) -> str:
    """The audience in words for a web page (no chat markup), first letter capital: "Spring 2027", "BME colleagues"."""
    words = unmarked(audience_words(audience, cohorts))
    return words[:1].upper() + words[1:]


def audience_choices(cohorts: tuple[Cohort, ...]) -> list[Audience]:
    """Every audience the chat flow offers: everyone, each cohort, each group, each health state."""
    return [
        Audience(AudienceKind.EVERYONE),
        *(Audience(AudienceKind.COHORT, str(c.id)) for c in cohorts),
        *(Audience(AudienceKind.GROUP, value) for value in GROUP_WORDS),
        *(Audience(AudienceKind.HEALTH, value) for value in HEALTH_WORDS),
    ]


async def audience_options(store: Store, now: datetime) -> tuple[AudienceOption, ...]:
    """Each audience with its size now, counted as the chat preview counts it."""
    async with store.reading() as uow:
        cohorts = tuple(await uow.cohorts.list_all())
        counted = [(a, await audiences.count(uow, a, now)) for a in audience_choices(cohorts)]
    return tuple(AudienceOption(a, unmarked(audience_words(a, cohorts)), count_words(n, a), n) for a, n in counted)


async def delivery(store: Store, broadcast_id: int) -> BroadcastDelivery | None:
    """A broadcast's delivery, person by person (latest attempt each); None for an unknown broadcast."""
    async with store.reading() as uow:
        broadcast = await uow.broadcasts.get(broadcast_id)
        if broadcast is None:
            return None
        withheld = broadcast.draft.audience.kind is AudienceKind.GROUP
        names = [] if withheld else await uow.broadcasts.unreachable_names(broadcast_id, 20)
        summary = Summary.of(await uow.broadcasts.summary(broadcast_id), names)
        cohorts = tuple(await uow.cohorts.list_all())
        if withheld:
            return BroadcastDelivery(broadcast, summary, (), True, cohorts)
        latest: dict[int, tuple[int, str]] = {}
        for row in await uow.broadcasts.deliveries(broadcast_id):
            if row.participant_id not in latest or row.attempt > latest[row.participant_id][0]:
                latest[row.participant_id] = (row.attempt, BUCKETS[row.status])
        people = await uow.participants.get_many(sorted(latest))
    recipients = tuple(
        Recipient(pid, (p.name if (p := people.get(pid)) and not p.erased_at else "") or FORMER_NAME, outcome, attempt)
        for pid, (attempt, outcome) in sorted(latest.items())
    )
    return BroadcastDelivery(broadcast, summary, recipients, False, cohorts)
