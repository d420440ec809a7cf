"""The broadcast composer card: what it offers, how a submitted card reads (half a card kept, what
is missing or wrong left for the next question), and that Teams and Slack both take it."""

from __future__ import annotations

from datetime import date

import pytest

from channels.render import render
from channels.slack.blocks import slack_message
from domain.broadcasts.composer import MAX_COHORTS, Composed, composer_reply, message_again, read_composer
from domain.core.model import Cohort
from tests.channels.card_schema import assert_valid_card
from tests.fakes.block_kit import problems


def _cohorts(count: int) -> list[Cohort]:
    return [Cohort(n, f"Cohort {n}", f"C{n}", date(2027, 3, 1), 12, ["a"]) for n in range(1, count + 1)]


SPRING = [Cohort(3, "Spring [2027]", "SPRING", date(2027, 3, 1), 12, ["a"])]


@pytest.mark.parametrize(
    ("values", "composed"),
    [
        (
            {"message": " Hello\r\nall \n", "link": "Book example.org/b", "audience": "cohort:3", "date": "2027-03-02"},
            Composed("Hello\nall", "", ("Book", "https://example.org/b"), "", "cohort", "3", "2027-03-02", ""),
        ),
        ({"message": "Hi", "audience": "group:bme_colleague"}, Composed("Hi", kind="group", value="bme_colleague")),
        ({"message": "Hi", "audience": "health:quiet"}, Composed("Hi", kind="health", value="quiet")),
        ({"message": "Hi", "audience": "everyone"}, Composed("Hi", kind="everyone")),
        # What is missing or gone stays empty, for the next question to ask.
        ({"audience": "everyone"}, Composed(kind="everyone")),
        ({"message": "Hi", "audience": "cohort:99"}, Composed("Hi")),  # a cohort no longer there
        ({"message": "Hi", "audience": "group:nobody"}, Composed("Hi")),
        ({"message": "Hi", "audience": "cohort"}, Composed("Hi", kind="cohort")),  # "A cohort (I'll ask which)"
    ],
)
def test_a_submitted_card_reads_as_the_flows_answers(values: dict[str, str], composed: Composed) -> None:
    assert read_composer(values, SPRING) == composed


def test_a_link_or_a_message_that_will_not_do_is_named_and_kept_aside() -> None:
    read = read_composer({"message": "x" * 2001, "link": "Book http://example.org", "audience": "everyone"}, SPRING)
    assert read.text_problem == "That's a little long (2001 characters): please keep it under 2000."
    assert read.link is None and "couldn't find a web link" in read.link_problem
    again = message_again(read)
    assert again.text.startswith("That's a little long") and again.inputs[0].value == "x" * 2001
    assert message_again(read_composer({"message": "x" * 3001}, SPRING)).inputs[0].value == ""  # too big to hand back


def test_the_audience_drop_down_offers_each_cohort_until_there_are_too_many() -> None:
    [*_, audience, _, _] = composer_reply(SPRING, "Europe/London").inputs
    assert [(c.value, c.title) for c in audience.choices][:3] == [
        ("everyone", "Everyone enrolled"),
        ("cohort:3", "Cohort: Spring [2027]"),  # a name is shown as typed (options are plain text)
        ("group:senior_leader", "Senior leaders"),
    ]
    [*_, crowded, _, _] = composer_reply(_cohorts(MAX_COHORTS + 1), "Europe/London").inputs
    assert [c.value for c in crowded.choices][:3] == ["everyone", "cohort", "group:senior_leader"]
    assert len(crowded.choices) == 9


@pytest.mark.parametrize("cohorts", [SPRING, _cohorts(MAX_COHORTS), _cohorts(MAX_COHORTS + 1)])
def test_teams_and_slack_take_the_composer(cohorts: list[Cohort]) -> None:
    card = composer_reply(cohorts, "Europe/London")
    teams = render(card, "msteams")
    assert_valid_card(teams["attachments"][0]["content"])
    slack = slack_message(card)
    assert problems(slack["blocks"]) == []
    assert [b["element"]["type"] for b in slack["blocks"] if b["type"] == "input"] == [
        "plain_text_input",
        "plain_text_input",
        "static_select",
        "datepicker",
        "timepicker",
    ]
