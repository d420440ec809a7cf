"""The Teams app icons, drawn in code: two overlapping rings, two partners as equals.

- `color_icon()`: 192x192, the white rings on NHS blue, opaque (Teams' full-colour icon).
- `outline_icon()`: 32x32, the white rings on a transparent background (Teams' outline icon
  must be white on transparent; an opaque square shows as a blank tile).

Edges are anti-aliased by sampling each pixel on a 4x4 grid. Standard library only: the
PNG is written by hand (8-bit RGBA, zlib-compressed, CRC per chunk).
"""

from __future__ import annotations

import math
import struct
import zlib
from functools import cache

COLOR_SIZE, OUTLINE_SIZE = 192, 32
NHS_BLUE = (0, 94, 184)
WHITE = (255, 255, 255)
_SAMPLES = 4
# The glyph in its own unit square: two rings side by side, overlapping in the middle.
_CENTRES = ((0.34, 0.5), (0.66, 0.5))
_OUTER, _INNER = 0.31, 0.21
Pixel = tuple[int, int, int, int]


@cache  # drawn once per process: about half a second of pure Python
def color_icon() -> bytes:
    """The 192x192 full-colour icon: white rings in the middle 112 pixels, NHS blue all round."""
    return png(_draw(COLOR_SIZE, glyph_box=112, background=(*NHS_BLUE, 255)))


@cache
def outline_icon() -> bytes:
    """The 32x32 outline icon: white rings, everything else fully transparent."""
    return png(_draw(OUTLINE_SIZE, glyph_box=30, background=(*WHITE, 0)))


def png(rows: list[list[Pixel]]) -> bytes:
    """An 8-bit RGBA PNG of these rows of pixels (every row the same width)."""
    height, width = len(rows), len(rows[0])
    raw = b"".join(b"\x00" + bytes(channel for pixel in row for channel in pixel) for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # depth 8, RGBA, deflate, no interlace
    chunks = (_chunk(b"IHDR", header), _chunk(b"IDAT", zlib.compress(raw, 9)), _chunk(b"IEND", b""))
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _draw(size: int, glyph_box: int, background: Pixel) -> list[list[Pixel]]:
    """Every pixel: the background, with the white glyph laid over it by coverage."""
    offset = (size - glyph_box) / 2
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            cover = _coverage((x - offset) / glyph_box, (y - offset) / glyph_box, 1 / glyph_box)
            row.append(_over(background, cover))
        rows.append(row)
    return rows


def _coverage(left: float, top: float, step: float) -> float:
    """The share of this pixel (its top-left corner and width, in glyph units) inside a ring."""
    inside = 0
    for i in range(_SAMPLES):
        for j in range(_SAMPLES):
            u, v = left + (i + 0.5) * step / _SAMPLES, top + (j + 0.5) * step / _SAMPLES
            inside += any(_INNER <= math.hypot(u - cx, v - cy) <= _OUTER for cx, cy in _CENTRES)
    return inside / _SAMPLES**2


def _over(background: Pixel, cover: float) -> Pixel:
    """White over the background by `cover`: blended colour when opaque, white with alpha when transparent."""
    if background[3] == 0:
        return (*WHITE, round(255 * cover))
    red, green, blue = (round(c + (255 - c) * cover) for c in background[:3])
    return (red, green, blue, background[3])
