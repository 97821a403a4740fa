"""Merging a planned draft into its source's seed file as text, and checking the result.

The file is edited line by line, blocks appended where they belong, so its comments and layout
survive (as `evidence locate` edits files); the merged text must read back as exactly the
planned data. The seeds are then validated as they would be after the merge, on a mirror of the
seeds folder (symlinks, plus the merged file), and a problem in what came from the draft is
mapped back to the draft's file:line.
"""

from __future__ import annotations

import copy
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from stancegraph.curation.plan import Block, Plan
from stancegraph.schema.errors import Issue
from stancegraph.schema.validate import SECTIONS, check_seeds, display_path
from stancegraph.schema.vocabulary import Vocabulary
from stancegraph.schema.yamlfile import PathKey, YamlDocument, dotted, load_yaml

DEFAULT_INDENT = 2  # seed files indent list items by two spaces under their section


class _Quoted(str):
    """A quote or translation: written double-quoted, as the seed files write them."""


class _SeedDumper(yaml.SafeDumper):
    """Block style with list items indented under their key (`evidence:\\n  - source: ...`),
    and leaf mappings in flow style (`speaker: {type: narration}`), like the seed files."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_SeedDumper.add_representer(
    _Quoted, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')
)


def _quoted(value: Any) -> Any:
    """Mark quotes and translations for double quotes, everywhere in a block."""
    if isinstance(value, dict):
        return {
            k: _Quoted(v) if k in {"quote", "translation"} and isinstance(v, str) else _quoted(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_quoted(v) for v in value]
    return value


def render(data: Any, indent: int = 0) -> list[str]:
    """YAML lines of `data` in the seed files' style, each indented by `indent` spaces."""
    text = yaml.dump(
        _quoted(data),
        Dumper=_SeedDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=4096,
    )
    return [" " * indent + line for line in text.splitlines()]


@dataclass
class Merged:
    text: str
    data: dict[str, Any]
    # Where the draft's blocks land in the merged file: merged path -> draft path.
    origins: dict[PathKey, PathKey]
    # (0-based line index in the original file, lines inserted there): to map lines back.
    inserts: list[tuple[int, int]]


def merge_text(plan: Plan, issues: list[Issue]) -> Merged | None:
    doc = plan.target_doc
    original = doc.path.read_text(encoding="utf-8").removeprefix("\ufeff") if doc is not None else ""
    lines = original.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline; written back at the end
    data: dict[str, Any] = copy.deepcopy(doc.data) if doc is not None else {}
    origins: dict[PathKey, PathKey] = {}
    edits: list[tuple[int, list[str]]] = []  # (0-based line index to insert before, lines)
    display = plan.draft_display
    target_display = str(plan.target)

    def fail(message: str, line: int | None = None) -> None:
        issues.append(Issue(target_display, line, "", message))

    def section_items(name: str, items: list[tuple[int, Block]]) -> None:
        if not items:
            return
        existing = data.get(name)
        if existing is not None and not isinstance(existing, list):
            fail(f"{name}: is not a list; cannot add to it", doc.line_of((name,)) if doc else None)
            return
        count = len(existing or [])
        for offset, (draft_index, _) in enumerate(items):
            origins[(name, count + offset)] = (name, draft_index)
        blocks = [block for _, block in items]
        data[name] = [*(existing or []), *blocks]
        if doc is None or name not in doc.data:
            at = _new_section_line(doc, lines, name)
            # Before a section set off by a blank line, the new one is set off the same way.
            gap = [""] if 0 < at < len(lines) and not lines[at - 1].strip() else []
            edits.append((at, [f"{name}:", *render(blocks, DEFAULT_INDENT), *gap]))
            return
        if not existing:
            index = (doc.line_of((name,)) or 1) - 1
            if not re.fullmatch(rf"{name}:\s*(\[\s*\])?\s*(#.*)?", lines[index]):
                fail(
                    f"cannot add to the empty {name}: section on this line; write it as `{name}:`", index + 1
                )
                return
            lines[index] = f"{name}:"
            edits.append((index + 1, render(blocks, DEFAULT_INDENT)))
            return
        dash = _dash_column(doc, lines, (name, 0))
        if dash is None:
            fail(f"cannot add to {name}: its items are not one per line (- key: ...)", doc.line_of((name, 0)))
            return
        edits.append((_end_of(doc, lines, (name,)), render(blocks, dash)))

    if plan.new_source is not None:
        section_items("sources", [plan.new_source])
    section_items("entities", plan.entities)
    for target_index, added in sorted(plan.evidence.items()):
        assert doc is not None
        claim = data["claims"][target_index]
        at: PathKey = ("claims", target_index, "evidence")
        count = len(claim["evidence"])
        for offset, (draft_at, _) in enumerate(added):
            origins[(*at, count + offset)] = draft_at
        claim["evidence"] = [*claim["evidence"], *(ev for _, ev in added)]
        dash = _dash_column(doc, lines, (*at, 0))
        if dash is None or doc.line_of((*at, 0)) == doc.line_of(at):
            fail("cannot add evidence to this claim: write its evidence one item per line", doc.line_of(at))
            continue
        edits.append((_end_of(doc, lines, at), render([ev for _, ev in added], dash)))
    for target_index, (draft_index, note) in sorted(plan.notes.items()):
        assert doc is not None
        data["claims"][target_index] = {**data["claims"][target_index], "note": note}
        origins[("claims", target_index, "note")] = ("claims", draft_index, "note")
        key_at: PathKey = ("claims", target_index, "evidence")
        column = doc.columns.get(key_at)
        line = doc.line_of(key_at)
        if column is None or line is None:
            fail("cannot add the note to this claim", line)
            continue
        edits.append((line - 1, render({"note": note}, column)))
    section_items("claims", [(c, block) for c, block in plan.claims])
    for offset, (draft_index, _) in enumerate(plan.claims):
        kept = plan.kept_evidence.get(offset, [])
        claim_at = next(k for k, v in origins.items() if v == ("claims", draft_index) and len(k) == 2)
        for merged_e, draft_e in enumerate(kept):
            origins[(*claim_at, "evidence", merged_e)] = ("claims", draft_index, "evidence", draft_e)
    if issues:
        return None
    # Bottom-up, so earlier line numbers stay valid; at one line, in the order they were planned.
    inserts: list[tuple[int, int]] = []
    for _planned, new in sorted(enumerate(edits), key=lambda e: (-e[1][0], -e[0])):
        at_line, block_lines = new
        lines[at_line:at_line] = block_lines
        inserts.append((at_line, len(block_lines)))
    text = "\n".join(lines) + "\n"
    merged = Merged(text, data, origins, inserts)
    _check_round_trip(plan, merged, display, issues)
    return None if issues else merged


