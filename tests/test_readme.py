"""The README's examples are real answers: each `$ curl` line runs, as pasted, in a shell against a
live server (uvicorn on a free port, the embedded store), and prints what the README shows."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator

import pytest

from stancegraph.graph.store import GraphStore
from stancegraph.localneo4j import free_port
from stancegraph.settings import PROJECT_ROOT, Settings
from tests.conftest import live_api, unavailable

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
README_BASE = "http://127.0.0.1:8000"
# A `$ curl` line, then what it prints up to the next blank line or fence (abridged answers
# contain "..." and are only checked to answer).
EXAMPLE = re.compile(r"^\$ (?P<command>curl .+)\n(?P<body>(?:(?!```).+\n)*)", re.M)


@pytest.fixture(scope="module")
def base(memory_store: GraphStore) -> Iterator[str]:
    if shutil.which("curl") is None:
        unavailable("curl is not on PATH")
    port = free_port()
    with live_api(Settings(), memory_store, port) as url:
        yield url


def _run(command: str, base: str) -> str:
    argv = shlex.split(command.replace(README_BASE, base))
    assert argv[0] == "curl", command
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, (command, done.stderr)
    return done.stdout


def test_readme_has_examples() -> None:
    assert len(EXAMPLE.findall(README)) >= 4


@pytest.mark.parametrize(
    ("command", "body"), EXAMPLE.findall(README), ids=[m[0][:60] for m in EXAMPLE.findall(README)]
)
def test_readme_example_runs_as_pasted(base: str, command: str, body: str) -> None:
    printed = _run(command, base)
    answer = json.loads(printed)  # JSON, not "Invalid HTTP request received."
    if body.strip() and "..." not in body:
        assert answer == json.loads(body), command
    assert not (isinstance(answer, dict) and answer.get("status", 200) >= 500), printed
