"""What polls say: invitations, reminders, thanks and refusals, closing notes, and what facilitators
see (the list, results, created and closed). The answer form itself is in form.py.
"""

from __future__ import annotations

from datetime import datetime

from domain.core.reply import Action, Fact, Reply, Section, card_token, listed, stamped, unmarked, verbatim
from domain.core.timing import FALLBACK_TIME_ZONE
from domain.language.show import counted, format_time
from domain.polls.model import Outcome, Poll, PollListing, PollStarted, PollTemplate
from domain.polls.results import PollResults, QuestionResult

ANONYMOUS_NOTE = (
    "Your answers are anonymous: they are stored apart from the record that you took part, with "
    "nothing that links them back to you, so nobody, including the programme team, can see who said "
    "what. The team sees results only after the poll closes, in totals of at least 5. Because they "
    "can't be linked back to you, your answers can't be changed or withdrawn once sent."
)
NAMED_NOTE = (
    "Your answers are stored with your name so you can change them until the poll closes. The "
    "programme team sees results only after the poll closes, in totals of at least 5."
)
CARD = "poll"  # the card token kind: "poll:<id>:open" (or "closed")
REFUSALS = {
    Outcome.UNKNOWN: "I can't find that poll. Check the number in your invitation.",
    Outcome.NOT_INVITED: "This poll is for another cohort, so there is nothing for you to answer.",
    Outcome.NOT_OPEN: "This poll isn't open for answers just now.",
    Outcome.ALREADY: "You've already answered this anonymous poll, thank you. Anonymous answers can't be "
    "changed, because they are stored without your name.",
}


def day(at: datetime, time_zone: str = FALLBACK_TIME_ZONE) -> str:
    """A poll's opening or closing moment as people read it: "Monday 5 April 2027, 09:00"."""
    return format_time(at, time_zone)


def poll_token(poll: Poll, now: datetime) -> str:
    """The card token of a poll as it stands at `now`: open for answers, or not."""
    return card_token(CARD, poll.id, "open" if poll.is_open(now) else "closed")


def answer_action(poll: Poll) -> Action:
    """The button (or typed command) that opens the poll; sent while it is open, out of date once it closes."""
    return Action("Answer now", data=stamped(f"poll answer {poll.id}", card_token(CARD, poll.id, "open")))


def standing_reply(poll: Poll, now: datetime, time_zone: str = FALLBACK_TIME_ZONE) -> Reply:
    """Where a poll stands for someone whose card for it is out of date (it closed, or hasn't opened)."""
    if now < poll.opens_at and poll.closed_at is None:
        return Reply(text=f"The {poll.title.lower()} opens {day(poll.opens_at, time_zone)}.")
    return Reply(
        text=f"The {poll.title.lower()} {status(poll, now, time_zone)}, so it no longer takes answers. "
        "Thank you if you took part."
    )


def invite_reply(poll: Poll, time_zone: str) -> Reply:
    """The invitation sent when the poll opens."""
    note = ANONYMOUS_NOTE if poll.anonymous else NAMED_NOTE
    text = f"{poll.template.intro}\n\n{note}\n\nIt is open until {day(poll.closes_at, time_zone)}."
    return Reply(title=poll.title, text=text, actions=(answer_action(poll),))


def reminder_reply(poll: Poll, time_zone: str) -> Reply:
    """A gentle reminder for people who have not answered yet."""
    text = (
        f"If you have a few minutes, the {poll.title.lower()} is still open until "
        f"{day(poll.closes_at, time_zone)}. It's optional, and if you'd rather not take part you can "
        "ignore this."
    )
    return Reply(title=poll.title, text=text, actions=(answer_action(poll),))


def closing_reply(poll: Poll, took_part: bool = True) -> Reply:
    """The closing message: thanks (the poll's own closing words) for those who answered; for the others,
    kindly, that it has closed, without thanking them for taking part."""
    if took_part:
        return Reply(text=poll.template.closing)
    return Reply(
        text=f"The {poll.title.lower()} has now closed, so there's nothing more to answer. If there's anything "
        "you'd like the programme team to know, they're always glad to hear from you."
    )


