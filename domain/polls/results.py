"""Poll results for facilitators: counts and percentages, free text, suppression, CSV and its signed link.

Suppression (SMALL_GROUP_MIN is 5): a question answered by fewer than 5 shows only "fewer than 5
responses"; an option chosen by 1-4 people shows "fewer than 5", and when that would let the hidden
number be worked out from the total (single choice), the next smallest count is hidden too. The CSV
export needs 5 responses too.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Protocol

from domain.core.links import POLL_EXPORT, ShortLinks
from domain.core.model import SMALL_GROUP_MIN
from domain.core.signing import id_pair
from domain.polls.model import AnswerValue, Poll, Question, QuestionKind, StoredResponse
from domain.polls.rules import display

FEWER = f"fewer than {SMALL_GROUP_MIN}"
FEWER_RESPONSES = f"fewer than {SMALL_GROUP_MIN} responses"
HIDDEN = "hidden so a small group can't be worked out"
_SCALE_BANDS = (("0-6", range(0, 7)), ("7-8", range(7, 9)), ("9-10", range(9, 11)))
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class QuestionResult:
    """What facilitators see for one question."""

    question: Question
    answered: int
    lines: tuple[tuple[str, str], ...] = ()  # (option, "12 (40%)" or a suppression note)
    texts: tuple[str, ...] = ()
    suppressed: bool = False


def tally(poll: Poll, responses: list[StoredResponse]) -> list[QuestionResult]:
    """Per-question counts and percentages (or free text), suppressed below 5."""
    results = []
    for question in poll.template.questions:
        values = [r.answers[question.id] for r in responses if r.answers.get(question.id) not in (None, "", [])]
        if len(values) < SMALL_GROUP_MIN:
            results.append(QuestionResult(question, len(values), suppressed=True))
        elif question.kind == QuestionKind.TEXT:
            results.append(QuestionResult(question, len(values), texts=tuple(str(v) for v in values)))
        else:
            results.append(QuestionResult(question, len(values), _lines(question, values)))
    return results


def _lines(question: Question, values: list[AnswerValue]) -> tuple[tuple[str, str], ...]:
    """Counts per option (or 0-10 band), with small cells suppressed."""
    if question.kind == QuestionKind.SCALE:
        numbers = [int(str(v)) for v in values]
        counts = {label: sum(1 for n in numbers if n in band) for label, band in _SCALE_BANDS}
    else:
        picked = [v if isinstance(v, list) else [v] for v in values]
        counts = {o.title: sum(1 for p in picked if o.value in p) for o in question.choices}
    shown = _suppress(counts, exclusive=question.kind != QuestionKind.MULTIPLE)
    total = len(values)
    lines = tuple(
        (label, f"{counts[label]} ({round(100 * counts[label] / total)}%)" if note is None else note)
        for label, note in shown.items()
    )
    if question.kind == QuestionKind.SCALE:
        lines += (("Average", f"{sum(numbers) / total:.1f}"),)
    return lines


def _suppress(counts: dict[str, int], exclusive: bool) -> dict[str, str | None]:
    """None for a count that may be shown, else the note to show instead."""
    notes: dict[str, str | None] = {k: (FEWER if 0 < n < SMALL_GROUP_MIN else None) for k, n in counts.items()}
    hidden = [k for k, note in notes.items() if note]
    visible = sorted((n, k) for k, n in counts.items() if notes[k] is None and n > 0)
    if exclusive and len(hidden) == 1 and visible:
        # With only one cell hidden, total minus the others would give it away.
        notes[visible[0][1]] = HIDDEN
    return notes


def exportable(responses: int) -> bool:
    """Whether a poll has enough responses for its CSV export."""
    return responses >= SMALL_GROUP_MIN


def csv_text(poll: Poll, responses: list[StoredResponse]) -> str:
    """One row per response; a name column only for named polls. Cells are made formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    questions = poll.template.questions
    writer.writerow((["name"] if not poll.anonymous else []) + [q.text for q in questions])
    for response in responses:
        cells = [display(q, response.answers.get(q.id)) for q in questions]
        writer.writerow([_safe(c) for c in ([response.name] if not poll.anonymous else []) + cells])
    return out.getvalue()


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
