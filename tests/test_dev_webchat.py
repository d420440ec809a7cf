"""`python3.11 dev.py webchat`: Web Chat's bundle from `npm pack`, installed only when its digest matches.

A stand-in `npm` on PATH writes the package tarball, so no registry is reached."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

import pytest

import dev

FAKE_NPM = """#!{python}
import io, sys, tarfile
from pathlib import Path
destination = Path(sys.argv[sys.argv.index("--pack-destination") + 1])
assert sys.argv[1:3] == ["pack", "botframework-webchat@{version}"], sys.argv
with tarfile.open(destination / "botframework-webchat-{version}.tgz", "w:gz") as archive:
    for name, content in (("webchat.js", {bundle!r}), ("webchat.js.LICENSE.txt", b"MIT")):
        info = tarfile.TarInfo("package/dist/" + name)
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))
"""


@pytest.fixture
def vendor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "web" / "static" / "vendor"
    monkeypatch.setattr(dev, "ROOT", tmp_path)
    monkeypatch.setattr(dev, "WEBCHAT_DIR", folder)
    return folder


def _npm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundle: bytes) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text(FAKE_NPM.format(python=sys.executable, version=dev.WEBCHAT_VERSION, bundle=bundle))
    npm.chmod(npm.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(bin_dir) + os.pathsep + os.environ.get("PATH", ""))


def test_the_bundle_is_installed_when_its_digest_matches(
    vendor: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = b"window.WebChat = {};"
    _npm(tmp_path, monkeypatch, bundle)
    monkeypatch.setattr(dev, "WEBCHAT_SHA256", hashlib.sha256(bundle).hexdigest())
    assert dev.fetch_webchat() == 0
    assert (vendor / "webchat.js").read_bytes() == bundle
    assert (vendor / "webchat.js.LICENSE.txt").read_bytes() == b"MIT"
    assert dev.fetch_webchat() == 0  # already there: nothing fetched again


def test_a_bundle_with_another_digest_is_refused(
    vendor: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _npm(tmp_path, monkeypatch, b"something else")
    assert dev.fetch_webchat() == 1
    assert not (vendor / "webchat.js").exists()
    assert "not the file this project was tested with" in capsys.readouterr().out


def test_without_npm_it_says_the_page_falls_back_to_the_cdn(
    vendor: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert dev.fetch_webchat() == 1
    assert "needs npm" in capsys.readouterr().out and not vendor.exists()