def team_opened_reply(poll: Poll, invited: int) -> Reply:
    """The facilitator who created a scheduled poll hears that it has opened and invitations are on their way."""
    return Reply(
        text=f"Poll {poll.id} ({poll.title}) has opened: invitations to {counted(invited, 'person', 'people')} "
        f"go out during their working hours today. Type **polls** to follow responses."
    )


def team_closed_reply(poll: Poll, responses: int) -> Reply:
    """Facilitators hear that a poll closed and where the results are."""
    return Reply(
        text=f"Poll {poll.id} ({poll.title}) has closed with {counted(responses, 'response')}. "
        f"Type **poll results {poll.id}** to see the results."
    )


def contact_reply(poll: Poll, name: str, chat: str = "") -> Reply:
    """Facilitators hear that someone asked to be contacted (never what they answered), with a button to
    chat with them (`chat`: a Teams chat link, when one could be made) and one to the health view."""
    return Reply(
        text=f"{verbatim(name) or 'A participant'} asked the programme team to get in touch "
        f"(from poll {poll.id}, {poll.title}). Their answers are not shared with this request.",
        actions=(
            *((Action(f"Chat with {unmarked(name)}", kind="open_url", url=chat),) if chat and name else ()),
            Action("View health", data={"command": "health"}),
        ),
    )


def thanks_reply(poll: Poll, changed: bool, time_zone: str = FALLBACK_TIME_ZONE) -> Reply:
    """Said after a response is stored."""
    if poll.anonymous:
        return Reply(text="Thank you: your answers are in, stored without your name.")
    again = f" You can change them until {day(poll.closes_at, time_zone)}: type **poll answer {poll.id}**."
    return Reply(
        text=("Thank you: your answers are updated." if changed else "Thank you: your answers are in.") + again
    )


def refusal_reply(refused: Outcome) -> Reply:
    """Why this person cannot answer (an outcome with no refusal of its own reads as "not open")."""
    return Reply(text=REFUSALS.get(refused, REFUSALS[Outcome.NOT_OPEN]))


def answered_reply(poll: Poll, outcome: Outcome, time_zone: str = FALLBACK_TIME_ZONE) -> Reply:
    """Thanks when the answers were stored, else why not."""
    if outcome in (Outcome.SAVED, Outcome.CHANGED):
        return thanks_reply(poll, outcome == Outcome.CHANGED, time_zone)
    return refusal_reply(outcome)


def status(poll: Poll, now: datetime, time_zone: str = FALLBACK_TIME_ZONE) -> str:
    """Scheduled / open until … / closed on …."""
    if poll.closed_at is not None or now >= poll.closes_at:
        return f"closed {day(poll.closed_at or poll.closes_at, time_zone)}"
    if now < poll.opens_at:
        return f"opens {day(poll.opens_at, time_zone)}"
    return f"open until {day(poll.closes_at, time_zone)}"


def polls_list_reply(listings: list[PollListing], now: datetime, time_zone: str = FALLBACK_TIME_ZONE) -> Reply:
    """Facilitators' `polls`: one line per poll with its response count."""
    if not listings:
        return Reply(text="There are no polls yet. Type **create poll** to start one.")
    rows = (
        (
            f"Poll {row.poll.id}: {row.poll.title}",
            f"{verbatim(row.cohort)}, {'anonymous' if row.poll.anonymous else 'named'}, "
            f"{status(row.poll, now, time_zone)}, "
            f"{row.responses} of {row.invited} responded",
        )
        for row in listings
    )
    return Reply(
        title="Polls",
        text=f"Type **poll results <number>** for results, **close poll <number>** to close.\n\n{listed(rows)}",
    )


