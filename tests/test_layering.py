"""The shape of the code, checked: what import-linter cannot see (calls, not imports).

- Services are the only door to storage: no unit of work is opened, and no repository is
  reached, from `dialogs/` or `web/`.
- `domain/` holds capability packages only, each naming its roles the same way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROLES = {"model.py", "rules.py", "service.py", "wording.py", "ports.py", "content.py"}


def _python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _storage_reaches(path: Path, base: Path = ROOT) -> list[str]:
    """Every `.transaction` attribute and every name `uow` in one module, as 'file:line what', in order."""
    hits = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Attribute) and node.attr == "transaction":
            hits.append((node.lineno, node.col_offset, ".transaction"))
        if isinstance(node, ast.Name) and node.id == "uow":
            hits.append((node.lineno, node.col_offset, "uow"))
    return [f"{path.relative_to(base)}:{line} {what}" for line, _, what in sorted(hits)]


@pytest.mark.parametrize("folder", ["dialogs", "web", "channels"])
def test_only_services_open_a_unit_of_work(folder: str) -> None:
    reaches = [hit for path in _python_files(folder) for hit in _storage_reaches(path)]
    assert reaches == []


def test_a_storage_reach_would_be_seen(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("async def f(store):\n    async with store.transaction() as uow:\n        await uow.x()\n")
    assert _storage_reaches(sample, tmp_path) == ["sample.py:2 .transaction", "sample.py:2 uow", "sample.py:3 uow"]


def test_no_module_sits_directly_in_domain() -> None:
    loose = [p.name for p in (ROOT / "domain").glob("*.py") if p.name != "__init__.py"]
    assert loose == []


def test_every_capability_package_names_its_roles_the_same_way() -> None:
    packages = [p for p in (ROOT / "domain").iterdir() if (p / "__init__.py").exists()]
    assert {p.name for p in packages} >= {"core", "language", "guide", "aims", "meetings", "polls"}
    for package in packages:
        if package.name in ("core", "language"):
            continue
        names = {p.name for p in package.glob("*.py")} - {"__init__.py"}
        assert "service.py" in names, f"{package.name} has no service.py"
        assert names & ROLES, package.name
