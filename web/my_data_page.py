"""The `my data` page as HTML: every section, every value escaped (people's own words are shown as
text, never as markup), readable without any script or outside resource."""

from __future__ import annotations

from html import escape
from typing import Any

from domain.privacy.model import MyData

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}"
    "h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}"
    "dt{font-weight:600;margin-top:.5rem}dd{margin-left:1rem;white-space:pre-wrap}"
    "ul{padding-left:1.2rem}li{margin:.4rem 0}.note{color:#555}"
)


def page(data: MyData, json_url: str) -> str:
    """The whole HTML document."""
    sections = "".join(
        f"<section><h2>{escape(title)}</h2>{_value(content)}</section>" for title, content in data.sections.items()
    )
    if not sections:
        sections = "<p>The companion holds nothing about you beyond this page's own record.</p>"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>Your data: PLP Companion</title><style>{_STYLE}</style></head><body>"
        "<h1>Everything the PLP Companion holds about you</h1>"
        f'<p class="note">Made {escape(data.generated_at.strftime("%d %B %Y, %H:%M UTC"))}. This page is private to '
        "you: please don't share its address. "
        f'<a href="{escape(json_url, quote=True)}">Download it as JSON</a>. To delete everything, type '
        "<strong>erase me</strong> in your chat with the companion.</p>"
        f"{sections}</body></html>"
    )


def _value(value: Any) -> str:
    """One value of any shape: text, a yes/no, a list, or labelled fields."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        rows = "".join(f"<dt>{escape(str(k))}</dt><dd>{_value(v)}</dd>" for k, v in value.items())
        return f"<dl>{rows}</dl>"
    if isinstance(value, list | tuple):
        if not value:
            return "<span class='note'>none</span>"
        return "<ul>" + "".join(f"<li>{_value(item)}</li>" for item in value) + "</ul>"
    if value is None or value == "":
        return "<span class='note'>none</span>"
    return escape(str(value))
