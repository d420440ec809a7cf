"""Channel edge: inbound parsing and rendering of neutral replies per channel."""
