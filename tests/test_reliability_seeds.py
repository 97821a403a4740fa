"""Bad seed input, as a user meets it: `stancegraph validate` and `stancegraph load` exit 1 naming
file, line and field, and a load of invalid seeds leaves the database untouched.

Every case of docs/reliability.md's "Bad seed input" table is one entry of CASES; tests/
test_validation.py checks the same classes of error at the Python level, issue by issue.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from stancegraph.cli import app
from stancegraph.schema.yamlfile import MAX_FILE_BYTES
from tests.conftest import SOURCE_ID, SOURCE_YAML, Neo4jServer
from tests.test_validation import QUOTE, claim_block

LARGE_FILE_BYTES = 100 * 1024 * 1024
# Peak RSS a refused 100 MB file may add to the validator's baseline (the file is never read).
LARGE_FILE_RSS_BUDGET_KIB = 32 * 1024


@dataclass(frozen=True)
class Case:
    """A way to break the seeds, and what the report must say about it."""

    name: str
    breaks: Callable[[Path, str], object]  # (seeds folder, source text); what it returns is unused
    expected: tuple[str, ...]  # substrings of the report, e.g. "seeds/extra.yaml:4: claims[0].object"


def _extra(text: str) -> Callable[[Path, str], None]:
    def write(folder: Path, source_text: str) -> None:
        (folder / "extra.yaml").write_text(text, encoding="utf-8")

    return write


def _claim(**kwargs: Any) -> Callable[[Path, str], None]:
    def write(folder: Path, source_text: str) -> None:
        (folder / "extra.yaml").write_text(claim_block(source_text, **kwargs), encoding="utf-8")

    return write


def _bytes(data: bytes) -> Callable[[Path, str], None]:
    def write(folder: Path, source_text: str) -> None:
        (folder / "extra.yaml").write_bytes(data)

    return write


def _duplicate_claim(folder: Path, source_text: str) -> None:
    block = claim_block(source_text, predicate="competes_with", subject="xai")
    second = (
        block.replace("claims:\n", "")
        .replace("subject: xai", "subject: openai")
        .replace("object: anthropic", "object: xai")
    )
    (folder / "extra.yaml").write_text(block.replace("object: anthropic", "object: openai") + second)


def _source_changed(folder: Path, source_text: str) -> None:
    text_file = folder / "sources" / f"{SOURCE_ID}.zh.txt"
    text_file.write_text(source_text.replace("Anthropic", "Anthrop1c", 1), encoding="utf-8")


def _large_file(folder: Path, source_text: str) -> None:
    with (folder / "extra.yaml").open("wb") as handle:  # sparse: 100 MB on paper, no disk used
        handle.truncate(LARGE_FILE_BYTES)


ENTITY = "entities:\n  - id: newco\n    kind: company\n    names: {en: NewCo, zh: 新公司}\n"
X = "seeds/extra.yaml"

CASES = [
    Case(
        "malformed YAML",
        _extra("entities:\n  - id: x\n    names: {en: [unclosed\n"),
        (f"{X}:4: invalid YAML",),
    ),
    Case(
        "wrong type",
        _extra(ENTITY + "    properties:\n      staff: {type: count, value: many}\n"),
        (f"{X}:6: entities[0].properties.staff.count.value",),
    ),
    Case(
        "missing required field",
        _extra("entities:\n  - id: newco\n    kind: company\n"),
        (f"{X}:2: entities[0].names: required field is missing",),
    ),
    Case("unknown field", _extra(ENTITY + "    alias: [N]\n"), (f"{X}:5: entities[0].alias: unknown field",)),
    Case(
        "unknown kind",
        _extra(ENTITY.replace("kind: company", "kind: spaceship")),
        (f"{X}:3: entities[0].kind", "unknown kind 'spaceship'"),
    ),
    Case("unknown predicate", _claim(predicate="adores"), (f"{X}:3: claims[0].predicate", "'adores'")),
    Case(
        "predicate not allowed between those kinds",
        _claim(predicate="leads", obj="google"),
        (f"{X}:2: claims[0].subject", "does not take a company"),
    ),
    Case(
        "dangling entity reference",
        _claim(obj="nobody-at-all"),
        (f"{X}:4: claims[0].object: no entity with id 'nobody-at-all'",),
    ),
    Case(
        "duplicate entity id across files",
        _extra(ENTITY.replace("newco", "anthropic")),
        (f"{X}:2: entities[0].id: duplicate entity id 'anthropic'", "seeds/entities.yaml:"),
    ),
    Case("duplicate claim in one file", _duplicate_claim, (f"{X}:14:", "duplicate claim")),
    Case(
        "duplicate key in one block",
        _extra(ENTITY + "    kind: person\n"),
        (f"{X}:5: entities[0].kind",),
    ),
    Case(
        "quote not found at its offsets",
        lambda folder, text: _claim(start=text.index(QUOTE) + 1)(folder, text),
        (f"{X}:7: claims[0].evidence[0].quote", "the quote is at"),
    ),
    Case(
        "quote not in the source at all",
        lambda folder, text: (folder / "extra.yaml").write_text(
            claim_block(text).replace(QUOTE, "这句话不在原文里"), encoding="utf-8"
        ),
        (f"{X}:", "claims[0].evidence[0]"),
    ),
    Case("source whose sha256 changed", _source_changed, (f"seeds/{SOURCE_YAML}:", "sources[0].sha256")),
    Case(
        "impossible date",
        _claim(date='"2026-02-30"'),
        (f"{X}:13: claims[0].evidence[0].date", "does not exist"),
    ),
    Case(
        "impossible month",
        _claim(date='"2026-13"'),
        (f"{X}:13: claims[0].evidence[0].date", "does not exist"),
    ),
    Case(
        "invalid date",
        _claim(date='"Feb 2026"'),
        (f"{X}:13: claims[0].evidence[0].date", "is not YYYY-MM-DD"),
    ),
    Case(
        "date after its source",
        _claim(date='"2027-01-01"'),
        (f"{X}:13: claims[0].evidence[0].date", "after its source"),
    ),
    Case("non-UTF-8 file", _bytes("entities: []\n# é\n".encode("latin-1")), (f"{X}:2: not UTF-8",)),
    Case("NUL byte", _bytes(b"entities:\n  - id: a\x00b\n"), (f"{X}:2: invalid YAML", "U+0000")),
    Case("empty file", _extra("\n  \n"), (f"{X}: file is empty",)),
    Case(
        "very large file (100 MB, sparse)",
        _large_file,
        (f"{X}: file is {LARGE_FILE_BYTES} bytes", f"limited to {MAX_FILE_BYTES} bytes"),
    ),
    Case(
        "YAML alias bomb",
        _extra("a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n"),
        (f"{X}:2:", "aliases"),
    ),
    Case("deep nesting", _extra("entities: " + "[" * 40 + "]" * 40 + "\n"), (X, "nested deeper than 32")),
    Case(
        "Python object tag",
        _extra("entities: !!python/object/apply:os.system ['touch /tmp/stancegraph-pwned']\n"),
        (f"{X}:1: entities: YAML tag", "is not allowed"),
    ),
    Case(
        "Python tag on a scalar",
        _extra("entities:\n  - id: !!python/name:os.system x\n"),
        (f"{X}:2: entities[0].id: YAML tag", "is not allowed"),
    ),
    Case(
        "value its tag cannot hold",
        _extra("entities:\n  - id: !!int abc\n"),
        (f"{X}:2: entities[0].id: invalid value",),
    ),
    Case("not a mapping", _extra("- just\n- a list\n"), (f"{X}:1:", "a seed file is a mapping")),
    Case(
        "invisible Unicode in an id",
        _extra(ENTITY.replace("id: newco", 'id: "new\u200bco"')),
        (f"{X}:2: entities[0].id",),
    ),
    Case(
        "confusable Unicode in an id",
        _extra(ENTITY.replace("id: newco", 'id: "\u0430nthropic"')),
        (f"{X}:2: entities[0].id",),
    ),
    Case(
        "claim whose subject is its object",
        _claim(obj="openai"),
        (f"{X}:", "subject and object are both 'openai'"),
    ),
]


@pytest.fixture(params=CASES, ids=[c.name for c in CASES])
def broken_seeds(request: pytest.FixtureRequest, seeds_copy: Path, source_text: str) -> tuple[Path, Case]:
    case: Case = request.param
    case.breaks(seeds_copy, source_text)
    return seeds_copy, case


def _report(result: object) -> str:
    return " ".join(str(getattr(result, "output", "")).split())


def test_validate_exits_1_naming_file_line_field(broken_seeds: tuple[Path, Case]) -> None:
    folder, case = broken_seeds
    result = CliRunner().invoke(app, ["validate", str(folder)], env={"COLUMNS": "400"})
    assert result.exit_code == 1, result.output
    report = _report(result)
    for expected in case.expected:
        assert expected in report, (case.name, result.output)
    assert "Traceback" not in result.output


def test_bom_is_accepted_exit_0(seeds_copy: Path) -> None:
    (seeds_copy / "extra.yaml").write_bytes(("\ufeff" + ENTITY).encode())
    result = CliRunner().invoke(app, ["validate", str(seeds_copy)])
    assert result.exit_code == 0, result.output


@pytest.mark.neo4j
def test_load_of_invalid_seeds_leaves_the_database_untouched(
    broken_seeds: tuple[Path, Case], neo4j_scratch: Driver, neo4j_server: Neo4jServer
) -> None:
    from tests.test_reliability_neo4j import db_checksum

    folder, case = broken_seeds
    before = db_checksum(neo4j_scratch)
    result = CliRunner().invoke(app, ["load", str(folder)], env={**neo4j_server.env(), "COLUMNS": "400"})
    assert result.exit_code == 1, result.output
    assert case.expected[0] in _report(result)
    assert db_checksum(neo4j_scratch) == before, f"{case.name}: the load wrote to the database"


# --- a 100 MB file in bounded memory ----------------------------------------------------------------

_MEASURE = """
import resource, sys
from stancegraph.cli import main
try:
    main()
