"""One member directory over every channel that has one (Teams member lookups, Slack users.info)."""

from __future__ import annotations

from typing import Protocol


class MemberDirectory(Protocol):
    """One channel's directory (the shape dialogs.emails.MemberDirectory asks for)."""

    def looks_up(self, channel_id: str) -> bool: ...

    async def email(self, channel_id: str, service_url: str, conversation_id: str, user_id: str) -> str: ...


class ChannelMembers:
    """Asks the directory that knows the person's channel; '' for channels without one."""

    def __init__(self, *directories: MemberDirectory) -> None:
        self._directories = directories

    def looks_up(self, channel_id: str) -> bool:
        return any(directory.looks_up(channel_id) for directory in self._directories)

    async def email(self, channel_id: str, service_url: str, conversation_id: str, user_id: str) -> str:
        for directory in self._directories:
            if directory.looks_up(channel_id):
                return await directory.email(channel_id, service_url, conversation_id, user_id)
        return ""
