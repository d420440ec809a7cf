"""Broadcast wording: the message recipients see, the preview, the status summary and what
the facilitator is told after each step.

Counts about a group audience under 5 people are shown as "fewer than 5" (group membership
is special category data), and names of people who cannot be reached are withheld there.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.broadcasts.model import (
    Audience,
    AudienceKind,
    Broadcast,
    BroadcastStatus,
    Cancelled,
    Created,
    Draft,
    Resent,
    StatusReport,
    Summary,
)
from domain.core.model import SMALL_GROUP_MIN, Cohort
from domain.core.reply import Action, Choice, Fact, Reply, verbatim
from domain.language.show import format_time

FROM_TEAM = "From the programme team"
GROUP_WORDS = {"senior_leader": "senior leaders", "bme_colleague": "BME colleagues", "both": "people in both groups"}
STAGES = {
    BroadcastStatus.SCHEDULED: "scheduled",
    BroadcastStatus.SENDING: "preparing",
    BroadcastStatus.RESENDING: "preparing a resend",
    BroadcastStatus.CANCELLED: "cancelled",
}
HEALTH_WORDS = {
    "active": "active partnerships",
    "quiet": "quiet partnerships",
    "inactive": "inactive partnerships",
    "paused": "paused partnerships",
}


def message_reply(draft: Draft) -> Reply:
    """The broadcast exactly as recipients see it."""
    link = (Action(draft.link_title, "open_url", url=draft.link_url),) if draft.link_url else ()
    return Reply(title=FROM_TEAM, text=draft.text, actions=link)


def audience_words(audience: Audience, cohorts: Sequence[Cohort] = ()) -> str:
    """ "everyone", "Spring 2027", "BME colleagues", "quiet partnerships"."""
    if audience.kind is AudienceKind.COHORT:
        return next((verbatim(c.name) for c in cohorts if str(c.id) == audience.value), "a cohort")
    if audience.kind is AudienceKind.GROUP:
        return GROUP_WORDS[audience.value]
    if audience.kind is AudienceKind.HEALTH:
        return f"both partners in {HEALTH_WORDS[audience.value]}"
    return "everyone enrolled"


def count_words(count: int, audience: Audience) -> str:
    """ "12 people", or "fewer than 5 people" for a small group audience."""
    if audience.kind is AudienceKind.GROUP and 0 < count < SMALL_GROUP_MIN:
        return f"fewer than {SMALL_GROUP_MIN} people"
    return "1 person" if count == 1 else f"{count} people"


def _number(count: int, audience: Audience) -> str:
    return (
        f"fewer than {SMALL_GROUP_MIN}"
        if audience.kind is AudienceKind.GROUP and 0 < count < SMALL_GROUP_MIN
        else str(count)
    )


def preview_note(count: int, audience: Audience, cohorts: Sequence[Cohort]) -> Reply:
    """Who it goes to, asked after the message preview."""
    return Reply(
        text=f"That's how it will look. It goes to {audience_words(audience, cohorts)}: {count_words(count, audience)}."
    )


def status_reply(broadcast: Broadcast, summary: Summary, cohorts: Sequence[Cohort], time_zone: str) -> Reply:
    """One broadcast's progress and delivery counts, with a "Resend to failed" button when some failed."""
    audience = broadcast.draft.audience
    when = format_time(broadcast.sent_at or broadcast.send_at, time_zone)
    facts = [Fact("To", audience_words(audience, cohorts)), Fact("Status", f"{_stage(broadcast, summary)}, {when}")]
    if broadcast.status is not BroadcastStatus.SCHEDULED:
        facts += [
            Fact(label.capitalize(), _number(getattr(summary, label), audience))
            for label in ("pending", "sent", "failed", "unreachable")
        ]
    text = _snippet(broadcast.draft.text) + _unreachable(summary, audience)
    resend = (
        (Action("Resend to failed", data={"command": f"broadcast resend {broadcast.id}"}),)
        if summary.failed and broadcast.status is BroadcastStatus.SENT
        else ()
    )
    return Reply(title=f"Broadcast #{broadcast.id}", text=text, facts=tuple(facts), actions=resend)


def _stage(broadcast: Broadcast, summary: Summary) -> str:
    """ "preparing" while rows are being inserted, "sending" while some wait, then "sent"."""
    if broadcast.status is BroadcastStatus.SENT:
        return "sending" if summary.pending else "sent"
    return STAGES[broadcast.status]


def _unreachable(summary: Summary, audience: Audience) -> str:
    """Who could not be reached; never names for a group audience."""
    if not summary.unreachable:
        return ""
    if audience.kind is AudienceKind.GROUP or not summary.unreachable_names:
        return "\n\nSome people could not be reached."
    more = summary.unreachable - len(summary.unreachable_names)
    return (
        "\n\nCould not be reached: "
        + ", ".join(verbatim(n) for n in summary.unreachable_names)
        + (f" and {more} more" if more > 0 else "")
    )


def status_replies(report: StatusReport, time_zone: str) -> list[Reply]:
    """One status card per recent broadcast, or a note that there are none yet."""
    if not report.rows:
        return [Reply(text="No broadcasts yet. Type **broadcast** to send one.")]
    return [status_reply(broadcast, summary, report.cohorts, time_zone) for broadcast, summary in report.rows]


def empty_audience() -> Reply:
    """Said instead of the preview when the audience covers nobody."""
    return Reply(text="Nobody is in that audience just now, so there's nothing to send.")


def created_reply(created: Created, time_zone: str) -> Reply:
    """On its way (being prepared now) or scheduled, with the broadcast's number."""
    broadcast = created.broadcast
    if created.queued:
        return Reply(text=f"On its way (broadcast #{broadcast.id}). Type **broadcasts** to see how delivery is going.")
    when = format_time(broadcast.send_at, time_zone)
    return Reply(text=f"Scheduled (broadcast #{broadcast.id}) for {when}. Type **cancel broadcast** to cancel it.")


def resent_reply(resent: Resent) -> Reply:
    """How many get the broadcast again, or that nobody's delivery failed."""
    if not resent.count:
        return Reply(text="Nobody is waiting for a resend: no delivery of that broadcast has failed.")
    who = count_words(resent.count, Audience(AudienceKind.EVERYONE))
    return Reply(text=f"Sending it again to {who} whose delivery failed.")


def scheduled_choices(waiting: Sequence[Broadcast], time_zone: str) -> tuple[Choice, ...]:
    """One choice per scheduled broadcast: number, time and the start of its text."""
    return tuple(
        Choice(str(b.id), f"#{b.id}, {format_time(b.send_at, time_zone)}: {b.draft.text[:40]}") for b in waiting
    )


def nothing_scheduled() -> Reply:
    """Said instead of the choice when no broadcast can still be stopped."""
    return Reply(text="No broadcast is waiting to be sent.")


def cancel_reply(cancelled: Cancelled) -> Reply:
    """Whether the broadcast was stopped in time, and whether some had already had it."""
    if not cancelled.stopped:
        return Reply(text="That broadcast has already gone out, so it can't be cancelled.")
    if cancelled.underway:
        return Reply(text="Cancelled: nobody else will get it. Type **broadcasts** to see who already has.")
    return Reply(text="Cancelled: nobody will get it.")


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return f"“{flat[:80]}…”" if len(flat) > 80 else f"“{flat}”"
