"""Read seed YAML safely, keeping the line of every value so errors can point at it; write seed
files whole or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from stancegraph.schema.errors import Issue

try:  # libyaml's scanner and parser, where PyYAML was built with it
    from yaml._yaml import CParser as _Parser
except ImportError:  # pure Python: the same events, slower

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


MAX_DEPTH = 32
# The tags plain YAML resolves to; an explicit other tag (!!python/object, !!binary, !custom) is refused.
PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
MAX_FILE_BYTES = 64 * 1024 * 1024

PathKey = tuple[str | int, ...]


class _NoAliasLoader(Composer, SafeConstructor, Resolver, _Parser):
    """PyYAML's safe loader, minus anchors/aliases (seeds never need them; bombs do). Scanning and
    parsing are libyaml's where PyYAML was built with it (three times faster on the seeds);
    composing stays in Python, so an alias is refused at its own line."""

    def __init__(self, stream: str) -> None:
        Reader(stream)  # the printable-characters check, with the position of a bad one
        _Parser.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            mark: Any = getattr(self.peek_event(), "start_mark", None)
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed in seeds", mark
            )
        return super().compose_node(parent, index)


@dataclass
class YamlDocument:
    """A parsed file: its data, and the 1-based line of each value by path."""

    path: Path
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)
    columns: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int | None:
        """The line of the deepest prefix of `path` that has one."""
        for cut in range(len(path), -1, -1):
            line = self.lines.get(path[:cut])
            if line is not None:
                return line
        return None


def read_text(path: Path, display: str, issues: list[Issue]) -> str | None:
    """UTF-8 text of a file (a leading BOM dropped), or None with an issue recorded."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        issues.append(Issue(display, None, "", f"cannot read the file: {exc.strerror}"))
        return None
    if size > MAX_FILE_BYTES:
        issues.append(
            Issue(
                display,
                None,
                "",
                f"file is {size} bytes; seeds files are limited to "
                f"{MAX_FILE_BYTES} bytes (split it into several files)",
            )
        )
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        issues.append(
            Issue(display, line, "", f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}")
        )
        return None
    return text.removeprefix("\ufeff")


def load_yaml(path: Path, display: str, issues: list[Issue]) -> YamlDocument | None:
    text = read_text(path, display, issues)
    if text is None:
        return None
    if not text.strip():
        issues.append(Issue(display, None, "", "file is empty"))
        return None
    try:
        # The reader checks every character up front: a NUL or other control byte fails here.
        loader = _NoAliasLoader(text)
    except yaml.reader.ReaderError as exc:
        at = text[: exc.position].count("\n") + 1
        issues.append(Issue(display, at, "", f"invalid YAML: character U+{exc.character:04X} is not allowed"))
        return None
    try:
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        issues.append(Issue(display, None, "", f"invalid YAML: {exc}"))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        issues.append(Issue(display, line, "", f"invalid YAML: {problem}"))
        return None
    except yaml.YAMLError as exc:
        issues.append(Issue(display, None, "", f"invalid YAML: {exc}"))
        return None
    finally:
        loader.dispose()
    doc = YamlDocument(path=path, data=None)
    if node is None:
        issues.append(Issue(display, None, "", "file is empty"))
        return None
    before = len(issues)
    doc.data = _convert(node, (), doc, loader, display, issues, 0)
    return doc if len(issues) == before else None


def _convert(
    node: Node,
    path: PathKey,
    doc: YamlDocument,
    loader: _NoAliasLoader,
    display: str,
    issues: list[Issue],
    depth: int,
) -> Any:
    doc.lines[path] = node.start_mark.line + 1
    if node.tag not in PLAIN_TAGS:
        issues.append(
            Issue(display, node.start_mark.line + 1, _dotted(path), f"YAML tag {node.tag!r} is not allowed")
        )
        return None
    if depth > MAX_DEPTH:
        issues.append(
            Issue(display, node.start_mark.line + 1, _dotted(path), f"nested deeper than {MAX_DEPTH}")
        )
        return None
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                issues.append(
                    Issue(
                        display,
                        key_node.start_mark.line + 1,
                        _dotted(path),
                        "mapping keys must be plain strings",
                    )
                )
                continue
            key = str(key_node.value)
            if key in out:
                issues.append(
                    Issue(
                        display,
                        key_node.start_mark.line + 1,
                        _dotted((*path, key)),
                        f"key {key!r} appears twice in the same block",
                    )
                )
                continue
            out[key] = _convert(value_node, (*path, key), doc, loader, display, issues, depth + 1)
            # Point at the key, not the value: block scalars start on the next line.
            doc.lines[(*path, key)] = key_node.start_mark.line + 1
            doc.columns[(*path, key)] = key_node.start_mark.column
        return out
    if isinstance(node, SequenceNode):
        return [
            _convert(item, (*path, i), doc, loader, display, issues, depth + 1)
            for i, item in enumerate(node.value)
        ]
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:  # e.g. `!!int abc`
        message = exc.problem if isinstance(exc, yaml.MarkedYAMLError) and exc.problem else str(exc)
        issues.append(Issue(display, node.start_mark.line + 1, _dotted(path), f"invalid value: {message}"))
        return None


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted = _dotted


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file beside it and a rename: a reader (or a
    crash) sees the old file or the new one, never half of one; the file keeps its mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
