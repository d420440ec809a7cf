"""The dashboard's sign-in links: signed, short-lived, and each with a random id so it works once.

`{PLP_PUBLIC_URL}/dashboard/sign-in/{token}`: the token (domain/core/signing.py, purpose
`dashboard`) names the facilitator and the link's id; the database records the id when the
link is used, so a forwarded or replayed link opens nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from domain.core.clock import Clock
from domain.core.signing import LinkSigner
from domain.dashboard.model import LINK_LIFETIME
from domain.dashboard.rules import link_subject

DASHBOARD = "dashboard"  # the signed purpose: no other link's token opens the dashboard
SIGN_IN_PREFIX = "dashboard/sign-in"


class SignInLinks(Protocol):
    def sign_in_url(self, participant_id: int) -> tuple[str, datetime]:
        """A fresh single-use link for this facilitator, and when it stops working ("" when none is served)."""
        ...


class NoSignInLinks:
    """No web server (tests, tools): no link."""

    def sign_in_url(self, participant_id: int) -> tuple[str, datetime]:
        return "", datetime.min


@dataclass(frozen=True)
class DashboardLinks:
    """Signed sign-in links under the public base URL."""

    base_url: str
    signer: LinkSigner
    clock: Clock
    lifetime: timedelta = LINK_LIFETIME

    def sign_in_url(self, participant_id: int) -> tuple[str, datetime]:
        expires_at = self.clock.now() + self.lifetime
        token = self.signer.sign(DASHBOARD, link_subject(participant_id, secrets.token_hex(12)), expires_at)
        return f"{self.base_url.rstrip('/')}/{SIGN_IN_PREFIX}/{token}", expires_at
