"""Enrolment (`join`) and profile editing (`profile`).

```mermaid
stateDiagram-v2
    [*] --> Code: join [code]
    Code --> Code: unknown code
    Code --> Consent
    Consent --> [*]: declined (only the refusal is stored)
    Consent --> Fields: agreed
    Fields --> Fields: group, three answers, rhythm, format, time zone
    Fields --> Review
    Review --> EditField: edit
    EditField --> Review
    Review --> [*]: confirm (saved)
```
"""

from __future__ import annotations

from typing import Any

from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.ask import ASK, ask_choice, ask_text
from dialogs.commands import Command
from dialogs.common import Services, say, scope
from dialogs.profile_fields import apply, edit_menu, field_ids, question_for
from domain.core.reply import Reply
from domain.enrolment import wording
from domain.enrolment.model import EnrolmentDraft
from domain.enrolment.service import open_draft, profile_draft, record_consent, save_enrolment
from domain.notice.model import PageKind, page_url

ENROL, COLLECT, REVIEW, PROFILE = "enrol", "enrol.collect", "enrol.review", "profile"


def build(services: Services) -> list[Dialog]:
    """The enrolment and profile dialogs."""
    flow = _Enrolment(services)
    return [
        WaterfallDialog(ENROL, [flow.code, flow.check_code, flow.consent_answer]),
        WaterfallDialog(COLLECT, [flow.ask_field, flow.store_field]),
        WaterfallDialog(REVIEW, [flow.show_summary, flow.summary_choice, flow.edit_field, flow.apply_edit]),
        WaterfallDialog(PROFILE, [flow.open_profile]),
    ]


class _Enrolment:
    """Waterfall steps; `services` reaches the database and clock."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def code(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Use the code given with `join`, or ask for it."""
        me = scope(step.context).participant
        if me.is_enrolled:
            await say(step.context, wording.already_enrolled())
            return await step.end_dialog()
        given = (step.options or {}).get("args", "") if isinstance(step.options, dict) else ""
        if given.strip():
            return await step.next(given)
        return await step.begin_dialog(
            ASK, ask_text(Reply(text="What's your cohort's join code? The programme team will have shared it."), 40)
        )

    async def check_code(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Find the cohort, then ask for consent."""
        opened = await open_draft(self.services.store, str(step.result), self.services.settings.default_time_zone)
        if opened.draft is None:
            await say(step.context, wording.unknown_code(opened.code))
            return await step.replace_dialog(ENROL, {})
        step.values["draft"] = opened.draft.to_dict()
        privacy = page_url(self.services.settings.public_url, PageKind.PRIVACY)
        return await step.begin_dialog(ASK, ask_choice(wording.consent_request(opened.draft, privacy)))

    async def consent_answer(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Record the decision; on agreement collect the profile."""
        accepted = step.result == "agree"
        await record_consent(
            self.services.store, scope(step.context).participant.id, accepted, self.services.clock.now()
        )
        if not accepted:
            await say(step.context, wording.consent_declined())
            return await step.end_dialog()
        return await step.replace_dialog(COLLECT, {"draft": step.values["draft"], "index": 0})

    async def ask_field(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask the next field, or move on to the review when all are in."""
        options: dict[str, Any] = step.options
        draft = EnrolmentDraft.from_dict(options["draft"])
        fields = field_ids(draft)
        if options["index"] >= len(fields):
            return await step.replace_dialog(REVIEW, {"draft": draft.to_dict(), "editing": False})
        return await step.begin_dialog(ASK, question_for(fields[options["index"]], draft))

    async def store_field(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Keep the answer and loop to the next field."""
        options: dict[str, Any] = step.options
        draft = EnrolmentDraft.from_dict(options["draft"])
        draft = apply(field_ids(draft)[options["index"]], draft, step.result)
        return await step.replace_dialog(COLLECT, {"draft": draft.to_dict(), "index": options["index"] + 1})

    async def show_summary(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Show everything with Confirm / Edit."""
        draft = EnrolmentDraft.from_dict(step.options["draft"])
        return await step.begin_dialog(ASK, ask_choice(wording.summary(draft, step.options["editing"])))

    async def summary_choice(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Save, or ask which field to edit."""
        draft = EnrolmentDraft.from_dict(step.options["draft"])
        if step.result == "edit":
            return await step.begin_dialog(ASK, edit_menu(draft))
        await save_enrolment(self.services.store, scope(step.context).participant.id, draft, self.services.clock.now())
        await say(step.context, wording.saved(draft, step.options["editing"]))
        return await step.end_dialog(True)

    async def edit_field(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask the chosen field again."""
        step.values["field"] = step.result
        return await step.begin_dialog(ASK, question_for(step.result, EnrolmentDraft.from_dict(step.options["draft"])))

    async def apply_edit(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Apply the edit and show the review again."""
        draft = apply(step.values["field"], EnrolmentDraft.from_dict(step.options["draft"]), step.result)
        return await step.replace_dialog(REVIEW, {"draft": draft.to_dict(), "editing": step.options["editing"]})

    async def open_profile(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Show the saved profile for review and editing."""
        me = scope(step.context).participant
        if not me.is_enrolled:
            await say(step.context, wording.not_enrolled_yet())
            return await step.end_dialog()
        draft = await profile_draft(self.services.store, me)
        return await step.replace_dialog(REVIEW, {"draft": draft.to_dict(), "editing": True})


COMMANDS = (
    Command("join", ("join", "enrol", "enroll", "join cohort", "join a cohort"), dialog_id=ENROL),
    Command("profile", ("profile", "my profile", "edit profile"), dialog_id=PROFILE),
)
