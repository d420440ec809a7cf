"""Dialogs: one module per user flow; each declares `build(services)` and `COMMANDS`, and, when it
sends standalone cards whose buttons act on an object, `CARDS` (card token kind -> `CardKind`).

To add a flow, write a module with these and list it in FLOWS.
"""

from __future__ import annotations

from types import ModuleType

from botbuilder.dialogs import Dialog

from dialogs import (
    aims,
    broadcasts,
    cohorts,
    dashboard,
    enrolment,
    facilitators,
    general,
    guide,
    health,
    health_team,
    meetings,
    pairing,
    polls,
    privacy,
    sessions,
)
from dialogs.ask import Ask
from dialogs.commands import CommandTable
from dialogs.common import CardKind, Services

FLOWS: tuple[ModuleType, ...] = (
    general,
    enrolment,
    guide,
    aims,
    meetings,
    health,
    cohorts,
    pairing,
    facilitators,
    health_team,
    sessions,
    broadcasts,
    polls,
    privacy,
    dashboard,
)


def assemble(services: Services) -> tuple[list[Dialog], CommandTable]:
    """Every dialog (plus the shared Ask) and the command table."""
    dialogs: list[Dialog] = [Ask(services.clock)]
    for flow in FLOWS:
        dialogs.extend(flow.build(services) if hasattr(flow, "build") else [])
    table = CommandTable(tuple(c for flow in FLOWS for c in flow.COMMANDS))
    return dialogs, table


def card_kinds() -> dict[str, CardKind]:
    """How to check each kind of standalone card, from every flow's `CARDS`."""
    kinds: dict[str, CardKind] = {}
    for flow in FLOWS:
        kinds.update(getattr(flow, "CARDS", {}))
    return kinds
