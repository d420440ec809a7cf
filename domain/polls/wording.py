"""What polls say: invitations, reminders, the answer form, step-by-step questions, closing notes.

The whole poll is ONE card where cards exist: one input per question (input id = question
id; multiple choice is a "choice" input whose value is comma-separated option values).
Where cards are missing, `question_reply` asks one question at a time.
"""

from __future__ import annotations

from datetime import datetime

from domain.core.reply import Action, Choice, Fact, Input, Reply, Section
from domain.core.timing import local_date
from domain.polls.model import CONSENT_ID, Answers, Poll, PollListing, Question, QuestionKind
from domain.polls.results import FEWER_RESPONSES, MIN_GROUP, QuestionResult
from domain.polls.rules import AGREED

SKIP = "skip"
ANONYMOUS_NOTE = (
    "Your answers are anonymous: they are stored without your name, so nobody, including the "
    "programme team, can see who said what. That also means they cannot be changed once sent."
)
NAMED_NOTE = "Your answers carry your name for the programme team only. You can change them until the poll closes."


def day(at: datetime, time_zone: str = "Europe/London") -> str:
    """A date as people read it: "5 April 2027"."""
    moment = local_date(at, time_zone)
    return f"{moment.day} {moment:%B %Y}"


def answer_action(poll: Poll) -> Action:
    """The button (or typed command) that opens the poll."""
    return Action("Answer now", data={"command": f"poll answer {poll.id}"})


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


def closing_reply(poll: Poll) -> Reply:
    """The closing message for everyone invited."""
    return Reply(text=poll.template.closing)


def team_closed_reply(poll: Poll, responses: int) -> Reply:
    """Facilitators hear that a poll closed and where the results are."""
    return Reply(
        text=f"Poll {poll.id} ({poll.title}) has closed with {responses} response"
        f"{'' if responses == 1 else 's'}. Type **poll results {poll.id}** to see the results."
    )


def contact_reply(poll: Poll, name: str) -> Reply:
    """Facilitators hear that someone asked to be contacted (never what they answered)."""
    return Reply(
        text=f"{name or 'A participant'} asked the programme team to get in touch "
        f"(from poll {poll.id}, {poll.title}). Their answers are not shared with this request."
    )


def form_reply(poll: Poll, previous: Answers | None = None, problems: dict[str, str] | None = None) -> Reply:
    """The whole poll as one form, pre-filled with earlier answers; problems shown per question."""
    problems = problems or {}
    inputs = [_consent_input(problems)] if poll.template.consent else []
    inputs += [_input(q, (previous or {}).get(q.id), problems.get(q.id)) for q in poll.template.questions]
    parts = [poll.template.intro, poll.template.consent, ANONYMOUS_NOTE if poll.anonymous else NAMED_NOTE]
    if problems:
        parts.insert(0, "Some answers need another look: see the notes beside them.")
    return Reply(title=poll.title, text="\n\n".join(p for p in parts if p), inputs=tuple(inputs))


def _consent_input(problems: dict[str, str]) -> Input:
    label = "I agree to take part" + (f" ({problems[CONSENT_ID]})" if CONSENT_ID in problems else "")
    return Input(CONSENT_ID, label, "choice", required=True, choices=(Choice(AGREED, "I agree to take part"),))


def _input(question: Question, value: object, problem: str | None) -> Input:
    """One question as a card input (required ones are marked by the card itself)."""
    label = question.text + (f" ({problem})" if problem else "")
    shown = ",".join(value) if isinstance(value, list) else str(value or "")
    if question.kind == QuestionKind.TEXT:
        return Input(question.id, label, "multiline", value=shown, required=question.required)
    if question.kind == QuestionKind.SCALE:
        return Input(question.id, label, "number", placeholder="0 to 10", value=shown, required=question.required)
    choices = tuple(Choice(o.value, o.title) for o in question.choices)
    return Input(
        question.id,
        label,
        "choice",
        value=shown,
        required=question.required,
        choices=choices,
        multiple=question.kind == QuestionKind.MULTIPLE,
    )


