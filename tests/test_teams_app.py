"""The Teams app package: a manifest that passes Microsoft's own schema for its version, privacy
and terms links at the bot's public URL, and real icons (outline: white on transparent)."""

from __future__ import annotations

import copy
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from teams_app import package
from teams_app.icons import NHS_BLUE, color_icon, outline_icon, png
from teams_app.package import build
from tests.json_schema import UnknownKeyword, errors
from tests.png_reader import read_png

APP_ID = "00000000-0000-4000-8000-00000000b071"
SCHEMAS = Path(__file__).resolve().parent / "fixtures" / "teams"


def _package(tmp_path: Path, public_url: str = "https://bot.example.nhs.uk") -> dict[str, bytes]:
    out = build(APP_ID, public_url, tmp_path / "app.zip")
    with zipfile.ZipFile(out) as built:
        return {name: built.read(name) for name in built.namelist()}


def _manifest(tmp_path: Path, public_url: str = "https://bot.example.nhs.uk") -> dict[str, Any]:
    return json.loads(_package(tmp_path, public_url)["manifest.json"])


def _schema(version: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"MicrosoftTeams.v{version}.schema.json").read_text(encoding="utf-8"))


def test_package_has_filled_manifest_and_icons(tmp_path: Path) -> None:
    files = _package(tmp_path)
    manifest = json.loads(files["manifest.json"])
    assert sorted(files) == ["color.png", "manifest.json", "outline.png"]
    assert manifest["id"] == APP_ID and manifest["bots"][0]["botId"] == APP_ID
    assert manifest["validDomains"] == ["bot.example.nhs.uk"]
    assert "{{" not in json.dumps(manifest)
    assert "mentor" not in json.dumps(manifest).lower()


def test_the_manifest_passes_microsofts_schema_for_its_version(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path)
    version = manifest["manifestVersion"]
    assert manifest["$schema"].endswith(f"/v{version}/MicrosoftTeams.schema.json")
    assert errors(_schema(version), manifest) == []


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda m: m.update(botName="x"), "'botName' is not allowed"),
        (lambda m: m["name"].update(short="A name far longer than thirty characters"), "$.name.short: at most 30"),
        (lambda m: m.update(accentColor="blue"), "$.accentColor"),
        (lambda m: m["developer"].pop("privacyUrl"), "'privacyUrl' is required"),
        (lambda m: m.update(id="my-bot"), "$.id"),
        (lambda m: m.update(manifestVersion="1.16"), "must be '1.17'"),
        (lambda m: m["bots"][0].update(scopes=["everywhere"]), "$.bots[0].scopes[0]"),
    ],
)
def test_the_schema_check_finds_what_teams_would_refuse(tmp_path: Path, change: Any, complaint: str) -> None:
    manifest = copy.deepcopy(_manifest(tmp_path))
    change(manifest)
    assert any(complaint in line for line in errors(_schema("1.17"), manifest))


def test_the_validator_refuses_keywords_it_does_not_know() -> None:
    with pytest.raises(UnknownKeyword):
        errors({"type": "object", "oneOf": [{"required": ["a"]}]}, {})


def test_privacy_and_terms_point_at_the_pages_the_bot_serves(tmp_path: Path) -> None:
    developer = _manifest(tmp_path, "https://bot.example.nhs.uk/")["developer"]
    assert developer["privacyUrl"] == "https://bot.example.nhs.uk/privacy"
    assert developer["termsOfUseUrl"] == "https://bot.example.nhs.uk/terms"
    assert developer["websiteUrl"] == "https://bot.example.nhs.uk/terms"


def test_a_public_url_with_a_path_keeps_it_and_its_host_is_the_valid_domain(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path, "https://apps.trust.nhs.uk:8443/plp")
    assert manifest["developer"]["privacyUrl"] == "https://apps.trust.nhs.uk:8443/plp/privacy"
    assert manifest["validDomains"] == ["apps.trust.nhs.uk:8443"]


def test_a_bare_domain_means_https(tmp_path: Path) -> None:
    assert _manifest(tmp_path, "bot.example.nhs.uk")["developer"]["termsOfUseUrl"] == "https://bot.example.nhs.uk/terms"


@pytest.mark.parametrize("url", ["http://bot.example.nhs.uk", "https://", "", "https://bot.example.nhs.uk/?x=1"])
def test_a_public_url_that_is_not_https_is_refused(tmp_path: Path, url: str) -> None:
    with pytest.raises(SystemExit, match="https://"):
        build(APP_ID, url, tmp_path / "app.zip")


def test_package_refuses_an_app_id_that_is_not_a_guid(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="GUID"):
        build("my-bot", "https://bot.example.nhs.uk", tmp_path / "app.zip")


def test_the_outline_icon_is_white_on_transparent(tmp_path: Path) -> None:
    shipped = _package(tmp_path)["outline.png"]
    assert shipped == outline_icon()
    pixels = read_png(shipped)
    assert (len(pixels), len(pixels[0])) == (32, 32)
    flat = [pixel for row in pixels for pixel in row]
    alphas = [alpha for *_, alpha in flat]
    assert all(pixels[y][x][3] == 0 for y, x in ((0, 0), (0, 31), (31, 0), (31, 31), (16, 0), (0, 16)))
    assert all((r, g, b) == (255, 255, 255) for r, g, b, a in flat if a > 0)  # the glyph is white, nothing else
    assert alphas.count(255) >= 60  # a solid glyph, not a faint smudge
    assert 0.4 < alphas.count(0) / len(flat) < 0.9  # mostly transparent: never an opaque square


def test_the_colour_icon_is_192_opaque_with_a_white_glyph_on_blue(tmp_path: Path) -> None:
    shipped = _package(tmp_path)["color.png"]
    assert shipped == color_icon()
    pixels = read_png(shipped)
    assert (len(pixels), len(pixels[0])) == (192, 192)
    flat = [pixel for row in pixels for pixel in row]
    assert all(a == 255 for *_, a in flat)
    assert pixels[0][0] == pixels[191][191] == (*NHS_BLUE, 255)
    white = sum(1 for pixel in flat if pixel == (255, 255, 255, 255))
    assert 0.05 < white / len(flat) < 0.4
    assert all(pixels[y][x] == (*NHS_BLUE, 255) for y in range(0, 30) for x in range(192))  # a margin round the glyph


def test_trust_artwork_is_used_only_at_the_right_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "teams_app"
    folder.mkdir()
    shutil.copy(package.HERE / "manifest.json", folder / "manifest.json")
    monkeypatch.setattr(package, "HERE", folder)
    (folder / "outline.png").write_bytes(color_icon())  # 192x192 where 32x32 belongs
    with pytest.raises(SystemExit, match=r"outline\.png must be a 32x32 PNG"):
        build(APP_ID, "https://bot.example.nhs.uk", tmp_path / "app.zip")
    artwork = read_png(outline_icon())
    artwork[0][0] = (255, 255, 255, 128)
    own = package.icon("color.png")  # no colour file: the drawn one
    (folder / "outline.png").write_bytes(png(artwork))
    assert package.icon("outline.png") == png(artwork) and own == color_icon()


def test_the_dashboard_tab_opens_the_page_that_explains_the_sign_in(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path, "https://bot.example.nhs.uk/")
    (tab,) = manifest["staticTabs"]
    assert tab["contentUrl"] == "https://bot.example.nhs.uk/dashboard/tab"
    assert tab["scopes"] == ["personal"]
    commands = manifest["bots"][0]["commandLists"][0]["commands"]
    assert {"title": "dashboard", "description": "Facilitators: a sign-in link to the web dashboard"} in commands
