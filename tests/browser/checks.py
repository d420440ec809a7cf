"""What every browser test may check on a page: accessibility (axe-core) and a saved screenshot.

Screenshots and axe reports go to `test-artifacts/` (git-ignored; CI keeps them as artefacts):
`test-artifacts/screenshots/<name>.png` and `test-artifacts/axe/<name>.json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_REPORTS = ARTIFACTS / "axe"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
_AXE = Axe()


def blocking_violations(results: dict[str, Any]) -> list[str]:
    """One line per serious or critical axe violation: rule, impact, how many elements, first target."""
    lines = []
    for violation in results.get("violations", []):
        if violation.get("impact") in BLOCKING_IMPACTS:
            nodes = violation.get("nodes", [])
            first = nodes[0].get("target", ["?"]) if nodes else ["?"]
            lines.append(
                f"{violation['id']} ({violation['impact']}, {len(nodes)} elements, e.g. {first}): {violation['help']}"
            )
    return lines


def assert_accessible(page: Page, name: str) -> dict[str, Any]:
    """Run axe-core on the page as it is now; fail on any serious or critical violation (report saved)."""
    results: dict[str, Any] = _AXE.run(page).response
    AXE_REPORTS.mkdir(parents=True, exist_ok=True)
    (AXE_REPORTS / f"{name}.json").write_text(json.dumps(results.get("violations", []), indent=2), encoding="utf-8")
    problems = blocking_violations(results)
    assert problems == [], f"axe-core found serious or critical problems on {page.url}:\n" + "\n".join(problems)
    return results


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG of the page as it is now; returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return path
