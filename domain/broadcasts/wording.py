"""Broadcast wording: the message recipients see, the preview and the status summary.

Counts about a group audience under 5 people are shown as "fewer than 5" (group membership
is special category data), and names of people who cannot be reached are withheld there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.broadcasts.model import Audience, AudienceKind, Broadcast, BroadcastStatus, Draft
from domain.core.model import Cohort, OutboxStatus
from domain.core.reply import Action, Fact, Reply
from domain.language.when import format_time

FROM_TEAM = "From the programme team"
SMALL = 5
GROUP_WORDS = {"senior_leader": "senior leaders", "bme_colleague": "BME colleagues", "both": "people in both groups"}
HEALTH_WORDS = {
    "active": "active partnerships",
    "quiet": "quiet partnerships",
    "inactive": "inactive partnerships",
    "paused": "paused partnerships",
}
BUCKETS = {
    OutboxStatus.PENDING: "pending",
    OutboxStatus.SENDING: "pending",
    OutboxStatus.SENT: "sent",
    OutboxStatus.DEAD: "failed",
    OutboxStatus.UNREACHABLE: "unreachable",
    OutboxStatus.CANCELLED: "cancelled",
}


@dataclass(frozen=True)
class Summary:
    """Per-recipient delivery status of one broadcast (each person's latest attempt)."""

    pending: int = 0
    sent: int = 0
    failed: int = 0
    unreachable: int = 0
    cancelled: int = 0
    unreachable_names: tuple[str, ...] = ()

    @classmethod
    def of(cls, statuses: Sequence[OutboxStatus], unreachable_names: Sequence[str] = ()) -> Summary:
        """Count statuses into the four buckets facilitators see (plus cancelled)."""
        counts = {bucket: 0 for bucket in BUCKETS.values()}
        for status in statuses:
            counts[BUCKETS[status]] += 1
        return cls(**counts, unreachable_names=tuple(unreachable_names))


def message_reply(draft: Draft) -> Reply:
    """The broadcast exactly as recipients see it."""
    link = (Action(draft.link_title, "open_url", url=draft.link_url),) if draft.link_url else ()
    return Reply(title=FROM_TEAM, text=draft.text, actions=link)


def audience_words(audience: Audience, cohorts: Sequence[Cohort] = ()) -> str:
    """ "everyone", "Spring 2027", "BME colleagues", "quiet partnerships"."""
    if audience.kind is AudienceKind.COHORT:
        return next((c.name for c in cohorts if str(c.id) == audience.value), "a cohort")
    if audience.kind is AudienceKind.GROUP:
        return GROUP_WORDS[audience.value]
    if audience.kind is AudienceKind.HEALTH:
        return f"both partners in {HEALTH_WORDS[audience.value]}"
    return "everyone enrolled"


def count_words(count: int, audience: Audience) -> str:
    """ "12 people", or "fewer than 5 people" for a small group audience."""
    if audience.kind is AudienceKind.GROUP and 0 < count < SMALL:
        return "fewer than 5 people"
    return "1 person" if count == 1 else f"{count} people"


def _number(count: int, audience: Audience) -> str:
    return "fewer than 5" if audience.kind is AudienceKind.GROUP and 0 < count < SMALL else str(count)


def preview_note(count: int, audience: Audience, cohorts: Sequence[Cohort]) -> Reply:
    """Who it goes to, asked after the message preview."""
    return Reply(
        text=f"That's how it will look. It goes to {audience_words(audience, cohorts)}: {count_words(count, audience)}."
    )


def status_reply(broadcast: Broadcast, summary: Summary, cohorts: Sequence[Cohort], time_zone: str) -> Reply:
    """One broadcast's delivery status, with a "Resend to failed" button when some failed."""
    audience = broadcast.draft.audience
    when = format_time(broadcast.sent_at or broadcast.send_at, time_zone)
    facts = [Fact("To", audience_words(audience, cohorts)), Fact("Status", f"{broadcast.status.value}, {when}")]
    if broadcast.status is BroadcastStatus.SENT:
        facts += [
            Fact(label.capitalize(), _number(getattr(summary, label), audience))
            for label in ("pending", "sent", "failed", "unreachable")
        ]
    text = _snippet(broadcast.draft.text)
    if summary.unreachable_names:
        text += (
            "\n\nCould not be reached: " + ", ".join(summary.unreachable_names)
            if audience.kind is not AudienceKind.GROUP
            else "\n\nSome people could not be reached."
        )
    resend = (
        (Action("Resend to failed", data={"command": f"broadcast resend {broadcast.id}"}),) if summary.failed else ()
    )
    return Reply(title=f"Broadcast #{broadcast.id}", text=text, facts=tuple(facts), actions=resend)


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return f"“{flat[:80]}…”" if len(flat) > 80 else f"“{flat}”"
