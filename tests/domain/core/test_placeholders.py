"""Placeholders in guide_content: the CONFIRM LOCALLY marker and bracketed words, never a markdown link."""

from __future__ import annotations

import pytest

from domain.core.placeholders import MARKER, has_placeholder, placeholders_in


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("CONFIRM LOCALLY: the Guardian's name", ("CONFIRM LOCALLY: the Guardian's name",)),
        ("Lawful basis: CONFIRM LOCALLY: Article 6\nnext line", ("CONFIRM LOCALLY: Article 6",)),
        ("delete them after [period]. Ask [lead] before [date].", ("[period]", "[lead]", "[date]")),
        ("[CONFIRM LOCALLY: the network] and more", ("[CONFIRM LOCALLY: the network]",)),
        ("see [the guide](https://example.nhs.uk) for more", ()),
        ("Call Samaritans on 116 123", ()),
        ("confirm locally later", ()),  # the marker is capitals, so ordinary words never trip it
    ],
)
def test_placeholders_are_found_as_written(text: str, found: tuple[str, ...]) -> None:
    assert placeholders_in(text) == found
    assert has_placeholder(text) is bool(found)


def test_the_marker_is_the_documented_one() -> None:
    assert MARKER == "CONFIRM LOCALLY"
