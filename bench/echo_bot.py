"""A bare stock-botbuilder echo bot: the yardstick for `bench_turns.py`.

aiohttp + botbuilder 4.17.1's CloudAdapter with the stock configuration (no app id, so no
inbound auth and anonymous outbound calls), echoing every message. Nothing of the project
is imported. Usage: `python bench/echo_bot.py --port 3979` (listens on 127.0.0.1).
"""

from __future__ import annotations

import argparse
from types import SimpleNamespace

from aiohttp import web
from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication


class EchoBot(ActivityHandler):
    """Says back what it was told."""

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        """One reply per message."""
        await turn_context.send_activity(MessageFactory.text(f"You said: {turn_context.activity.text}"))


def app() -> web.Application:
    """POST /api/messages through CloudAdapter; GET /healthz for the bench's readiness poll."""
    config = SimpleNamespace(APP_ID="", APP_PASSWORD="", APP_TYPE="MultiTenant", APP_TENANTID="")
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))
    bot = EchoBot()

    async def messages(request: web.Request) -> web.Response:
        response = await adapter.process(request, bot)
        return response if isinstance(response, web.Response) else web.Response(status=201)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    application = web.Application()
    application.router.add_post("/api/messages", messages)
    application.router.add_get("/healthz", healthz)
    return application


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    web.run_app(app(), host="127.0.0.1", port=parser.parse_args().port, print=None)
