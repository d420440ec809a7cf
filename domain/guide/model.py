"""The Guide for Learning Partners as plain, frozen data (built by `domain.guide.content.load_guide`),
and what the guide services return."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.core.placeholders import MARKER, has_placeholder

# Trust-specific support details ship with this marker until a trust confirms them.
PLACEHOLDER = MARKER


class PromptType(StrEnum):
    """What a prompt asks partners to do."""

    CONVERSATION_STARTER = "conversation_starter"
    REFLECTION = "reflection"
    ACTIVITY = "activity"
    CHECK_IN = "check_in"


class PromptMode(StrEnum):
    """Whether a prompt is for a meeting together or for one partner's eyes only."""

    TOGETHER = "together"
    PRIVATE = "private"


class Sensitivity(StrEnum):
    """High-sensitivity prompts get "skip or save for later" and a support link."""

    NORMAL = "normal"
    HIGH = "high"


class Trigger(StrEnum):
    """The conditions (not weeks) that fire a triggered prompt."""

    NO_MEETING_LOGGED_8_WEEKS = "no_meeting_logged_8_weeks"
    USER_FLAGS_HARD_CONVERSATION = "user_flags_hard_conversation"
    AIMS_MISMATCH_REPORTED = "aims_mismatch_reported"
    PARTNER_LEAVING_OR_ROLE_CHANGE = "partner_leaving_or_role_change"
    BEFORE_GROUP_CHECKIN = "before_group_checkin"


@dataclass(frozen=True)
class Phase:
    """A stage of the journey; weeks count from the launch session (week 0), inclusive."""

    id: str
    name: str
    start: int
    end: int
    intro: str

    def contains(self, week: int) -> bool:
        """True when `week` lies inside this phase (both ends included)."""
        return self.start <= week <= self.end


@dataclass(frozen=True)
class Prompt:
    """A scheduled prompt, sent to both partners in its week."""

    id: str
    phase: str
    week: int
    type: PromptType
    mode: PromptMode
    sens: Sensitivity
    text: str


@dataclass(frozen=True)
class TriggeredPrompt:
    """A prompt fired by a condition; `weeks` narrows when it may fire (empty: any week)."""

    id: str
    when: Trigger
    type: PromptType
    mode: PromptMode
    sens: Sensitivity
    text: str
    weeks: tuple[int, ...] = ()


@dataclass(frozen=True)
class Resource:
    """A practical resource, offered in the phases it suits."""

    id: str
    title: str
    summary: str
    phases: tuple[str, ...]
    url: str | None = None


@dataclass(frozen=True)
class SupportContact:
    """One signposting option; trust contacts carry placeholders until confirmed locally."""

    id: str
    title: str
    summary: str
    contact: str
    name: str | None = None
    url: str | None = None

    @property
    def needs_local_confirmation(self) -> bool:
        """True while any field still holds a placeholder (CONFIRM LOCALLY or `[words]`)."""
        fields = (self.title, self.summary, self.contact, self.name or "", self.url or "")
        return any(has_placeholder(field) for field in fields)


@dataclass(frozen=True)
class SupportInfo:
    """Wording for disclosures plus the trust, national and crisis options."""

    acknowledgement: str
    not_a_reporting_channel: str
    choices_intro: str
    sensitive_prompt_note: str
    crisis_intro: str
    trust_contacts: tuple[SupportContact, ...]
    national: tuple[SupportContact, ...]
    crisis: tuple[SupportContact, ...]

    def unconfirmed(self) -> tuple[SupportContact, ...]:
        """Contacts a trust must still confirm before launch."""
        every = self.trust_contacts + self.national + self.crisis
        return tuple(contact for contact in every if contact.needs_local_confirmation)

    def sections(self) -> tuple[tuple[str, tuple[SupportContact, ...]], ...]:
        """Each section's name in support.yaml with its options, in file order."""
        return (("trust_contacts", self.trust_contacts), ("national", self.national), ("crisis", self.crisis))


@dataclass(frozen=True)
class Guide:
    """The whole guide: journey, prompts, resources and support, validated at start-up."""

    phases: tuple[Phase, ...]
    checkins: tuple[int, ...]
    evaluation_survey: int
    prompts: tuple[Prompt, ...]
    triggered: tuple[TriggeredPrompt, ...]
    resources: tuple[Resource, ...]
    support: SupportInfo

    def phase_for_week(self, week: int) -> Phase | None:
        """The latest-starting phase containing `week` (phases overlap), or None."""
        containing = [phase for phase in self.phases if phase.contains(week)]
        return max(containing, key=lambda phase: phase.start, default=None)

    def phase(self, phase_id: str) -> Phase | None:
        """The phase with this id, or None."""
        return next((phase for phase in self.phases if phase.id == phase_id), None)

    def prompts_in(self, phase_id: str) -> tuple[Prompt, ...]:
        """Scheduled prompts belonging to a phase, in week order."""
        return tuple(sorted((p for p in self.prompts if p.phase == phase_id), key=lambda p: p.week))

    def prompts_for_week(self, week: int) -> tuple[Prompt, ...]:
        """Scheduled prompts due in `week`, in file order."""
        return tuple(prompt for prompt in self.prompts if prompt.week == week)

    def prompt(self, prompt_id: str) -> Prompt | TriggeredPrompt | None:
        """The scheduled or triggered prompt with this id, or None (ids are unique across both)."""
        every: tuple[Prompt | TriggeredPrompt, ...] = self.prompts + self.triggered
        return next((prompt for prompt in every if prompt.id == prompt_id), None)

    def triggered_for(self, when: Trigger) -> tuple[TriggeredPrompt, ...]:
        """Triggered prompts fired by a condition."""
        return tuple(prompt for prompt in self.triggered if prompt.when == when)

    def resources_for(self, phase_id: str) -> tuple[Resource, ...]:
        """Resources that suit a phase, in file order."""
        return tuple(resource for resource in self.resources if phase_id in resource.phases)


@dataclass(frozen=True)
class RecentProgress:
    """What the scheduled job reads of a partnership's progress: prompts queued lately, and how
    many of them in the last seven days (the weekly cap)."""

    delivered: frozenset[str]
    this_week: int


# --- what the guide services return (worded by domain.guide.wording) ---------------------


@dataclass(frozen=True)
class GuidePlace:
    """Where a person is in the journey: the week, the cohort's length, prompts had and saved."""

    week: int
    length_months: int
    delivered: tuple[str, ...]
    saved: tuple[str, ...]


@dataclass(frozen=True)
class PromptSaved:
    """A prompt kept for later; `found` is False when the guide has no such prompt (nothing kept)."""

    prompt_id: str
    found: bool


@dataclass(frozen=True)
class PromptSkipped:
    """A prompt left aside (and taken off the saved list); nothing records who skipped what."""

    prompt_id: str
