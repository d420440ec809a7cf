"""What group check-in sessions say: the invitation (RSVP buttons), reminders, the cancellation
notice, the facilitators' `sessions` listing and the answers to create, RSVP and cancel.
Times are always shown in the reader's own zone."""

from __future__ import annotations

from datetime import datetime

from domain.core.reply import Action, Fact, Reply, Section, card_token, stamped, verbatim
from domain.language.show import format_time
from domain.sessions.model import Answered, Cancelled, Created, GroupSession, SessionCounts

CARD = "session"  # the card token kind: "session:<id>:open" (or "cancelled")
ANSWER_TITLES = {"yes": "Yes", "maybe": "Maybe", "no": "No"}
THANKS = {
    "yes": "Thanks, see you there. I'll remind you the day before and an hour before.",
    "maybe": "Thanks. I'll remind you the day before and an hour before, in case you can make it.",
    "no": "Thanks for letting me know. You won't get reminders; you can still change your answer.",
}


def _details(session: GroupSession, time_zone: str) -> tuple[Fact, ...]:
    return (Fact("When", format_time(session.starts_at, time_zone)), Fact("Length", minutes_words(session.minutes)))


def _join(session: GroupSession) -> tuple[Action, ...]:
    return (Action("Join the meeting", kind="open_url", url=session.link),) if session.link else ()


def minutes_words(minutes: int) -> str:
    """90 -> "1 hour 30 minutes"; 45 -> "45 minutes"."""
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours > 1 else ''}"] if hours else []
    return " ".join(parts + ([f"{rest} minutes"] if rest or not parts else []))


def session_token(session: GroupSession) -> str:
    """The card token of a session as it stands: open, or cancelled."""
    return card_token(CARD, session.id, "cancelled" if session.cancelled_at is not None else "open")


def rsvp_actions(session: GroupSession) -> tuple[Action, ...]:
    """The Yes / Maybe / No buttons; each sends `session rsvp <id> <answer>` (out of date once cancelled)."""
    token = session_token(session)
    return tuple(
        Action(title, data=stamped(f"session rsvp {session.id} {answer}", token))
        for answer, title in ANSWER_TITLES.items()
    )


def invitation(session: GroupSession, cohort_name: str, time_zone: str) -> Reply:
    """The invitation, with the time in the invitee's own zone and RSVP buttons."""
    return Reply(
        title=f"You're invited: {verbatim(session.title)}",
        text=(
            f"A group session for everyone in {verbatim(cohort_name)}: a chance to share how your "
            "partnership is going and hear from others. Will you come?"
        ),
        facts=_details(session, time_zone),
        actions=rsvp_actions(session) + _join(session),
    )


def reminder(session: GroupSession, time_zone: str, day_before: bool) -> Reply:
    """A reminder the day before or an hour before; answers can still change."""
    soon = "tomorrow" if day_before else "in an hour"
    return Reply(
        title=f"Reminder: {verbatim(session.title)}",
        text=f"The group session is {soon}. If your plans have changed, just pick another answer.",
        facts=_details(session, time_zone),
        actions=_join(session) + rsvp_actions(session),
    )


def cancelled_notice(session: GroupSession, time_zone: str) -> Reply:
    """Tells an invitee the session will not take place."""
    return Reply(
        title=f"Cancelled: {verbatim(session.title)}",
        text="Sorry, this group session has been cancelled. The programme team will share any new date.",
        facts=(Fact("Was", format_time(session.starts_at, time_zone)),),
    )


def created_reply(created: Created) -> Reply:
    """The session's number and who is being invited (or that nobody is enrolled yet)."""
    people = "person" if created.invited == 1 else "people"
    invited = (
        f"Invitations are on their way to {created.invited} {people} in {verbatim(created.cohort_name)}"
        if created.invited
        else f"Nobody is enrolled in {verbatim(created.cohort_name)} yet; "
        "people who join before it starts are invited too"
    )
    return Reply(text=f"Session {created.session_id} created. {invited}. Type **sessions** to see who's coming.")


def answered_reply(answered: Answered) -> Reply:
    """Thanks for the RSVP, saying so when it changed an earlier answer."""
    changed = answered.previous not in ("", answered.answer)
    return Reply(
        text=(f"Changed to **{ANSWER_TITLES[answered.answer]}**. " if changed else "") + THANKS[answered.answer]
    )


def cancelled_reply(cancelled: Cancelled) -> Reply:
    """How many invitees are being told and how many pending reminders were withdrawn."""
    told = f"{cancelled.told} invited {'person is' if cancelled.told == 1 else 'people are'} being told"
    withdrawn = f"{cancelled.withdrawn} pending reminder{'' if cancelled.withdrawn == 1 else 's'} withdrawn"
    return Reply(text=f"Session {cancelled.session_id} is cancelled. {told}, and {withdrawn}.")


def sessions_reply(rows: list[tuple[GroupSession, str, SessionCounts]], now: datetime, time_zone: str) -> Reply:
    """Upcoming then past sessions with their RSVP counts, for facilitators."""
    if not rows:
        return Reply(text="There are no group sessions yet. Type **create session** to set one up.")
    upcoming = [row for row in rows if row[0].starts_at > now and row[0].cancelled_at is None]
    past = [row for row in reversed(rows) if row not in upcoming]
    sections = [_section(row, time_zone) for row in upcoming + past]
    return Reply(
        title="Group sessions",
        text=(
            f"{len(upcoming)} upcoming, {len(past)} past or cancelled. To cancel one, type "
            "**cancel session** and its number."
        ),
        sections=tuple(sections),
    )


def _section(row: tuple[GroupSession, str, SessionCounts], time_zone: str) -> Section:
    session, cohort_name, counts = row
    state = " (cancelled)" if session.cancelled_at is not None else ""
    return Section(
        heading=f"{session.id}. {verbatim(session.title)}{state}",
        facts=(
            Fact("Cohort", verbatim(cohort_name)),
            Fact("When", format_time(session.starts_at, time_zone)),
            Fact("Answers", f"{counts.yes} yes, {counts.maybe} maybe, {counts.no} no, {counts.no_answer} no answer"),
        ),
    )
