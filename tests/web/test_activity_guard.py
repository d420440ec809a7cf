"""The activity guard's bounds match the columns that keep each value, and its cleaning is exact."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import String

from storage.tables import BotStateRow, ConversationRefRow, ParticipantRow, ProcessedActivityRow
from web.activity_guard import ID_LIMITS, NAME_CHARS, ActivityProblem, checked_activity, tidy_name

COLUMNS: dict[str, list[Any]] = {
    "channel id": [ParticipantRow.channel_id, ConversationRefRow.channel_id],
    "service URL": [ConversationRefRow.service_url],
    "sender id": [ParticipantRow.user_id, ConversationRefRow.user_id],
    "AAD object id": [ParticipantRow.aad_object_id],
    "bot id": [ConversationRefRow.bot_id],
    "conversation id": [ConversationRefRow.conversation_id],
    "conversation type": [ConversationRefRow.conversation_type],
    "tenant id": [ConversationRefRow.tenant_id],
    "activity id": [],  # kept only inside keys, which are digested when long
}


def _length(column: Any) -> int:
    kind = column.property.columns[0].type
    assert isinstance(kind, String) and kind.length
    return int(kind.length)


@pytest.mark.parametrize(("path", "limit", "words"), ID_LIMITS)
def test_every_accepted_id_fits_the_columns_that_keep_it(path: tuple[str, ...], limit: int, words: str) -> None:
    for column in COLUMNS[words]:
        assert limit <= _length(column), f"{'.'.join(path)} may be {limit} long but {column} holds less"


def test_names_fit_and_the_dialog_state_key_fits() -> None:
    assert min(_length(ParticipantRow.name), _length(ConversationRefRow.bot_name)) >= NAME_CHARS
    longest = dict((words, limit) for _, limit, words in ID_LIMITS)
    state_key = longest["channel id"] + len("/conversations/") + longest["conversation id"]
    assert state_key <= _length(BotStateRow.key)
    assert _length(ProcessedActivityRow.activity_key) == 600


def test_strings_everywhere_lose_nul_and_lone_surrogates_and_keep_valid_pairs() -> None:
    body = {"type": "message", "text": "a\x00b\ud800c 😀", "value": {"k\x00": ["x\udfff", {"y": "\x00"}]}}
    assert checked_activity(body) == {"type": "message", "text": "ab\ufffdc 😀", "value": {"k": ["x\ufffd", {"y": ""}]}}


def test_names_are_one_tidy_line() -> None:
    assert tidy_name("  Sam\t\tO'Neil\r\n(she/her) ") == "Sam O'Neil (she/her)"
    assert tidy_name("x" * 500) == "x" * NAME_CHARS


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    deep: dict[str, Any] = {"type": "message"}
    node = deep
    for _ in range(40):
        node["v"] = {}
        node = node["v"]
    with pytest.raises(ActivityProblem, match="nested"):
        checked_activity(deep)
