"""Fakes for outer seams only (external HTTP services), never for our own code."""
