"""The `dashboard` command's answer, and the words of every refusal page."""

from __future__ import annotations

from domain.core.reply import Action, Reply
from domain.dashboard.model import Refusal, SignInLink

NO_LINK = (
    "The dashboard isn't served from here, so there's no link to give you. The programme's technical "
    "team can set PLP_PUBLIC_URL to the bot's web address."
)
ASK_AGAIN = "Type **dashboard** in your chat with the companion for a new link."


def sign_in_reply(link: SignInLink, minutes: int) -> Reply:
    """A one-time link to the facilitator dashboard."""
    if not link.url:
        return Reply(text=NO_LINK)
    return Reply(
        title="Your facilitator dashboard",
        text=(
            "Cohorts, partnership health, meetings, guide progress, poll results and broadcasts, "
            f"with charts. This link signs you in once and works for the next {minutes} minutes: "
            "please don't forward it. Type **dashboard** again whenever you need a new one."
        ),
        actions=(Action("Open the dashboard", kind="open_url", url=link.url),),
    )


# (HTTP status, heading, explanation) for each refusal page: clear, kind, and never a hint of what exists.
REFUSALS: dict[Refusal, tuple[int, str, str]] = {
    Refusal.INVALID_LINK: (
        404,
        "This sign-in link doesn't work",
        "It may have been copied only in part. " + ASK_AGAIN.replace("**", ""),
    ),
    Refusal.EXPIRED_LINK: (
        410,
        "This sign-in link has expired",
        "Sign-in links work for a few minutes only. " + ASK_AGAIN.replace("**", ""),
    ),
    Refusal.USED_LINK: (
        410,
        "This sign-in link has already been used",
        "Each link signs in once, so a forwarded or reopened link shows nothing. " + ASK_AGAIN.replace("**", ""),
    ),
    Refusal.NOT_FACILITATOR: (
        403,
        "The dashboard is for the programme's facilitators",
        "Your account doesn't have the facilitator role, so the dashboard can't open for you. If you think "
        "it should, please ask another facilitator.",
    ),
    Refusal.NO_SESSION: (
        403,
        "Please sign in to see the dashboard",
        "You're not signed in (or you signed out). " + ASK_AGAIN.replace("**", ""),
    ),
    Refusal.TIMED_OUT: (
        403,
        "You've been signed out",
        "For safety the dashboard signs you out after a while without use. " + ASK_AGAIN.replace("**", ""),
    ),
}
