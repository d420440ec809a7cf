"""Polls: the person's named answers word for word, and which polls they answered. Anonymous
answers are not theirs to export or erase: nothing links them to anyone."""

from __future__ import annotations

from datetime import datetime

from domain.core.personal import Exported
from domain.core.ports import UnitOfWork
from domain.polls.model import QuestionKind
from domain.polls.rules import display


class PollsData:
    section = "Polls"
    tables = ("polls", "poll_responders", "poll_named_answers")

    async def export(self, uow: UnitOfWork, participant_id: int) -> Exported:
        named = await uow.polls.named_of(participant_id)
        responded = await uow.polls.responded(participant_id)
        made = [p for p in await uow.polls.list_all() if p.created_by == participant_id]
        if not (named or responded or made):
            return {}
        return {
            "your named answers": [
                {
                    "poll": poll.title,
                    "answers": [
                        {"question": q.text, "answer": display(q, answers.get(q.id))}
                        for q in poll.template.questions
                        if answers.get(q.id) not in (None, "", [])
                    ],
                }
                for poll, answers in named
            ],
            "anonymous polls you answered (your answers are not linked to you)": [
                p.title for p in responded if p.anonymous
            ],
            "polls you set up": [p.title for p in made],
        }

    async def traces(self, uow: UnitOfWork, participant_id: int) -> list[str]:
        return [
            str(answers[q.id])
            for poll, answers in await uow.polls.named_of(participant_id)
            for q in poll.template.questions
            if q.kind is QuestionKind.TEXT and answers.get(q.id)
        ]

    async def erase(self, uow: UnitOfWork, participant_id: int, now: datetime) -> None:
        await uow.polls.forget_participant(participant_id)

    async def purge_before(self, uow: UnitOfWork, cutoff: datetime) -> int:
        return await uow.polls.forget_closed_before(cutoff)
