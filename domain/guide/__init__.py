"""The Guide for Learning Partners: content, schedule, delivery and browsing."""
