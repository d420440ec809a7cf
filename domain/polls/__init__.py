"""Check-in polls and the evaluation survey: templates, answers, reminders, suppressed results."""
