"""Guide content as data: the shipped guide loads; each kind of bad edit is named by file, line, item, field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from domain.core.content import CONTENT_DIR, ContentError
from domain.guide.content import GuideError, load_guide
from domain.guide.model import PLACEHOLDER, PromptMode, PromptType, Sensitivity, Trigger, TriggeredPrompt

FILES = ("guide.yaml", "resources.yaml", "support.yaml")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A private copy of the shipped content files, for one test to break."""
    for name in FILES:
        shutil.copy(CONTENT_DIR / name, tmp_path / name)
    return tmp_path


def _edit(folder: Path, file: str, old: str, new: str) -> str:
    """Replace exactly one occurrence (so a content change cannot silently void a test)."""
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {file}"
    changed = text.replace(old, new)
    path.write_text(changed, encoding="utf-8")
    return changed


def _line(text: str, needle: str) -> int:
    """1-based line where `needle` (which may span lines, and must occur once) starts."""
    assert text.count(needle) == 1, f"{needle!r} must occur exactly once"
    return text[: text.index(needle)].count("\n") + 1


def _problems(folder: Path) -> tuple[str, ...]:
    with pytest.raises(GuideError) as caught:
        load_guide(folder)
    assert str(caught.value).count("\n") == len(caught.value.problems)  # a heading, then one per line
    return caught.value.problems


