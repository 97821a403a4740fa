"""The command line, run as a user runs it: a real process, real files, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEEDS, SOURCE_YAML

CLI = [sys.executable, "-m", "stancegraph.cli"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "STANCEGRAPH_STORE": "memory", "COLUMNS": "200", **(env or {})}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=full_env, timeout=120)


def test_validate_shipped_seeds() -> None:
    result = run("validate", str(SEEDS))
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout and "claims" in result.stdout


def test_validate_reports_every_error_with_file_line_field(seeds_copy: Path) -> None:
    (seeds_copy / "broken.yaml").write_text(
        "entities:\n  - id: newco\n    kind: spaceship\n    names: {en: N, zh: N}\n"
        "  - id: newco\n    kind: company\n    names: {zh: N}\n"
    )
    result = run("validate", str(seeds_copy))
    assert result.returncode == 1
    assert "seeds/broken.yaml:3: entities[0].kind: unknown kind 'spaceship'" in result.stderr
    assert "seeds/broken.yaml:7: entities[1].names.en: required field is missing" in result.stderr
    assert "2 problem(s) found." in result.stderr


def test_evidence_locate_check_and_write(seeds_copy: Path) -> None:
    claims = seeds_copy / SOURCE_YAML
    text = claims.read_text(encoding="utf-8")
    start_line = next(line for line in text.split("\n") if line.strip().startswith("start:"))
    claims.write_text(text.replace(start_line, start_line.split(":")[0] + ": 1", 1), encoding="utf-8")
    check = run("evidence", "locate", "--check", str(seeds_copy))
    assert check.returncode == 1 and "would set" in check.stdout
    assert run("validate", str(seeds_copy)).returncode == 1
    fix = run("evidence", "locate", str(seeds_copy))
    assert fix.returncode == 0 and "1 offset pair(s) written" in fix.stdout
    assert run("validate", str(seeds_copy)).returncode == 0
    assert claims.read_text(encoding="utf-8") == text


def test_query_who_supports_json() -> None:
    result = run("query", "who-supports", "anthropic", "--json")
    assert result.returncode == 0, result.stderr
    stances = json.loads(result.stdout)
    assert "sam-altman" in {s["entity"]["id"] for s in stances}


def test_query_tables_are_readable() -> None:
    result = run("query", "who-opposes", "anthropic")
    assert result.returncode == 0, result.stderr
    assert "Donald Trump" in result.stdout
    search = run("query", "search", "五角大楼")
    assert "us-department-of-war" in search.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("query", "between", "anthropic", "us-department-of-war"),
        ("query", "path", "sam-altman", "pete-hegseth", "--max-hops", "4"),
        ("query", "timeline", "xai"),
        ("stats",),
    ],
)
def test_other_queries_run(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_unknown_entity_is_a_clear_error() -> None:
    result = run("query", "who-supports", "nobody")
    assert result.returncode == 1
    assert "no entity with id 'nobody'" in result.stderr


def test_export_formats(tmp_path: Path) -> None:
    out = tmp_path / "graph.json"
    assert run("export", "--format", "json", "--output", str(out)).returncode == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["nodes"] and data["links"]
    assert run("export", "--format", "graphml", "--output", str(tmp_path / "g.graphml")).returncode == 0
    assert run("export", "--format", "csv", "--output", str(tmp_path / "csv")).returncode == 0
    assert (tmp_path / "csv" / "nodes.csv").read_text(encoding="utf-8").startswith("id,")
