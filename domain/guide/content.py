"""The Guide for Learning Partners: load guide_content/ and validate all of it at start-up.

Usage: `guide = load_guide()` once in the composition root; a `GuideError` (a
`ContentError`) lists every problem as `file:line: item: field 'name': what is wrong`.
"""

from __future__ import annotations

from pathlib import Path

from domain.core.content import CONTENT_DIR, ContentError
from domain.core.content_yaml import Problems, read_yaml
from domain.guide.journey import GUIDE_FILE, build_journey
from domain.guide.model import Guide
from domain.guide.support import RESOURCES_FILE, SUPPORT_FILE, build_resources, build_support


class GuideError(ContentError):
    """guide_content/ is invalid; the message lists every problem, one per line."""

    def __init__(self, message: str, problems: tuple[str, ...]) -> None:
        super().__init__(message)
        self.problems = problems


def load_guide(content_dir: Path = CONTENT_DIR) -> Guide:
    """Read guide.yaml, resources.yaml and support.yaml; raise GuideError listing every problem."""
    problems = Problems((GUIDE_FILE, RESOURCES_FILE, SUPPORT_FILE))
    guide_root = read_yaml(content_dir, GUIDE_FILE, problems)
    resources_root = read_yaml(content_dir, RESOURCES_FILE, problems)
    support_root = read_yaml(content_dir, SUPPORT_FILE, problems)
    journey = None if guide_root is None else build_journey(guide_root, problems)
    # Without readable phases in guide.yaml, resources' phase ids cannot be checked.
    phase_ids = journey.phase_ids if journey and journey.phase_ids else None
    resources = () if resources_root is None else build_resources(resources_root, phase_ids, problems)
    support = None if support_root is None else build_support(support_root, problems)
    if problems or journey is None or support is None or journey.evaluation_survey is None:
        raise _error(content_dir, problems)
    return Guide(
        journey.phases,
        journey.checkins,
        journey.evaluation_survey,
        journey.prompts,
        journey.triggered,
        resources,
        support,
    )


def _error(content_dir: Path, problems: Problems) -> GuideError:
    """One error carrying every problem, one per line, under a heading naming the folder."""
    found = tuple(problems.lines) or ("the content is incomplete",)
    count = f"{len(found)} problem{'s' if len(found) != 1 else ''}"
    return GuideError(f"Guide content in {content_dir} has {count}:\n" + "\n".join(found), found)
