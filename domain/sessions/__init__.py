"""Group check-in sessions: invitations, RSVPs, reminders and attendance counts."""
