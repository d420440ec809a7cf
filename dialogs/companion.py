"""CompanionBot: the thin turn handler. Parse, register, route, run; nothing else.

Redelivered activities never get here: the endpoint (web/messages.py) claims each one first.

```mermaid
stateDiagram-v2
    [*] --> Register: upsert person + conversation reference
    Register --> Lookup: email unknown (Teams member lookup, in the background)
    Register --> Greet: install
    Register --> Dialog: message / card submit / card action
    Dialog --> Stale: a card click whose token is not the pending question's / refused kindly, re-asked
    Dialog --> Overtaken: a standalone card's button whose object has changed since / where things stand
    Dialog --> Continue: a dialog is waiting for an answer
    Dialog --> Route: no dialog (or a button command)
    Route --> [*]: command dialog / handler / kind "didn't catch that"
```
"""

from __future__ import annotations

import logging

from botbuilder.core import ConversationState, InvokeResponse, TurnContext
from botbuilder.dialogs import DialogContext, DialogSet, DialogTurnStatus
from botbuilder.schema import Activity, ActivityTypes

from channels.inbound import UserInput, conversation_ref_fields, parse
from channels.outgoing import INVOKE_OK
from dialogs import assemble, card_kinds
from dialogs.ask import pending_token
from dialogs.common import FORGET_CONVERSATION, SCOPE_KEY, Scope, Services, say
from dialogs.emails import EmailLookups, MemberDirectory
from domain.core.identity import Identity, arrive, recognise
from domain.core.model import ConversationRef
from domain.core.reply import ASK_TOKEN, CARD_TOKEN, read_card_token
from domain.core.wording import (
    cancelled,
    card_out_of_date,
    card_overtaken,
    facilitators_only,
    greeting,
    group_chat_redirect,
    help_reply,
    not_understood,
)

log = logging.getLogger(__name__)
CANCEL_WORDS = {"cancel", "stop", "quit", "exit", "never mind", "nevermind"}
HELP_WORDS = {"help", "?"}


