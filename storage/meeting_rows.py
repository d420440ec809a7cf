"""Meeting rows to and from the domain's Meeting (shared by the meetings repository and its bulk side)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table

from domain.meetings.model import Answer, Meeting, MeetingFormat, MeetingStatus, Outcome
from storage.tables import MeetingRow

MEETINGS = cast(Table, MeetingRow.__table__)
COLUMNS = tuple(MEETINGS.columns)


def to_meeting(row: Any, answers: dict[int, Answer] | None = None) -> Meeting:
    """Map a MeetingRow, or a plain row of its columns (and its answers), to the domain dataclass."""
    return Meeting(
        id=row.id,
        partnership_id=row.partnership_id,
        proposed_by=row.proposed_by,
        status=MeetingStatus(row.status),
        options=[instant(o) for o in row.options],
        start_at=row.start_at,
        duration_minutes=row.duration_minutes,
        format=MeetingFormat(row.format),
        place=row.place,
        agenda=row.agenda,
        rhythm_weeks=row.rhythm_weeks,
        uid=row.uid,
        sequence=row.sequence,
        outcome=Outcome(row.outcome),
        logged_only=row.logged_only,
        created_at=row.created_at,
        updated_at=row.updated_at,
        answers=dict(answers or {}),
    )


def instant(text: str) -> datetime:
    """An option stored as ISO text, back as aware UTC."""
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def options_text(options: Sequence[datetime]) -> list[str]:
    """Options as ISO UTC text for the JSON column (naive datetimes are refused)."""
    if any(o.tzinfo is None for o in options):
        raise ValueError("naive datetime given to the database; pass timezone-aware UTC")
    return [o.astimezone(UTC).isoformat() for o in options]


def new_row(draft: Meeting, now: datetime) -> dict[str, Any]:
    """The columns of a new meeting row (what `create` sets, for a bulk INSERT)."""
    return {
        "partnership_id": draft.partnership_id,
        "proposed_by": draft.proposed_by,
        "status": draft.status.value,
        "options": options_text(draft.options),
        "start_at": draft.start_at,
        "duration_minutes": draft.duration_minutes,
        "format": draft.format.value,
        "place": draft.place,
        "agenda": draft.agenda,
        "rhythm_weeks": draft.rhythm_weeks,
        "uid": draft.uid,
        "sequence": draft.sequence,
        "outcome": draft.outcome.value,
        "logged_only": draft.logged_only,
        "created_at": now,
        "updated_at": now,
    }
