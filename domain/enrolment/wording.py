"""What the companion says while someone enrolls or edits their profile."""

from __future__ import annotations

from domain.core.model import GROUP_TITLES
from domain.core.reply import Action, Choice, Fact, Reply, question_sections, verbatim
from domain.core.wording import PRIVACY_NOTICE
from domain.enrolment.model import FORMAT_TITLES, RHYTHM_TITLES, EnrolmentDraft


def already_enrolled() -> Reply:
    """`join` from someone who has already enrolled."""
    return Reply(text="You're already enrolled. Type **profile** to see or change your answers.")


def not_enrolled_yet() -> Reply:
    """`profile` from someone who has not enrolled."""
    return Reply(text="You haven't enrolled yet. Type **join** and your cohort's code to start.")


def unknown_code(code: str) -> Reply:
    """No cohort has the code the person typed."""
    return Reply(
        text=f"I couldn't find a cohort with the code **{verbatim(code) or '(empty)'}**. Please check it and try again."
    )


def consent_request(draft: EnrolmentDraft, privacy_url: str) -> Reply:
    """The short privacy note for the cohort just found, a link to the full notice, and agree / decline."""
    return Reply(
        title=f"Welcome to {verbatim(draft.cohort_name)}",
        text=PRIVACY_NOTICE,
        choices=(Choice("agree", "I agree"), Choice("decline", "No thanks")),
        actions=(Action("Read the full privacy notice", kind="open_url", url=privacy_url),),
    )


def consent_declined() -> Reply:
    """The person said no: only that was noted."""
    return Reply(
        text=(
            "That's completely fine. I've only noted that you said no, nothing else. "
            "If you change your mind, type **join** at any time."
        )
    )


def summary(draft: EnrolmentDraft, editing: bool) -> Reply:
    """The confirm-or-edit card: the settings as short facts, then each question above its answer."""
    answered = ((verbatim(q), verbatim(a)) for q, a in zip(draft.questions, draft.answers, strict=False))
    group = GROUP_TITLES.get(draft.group, "")
    return Reply(
        title="Your profile" if editing else "Here's what you told me",
        text="Your partner will see your answers to the questions below.",
        facts=(
            Fact("Cohort", verbatim(draft.cohort_name)),
            Fact("Group", f"{group} (only facilitators see this)" if group else ""),
            Fact("How often", RHYTHM_TITLES.get(draft.rhythm, "")),
            Fact("How to meet", FORMAT_TITLES.get(draft.format, "")),
            Fact("Time zone", verbatim(draft.time_zone)),
        ),
        sections=question_sections(answered),
        choices=(Choice("save", "Done" if editing else "Confirm"), Choice("edit", "Edit an answer")),
    )


def saved(draft: EnrolmentDraft, editing: bool) -> Reply:
    """The enrolment (or the edit) is stored."""
    if editing:
        return Reply(text="Saved. Your profile is up to date.")
    return Reply(
        title="You're enrolled",
        text=(
            f"Thank you for joining {verbatim(draft.cohort_name)}. The programme team will pair you with a "
            "learning partner and I'll introduce you both here. Type **profile** to change "
            "your answers at any time."
        ),
    )
