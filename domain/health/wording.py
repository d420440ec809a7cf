"""Nudge, check-in and alert cards for quiet pairs: warm, brief, optional, never blaming.

Partners get the same nudge, naming neither of them, so the junior partner never has to chase.
Partner cards never say how long it has been and never compare pairs. Private check-in answers
reach facilitators only in the contact alert, i.e. when the person asked to be contacted.
"""

from __future__ import annotations

from datetime import date

from domain.core.reply import Action, Fact, Reply, Section
from domain.health.rules import Health, HealthRow
from domain.language.when import MONTH_NAMES

CHECKIN_LABELS = {
    "fine": "All fine, just busy",
    "not_working": "It isn't working for me",
    "contact": "I'd like the programme team to contact me",
}
STATUS_LABELS = {
    Health.ACTIVE: "Active",
    Health.QUIET: "Quiet",
    Health.INACTIVE: "Inactive",
    Health.PAUSED: "Paused",
    Health.ENDED: "Ended",
}
# Pairs that may need support first, history last.
REPORT_ORDER = (Health.INACTIVE, Health.QUIET, Health.ACTIVE, Health.PAUSED, Health.ENDED)

PROPOSE = Action("Propose a time", data={"command": "meet"})
WE_MET = Action("We've met", data={"command": "we met"})
PAUSE = Action("Pause for a while", data={"command": "pause"})
ASK_CONTACT = Action(CHECKIN_LABELS["contact"], data={"command": "checkin contact"})

_THANKS = {
    "fine": (
        "Thanks for letting me know. Busy spells happen to everyone in the NHS. Whenever you're ready, "
        "a short catch-up still counts.",
        (PROPOSE,),
    ),
    "not_working": (
        "Thank you for telling me; it stays private. Partnerships don't always click, and that's "
        "nobody's fault. If it helps, the programme team can talk it through with you, or you can "
        "pause for a while.",
        (ASK_CONTACT, PAUSE),
    ),
    "contact": ("Thank you. I've asked the programme team to get in touch with you. Your partner won't be told.", ()),
}


