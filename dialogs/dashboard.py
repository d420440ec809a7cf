"""`dashboard`: a facilitator's one-time sign-in link to the web dashboard (Teams and Slack alike)."""

from __future__ import annotations

from botbuilder.core import TurnContext

from dialogs.commands import Command
from dialogs.common import Services, say, scope
from domain.dashboard.service import sign_in_link
from domain.dashboard.wording import sign_in_reply


async def show_dashboard_link(context: TurnContext, services: Services, _args: str) -> None:
    """A link that signs the facilitator in once, for a few minutes."""
    link = sign_in_link(scope(context).participant.id, services.dashboard_links)
    await say(context, sign_in_reply(link, services.settings.dashboard_link_minutes))


COMMANDS = (
    Command(
        "dashboard",
        ("dashboard", "open dashboard", "open the dashboard", "web dashboard"),
        handler=show_dashboard_link,
        facilitators_only=True,
    ),
)
