"""A person's home at a glance: their partnership, next meeting and latest guide prompt, and for
facilitators a cohort summary with small counts suppressed (Slack's Home tab shows it)."""
