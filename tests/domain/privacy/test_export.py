"""`my data`: everything held about the person, word for word, and nothing that is someone else's."""

from __future__ import annotations

import json

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.clock import FixedClock
from domain.core.links import MY_DATA, MyDataLinks, ShortLinks
from domain.core.signing import LinkSigner
from domain.privacy import service as privacy
from storage.store import SqlStore
from tests.domain.privacy.seed import ANONYMOUS, EMAIL, NAME, NOW, WRITTEN, seed


async def test_the_export_holds_everything_she_wrote_word_for_word(engine: AsyncEngine) -> None:
    ids = await seed(engine)
    exported = await privacy.my_data(SqlStore(engine), ids.zephyrine, NOW)
    assert exported is not None
    document = json.dumps(exported.to_dict(), ensure_ascii=False)
    for text in (NAME, EMAIL, *WRITTEN.values()):
        assert text in document, text
    you = exported.sections["You and your enrolment"]
    assert you["programme group"] == "Black and minority ethnic colleague"
    assert you["profile answers"] == [{"question": "What drives you?", "answer": WRITTEN["profile"]}]
    assert exported.sections["Your learning partnerships"]["partnerships"][0]["partner"] == "Sam Okafor"
    assert exported.sections["Check-ins and nudges"]["your check-in answers"][0]["answer"] == "fine"
    polls = exported.sections["Polls"]
    assert polls["your named answers"][0]["answers"][-1]["answer"] == WRITTEN["poll"]
    assert len(polls["anonymous polls you answered (your answers are not linked to you)"]) == 1
    queued = exported.sections["Messages to you"]["queued"]
    assert queued and all(m["message"] for m in queued)


async def test_the_export_leaves_out_what_is_someone_elses(engine: AsyncEngine) -> None:
    ids = await seed(engine)
    exported = await privacy.my_data(SqlStore(engine), ids.zephyrine, NOW)
    assert exported is not None
    document = json.dumps(exported.to_dict(), ensure_ascii=False)
    assert ANONYMOUS not in document  # not linked to her, so not hers to be shown
    assert "Sam hopes to learn" not in document and "Sam's own answer" not in document
    sam = await privacy.my_data(SqlStore(engine), ids.sam, NOW)
    assert sam is not None
    assert WRITTEN["note"] not in json.dumps(sam.to_dict())  # her private reflection never reaches him


async def test_the_link_is_signed_short_lived_and_audited(engine: AsyncEngine) -> None:
    ids = await seed(engine)
    store = SqlStore(engine)
    signer = LinkSigner.of(b"k" * 32)
    links = MyDataLinks(ShortLinks("https://plp.example.nhs.uk", signer, FixedClock(NOW)))
    link = await privacy.my_data_link(store, ids.zephyrine, links, NOW)
    token = link.url.removeprefix("https://plp.example.nhs.uk/my-data/")
    assert signer.open(MY_DATA, token, NOW) == str(ids.zephyrine)
    async with store.reading() as uow:
        entries = await uow.audit.about(ids.zephyrine)
    assert [(e.actor_id, e.action, e.subject_id) for e in entries] == [
        (ids.zephyrine, "export_own_data", ids.zephyrine)
    ]
