"""A Reply's JSON form (`to_dict`, built field by field for speed) is exactly what `dataclasses.asdict`
gives, for a reply with every field of every part set, and it loads back as the same reply."""

from __future__ import annotations

import json
from dataclasses import asdict, fields, is_dataclass
from typing import Any

from domain.core.reply import Action, Choice, Fact, Input, Reply, Section


def _full_reply() -> Reply:
    choice = Choice("yes", "Yes please", ("yep", "sure"))
    return Reply(
        text="Some **text**",
        title="A title",
        facts=(Fact("Cohort", "Spring"),),
        choices=(choice, Choice("no", "No")),
        inputs=(Input("when", "When?", "choice", "pick one", "yes", True, (choice,), True),),
        actions=(
            Action("Go", "submit", {"command": "go", "nested": {"list": [1, 2], "tuple": (3,)}}, "https://x.test/"),
            Action("Open", "open_url", {}, "https://example.test/"),
        ),
        sections=(Section("Ada", "Her answers", (Fact("Learn", "listening"),)),),
        token="ask-7",
    )


def _unset_fields(value: Any, path: str = "reply") -> list[str]:
    """Fields left at their default anywhere in the reply: the sample must set them all."""
    missing = []
    for f in fields(value):
        got = getattr(value, f.name)
        if got in ((), "", {}, False) and f.name != "kind":
            missing.append(f"{path}.{f.name}")
        first = got[0] if isinstance(got, tuple) and got else None
        if is_dataclass(first):
            missing += _unset_fields(first, f"{path}.{f.name}[0]")
    return missing


def test_the_sample_sets_every_field() -> None:
    assert _unset_fields(_full_reply()) == []


def test_to_dict_is_what_asdict_gives_and_loads_back() -> None:
    reply = _full_reply()
    assert reply.to_dict() == asdict(reply)
    assert json.dumps(reply.to_dict()) == json.dumps(asdict(reply))  # the outbox stores exactly the same text
    assert Reply.from_dict(reply.to_dict()) == reply


def test_to_dict_copies_button_data() -> None:
    data = {"command": "go", "nested": {"list": [1]}}
    payload = Reply(actions=(Action("Go", data=data),)).to_dict()
    payload["actions"][0]["data"]["nested"]["list"].append(2)
    assert data == {"command": "go", "nested": {"list": [1]}}
