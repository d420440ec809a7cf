"""Profile questions as data: the shipped file loads; bad files fail with file and field named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain.core.content import PROFILE_QUESTION_COUNT, ContentError, ProfileQuestions, load_profile_questions


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "profile_questions.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_shipped_questions_load() -> None:
    loaded = load_profile_questions()
    assert len(loaded.questions) == PROFILE_QUESTION_COUNT == 3
    assert all(q == q.strip() and q.endswith("?") for q in loaded.questions)
    wording = " ".join(loaded.questions).lower()
    assert "mentor" not in wording and "mentee" not in wording


def test_questions_are_read_from_the_given_directory_and_trimmed(tmp_path: Path) -> None:
    content = _write(tmp_path, "questions:\n  - '  One?  '\n  - Two?\n  - |\n    Three?\n")
    assert load_profile_questions(content) == ProfileQuestions(("One?", "Two?", "Three?"))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=re.escape("profile_questions.yaml: cannot read")) as caught:
        load_profile_questions(tmp_path)
    assert str(tmp_path) in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "questions: [One?, Two?\n",
        "questions:\n  - One?\n - Two?\n",
        "questions: 'unterminated\n",
    ],
)
def test_text_that_is_not_yaml_is_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(ContentError, match=re.escape("profile_questions.yaml: cannot read")):
        load_profile_questions(_write(tmp_path, text))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "- One?\n- Two?\n- Three?\n",
        "questions: One? Two? Three?\n",
        "questions:\n  - One?\n  - Two?\n",
        "questions:\n  - One?\n  - Two?\n  - Three?\n  - Four?\n",
        "questions: []\n",
        "asked:\n  - One?\n  - Two?\n  - Three?\n",
    ],
)
def test_the_wrong_number_or_shape_of_questions_is_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(ContentError, match=re.escape("profile_questions.yaml: field 'questions' must list exactly 3")):
        load_profile_questions(_write(tmp_path, text))


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("questions:\n  - ''\n  - Two?\n  - Three?\n", r"questions\[1\]"),
        ("questions:\n  - One?\n  - '   '\n  - Three?\n", r"questions\[2\]"),
        ("questions:\n  - One?\n  - Two?\n  -\n", r"questions\[3\]"),
        ("questions:\n  - One?\n  - 42\n  - Three?\n", r"questions\[2\]"),
        ("questions:\n  - One?\n  - [a, b]\n  - Three?\n", r"questions\[2\]"),
    ],
)
def test_an_empty_or_non_text_question_is_named(tmp_path: Path, text: str, field: str) -> None:
    with pytest.raises(ContentError, match=f"profile_questions.yaml: {field} must be non-empty text"):
        load_profile_questions(_write(tmp_path, text))


def test_a_file_saved_in_another_encoding_is_refused_with_the_file_named(tmp_path: Path) -> None:
    # Windows-1252 curly apostrophe (0x92), as an editor on a trust laptop might save it.
    (tmp_path / "profile_questions.yaml").write_bytes(
        b"questions:\n  - What\x92s one thing to know?\n  - Two?\n  - Three?\n"
    )
    with pytest.raises(ContentError, match=re.escape("profile_questions.yaml")):
        load_profile_questions(tmp_path)
