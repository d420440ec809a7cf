"""The facilitator dashboard's web side: routes, session cookie and CSRF checks, Jinja2 templates."""
