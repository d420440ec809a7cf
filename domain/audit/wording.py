"""The audit trail as a chat reply: ids and actions only, in the reader's words."""

from __future__ import annotations

from domain.audit.model import AuditPage
from domain.core.audit import AuditEntry
from domain.core.reply import Reply
from domain.core.timing import FALLBACK_TIME_ZONE
from domain.language.show import format_time

_SAID = {
    "grant_facilitator": "made {subject} a facilitator",
    "remove_facilitator": "removed the facilitator role from {subject}",
    "export_own_data": "opened a copy of their own data",
    "erase_participant": "erased {subject}",
    "export_poll": "exported the results of poll {poll}",
    "purge": "deleted personal data past the retention period",
    "open_dashboard": "signed in to the facilitator dashboard",
}


def describe(entry: AuditEntry, time_zone: str = FALLBACK_TIME_ZONE) -> str:
    """One line: when (in the reader's zone), who, what (by id only)."""
    who = f"participant #{entry.actor_id}" if entry.actor_id is not None else "The companion"
    subject = f"participant #{entry.subject_id}" if entry.subject_id is not None else "someone"
    poll = f"#{entry.subject_id}" if entry.subject_id is not None else ""
    what = _SAID.get(entry.action, entry.action).format(subject=subject, poll=poll)
    return f"{format_time(entry.at, time_zone)}: {who} {what}"


def audit_reply(page: AuditPage, time_zone: str = FALLBACK_TIME_ZONE) -> Reply:
    """The newest entries, newest first."""
    if not page.entries:
        return Reply(text="Nothing has been recorded yet: role changes, data exports and erasures appear here.")
    lines = "\n".join(f"- {describe(entry, time_zone)}" for entry in page.entries)
    more = "\n\nOlder entries are kept but not shown here." if page.more else ""
    return Reply(text=f"Recent role changes, exports and erasures, newest first:\n\n{lines}{more}")