def consent_question(poll: Poll) -> Reply:
    """Step by step: the consent wording first, with one button."""
    return Reply(
        title=poll.title,
        text=f"{poll.template.consent}\n\n{ANONYMOUS_NOTE if poll.anonymous else NAMED_NOTE}",
        choices=(Choice(AGREED, "I agree to take part"),),
    )


def question_reply(question: Question, number: int, total: int) -> Reply:
    """Step by step: one question, with numbered options and a way to skip optional ones."""
    hint = {
        QuestionKind.MULTIPLE: "Type the numbers of all that apply, separated by commas (for example 1, 3).",
        QuestionKind.SCALE: "Type a whole number from 0 to 10.",
        QuestionKind.TEXT: "Type your answer.",
    }.get(question.kind, "")
    skip = "" if question.required else " Or type **skip**."
    text = f"Question {number} of {total}: {question.text}\n\n{hint}{skip}".strip()
    single = question.kind in (QuestionKind.SINGLE, QuestionKind.AGREE)
    choices = tuple(Choice(o.value, o.title) for o in question.choices) if single else ()
    if question.kind == QuestionKind.MULTIPLE:
        text += "\n\n" + "\n".join(f"{n}. {o.title}" for n, o in enumerate(question.choices, start=1))
    return Reply(text=text, choices=choices)


def thanks_reply(poll: Poll, changed: bool) -> Reply:
    """Said after a response is stored."""
    if poll.anonymous:
        return Reply(text="Thank you: your answers are in, stored without your name.")
    again = f" You can change them until {day(poll.closes_at)}: type **poll answer {poll.id}**."
    return Reply(
        text=("Thank you: your answers are updated." if changed else "Thank you: your answers are in.") + again
    )


def status(poll: Poll, now: datetime) -> str:
    """Scheduled / open until … / closed on …."""
    if poll.closed_at is not None or now >= poll.closes_at:
        return f"closed {day(poll.closes_at)}"
    return f"opens {day(poll.opens_at)}" if now < poll.opens_at else f"open until {day(poll.closes_at)}"


def polls_list_reply(listings: list[PollListing], now: datetime) -> Reply:
    """Facilitators' `polls`: one line per poll with its response count."""
    if not listings:
        return Reply(text="There are no polls yet. Type **create poll** to start one.")
    facts = tuple(
        Fact(
            f"Poll {row.poll.id}: {row.poll.title}",
            f"{row.cohort}, {'anonymous' if row.poll.anonymous else 'named'}, {status(row.poll, now)}, "
            f"{row.responses} of {row.invited} responded",
        )
        for row in listings
    )
    return Reply(
        title="Polls", text="Type **poll results <number>** for results, **close poll <number>** to close.", facts=facts
    )


def results_reply(listing: PollListing, results: list[QuestionResult], now: datetime, csv_url: str) -> Reply:
    """Counts and percentages per question, free text listed, small groups suppressed."""
    poll = listing.poll
    facts = (
        Fact("Cohort", listing.cohort),
        Fact("Status", status(poll, now)),
        Fact("Responses", f"{listing.responses} of {listing.invited}"),
        Fact("Answers", "anonymous" if poll.anonymous else "named"),
    )
    sections = tuple(Section(heading=r.question.text, text=_result_text(r)) for r in results)
    actions = (Action("Download CSV", kind="open_url", url=csv_url),) if csv_url else ()
    note = "" if csv_url or listing.responses < MIN_GROUP else "The CSV export is not available on this server."
    return Reply(
        title=f"Results: {poll.title} (poll {poll.id})", text=note, facts=facts, sections=sections, actions=actions
    )


def _result_text(result: QuestionResult) -> str:
    if result.suppressed:
        return FEWER_RESPONSES.capitalize() + "."
    if result.texts:
        return "\n".join(f"- {text}" for text in result.texts)
    return "\n".join(f"{label}: {value}" for label, value in result.lines) + f"\n({result.answered} answered)"
