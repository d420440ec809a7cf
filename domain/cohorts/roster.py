"""Former home of the roster; kept so `domain.cohorts.roster.load_rosters` still imports.

The roster now lives in model.py (Roster), service.py (load_rosters) and wording.py.
"""

from __future__ import annotations

from domain.cohorts.model import Roster
from domain.cohorts.service import load_rosters

__all__ = ["Roster", "load_rosters"]
