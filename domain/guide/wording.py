"""Replies for the Guide for Learning Partners: the delivered prompts, support, and what
saving or skipping a prompt says (browsing the guide lives in domain.guide.browse).

Both partners get word-for-word the same prompt reply, so nothing here names anyone.
Tone: warm, brief and optional; partners are equals.
"""

from __future__ import annotations

from domain.core.placeholders import has_placeholder
from domain.core.reply import Action, Fact, Reply, Section, listed
from domain.guide.model import (
    Guide,
    Prompt,
    PromptMode,
    PromptSaved,
    PromptSkipped,
    PromptType,
    Sensitivity,
    SupportContact,
    TriggeredPrompt,
)

PROMPT_TITLES = {
    PromptType.CONVERSATION_STARTER: "Something to talk about",
    PromptType.REFLECTION: "A moment to reflect",
    PromptType.ACTIVITY: "Something to try together",
    PromptType.CHECK_IN: "A quick guide prompt",
}
PRIVATE_NOTE = "_Only you see this. Your partner has the same prompt, privately._"

OPEN_GUIDE = Action("Open the guide", data={"command": "guide"})
PROPOSE_MEETING = Action("Propose a meeting", data={"command": "meet"})
SUPPORT = Action("Support", data={"command": "support"})
MORE_SUPPORT = Action("More options", data={"command": "support all"})
TRUST_CONTACTS_SHOWN = 3  # on the short support card; the full list is one button away
BROWSE_PHASES = Action("Browse phases", data={"command": "guide phases"})


def prompt_reply(prompt: Prompt | TriggeredPrompt, guide: Guide) -> Reply:
    """One prompt as both partners receive it (triggered prompts simply carry no phase)."""
    private = prompt.mode == PromptMode.PRIVATE
    title = PROMPT_TITLES[prompt.type]
    if private and prompt.type == PromptType.ACTIVITY:
        title = "Something to try"
    paragraphs = [prompt.text, PRIVATE_NOTE if private else ""]
    actions = [OPEN_GUIDE]
    if prompt.sens == Sensitivity.HIGH:
        paragraphs.append(guide.support.sensitive_prompt_note)
        actions = [
            Action("Skip", data={"command": f"guide skip {prompt.id}"}),
            Action("Save for later", data={"command": f"guide save {prompt.id}"}),
            SUPPORT,
            OPEN_GUIDE,
        ]
    if not private:
        actions.append(PROPOSE_MEETING)  # a prompt to use together is a reason to meet
    phase = guide.phase(prompt.phase) if isinstance(prompt, Prompt) else None
    return Reply(
        title=title,
        text="\n\n".join(p for p in paragraphs if p),
        facts=(Fact("Phase", phase.name),) if phase else (),
        actions=tuple(actions),
    )


def support_reply(guide: Guide, everything: bool = False) -> Reply:
    """The on-demand support card: choices to pick from, never questions.

    Short by default, to read at a glance: the trust's first TRUST_CONTACTS_SHOWN contacts (support.yaml
    lists the most important first) and the crisis options, with "More options" for `everything`
    (every trust contact and the national options too). Options still holding a placeholder
    (support.yaml before the trust fills it in) are never shown; trust contacts waiting for their
    details are named by title only.
    """
    support = guide.support
    contacts = support.trust_contacts if everything else support.trust_contacts[:TRUST_CONTACTS_SHOWN]
    waiting = tuple(c.title for c in contacts if c.needs_local_confirmation and not has_placeholder(c.title))
    trust = "\n\n".join(part for part in (_contacts(_confirmed(contacts)), _ask_locally(waiting)) if part)
    national = (Section("Across the NHS and nationally", _contacts(_confirmed(support.national))),)
    sections = (
        Section("At your trust", trust),
        *(national if everything else ()),
        Section("If someone is at risk now", f"{support.crisis_intro}\n\n{_contacts(_confirmed(support.crisis))}"),
    )
    return Reply(
        title="Every support option" if everything else "Support",
        text=f"{support.not_a_reporting_channel}\n\n{support.choices_intro}",
        sections=tuple(section for section in sections if section.text.strip()),
        actions=(OPEN_GUIDE,) if everything else (MORE_SUPPORT, OPEN_GUIDE),
    )


def _confirmed(contacts: tuple[SupportContact, ...]) -> tuple[SupportContact, ...]:
    """Only options whose every field a trust has confirmed."""
    return tuple(contact for contact in contacts if not contact.needs_local_confirmation)


def _ask_locally(titles: tuple[str, ...]) -> str:
    """Where to find trust contacts whose details are not filled in here yet."""
    if not titles:
        return ""
    names = "\n".join(f"- {title}" for title in titles)
    return f"Your trust's intranet or the programme team can tell you how to reach:\n\n{names}"


def _contacts(contacts: tuple[SupportContact, ...]) -> str:
    """Each option's title, then how to reach it, with the name and web address when there are any."""
    return listed((c.title, " · ".join(v for v in (c.contact, c.name, c.url) if v)) for c in contacts)


def prompt_saved(result: PromptSaved) -> Reply:
    """Where to find a saved prompt again (or a kind pointer when there was no such prompt)."""
    if not result.found:
        return Reply(text="I couldn't find that prompt. Type **guide** to see where you are.")
    return Reply(
        text="Saved for later. Type **guide saved** whenever you're ready.",
        actions=(Action("Saved for later", data={"command": "guide saved"}),),
    )


def prompt_skipped(_result: PromptSkipped) -> Reply:
    """No questions asked about a skipped prompt; support is one tap away."""
    return Reply(
        text="No problem, we'll leave that one. If you'd like support at any point, type **support**.",
        actions=(SUPPORT,),
    )
