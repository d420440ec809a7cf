"""Build and check the journey in guide.yaml: phases, check-in weeks and prompts."""

from __future__ import annotations

from dataclasses import dataclass

from domain.core.content_yaml import Entry, Problems
from domain.guide.fields import Ids, Item, listed_entries
from domain.guide.model import Phase, Prompt, PromptMode, PromptType, Sensitivity, Trigger, TriggeredPrompt

GUIDE_FILE = "guide.yaml"
FIRST_WEEK = -2  # preparation starts two weeks before the launch session (week 0)
LAST_WEEK = 65  # 52-week core journey, extendable to 15 months
MIN_SCHEDULED_PROMPTS = 40

_TOP = ("phases", "checkins", "evaluation_survey", "prompts", "triggered")
_PHASE = ("id", "name", "weeks", "intro")
_PROMPT = ("id", "phase", "week", "type", "mode", "sens", "text")
_TRIGGERED = ("id", "when", "type", "mode", "sens", "text", "weeks")


@dataclass(frozen=True)
class Journey:
    """What guide.yaml holds, once every field has been checked."""

    phases: tuple[Phase, ...]
    checkins: tuple[int, ...]
    evaluation_survey: int | None
    prompts: tuple[Prompt, ...]
    triggered: tuple[TriggeredPrompt, ...]
    phase_ids: tuple[str, ...]  # every id declared, even on a phase with other problems


def build_journey(root: Entry, problems: Problems) -> Journey:
    """Check guide.yaml field by field; bad items are left out and recorded as problems."""
    top = Item(root, "", GUIDE_FILE, problems)
    top.allow(_TOP)
    before = len(problems)
    items = listed_entries(top, "phases", "phase")
    phases = tuple(p for p in (_phase(item) for item in items) if p)
    _unique_phase_ids(top, phases)
    declared = tuple(dict.fromkeys(i.declared_id for i in items if i.declared_id))
    weeks = _WeekCheck(phases, declared, complete=len(problems) == before)
    checkins = top.integers("checkins") or ()
    for week in checkins:
        weeks.inside_any(top, "checkins", week)
    survey = top.integer("evaluation_survey")
    if survey is not None:
        weeks.inside_any(top, "evaluation_survey", survey)
    ids = Ids()
    scheduled = listed_entries(top, "prompts", "prompt")
    prompts = tuple(p for p in (_prompt(item, ids, weeks) for item in scheduled) if p)
    if scheduled and len(scheduled) < MIN_SCHEDULED_PROMPTS:
        top.problem(
            "prompts",
            f"{len(scheduled)} scheduled prompts; at least {MIN_SCHEDULED_PROMPTS} are needed for a year-long journey",
        )
    fired = listed_entries(top, "triggered", "triggered prompt")
    triggered = tuple(t for t in (_triggered(item, ids, weeks) for item in fired) if t)
    return Journey(phases, tuple(checkins), survey, prompts, triggered, declared)


def _phase(item: Item) -> Phase | None:
    """One phase: id, name, inclusive [start, end] weeks inside the journey, and an intro."""
    item.allow(_PHASE)
    ident, name, intro = item.ident(), item.text("name"), item.text("intro")
    weeks = item.integers("weeks")
    if weeks is not None and len(weeks) != 2:
        item.problem("weeks", f"must be [start, end], got {list(weeks)}")
        return None
    if weeks is not None and weeks[0] > weeks[1]:
        item.problem("weeks", f"start {weeks[0]} is after end {weeks[1]}")
        return None
    if weeks is not None and (weeks[0] < FIRST_WEEK or weeks[1] > LAST_WEEK):
        item.problem("weeks", f"{list(weeks)} reaches outside the journey (weeks {FIRST_WEEK} to {LAST_WEEK})")
        return None
    if ident is None or name is None or intro is None or weeks is None:
        return None
    return Phase(ident, name, weeks[0], weeks[1], intro)


def _unique_phase_ids(top: Item, phases: tuple[Phase, ...]) -> None:
    """Phase ids are what prompts and resources point at, so each must be unique."""
    seen: set[str] = set()
    for phase in phases:
        if phase.id in seen:
            top.problem("phases", f"duplicate phase id '{phase.id}'")
        seen.add(phase.id)


class _WeekCheck:
    """Checks weeks and phase ids against the phases, without piling onto a broken phase."""

    def __init__(self, phases: tuple[Phase, ...], declared: tuple[str, ...], complete: bool) -> None:
        self._phases = phases
        self._declared = declared
        # With a phase missing or broken, "outside every phase" would bury the real problem.
        self._complete = complete

    def inside_any(self, item: Item, name: str, week: int) -> bool:
        """True when some phase contains `week` (or phases are broken); otherwise a problem."""
        if not self._complete or any(phase.contains(week) for phase in self._phases):
            return True
        item.problem(name, f"week {week} is outside every phase")
        return False

    def inside_phase(self, item: Item, phase_id: str, week: int | None) -> None:
        """A prompt's phase must be declared and, when usable, contain its week."""
        if self._declared and phase_id not in self._declared:
            known = ", ".join(self._declared)
            item.problem("phase", f"unknown phase '{phase_id}' (expected one of {known})")
            return
        phase = next((p for p in self._phases if p.id == phase_id), None)
        if phase is not None and week is not None and not phase.contains(week):
            item.problem("week", f"week {week} is outside its phase {phase.id} (weeks {phase.start} to {phase.end})")


def _prompt(item: Item, ids: Ids, weeks: _WeekCheck) -> Prompt | None:
    """One scheduled prompt; `mode` defaults to together and `sens` to normal."""
    item.allow(_PROMPT)
    ident, phase, week = item.ident(), item.text("phase"), item.integer("week")
    kind = item.choice("type", PromptType, "type")
    mode = item.choice("mode", PromptMode, "mode", PromptMode.TOGETHER)
    sens = item.choice("sens", Sensitivity, "sensitivity", Sensitivity.NORMAL)
    text = item.text("text")
    fresh = ident is not None and ids.claim(item, ident)
    in_some_phase = week is not None and weeks.inside_any(item, "week", week)
    if phase is not None:
        weeks.inside_phase(item, phase, week if in_some_phase else None)
    if not fresh or ident is None or phase is None or week is None or text is None:
        return None
    if kind is None or mode is None or sens is None:
        return None
    return Prompt(ident, phase, week, kind, mode, sens, text)


def _triggered(item: Item, ids: Ids, weeks: _WeekCheck) -> TriggeredPrompt | None:
    """One triggered prompt: fired by `when`, optionally only in the listed `weeks`."""
    item.allow(_TRIGGERED)
    ident, when = item.ident(), item.choice("when", Trigger, "condition")
    kind = item.choice("type", PromptType, "type")
    mode = item.choice("mode", PromptMode, "mode", PromptMode.TOGETHER)
    sens = item.choice("sens", Sensitivity, "sensitivity", Sensitivity.NORMAL)
    text = item.text("text")
    allowed = item.integers("weeks", required=False)
    fresh = ident is not None and ids.claim(item, ident)
    for week in allowed or ():
        weeks.inside_any(item, "weeks", week)
    if not fresh or ident is None or when is None or text is None:
        return None
    if kind is None or mode is None or sens is None or (item.has("weeks") and allowed is None):
        return None
    return TriggeredPrompt(ident, when, kind, mode, sens, text, allowed or ())
