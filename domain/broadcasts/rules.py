"""Broadcast rules on data alone: the link button, who a group audience reaches, each recipient's latest attempt."""

from __future__ import annotations

from collections.abc import Sequence

from domain.broadcasts.model import Delivery
from domain.core.model import Group

# A group audience also reaches people who are in both groups.
GROUP_MEMBERS = {
    Group.SENIOR_LEADER.value: {Group.SENIOR_LEADER, Group.BOTH},
    Group.BME_COLLEAGUE.value: {Group.BME_COLLEAGUE, Group.BOTH},
    Group.BOTH.value: {Group.BOTH},
}


class BroadcastError(Exception):
    """A request that cannot be met; the message is safe to show to the facilitator."""


def check_link(text: str) -> tuple[str, str]:
    """Read "Button title https://link" into (title, url); the link must be https."""
    words = text.split()
    if len(words) < 2 or not words[-1].lower().startswith("https://") or len(words[-1]) < 12:
        raise BroadcastError(
            "Please type the button title, then the link starting with https://, "
            "e.g. *Book your place https://example.org/book*."
        )
    title, url = " ".join(words[:-1]), words[-1]
    if len(title) > 80 or len(url) > 500:
        raise BroadcastError("That's a little long: keep the title under 80 characters and the link under 500.")
    return title, url


def latest(deliveries: Sequence[Delivery]) -> dict[int, Delivery]:
    """Each recipient's latest attempt."""
    found: dict[int, Delivery] = {}
    for delivery in deliveries:
        if delivery.participant_id not in found or delivery.attempt > found[delivery.participant_id].attempt:
            found[delivery.participant_id] = delivery
    return found
