"""Small pieces of programme content that live in `guide_content/` as data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

CONTENT_DIR = Path(__file__).resolve().parents[2] / "guide_content"
PROFILE_QUESTION_COUNT = 3


class ContentError(ValueError):
    """Content in guide_content/ is invalid; the message names file and field."""


@dataclass(frozen=True)
class ProfileQuestions:
    """The cohort-default matching-profile questions."""

    questions: tuple[str, ...]


def load_profile_questions(content_dir: Path = CONTENT_DIR) -> ProfileQuestions:
    """Read and validate `profile_questions.yaml` (exactly three non-empty questions)."""
    path = content_dir / "profile_questions.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read ({exc})") from exc
    questions = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(questions, list) or len(questions) != PROFILE_QUESTION_COUNT:
        raise ContentError(f"{path}: field 'questions' must list exactly {PROFILE_QUESTION_COUNT} questions")
    for index, question in enumerate(questions, start=1):
        if not isinstance(question, str) or not question.strip():
            raise ContentError(f"{path}: questions[{index}] must be non-empty text")
    return ProfileQuestions(tuple(q.strip() for q in questions))
