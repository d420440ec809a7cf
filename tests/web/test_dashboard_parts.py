"""The dashboard's web parts on their own: the card preview's escaping and light Markdown, and the
compose form's checks (the same as the chat flow's)."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.broadcasts.model import Audience, AudienceKind
from domain.core.reply import Action, Reply
from web.dashboard.card import card, markdown
from web.dashboard.forms import read_form, shown_draft

NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)  # 10:00 in London (GMT)
ALLOWED = [Audience(AudienceKind.EVERYONE), Audience(AudienceKind.COHORT, "3"), Audience(AudienceKind.GROUP, "both")]


def test_typed_html_is_shown_as_text_and_light_markdown_becomes_markup() -> None:
    html = str(markdown('Hi **all** <img src=x onerror="y"> _today_\n- one\n- two\n\n1. first'))
    assert "<img" not in html and "&lt;img src=x onerror=&#34;y&#34;&gt;" in html
    assert "<strong>all</strong>" in html and "<em>today</em>" in html
    assert "<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>" in html
    assert str(markdown("snake_case_name stays")) == "<p>snake_case_name stays</p>"


def test_the_card_shows_title_text_and_a_button_that_goes_nowhere() -> None:
    html = str(
        card(Reply(title="From <the> team", text="Hello", actions=(Action("Book", "open_url", url="https://x"),)))
    )
    assert "From &lt;the&gt; team" in html and '<span class="card-button">Book</span>' in html and "href" not in html


def test_a_complete_form_reads_as_a_draft_now_or_at_a_local_time() -> None:
    form = {
        "text": " Hello ",
        "audience": "cohort:3",
        "when": "now",
        "link_title": "Book",
        "link_url": "https://e.org/b",
    }
    now = read_form(form, ALLOWED, "Europe/London", NOW)
    assert now.problems == {} and now.at is None
    assert now.draft is not None and now.draft.text == "Hello" and now.draft.audience == ALLOWED[1]
    assert (now.draft.link_title, now.draft.link_url) == ("Book", "https://e.org/b")
    later = read_form({**form, "when": "later", "send_at": "2027-07-01T09:30"}, ALLOWED, "Europe/London", NOW)
    assert later.at == datetime(2027, 7, 1, 8, 30, tzinfo=UTC)  # 9:30 British Summer Time


def test_each_problem_is_named_and_no_draft_is_made() -> None:
    found = read_form(
        {"text": "", "audience": "cohort:9", "when": "later", "send_at": "2027-02-01T09:00", "link_url": "http://x"},
        ALLOWED,
        "Europe/London",
        NOW,
    )
    assert found.draft is None
    assert set(found.problems) == {"text", "audience", "send_at", "link"}
    assert "ahead" in found.problems["send_at"]
    insecure = read_form(
        {"text": "Hi", "audience": "everyone", "link_title": "Go", "link_url": "http://e.org/x"},
        ALLOWED,
        "Europe/London",
        NOW,
    )
    assert "https://" in insecure.problems["link"]
    assert read_form({"text": "x" * 2001, "audience": "everyone"}, ALLOWED, "Europe/London", NOW).problems["text"]
    assert read_form(
        {"text": "Hi", "audience": "everyone", "when": "later", "send_at": "soon"}, ALLOWED, "UTC", NOW
    ).problems


def test_the_preview_shows_the_message_before_an_audience_is_chosen() -> None:
    found = read_form({"text": "Hi", "link_title": "Go", "link_url": "https://e.org/x"}, ALLOWED, "UTC", NOW)
    shown = shown_draft(found)
    assert found.draft is None and shown is not None and shown.link_url == "https://e.org/x"
