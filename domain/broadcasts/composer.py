"""The broadcast composer card: the message (a multi-line box), an optional link button, the audience
and the send time on one card, submitted once; and what a submitted card gives the chat flow.

Half a card is kept, never refused: whatever it lacks or got wrong (no message, an unreadable link,
no audience) is asked for next, on its own, with a word on why; the rest is not asked again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from domain.broadcasts.model import Audience, AudienceKind
from domain.broadcasts.reads import audience_choices
from domain.broadcasts.rules import BroadcastError, audience_key, check_link
from domain.broadcasts.wording import audience_words
from domain.core.model import Cohort
from domain.core.reply import ANSWER_BOX, Choice, Input, Reply, unmarked

MESSAGE, LINK, AUDIENCE, DATE, TIME = "message", "link", "audience", "date", "time"
MAX_TEXT = 2000
MAX_COHORTS = 60  # listed one by one on the card; past that, "A cohort" and the next question asks which
MAX_PREFILL = 3000  # a message this long still fits the box it is handed back in (Slack's limit)
LINK_EXAMPLE = "Book your place example.org/book"
ASK_MESSAGE = "What would you like to say? You can use **bold**, _italics_ and lists."


@dataclass(frozen=True)
class Composed:
    """What a submitted composer card gave; an empty field is asked for next."""

    text: str = ""
    text_problem: str = ""  # said before the message is asked again
    link: tuple[str, str] | None = None  # (title, url); None: no link button
    link_problem: str = ""
    kind: str = ""  # the audience's kind ("" when none was chosen)
    value: str = ""  # its cohort id, group or health state ("" for everyone, or a cohort still to pick)
    date: str = ""
    time: str = ""


def composer_reply(cohorts: Sequence[Cohort], time_zone: str) -> Reply:
    """The whole broadcast on one card; typing the message in the chat instead works too."""
    return Reply(
        title="New broadcast",
        text=(
            "Write your message, choose who gets it and press **Submit**: you'll see it as they will, "
            "and nothing is sent until you say yes. You can use **bold**, _italics_ and lists. "
            f"Leave the date and time empty to send it as soon as you confirm (times are {time_zone}).\n\n"
            "Or type the message here and I'll ask the rest one step at a time."
        ),
        inputs=(
            Input(MESSAGE, "Message", "multiline", required=True),
            Input(LINK, "Link button (optional): its title, then the link", placeholder=LINK_EXAMPLE),
            Input(AUDIENCE, "Who should get it?", "choice", "Choose", required=True, choices=audience_options(cohorts)),
            Input(DATE, "Send on (optional)", "date"),
            Input(TIME, "At (optional)", "time"),
        ),
    )


def audience_options(cohorts: Sequence[Cohort]) -> tuple[Choice, ...]:
    """Every audience chat offers as one drop-down: everyone, each cohort, each group, each health state."""
    listed = cohorts if len(cohorts) <= MAX_COHORTS else ()
    options = [Choice(audience_key(audience), _title(audience, listed)) for audience in audience_choices(tuple(listed))]
    if len(cohorts) > MAX_COHORTS:
        options.insert(1, Choice("cohort", "A cohort (I'll ask which)"))
    return tuple(options)


def read_composer(values: Mapping[str, str], cohorts: Sequence[Cohort]) -> Composed:
    """A submitted card as the chat flow's answers; what is missing or wrong is left for the next questions."""
    text = values.get(MESSAGE, "").replace("\r\n", "\n").strip()
    text_problem = (
        f"That's a little long ({len(text)} characters): please keep it under {MAX_TEXT}."
        if len(text) > MAX_TEXT
        else ""
    )
    link, link_problem = _link(values.get(LINK, ""))
    kind, value = _audience(values.get(AUDIENCE, ""), cohorts)
    return Composed(
        text, text_problem, link, link_problem, kind, value, values.get(DATE, "").strip(), values.get(TIME, "").strip()
    )


def message_again(composed: Composed) -> Reply:
    """The message asked on its own (in a multi-line box, holding what the card had): it was missing or too long."""
    lead = composed.text_problem or "Thanks, I have kept what you filled in; the message itself was empty."
    kept = composed.text if len(composed.text) <= MAX_PREFILL else ""
    box = Input(ANSWER_BOX, "Message", "multiline", value=kept, required=True)
    return Reply(text=f"{lead} {ASK_MESSAGE}", inputs=(box,))


def link_again(problem: str) -> str:
    """Asked when the card's link button could not be read; "no link" sends it without one."""
    return f"The link button on the card needs a look. {problem} Or type **no link** to send it without one."


def _link(typed: str) -> tuple[tuple[str, str] | None, str]:
    if not typed.strip():
        return None, ""
    try:
        return check_link(typed), ""
    except BroadcastError as problem:
        return None, str(problem)


def _audience(key: str, cohorts: Sequence[Cohort]) -> tuple[str, str]:
    """(kind, value) of a chosen audience still on offer; ("", "") when none was chosen (or it is gone)."""
    if key == "cohort":
        return "cohort", ""
    offered = {audience_key(a): a for a in audience_choices(tuple(cohorts))}
    chosen = offered.get(key)
    return (chosen.kind.value, chosen.value) if chosen else ("", "")


def _title(audience: Audience, cohorts: Sequence[Cohort]) -> str:
    """ "Everyone enrolled", "Cohort: Spring 2027", "BME colleagues", "Both partners in quiet partnerships"."""
    words = unmarked(audience_words(audience, cohorts))
    return f"Cohort: {words}" if audience.kind is AudienceKind.COHORT else words[:1].upper() + words[1:]
