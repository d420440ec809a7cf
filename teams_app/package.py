"""Build the Teams app package: `python3.11 teams_app/package.py <app id> <bot domain>`.

Fills the manifest placeholders, draws plain placeholder icons (replace them with your
trust's artwork if you like) and writes teams_app/plp-companion.zip. Standard library only.
"""

from __future__ import annotations

import json
import re
import struct
import sys
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


def png(size: int, rgba: tuple[int, int, int, int]) -> bytes:
    """A square PNG of one colour (enough for Teams' icon checks)."""
    row = b"\x00" + bytes(rgba) * size

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * size)) + chunk(b"IEND", b"")
    )


def build(app_id: str, domain: str, out: Path) -> Path:
    """Write the zip and return its path."""
    if not GUID.match(app_id):
        raise SystemExit(f"the app id must be a GUID, not {app_id!r}")
    manifest = (HERE / "manifest.json").read_text(encoding="utf-8")
    manifest = manifest.replace("{{MICROSOFT_APP_ID}}", app_id).replace("{{BOT_DOMAIN}}", domain)
    json.loads(manifest)  # still valid JSON
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", manifest)
        package.writestr(
            "color.png",
            (HERE / "color.png").read_bytes() if (HERE / "color.png").exists() else png(192, (0, 94, 184, 255)),
        )
        package.writestr(
            "outline.png",
            (HERE / "outline.png").read_bytes() if (HERE / "outline.png").exists() else png(32, (255, 255, 255, 255)),
        )
    return out


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    print(build(sys.argv[1], sys.argv[2], HERE / "plp-companion.zip"))
