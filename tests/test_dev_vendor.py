"""`python3.11 dev.py webchat` and `python3.11 dev.py chartjs`: a vendor bundle (and its licence) from
`npm pack`, installed only when the bundle's digest matches.

A stand-in `npm` on PATH writes the package tarball, so no registry is reached."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import dev


@dataclass(frozen=True)
class Vendor:
    """One fetched package: where it lands, what npm packs, and what `dev.py` says without npm."""

    command: str
    package: str
    folder: tuple[str, ...]
    dir_setting: str
    version_setting: str
    digest_setting: str
    bundle: str  # file name in the vendor folder
    licence: str
    packed: dict[str, str]  # vendor file name -> path inside the tarball
    without_npm: str


WEBCHAT = Vendor(
    "webchat",
    "botframework-webchat",
    ("web", "static", "vendor"),
    "WEBCHAT_DIR",
    "WEBCHAT_VERSION",
    "WEBCHAT_SHA256",
    "webchat.js",
    "webchat.js.LICENSE.txt",
    {"webchat.js": "package/dist/webchat.js", "webchat.js.LICENSE.txt": "package/dist/webchat.js.LICENSE.txt"},
    "needs npm",
)
CHARTJS = Vendor(
    "chartjs",
    "chart.js",
    ("web", "static", "vendor", "chartjs"),
    "CHARTJS_DIR",
    "CHARTJS_VERSION",
    "CHARTJS_SHA256",
    "chart.umd.min.js",
    "LICENSE.md",
    {"chart.umd.min.js": "package/dist/chart.umd.min.js", "LICENSE.md": "package/LICENSE.md"},
    "tables but no charts",
)

FAKE_NPM = """#!{python}
import io, sys, tarfile
from pathlib import Path
destination = Path(sys.argv[sys.argv.index("--pack-destination") + 1])
assert sys.argv[1:3] == ["pack", "{package}@{version}"], sys.argv
with tarfile.open(destination / "{package}-{version}.tgz", "w:gz") as archive:
    for name, content in {members!r}:
        info = tarfile.TarInfo(name)
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))
"""


@pytest.fixture(params=[WEBCHAT, CHARTJS], ids=lambda vendor: vendor.command)
def vendor(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Vendor:
    chosen: Vendor = request.param
    monkeypatch.setattr(dev, "ROOT", tmp_path)
    monkeypatch.setattr(dev, chosen.dir_setting, tmp_path.joinpath(*chosen.folder))
    return chosen


def _folder(vendor: Vendor, tmp_path: Path) -> Path:
    return tmp_path.joinpath(*vendor.folder)


def _npm(vendor: Vendor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundle: bytes) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    contents = {vendor.bundle: bundle, vendor.licence: b"MIT"}
    members = tuple((inside, contents[name]) for name, inside in vendor.packed.items())
    npm = bin_dir / "npm"
    version = getattr(dev, vendor.version_setting)
    npm.write_text(FAKE_NPM.format(python=sys.executable, package=vendor.package, version=version, members=members))
    npm.chmod(npm.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(bin_dir) + os.pathsep + os.environ.get("PATH", ""))


def test_the_bundle_and_its_licence_are_installed_when_the_digest_matches(
    vendor: Vendor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = b"window.Bundle = function () {};"
    _npm(vendor, tmp_path, monkeypatch, bundle)
    monkeypatch.setattr(dev, vendor.digest_setting, hashlib.sha256(bundle).hexdigest())
    assert dev.main([vendor.command]) == 0
    folder = _folder(vendor, tmp_path)
    assert (folder / vendor.bundle).read_bytes() == bundle
    assert (folder / vendor.licence).read_bytes() == b"MIT"
    assert dev.main([vendor.command]) == 0  # already there: nothing fetched again


def test_a_bundle_with_another_digest_is_refused(
    vendor: Vendor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _npm(vendor, tmp_path, monkeypatch, b"something else")
    assert dev.main([vendor.command]) == 1
    assert not (_folder(vendor, tmp_path) / vendor.bundle).exists()
    assert "not the file this project was tested with" in capsys.readouterr().out


def test_without_npm_it_says_what_still_works(
    vendor: Vendor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert dev.main([vendor.command]) == 1
    assert vendor.without_npm in capsys.readouterr().out
    assert not _folder(vendor, tmp_path).exists()
