"""The Teams app package builder fills the manifest and ships icons of the right size."""

import json
import struct
import zipfile
from pathlib import Path

import pytest

from teams_app.package import build

APP_ID = "00000000-0000-4000-8000-00000000b071"


def test_package_has_filled_manifest_and_icons(tmp_path: Path) -> None:
    out = build(APP_ID, "bot.example.nhs.uk", tmp_path / "app.zip")
    with zipfile.ZipFile(out) as package:
        manifest = json.loads(package.read("manifest.json"))
        sizes = {name: struct.unpack(">II", package.read(name)[16:24]) for name in ("color.png", "outline.png")}
    assert manifest["id"] == APP_ID and manifest["bots"][0]["botId"] == APP_ID
    assert manifest["validDomains"] == ["bot.example.nhs.uk"]
    assert "{{" not in json.dumps(manifest)
    assert sizes == {"color.png": (192, 192), "outline.png": (32, 32)}
    assert "mentor" not in json.dumps(manifest).lower()


def test_package_refuses_an_app_id_that_is_not_a_guid(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        build("my-bot", "bot.example.nhs.uk", tmp_path / "app.zip")
