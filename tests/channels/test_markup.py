"""Verbatim text renders literally: escaping, marks never on the wire, our own Markdown kept."""

from __future__ import annotations

import json

import pytest

from channels.markup import escape, markdown, plain
from channels.render import render
from channels.teams_card import adaptive_card
from channels.text import plain_text
from domain.core.reply import VERBATIM_END, VERBATIM_START, Action, Choice, Fact, Input, Reply, Section, verbatim
from domain.language.recognize import match_choice

LINK = "[click](https://evil.example)"
BOLD = "**bold**"


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        (LINK, r"\[click\]\(https://evil.example\)"),
        (BOLD, r"\*\*bold\*\*"),
        (
            "_it_ ~strike~ `code` <https://evil.example> a|b",
            r"\_it\_ \~strike\~ \`code\` \<https://evil.example\> a\|b",
        ),
        ("back\\slash", r"back\\slash"),
        (
            "# Heading\n> quote\n- item\n+ item\n12. item\n===",
            "\\# Heading\n\\> quote\n\\- item\n\\+ item\n12\\. item\n\\===",
        ),
        ("Sam O'Neil-Smith, 3.5 years", "Sam O'Neil-Smith, 3.5 years"),
        ("![img](https://evil.example/x.png)", r"!\[img\]\(https://evil.example/x.png\)"),
    ],
)
def test_escape_makes_every_markdown_construct_literal(typed: str, escaped: str) -> None:
    assert escape(typed) == escaped


def test_only_the_verbatim_parts_are_escaped_and_no_mark_is_left() -> None:
    text = f"**Hello** {verbatim(LINK)}, welcome to {verbatim('Spring *27*')}."
    assert markdown(text) == r"**Hello** \[click\]\(https://evil.example\), welcome to Spring \*27\*."
    assert plain(text) == f"**Hello** {LINK}, welcome to Spring *27*."


def test_a_person_cannot_type_the_marks_to_break_out() -> None:
    sneaky = f"x{VERBATIM_END}{BOLD}{VERBATIM_START}"
    assert markdown(verbatim(sneaky)) == r"x\*\*bold\*\*"
    assert verbatim("") == "" and (verbatim("") or "fallback") == "fallback"


def test_a_typed_answer_spanning_paragraphs_stays_escaped_in_every_text_block() -> None:
    card = adaptive_card(Reply(text=f"Intro\n\n{verbatim('first line' + chr(10) * 2 + LINK)}"))
    assert [b["text"] for b in card["body"]] == ["Intro", "first line", r"\[click\]\(https://evil.example\)"]


def test_cards_escape_markdown_fields_and_show_plain_fields_as_typed() -> None:
    reply = Reply(
        title=f"Meet {verbatim(BOLD)}",
        text=f"Say hi to {verbatim(LINK)}",
        facts=(Fact(verbatim("Q *1*"), verbatim(LINK)),),
        sections=(Section(heading=verbatim(BOLD), text=verbatim(LINK), facts=()),),
        inputs=(Input("a", verbatim("Label *x*"), value=verbatim(BOLD)),),
        choices=(Choice("c", verbatim("Pick *me*")),),
        actions=(Action(f"Chat with {verbatim(BOLD)}", kind="open_url", url="https://teams.example/chat"),),
    )
    card = adaptive_card(reply)
    shown = json.dumps(card, ensure_ascii=False)
    assert VERBATIM_START not in shown and VERBATIM_END not in shown
    assert card["body"][0]["text"] == r"Meet \*\*bold\*\*"
    assert card["body"][1]["text"] == r"Say hi to \[click\]\(https://evil.example\)"
    assert card["body"][2]["facts"] == [{"title": r"Q \*1\*", "value": r"\[click\]\(https://evil.example\)"}]
    assert card["body"][4]["label"] == "Label *x*" and card["body"][4]["value"] == BOLD  # plain text in Teams
    assert {a["title"] for a in card["actions"]} >= {"Pick *me*", f"Chat with {BOLD}"}


def test_plain_text_messages_escape_typed_words_and_button_titles_but_keep_our_bold() -> None:
    reply = Reply(title="Hello", text=f"From {verbatim(LINK)}", choices=(Choice("c", BOLD),))
    text = plain_text(reply)
    assert text.startswith("**Hello**\n\nFrom \\[click\\]\\(https://evil.example\\)")
    assert r"1. \*\*bold\*\*" in text
    assert VERBATIM_START not in text and VERBATIM_END not in text


def test_notification_summaries_carry_no_marks() -> None:
    activity = render(Reply(title=f"Meet {verbatim('Sam')}", actions=(Action("Hi"),)), "msteams")
    assert activity["summary"] == "Meet Sam"


def test_typed_choices_still_match_a_marked_title() -> None:
    choices = (Choice("1", f"{verbatim('Sam Patel')} (#1)"), Choice("2", "Ada (#2)"))
    assert match_choice("sam patel (#1)", choices) == "1"
