"""End to end over real HTTP: only listed tenants reach the bot, and facilitators are the people
FACILITATORS was pinned to in the home tenant, never someone with a copied email elsewhere.

- An activity from a tenant outside ALLOWED_TENANT_IDS (or with no tenant) gets 403, and
  nothing of it is stored: every table keeps its row count, nobody is greeted.
- A facilitator's email copied into another allowed tenant's directory grants nothing.
- A facilitator grants the role and removes it in chat; both land in the audit trail.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import inspect, text

from bot import ENGINE, STORE, run_jobs_once
from tests.e2e.harness import Harness, TeamsUser, card_text, fixture, running, settings_for

HOME = "00000000-0000-4000-8000-0000000000a1"  # the tenant of the authentic payloads
PARTNER_ORG = "11111111-2222-4333-8444-555555555555"
FOREIGN = "99999999-8888-4777-8666-555555555555"
TEMPLATES = (
    "teams_message_personal.json",
    "teams_conversation_update_bot_added_personal.json",
    "teams_installation_update_add.json",
    "teams_card_action_submit.json",
    "teams_invoke_adaptive_card_action.json",
    "teams_message_channel_mention.json",
)


def from_tenant(template: str, tenant: str | None, where: str = "both") -> dict[str, Any]:
    """An authentic Teams payload whose tenant is `tenant` (None: no tenant anywhere)."""
    activity = copy.deepcopy(fixture(template))
    channel_data = activity.setdefault("channelData", {})
    channel_data.pop("tenant", None)
    activity["conversation"].pop("tenantId", None)
    if tenant is not None and where in ("both", "channelData"):
        channel_data["tenant"] = {"id": tenant}
    if tenant is not None and where in ("both", "conversation"):
        activity["conversation"]["tenantId"] = tenant
    return activity


def in_tenant(activity: dict[str, Any], tenant: str) -> dict[str, Any]:
    activity.setdefault("channelData", {})["tenant"] = {"id": tenant}
    activity["conversation"]["tenantId"] = tenant
    return activity


async def row_counts(h: Harness) -> dict[str, int]:
    """Rows in every table of the bot's database, except the replicas' own heartbeat (on PostgreSQL the
    dispatcher registers itself in `dispatch_workers` when it starts, whatever arrives)."""
    async with h.app[ENGINE].connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        tables = [name for name in names if name != "dispatch_workers"]
        return {t: (await connection.execute(text(f'SELECT COUNT(*) FROM "{t}"'))).scalar_one() for t in tables}


async def say_from(person: TeamsUser, tenant: str, words: str) -> list[dict[str, Any]]:
    """`person` types `words` from a chat in `tenant`; returns the bot's replies."""
    activity = in_tenant(person._activity("teams_message_personal.json", text=words), tenant)
    status, _ = await person.harness.post(activity)
    assert status in (200, 201), f"the bot answered {status}"
    return person.new_messages()


@pytest.mark.parametrize("template", TEMPLATES)
async def test_an_activity_from_another_tenant_is_refused_and_nothing_is_stored(
    database_url: str, template: str
) -> None:
    async with running(settings_for(database_url, allowed_tenant_ids=(HOME,))) as h:
        before = await row_counts(h)
        assert {"participants", "processed_activities", "bot_state", "outbox", "audit_log"} <= before.keys()
        for activity in (from_tenant(template, FOREIGN), from_tenant(template, None)):
            status, body = await h.post(activity)
            assert status == 403 and "own organisation" in body["error"]
        assert await row_counts(h) == before
        assert h.connector.requests == []  # no greeting, no reply, no member lookup


@pytest.mark.parametrize("where", ["channelData", "conversation"])
async def test_the_tenant_is_read_from_channel_data_else_the_conversation(database_url: str, where: str) -> None:
    async with running(settings_for(database_url, allowed_tenant_ids=(HOME,))) as h:
        refused = from_tenant("teams_message_personal.json", FOREIGN, where)
        assert (await h.post(refused))[0] == 403
        accepted = from_tenant("teams_message_personal.json", HOME, where)
        accepted["serviceUrl"] = h.connector.url
        assert (await h.post(accepted))[0] in (200, 201)
        async with h.app[STORE].transaction() as uow:
            (person,) = await uow.participants.list_all()
        assert person.tenant_id == HOME


