"""What the `audit` command shows."""

from __future__ import annotations

from dataclasses import dataclass

from domain.core.audit import AuditEntry

SHOWN = 30  # entries shown in chat, newest first


@dataclass(frozen=True)
class AuditPage:
    """The newest entries, and whether older ones exist beyond them."""

    entries: list[AuditEntry]
    more: bool
