"""The README's examples are real answers: each `$ curl` line runs, as pasted, in a shell against a
live server (uvicorn on a free port, the embedded store), and prints what the README shows."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import textwrap
from collections.abc import Iterator

import pytest
import yaml

from stancegraph.graph.store import GraphStore
from stancegraph.launch import api_thread, free_port
from stancegraph.schema.models import SeedSet
from stancegraph.settings import PROJECT_ROOT, Settings
from tests.conftest import SEEDS, unavailable

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
README_BASE = "http://127.0.0.1:8000"
# A `$ curl` line, then what it prints up to the next blank line or fence (abridged answers
# contain "..." and are only checked to answer).
EXAMPLE = re.compile(r"^\$ (?P<command>curl .+)\n(?P<body>(?:(?!```).+\n)*)", re.M)
EXAMPLES: list[tuple[str, str]] = EXAMPLE.findall(README)
# User Cypher needs the Neo4j store (the embedded one answers 501): those run against Neo4j.
CYPHER = [e for e in EXAMPLES if "/v1/cypher" in e[0]]
REST = [e for e in EXAMPLES if e not in CYPHER]


@pytest.fixture(scope="module")
def base(memory_store: GraphStore) -> Iterator[str]:
    if shutil.which("curl") is None:
        unavailable("curl is not on PATH")
    port = free_port()
    with api_thread(Settings(), memory_store, port) as url:
        yield url


@pytest.fixture(scope="module")
def neo4j_base(neo4j_store: GraphStore) -> Iterator[str]:
    if shutil.which("curl") is None:
        unavailable("curl is not on PATH")
    with api_thread(Settings(store="neo4j"), neo4j_store, free_port()) as url:
        yield url


def _run(command: str, base: str) -> str:
    argv = shlex.split(command.replace(README_BASE, base))
    assert argv[0] == "curl", command
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, (command, done.stderr)
    return done.stdout


def test_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize(("command", "body"), REST, ids=[m[0][:60] for m in REST])
def test_readme_example_runs_as_pasted(base: str, command: str, body: str) -> None:
    _check_example(base, command, body)


@pytest.mark.neo4j
@pytest.mark.parametrize(("command", "body"), CYPHER, ids=[m[0][:60] for m in CYPHER])
def test_readme_cypher_example_runs_as_pasted(neo4j_base: str, command: str, body: str) -> None:
    _check_example(neo4j_base, command, body)


def test_readme_shows_a_cypher_request_body() -> None:
    assert any("-d '{" in command for command, _ in CYPHER)


def _check_example(base: str, command: str, body: str) -> None:
    printed = _run(command, base)
    answer = json.loads(printed)  # JSON, not "Invalid HTTP request received."
    if body.strip() and "..." not in body:
        assert answer == json.loads(body), command
    problem = isinstance(answer, dict) and isinstance(answer.get("status"), int)  # a claim's is a word
    assert not (problem and answer["status"] >= 500), printed


def test_the_worked_example_is_real(seeds: SeedSet) -> None:
    """The "Adding a source" example cites a real source, and its quote is in that source's text."""
    section = README.split("## Adding a source", 1)[1].split("\n## ", 1)[0]
    blocks = [yaml.safe_load(textwrap.dedent(b)) for b in re.findall(r"```yaml\n(.*?)```", section, re.S)]
    source = blocks[0]["sources"][0]
    claim = blocks[1]["claims"][0]
    shipped = {s.id: s for s in seeds.sources}[source["id"]]
    assert (shipped.outlet, shipped.url, shipped.published, shipped.path) == (
        source["outlet"],
        source["url"],
        str(source["published"]),
        source["path"],
    )
    text = (SEEDS / shipped.path).read_text(encoding="utf-8")
    evidence = claim["evidence"][0]
    assert evidence["quote"] in text
    ids = {c.id for c in seeds.claims}
    assert f"{claim['subject']}.{claim['predicate']}.{claim['object']}" in ids
