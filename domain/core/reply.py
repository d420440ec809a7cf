"""The neutral reply model: what the companion wants to say, independent of channel.

Dialogs and domain services build a `Reply`; `channels.render` turns it into a Teams
Adaptive Card, Slack blocks or plain text. A `Reply` is plain data, so it can be stored
in the outbox as JSON (`to_dict` / `from_dict`) and rendered when it is sent.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

InputKind = Literal["text", "multiline", "date", "time", "choice", "number"]
ActionKind = Literal["submit", "open_url"]


@dataclass(frozen=True)
class Fact:
    """A labelled value shown as a row ("Cohort: Spring 2027")."""

    title: str
    value: str


@dataclass(frozen=True)
class Choice:
    """One answer the person can pick by button, by number or by typing its title."""

    value: str
    title: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Input:
    """A form field (card input in Teams; asked as a question where cards are missing)."""

    id: str
    label: str
    kind: InputKind = "text"
    placeholder: str = ""
    value: str = ""
    required: bool = False
    choices: tuple[Choice, ...] = ()
    multiple: bool = False  # a choice input that accepts several answers


@dataclass(frozen=True)
class Action:
    """A button: `submit` sends `data` back to the bot; `open_url` opens `url`."""

    title: str
    kind: ActionKind = "submit"
    data: dict[str, Any] = field(default_factory=dict)
    url: str = ""


@dataclass(frozen=True)
class Reply:
    """One message: optional title, body text (light Markdown), facts, choices, inputs, actions."""

    text: str = ""
    title: str = ""
    facts: tuple[Fact, ...] = ()
    choices: tuple[Choice, ...] = ()
    inputs: tuple[Input, ...] = ()
    actions: tuple[Action, ...] = ()
    sections: tuple[Section, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, for the outbox and dialog state."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        """Inverse of `to_dict`; unknown keys are ignored so old outbox rows still load."""
        return cls(
            text=data.get("text", ""),
            title=data.get("title", ""),
            facts=tuple(Fact(**f) for f in data.get("facts", ())),
            choices=tuple(_choice(c) for c in data.get("choices", ())),
            inputs=tuple(
                Input(**{**i, "choices": tuple(_choice(c) for c in i.get("choices", ()))})
                for i in data.get("inputs", ())
            ),
            actions=tuple(Action(**a) for a in data.get("actions", ())),
            sections=tuple(
                Section(
                    heading=s.get("heading", ""),
                    text=s.get("text", ""),
                    facts=tuple(Fact(**f) for f in s.get("facts", ())),
                )
                for s in data.get("sections", ())
            ),
        )


@dataclass(frozen=True)
class Section:
    """A headed block inside a reply (e.g. one partner's profile answers)."""

    heading: str = ""
    text: str = ""
    facts: tuple[Fact, ...] = ()


def _choice(data: dict[str, Any]) -> Choice:
    return Choice(value=data["value"], title=data["title"], synonyms=tuple(data.get("synonyms", ())))
