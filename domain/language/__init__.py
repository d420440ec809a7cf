"""Understanding what people type: choices, numbers, dates and times, in plain words."""
