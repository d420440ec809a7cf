"""Partnership health: quiet and inactive pairs, kind graded nudges, pause and resume."""
