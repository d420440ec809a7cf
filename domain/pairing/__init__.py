"""Pairing: a facilitator's decision, recorded, with the same introduction for both partners."""
