"""Enrolment: consent, programme group, profile answers, preferences and time zone."""
