"""One-command developer tasks, standard library only (works on a fresh Python 3.11).

    python3.11 dev.py run     set up .venv if needed, then start the bot (local development mode)
    python3.11 dev.py test    set up .venv if needed, then run the whole test suite

Extra arguments after `test` go to pytest, after `run` to bot.py.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".requirements-sha256"


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


def main(argv: list[str]) -> int:
    """Dispatch `run` / `test`."""
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__)
        return 2
    python = str(ensure_environment())
    if argv[0] == "run":
        return subprocess.call([python, str(ROOT / "bot.py"), *argv[1:]], cwd=ROOT)
    return subprocess.call([python, "-m", "pytest", *argv[1:]], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
