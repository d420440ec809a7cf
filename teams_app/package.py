"""Build the Teams app package: `python3.11 teams_app/package.py <app id> [<public url>]`.

The public URL is the bot's `PLP_PUBLIC_URL` (read from the environment when not given),
such as `https://plp.example.nhs.uk`. It fills the manifest: the privacy and terms links
point at `<public url>/privacy` and `<public url>/terms`, which the bot serves, and the
URL's host is the app's valid domain. The icons are drawn in code (teams_app/icons.py)
unless `color.png` / `outline.png` of the right size sit next to this file. Writes
teams_app/plp-companion.zip. Standard library only.
"""

from __future__ import annotations

import json
import os
import re
import struct
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

try:
    from teams_app.icons import COLOR_SIZE, OUTLINE_SIZE, color_icon, outline_icon
except ModuleNotFoundError:  # run as a script: its own folder is on the path, the project root is not
    from icons import COLOR_SIZE, OUTLINE_SIZE, color_icon, outline_icon  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
ICONS = {"color.png": (COLOR_SIZE, color_icon), "outline.png": (OUTLINE_SIZE, outline_icon)}


def public_base(url: str) -> tuple[str, str]:
    """(base URL without a trailing slash, host[:port]) for an https address; a bare host means https."""
    given = url.strip()
    if given and "://" not in given:
        given = f"https://{given}"
    parts = urlsplit(given)
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise SystemExit(f"the public URL must be the bot's https:// address (PLP_PUBLIC_URL), not {url!r}")
    return given.rstrip("/"), parts.netloc


def manifest(app_id: str, public_url: str) -> str:
    """manifest.json with the app id, the public URL and its host filled in."""
    if not GUID.match(app_id):
        raise SystemExit(f"the app id must be a GUID, not {app_id!r}")
    base, domain = public_base(public_url)
    text = (HERE / "manifest.json").read_text(encoding="utf-8")
    for name, value in (("MICROSOFT_APP_ID", app_id), ("PUBLIC_URL", base), ("BOT_DOMAIN", domain)):
        text = text.replace("{{" + name + "}}", json.dumps(value)[1:-1])
    json.loads(text)  # still valid JSON
    return text


def icon(name: str) -> bytes:
    """The trust's own icon file when present (it must have the right size), else the drawn one."""
    size, draw = ICONS[name]
    path = HERE / name
    if not path.exists():
        return draw()
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n" or struct.unpack(">II", data[16:24]) != (size, size):
        raise SystemExit(f"teams_app/{name} must be a {size}x{size} PNG")
    return data


def build(app_id: str, public_url: str, out: Path) -> Path:
    """Write the zip and return its path."""
    text = manifest(app_id, public_url)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", text)
        for name in ICONS:
            package.writestr(name, icon(name))
    return out


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    url = sys.argv[2] if len(sys.argv) == 3 else os.environ.get("PLP_PUBLIC_URL", "")
    print(build(sys.argv[1], url, HERE / "plp-companion.zip"))
