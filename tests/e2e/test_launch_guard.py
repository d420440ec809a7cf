"""`python bot.py` in its own process: production with problems refuses to start, naming each one
(exit 2, no traceback, nothing opened); a PLP_ENV typo is refused too; development starts and warns."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = (
    "PLP_ENV",
    "PLP_PUBLIC_URL",
    "MICROSOFT_APP_ID",
    "MICROSOFT_APP_PASSWORD",
    "MICROSOFT_APP_TYPE",
    "MICROSOFT_APP_TENANT_ID",
    "ALLOWED_TENANT_IDS",
    "PLP_SIGNING_KEY",
)


def _bot(tmp_path: Path, *args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """Run bot.py with only these of our settings (others from this environment are removed)."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env.update({name: "" for name in SETTINGS}, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    env.update(environ)
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,  # a bot that wrongly started serving would otherwise hang the test
        check=False,
    )


def test_production_with_problems_exits_2_naming_each_one(tmp_path: Path) -> None:
    done = _bot(
        tmp_path,
        PLP_ENV="production",
        PLP_PUBLIC_URL="http://plp.example.nhs.uk",
        MICROSOFT_APP_ID="00000000-0000-4000-8000-00000000b071",
        PLP_SIGNING_KEY="too-short",
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == "PLP Companion cannot start in production: 14 problems to fix first:"
    named = [line.split(" ")[1] for line in lines[1:]]
    assert named[:4] == ["PLP_PUBLIC_URL", "MICROSOFT_APP_PASSWORD", "ALLOWED_TENANT_IDS", "PLP_SIGNING_KEY"]
    assert (
        named[4:]
        == ["guide_content/support.yaml:"] * 5 + ["guide_content/polls:"] + ["guide_content/privacy.yaml:"] * 4
    )
    assert "too-short" not in done.stderr and "Traceback" not in done.stderr + done.stdout
    assert done.stdout == "" and not (tmp_path / "bot.db").exists()  # refused before opening anything


def test_a_plp_env_typo_is_refused_in_every_mode(tmp_path: Path) -> None:
    done = _bot(tmp_path, "migrate", PLP_ENV="prod")
    assert done.returncode == 2
    assert done.stderr.startswith("PLP Companion cannot start with PLP_ENV='prod': ")
    assert "- PLP_ENV must be exactly 'development' or 'production', not 'prod'" in done.stderr.splitlines()
    assert "Traceback" not in done.stderr and not (tmp_path / "bot.db").exists()


def test_development_starts_and_warns_about_the_same_problems(tmp_path: Path) -> None:
    done = _bot(tmp_path, "migrate", PLP_ENV="development")
    assert done.returncode == 0, done.stderr
    marker = "WARNING plp not ready for production: "
    warnings = [line.split(marker, 1)[1] for line in done.stderr.splitlines() if marker in line]
    assert [w.split(" ")[0] for w in warnings[:5]] == [
        "PLP_PUBLIC_URL",
        "MICROSOFT_APP_ID",
        "MICROSOFT_APP_PASSWORD",
        "ALLOWED_TENANT_IDS",
        "PLP_SIGNING_KEY",
    ]
    assert len(warnings) == 15 and (tmp_path / "bot.db").exists()
    assert done.stdout.startswith("database schema migrated")