# (file, old, new, a snippet of the edited file starting on the line the problem must name,
#  how the problem reads after "file:line: ")
BAD_EDITS = [
    pytest.param(
        "guide.yaml",
        "week: 11\n    type: conversation_starter",
        "week: 11\n    type: chat",
        "type: chat",
        "prompt P3-2: field 'type': unknown type 'chat' "
        "(expected one of conversation_starter, reflection, activity, check_in)",
        id="unknown type",
    ),
    pytest.param(
        "guide.yaml",
        "week: 5\n    type: reflection\n    mode: private",
        "week: 5\n    type: reflection\n    mode: secret",
        "mode: secret",
        "prompt P1-6: field 'mode': unknown mode 'secret' (expected one of together, private)",
        id="unknown mode",
    ),
    pytest.param(
        "guide.yaml",
        'sens: high\n    text: "Some',
        'sens: medium\n    text: "Some',
        "sens: medium",
        "triggered prompt T-2: field 'sens': unknown sensitivity 'medium' (expected one of normal, high)",
        id="unknown sens",
    ),
    pytest.param(
        "guide.yaml",
        "when: aims_mismatch_reported",
        "when: aims_differ",
        "when: aims_differ",
        "triggered prompt T-3: field 'when': unknown condition 'aims_differ' (expected one of "
        "no_meeting_logged_8_weeks, user_flags_hard_conversation, aims_mismatch_reported, "
        "partner_leaving_or_role_change, before_group_checkin)",
        id="unknown when",
    ),
    pytest.param(
        "guide.yaml",
        'mode: private\n    text: "NHS weeks',
        'mode:\n    text: "NHS weeks',
        'mode:\n    text: "NHS weeks',
        "triggered prompt T-1: field 'mode': is empty (leave the field out to use the default 'together')",
        id="empty optional mode",
    ),
    pytest.param(
        "guide.yaml",
        '\n    text: "Agree two or three shared aims, one sentence each, and how you\'d notice progress."',
        "",
        "id: P2-3",
        "prompt P2-3: field 'text': missing",
        id="missing text",
    ),
    pytest.param(
        "guide.yaml",
        'text: "What has your partner taught you that no course could?"',
        'text: ""',
        'text: ""',
        "prompt P6-3: field 'text': is empty",
        id="empty text",
    ),
    pytest.param(
        "guide.yaml",
        "What has your partner taught you",
        "What has your Mentor taught you",
        'text: "What has',
        "prompt P6-3: field 'text': uses 'Mentor'; partners are equals, say 'partner' instead",
        id="hierarchy word",
    ),
    pytest.param(
        "guide.yaml",
        'week: 1\n    type: conversation_starter\n    text: "How did',
        'week: one\n    type: conversation_starter\n    text: "How did',
        "week: one",
        "prompt P1-1: field 'week': must be a whole number, got 'one'",
        id="week not a number",
    ),
    pytest.param(
        "guide.yaml",
        "week: 0\n",
        "week: yes\n",
        "week: yes",
        "prompt P0-2: field 'week': must be a whole number, got True",
        id="week yes",
    ),
    pytest.param(
        "guide.yaml",
        "week: 65\n",
        "week: 70\n",
        "week: 70",
        "prompt P7-6: field 'week': week 70 is outside every phase",
        id="week outside every phase",
    ),
    pytest.param(
        "guide.yaml",
        "week: 32\n",
        "week: 40\n",
        "week: 40\n    type: conversation_starter",
        "prompt P4-5: field 'week': week 40 is outside its phase P4 (weeks 16 to 36)",
        id="week outside its phase",
    ),
    pytest.param(
        "guide.yaml",
        "id: P5-3\n    phase: P5",
        "id: P5-3\n    phase: P9",
        "phase: P9",
        "prompt P5-3: field 'phase': unknown phase 'P9' (expected one of P0, P1, P2, P3, P4, P5, P6, P7)",
        id="prompt in unknown phase",
    ),
    pytest.param(
        "guide.yaml",
        "weeks: [16, 36]",
        "weeks: [36, 16]",
        "weeks: [36, 16]",
        "phase P4: field 'weeks': start 36 is after end 16",
        id="phase start after end",
    ),
    pytest.param(
        "guide.yaml",
        "weeks: [-2, 0]",
        "weeks: [-5, 0]",
        "weeks: [-5, 0]",
        "phase P0: field 'weeks': [-5, 0] reaches outside the journey (weeks -2 to 65)",
        id="phase outside journey",
    ),
    pytest.param(
        "guide.yaml",
        "weeks: [43, 48]",
        "weeks: [43]",
        "weeks: [43]",
        "phase P6: field 'weeks': must be [start, end], got [43]",
        id="phase with one week",
    ),
    pytest.param(
        "guide.yaml",
        "name: Looking back",
        "name:",
        "name:\n    weeks: [43, 48]",
        "phase P6: field 'name': is empty",
        id="empty phase name",
    ),
    pytest.param(
        "guide.yaml",
        "checkins: [13, 26, 39, 52, 65]",
        "checkins: [13, 26, 39, 52, 66]",
        "checkins:",
        "field 'checkins': week 66 is outside every phase",
        id="check-in outside",
    ),
    pytest.param(
        "guide.yaml",
        "evaluation_survey: 43",
        "evaluation_survey: ten months",
        "evaluation_survey:",
        "field 'evaluation_survey': must be a whole number, got 'ten months'",
        id="survey week",
    ),
    pytest.param(
        "guide.yaml",
        "weeks: [12, 25, 38, 51]",
        "weeks: [12, 25, 38, 99]",
        "weeks: [12, 25, 38, 99]",
        "triggered prompt T-5: field 'weeks': week 99 is outside every phase",
        id="triggered week outside",
    ),
    pytest.param(
        "guide.yaml",
        'sens: high\n    text: "When did you first',
        'snes: high\n    text: "When did you first',
        "snes: high",
        "prompt P3-2: field 'snes': unknown field (expected one of id, phase, week, type, mode, sens, text)",
        id="misspelt field",
    ),
    pytest.param(
        "guide.yaml",
        "id: P0-2",
        "id: P0 2",
        "id: P0 2",
        "prompt P0 2: field 'id': 'P0 2' may use only letters, digits, '-' and '_'",
        id="bad id",
    ),
    pytest.param(
        "guide.yaml",
        "id: P1-2\n    phase: P1\n    week: 1\n",
        "id: P1-2\n    phase: P1\n    week: 1\n    week: 2\n",
        'week: 2\n    type: conversation_starter\n    text: "What is one thing',
        "field 'week': appears twice (first on line ",
        id="field twice",
    ),
    pytest.param(
        "resources.yaml",
        "phases: [P4]",
        "phases: [P4, P9]",
        "phases: [P4, P9]",
        "resource insight-visit-checklist: field 'phases': unknown phase 'P9' "
        "(expected one of P0, P1, P2, P3, P4, P5, P6, P7)",
        id="resource in unknown phase",
    ),
    pytest.param(
        "resources.yaml",
        'url: "https://www.nhsstaffsurveys.com"',
        'url: "http://www.nhsstaffsurveys.com"',
        'url: "http:',
        "resource staff-survey: field 'url': 'http://www.nhsstaffsurveys.com' "
        "must be a full https:// address without spaces",
        id="http url",
    ),
    pytest.param(
        "resources.yaml",
        "id: ending-well",
        "id: mutual-aims",
        "id: mutual-aims\n    title: Closing",
        "resource mutual-aims: field 'id': duplicate id 'mutual-aims' (first used on line ",
        id="duplicate resource id",
    ),
    pytest.param(
        "resources.yaml",
        "phases: [P4]",
        "phases: []",
        "phases: []",
        "resource insight-visit-checklist: field 'phases': must be a list of ids such as [P1, P2], got []",
        id="resource without phases",
    ),
    pytest.param(
        "support.yaml",
        '\n    contact: "Text SHOUT to 85258"',
        "",
        "id: shout",
        "contact shout: field 'contact': missing",
        id="contact missing",
    ),
    pytest.param(
        "support.yaml",
        'name: "CONFIRM LOCALLY: the Guardian\'s name or team"',
        "name:",
        'name:\n    contact: "CONFIRM LOCALLY: how to reach them (intranet',
        "contact speak-up-guardian: field 'name': is empty",
        id="trust contact without name",
    ),
    pytest.param(
        "support.yaml",
        '  acknowledgement: "Thank you for telling me. You don\'t need to say any more than you want to."\n',
        "",
        "not_a_reporting_channel:",
        "wording: field 'acknowledgement': missing",
        id="wording missing",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "at", "expected"), BAD_EDITS)
