"""Slack at the seam: inbound events and interactions become the neutral input the Teams path
produces, neutral replies become Block Kit, and proactive messages go through the same outbox."""
