"""`evidence locate`: fill or repair evidence offsets from the quote text, editing YAML in place.

Curators write quotes; this finds each quote in its source and writes `start`/`end`. The files
are edited line by line (not re-dumped), so comments and layout survive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from stancegraph.schema.errors import Issue, SeedValidationError
from stancegraph.schema.models import Source
from stancegraph.schema.validate import SourceText, display_path, seed_files
from stancegraph.schema.yamlfile import PathKey, YamlDocument, dotted, load_yaml, read_text, write_atomically

Outcome = Literal["ok", "fixed", "filled"]


@dataclass(frozen=True)
class Located:
    file: str
    line: int | None
    field: str
    outcome: Outcome
    start: int
    end: int


def locate_evidence(root: Path, *, write: bool = True) -> list[Located]:
    """Fill or repair every evidence offset under `root`; raise listing quotes it cannot place."""
    issues: list[Issue] = []
    base = root if root.is_dir() else root.parent
    docs: list[tuple[YamlDocument, str]] = []
    for path in seed_files(root):
        display = display_path(path, base)
        doc = load_yaml(path, display, issues)
        if doc is not None and isinstance(doc.data, dict):
            docs.append((doc, display))
    texts = _source_texts(docs, base, issues)
    results: list[Located] = []
    for doc, display in docs:
        edits: list[tuple[PathKey, int, int, bool]] = []
        for claim_index, claim in enumerate(_blocks(doc.data.get("claims"))):
            for ev_index, ev in enumerate(_blocks(claim.get("evidence"))):
                at: PathKey = ("claims", claim_index, "evidence", ev_index)
                placed = _place(ev, texts, doc, display, at, issues)
                if placed is None:
                    continue
                start, end = placed
                if ev.get("start") == start and ev.get("end") == end:
                    outcome: Outcome = "ok"
                else:
                    outcome = "fixed" if "start" in ev or "end" in ev else "filled"
                    edits.append((at, start, end, "start" in ev and "end" in ev))
                results.append(Located(display, doc.line_of((*at, "quote")), dotted(at), outcome, start, end))
        if edits and write and not issues:
            _rewrite(doc, display, edits, issues)
    if issues:
        raise SeedValidationError(issues)
    return results


def _blocks(value: object) -> list[dict[str, object]]:
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, dict)]


def _source_texts(
    docs: list[tuple[YamlDocument, str]], base: Path, issues: list[Issue]
) -> dict[str, SourceText]:
    texts: dict[str, SourceText] = {}
    for doc, display in docs:
        for index, block in enumerate(_blocks(doc.data.get("sources"))):
            try:
                source = Source.model_validate(block)
            except ValidationError:
                issues.append(
                    Issue(
                        display,
                        doc.line_of(("sources", index)),
                        f"sources[{index}]",
                        "invalid source block (run `stancegraph validate`)",
                    )
                )
                continue
            text = read_text(base / source.path, source.path, issues)
            if text is not None:
                texts[source.id] = SourceText(source, text)
    return texts


def _place(
    ev: dict[str, object],
    texts: dict[str, SourceText],
    doc: YamlDocument,
    display: str,
    at: PathKey,
    issues: list[Issue],
) -> tuple[int, int] | None:
    quote, source = ev.get("quote"), ev.get("source")
    line = doc.line_of((*at, "quote"))
    field = dotted((*at, "quote"))
    if not isinstance(quote, str) or not isinstance(source, str):
        issues.append(Issue(display, line, field, "evidence needs a source and a quote"))
        return None
    text = texts.get(source)
    if text is None:
        issues.append(
            Issue(
                display,
                doc.line_of((*at, "source")),
                dotted((*at, "source")),
                f"no readable source with id {source!r}",
            )
        )
        return None
    hits = text.occurrences(quote)
    if not hits:
        issues.append(
            Issue(
                display, line, field, f"quote not found in {source!r} (outside page chrome): {quote[:40]!r}"
            )
        )
        return None
    if len(hits) > 1:
        if ev.get("start") in hits:
            start = ev["start"]
            assert isinstance(start, int)
            return start, start + len(quote)
        issues.append(
            Issue(
                display,
                line,
                field,
                f"quote occurs {len(hits)} times in {source!r} "
                f"(at {', '.join(map(str, hits))}): lengthen it or set start by hand",
            )
        )
        return None
    return hits[0], hits[0] + len(quote)


_NUMBER_LINE = re.compile(r"^(?P<head>\s*(?:-\s+)?(?P<key>start|end):\s*)(?P<value>\S*)(?P<tail>.*)$")


def _key_after_quote(doc: YamlDocument, at: PathKey) -> PathKey | None:
    """The evidence record's key written right after its quote: offsets go in before it."""
    quote_line = doc.lines.get((*at, "quote"))
    if quote_line is None:
        return None
    after = [
        (line, path)
        for path, line in doc.lines.items()
        if len(path) == len(at) + 1 and path[: len(at)] == at and line > quote_line
    ]
    return min(after)[1] if after else None


def _rewrite(
    doc: YamlDocument,
    display: str,
    edits: list[tuple[PathKey, int, int, bool]],
    issues: list[Issue],
) -> None:
    lines = doc.path.read_text(encoding="utf-8").split("\n")
    # Bottom-up, so earlier line numbers stay valid while later lines are inserted.
    for at, start, end, present in sorted(edits, key=lambda e: -(doc.line_of(e[0]) or 0)):
        if present:
            for key, value in (("start", start), ("end", end)):
                index = (doc.line_of((*at, key)) or 0) - 1
                match = _NUMBER_LINE.match(lines[index])
                if match is None or match["key"] != key:
                    issues.append(
                        Issue(
                            display,
                            index + 1,
                            dotted((*at, key)),
                            f"cannot rewrite this line; write {key}: {value} by hand",
                        )
                    )
                    continue
                lines[index] = f"{match['head']}{value}{match['tail']}"
            continue
        anchor = _key_after_quote(doc, at)
        anchor_line = doc.line_of(anchor) if anchor else None
        column = doc.columns.get(anchor) if anchor else None
        if anchor_line is None or column is None or anchor_line == doc.line_of(at):
            issues.append(
                Issue(
                    display,
                    doc.line_of(at),
                    dotted(at),
                    "cannot insert offsets: put the key after quote (e.g. speaker) on its own "
                    f"line, or write start: {start} and end: {end} by hand",
                )
            )
            continue
        pad = " " * column
        lines[anchor_line - 1 : anchor_line - 1] = [f"{pad}start: {start}", f"{pad}end: {end}"]
    if not issues:
        write_atomically(doc.path, "\n".join(lines))


# For tools that place one draft's quotes the same way (stancegraph.curation.draft).
place_quote = _place
