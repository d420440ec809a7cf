"""Log errors without their messages: messages can carry free text or personal data."""

from __future__ import annotations

import traceback


def error_summary(error: BaseException, frames: int = 4) -> str:
    """'KeyError at storage/x.py:12 in f <- ...': type and innermost frames, no message text."""
    stack = traceback.extract_tb(error.__traceback__)[-frames:]
    where = " <- ".join(f"{_short(f.filename)}:{f.lineno} in {f.name}" for f in reversed(stack))
    return f"{type(error).__name__} at {where}" if where else type(error).__name__


def _short(path: str) -> str:
    parts = path.replace("\\", "/").split("/")
    return "/".join(parts[-2:])
