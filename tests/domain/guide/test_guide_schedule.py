"""Which prompts and mutual-aims stages are due: week boundaries, the catch-up window,
the weekly cap, 12- versus 15-month partnerships, and prompts already delivered."""

from __future__ import annotations

import pytest

from domain.aims.rules import aims_stage_due
from domain.guide.content import load_guide
from domain.guide.model import (
    Guide,
    Phase,
    Prompt,
    PromptMode,
    PromptType,
    Sensitivity,
    SupportInfo,
    Trigger,
    TriggeredPrompt,
)
from domain.guide.rules import CATCH_UP_WEEKS, due_prompts, next_prompt

GUIDE = load_guide()
NOTHING: frozenset[str] = frozenset()


def _prompt(prompt_id: str, week: int) -> Prompt:
    return Prompt(
        prompt_id,
        "P",
        week,
        PromptType.CONVERSATION_STARTER,
        PromptMode.TOGETHER,
        Sensitivity.NORMAL,
        f"Text of {prompt_id}",
    )


def small_guide(*prompts: Prompt) -> Guide:
    """A one-phase guide holding just these prompts (and one triggered prompt)."""
    support = SupportInfo("ack", "not reporting", "choices", "sensitive", "crisis", (), (), ())
    triggered = (
        TriggeredPrompt(
            "T",
            Trigger.BEFORE_GROUP_CHECKIN,
            PromptType.CHECK_IN,
            PromptMode.PRIVATE,
            Sensitivity.NORMAL,
            "Triggered",
            (3,),
        ),
    )
    return Guide((Phase("P", "Only", -2, 65, "Intro"),), (), 43, prompts, triggered, (), support)


def _ids(prompts: list[Prompt]) -> list[str]:
    return [prompt.id for prompt in prompts]


def _up_to(week: int) -> frozenset[str]:
    """Every shipped prompt scheduled before `week`, as if all had been delivered."""
    return frozenset(prompt.id for prompt in GUIDE.prompts if prompt.week < week)


# (week, length in months, delivered, expected ids) on the shipped guide, no cap in play.
SHIPPED = [
    (-3, 12, NOTHING, []),
    (-1, 12, NOTHING, ["P0-1"]),
    (0, 12, NOTHING, ["P0-1", "P0-2"]),
    (1, 12, NOTHING, ["P0-1", "P0-2", "P1-1", "P1-2"]),
    (2, 12, NOTHING, ["P0-2", "P1-1", "P1-2", "P1-3", "P1-4"]),  # P0-1 (week -1) is now too old
    (5, 12, NOTHING, ["P1-5", "P1-6"]),  # weeks 3 to 5 only
    (2, 12, frozenset({"P1-1", "P1-3"}), ["P0-2", "P1-2", "P1-4"]),
    (10, 12, _up_to(10), ["P2-5", "P3-1"]),  # same week: guide order
    (10, 12, _up_to(8), ["P2-3", "P2-4", "P2-5", "P3-1"]),
    (52, 12, _up_to(50), ["P7-2", "P7-3"]),
    (54, 12, _up_to(53), []),  # the extension prompts are not for 12-month partnerships
    (54, 15, _up_to(53), ["P7-4"]),
    (65, 12, _up_to(63), []),
    (65, 15, _up_to(63), ["P7-6"]),
    (70, 15, NOTHING, []),
]


@pytest.mark.parametrize(("week", "months", "delivered", "expected"), SHIPPED)
def test_due_prompts_on_shipped_guide(week: int, months: int, delivered: frozenset[str], expected: list[str]) -> None:
    assert _ids(due_prompts(GUIDE, week, months, delivered, 0, 20)) == expected


WINDOW = small_guide(*(_prompt(f"w{week}", week) for week in range(6, 13)))


