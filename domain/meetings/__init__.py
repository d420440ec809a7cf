"""Protected meeting time: proposals, bookings, calendar files, reminders and the meeting log."""
