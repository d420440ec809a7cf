"""The audit trail, read by facilitators (`audit`); entries are written by the services that act."""