def test_one_bad_edit_gives_one_problem_naming_file_line_item_and_field(
    content: Path, file: str, old: str, new: str, at: str, expected: str
) -> None:
    line = _line(_edit(content, file, old, new), at)
    problems = _problems(content)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{file}:{line}: {expected}")


def test_the_shipped_guide_loads_with_the_whole_journey() -> None:
    guide = load_guide()
    assert len(guide.prompts) == 45 and len(guide.prompts) >= 40
    assert len(guide.triggered) == 5
    assert [phase.id for phase in guide.phases] == [f"P{n}" for n in range(8)]
    assert (guide.phases[0].start, guide.phases[-1].end) == (-2, 65)
    assert guide.checkins == (13, 26, 39, 52, 65) and guide.evaluation_survey == 43
    assert {prompt.when for prompt in guide.triggered} == set(Trigger)
    assert len(guide.resources) >= 5 and all(guide.resources_for(phase.id) for phase in guide.phases)
    assert all(guide.prompts_in(phase.id) for phase in guide.phases)


def test_the_shipped_guide_keeps_private_things_private_and_flags_sensitive_ones() -> None:
    guide = load_guide()
    check_ins = [prompt for prompt in guide.prompts if prompt.type is PromptType.CHECK_IN]
    assert check_ins and all(prompt.mode is PromptMode.PRIVATE for prompt in check_ins)
    sensitive = {prompt.id for prompt in guide.prompts if prompt.sens is Sensitivity.HIGH}
    assert sensitive == {"P3-1", "P3-2", "P3-3", "P3-7"}


def test_no_hierarchy_words_anywhere_in_the_content_folder() -> None:
    files = [path for path in CONTENT_DIR.rglob("*") if path.is_file()]
    assert {path.name for path in files} >= {*FILES, "README.md"}
    for path in files:
        text = path.read_text(encoding="utf-8").lower()
        assert "mentor" not in text and "mentee" not in text, path.name


