"""privacy.yaml: the shipped notice loads with every section a DPIA needs; bad edits are named by
line and field; settings are filled in; placeholders are found where they sit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from domain.core.content import CONTENT_DIR
from domain.notice.content import NOTICE_FILE, NoticeError, load_notice
from domain.notice.model import PageKind, page_url
from domain.notice.rules import placeholders
from domain.notice.service import notice_page

NOTICE = load_notice()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copy(CONTENT_DIR / NOTICE_FILE, tmp_path / NOTICE_FILE)
    return tmp_path


def _edit(folder: Path, old: str, new: str) -> None:
    path = folder / NOTICE_FILE
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _problems(folder: Path) -> tuple[str, ...]:
    with pytest.raises(NoticeError) as caught:
        load_notice(folder)
    return caught.value.problems


def test_the_privacy_notice_covers_what_is_held_why_who_sees_it_retention_and_rights() -> None:
    headings = [section.heading for section in NOTICE.privacy.sections]
    assert headings == ["What the companion keeps", "Why", "Who can see it", "How long it is kept", "Your rights"]
    text = " ".join(p for s in NOTICE.privacy.sections for p in (*s.paragraphs, *s.points))
    for words in ("programme group", "special category", "facilitators", "{retention_months} months", "my data"):
        assert words in text
    assert "erase me" in text and "anonymous" in text.lower()
    assert [c.title for c in NOTICE.contacts][2] == "Your trust's data protection officer"


def test_the_terms_say_it_is_not_a_reporting_channel_nor_for_emergencies() -> None:
    text = " ".join(p for s in NOTICE.terms.sections for p in (*s.heading.split("\n"), *s.paragraphs, *s.points))
    assert "not a reporting channel" in text and "999" in text and "116 123" in text
    assert "mentor" not in text.lower()


def test_paragraphs_are_split_on_blank_lines() -> None:
    assert len(NOTICE.privacy.intro) == 2 and NOTICE.privacy.intro[1].startswith("You decide whether")


def test_the_retention_setting_is_filled_in_and_the_other_page_linked() -> None:
    page = notice_page(NOTICE, PageKind.PRIVACY, retention_months=18)
    kept = next(s for s in page.page.sections if s.heading == "How long it is kept")
    assert "deleted 18 months after your cohort ends" in kept.paragraphs[0]
    assert "{" not in repr(page.page)
    assert (page.other_path, page.other_title) == ("/terms", NOTICE.terms.title)
    assert notice_page(NOTICE, PageKind.TERMS, 12).other_path == "/privacy"


def test_page_urls_sit_under_the_public_url() -> None:
    assert page_url("https://plp.example.nhs.uk/", PageKind.PRIVACY) == "https://plp.example.nhs.uk/privacy"
    assert page_url("https://apps.nhs.uk/plp", PageKind.TERMS) == "https://apps.nhs.uk/plp/terms"


def test_shipped_placeholders_are_found_where_they_sit() -> None:
    where = [p.where for p in placeholders(NOTICE)]
    assert where == [
        "privacy: section 'Why'",
        "contacts: 'Who is responsible for your data (the data controller)'",
        "contacts: 'The PLP programme team'",
        "contacts: 'Your trust's data protection officer'",
    ]
    assert all(p.text.startswith("CONFIRM LOCALLY") for p in placeholders(NOTICE))


def test_a_filled_in_notice_has_no_placeholders(content: Path) -> None:
    text = (content / NOTICE_FILE).read_text(encoding="utf-8")
    (content / NOTICE_FILE).write_text(text.replace("CONFIRM LOCALLY:", "Confirmed:"), encoding="utf-8")
    assert placeholders(load_notice(content)) == ()


def test_a_bracketed_placeholder_is_found_too(content: Path) -> None:
    _edit(content, "Please tell the data protection officer first.", "Please tell [name] first.")
    assert [(p.where, p.text) for p in placeholders(load_notice(content))][-1] == (
        "contacts: 'If you are unhappy with how your data is handled'",
        "[name]",
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('  title: "PLP Companion: privacy notice"\n', "", "privacy: field 'title': missing"),
        ("{retention_months} months", "{retention} months", "field 'text': unknown setting {retention}"),
        ('    url: "https://ico.org.uk/make-a-complaint/"', '    url: "http://ico.org.uk"', "must be a full https://"),
        ('    - heading: "Why"\n', '    - heading: "Why"\n      colour: red\n', "section #2: field 'colour': unknown"),
        ("contacts_heading:", "contact_heading:", "field 'contact_heading': unknown field"),
        ('        - "Share only what you are comfortable sharing."', "        - 3", "field 'points': must be a list"),
        ("Partners are equals:", "Mentors and mentees are equals:", "partners are equals, say 'partner'"),
    ],
)
def test_each_kind_of_bad_edit_is_named(content: Path, old: str, new: str, expected: str) -> None:
    _edit(content, old, new)
    problems = _problems(content)
    assert any(expected in problem for problem in problems), problems


def test_a_section_needs_text_or_points(content: Path) -> None:
    _edit(
        content,
        '    - heading: "Using it kindly"\n      points:\n',
        '    - heading: "Using it kindly"\n    - heading: "Kindly"\n      points:\n',
    )
    assert any("needs 'text', 'points' or both" in p for p in _problems(content))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    assert any("privacy.yaml: file not found" in p for p in _problems(tmp_path))
