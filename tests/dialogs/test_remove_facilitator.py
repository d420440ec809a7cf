"""`remove facilitator` in chat: never the last one, your own role only after you confirm what you
give up, the person told, and a partner refused."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.store import SqlStore
from tests.dialogs.chat import Chat, make_bot

FAC = frozenset({"fac-1"})  # Fran, named in FACILITATORS by her (test channel) user id


async def _ids(engine: AsyncEngine, *user_ids: str) -> list[int]:
    async with SqlStore(engine).reading() as uow:
        return [(await uow.participants.find_by_user("test", user_id)).id for user_id in user_ids]


async def _with_sam_as_facilitator(engine: AsyncEngine) -> tuple[Chat, Chat, int, int]:
    bot = make_bot(engine, FAC)
    fran, sam = Chat(bot, "fac-1", "Fran"), Chat(bot, "u-sam", "Sam")
    await sam.say("hello")
    await fran.say("hello")
    fran_id, sam_id = await _ids(engine, "fac-1", "u-sam")
    await fran.say(f"add facilitator #{sam_id}")
    assert "facilitator now" in await fran.last("yes")
    return fran, sam, fran_id, sam_id


async def test_the_only_facilitator_is_kept_kindly(engine: AsyncEngine) -> None:
    fran = Chat(make_bot(engine, FAC), "fac-1", "Fran")
    reply = await fran.last("remove facilitator")
    assert "can't remove the last facilitator" in reply and "add facilitator" in reply
    assert "There are no cohorts yet" in await fran.last("participants")  # still a facilitator


async def test_removing_someone_from_the_list_after_a_yes(engine: AsyncEngine) -> None:
    fran, sam, fran_id, sam_id = await _with_sam_as_facilitator(engine)
    offered = (await fran.last("remove facilitator")).replace("\\", "")  # as shown: Markdown escapes unseen
    assert "Whose facilitator role should I remove?" in offered
    assert f"Fran (#{fran_id}) (you)" in offered and f"Sam (#{sam_id})" in offered
    assert "Remove the facilitator role from **Sam**?" in await fran.last(str(sam_id))
    assert "Done. They're no longer a facilitator, and I've let them know." in await fran.last("yes")
    assert "facilitators do" in await sam.last("participants")
    async with SqlStore(engine).reading() as uow:
        assert (await uow.outbox.list_for(sam_id))[-1].kind == "facilitator_removed"


async def test_not_now_changes_nothing(engine: AsyncEngine) -> None:
    fran, sam, _, sam_id = await _with_sam_as_facilitator(engine)
    await fran.say(f"remove facilitator #{sam_id}")
    await fran.say("not now")
    assert "There are no cohorts yet" in await sam.last("participants")


async def test_removing_your_own_role_says_what_you_give_up_first(engine: AsyncEngine) -> None:
    fran, sam, fran_id, _ = await _with_sam_as_facilitator(engine)
    asked = await fran.last(f"remove facilitator #{fran_id}")
    assert "That's you." in asked and "another facilitator would need to add you back" in asked
    done = await fran.last("yes")
    assert "Done. You're no longer a facilitator." in done
    assert "You were also named in the FACILITATORS setting" in done  # named by her user id
    assert "facilitators do" in await fran.last("participants")  # the FACILITATORS entry no longer counts
    assert "last facilitator" in await sam.last("remove facilitator")


async def test_a_name_that_matches_no_facilitator_offers_the_list(engine: AsyncEngine) -> None:
    fran, _, _, _ = await _with_sam_as_facilitator(engine)
    offered = await fran.last("remove facilitator nobody@trust.nhs.uk")
    assert offered.startswith("I couldn't match that to a current facilitator.")


async def test_partners_cannot_remove_facilitators(engine: AsyncEngine) -> None:
    bot = make_bot(engine, FAC)
    await Chat(bot, "fac-1", "Fran").say("hello")
    assert "facilitators do" in await Chat(bot, "u-x", "Xan").last("remove facilitator #1")
