"""`my data` and `erase me` in the dialog (TestAdapter, real database): the link (or a kind answer
without one), the clear question, cancel and no keep everything, yes erases and leaves no dialog state."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.clock import FixedClock
from domain.core.links import MY_DATA, MyDataLinks, ShortLinks
from domain.core.personal import FORMER_NAME
from domain.core.signing import LinkSigner
from storage.store import SqlStore
from storage.tables import BotStateRow
from tests.dialogs.chat import NOW, Chat, make_bot

SIGNER = LinkSigner.of(b"dialog test key, thirty-two bytes")


async def _me(engine: AsyncEngine, user_id: str = "user-1") -> tuple[int, str, object]:
    async with SqlStore(engine).reading() as uow:
        found = await uow.participants.find_by_user("test", user_id)
        assert found is not None
        audit = [(e.action, e.subject_id) for e in await uow.audit.about(found.id)]
    return found.id, found.name, audit


async def test_my_data_gives_a_signed_link_and_records_the_export(engine: AsyncEngine) -> None:
    bot = make_bot(engine)
    bot.services.data_links = MyDataLinks(ShortLinks("https://plp.test", SIGNER, FixedClock(NOW)))
    reply = await Chat(bot).last("my data")
    token = reply.split("https://plp.test/my-data/")[1].split()[0].rstrip(").")
    me, _, audit = await _me(engine)
    assert SIGNER.open(MY_DATA, token, NOW) == str(me)
    assert "24 hours" in reply and "erase me" in reply
    assert audit == [("export_own_data", me)]


async def test_without_a_web_server_my_data_says_whom_to_ask(engine: AsyncEngine) -> None:
    reply = await Chat(make_bot(engine)).last("show my data")
    assert "ask the programme team" in reply
    assert (await _me(engine))[2] == []  # no link, nothing exported, nothing recorded


async def test_cancel_or_no_keeps_everything(engine: AsyncEngine) -> None:
    chat = Chat(make_bot(engine), name="Kit Marlowe")
    question = await chat.last("erase me")
    assert "Delete everything?" in question and "can't be undone" in question
    assert "stopped" in (await chat.last("cancel")).lower()
    await chat.last("delete my data")
    assert "nothing has been deleted" in (await chat.last("No")).lower()
    assert (await _me(engine))[1] == "Kit Marlowe"


async def test_yes_erases_and_leaves_no_dialog_state(engine: AsyncEngine) -> None:
    chat = Chat(make_bot(engine), name="Kit Marlowe")
    await chat.last("erase me")
    done = await chat.last("yes")
    assert "Your data has been deleted" in done and "Your partner" not in done  # nobody to tell
    async with SqlStore(engine).reading() as uow:
        erased = await uow.participants.find_by_user("test", "erased:1")
    assert erased is not None and erased.name == FORMER_NAME
    async with engine.connect() as conn:
        assert list(await conn.scalars(select(BotStateRow.key))) == []
