"""Inbound Bot Framework activity -> channel-neutral `UserInput`.

`parse` never raises: Teams, the Emulator and tests all send partial payloads, and a
turn must not crash on a missing `from` or an odd `channelData`. Text and values are
free text from people, so nothing here is logged.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from botbuilder.schema import Activity

InputKind = Literal["message", "card_submit", "install", "uninstall", "invoke", "other"]

CARD_ACTION_INVOKE = "adaptiveCard/action"
_INSTALL_ACTIONS = frozenset({"add", "add-upgrade"})
_UNINSTALL_ACTIONS = frozenset({"remove", "remove-upgrade"})
_GROUP_TYPES = frozenset({"channel", "groupChat"})
_REF_FIELDS = (
    "channel_id",
    "service_url",
    "conversation_id",
    "user_id",
    "bot_id",
    "bot_name",
    "tenant_id",
    "conversation_type",
)
_AT_TAG = re.compile(r"<at\b[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class UserInput:
    """What a person did in one turn, with where it came from."""

    kind: InputKind
    text: str = ""
    value: dict[str, Any] = field(default_factory=dict)
    channel_id: str = ""
    user_id: str = ""
    user_name: str = ""
    aad_object_id: str = ""
    conversation_id: str = ""
    conversation_type: str = "personal"
    is_group: bool = False
    tenant_id: str = ""
    service_url: str = ""
    bot_id: str = ""
    bot_name: str = ""
    activity_id: str = ""
    locale: str = ""

    @property
    def choice(self) -> str | None:
        """The picked choice value from a card button or drop-down, if any."""
        choice = self.value.get("choice")
        return str(choice) if choice not in (None, "") else None

    @property
    def command_text(self) -> str:
        """A button's typed-command equivalent, else what the person typed."""
        command = self.value.get("command")
        return command if isinstance(command, str) and command else self.text


def parse(activity: Activity) -> UserInput:
    """Translate one inbound activity into a `UserInput` (never raises)."""
    bot_id, bot_name = _account(getattr(activity, "recipient", None))
    sender = getattr(activity, "from_property", None)
    user_id, user_name = _account(sender)
    conversation = getattr(activity, "conversation", None)
    conversation_type = _str(getattr(conversation, "conversation_type", None)) or "personal"
    kind = _kind(activity, bot_id)
    raw_text = _str(getattr(activity, "text", None))
    return UserInput(
        kind=kind,
        text=clean_text(raw_text, bot_id, bot_name, _bot_mentions(activity, bot_id)),
        value=_value(activity, kind),
        channel_id=_str(getattr(activity, "channel_id", None)),
        user_id=user_id,
        user_name=user_name,
        aad_object_id=_str(getattr(sender, "aad_object_id", None)),
        conversation_id=_str(getattr(conversation, "id", None)),
        conversation_type=conversation_type,
        is_group=getattr(conversation, "is_group", None) is True or conversation_type in _GROUP_TYPES,
        tenant_id=tenant_of(activity),
        service_url=_str(getattr(activity, "service_url", None)),
        bot_id=bot_id,
        bot_name=bot_name,
        activity_id=_str(getattr(activity, "id", None)),
        locale=_locale(activity),
    )


def conversation_ref_fields(user: UserInput) -> dict[str, str]:
    """Keyword arguments for `domain.core.model.ConversationRef`, all but `participant_id`."""
    return {name: getattr(user, name) for name in _REF_FIELDS}


_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def clean_text(raw: str, bot_id: str, bot_name: str, mentions: tuple[str, ...] = ()) -> str:
    """Drop the bot's @mentions, keep other names, unescape HTML, tidy whitespace (keeping line breaks)."""
    text = raw
    for mention in mentions:
        text = text.replace(mention, " ")
    name = html.unescape(bot_name).strip().casefold()

    def untag(match: re.Match[str]) -> str:
        inner = html.unescape(match.group(1)).strip()
        # Why: in channels Teams tags the bot by name; other people's names are content.
        return " " if name and inner.casefold() == name else match.group(1)

    text = html.unescape(_BREAK.sub("\n", _AT_TAG.sub(untag, text)))
    # Why: line breaks carry meaning (e.g. "three questions, one per line").
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _kind(activity: Activity, bot_id: str) -> InputKind:
    """Classify the activity; anything unrecognised is "other"."""
    activity_type = _str(getattr(activity, "type", None))
    if activity_type == "message":
        return "card_submit" if isinstance(getattr(activity, "value", None), dict) else "message"
    if activity_type == "invoke":
        return "invoke"
    if activity_type == "installationUpdate":
        action = _str(getattr(activity, "action", None))
        added, removed = action in _INSTALL_ACTIONS, action in _UNINSTALL_ACTIONS
    elif activity_type == "conversationUpdate":
        added = bool(bot_id) and bot_id in _member_ids(getattr(activity, "members_added", None))
        removed = bool(bot_id) and bot_id in _member_ids(getattr(activity, "members_removed", None))
    else:
        added = removed = False
    return "install" if added else "uninstall" if removed else "other"


