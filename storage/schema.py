"""The whole schema: every table module, imported so that `metadata` holds every table.

Alembic's environment and the models-versus-migrations test read `metadata` from here; a
new table module is added to the imports below.
"""

from __future__ import annotations

from storage import (
    tables,
    tables_audit,
    tables_broadcasts,
    tables_dispatch,
    tables_facilitators,
    tables_polls,
    tables_sessions,
)
from storage.base import Base

metadata = Base.metadata
MODULES = (tables, tables_audit, tables_broadcasts, tables_dispatch, tables_facilitators, tables_polls, tables_sessions)