class CompanionBot:
    """Handles every inbound activity."""

    def __init__(
        self,
        services: Services,
        conversation_state: ConversationState,
        members: MemberDirectory | None = None,
    ) -> None:
        self.services = services
        self.state = conversation_state
        dialogs, self.commands = assemble(services)
        self.card_kinds = card_kinds()
        self.dialog_set = DialogSet(conversation_state.create_property("DialogState"))
        # Teams announces a personal install twice (conversationUpdate and installationUpdate): greet once.
        self.greeted = conversation_state.create_property("Greeted")
        for dialog in dialogs:
            self.dialog_set.add(dialog)
        self.emails = EmailLookups(members, services) if members is not None else None

    async def on_turn(self, context: TurnContext) -> None:
        """One inbound activity, end to end."""
        user = parse(context.activity)
        if not user.user_id:
            return
        arrival = await arrive(
            self.services.store,
            Identity(user.channel_id, user.user_id, user.user_name, user.aad_object_id, user.tenant_id),
            _ref(user),
            self.services.clock.now(),
            self.services.facilitators,
        )
        person = arrival.person
        if not person.email:
            self._look_up_email(user, person.id)
        context.turn_state[SCOPE_KEY] = Scope(person, arrival.is_facilitator, user)
        if user.kind == "install":
            await self._greet_once(context, user)
        elif user.kind == "uninstall":
            await self.greeted.delete(context)  # a later install is a fresh start, with a fresh hello
        elif user.kind in ("message", "card_submit", "invoke"):
            await self._converse(context, user)
        if user.kind == "invoke":
            await context.send_activity(
                Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200, body=INVOKE_OK))
            )
        if context.turn_state.get(FORGET_CONVERSATION):
            await self.state.delete(context)  # the person was just erased: keep not even an empty dialog stack
        else:
            await self.state.save_changes(context)

    async def _greet_once(self, context: TurnContext, user: UserInput) -> None:
        """Hello on the first install notice of this conversation; the second notice stays quiet."""
        if await self.greeted.get(context, False):
            return
        await self.greeted.set(context, True)
        await say(context, group_chat_redirect() if user.is_group else greeting())

    async def _converse(self, context: TurnContext, user: UserInput) -> None:
        """Continue the waiting dialog, or route a new request."""
        if user.is_group:
            await say(context, group_chat_redirect())
            return
        dc = await self.dialog_set.create_context(context)
        text = " ".join(user.command_text.lower().split())
        button_command = user.value.get("command")
        if text in CANCEL_WORDS:
            await dc.cancel_all_dialogs()
            await say(context, cancelled())
            return
        if await self._refused_overtaken_card(context, user) or await self._refused_stale_card(context, dc, user):
            return
        if dc.active_dialog is not None and not button_command:
            if text in HELP_WORDS:
                await say(context, help_reply(context.turn_state[SCOPE_KEY].is_facilitator))
                await dc.reprompt_dialog()
                return
            result = await dc.continue_dialog()
            if result.status != DialogTurnStatus.Empty:
                return
        await dc.cancel_all_dialogs()  # a button from another card starts afresh
        await self._route(context, dc, user.command_text)

    async def _refused_stale_card(self, context: TurnContext, dc: DialogContext, user: UserInput) -> bool:
        """A card click naming a question that is no longer pending never acts: say where things stand."""
        token = user.value.get(ASK_TOKEN)
        if not isinstance(token, str) or not token or token == pending_token(dc.active_dialog):
            return False
        if dc.active_dialog is None:
            await say(context, card_out_of_date(waiting=False))
            await say(context, help_reply(context.turn_state[SCOPE_KEY].is_facilitator))
        else:
            await say(context, card_out_of_date(waiting=True))
            await dc.reprompt_dialog()
        return True

    async def _refused_overtaken_card(self, context: TurnContext, user: UserInput) -> bool:
        """A standalone card's button acts only on the object and version it names: anything since (answered,
        replaced, cancelled, closed, re-paired) refuses it kindly with where things stand, and nothing acts.
        A waiting question is left as it is. The services check the state again as they act."""
        if CARD_TOKEN not in user.value:
            return False
        token, me = user.value[CARD_TOKEN], context.turn_state[SCOPE_KEY]
        named = read_card_token(token)
        kind = self.card_kinds.get(named[0]) if named is not None else None
        if named is not None and kind is not None and token == await kind.current(self.services, me, named[1]):
            return False
        where = await kind.where(self.services, me, named[1]) if named is not None and kind is not None else ()
        await say(context, card_overtaken())
        for reply in where or (help_reply(me.is_facilitator),):
            await say(context, reply)
        return True

    async def _route(self, context: TurnContext, dc: DialogContext, text: str) -> None:
        """Start the command the text names, if this person may use it."""
        me: Scope = context.turn_state[SCOPE_KEY]
        found = self.commands.match(text)
        if found is None:
            await say(context, not_understood(me.is_facilitator))
            return
        command, args = found
        if command.facilitators_only and not me.is_facilitator and not await self._facilitator_by_email(context):
            await say(context, facilitators_only())
        elif command.handler is not None:
            await command.handler(context, self.services, args)
        else:
            await dc.begin_dialog(command.dialog_id, {"args": args})

    def _look_up_email(self, user: UserInput, person_id: int) -> None:
        """Ask the channel for the person's email beside the turn, not before its reply (once per person)."""
        if self.emails is not None and self.emails.looks_up(user.channel_id) and not user.is_group:
            self.emails.start(person_id, user.channel_id, user.service_url, user.conversation_id, user.user_id)

    async def _facilitator_by_email(self, context: TurnContext) -> bool:
        """Before refusing: an email lookup still on its way may show a facilitator configured by email."""
        me: Scope = context.turn_state[SCOPE_KEY]
        email = await self.emails.settled(me.participant.id) if self.emails is not None else ""
        if not email:
            return False
        me.participant.email = email
        services = self.services
        me.is_facilitator = await recognise(
            services.store, services.facilitators, me.participant.id, services.clock.now()
        )
        return me.is_facilitator

    async def close(self) -> None:
        """Cancel background work (shutdown)."""
        if self.emails is not None:
            await self.emails.close()


def _ref(user: UserInput) -> ConversationRef | None:
    fields = conversation_ref_fields(user)
    if not fields.get("service_url") or not fields.get("conversation_id"):
        return None
    return ConversationRef(participant_id=0, **fields)
