"""Browsing the Guide for Learning Partners on demand: where the person is, earlier and
saved prompts, the phases and the resources. Nothing here names anyone.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.core.reply import Action, Fact, Reply, Section, listed
from domain.core.timing import length_weeks
from domain.guide.journey import FIRST_WEEK
from domain.guide.model import Guide, GuidePlace, Phase, Prompt
from domain.guide.rules import next_prompt
from domain.guide.wording import BROWSE_PHASES, OPEN_GUIDE, SUPPORT

MAX_LISTED = 10  # earlier and saved prompts: enough to jog a memory, short enough to read


def guide_overview_reply(guide: Guide, place: GuidePlace) -> Reply:
    """Where the partnership is in the guide, what comes next, and ways to browse."""
    phase = guide.phase_for_week(max(place.week, FIRST_WEEK))
    coming = next_prompt(guide, place.week, place.length_months, frozenset(place.delivered))
    sections = (Section(f"Coming up: {_week_label(coming.week).lower()}", text=coming.text),) if coming else ()
    actions = [
        Action("Earlier prompts", data={"command": "guide earlier"}),
        BROWSE_PHASES,
        Action("Resources", data={"command": "guide resources"}),
    ]
    if place.saved:
        actions.append(Action("Saved for later", data={"command": "guide saved"}))
    return Reply(
        title="Your Guide for Learning Partners",
        text=f"**{phase.name}**\n\n{phase.intro}" if phase else "You've reached the end of the guide's journey.",
        facts=(
            Fact("Where you are", _progress(place.week, length_weeks(place.length_months))),
            Fact("Prompts so far", str(len(place.delivered))),
        ),
        sections=sections,
        actions=(*tuple(actions), SUPPORT),
    )


def _progress(week: int, last_week: int) -> str:
    """ "Week 12 of 52", or how far off the launch is during preparation."""
    if week < 0:
        return f"Launch in {-week} week{'s' if week != -1 else ''}"
    return f"Week {week} of {last_week}"


def earlier_reply(guide: Guide, delivered: Sequence[str]) -> Reply:
    """Prompts already delivered, newest first (at most ten)."""
    prompts = sorted(_scheduled(guide, delivered), key=lambda p: _order(guide, p), reverse=True)
    if not prompts:
        return Reply(
            title="Earlier prompts", text="Nothing yet. Your first prompt will arrive soon.", actions=(OPEN_GUIDE,)
        )
    more = f" Here are the {MAX_LISTED} most recent." if len(prompts) > MAX_LISTED else ""
    return Reply(
        title="Earlier prompts",
        text=f"Prompts you've had so far.{more}",
        facts=tuple(Fact(_week_label(p.week), p.text) for p in prompts[:MAX_LISTED]),
        actions=(BROWSE_PHASES, OPEN_GUIDE),
    )


def phases_reply(guide: Guide) -> Reply:
    """Every phase with its weeks, and how to open one."""
    example = guide.phases[min(3, len(guide.phases) - 1)].id
    return Reply(
        title="Phases of the guide",
        text=(
            f"The phases overlap, so take them at your own pace. Type **guide phase {example}** to open one.\n\n"
            + listed((f"{phase.id}: {phase.name}", _span(phase)) for phase in guide.phases)
        ),
        actions=(Action("Resources", data={"command": "guide resources"}), OPEN_GUIDE),
    )


def phase_reply(guide: Guide, phase_id: str) -> Reply:
    """One phase: its introduction and its prompts (a kind pointer when the id is unknown)."""
    phase = _find_phase(guide, phase_id)
    if phase is None:
        return _unknown_phase(guide)
    return Reply(
        title=phase.name,
        text=f"{_span(phase)}\n\n{phase.intro}",
        facts=tuple(Fact(_week_label(p.week), p.text) for p in guide.prompts_in(phase.id)),
        actions=(Action("Resources", data={"command": f"guide resources {phase.id}"}), BROWSE_PHASES, OPEN_GUIDE),
    )


def resources_reply(guide: Guide, phase_id: str | None) -> Reply:
    """Resources for one phase, or all of them, with links to open where there are any."""
    phase = _find_phase(guide, phase_id) if phase_id else None
    if phase_id and phase is None:
        return _unknown_phase(guide)
    resources = guide.resources_for(phase.id) if phase else guide.resources
    links = [Action(r.title, kind="open_url", url=r.url) for r in resources if r.url][:5]
    return Reply(
        title=f"Resources: {phase.name}" if phase else "Resources",
        text="Practical resources to use together or on your own, if they help.",
        sections=tuple(Section(r.title, text=r.summary) for r in resources),
        actions=tuple(links) if links else (OPEN_GUIDE,),
    )


def saved_reply(guide: Guide, saved: Sequence[str]) -> Reply:
    """Prompts saved for later, in the order they were saved (at most ten)."""
    prompts = [p for p in (guide.prompt(prompt_id) for prompt_id in saved) if p is not None]
    if not prompts:
        return Reply(
            title="Saved for later",
            text="Nothing saved yet. Some prompts offer **Save for later**.",
            actions=(OPEN_GUIDE,),
        )
    facts = tuple(
        Fact(_week_label(p.week) if isinstance(p, Prompt) else "Extra prompt", p.text) for p in prompts[:MAX_LISTED]
    )
    return Reply(
        title="Saved for later",
        text="Whenever you're ready. There's no rush.",
        facts=facts,
        actions=(OPEN_GUIDE, SUPPORT),
    )


def _scheduled(guide: Guide, ids: Sequence[str]) -> list[Prompt]:
    """The scheduled prompts among `ids` (ids no longer in the guide are left out)."""
    wanted = set(ids)
    return [prompt for prompt in guide.prompts if prompt.id in wanted]


def _order(guide: Guide, prompt: Prompt) -> tuple[int, int]:
    """Journey order: week first, then position in the guide."""
    return prompt.week, guide.prompts.index(prompt)


def _find_phase(guide: Guide, phase_id: str) -> Phase | None:
    """A phase by id, forgiving case and spaces ("p3" finds P3)."""
    wanted = phase_id.strip().upper()
    return next((phase for phase in guide.phases if phase.id.upper() == wanted), None)


def _unknown_phase(guide: Guide) -> Reply:
    """A kind pointer to the phase ids that exist."""
    ids = ", ".join(phase.id for phase in guide.phases)
    return Reply(
        title="Phases of the guide",
        text=f"I couldn't find that phase. The phases are {ids}: try **guide phase {guide.phases[0].id}**.",
        actions=(BROWSE_PHASES, OPEN_GUIDE),
    )


def _week_label(week: int) -> str:
    """ "Week 5", "Launch week" or "1 week before launch"."""
    if week > 0:
        return f"Week {week}"
    if week == 0:
        return "Launch week"
    return f"{-week} week{'s' if week != -1 else ''} before launch"


def _span(phase: Phase) -> str:
    """The weeks a phase covers, in words."""
    if phase.start > 0:
        return f"Weeks {phase.start} to {phase.end}"
    return f"From {_week_label(phase.start).lower()} to {_week_label(phase.end).lower()}"
