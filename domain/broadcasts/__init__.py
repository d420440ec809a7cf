"""Facilitator broadcasts: audience, preview, send now or later, delivery status."""
