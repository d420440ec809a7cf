"""The neutral reply model: what the companion wants to say, independent of channel.

Dialogs and domain services build a `Reply`; `channels.render` turns it into a Teams
Adaptive Card, Slack blocks or plain text. A `Reply` is plain data, so it can be stored
in the outbox as JSON (`to_dict` / `from_dict`) and rendered when it is sent.

Text is light Markdown, written by us. Anything a person typed (names, profile answers,
hopes, aims, agendas, poll answers, cohort and session names) goes in through `verbatim`,
which marks it so every renderer shows it exactly as typed: never as formatting, never as a
link. The marks are two Unicode noncharacters (never interchanged text, so nobody can type
them; `verbatim` drops any that arrive), they survive the outbox's JSON, and renderers
remove them. Broadcasts keep their formatting: facilitators write them as Markdown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

InputKind = Literal["text", "multiline", "date", "time", "choice", "number"]
ActionKind = Literal["submit", "open_url"]
VERBATIM_START, VERBATIM_END = "\ufdd0", "\ufdd1"
_MARKS = str.maketrans("", "", VERBATIM_START + VERBATIM_END)
ASK_TOKEN = "ask"  # the key under which a card's submit data names the question it answers
# A Fact's label sits in Teams' narrow FactSet column (about 150 px): 20 characters fit one line.
FACT_TITLE_MAX = 20
# The key under which a standalone card's buttons (meeting, aims, session, poll, partnership cards sent
# through the outbox) name the object and the version of it they act on: "<kind>:<id>:<version>".
CARD_TOKEN = "card"
ANSWER_BOX = "answer"  # the input id of a question's own text box: its value is the typed answer


def verbatim(text: str) -> str:
    """`text` as a person typed it: shown literally by every renderer ("" stays "", for `or` defaults)."""
    bare = unmarked(text)
    return f"{VERBATIM_START}{bare}{VERBATIM_END}" if bare else ""


def unmarked(text: str) -> str:
    """`text` without verbatim marks: for plain-text places (button titles, notifications) and comparisons."""
    return text.translate(_MARKS)


def tokened(data: dict[str, Any], token: str) -> dict[str, Any]:
    """Submit data that names its question; a command button starts afresh, so it carries none."""
    return {**data, ASK_TOKEN: token} if token and "command" not in data else dict(data)


def card_token(kind: str, object_id: int, version: str) -> str:
    """The token naming one object at one version ("meeting:12:proposed"), carried by its card's buttons."""
    return f"{kind}:{object_id}:{version}"


def read_card_token(token: object) -> tuple[str, int] | None:
    """The kind and object id a card token names; None when it is not one (a forged or garbled value)."""
    if not isinstance(token, str) or len(token) > 100:
        return None
    kind, _, rest = token.partition(":")
    object_id, _, version = rest.partition(":")
    # Why: at most 9 digits, so a forged id still fits every id column (PostgreSQL's integer).
    fits = object_id.isdecimal() and object_id.isascii() and len(object_id) <= 9
    return (kind, int(object_id)) if kind and fits and version else None


def stamped(command: str, token: str) -> dict[str, str]:
    """A command button's data that names the object and version it acts on (`card_token`)."""
    return {"command": command, CARD_TOKEN: token}


@dataclass(frozen=True)
class Fact:
    """A labelled value shown as a row ("Cohort: Spring 2027").

    The title is a short label of ours (at most FACT_TITLE_MAX characters), never what a person
    typed: Teams shows it in a narrow column, where a question or a name wraps a word a line and
    breaks long words. A question goes above its answer instead (`question_sections`), and a list
    labelled by names, dates or titles as `listed` rows.
    """

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
    # Names the exact question this card asks: every submit button carries it back as "ask",
    # so a click on an old card can be told from an answer to the question pending now.
    token: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, for the outbox and dialog state: what `dataclasses.asdict` gives, built directly
        (scheduled work turns thousands of cards into payloads; asdict's generic walk is slow)."""
        return {
            "text": self.text,
            "title": self.title,
            "facts": tuple(_fact(f) for f in self.facts),
            "choices": tuple(_choice_dict(c) for c in self.choices),
            "inputs": tuple(_input(i) for i in self.inputs),
            "actions": tuple(
                {"title": a.title, "kind": a.kind, "data": _plain(a.data), "url": a.url} for a in self.actions
            ),
            "sections": tuple(
                {"heading": s.heading, "text": s.text, "facts": tuple(_fact(f) for f in s.facts)} for s in self.sections
            ),
            "token": self.token,
        }

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
            token=data.get("token", ""),
        )

    def answered(self, shown: str) -> Reply:
        """This card once answered: the same question, read-only, with the answer it got."""
        note = f"Answered: **{shown}**" if shown else "Answered."
        text = f"{self.text}\n\n{note}" if self.text else note
        return Reply(text=text, title=self.title, facts=self.facts, sections=self.sections)


@dataclass(frozen=True)
class Section:
    """A headed block inside a reply (e.g. one partner's profile answers)."""

    heading: str = ""
    text: str = ""
    facts: tuple[Fact, ...] = ()


def question_sections(answered: Iterable[tuple[str, str]]) -> tuple[Section, ...]:
    """Questions with their answers: each question a heading, its answer below (both already marked)."""
    return tuple(Section(heading=question, text=answer) for question, answer in answered)


def listed(rows: Iterable[tuple[str, str]]) -> str:
    """Rows whose labels are long or typed (names, dates, titles) as a bulleted list: "- **label**: value"."""
    return "\n".join(f"- **{label}**: {value}" if value else f"- **{label}**" for label, value in rows)


def _choice(data: dict[str, Any]) -> Choice:
    return Choice(value=data["value"], title=data["title"], synonyms=tuple(data.get("synonyms", ())))


def _fact(fact: Fact) -> dict[str, Any]:
    return {"title": fact.title, "value": fact.value}


def _choice_dict(choice: Choice) -> dict[str, Any]:
    return {"value": choice.value, "title": choice.title, "synonyms": tuple(choice.synonyms)}


def _input(field_: Input) -> dict[str, Any]:
    return {
        "id": field_.id,
        "label": field_.label,
        "kind": field_.kind,
        "placeholder": field_.placeholder,
        "value": field_.value,
        "required": field_.required,
        "choices": tuple(_choice_dict(c) for c in field_.choices),
        "multiple": field_.multiple,
    }


def _plain(value: Any) -> Any:
    """A copy of JSON-like data (dicts, lists and tuples copied, other values shared: they are immutable)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_plain(v) for v in value)
    return value
