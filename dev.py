"""One-command developer tasks, standard library only (works on a fresh Python 3.11).

    python3.11 dev.py run     set up .venv if needed, then start the bot (local development mode)
    python3.11 dev.py test    set up .venv if needed, then run the whole test suite
    python3.11 dev.py webchat fetch Microsoft's Web Chat for the try-it page (needs npm; no .venv)

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
    target = WEBCHAT_DIR / "webchat.js"
    if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == WEBCHAT_SHA256:
        print(f"Web Chat {WEBCHAT_VERSION} is already in {target.relative_to(ROOT)}")
        return 0
    npm = shutil.which("npm")
    if npm is None:
        print("Fetching Web Chat needs npm (install Node.js); without it the try-it page uses Microsoft's CDN.")
        return 1
    with tempfile.TemporaryDirectory() as folder:
        package = f"botframework-webchat@{WEBCHAT_VERSION}"
        subprocess.run(
            [npm, "pack", package, "--silent", "--pack-destination", folder],
            check=True,
            cwd=folder,
            stdout=subprocess.DEVNULL,
        )
        with tarfile.open(next(Path(folder).glob("botframework-webchat-*.tgz"))) as archive:
            files = {
                name: _member(archive, f"package/dist/{name}") for name in ("webchat.js", "webchat.js.LICENSE.txt")
            }
    if hashlib.sha256(files["webchat.js"]).hexdigest() != WEBCHAT_SHA256:
        print(f"{package}: dist/webchat.js is not the file this project was tested with; not installed.")
        return 1
    WEBCHAT_DIR.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (WEBCHAT_DIR / name).write_bytes(content)
    print(f"Web Chat {WEBCHAT_VERSION} fetched into {target.relative_to(ROOT)}")
    return 0


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    extracted = archive.extractfile(name)
    if extracted is None:
        raise FileNotFoundError(name)
    return extracted.read()


def main(argv: list[str]) -> int:
    """Dispatch `run` / `test` / `webchat`."""
    if argv and argv[0] == "webchat":
        return fetch_webchat()
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__)
        return 2
    python = str(ensure_environment())
    if argv[0] == "run":
        return subprocess.call([python, str(ROOT / "bot.py"), *argv[1:]], cwd=ROOT)
    return subprocess.call([python, "-m", "pytest", *argv[1:]], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
