"""What the companion says about people's own data: the `my data` link, the `erase me` question
and its answer. Warm and plain: what happens, what stays, and that it cannot be undone."""

from __future__ import annotations

from domain.core.reply import Action, Choice, Reply
from domain.privacy.model import DataLink, Erased

ERASE_YES = "yes"
NO_LINK = (
    "I can't make a link to your data from here. Please ask the programme team for a copy of "
    "what the companion holds about you."
)


def my_data_reply(link: DataLink) -> Reply:
    """The short-lived link to everything held about the person."""
    if not link.url:
        return Reply(text=NO_LINK)
    return Reply(
        title="Everything I hold about you",
        text=(
            "This private link shows everything the companion keeps about you: your profile answers "
            "word for word, your group, partnerships, notes, hopes, check-ins, poll answers with your "
            "name on them, meetings and messages waiting to reach you. Add **.json** to the address for "
            "a machine-readable copy.\n\nThe link works for 24 hours and opens without signing in, so "
            "please don't share it. Type **erase me** if you'd like it all deleted."
        ),
        actions=(Action("See my data", kind="open_url", url=link.url),),
    )


def erase_question(paired: bool) -> Reply:
    """The clear confirmation before anything is deleted."""
    partner = (
        " Your learning partnership will end, and your partner will get a kind note saying you've left the programme."
        if paired
        else ""
    )
    return Reply(
        title="Delete everything about you?",
        text=(
            "If you say yes, I'll delete your name, your profile answers, your group, your notes, hopes "
            "and check-ins, your named poll answers and anything else you've written here, within seconds."
            f"{partner} The programme team will only see that a participant left.\n\n"
            "Answers you gave to anonymous polls stay, because nothing links them to you. This can't be "
            "undone. Type **my data** first if you'd like a copy.\n\nDelete everything?"
        ),
        choices=(Choice(ERASE_YES, "Yes, delete everything"), Choice("no", "No, keep my data")),
    )


def kept() -> Reply:
    """They decided against it."""
    return Reply(text="OK, nothing has been deleted.")


def erased_reply(result: Erased) -> Reply:
    """Done: what happened, and that they can come back."""
    partner = " Your partner has been told, kindly, that you've left the programme." if result.partner_told else ""
    return Reply(
        title="Your data has been deleted",
        text=(
            f"Everything the companion held about you has been deleted.{partner} Thank you for the time "
            "you gave to the programme. If you message me again, I'll treat you as someone new."
        ),
    )
