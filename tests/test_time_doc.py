"""docs/time.md's worked example is what the store answers: its tables are read and asked again."""

from __future__ import annotations

import re
from datetime import date

from stancegraph.graph.results import ClaimView
from stancegraph.graph.store import GraphStore
from stancegraph.graph.window import TimeWindow
from stancegraph.settings import PROJECT_ROOT

DOC = (PROJECT_ROOT / "docs" / "time.md").read_text(encoding="utf-8")
ACTOR, TARGET = "google", "any-lawful-use"  # the example the seeds hold


def _section(title: str) -> str:
    return DOC.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def _tables(text: str) -> list[list[list[str]]]:
    """Each markdown table's body rows, as lists of cells."""
    tables: list[list[list[str]]] = []
    for block in re.findall(r"(?:^\|.*\|\n)+", text, flags=re.M):
        lines = block.strip().splitlines()[2:]  # the header and its rule
        tables.append([[cell.strip() for cell in line.strip("|").split("|")] for line in lines])
    return tables


def _cited(claims: list[ClaimView]) -> str:
    return "; ".join(f"{c.id} ({', '.join(sorted({ev.source for ev in c.evidence}))})" for c in claims)


def test_history_table_is_the_stores(memory_store: GraphStore) -> None:
    steps, _ = _tables(_section('Worked example: Google on "any lawful use"'))
    found = memory_store.history(ACTOR, TARGET)
    expected = [
        [
            "+1 for" if s.polarity > 0 else "-1 against",
            str(s.start.value),
            "holds" if s.end is None else str(s.end.value),
            _cited(s.claims),
        ]
        for s in found.steps
    ]
    assert steps == expected
    assert [s.date.value for s in memory_store.switches(entity=ACTOR) if s.toward.id == TARGET] == [
        found.steps[1].start.value
    ]


def test_as_of_table_is_the_stores(memory_store: GraphStore) -> None:
    _, points = _tables(_section('Worked example: Google on "any lawful use"'))
    assert points
    for as_of, known_by, holds, time in points:
        window = TimeWindow(
            as_of=date.fromisoformat(as_of), known_by=date.fromisoformat(known_by) if known_by else None
        )
        claims = memory_store.between(ACTOR, TARGET, window=window)
        assert holds == ", ".join(c.id for c in claims), (as_of, known_by)
        matches = [
            f"{name} {match}"
            for c in claims
            if c.time is not None
            for name, match in (("as_of", c.time.as_of), ("known_by", c.time.known_by))
            if match is not None
        ]
        assert time == ", ".join(matches), (as_of, known_by)


def test_ended_example_is_the_stores(memory_store: GraphStore) -> None:
    text = _section('Worked example: Google on "any lawful use"')
    contract, ban = re.findall(r"\(`([a-z0-9._-]+)`", text.split("An `ended` example", 1)[1])[:2]
    held = memory_store.claim(contract).valid.held
    assert held[-1].ended_by is not None
    assert (held[-1].ended_by.reason, held[-1].ended_by.claim) == ("ended", ban)
    assert held[-1].ended_by.source in text
