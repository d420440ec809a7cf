"""Persistence: engine, tables, repositories, SqlStorage and Alembic migrations."""