def results_reply(found: PollResults, now: datetime, csv_url: str, time_zone: str = FALLBACK_TIME_ZONE) -> Reply:
    """Counts and percentages per question, free text listed, small groups suppressed (a question fewer than 5
    answered is left out, one line counting those); before closing, why not yet."""
    listing, poll = found.listing, found.listing.poll
    facts = (
        Fact("Cohort", verbatim(listing.cohort)),
        Fact("Status", status(poll, now, time_zone)),
        Fact("Responses", f"{listing.responses} of {listing.invited}"),
        Fact("Answers", "anonymous" if poll.anonymous else "named"),
    )
    title = f"Results: {poll.title} (poll {poll.id})"
    if found.results is None:
        return Reply(title=title, text=_not_yet(poll, now, time_zone), facts=facts)
    shown = tuple(Section(heading=r.question.text, text=_result_text(r)) for r in found.shown)
    hidden = (Section(text=found.hidden_note),) if found.hidden_note else ()
    actions = (Action("Download CSV", kind="open_url", url=csv_url),) if csv_url else ()
    note = "" if csv_url or not found.exportable else "The CSV export is not available on this server."
    return Reply(title=title, text=note, facts=facts, sections=shown + hidden, actions=actions)


def _not_yet(poll: Poll, now: datetime, time_zone: str) -> str:
    """Why results wait for closing, and how to close now."""
    if now >= poll.closes_at:
        when = "has reached its closing time and closes within minutes"
    elif now < poll.opens_at:
        when = f"opens {day(poll.opens_at, time_zone)} and closes {day(poll.closes_at, time_zone)}"
    else:
        when = f"is open until {day(poll.closes_at, time_zone)}"
    return (
        f"Poll {poll.id} {when}. Results and the CSV export are shown once it has closed, so nobody's "
        "answers can be worked out by comparing results from before and after they answered. "
        f"Type **close poll {poll.id}** to close it now."
    )


def _result_text(result: QuestionResult) -> str:
    if result.texts:
        return "\n".join(f"- {verbatim(text)}" for text in result.texts)
    lines = [f"{label}: {shown}" for label, shown in result.shown().items()]
    return "\n".join(lines) + f"\n({result.answered} answered)"


def no_cohorts() -> Reply:
    """`create poll` before any cohort exists."""
    return Reply(text="There are no cohorts yet: create one first.")


def confirm_text(
    template: PollTemplate, opens_at: datetime, anonymous: bool, now: datetime, time_zone: str = FALLBACK_TIME_ZONE
) -> str:
    """What `create poll` will do, asked before it does it."""
    reminders = " and ".join(str(d) for d in template.reminder_days) or "no"
    kind = "anonymous" if anonymous else "named"
    opening = "now" if opens_at <= now else f"on {day(opens_at, time_zone)}"
    return (
        f"Send the {kind} **{template.title}**, opening {opening} for {counted(template.open_days, 'day')}, with "
        f"reminders to non-responders on day {reminders}?"
    )


def created_reply(started: PollStarted, now: datetime, time_zone: str = FALLBACK_TIME_ZONE) -> Reply:
    """A new poll: opening now, the invitations on their way (or when they go, out of working hours);
    opening later, when it opens (the facilitator hears again then)."""
    poll = started.poll
    closes = f"It closes {day(poll.closes_at, time_zone)}. Type **polls** to follow responses."
    if poll.opens_at > now:
        return Reply(
            text=f"Poll {poll.id} is ready: it opens {day(poll.opens_at, time_zone)}. I'll tell you when "
            f"the invitations go out. {closes}"
        )
    if not started.invited:
        return Reply(text=f"Poll {poll.id} is open, but nobody is enrolled in that cohort yet. {closes}")
    people = counted(started.invited, "person", "people")
    if started.first_due is None or started.first_due <= now:
        going = (
            f"Invitations are going out now to {people} (anyone outside their working hours gets theirs "
            "when their day starts)."
        )
    else:
        going = (
            f"It's outside working hours, so invitations to {people} go out from {day(started.first_due, time_zone)}."
        )
    return Reply(text=f"Poll {poll.id} is open. {going} {closes}")


def which_poll() -> Reply:
    """`poll results` without a known poll number."""
    return Reply(text="Which poll? Type **poll results <number>**; **polls** lists them.")


def closed_reply(closed: Poll | None) -> Reply:
    """After `close poll`: closed now, or no open poll with that number."""
    if closed is None:
        return Reply(text="I can't find an open poll with that number. Type **polls** to see them.")
    return Reply(
        text=f"Poll {closed.id} ({closed.title}) is closed. Everyone invited gets the "
        f"closing message; type **poll results {closed.id}** for the results."
    )
