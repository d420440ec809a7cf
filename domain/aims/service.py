"""Mutual aims services: each runs one transaction on the Store and returns a result
(worded by domain.aims.wording).

Cards for the partner go through the outbox in the same transaction; hopes, aims and
ratings are free text or private, so nothing here logs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial

from domain.aims.cards import agreed_card, hopes_card, proposal_card, proposal_token, ratings_card
from domain.aims.invites import invitation_keys, invitations, stages_due, still_open
from domain.aims.model import (
    AGREED,
    NOT_PAIRED,
    NOTHING_TO_SHARE,
    STAGES,
    AimsAgreed,
    AimsError,
    AimsProgress,
    AimsProposed,
    AimsView,
    HopesSaved,
    ProgressRated,
    SharedAims,
    SharingChosen,
)
from domain.aims.rules import both_in, check_ratings, check_response, in_order, parse_aims
from domain.core.bulk_ports import ActiveChunk
from domain.core.jobs import Apply, JobContext, each_active_chunk, queue, slices
from domain.core.model import NewOutboxMessage, Participant, Partnership, outbox_key
from domain.core.pairs import locked_pair, pair_people
from domain.core.ports import Store, UnitOfWork
from domain.core.reply import Reply


async def load_view(store: Store, participant_id: int) -> AimsView | None:
    """The person's aims view, or None when they have no current partnership."""
    async with store.transaction() as uow:
        partnership = await uow.partnerships.current_for(participant_id)
        if partnership is None:
            return None
        me, partner = await pair_people(uow, partnership, participant_id)
        pid = partnership.id
        return AimsView(
            partnership,
            me,
            partner,
            tuple(await uow.aims.hopes(pid)),
            await uow.aims.open_proposal(pid),
            await uow.aims.agreed(pid),
            tuple(await uow.aims.ratings(pid)),
        )


async def card_token_now(store: Store, participant_id: int, proposal_id: int) -> str:
    """The card token of suggested aims as they stand now; "" unless they belong to the person's partnership."""
    async with store.reading() as uow:
        proposal = await uow.aims.get(proposal_id)
        pair = await uow.partnerships.get(proposal.partnership_id) if proposal is not None else None
    if proposal is None or pair is None or participant_id not in (pair.partner_a_id, pair.partner_b_id):
        return ""
    return proposal_token(proposal)


def _message(
    kind: str, subject: int, recipient: Participant, reply: Reply, now: datetime, occurrence: str | int = 0
) -> NewOutboxMessage:
    return NewOutboxMessage(
        outbox_key(kind, subject, recipient.id, occurrence), kind, recipient.id, reply.to_dict(), now
    )


async def save_hopes(store: Store, participant_id: int, learn: str, offer: str, now: datetime) -> HopesSaved:
    """Note (or change) hopes; once both are in, both see both (the partner via the outbox)."""
    async with store.transaction() as uow:
        partnership, me, partner = await locked_pair(uow, participant_id, AimsError(NOT_PAIRED))
        await uow.aims.save_hopes(partnership.id, me.id, learn, offer, now)
        hopes = tuple(await uow.aims.hopes(partnership.id))
        if not both_in([h.participant_id for h in hopes], partnership):
            return HopesSaved(partner)
        people = tuple(in_order(partnership, me, partner))
        card = hopes_card(people, hopes)
        await uow.outbox.enqueue(
            [_message("aims_hopes_ready", partnership.id, partner, card, now, f"{me.id}@{now.isoformat()}")], now
        )
        return HopesSaved(partner, people, hopes, queued=True)


async def proposal_to_answer(store: Store, participant_id: int, proposal_id: int) -> SharedAims:
    """The open proposal this person may accept or change (AimsError otherwise)."""
    async with store.transaction() as uow:
        partnership, _, _ = await locked_pair(uow, participant_id, AimsError(NOT_PAIRED))
        return check_response(await uow.aims.get(proposal_id), partnership, participant_id)


async def check_can_propose(store: Store, participant_id: int) -> None:
    """Shared aims come after both partners have noted their hopes (AimsError before then)."""
    async with store.transaction() as uow:
        partnership, _, _ = await locked_pair(uow, participant_id, AimsError(NOT_PAIRED))
        await _require_hopes(uow, partnership)


async def _require_hopes(uow: UnitOfWork, partnership: Partnership) -> None:
    if not both_in([h.participant_id for h in await uow.aims.hopes(partnership.id)], partnership):
        raise AimsError("Shared aims come once you've both noted your hopes. Type **aims** to see where you are.")


async def propose_aims(
    store: Store, participant_id: int, aims: Sequence[str], now: datetime, replacing: int | None = None
) -> AimsProposed:
    """Propose aims (or a changed version of `replacing`); the partner gets Accept / Suggest changes."""
    aims = parse_aims("\n".join(aims))
    async with store.transaction() as uow:
        partnership, me, partner = await locked_pair(uow, participant_id, AimsError(NOT_PAIRED))
        await _require_hopes(uow, partnership)
        if replacing is not None:
            check_response(await uow.aims.get(replacing), partnership, me.id)
        await uow.aims.supersede_open(partnership.id)
        proposal = await uow.aims.propose(partnership.id, me.id, aims, now)
        await uow.outbox.enqueue(
            [_message("aims_proposed", proposal.id, partner, proposal_card(proposal, me), now)], now
        )
    return AimsProposed(partner, queued=True)