finally:
    sys.stderr.write(f"\\npeak_rss_kib={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n")
"""


def _validate_peak_kib(folder: Path) -> tuple[int, str, int]:
    """Run `stancegraph validate FOLDER` in its own process: exit code, output, peak RSS in KiB."""
    env = {**os.environ, "COLUMNS": "400"}
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, "validate", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    peak = int(done.stderr.rsplit("peak_rss_kib=", 1)[1].split()[0])
    return done.returncode, " ".join((done.stdout + done.stderr).split()), peak


def test_100_mb_file_is_refused_in_bounded_memory(seeds_copy: Path, tmp_path: Path, source_text: str) -> None:
    baseline_code, _, baseline = _validate_peak_kib(seeds_copy)
    assert baseline_code == 0
    _large_file(seeds_copy, source_text)
    assert (seeds_copy / "extra.yaml").stat().st_size == LARGE_FILE_BYTES
    code, report, peak = _validate_peak_kib(seeds_copy)
    assert code == 1
    assert f"seeds/extra.yaml: file is {LARGE_FILE_BYTES} bytes" in report
    print(f"peak RSS: shipped seeds {baseline} KiB, with a 100 MB file {peak} KiB")
    assert peak - baseline < LARGE_FILE_RSS_BUDGET_KIB, (baseline, peak)
