"""Scheduled invitations to the mutual-aims steps: hopes early on, reviews at the mid-point and
near the end. The same wording goes to both partners, and only while there is something left
for the pair to do. `service.run_due` plans a chunk of partnerships at a time with these rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from domain.aims.cards import invitation
from domain.aims.model import AimsProgress
from domain.aims.rules import aims_stage_due
from domain.core.model import Cohort, NewOutboxMessage, Partnership, outbox_key
from domain.core.spread import spread_delivery_time
from domain.core.timing import WorkingHours, partnership_week


def stages_due(
    partnerships: Sequence[Partnership], cohorts: Mapping[int, Cohort], now: datetime
) -> list[tuple[Partnership, str]]:
    """The aims stage each partnership is at now ("start", "mid", "end"), for those at one."""
    found = []
    for partnership in partnerships:
        cohort = cohorts.get(partnership.cohort_id)
        if cohort is None or partnership.started_on is None:
            continue
        stage = aims_stage_due(partnership_week(partnership.started_on, now.date()), cohort.length_months)
        if stage is not None:
            found.append((partnership, stage))
    return found


def still_open(stage: str, progress: AimsProgress) -> bool:
    """Is there still something for the pair to do at this stage?"""
    if stage == "start":
        return progress.hopes_noted < 2
    return progress.agreed and progress.ratings_at(stage) < 2


def invitations(
    partnership: Partnership,
    stage: str,
    keys: tuple[str, str],
    zones: Mapping[int, str],
    hours: WorkingHours,
    now: datetime,
) -> list[NewOutboxMessage]:
    """The stage's invitation for both partners, under their `invitation_keys`, in their own windows."""
    payload = _card(stage)
    return [
        NewOutboxMessage(key, "aims_invite", person, payload, spread_delivery_time(now, zones[person], hours, person))
        for person, key in zip((partnership.partner_a_id, partnership.partner_b_id), keys, strict=True)
    ]


def invitation_keys(partnership: Partnership, stage: str) -> tuple[str, str]:
    """The stage invitation's idempotency keys: partner a's, then partner b's."""
    a, b = partnership.partner_a_id, partnership.partner_b_id
    return outbox_key("aims_invite", partnership.id, a, stage), outbox_key("aims_invite", partnership.id, b, stage)


@cache
def _card(stage: str) -> dict[str, Any]:
    """The invitation card for a stage, built once (it is the same for every pair)."""
    return invitation(stage).to_dict()