@pytest.mark.parametrize(
    ("week", "expected"),
    [
        (5, []),
        (6, ["w6"]),
        (7, ["w6", "w7"]),
        (8, ["w6", "w7", "w8"]),
        (9, ["w7", "w8", "w9"]),  # w6 is three weeks old: never sent
        (10, ["w8", "w9", "w10"]),
        (14, ["w12"]),
        (15, []),
    ],
)
def test_due_prompts_catch_up_window(week: int, expected: list[str]) -> None:
    assert CATCH_UP_WEEKS == 2
    assert _ids(due_prompts(WINDOW, week, 12, NOTHING, 0, 10)) == expected


def test_due_prompts_order_by_week_then_guide_position() -> None:
    guide = small_guide(_prompt("a3", 3), _prompt("b2", 2), _prompt("c3", 3), _prompt("d2", 2), _prompt("e4", 4))
    assert _ids(due_prompts(guide, 3, 12, NOTHING, 0, 10)) == ["b2", "d2", "a3", "c3"]


@pytest.mark.parametrize(
    ("sent", "cap", "expected"),
    [
        (0, 3, ["P0-2", "P1-1", "P1-2"]),
        (0, 2, ["P0-2", "P1-1"]),
        (1, 2, ["P0-2"]),
        (2, 2, []),
        (5, 2, []),  # more already sent than the cap (e.g. the cap was lowered): nothing, not an error
        (0, 0, []),
        (0, 10, ["P0-2", "P1-1", "P1-2", "P1-3", "P1-4"]),
    ],
)
def test_due_prompts_weekly_cap_counts_what_was_sent(sent: int, cap: int, expected: list[str]) -> None:
    assert _ids(due_prompts(GUIDE, 2, 12, NOTHING, sent, cap)) == expected


def test_due_prompts_never_include_triggered_prompts() -> None:
    guide = small_guide(_prompt("s3", 3))
    assert _ids(due_prompts(guide, 3, 12, NOTHING, 0, 10)) == ["s3"]
    every_week = {prompt.id for week in range(-2, 70) for prompt in due_prompts(GUIDE, week, 15, NOTHING, 0, 99)}
    assert every_week == {prompt.id for prompt in GUIDE.prompts}


def test_due_prompts_last_week_of_a_12_month_partnership() -> None:
    guide = small_guide(_prompt("w52", 52), _prompt("w53", 53))
    assert _ids(due_prompts(guide, 53, 12, NOTHING, 0, 10)) == ["w52"]
    assert _ids(due_prompts(guide, 53, 13, NOTHING, 0, 10)) == ["w52", "w53"]


@pytest.mark.parametrize(
    ("week", "months", "stage"),
    [
        (-1, 12, None),
        (0, 12, None),
        (2, 12, None),
        (3, 12, "start"),
        (25, 12, "start"),
        (26, 12, "mid"),  # 52 // 2
        (47, 12, "mid"),
        (48, 12, "end"),  # 52 - 4
        (52, 12, "end"),
        (60, 12, "end"),
        (31, 15, "start"),
        (32, 15, "mid"),  # 65 // 2
        (60, 15, "mid"),
        (61, 15, "end"),  # 65 - 4
        (65, 15, "end"),
    ],
)
def test_aims_stage_due(week: int, months: int, stage: str | None) -> None:
    assert aims_stage_due(week, months) == stage


@pytest.mark.parametrize(
    ("week", "months", "delivered", "expected"),
    [
        (-5, 12, NOTHING, "P0-1"),
        (-1, 12, NOTHING, "P0-1"),
        (0, 12, NOTHING, "P0-2"),  # launch day: the preparation prompt from before launch is not "coming up"
        (1, 12, NOTHING, "P0-2"),
        (1, 12, frozenset({"P0-1"}), "P0-2"),
        (10, 12, NOTHING, "P2-3"),  # the oldest still inside the catch-up window
        (10, 12, _up_to(11), "P3-2"),  # nothing left this week: the next one ahead
        (53, 12, _up_to(53), None),
        (53, 15, _up_to(53), "P7-4"),
    ],
)
def test_next_prompt(week: int, months: int, delivered: frozenset[str], expected: str | None) -> None:
    found = next_prompt(GUIDE, week, months, delivered)
    assert (found.id if found else None) == expected
