"""Cohorts: creation, join codes, and what facilitators see of them."""
