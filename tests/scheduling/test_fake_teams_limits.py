"""Teams' limits as the fake connector enforces them: each sliding window, the tenant cap, and
what a refusal leaves behind. Pure: time is the `now` each call passes."""

from __future__ import annotations

from tests.fakes.teams_limits import Refusal, TeamsLimits, Window


def admit_all(limits: TeamsLimits, conversation: str, times: list[float]) -> list[Refusal | None]:
    return [limits.admit(conversation, t) for t in times]


def test_seven_a_second_per_conversation_then_wait_for_the_oldest_to_leave() -> None:
    limits = TeamsLimits()
    assert admit_all(limits, "a:x", [n / 10 for n in range(7)]) == [None] * 7
    assert limits.admit("a:x", 0.65) == Refusal("conversation", 1.0 - 0.65)
    assert limits.admit("a:y", 0.65) is None  # another conversation has its own windows
    assert limits.admit("a:x", 1.0) is None  # the request at 0.0 has left the 1-second window


def test_eight_in_two_seconds_even_when_each_second_has_room() -> None:
    limits = TeamsLimits()
    assert admit_all(limits, "a:x", [0.0] * 7 + [1.0]) == [None] * 8
    assert limits.admit("a:x", 1.5) == Refusal("conversation", 0.5)  # 8 in (-0.5, 1.5]; frees at 2.0
    assert limits.admit("a:x", 2.0) is None


def test_sixty_in_thirty_seconds_at_two_a_second() -> None:
    limits = TeamsLimits()
    assert admit_all(limits, "a:x", [n / 2 for n in range(60)]) == [None] * 60
    refused = limits.admit("a:x", 29.75)
    assert refused is not None and (refused.scope, round(refused.retry_after, 6)) == ("conversation", 0.25)


def test_eighteen_hundred_an_hour() -> None:
    limits = TeamsLimits()
    assert admit_all(limits, "a:x", [n * 2.0 for n in range(1800)]) == [None] * 1800
    assert limits.admit("a:x", 3599.0) == Refusal("conversation", 1.0)
    assert limits.admit("a:x", 3600.0) is None


def test_fifty_a_second_per_tenant_across_conversations() -> None:
    limits = TeamsLimits()
    assert [limits.admit(f"a:{n}", 0.0) for n in range(50)] == [None] * 50
    assert limits.admit("a:new", 0.5) == Refusal("tenant", 0.5)
    assert limits.admit("", 0.5) == Refusal("tenant", 0.5)  # creates and lookups count too
    assert limits.admit("a:new", 1.0) is None


def test_a_refused_request_uses_up_no_window() -> None:
    limits = TeamsLimits(Window(1, 1.0), (Window(1, 10.0),))
    assert limits.admit("a:x", 0.0) is None
    assert limits.admit("a:y", 0.0) == Refusal("tenant", 1.0)
    assert limits.admit("a:y", 1.0) is None  # its 10-second window was not touched by the refusal
    assert admit_all(limits, "a:x", [0.5] * 3) == [Refusal("conversation", 9.5)] * 3
    assert limits.admit("a:x", 10.0) is None  # three refusals did not push the wait further


def test_without_a_tenant_cap_only_conversations_are_limited() -> None:
    limits = TeamsLimits(None)
    assert [limits.admit(f"a:{n}", 0.0) for n in range(500)] == [None] * 500
    assert [limits.admit("", 0.0) for _ in range(100)] == [None] * 100
