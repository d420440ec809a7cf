"""Understanding short answers: choices by number, title or synonym; yes and no (dates: when.py).

Pure functions, so every accepted and refused form sits in a parametrized test table.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from domain.core.reply import Choice

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
MAX_LINK = 500
# host name (labels separated by dots, a letter top-level domain), optional port, optional path/query
_WEB_LINK = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?::\d{1,5})?(?:[/?#]\S*)?$"
)
YES = {"yes", "y", "yeah", "yep", "ok", "okay", "sure", "agree", "i agree", "confirm", "go ahead"}
NO = {"no", "n", "nope", "no thanks", "decline", "not now"}


class AnswerError(ValueError):
    """The answer does not fit the question; the message is safe to show the person."""

    reask = True  # show the question again after the message (False when the message asks it)


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s/+-]", " ", text.lower()).split())


def match_choice(text: str, choices: tuple[Choice, ...], picked: str | None = None) -> str:
    """The value of the choice meant by a button press (`picked`) or by typed text."""
    values = [c.value for c in choices]
    if picked is not None:
        if picked in values:
            return picked
        raise AnswerError("That button belongs to an earlier question.")
    folded = _fold(text)
    if folded.isdecimal() and 1 <= int(folded) <= len(choices):
        return choices[int(folded) - 1].value
    for choice in choices:
        names = {_fold(choice.title), _fold(choice.value), *(_fold(s) for s in choice.synonyms)}
        if folded in names:
            return choice.value
    starts = [c for c in choices if folded and _fold(c.title).startswith(folded)]
    if len(starts) == 1:
        return starts[0].value
    raise AnswerError("Please pick one of the options: choose a button or type its number.")


def web_link(text: str) -> str | None:
    """An https link from what was typed or pasted; a bare address ("example.org/x") gets "https://".
    None when it isn't a web address, or asks for another scheme (http://, javascript:, mailto:)."""
    link = text.strip().rstrip(".,;)").strip("<>")
    if "://" not in link:
        link = "https://" + link
    if not link.lower().startswith("https://") or len(link) > MAX_LINK or not _WEB_LINK.match(link[8:]):
        return None
    return "https://" + link[8:]


def parse_yes_no(text: str) -> bool:
    """True for yes-like answers, False for no-like answers."""
    folded = _fold(text)
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise AnswerError("Please answer yes or no.")


def today_in(now: datetime) -> date:
    """Today's date for rules that only need a calendar day (UTC)."""
    return now.date()