def _value(activity: Activity, kind: InputKind) -> dict[str, Any]:
    """The submitted data: a card's value, or an Action.Execute's data plus its verb."""
    raw = getattr(activity, "value", None)
    if kind == "card_submit":
        return dict(raw) if isinstance(raw, dict) else {}
    if kind == "invoke" and getattr(activity, "name", None) == CARD_ACTION_INVOKE:
        action = raw.get("action") if isinstance(raw, dict) else None
        if isinstance(action, dict):
            data = action.get("data")
            return {**(data if isinstance(data, dict) else {}), "verb": _str(action.get("verb"))}
    return {}


def _bot_mentions(activity: Activity, bot_id: str) -> tuple[str, ...]:
    """The exact `<at>…</at>` texts of mention entities that point at the bot."""
    found: list[str] = []
    for entity in _list(getattr(activity, "entities", None)):
        props = _props(entity)
        if props.get("type") != "mention":
            continue
        mentioned_id, _ = _account(props.get("mentioned"))
        text = _str(props.get("text"))
        if bot_id and mentioned_id == bot_id and text:
            found.append(text)
    return tuple(found)


def tenant_of(activity: Activity) -> str:
    """The activity's tenant ('' when none): Teams puts it in channelData.tenant.id; conversation.tenantId
    is the fallback. The ALLOWED_TENANT_IDS gate (web/messages.py) reads it with this too."""
    tenant = _props(_props(getattr(activity, "channel_data", None)).get("tenant"))
    conversation = getattr(activity, "conversation", None)
    # Why: botbuilder maps `tenantID`, but Teams sends `tenantId`, which lands in extras.
    extras = _props(getattr(conversation, "additional_properties", None))
    return _str(tenant.get("id")) or _str(getattr(conversation, "tenant_id", None)) or _str(extras.get("tenantId"))


def _locale(activity: Activity) -> str:
    """The activity's locale, else the one in a clientInfo entity."""
    if locale := _str(getattr(activity, "locale", None)):
        return locale
    for entity in _list(getattr(activity, "entities", None)):
        props = _props(entity)
        if props.get("type") == "clientInfo" and _str(props.get("locale")):
            return _str(props.get("locale"))
    return ""


def _member_ids(members: Any) -> set[str]:
    """Ids of the accounts in membersAdded / membersRemoved."""
    return {_account(member)[0] for member in _list(members)} - {""}


def _account(account: Any) -> tuple[str, str]:
    """(id, name) of a ChannelAccount or its dict form; empty strings when missing."""
    props = _props(account)
    return _str(props.get("id")), _str(props.get("name"))


def _props(obj: Any) -> dict[str, Any]:
    """A dict view of a msrest model (attributes plus unknown JSON keys) or a dict."""
    if isinstance(obj, dict):
        return obj
    if obj is None or isinstance(obj, (str, bytes, int, float, list, tuple)):
        return {}
    extras = getattr(obj, "additional_properties", None)
    attributes = getattr(obj, "__dict__", {})
    set_attributes = {k: v for k, v in attributes.items() if v is not None and k != "additional_properties"}
    return {**(extras if isinstance(extras, dict) else {}), **set_attributes}


def _list(obj: Any) -> list[Any]:
    """`obj` if it is a list, else an empty list."""
    return obj if isinstance(obj, list) else []


def _str(obj: Any) -> str:
    """`obj` if it is a string, else ""."""
    return obj if isinstance(obj, str) else ""
