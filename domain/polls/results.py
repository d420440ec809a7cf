"""Poll results for facilitators: counts and percentages, free text, suppression, CSV and its signed link.

Results exist only once a poll has closed (the service refuses before), so nobody can compare
results before and after someone answers. Suppression (SMALL_GROUP_MIN is 5): a question
answered by fewer than 5 is left out, free text included, and one line under the others counts
them ("2 questions hidden: fewer than 5 answers each."; the CSV row says "fewer than 5
responses"); an option chosen by 1-4 people shows "fewer than 5", and when that would let the
hidden number be worked out from the total (single choice), the next smallest count is hidden too. The programme-group
question is a single-choice question like any other, so its counts follow the same rule.
Free text is listed per question in alphabetical order, never beside any other answer of the
same person: no row, line or position ties a comment to a group or to another comment. The
CSV export holds exactly these aggregates (no row per person) and needs 5 responses.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Protocol

from domain.core.links import POLL_EXPORT, ShortLinks
from domain.core.model import SMALL_GROUP_MIN
from domain.core.signing import id_pair
from domain.core.suppress import FEWER as FEWER  # re-exported: the rule lives in domain/core/suppress.py
from domain.core.suppress import HIDDEN as HIDDEN
from domain.core.suppress import suppress
from domain.language.show import counted
from domain.polls.model import Answers, AnswerValue, PollListing, Question, QuestionKind

FEWER_RESPONSES = f"fewer than {SMALL_GROUP_MIN} responses"
CSV_HEADER = ("question", "answer", "count", "percent")
_SCALE_BANDS = (("0-6", range(0, 7)), ("7-8", range(7, 9)), ("9-10", range(9, 11)))
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Line:
    """One option (or 0-10 band): its count and share, or, when suppressed, the note shown instead."""

    label: str
    count: int | None  # None when suppressed
    percent: int = 0
    note: str = ""

    @property
    def shown(self) -> str:
        """ "12 (40%)", or the suppression note."""
        return self.note if self.count is None else f"{self.count} ({self.percent}%)"


@dataclass(frozen=True)
class QuestionResult:
    """What facilitators see for one question."""

    question: Question
    answered: int
    lines: tuple[Line, ...] = ()
    texts: tuple[str, ...] = ()  # free text, alphabetical
    average: str = ""  # 0-10 questions
    suppressed: bool = False

    def shown(self) -> dict[str, str]:
        """Each line's label and what is shown for it (the average included)."""
        return {line.label: line.shown for line in self.lines} | ({"Average": self.average} if self.average else {})


@dataclass(frozen=True)
class PollResults:
    """A poll's listing line and, once it has closed, its per-question results."""

    listing: PollListing
    results: tuple[QuestionResult, ...] | None  # None while the poll is open: no results before closing

    @property
    def exportable(self) -> bool:
        """Whether the CSV export may be offered."""
        return self.results is not None and exportable(self.listing.responses)

    @property
    def shown(self) -> tuple[QuestionResult, ...]:
        """The questions answered by enough people to show (the others are only counted, in `hidden_note`)."""
        return tuple(result for result in self.results or () if not result.suppressed)

    @property
    def hidden_note(self) -> str:
        """One line for every question too few answered: "3 questions hidden: fewer than 5 answers each."."""
        return hidden_note(sum(1 for result in self.results or () if result.suppressed))


def hidden_note(hidden: int) -> str:
    """Said once, under the questions shown, instead of a note under each hidden question ("" for none)."""
    if not hidden:
        return ""
    each = " each" if hidden > 1 else ""
    return f"{counted(hidden, 'question')} hidden: fewer than {SMALL_GROUP_MIN} answers{each}."


def tally(questions: tuple[Question, ...], responses: list[Answers]) -> tuple[QuestionResult, ...]:
    """Per-question counts and percentages (or free text), suppressed below 5."""
    results = []
    for question in questions:
        values = [r[question.id] for r in responses if r.get(question.id) not in (None, "", [])]
        if len(values) < SMALL_GROUP_MIN:
            results.append(QuestionResult(question, len(values), suppressed=True))
        elif question.kind == QuestionKind.TEXT:
            texts = tuple(sorted((str(v) for v in values), key=lambda t: (t.casefold(), t)))
            results.append(QuestionResult(question, len(values), texts=texts))
        else:
            results.append(_counted(question, values))
    return tuple(results)


def _counted(question: Question, values: list[AnswerValue]) -> QuestionResult:
    """Counts per option (or 0-10 band), with small cells suppressed; 0-10 also gets its average."""
    if question.kind == QuestionKind.SCALE:
        numbers = [int(str(v)) for v in values]
        counts = {label: sum(1 for n in numbers if n in band) for label, band in _SCALE_BANDS}
    else:
        picked = [v if isinstance(v, list) else [v] for v in values]
        counts = {o.title: sum(1 for p in picked if o.value in p) for o in question.choices}
    notes = suppress(counts, exclusive=question.kind != QuestionKind.MULTIPLE)
    total = len(values)
    lines = tuple(
        Line(label, counts[label], round(100 * counts[label] / total)) if note is None else Line(label, None, note=note)
        for label, note in notes.items()
    )
    average = f"{sum(numbers) / total:.1f}" if question.kind == QuestionKind.SCALE else ""
    return QuestionResult(question, total, lines, average=average)


def exportable(responses: int) -> bool:
    """Whether a poll has enough responses for its CSV export."""
    return responses >= SMALL_GROUP_MIN


def csv_text(results: tuple[QuestionResult, ...]) -> str:
    """The suppressed aggregates, one row per option, band, average or comment; never a row per person.

    Columns: question, answer, count, percent. A suppressed count carries its note in the count
    column. Cells are made formula-safe.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for result in results:
        asked = result.question.text
        if result.suppressed:
            rows = [(asked, "", FEWER_RESPONSES, "")]
        else:
            rows = [(asked, "answered", str(result.answered), "")]
            rows += [
                (asked, line.label, line.note if line.count is None else str(line.count), _percent(line))
                for line in result.lines
            ]
            rows += [(asked, "average", result.average, "")] if result.average else []
            rows += [(asked, "comment", text, "") for text in result.texts]
        writer.writerows([_safe(cell) for cell in row] for row in rows)
    return out.getvalue()


def _percent(line: Line) -> str:
    return "" if line.count is None else f"{line.percent}%"


def _safe(cell: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; a leading quote keeps them text."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


class PollExports(Protocol):
    def export_url(self, poll_id: int, facilitator_id: int) -> str:
        """The signed CSV address for one facilitator, or "" when exports are not served."""
        ...


class NoPollExports:
    """No HTTP server (tests, tools): no export link."""

    def export_url(self, poll_id: int, facilitator_id: int) -> str:
        """Always "": there is nowhere to download from."""
        return ""


@dataclass(frozen=True)
class PollExportLinks:
    """Signed `/exports/{token}.csv` addresses under the public base URL, valid for 24 hours."""

    links: ShortLinks

    def export_url(self, poll_id: int, facilitator_id: int) -> str:
        """One facilitator's export link for one poll."""
        return self.links.url(POLL_EXPORT, "exports", id_pair(poll_id, facilitator_id), ".csv")
