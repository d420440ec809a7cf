"""Mutual aims: private hopes, shared aims agreed together, progress ratings."""
