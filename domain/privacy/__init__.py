"""Personal data from start to end: `my data`, `erase me`, and the retention purge."""
