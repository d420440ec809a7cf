"""Guide replies: prompt cards (private note, sensitive actions, identical for both
partners), the support card, the overview and the browsing replies."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

import pytest

from domain.core.reply import Reply
from domain.guide.browse import (
    earlier_reply,
    guide_overview_reply,
    phase_reply,
    phases_reply,
    resources_reply,
    saved_reply,
)
from domain.guide.content import load_guide
from domain.guide.model import Guide, GuidePlace, Prompt, PromptSaved, PromptSkipped, Resource, TriggeredPrompt
from domain.guide.wording import prompt_reply, prompt_saved, prompt_skipped, support_reply
from tests.reading import listed_rows

GUIDE = load_guide()
OPEN_GUIDE = ("Open the guide", {"command": "guide"})


def _prompt(prompt_id: str) -> Prompt | TriggeredPrompt:
    found = GUIDE.prompt(prompt_id)
    assert found is not None
    return found


def _actions(reply: Reply) -> list[tuple[str, dict[str, object]]]:
    return [(action.title, action.data) for action in reply.actions]


def _all_facts(reply: Reply) -> int:
    return len(reply.facts) + sum(len(section.facts) for section in reply.sections)


def _before(week: int) -> list[str]:
    return [prompt.id for prompt in GUIDE.prompts if prompt.week < week]


@pytest.mark.parametrize(
    ("prompt_id", "title"),
    [
        ("P1-1", "Something to talk about"),
        ("P0-1", "A moment to reflect"),
        ("P1-3", "Something to try together"),
        ("P6-1", "Something to try"),  # a private activity is not done together
        ("P1-7", "A quick guide prompt"),
        ("T-1", "A quick guide prompt"),
    ],
)
def test_prompt_title_by_type(prompt_id: str, title: str) -> None:
    assert prompt_reply(_prompt(prompt_id), GUIDE).title == title


def test_together_prompt() -> None:
    reply = prompt_reply(_prompt("P1-1"), GUIDE)
    assert reply.text == _prompt("P1-1").text
    assert [(f.title, f.value) for f in reply.facts] == [("Phase", "Getting to know each other")]
    assert _actions(reply) == [OPEN_GUIDE, ("Propose a meeting", {"command": "meet"})]


def test_private_prompt_says_only_you_see_it() -> None:
    reply = prompt_reply(_prompt("P0-1"), GUIDE)
    assert reply.text.startswith(_prompt("P0-1").text)
    assert "Only you see this" in reply.text and "same prompt, privately" in reply.text
    assert "Only you see this" not in prompt_reply(_prompt("P1-1"), GUIDE).text


def test_sensitive_prompt_offers_skip_save_and_support() -> None:
    reply = prompt_reply(_prompt("P3-1"), GUIDE)
    assert GUIDE.support.sensitive_prompt_note in reply.text
    assert _actions(reply) == [
        ("Skip", {"command": "guide skip P3-1"}),
        ("Save for later", {"command": "guide save P3-1"}),
        ("Support", {"command": "support"}),
        OPEN_GUIDE,
        ("Propose a meeting", {"command": "meet"}),
    ]
    assert GUIDE.support.sensitive_prompt_note not in prompt_reply(_prompt("P3-4"), GUIDE).text


def test_sensitive_private_triggered_prompt() -> None:
    reply = prompt_reply(_prompt("T-2"), GUIDE)
    assert "Only you see this" in reply.text and GUIDE.support.sensitive_prompt_note in reply.text
    assert reply.facts == ()  # triggered prompts belong to no phase
    assert ("Skip", {"command": "guide skip T-2"}) in _actions(reply)


@pytest.mark.parametrize("prompt", GUIDE.prompts + GUIDE.triggered, ids=lambda p: p.id)
def test_every_prompt_is_the_same_for_both_partners(prompt: Prompt | TriggeredPrompt) -> None:
    first, second = prompt_reply(prompt, GUIDE), prompt_reply(prompt, GUIDE)
    stored = json.dumps(first.to_dict(), sort_keys=True)
    assert stored == json.dumps(second.to_dict(), sort_keys=True)
    assert Reply.from_dict(json.loads(stored)) == first  # survives the outbox unchanged
    assert "mentor" not in stored.lower() and "mentee" not in stored.lower()
    assert len(first.actions) <= 5


def _rows(text: str) -> dict[str, str]:
    return dict(listed_rows(text))


def _contact_rows(reply: Reply) -> dict[str, str]:
    return {label: value for section in reply.sections for label, value in _rows(section.text).items()}


MORE_OPTIONS = ("More options", {"command": "support all"})


def test_support_card_is_short_with_more_options_one_tap_away() -> None:
    reply = support_reply(GUIDE)
    text = json.dumps(reply.to_dict())
    assert reply.title == "Support"
    assert reply.text.startswith(GUIDE.support.not_a_reporting_channel)
    assert GUIDE.support.choices_intro in reply.text
    assert GUIDE.support.acknowledgement not in text  # on demand: nothing was disclosed
    assert "999" in text and "Samaritans" in text and "116 123" in text  # crisis options are always there
    assert [s.heading for s in reply.sections] == ["At your trust", "If someone is at risk now"]
    assert reply.sections[1].text.startswith(GUIDE.support.crisis_intro)
    assert not {c.title for c in GUIDE.support.national} & set(_contact_rows(reply))  # the national ones wait
    assert _actions(reply) == [MORE_OPTIONS, OPEN_GUIDE]
    assert (reply.inputs, reply.choices, reply.facts) == ((), (), ())  # offers choices, never asks questions


def test_more_options_lists_every_option() -> None:
    every = [c.id for c in GUIDE.support.trust_contacts]
    reply = support_reply(_filled(GUIDE, *every), everything=True)
    assert reply.title == "Every support option" and reply.text.startswith(GUIDE.support.not_a_reporting_channel)
    assert [s.heading for s in reply.sections] == [
        "At your trust",
        "Across the NHS and nationally",
        "If someone is at risk now",
    ]
    shown = set(_contact_rows(reply))
    support = GUIDE.support
    assert shown == {c.title for c in (*support.trust_contacts, *support.national, *support.crisis)}
    assert _actions(reply) == [OPEN_GUIDE]


def _filled(guide: Guide, *ids: str) -> Guide:
    """The guide with these trust contacts confirmed, as a trust fills in support.yaml."""
    trust = tuple(
        replace(c, name=f"{c.title} team", contact=f"Intranet page: {c.id}") if c.id in ids else c
        for c in guide.support.trust_contacts
    )
    return replace(guide, support=replace(guide.support, trust_contacts=trust))


def test_support_card_appends_name_and_url() -> None:
    rows = _contact_rows(support_reply(_filled(GUIDE, "speak-up-guardian"), everything=True))
    assert rows["Samaritans"] == "Call Samaritans on 116 123 · https://www.samaritans.org"
    assert rows["Emergency services"] == "Call 999"
    assert (
        rows["Freedom to Speak Up Guardian"] == "Intranet page: speak-up-guardian · Freedom to Speak Up Guardian team"
    )


@pytest.mark.parametrize(("everything", "named"), [(False, 3), (True, 5)])
def test_support_card_never_shows_a_placeholder(everything: bool, named: int) -> None:
    reply = support_reply(GUIDE, everything)  # support.yaml as shipped: all five trust contacts still to confirm
    text = json.dumps(reply.to_dict(), ensure_ascii=False)
    assert "CONFIRM LOCALLY" not in text and len(GUIDE.support.unconfirmed()) == 5
    trust = reply.sections[0]
    assert trust.heading == "At your trust" and _rows(trust.text) == {}
    assert trust.text.startswith("Your trust's intranet or the programme team can tell you how to reach:")
    assert [line[2:] for line in trust.text.splitlines() if line.startswith("- ")] == [
        c.title for c in GUIDE.support.trust_contacts[:named]
    ]


def test_the_short_card_names_the_first_three_trust_contacts_in_support_yaml() -> None:
    guide = _filled(GUIDE, "speak-up-guardian", "union-rep", "occupational-health")
    trust = support_reply(guide).sections[0]
    assert list(_rows(trust.text)) == ["Freedom to Speak Up Guardian", "Trade union representative"]
    assert trust.text.endswith("how to reach:\n\n- Race equality staff network")  # the third, still to confirm
    assert "Occupational health" not in trust.text  # fifth in support.yaml: under More options
    assert "Occupational health and employee assistance" in _contact_rows(support_reply(guide, everything=True))


def test_support_card_shows_confirmed_trust_contacts_and_names_the_rest() -> None:
    reply = support_reply(_filled(GUIDE, "speak-up-guardian", "union-rep"), everything=True)
    trust = reply.sections[0]
    assert list(_rows(trust.text)) == ["Freedom to Speak Up Guardian", "Trade union representative"]
    pointer = trust.text.partition("how to reach:")[2]
    assert "Race equality staff network" in pointer and "Freedom to Speak Up Guardian" not in pointer


def test_support_card_with_every_contact_confirmed_has_no_pointer() -> None:
    every = [c.id for c in GUIDE.support.trust_contacts]
    short, full = (support_reply(_filled(GUIDE, *every), everything).sections[0] for everything in (False, True))
    assert "how to reach" not in short.text + full.text
    assert (len(_rows(short.text)), len(_rows(full.text))) == (3, len(every))


def test_a_national_option_or_title_still_holding_a_placeholder_is_hidden() -> None:
    support = GUIDE.support
    national = (replace(support.national[0], contact="Call [number]"), *support.national[1:])
    trust = (replace(support.trust_contacts[0], title="CONFIRM LOCALLY: a contact"), *support.trust_contacts[1:])
    guide = replace(GUIDE, support=replace(support, national=national, trust_contacts=trust))
    reply = support_reply(guide, everything=True)
    text = json.dumps(reply.to_dict(), ensure_ascii=False)
    assert support.national[0].title not in text and "[number]" not in text and "CONFIRM" not in text
    assert support.national[1].title in text


def test_overview_mid_journey() -> None:
    reply = guide_overview_reply(GUIDE, GuidePlace(10, 12, tuple(_before(10)), ()))
    facts = {f.title: f.value for f in reply.facts}
    assert reply.title == "Your Guide for Learning Partners"
    assert reply.text.startswith("**Honest conversations**") and GUIDE.phase("P3").intro in reply.text
    assert facts == {"Where you are": "Week 10 of 52", "Prompts so far": str(len(_before(10)))}
    assert [(s.heading, s.text) for s in reply.sections] == [("Coming up: week 10", _prompt("P2-5").text)]
    assert [a.title for a in reply.actions] == ["Earlier prompts", "Browse phases", "Resources", "Support"]


def test_on_launch_day_a_preparation_prompt_is_not_shown_as_coming_up() -> None:
    before = guide_overview_reply(GUIDE, GuidePlace(-1, 12, (), ()))
    assert [s.heading for s in before.sections] == ["Coming up: 1 week before launch"]
    launch_day = guide_overview_reply(GUIDE, GuidePlace(0, 12, (), ()))  # P0-1 (week -1) never arrived
    assert [(s.heading, s.text) for s in launch_day.sections] == [("Coming up: launch week", _prompt("P0-2").text)]
    assert {f.title: f.value for f in launch_day.facts}["Where you are"] == "Week 0 of 52"


def test_overview_next_prompt_is_ahead_when_this_week_is_done() -> None:
    reply = guide_overview_reply(GUIDE, GuidePlace(11, 15, tuple(_before(12)), ("P3-1",)))
    assert [(s.heading, s.text) for s in reply.sections] == [("Coming up: week 12", _prompt("P3-3").text)]
    assert {f.title: f.value for f in reply.facts}["Where you are"] == "Week 11 of 65"
    assert ("Saved for later", {"command": "guide saved"}) in _actions(reply)
    assert len(reply.actions) == 5


@pytest.mark.parametrize(
    ("week", "phase", "where"),
    [
        (-5, "Preparing", "Launch in 5 weeks"),
        (-1, "Preparing", "Launch in 1 week"),
        (0, "Preparing", "Week 0 of 52"),
        (5, "Agreeing mutual aims", "Week 5 of 52"),  # overlapping phases: the later one
    ],
)
def test_overview_early_weeks(week: int, phase: str, where: str) -> None:
    reply = guide_overview_reply(GUIDE, GuidePlace(week, 12, (), ()))
    assert reply.text.startswith(f"**{phase}**")
    assert {f.title: f.value for f in reply.facts}["Where you are"] == where


def test_overview_after_the_journey() -> None:
    reply = guide_overview_reply(GUIDE, GuidePlace(70, 15, tuple(p.id for p in GUIDE.prompts), ()))
    assert reply.text == "You've reached the end of the guide's journey."
    assert reply.sections == ()


def test_earlier_prompts_newest_first_at_most_ten() -> None:
    delivered = _before(12)  # 19 prompts, in delivery order
    reply = earlier_reply(GUIDE, delivered)
    assert [(f.title, f.value) for f in reply.facts[:3]] == [
        ("Week 11", _prompt("P3-2").text),
        ("Week 10", _prompt("P3-1").text),
        ("Week 10", _prompt("P2-5").text),
    ]
    assert len(reply.facts) == 10 and "10 most recent" in reply.text


def test_earlier_prompts_labels_preparation_weeks_and_skips_unknown_ids() -> None:
    reply = earlier_reply(GUIDE, ["P0-1", "P0-2", "retired-prompt"])
    assert [f.title for f in reply.facts] == ["Launch week", "1 week before launch"]
    assert "most recent" not in reply.text


def test_earlier_prompts_when_none_yet() -> None:
    reply = earlier_reply(GUIDE, [])
    assert reply.facts == () and "Nothing yet" in reply.text


def test_phases_list() -> None:
    reply = phases_reply(GUIDE)
    rows = _rows(reply.text)
    assert list(rows) == [f"{p.id}: {p.name}" for p in GUIDE.phases] and reply.facts == ()
    assert rows["P0: Preparing"] == "From 2 weeks before launch to launch week"
    assert rows["P3: Honest conversations"] == "Weeks 10 to 26"
    assert "guide phase P3" in reply.text


@pytest.mark.parametrize("typed", ["P3", "p3", " P3 "])
def test_phase_detail(typed: str) -> None:
    reply = phase_reply(GUIDE, typed)
    assert reply.title == "Honest conversations"
    assert GUIDE.phase("P3").intro in reply.text
    assert [f.value for f in reply.facts] == [p.text for p in GUIDE.prompts_in("P3")]
    assert ("Resources", {"command": "guide resources P3"}) in _actions(reply)


def test_unknown_phase_lists_the_real_ones() -> None:
    reply = phase_reply(GUIDE, "P9")
    assert "couldn't find" in reply.text and "P0, P1, P2, P3, P4, P5, P6, P7" in reply.text


def test_all_resources_with_their_links() -> None:
    reply = resources_reply(GUIDE, None)
    assert [s.heading for s in reply.sections] == [r.title for r in GUIDE.resources]
    assert [(a.kind, a.url) for a in reply.actions] == [("open_url", r.url) for r in GUIDE.resources if r.url]


def test_resources_link_at_most_five() -> None:
    many = tuple(Resource(f"r{n}", f"Resource {n}", "Summary", ("P1",), f"https://example.org/{n}") for n in range(7))
    reply = resources_reply(replace(GUIDE, resources=many), "P1")
    assert len(reply.sections) == 7
    assert [a.url for a in reply.actions] == [f"https://example.org/{n}" for n in range(5)]


def test_resources_for_one_phase() -> None:
    reply = resources_reply(GUIDE, "p4")
    assert reply.title == "Resources: Seeing each other's worlds"
    assert [s.heading for s in reply.sections] == [r.title for r in GUIDE.resources_for("P4")]
    assert _actions(reply) == [OPEN_GUIDE]  # nothing to open in a browser for this phase
    assert "couldn't find" in resources_reply(GUIDE, "P42").text


def test_saved_prompts() -> None:
    reply = saved_reply(GUIDE, ["P3-7", "T-2", "retired-prompt"])
    assert [(f.title, f.value) for f in reply.facts] == [
        ("Week 18", _prompt("P3-7").text),
        ("Extra prompt", _prompt("T-2").text),
    ]
    assert "Nothing saved" in saved_reply(GUIDE, []).text


def test_saving_and_skipping_point_to_what_comes_next() -> None:
    assert "couldn't find that prompt" in prompt_saved(PromptSaved("P99-9", found=False)).text
    saved = prompt_saved(PromptSaved("P3-2", found=True))
    assert saved.text.startswith("Saved for later.")
    assert _actions(saved) == [("Saved for later", {"command": "guide saved"})]
    skipped = prompt_skipped(PromptSkipped("P3-2"))
    assert skipped.text.startswith("No problem") and _actions(skipped) == [("Support", {"command": "support"})]


BUILDERS: list[tuple[str, Callable[[Guide], Reply]]] = [
    ("support", support_reply),
    ("every support option", lambda g: support_reply(g, everything=True)),
    ("overview", lambda g: guide_overview_reply(g, GuidePlace(30, 15, *[tuple(p.id for p in g.prompts)] * 2))),
    ("earlier", lambda g: earlier_reply(g, [p.id for p in g.prompts])),
    ("phases", phases_reply),
    ("phase", lambda g: phase_reply(g, "P3")),
    ("resources", lambda g: resources_reply(g, None)),
    ("saved", lambda g: saved_reply(g, [p.id for p in g.prompts + g.triggered])),
]


@pytest.mark.parametrize("build", [b for _, b in BUILDERS], ids=[name for name, _ in BUILDERS])
def test_every_reply_stays_small_and_neutral(build: Callable[[Guide], Reply]) -> None:
    reply = build(GUIDE)
    stored = json.dumps(reply.to_dict()).lower()
    assert _all_facts(reply) <= 20 and len(reply.actions) <= 5
    assert "mentor" not in stored and "mentee" not in stored
    assert Reply.from_dict(reply.to_dict()) == reply
