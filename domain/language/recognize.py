"""Understanding short answers: choices by number, title or synonym; dates; numbers.

Pure functions, so every accepted and refused form sits in a parametrized test table.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

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
YES = {"yes", "y", "yeah", "yep", "ok", "okay", "sure", "agree", "i agree", "confirm", "go ahead"}
NO = {"no", "n", "nope", "no thanks", "decline", "not now"}


class AnswerError(ValueError):
    """The answer does not fit the question; the message is safe to show the person."""


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


def parse_date(text: str, today: date) -> date:
    """A calendar date from ISO (2027-03-01), UK style (1/3/2027), '1 March 2027', 'today', 'tomorrow'."""
    folded = _fold(text).replace(",", " ")
    if folded in ("today", "tomorrow"):
        return today + timedelta(days=1 if folded == "tomorrow" else 0)
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text.strip())
    uk = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})", text.strip())
    words = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+) (\d{4})", folded)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if uk:
            year = int(uk[3]) + (2000 if len(uk[3]) == 2 else 0)
            return date(year, int(uk[2]), int(uk[1]))
        if words and words[2] in MONTHS:
            return date(int(words[3]), MONTHS[words[2]], int(words[1]))
    except ValueError:
        pass
    raise AnswerError("I couldn't read that date. Try something like 2027-03-01 or 1 March 2027.")


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
