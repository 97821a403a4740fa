"""How `stancegraph suggest` shows its proposals: a table for people, JSON lines for tools."""

from __future__ import annotations

import json

from rich.table import Table

from stancegraph.curation.suggest import NewEntityRef, Suggestion


def _name(value: str | NewEntityRef | None) -> str:
    if isinstance(value, NewEntityRef):
        return f"{value.new} (new {value.kind}: {value.id})"
    return value or ""


def suggestion_table(title: str, suggestions: list[Suggestion]) -> Table:
    table = Table(
        "kind", "conf", "subject", "predicate", "object", "quote", "speaker", "certainty", "date", "rule"
    )
    table.title = title
    for s in suggestions:
        speaker = ""
        if s.speaker is not None:
            speaker = s.speaker.entity or s.speaker.name or s.speaker.type
        table.add_row(
            s.kind,
            f"{s.confidence:.2f}",
            _name(s.subject),
            s.predicate or "",
            _name(s.object),
            f"{s.quote} [{s.start}:{s.end}]",
            speaker,
            s.certainty or "",
            (s.date.value or "") if s.date else "",
            s.rule,
        )
    return table


def json_lines(suggestions: list[Suggestion]) -> str:
    """One JSON object per line per suggestion."""
    return "".join(json.dumps(s.json_line(), ensure_ascii=False) + "\n" for s in suggestions)