def long_date(day: date) -> str:
    """'3 May 2027'."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def nudge_card() -> Reply:
    """Step 1: the same encouraging nudge for both partners."""
    return Reply(
        title="A moment for your learning partnership",
        text=(
            "Diaries have been tough, and NHS pressures don't let up. If it helps, a 20-minute catch-up "
            "still counts: a call, a walk or a coffee, whenever suits you and your partner.\n\n"
            "Met already? Let me know and I'll add it to your log. And if now isn't the time, "
            "you can pause for a while."
        ),
        actions=(PROPOSE, WE_MET, PAUSE),
    )


def checkin_card() -> Reply:
    """Step 2: a private check-in, sent to each partner separately."""
    return Reply(
        title="Just checking in",
        text=(
            "How is your learning partnership going for you at the moment? There's no wrong answer.\n\n"
            "This is private: your answer is never shown to your partner, and the programme team only "
            "sees it if you ask them to contact you."
        ),
        actions=tuple(Action(label, data={"command": f"checkin {answer}"}) for answer, label in CHECKIN_LABELS.items()),
    )


def checkin_thanks(answer: str) -> Reply:
    """Thanks for a check-in answer ("fine", "not_working" or "contact")."""
    if answer not in _THANKS:
        raise ValueError(f"unknown check-in answer {answer!r}")
    text, actions = _THANKS[answer]
    return Reply(text=text, actions=actions)


def quiet_alert(names: tuple[str, str], health: Health, cohort_name: str) -> Reply:
    """Step 3, to facilitators: the pair and its status only (never a private answer)."""
    pair = f"{names[0]} and {names[1]}"
    return Reply(
        title="A partnership may need support",
        text=(
            f"{pair} have been {STATUS_LABELS[health].lower()} for a while. I've sent them both an "
            "encouraging nudge and a private check-in. If it helps, a friendly word from the programme "
            "team may get things going again."
        ),
        facts=(Fact("Partnership", pair), Fact("Cohort", cohort_name), Fact("Status", STATUS_LABELS[health])),
    )


def contact_alert(name: str, partner_name: str, answer: str) -> Reply:
    """To facilitators when someone asks to be contacted: the only place a check-in answer is shown."""
    if answer not in CHECKIN_LABELS:
        raise ValueError(f"unknown check-in answer {answer!r}")
    return Reply(
        title="A partner asked to be contacted",
        text=(
            f"{name} would like the programme team to get in touch about their learning partnership "
            f"with {partner_name}. Their check-in is private: please contact {name} directly, and "
            f"don't mention it to {partner_name}."
        ),
        facts=(
            Fact("Who", name),
            Fact("Learning partner", partner_name),
            Fact("Check-in answer", CHECKIN_LABELS[answer]),
        ),
    )


def unreachable_alert(name: str) -> Reply:
    """To facilitators: a person the companion can no longer reach in chat."""
    return Reply(
        title="Someone can't be reached",
        text=(
            f"I can no longer reach {name} in chat: they may have removed the companion or left the "
            "trust. If it helps, you could contact them another way."
        ),
    )


def paused_notice(until: date | None) -> Reply:
    """To the partner of whoever paused: when it picks up again, never why."""
    when = (
        f"is paused until {long_date(until)}. There's nothing you need to do; I'll keep things quiet until then."
        if until is not None
        else "is paused for now. There's nothing you need to do; I'll let you know when it picks up again."
    )
    return Reply(title="Partnership paused", text=f"Your learning partnership {when} Taking a break is fine.")


def resumed_notice() -> Reply:
    """To both partners when a pause ends."""
    return Reply(
        title="Welcome back",
        text=("Your learning partnership is back on. If it helps, propose a time: a short catch-up still counts."),
        actions=(PROPOSE,),
    )


def leaving_support(leaver_name: str, had_met: bool, ending_prompt: str) -> Reply:
    """To the partner who stays when the other leaves: choices, plus an ending-well prompt if they had met."""
    thanks = " and what you've learned together still counts" if had_met else ""
    sections = (Section(heading="Ending well", text=ending_prompt),) if had_met and ending_prompt else ()
    return Reply(
        title="Your learning partnership",
        text=(
            f"{leaver_name} is leaving the programme, so your learning partnership is coming to an end. "
            f"That's nobody's fault{thanks}. What would help you now?"
        ),
        sections=sections,
        actions=(
            Action("A new learning partner", data={"command": "after leaving repair"}),
            Action("A proper closing", data={"command": "after leaving close"}),
            Action("Carry on informally", data={"command": "after leaving informal"}),
        ),
    )


def health_reply(rows: list[HealthRow]) -> Reply:
    """For facilitators: partnerships grouped by status, with a count per status."""
    if not rows:
        return Reply(title="Partnership health", text="There are no partnerships yet.")
    groups = {
        health: sorted((r for r in rows if r.health is health), key=lambda r: (r.cohort, r.names))
        for health in REPORT_ORDER
    }
    counts = ", ".join(f"{len(found)} {STATUS_LABELS[health].lower()}" for health, found in groups.items() if found)
    total = f"{len(rows)} partnership{'s' if len(rows) != 1 else ''}"
    return Reply(
        title="Partnership health",
        text=f"{total}: {counts}.",
        sections=tuple(
            Section(heading=f"{STATUS_LABELS[health]} ({len(found)})", facts=tuple(_row_fact(row) for row in found))
            for health, found in groups.items()
            if found
        ),
    )


def _row_fact(row: HealthRow) -> Fact:
    """'Ada and Sam': 'Spring 2027 · last met 3 May 2027 · aims agreed'."""
    met = f"last met {long_date(row.last_met)}" if row.last_met else "no meeting logged yet"
    aims = "aims agreed" if row.aims_agreed else "aims not agreed yet"
    return Fact(f"{row.names[0]} and {row.names[1]}", f"{row.cohort} · {met} · {aims}")