def test_the_crisis_options_are_exactly_the_agreed_ones() -> None:
    crisis = load_guide().support.crisis
    contacts = [option.contact for option in crisis]
    assert contacts == [
        "Call 999",
        "Call NHS 111 and choose the mental health option (England)",
        "Call Samaritans on 116 123",
        "Text SHOUT to 85258",
    ]
    assert not any(option.needs_local_confirmation for option in crisis)


def test_trust_contacts_ship_as_placeholders_to_confirm_locally() -> None:
    support = load_guide().support
    titles = [contact.title for contact in support.trust_contacts]
    assert {
        "Freedom to Speak Up Guardian",
        "Race equality staff network",
        "HR or your line manager",
        "Occupational health and employee assistance",
    } <= set(titles)
    assert all(PLACEHOLDER in (c.name or "") and PLACEHOLDER in c.contact for c in support.trust_contacts)
    assert support.unconfirmed() == support.trust_contacts
    assert {"NHS Talking Therapies", "NHS Practitioner Health", "Acas"} <= {c.title for c in support.national}


def test_the_disclosure_wording_thanks_does_not_report_and_offers_choices() -> None:
    support = load_guide().support
    assert support.acknowledgement.lower().startswith("thank you for telling me")
    assert "not a reporting channel" in support.not_a_reporting_channel
    assert "choices, not instructions" in support.choices_intro
    assert "skip" in support.sensitive_prompt_note and "save it for later" in support.sensitive_prompt_note


@pytest.mark.parametrize(
    ("week", "phase"),
    [
        (-3, None),
        (-2, "P0"),
        (0, "P0"),
        (1, "P1"),
        (4, "P2"),
        (6, "P2"),
        (10, "P3"),
        (16, "P4"),
        (26, "P4"),
        (30, "P5"),
        (43, "P6"),
        (48, "P7"),
        (52, "P7"),
        (65, "P7"),
        (66, None),
    ],
)
def test_the_phase_for_a_week_is_the_latest_starting_one_containing_it(week: int, phase: str | None) -> None:
    found = load_guide().phase_for_week(week)
    assert (found.id if found else None) == phase


def test_lookups_by_phase_week_and_id() -> None:
    guide = load_guide()
    honest = guide.prompts_in("P3")
    assert [p.id for p in honest][:3] == ["P3-1", "P3-2", "P3-3"] and len(honest) == 11
    assert [p.week for p in honest] == sorted(p.week for p in honest)
    assert [p.id for p in guide.prompts_for_week(16)] == ["P3-6", "P4-1"]
    assert guide.prompts_in("P9") == () and guide.prompt("nope") is None
    found = guide.prompt("T-5")
    assert isinstance(found, TriggeredPrompt) and found.weeks == (12, 25, 38, 51)
    assert guide.triggered_for(Trigger.BEFORE_GROUP_CHECKIN) == (found,)
    assert "insight-visit-checklist" in [r.id for r in guide.resources_for("P4")]
    assert guide.phase("P4") is not None and guide.phase("P4").name == "Seeing each other's worlds"


def test_mode_and_sens_default_to_together_and_normal(content: Path) -> None:
    _edit(
        content, "guide.yaml", "week: 9\n    type: reflection\n    mode: private\n", "week: 9\n    type: reflection\n"
    )
    prompt = load_guide(content).prompt("P2-4")
    assert prompt is not None and (prompt.mode, prompt.sens) == (PromptMode.TOGETHER, Sensitivity.NORMAL)


def test_an_id_used_by_a_scheduled_and_a_triggered_prompt_names_both_lines(content: Path) -> None:
    changed = _edit(content, "guide.yaml", "id: T-4", "id: P1-2")
    first, second = _line(changed, "id: P1-2\n    phase"), _line(changed, "id: P1-2\n    when")
    assert _problems(content) == (
        f"guide.yaml:{second}: triggered prompt P1-2: field 'id': duplicate id 'P1-2' (first used on line {first})",
    )


