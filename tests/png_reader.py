"""Read an 8-bit RGBA PNG back into pixels, checking every chunk's CRC (tests only)."""

from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
Pixel = tuple[int, int, int, int]


def read_png(data: bytes) -> list[list[Pixel]]:
    """Rows of (r, g, b, a); raises AssertionError for anything but a valid non-interlaced RGBA8 PNG."""
    assert data[:8] == SIGNATURE, "not a PNG"
    chunks = _chunks(data[8:])
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour, compression, filtering, interlace) == (8, 6, 0, 0, 0), "expected 8-bit RGBA"
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * 4
    assert len(raw) == height * (stride + 1)
    rows: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        previous = _unfilter(line[0], bytearray(line[1:]), previous)
        rows.append(previous)
    return [[tuple(row[x : x + 4]) for x in range(0, stride, 4)] for row in rows]  # type: ignore[misc]


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    found = []
    while data:
        (length,) = struct.unpack(">I", data[:4])
        kind, body, (crc,) = data[4:8], data[8 : 8 + length], struct.unpack(">I", data[8 + length : 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        found.append((kind, body))
        data = data[12 + length :]
    return found


def _unfilter(kind: int, line: bytearray, above: bytes) -> bytes:
    for i in range(len(line)):
        left = line[i - 4] if i >= 4 else 0
        up, corner = above[i], (above[i - 4] if i >= 4 else 0)
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + up) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            line[i] = (line[i] + _paeth(left, up, corner)) & 0xFF
        else:
            assert kind == 0, f"unknown filter {kind}"
    return bytes(line)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c
