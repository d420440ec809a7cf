"""One-command developer tasks, standard library only (works on a fresh Python 3.11).

    python3.11 dev.py run     set up .venv if needed, then start the bot (local development mode)
    python3.11 dev.py test    set up .venv if needed, then run the whole test suite
    python3.11 dev.py webchat fetch Microsoft's Web Chat for the try-it page (needs npm; no .venv)
    python3.11 dev.py chartjs fetch Chart.js for the facilitator dashboard's charts (needs npm; no .venv)

Extra arguments after `test` go to pytest, after `run` to bot.py.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".requirements-sha256"
# The try-it page's Web Chat: npm's botframework-webchat, its browser bundle checked against this digest.
WEBCHAT_VERSION = "4.18.1"
WEBCHAT_SHA256 = "0a68ad0a64fc04d621197da10c3eec0f843e16f7d03f6bcbed29b47517cf9bff"
WEBCHAT_DIR = ROOT / "web" / "static" / "vendor"
# The dashboard's charts: npm's chart.js (MIT), its UMD bundle checked against this digest.
CHARTJS_VERSION = "4.6.1"
CHARTJS_SHA256 = "87364cc2b2a76a6684929e7d6b80b18a897794db38400caff1fcf1791c6925d2"
CHARTJS_DIR = ROOT / "web" / "static" / "vendor" / "chartjs"


def venv_python() -> Path:
    """The interpreter inside the project's virtual environment."""
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def requirements_digest() -> str:
    """A digest of both requirements files, so a change triggers a reinstall."""
    digest = hashlib.sha256()
    for name in ("requirements.txt", "requirements-dev.txt"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_environment() -> Path:
    """Create .venv and install the pinned requirements when missing or changed."""
    if not venv_python().exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = requirements_digest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print("Installing requirements into .venv ...", flush=True)
        pip = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "-r", str(ROOT / "requirements-dev.txt")], check=True)
        STAMP.write_text(wanted)
    return venv_python()


def fetch_webchat() -> int:
    """Put Web Chat's browser bundle in web/static/vendor/ (from `npm pack`), so try-it needs no CDN."""
    files = {name: f"package/dist/{name}" for name in ("webchat.js", "webchat.js.LICENSE.txt")}
    fallback = "without it the try-it page uses Microsoft's CDN"
    return _fetch_npm("botframework-webchat", WEBCHAT_VERSION, WEBCHAT_SHA256, WEBCHAT_DIR, files, fallback)


def fetch_chartjs() -> int:
    """Put Chart.js's browser bundle in web/static/vendor/chartjs/ (from `npm pack`): the dashboard serves it."""
    files = {"chart.umd.min.js": "package/dist/chart.umd.min.js", "LICENSE.md": "package/LICENSE.md"}
    fallback = "without it the dashboard shows its tables but no charts"
    return _fetch_npm("chart.js", CHARTJS_VERSION, CHARTJS_SHA256, CHARTJS_DIR, files, fallback)


def _fetch_npm(name: str, version: str, sha256: str, folder: Path, files: dict[str, str], fallback: str) -> int:
    """`npm pack name@version`, then copy `files` (target name -> path in the tarball) into `folder`; the
    first file must have the digest `sha256`, else nothing is installed."""
    bundle = next(iter(files))
    target = folder / bundle
    shown = f"{name} {version}"
    if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == sha256:
        print(f"{shown} is already in {target.relative_to(ROOT)}")
        return 0
    npm = shutil.which("npm")
    if npm is None:
        print(f"Fetching {shown} needs npm (install Node.js); {fallback}.")
        return 1
    with tempfile.TemporaryDirectory() as temporary:
        package = f"{name}@{version}"
        subprocess.run(
            [npm, "pack", package, "--silent", "--pack-destination", temporary],
            check=True,
            cwd=temporary,
            stdout=subprocess.DEVNULL,
        )
        with tarfile.open(next(Path(temporary).glob(f"{name}-*.tgz"))) as archive:
            content = {target_name: _member(archive, member) for target_name, member in files.items()}
    if hashlib.sha256(content[bundle]).hexdigest() != sha256:
        print(
            f"{package}: {files[bundle].removeprefix('package/')} is not the file this project was tested with; "
            "not installed."
        )
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    for target_name, data in content.items():
        (folder / target_name).write_bytes(data)
    print(f"{shown} fetched into {target.relative_to(ROOT)}")
    return 0


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    extracted = archive.extractfile(name)
    if extracted is None:
        raise FileNotFoundError(name)
    return extracted.read()


def main(argv: list[str]) -> int:
    """Dispatch `run` / `test` / `webchat` / `chartjs`."""
    if argv and argv[0] == "webchat":
        return fetch_webchat()
    if argv and argv[0] == "chartjs":
        return fetch_chartjs()
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__)
        return 2
    python = str(ensure_environment())
    if argv[0] == "run":
        return subprocess.call([python, str(ROOT / "bot.py"), *argv[1:]], cwd=ROOT)
    return subprocess.call([python, "-m", "pytest", *argv[1:]], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
