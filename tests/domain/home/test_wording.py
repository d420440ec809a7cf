"""The home summary's wording: what a newcomer, an unpaired person, a partner and a facilitator
see; small cohort counts hidden; never anyone's programme group."""

from __future__ import annotations

from datetime import UTC, datetime

from channels.text import plain_text
from domain.home.model import CohortCount, HomeView
from domain.home.wording import home_reply


def test_a_newcomer_is_told_how_to_join() -> None:
    text = plain_text(home_reply(HomeView()))
    assert "Welcome to the PLP Companion" in text and "**join**" in text


def test_an_unpaired_person_waits_for_an_introduction() -> None:
    text = plain_text(home_reply(HomeView(known=True, enrolled=True, cohort_name="Spring 2027")))
    assert "enrolled in Spring 2027" in text and "Learning partner" not in text


def test_a_partner_sees_partner_next_meeting_and_prompt() -> None:
    view = HomeView(
        known=True,
        enrolled=True,
        cohort_name="Spring 2027",
        partner_name="Ben",
        next_meeting=datetime(2027, 3, 2, 14, 0, tzinfo=UTC),
        time_zone="Asia/Kolkata",
        prompt="What surprised you this week?",
        paused=True,
    )
    text = plain_text(home_reply(view))
    assert "Learning partner: Ben" in text and "Partnership: Paused" in text
    assert "Next meeting: Tuesday 2 March 2027, 19:30" in text  # in the reader's zone
    assert "What surprised you this week?" in text and "Participants" not in text


def test_facilitators_see_cohort_counts_with_small_ones_hidden() -> None:
    view = HomeView(
        known=True, is_facilitator=True, cohorts=(CohortCount("Spring", 12, 10), CohortCount("Pilot", None, None))
    )
    text = plain_text(home_reply(view))
    assert "- **Spring**: 12 enrolled, 10 in partnerships" in text
    assert "- **Pilot**: fewer than 5 enrolled, fewer than 5 in partnerships" in text
    assert "Participants" in text and "Broadcast" in text