def _new_section_line(doc: YamlDocument | None, lines: list[str], name: str) -> int:
    """Where a section the file lacks goes: before the first later section, else at the end."""
    if doc is None:
        return len(lines)
    later = SECTIONS[SECTIONS.index(name) + 1 :]
    starts = [doc.line_of((s,)) for s in later if s in doc.data]
    found = [line for line in starts if line is not None]
    return min(found) - 1 if found else len(lines)


def _dash_column(doc: YamlDocument, lines: list[str], item: PathKey) -> int | None:
    """The column of the `-` of a block-list item (the list's indentation)."""
    line = doc.line_of(item)
    if line is None or line > len(lines):
        return None
    match = re.match(r"^(\s*)-\s", lines[line - 1])
    return len(match.group(1)) if match else None


def _end_of(doc: YamlDocument, lines: list[str], path: PathKey) -> int:
    """The 0-based line index just after the last content line of the node at `path`: the line
    where the next node not inside it starts, less any blank or comment lines before that (they
    belong to what follows)."""
    start = doc.line_of(path) or 1
    following = [
        line for at, line in doc.lines.items() if line > start and at[: len(path)] != path and len(at) >= 1
    ]
    end = (min(following) - 1) if following else len(lines)
    while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _check_round_trip(plan: Plan, merged: Merged, display: str, issues: list[Issue]) -> None:
    """The merged text must read back as exactly the planned data: a layout the line edits
    cannot handle is refused here, rather than written."""
    parsed: list[Issue] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / plan.target.name
        path.write_text(merged.text, encoding="utf-8")
        doc = load_yaml(path, plan.target.name, parsed)
    if doc is None or doc.data != merged.data:
        issues.append(
            Issue(
                str(plan.target),
                None,
                "",
                "cannot merge into this file without rewriting its layout; merge the draft's "
                f"blocks from {display} by hand" + (f" ({parsed[0]})" if parsed else ""),
            )
        )


@contextmanager
def _mirror(seeds_dir: Path, replaced: Path, text: str) -> Iterator[Path]:
    """A folder that reads as the seeds with `replaced` holding `text`: every other file a
    symlink to the real one (nothing is copied), under the seeds folder's own name so problems
    name the same paths."""
    with tempfile.TemporaryDirectory(prefix="stancegraph-accept-") as folder:
        root = Path(folder) / seeds_dir.name
        root.mkdir()
        for path in seeds_dir.rglob("*"):
            if path.is_file() and path != replaced:
                link = root / path.relative_to(seeds_dir)
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(path.resolve())
        merged = root / replaced.relative_to(seeds_dir)
        merged.parent.mkdir(parents=True, exist_ok=True)
        merged.write_text(text, encoding="utf-8")
        yield root


def validate_merged(plan: Plan, merged: Merged, seeds_dir: Path, vocab: Vocabulary) -> list[Issue]:
    with _mirror(seeds_dir, plan.target, merged.text) as root:
        _, problems = check_seeds(root, vocab)
        target_display = display_path(root / plan.target.relative_to(seeds_dir), root)
    return [_to_draft(issue, plan, merged, target_display) for issue in problems]


_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def _parse_field(text: str) -> PathKey:
    return tuple(int(index) if index else name for index, name in _PART.findall(text))


def _to_draft(issue: Issue, plan: Plan, merged: Merged, target_display: str) -> Issue:
    """A problem in what came from the draft, at the draft's file:line; one in the seeds as
    they are, at its line in the file before the merge."""
    if issue.file != target_display:
        return issue
    path = _parse_field(issue.field)
    for cut in range(len(path), 0, -1):
        origin = merged.origins.get(path[:cut])
        if origin is not None:
            draft_path = (*origin, *path[cut:])
            return Issue(
                plan.draft_display, plan.draft.line_of(draft_path), dotted(draft_path), issue.message
            )
    if issue.line is None:
        return issue
    # An original line at 0-based index i is at i + (the lines inserted at or before i).
    merged_index, shift = issue.line - 1, 0
    for at, count in sorted(merged.inserts):
        if at + shift + count <= merged_index:
            shift += count
    return Issue(issue.file, issue.line - shift, issue.field, issue.message)
