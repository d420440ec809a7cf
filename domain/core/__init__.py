"""Shared by every capability: ids and entities, clock, neutral Reply, timing, identity, links, storage ports."""
