"""Pairing is a facilitator's decision: validate it, record it, queue both introductions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from domain.cohorts.model import Roster
from domain.cohorts.service import load_rosters, roster_of
from domain.core.model import NewOutboxMessage, Participant, Partnership, outbox_key
from domain.core.ports import Store, UnitOfWork
from domain.core.reply import verbatim
from domain.meetings.lookup import cancel_reminders
from domain.pairing.model import (
    END_REASONS,
    ByNumbers,
    CohortSuggestions,
    CurrentPair,
    PairingError,
    PairProposal,
)
from domain.pairing.rules import can_pair_in, suggest_pairs
from domain.pairing.wording import introduction, partnership_closed


async def pair(store: Store, first_id: int, second_id: int, now: datetime) -> Partnership:
    """Create a partnership and queue the same introduction to both partners."""
    if first_id == second_id:
        raise PairingError("Please choose two different people.")
    async with store.transaction() as uow:
        first, second = await _pairable(uow, first_id), await _pairable(uow, second_id)
        if first.cohort_id != second.cohort_id:
            raise PairingError(f"{verbatim(first.name)} and {verbatim(second.name)} are in different cohorts.")
        cohort = await uow.cohorts.get(first.cohort_id or 0)
        assert cohort is not None  # enrolled participants always have a cohort
        started_on = max(cohort.start_date, now.date())
        partnership = await uow.partnerships.create(cohort.id, first.id, second.id, started_on, now)
        messages = [
            await _introduction_message(uow, partnership, recipient=first, partner=second, now=now),
            await _introduction_message(uow, partnership, recipient=second, partner=first, now=now),
        ]
        await uow.outbox.enqueue(messages, now)
        return partnership


async def _pairable(uow: UnitOfWork, participant_id: int) -> Participant:
    person = await uow.participants.get(participant_id)
    if person is None or not person.is_enrolled:
        raise PairingError(f"Participant {participant_id} hasn't finished enrolling.")
    if await uow.partnerships.current_for(person.id) is not None:
        raise PairingError(f"{verbatim(person.name)} already has a learning partner.")
    return person


async def _introduction_message(
    uow: UnitOfWork, partnership: Partnership, recipient: Participant, partner: Participant, now: datetime
) -> NewOutboxMessage:
    cohort = await uow.cohorts.get(partnership.cohort_id)
    assert cohort is not None
    reply = introduction(partner, await uow.participants.profile(partner.id), cohort, recipient)
    return NewOutboxMessage(
        outbox_key("intro", partnership.id, recipient.id), "introduction", recipient.id, reply.to_dict(), now
    )


async def end_partnership(store: Store, partnership_id: int, reason: str, now: datetime) -> Partnership:
    """End a partnership and tell both partners, kindly and identically."""
    async with store.transaction() as uow:
        return await close_partnership(uow, partnership_id, reason, now)


async def close_partnership(
    uow: UnitOfWork, partnership_id: int, reason: str, now: datetime, notify: Sequence[int] | None = None
) -> Partnership:
    """End a partnership inside the caller's transaction; the closing note goes to `notify` (default both)."""
    if reason not in END_REASONS:
        raise PairingError("Please choose one of the listed reasons.")
    partnership = await uow.partnerships.get(partnership_id)
    if partnership is None or partnership.status.value == "ended":
        raise PairingError("That partnership isn't active.")
    await uow.partnerships.end(partnership_id, reason, now)
    await _withdraw_pending(uow, partnership_id)
    note = partnership_closed().to_dict()
    recipients = (partnership.partner_a_id, partnership.partner_b_id) if notify is None else notify
    await uow.outbox.enqueue(
        [
            NewOutboxMessage(outbox_key("partnership_ended", partnership_id, pid), "partnership_ended", pid, note, now)
            for pid in recipients
        ],
        now,
    )
    return partnership


async def _withdraw_pending(uow: UnitOfWork, partnership_id: int) -> None:
    """Nothing more goes out for an ended partnership: guide prompts, invitations, nudges, reminders."""
    for kind in ("guide", "aims_invite", "nudge", "private_checkin", "paused", "resumed"):
        prefix = f"{kind}:{partnership_id}:"
        await uow.outbox.cancel_pending(prefix)
    for meeting in await uow.meetings.for_partnership(partnership_id):
        await cancel_reminders(uow, meeting.id)


async def suggestions(store: Store) -> list[CohortSuggestions]:
    """Suggested pairs among each cohort's unpaired people; facilitators decide."""
    return [CohortSuggestions(r.cohort, suggest_pairs(r.unpaired())) for r in await load_rosters(store)]


async def cohorts_to_pair(store: Store) -> list[Roster]:
    """Cohorts with at least two enrolled, unpaired people."""
    return [r for r in await load_rosters(store) if can_pair_in(r)]


async def unpaired_in(store: Store, cohort_id: int) -> list[Participant]:
    """Enrolled people without a current partner in one cohort."""
    async with store.transaction() as uow:
        cohort = await uow.cohorts.get(cohort_id)
        assert cohort is not None  # chosen from the cohorts just listed; cohorts are never deleted
        return (await roster_of(uow, cohort)).unpaired()


async def proposal(store: Store, first_id: int, second_id: int) -> PairProposal | None:
    """The two people about to be paired, or None when either is unknown."""
    async with store.transaction() as uow:
        first, second = await uow.participants.get(first_id), await uow.participants.get(second_id)
    return PairProposal(first, second) if first is not None and second is not None else None


async def by_numbers(
    store: Store, first: int, second: int, join_code: str = "", cohort_id: int | None = None
) -> ByNumbers:
    """The two people numbered `first` and `second` in one cohort: the cohort given (by id or join code), else
    the only cohort there is; with several and none given, the cohorts to choose from."""
    async with store.transaction() as uow:
        cohorts = await uow.cohorts.list_all()
        chosen = [
            c
            for c in cohorts
            if c.id == cohort_id or (cohort_id is None and (c.join_code.upper() == join_code.upper() or not join_code))
        ]
        if len(chosen) != 1:
            return ByNumbers(cohorts=tuple(cohorts) if len(chosen) > 1 else ())
        a = await uow.participants.by_number(chosen[0].id, first)
        b = await uow.participants.by_number(chosen[0].id, second)
    return ByNumbers(PairProposal(a, b) if a is not None and b is not None else None)


async def current_pairs(store: Store) -> list[CurrentPair]:
    """Every active or paused partnership with its two people, cohort by cohort."""
    return [
        CurrentPair(p, r.by_id(p.partner_a_id), r.by_id(p.partner_b_id))
        for r in await load_rosters(store)
        for p in r.current()
    ]