def test_fewer_than_forty_scheduled_prompts_is_refused(content: Path) -> None:
    text = (content / "guide.yaml").read_text(encoding="utf-8")
    start, end = text.index("  # --- P7"), text.index("# Prompts fired by a condition")
    trimmed = text[:start] + text[end:]  # drops the six P7 prompts: 39 left
    (content / "guide.yaml").write_text(trimmed, encoding="utf-8")
    assert _problems(content) == (
        f"guide.yaml:{_line(trimmed, 'prompts:')}: field 'prompts': 39 scheduled prompts; "
        "at least 40 are needed for a year-long journey",
    )


def test_several_problems_are_reported_together_in_file_and_line_order(content: Path) -> None:
    support = _edit(content, "support.yaml", '\n    contact: "Text SHOUT to 85258"', "")
    resources = _edit(content, "resources.yaml", "phases: [P4]", "phases: [P4, P9]")
    _edit(content, "guide.yaml", "week: 11\n    type: conversation_starter", "week: 11\n    type: chat")
    guide = _edit(content, "guide.yaml", "weeks: [-2, 0]", "weeks: [0, -2]")
    with pytest.raises(ContentError) as caught:  # callers catch one type for all content
        load_guide(content)
    message = str(caught.value)
    assert message.splitlines()[0] == f"Guide content in {content} has 4 problems:"
    assert [line.split(": ")[0] for line in message.splitlines()[1:]] == [
        f"guide.yaml:{_line(guide, 'weeks: [0, -2]')}",
        f"guide.yaml:{_line(guide, 'type: chat')}",
        f"resources.yaml:{_line(resources, 'phases: [P4, P9]')}",
        f"support.yaml:{_line(support, 'id: shout')}",
    ]


def test_a_missing_file_is_named_and_the_others_are_still_checked(content: Path) -> None:
    (content / "support.yaml").unlink()
    changed = _edit(content, "guide.yaml", "week: 11\n    type: conversation_starter", "week: 11\n    type: chat")
    assert _problems(content) == (
        f"guide.yaml:{_line(changed, 'type: chat')}: prompt P3-2: field 'type': unknown type 'chat' "
        "(expected one of conversation_starter, reflection, activity, check_in)",
        f"support.yaml: file not found (looked in {content})",
    )


def test_a_file_saved_in_another_encoding_names_the_line(content: Path) -> None:
    text = (content / "resources.yaml").read_text(encoding="utf-8")
    line = _line(text, "title: Insight visit checklist")
    raw = text.replace("Insight visit checklist", "Insight visit\u2019s checklist").encode("cp1252")
    (content / "resources.yaml").write_bytes(raw)
    assert _problems(content) == (
        f"resources.yaml:{line}: not UTF-8 text (byte 0x92); save the file with UTF-8 encoding",
    )


def test_a_byte_order_mark_from_a_windows_editor_is_accepted(content: Path) -> None:
    path = content / "support.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_guide(content).support.crisis


@pytest.mark.parametrize(
    ("old", "new", "at"),
    [
        # YAML notices an unclosed list on the next line, so that is the line named.
        ("weeks: [4, 10]", "weeks: [4, 10", 'intro: "Partnerships without'),
        (
            'text: "What has your partner taught you that no course could?"',
            "text: What has your partner taught you: what could no course?",
            "text: What has",
        ),
        ('    type: activity\n    text: "Offer', '    type: activity\n   text: "Offer', '   text: "Offer'),
    ],
)
def test_text_that_is_not_yaml_names_the_line_it_breaks_on(content: Path, old: str, new: str, at: str) -> None:
    changed = _edit(content, "guide.yaml", old, new)
    problems = _problems(content)
    assert len(problems) == 1
    assert problems[0].startswith(f"guide.yaml:{_line(changed, at)}: invalid YAML: ")
    assert problems[0].endswith("(check indentation, quotes and colons)")


@pytest.mark.parametrize("text", ["", "# only a comment\n", "- a\n- b\n", "just words\n"])
def test_a_file_without_named_fields_at_the_top_is_refused(content: Path, text: str) -> None:
    (content / "resources.yaml").write_text(text, encoding="utf-8")
    problems = _problems(content)
    assert len(problems) == 1 and problems[0].startswith("resources.yaml:1: must hold named fields at the top")
