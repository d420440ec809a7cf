"""The facilitator dashboard: single-use sign-in links, browser sessions, and the programme read as pages."""
