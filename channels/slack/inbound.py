"""Slack events and interactions -> `SlackTurn` -> the Bot Framework activity our dialogs read.

The activity is shaped exactly as a Teams one of the same kind (a typed message, a card
submit with a `value`, the app being added), so `channels.inbound.parse` yields the same
neutral `UserInput` and the same dialogs run. People are keyed by workspace and user:
`<enterprise or team id>:<user id>` under channel id "slack". Parsing never raises; anything
we do not handle comes back as None. Text is what people wrote: nothing here logs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from channels.slack.actions import form_values, pressed_value
from channels.slack.mrkdwn import from_slack

SLACK = "slack"
TurnKind = Literal["message", "card_submit", "install", "home"]
MAX_ID_CHARS = 100
# Messages we must not answer: our own posts, edits, deletions, joins and the like.
_IGNORED_SUBTYPES_ALLOWED = frozenset({"", "file_share", "thread_broadcast"})


@dataclass(frozen=True)
class SlackTurn:
    """One thing a person did in Slack, with where it came from."""

    kind: TurnKind
    delivery_id: str  # the same on Slack's retries: the inbound log runs it once
    team_id: str
    workspace: str  # enterprise id when the app is installed org-wide, else the team id
    slack_user_id: str
    channel: str = ""  # the DM channel ("" from the Home tab: opened before the turn)
    text: str = ""
    value: dict[str, Any] = field(default_factory=dict)
    message_ts: str = ""  # the message whose button was pressed (its ts): redrawn once answered

    @property
    def person_key(self) -> str:
        """Our user id for this person: one participant per workspace and Slack user."""
        return f"{self.workspace}:{self.slack_user_id}"


def event_turn(envelope: dict[str, Any], bot_user_id: str = "") -> SlackTurn | None:
    """A message.im or app_home_opened event callback as a turn; None for anything else."""
    event = _dict(envelope.get("event"))
    team_id = _str(envelope.get("team_id")) or _str(event.get("team"))
    workspace = _str(envelope.get("enterprise_id")) if _is_org_install(envelope) else team_id
    user, event_id = _str(event.get("user")), _str(envelope.get("event_id"))
    if not (team_id and workspace and _id_ok(user) and _id_ok(event_id)):
        return None
    if event.get("type") == "app_home_opened":
        kind: TurnKind = "home" if event.get("tab", "home") == "home" else "install"
        return SlackTurn(kind, event_id, team_id, workspace, user, _str(event.get("channel")))
    if event.get("type") != "message" or event.get("channel_type") != "im":
        return None
    if event.get("bot_id") or _str(event.get("subtype")) not in _IGNORED_SUBTYPES_ALLOWED:
        return None
    text = from_slack(_str(event.get("text")), bot_user_id)
    return SlackTurn("message", event_id, team_id, workspace, user, _str(event.get("channel")), text=text)


def interaction_turn(payload: dict[str, Any]) -> SlackTurn | None:
    """A block_actions or view_submission payload as a card submit; None when it carries nothing for us."""
    kind = payload.get("type")
    user = _dict(payload.get("user"))
    team_id = _str(_dict(payload.get("team")).get("id")) or _str(user.get("team_id"))
    enterprise = _str(_dict(payload.get("enterprise")).get("id"))
    workspace = enterprise if enterprise and payload.get("is_enterprise_install") else team_id
    slack_user = _str(user.get("id"))
    if not (team_id and workspace and _id_ok(slack_user)):
        return None
    if kind == "block_actions":
        actions = payload.get("actions")
        action = _dict(actions[0]) if isinstance(actions, list) and actions else {}
        value = pressed_value(action, _dict(payload.get("state")))
        stamp = _str(action.get("action_ts"))
        if value is None or not _id_ok(stamp):
            return None
        container = _dict(payload.get("container"))
        channel = _str(_dict(payload.get("channel")).get("id")) or _str(container.get("channel_id"))
        pressed_in = _str(container.get("message_ts")) if container.get("type") == "message" else ""
        return SlackTurn(
            "card_submit",
            f"act:{slack_user}:{stamp}",
            team_id,
            workspace,
            slack_user,
            channel,
            value=value,
            message_ts=pressed_in if _id_ok(pressed_in) else "",
        )
    if kind == "view_submission":
        view = _dict(payload.get("view"))
        view_id, stamp = _str(view.get("id")), _str(view.get("hash"))
        if not (_id_ok(view_id) and _id_ok(stamp)):
            return None
        value = {**form_values(_dict(view.get("state"))), "form": "1"}
        return SlackTurn("card_submit", f"view:{view_id}:{stamp}", team_id, workspace, slack_user, value=value)
    return None


def to_activity(turn: SlackTurn, name: str, api_url: str, bot_id: str) -> Activity:
    """The Bot Framework activity a Teams client would have sent for the same act."""
    bot = ChannelAccount(id=bot_id or SLACK, name="PLP Companion")
    activity = Activity(
        type="message",
        id=turn.delivery_id,
        channel_id=SLACK,
        service_url=api_url,
        from_property=ChannelAccount(id=turn.person_key, name=name),
        recipient=bot,
        conversation=ConversationAccount(id=turn.channel, conversation_type="personal", is_group=False),
        channel_data={"tenant": {"id": turn.workspace}, "slack": {"team": turn.team_id}},
    )
    if turn.kind == "install":
        activity.type = "conversationUpdate"
        activity.members_added = [bot]
    elif turn.kind == "card_submit":
        activity.value = dict(turn.value)
        activity.reply_to_id = turn.message_ts or None  # as Teams names the card a submit came from
    else:
        activity.text = turn.text
    return activity


def _is_org_install(envelope: dict[str, Any]) -> bool:
    if envelope.get("is_enterprise_install") is True:
        return bool(_str(envelope.get("enterprise_id")))
    authorizations = envelope.get("authorizations")
    first = _dict(authorizations[0]) if isinstance(authorizations, list) and authorizations else {}
    return first.get("is_enterprise_install") is True and bool(_str(envelope.get("enterprise_id")))


def _id_ok(value: str) -> bool:
    """A Slack id we are willing to store: present, short, printable."""
    return 0 < len(value) <= MAX_ID_CHARS and value.isprintable()


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
