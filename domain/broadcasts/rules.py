"""Broadcast rules on data alone: the link button, who an audience reaches, when a batch is the last."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from domain.broadcasts.model import Audience, AudienceKind, PairFacts, Selection, Window
from domain.core.model import Group
from domain.health.rules import assess
from domain.language.recognize import web_link

# A group audience also reaches people who are in both groups.
GROUP_MEMBERS = {
    Group.SENIOR_LEADER.value: {Group.SENIOR_LEADER, Group.BOTH},
    Group.BME_COLLEAGUE.value: {Group.BME_COLLEAGUE, Group.BOTH},
    Group.BOTH.value: {Group.BOTH},
}


DEFAULT_LINK_TITLE = "Open the link"


class BroadcastError(Exception):
    """A request that cannot be met; the message is safe to show to the facilitator."""


def check_link(text: str) -> tuple[str, str]:
    """Read "Button title https://link" into (title, url): a bare address gets https:// ("example.org/x"),
    and a link alone gets the title "Open the link". Only https links are sent."""
    words = text.split()
    url = web_link(words[-1]) if words else None
    if url is None:
        raise BroadcastError(
            "I couldn't find a web link there. Type the button title and then the link, e.g. "
            "*Book your place example.org/book*, or just the link (http:// links aren't sent: use https://)."
        )
    title = " ".join(words[:-1]) or DEFAULT_LINK_TITLE
    if len(title) > 80:
        raise BroadcastError("That's a little long: please keep the button title under 80 characters.")
    return title, url


def audience_key(audience: Audience) -> str:
    """An audience as one form value: 'everyone', 'cohort:3', 'group:bme_colleague', 'health:quiet'."""
    return audience.kind.value if audience.kind is AudienceKind.EVERYONE else f"{audience.kind.value}:{audience.value}"


def selection(audience: Audience) -> Selection:
    """The enrolled people an everyone, cohort or group audience covers (health audiences are assessed)."""
    if audience.kind is AudienceKind.COHORT:
        return Selection(cohort_id=int(audience.value)) if audience.value.isdigit() else Selection(nobody=True)
    if audience.kind is AudienceKind.GROUP:
        return Selection(groups=frozenset(group.value for group in GROUP_MEMBERS.get(audience.value, ())))
    return Selection()


def in_health_state(candidates: Sequence[int], pairs: Sequence[PairFacts], state: str, as_of: datetime) -> list[int]:
    """The candidates with a current partnership whose health at `as_of` is `state`, in id order."""
    matching: set[int] = set()
    for facts in pairs:
        pair = facts.partnership
        health = assess(pair, facts.last_activity, facts.has_upcoming, as_of, facts.quiet_weeks, facts.inactive_weeks)
        if health.value == state:
            matching.update((pair.partner_a_id, pair.partner_b_id))
    return sorted(matching.intersection(candidates))


def window(examined: Sequence[int], recipients: Sequence[int], after: int, batch: int) -> Window:
    """A batch that looked at `examined` (ids in order) is the last when it came back short."""
    return Window(tuple(recipients), examined[-1] if examined else after, len(examined) < batch)