async def test_a_listed_tenant_is_served_and_without_a_list_any_tenant_is(database_url: str) -> None:
    help_card = '"data": {"command": "support"}'  # the help card's Support button
    async with running(settings_for(database_url, allowed_tenant_ids=(HOME, PARTNER_ORG))) as h:
        assert help_card in card_text((await say_from(h.person("Sam"), PARTNER_ORG, "help"))[-1])
    async with running(settings_for(database_url)) as h:  # development without a list
        assert help_card in card_text((await say_from(h.person("Ola"), FOREIGN, "help"))[-1])


async def test_a_facilitator_email_in_another_tenant_is_never_recognised(database_url: str) -> None:
    settings = settings_for(
        database_url, allowed_tenant_ids=(HOME, PARTNER_ORG), facilitators=frozenset({"fran@trust.nhs.uk"})
    )
    async with running(settings) as h:
        # Someone in the partner organisation's directory has been given Fran's email; they write first.
        copycat = h.person("Not Fran", email="Fran@Trust.nhs.uk")
        await say_from(copycat, PARTNER_ORG, "hello")
        assert "facilitators do" in card_text((await say_from(copycat, PARTNER_ORG, "participants"))[-1])

        fran = h.person("Fran", email="fran@trust.nhs.uk")
        assert "no cohorts yet" in card_text((await say_from(fran, HOME, "participants"))[-1])

        # Later someone else in the home tenant takes the email: the entry stays pinned to Fran.
        second = h.person("Second Fran", email="fran@trust.nhs.uk")
        await say_from(second, HOME, "hello")
        assert "facilitators do" in card_text((await say_from(second, HOME, "participants"))[-1])
        assert "facilitators do" in card_text((await say_from(copycat, PARTNER_ORG, "participants"))[-1])
        async with h.app[STORE].reading() as uow:
            (pin,) = await uow.facilitator_pins.pins({"fran@trust.nhs.uk"})
            pinned = await uow.participants.get(pin.participant_id)
        assert pinned is not None and (pinned.user_id, pin.tenant_id, pin.aad_object_id) == (
            fran.user_id,
            HOME,
            fran.aad_object_id,
        )


async def test_a_facilitator_grants_and_removes_the_role_and_both_are_audited(database_url: str) -> None:
    settings = settings_for(database_url, allowed_tenant_ids=(HOME,), facilitators=frozenset({"aad-fran"}))
    async with running(settings) as h:
        fran, sam = h.person("Fran"), h.person("Sam")
        await say_from(sam, HOME, "hello")
        await say_from(fran, HOME, "hello")
        async with h.app[STORE].reading() as uow:
            sam_id = (await uow.participants.find_by_user("msteams", sam.user_id)).id
            fran_id = (await uow.participants.find_by_user("msteams", fran.user_id)).id

        await say_from(fran, HOME, f"add facilitator #{sam_id}")
        assert "They're a facilitator now" in card_text((await say_from(fran, HOME, "yes"))[-1])
        await run_jobs_once(h.app)
        assert any("You're now a PLP Companion facilitator" in card_text(m) for m in sam.new_messages())
        assert "no cohorts yet" in card_text((await say_from(sam, HOME, "participants"))[-1])

        asked = card_text((await say_from(fran, HOME, f"remove facilitator #{sam_id}"))[-1])
        assert "Remove the facilitator role from **Sam**?" in asked
        assert "no longer a facilitator" in card_text((await say_from(fran, HOME, "yes"))[-1])
        await run_jobs_once(h.app)
        assert any("Your facilitator role has ended" in card_text(m) for m in sam.new_messages())
        assert "facilitators do" in card_text((await say_from(sam, HOME, "participants"))[-1])

        # Fran is now the only facilitator: she is kept, kindly.
        assert "last facilitator" in card_text((await say_from(fran, HOME, "remove facilitator"))[-1])

        async with h.app[STORE].reading() as uow:
            trail = [(e.actor_id, e.action, e.subject_id) for e in reversed(await uow.audit.recent(10))]
        assert trail == [
            (None, "grant_facilitator", fran_id),  # FACILITATORS pinned on her first message
            (fran_id, "grant_facilitator", sam_id),
            (fran_id, "remove_facilitator", sam_id),
        ]
        shown = card_text((await say_from(fran, HOME, "audit"))[-1])
        assert f"participant #{fran_id} removed the facilitator role from participant #{sam_id}" in shown
        assert "Sam" not in shown and "Fran" not in shown
