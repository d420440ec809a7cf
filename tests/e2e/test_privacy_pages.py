"""The running bot serves its privacy notice and terms of use, and the enrolment consent card in
Teams links the privacy notice at PLP_PUBLIC_URL + /privacy."""

from __future__ import annotations

from tests.channels.card_schema import assert_valid_card
from tests.e2e.harness import card_text, running, settings_for
from tests.e2e.test_enrol_and_pair import create_cohort

PUBLIC = "https://plp.example.nhs.uk"


async def test_the_bot_serves_both_pages_with_its_retention_setting(database_url: str) -> None:
    async with running(settings_for(database_url, retention_months=9)) as h:
        base = h.bot_url.rsplit("/api/", 1)[0]
        async with h.http.get(f"{base}/privacy") as response:
            privacy = await response.text()
            assert response.status == 200 and response.content_type == "text/html"
        async with h.http.get(f"{base}/terms") as response:
            terms = await response.text()
            assert response.status == 200
        async with h.http.post(f"{base}/privacy") as response:
            assert response.status == 405
    assert '<html lang="en">' in privacy and "<h1>PLP Companion: privacy notice</h1>" in privacy
    assert "deleted 9 months after your cohort ends" in privacy and 'href="terms"' in privacy
    assert "<h1>PLP Companion: terms of use</h1>" in terms and 'href="privacy"' in terms


async def test_the_consent_card_links_the_privacy_notice(database_url: str) -> None:
    settings = settings_for(database_url, public_url=PUBLIC, facilitators=frozenset({"fran@trust.nhs.uk"}))
    async with running(settings) as h:
        fran = h.person("Fran", email="fran@trust.nhs.uk")
        await fran.install()
        code = await create_cohort(fran)
        asha = h.person("Asha", email="asha@trust.nhs.uk")
        await asha.install()
        consent = (await asha.say(f"join {code}"))[-1]
    card = consent["attachments"][0]["content"]
    assert_valid_card(card)
    assert "privacy note" in card_text(consent)
    links = [a for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    assert [(a["title"], a["url"]) for a in links] == [("Read the full privacy notice", f"{PUBLIC}/privacy")]
    assert [a["title"] for a in card["actions"] if a["type"] == "Action.Submit"] == ["I agree", "No thanks"]
