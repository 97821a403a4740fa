"""How `stancegraph suggest` shows its proposals: a table for people, JSON lines for tools."""

from __future__ import annotations

import json

from rich.table import Table

from stancegraph.curation.suggest import NewEntityRef, Suggestion
from stancegraph.schema.models import Text, Value


def _name(value: str | NewEntityRef | None) -> str:
    if isinstance(value, NewEntityRef):
        return f"{value.new} (new {value.kind}: {value.id})"
    return value or ""


def _figure(value: Value) -> str:
    if isinstance(value, Text):
        return value.value
    return value.text or value.model_dump_json(exclude_none=True)


def suggestion_table(title: str, suggestions: list[Suggestion]) -> Table:
    """One row per proposal: what, the verbatim quote and where, who says it how surely and when."""
    table = Table("conf", "proposal", "quote [start:end]", "said", "rule", title=title)
    for s in suggestions:
        if s.kind == "entity":
            proposal = f"new entity: {_name(s.subject)}"
        else:
            proposal = f"{s.kind}: {_name(s.subject)} {s.predicate} {_name(s.object)}"
        said = ""
        if s.speaker is not None:
            who = s.speaker.entity or s.speaker.name or s.speaker.type
            said = f"{who}, {s.certainty}" + (f" via {s.speaker.via}" if s.speaker.via else "")
        if s.date is not None and s.date.value:
            said += f", {s.date.value} ({s.date.wording})" if s.date.wording else f", {s.date.value}"
        if s.values:
            said += ", " + ", ".join(f"{k}: {_figure(v)}" for k, v in s.values.items())
        table.add_row(f"{s.confidence:.2f}", proposal, f"{s.quote} [{s.start}:{s.end}]", said, s.rule)
    return table


def json_lines(suggestions: list[Suggestion]) -> str:
    """One JSON object per line per suggestion."""
    return "".join(json.dumps(s.json_line(), ensure_ascii=False) + "\n" for s in suggestions)
