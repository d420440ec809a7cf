"""How the bot's processes log (the server and its scheduled-work worker alike): one format, and the
third-party loggers that would log personal data at DEBUG kept at WARNING."""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure(level: str) -> None:
    """Log at `level` in the bot's format, third-party loggers quietened."""
    logging.basicConfig(level=level, format=FORMAT)
    quiet_third_party_logs()


def quiet_third_party_logs() -> None:
    """msrest, urllib3 and aiosqlite log HTTP bodies and SQL parameters (names, answers) at DEBUG: never."""
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # it logs every 2-second run at INFO
    for name in (
        "msrest",
        "urllib3",
        "botbuilder",
        "botframework",
        "aiohttp.client",
        "aiosqlite",
        "sqlalchemy",
        "asyncpg",
        "slack_sdk",
    ):
        logging.getLogger(name).setLevel(logging.WARNING)
