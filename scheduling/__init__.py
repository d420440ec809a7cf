"""Scheduler wiring, outbox dispatcher and the Bot Connector sender."""