async def accept_aims(store: Store, participant_id: int, proposal_id: int, now: datetime) -> AimsAgreed:
    """Agree the partner's proposal; both get 'Your shared aims' (the partner via the outbox)."""
    async with store.transaction() as uow:
        partnership, me, partner = await locked_pair(uow, participant_id, AimsError(NOT_PAIRED))
        proposal = check_response(await uow.aims.get(proposal_id), partnership, me.id)
        await uow.aims.agree(proposal.id, now)
        agreed = replace(proposal, status=AGREED, agreed_at=now)
        card = agreed_card(agreed, partner.time_zone)
        await uow.outbox.enqueue([_message("aims_agreed", proposal.id, partner, card, now)], now)
        return AimsAgreed(agreed, queued=True, time_zone=me.time_zone)


async def aims_to_rate(store: Store, participant_id: int, stage: str) -> list[str]:
    """The agreed aims this person can rate at `stage` (AimsError when they cannot)."""
    async with store.transaction() as uow:
        partnership, _, _ = await locked_pair(uow, participant_id, AimsError(NOT_PAIRED))
        agreed = await uow.aims.agreed(partnership.id)
        if agreed is None:
            raise AimsError("Progress reviews start once you've agreed shared aims. Type **aims** to begin.")
        check_ratings(agreed, stage, [1] * len(agreed.aims))
        if any(r.participant_id == participant_id for r in await uow.aims.ratings(partnership.id, stage)):
            raise AimsError(f"You've already rated progress for your {STAGES[stage]}. Thank you!")
        return list(agreed.aims)


async def rate_progress(
    store: Store, participant_id: int, stage: str, ratings: Sequence[int], now: datetime
) -> ProgressRated:
    """Record private ratings; once both have rated this stage, both see both."""
    await aims_to_rate(store, participant_id, stage)
    async with store.transaction() as uow:
        partnership, me, partner = await locked_pair(uow, participant_id, AimsError(NOT_PAIRED))
        agreed = await uow.aims.agreed(partnership.id)
        assert agreed is not None  # checked above; agreed aims are never withdrawn
        check_ratings(agreed, stage, ratings)
        await uow.aims.save_rating(partnership.id, me.id, stage, list(ratings), now)
        given = tuple(await uow.aims.ratings(partnership.id, stage))
        if not both_in([r.participant_id for r in given], partnership):
            return ProgressRated(stage, agreed, partner)
        people = tuple(in_order(partnership, me, partner))
        card = ratings_card(stage, agreed, people, given)
        await uow.outbox.enqueue([_message("aims_ratings_ready", partnership.id, partner, card, now, stage)], now)
        return ProgressRated(stage, agreed, partner, people, given, queued=True)


async def share_with_team(store: Store, participant_id: int) -> SharingChosen:
    """Record this person's choice to share the agreed aims; the team sees them once both chose."""
    async with store.transaction() as uow:
        partnership, me, partner = await locked_pair(uow, participant_id, AimsError(NOT_PAIRED))
        agreed = await uow.aims.agreed(partnership.id)
        if agreed is None:
            raise AimsError(NOTHING_TO_SHARE)
        shared = await uow.aims.share_with_team(agreed.id, me.id)
    return SharingChosen(partner, both_shared=both_in(shared, partnership))


async def run_due(ctx: JobContext, now: datetime) -> int:
    """Queue the aims invitations due at `now` (hopes, mid-point and end reviews), a chunk of pairs at a time."""
    return await each_active_chunk(ctx, partial(_invite_chunk, ctx, now))


async def _invite_chunk(ctx: JobContext, now: datetime, uow: UnitOfWork, page: ActiveChunk) -> list[Apply]:
    """One chunk: stages from the weeks, the invitations not yet queued, what is still open from one bulk
    read, both partners invited."""
    cohorts = page.cohorts
    staged = stages_due([p for p in page.partnerships if page.both_known(p)], cohorts, now)
    if not staged:
        return []
    # A stage stays open for weeks: its invitation went out when it opened, and is not planned again.
    # Looked up first (by key alone), so a tick with nothing new reads no progress and builds no message.
    keys = {partnership.id: invitation_keys(partnership, stage) for partnership, stage in staged}
    sent = await uow.outbox.queued_keys([key for pair in keys.values() for key in pair])
    staged = [(p, stage) for p, stage in staged if not sent.issuperset(keys[p.id])]
    if not staged:
        return []
    progress = await uow.aims.progress([p.id for p, _ in staged])
    messages = [
        message
        for partnership, stage in staged
        if still_open(stage, progress.get(partnership.id, AimsProgress()))
        for message in invitations(partnership, stage, keys[partnership.id], page.zones, ctx.settings.hours, now)
        if message.idempotency_key not in sent
    ]
    return [partial(queue, ctx, batch, page.zones, now) for batch in slices(messages)]
