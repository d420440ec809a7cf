"""HTTP routes: the guarded messages endpoint and health checks (dashboard later)."""
