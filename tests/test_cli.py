"""The command line: most commands through typer's CliRunner (in-process, fast), and a few end to
end in a real process as a user runs them (one query, `serve`, `up`), with real files and exit codes."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from pydantic import BaseModel
from typer.testing import CliRunner, Result

from stancegraph import cli, localneo4j
from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.results import ClaimFilter, ClaimView, SourceCounts, Stance, Switch, TimeMatch
from stancegraph.graph.store import GraphStore
from stancegraph.graph.window import TimeWindow
from stancegraph.launch import free_port
from stancegraph.schema.models import ClaimDate, SeedSet
from stancegraph.schema.validtime import span
from stancegraph.settings import PROJECT_ROOT
from tests.conftest import SEEDS, SOURCE_YAML, unavailable

CLI = [sys.executable, "-m", "stancegraph.cli"]
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedded store, and a Neo4j home of the test's own: a server someone runs on this
    machine must not change where the commands look."""
    for name in [k for k in os.environ if k.startswith("STANCEGRAPH_") and k != "STANCEGRAPH_ALLOWED_HOSTS"]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("STANCEGRAPH_STORE", "memory")
    monkeypatch.setenv("STANCEGRAPH_NEO4J_HOME", str(tmp_path / "neo4j-home"))


@pytest.fixture
def width(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    def set_width(columns: int) -> None:
        monkeypatch.setattr(cli.out, "width", columns)

    return set_width


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli.app, list(args), env=env)


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=full_env, timeout=120)


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port something listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


# --- seeds ----------------------------------------------------------------------------------------


def test_validate_shipped_seeds() -> None:
    result = invoke("validate", str(SEEDS))
    assert result.exit_code == 0, result.output
    assert "ok" in result.stdout and "claims" in result.stdout


def test_validate_reports_every_error_with_file_line_field(seeds_copy: Path) -> None:
    (seeds_copy / "broken.yaml").write_text(
        "entities:\n  - id: newco\n    kind: spaceship\n    names: {en: N, zh: N}\n"
        "  - id: newco\n    kind: company\n    names: {zh: N}\n"
    )
    result = invoke("validate", str(seeds_copy))
    assert result.exit_code == cli.EXIT_FAILED
    assert "seeds/broken.yaml:3: entities[0].kind: unknown kind 'spaceship'" in result.stderr
    assert "seeds/broken.yaml:7: entities[1].names.en: required field is missing" in result.stderr
    assert "2 problem(s) found." in result.stderr


def test_evidence_locate_check_and_write(seeds_copy: Path) -> None:
    claims = seeds_copy / SOURCE_YAML
    text = claims.read_text(encoding="utf-8")
    start_line = next(line for line in text.split("\n") if line.strip().startswith("start:"))
    claims.write_text(text.replace(start_line, start_line.split(":")[0] + ": 1", 1), encoding="utf-8")
    check = invoke("evidence", "locate", "--check", str(seeds_copy))
    assert check.exit_code == 1 and "would set" in check.stdout
    assert invoke("validate", str(seeds_copy)).exit_code == 1
    fix = invoke("evidence", "locate", str(seeds_copy))
    assert fix.exit_code == 0 and "1 offset pair(s) written" in fix.stdout
    assert invoke("validate", str(seeds_copy)).exit_code == 0
    assert claims.read_text(encoding="utf-8") == text


# --- queries --------------------------------------------------------------------------------------


def test_query_who_supports_json_in_a_real_process() -> None:
    result = run("query", "who-supports", "anthropic", "--json")
    assert result.returncode == 0, result.stderr
    stances = json.loads(result.stdout)
    assert "sam-altman" in {s["entity"]["id"] for s in stances}


def _rows(output: str) -> list[list[str]]:
    """The body rows of the (first) rich table drawn with rules between rows: each row's cells,
    with the wrapped lines of a cell joined (no whitespace: wrapping drops the spaces it breaks at)."""
    return _tables(output)[0]


def _tables(output: str) -> list[list[list[str]]]:
    """The body rows of each rich table in the output, as `_rows` gives them."""
    tables: list[list[list[str]]] = []
    rows: list[list[str]] | None = None
    current: list[list[str]] = []
    for line in output.splitlines():
        if line.startswith("┡"):
            rows = []
        elif rows is not None and line.startswith(("├", "└")):
            rows.append(["".join(_squeeze(cell) for cell in column) for column in zip(*current, strict=True)])
            current = []
            if line.startswith("└"):
                tables.append(rows)
                rows = None
        elif rows is not None:
            current.append(line.strip().strip("│").split("│"))
    return tables


def _squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("columns", [80, 200])
@pytest.mark.parametrize("command", ["who-supports", "who-opposes"])
def test_stance_tables_show_whole_quotes_certainty_status_and_speaker_names(
    command: str, columns: int, width: Callable[[int], None], memory_store: GraphStore
) -> None:
    """At 80 columns and on a wide terminal every quote and translation is there in full (wrapped,
    never cut), each row says how certain and (when a source says) whether it has happened, and a
    speaker is a name, not an id."""
    width(columns)
    entity = "us-department-of-war" if command == "who-opposes" else "anthropic"
    result = invoke("query", command, entity)
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= columns
    stances: list[Stance] = (memory_store.opponents if command == "who-opposes" else memory_store.supporters)(
        entity
    )
    expected = [(s, c, ev) for s in stances for c in s.claims for ev in c.evidence]
    rows = _rows(result.stdout)
    assert len(rows) == len(expected)
    for (stance, claim, ev), (who, said, quote, by) in zip(expected, rows, strict=True):
        assert who == _squeeze(stance.entity.name_en)
        assert quote == _squeeze(ev.quote + (ev.translation or ""))
        assert _squeeze(ev.certainty) in said
        if ev.status is not None:
            assert _squeeze(ev.status.replace("_", " ")) in said
        elif claim.status is not None:
            assert _squeeze(f"{claim.status.replace('_', ' ')} (summary)") in said
        if ev.speaker.entity is not None:
            assert _squeeze(memory_store.entity(ev.speaker.entity).entity.names.en) in by


def test_path_prints_each_hop_with_its_predicates_and_direction(memory_store: GraphStore) -> None:
    a, b = "sam-altman", "pete-hegseth"  # the README's example
    paths = memory_store.paths(a, b, max_hops=4)
    assert paths
    result = invoke("query", "path", a, b, "--max-hops", "4")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(paths)
    label = {p.id: p.label.en for p in memory_store.vocabulary.predicates.values()}
    for line, path in zip(lines, paths, strict=True):
        rest = line
        for before, after, hop in zip(path.nodes, path.nodes[1:], path.hops, strict=False):
            assert rest.startswith(before.name_en + " "), (line, before.name_en)
            between, rest = rest[len(before.name_en) + 1 :].split(" " + after.name_en, 1)
            rest = after.name_en + rest
            for claim in hop:
                if claim.subject.id == before.id:
                    assert re.search(rf"—[^→←]*{re.escape(label[claim.predicate])}[^→←]*→", between), line
                else:
                    assert re.search(rf"←[^→←]*{re.escape(label[claim.predicate])}[^→←]*—", between), line
        assert rest == path.nodes[-1].name_en


@pytest.mark.parametrize(
    "args",
    [
        ("query", "between", "anthropic", "us-department-of-war"),
        ("query", "timeline", "xai"),
        ("query", "search", "五角大楼"),
        ("query", "conflicts", "--kind", "status"),
        ("stats",),
    ],
)
def test_other_queries_run(args: tuple[str, ...], width: Callable[[int], None]) -> None:
    width(80)
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


# --- time: --as-of, --known-by, history, switches (docs/time.md) ----------------------------------


def _google_switch(store: GraphStore) -> Switch:
    """Google's turn on "any lawful use", which the seeds hold: opposed, then agreed to the terms."""
    return next(s for s in store.switches(entity="google") if s.toward.id == "any-lawful-use")


def _json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _dumped(found: Sequence[BaseModel]) -> list[Any]:
    return [item.model_dump(mode="json") for item in found]


@pytest.mark.parametrize("known", [False, True])
def test_time_options_give_what_the_store_gives(memory_store: GraphStore, known: bool) -> None:
    """On the day Google's new stance started, and (known_by) with only what was published the
    day before: each query answers as the store does with that window, and the window matters."""
    switch = _google_switch(memory_store)
    day = date.fromisoformat(str(switch.date.value))
    window = TimeWindow(as_of=day, known_by=day - timedelta(days=1) if known else None)
    options = ["--as-of", day.isoformat()]
    if window.known_by is not None:
        options += ["--known-by", window.known_by.isoformat()]
    actor, target = switch.entity.id, switch.toward.id
    sign = switch.after.polarity if not known else switch.before.polarity
    command = "who-supports" if sign > 0 else "who-opposes"
    asked = {
        (command, target): _dumped(memory_store.stance(target, sign, window=window)),
        ("between", actor, target): _dumped(memory_store.between(actor, target, window=window)),
        ("path", actor, target): _dumped(memory_store.paths(actor, target, window=window)),
        ("timeline", actor): _dumped(memory_store.timeline(actor, window=window)),
    }
    for args, expected in asked.items():
        assert _json(invoke("query", *args, *options, "--json")) == expected, args
    # The claims that held that day are the new stance's, or the old one's when the new is not known yet.
    held = {c["id"] for c in asked[("between", actor, target)]}
    step = switch.before if known else switch.after
    assert held == {c.id for c in step.claims}
    assert held != {c["id"] for c in _json(invoke("query", "between", actor, target, "--json"))}


@pytest.mark.parametrize("option", ["--as-of", "--known-by"])
@pytest.mark.parametrize("value", ["2026-3-1", "20260301", "2026-02-30", "March"])
def test_a_bad_day_is_one_line_naming_the_option(option: str, value: str) -> None:
    result = invoke("query", "timeline", option, value)
    assert result.exit_code == cli.EXIT_USAGE
    assert result.stderr.strip().splitlines() == [f"error {option}: {value!r} is not a day: give YYYY-MM-DD"]


def _claims_cell(cell: str, claims: Sequence[ClaimView]) -> None:
    """A cell lists each claim's id with the sources of its evidence under it, in order."""
    expected = "".join(c.id + "".join(sorted({ev.source for ev in c.evidence})) for c in claims)
    assert cell == _squeeze(expected)


def _pair_with_relations(store: GraphStore) -> tuple[str, str]:
    """An actor and target with stance steps and neutral relations between them, from the seeds."""
    for claim in store.claims(ClaimFilter(polarity=0), limit=1000):
        found = store.history(claim.subject.id, claim.object.id)
        if found.steps and found.relations:
            return claim.subject.id, claim.object.id
    pytest.fail("the seeds hold no pair with both a stance and a neutral relation")


def test_history_tables_show_steps_then_relations(
    memory_store: GraphStore, width: Callable[[int], None]
) -> None:
    width(80)
    switch = _google_switch(memory_store)
    for actor, target in ((switch.entity.id, switch.toward.id), _pair_with_relations(memory_store)):
        expected = memory_store.history(actor, target)
        result = invoke("query", "history", actor, "--toward", target)
        assert result.exit_code == 0, result.output
        assert max(len(line) for line in result.stdout.splitlines()) <= 80
        tables = _tables(result.stdout)
        assert len(tables) == (2 if expected.relations else 1)
        assert len(tables[0]) == len(expected.steps)
        for (sign, start, end, cell), step in zip(tables[0], expected.steps, strict=True):
            assert sign == _squeeze(cli._sign(step.polarity))
            assert (start, end) == (step.start.value, _until(step.end))
            _claims_cell(cell, step.claims)
        relations = tables[1] if expected.relations else []
        assert len(relations) == len(expected.relations)
        for (start, end, cell), claim in zip(relations, expected.relations, strict=True):
            held = claim.valid.held
            assert (start, end) == ((held[0].start.value, _until(held[-1].end)) if held else ("undated", ""))
            _claims_cell(cell, [claim])
        as_json = _json(invoke("query", "history", actor, "--toward", target, "--json"))
        assert as_json == expected.model_dump(mode="json")


def _until(end: ClaimDate | None) -> str | None:
    return "holds" if end is None else end.value


def test_history_as_of_and_errors(memory_store: GraphStore) -> None:
    switch = _google_switch(memory_store)
    before = date.fromisoformat(str(switch.date.value)) - timedelta(days=1)
    args = ("query", "history", switch.entity.id, "--toward", switch.toward.id)
    found = _json(invoke(*args, "--as-of", before.isoformat(), "--json"))
    expected = memory_store.history(switch.entity.id, switch.toward.id, window=TimeWindow(as_of=before))
    assert found == expected.model_dump(mode="json")
    assert [s["polarity"] for s in found["steps"]] == [switch.before.polarity]
    same = invoke("query", "history", switch.entity.id, "--toward", switch.entity.id)
    assert same.exit_code == cli.EXIT_USAGE and "toward" in same.stderr
    assert invoke("query", "history", "nobody", "--toward", switch.toward.id).exit_code == cli.EXIT_FAILED


def test_switches_table(memory_store: GraphStore, width: Callable[[int], None]) -> None:
    width(80)
    expected = memory_store.switches()
    assert _google_switch(memory_store) in expected
    result = invoke("query", "switches")
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    rows = _rows(result.stdout)
    assert len(rows) == len(expected)
    for (actor, toward, when, before, after), switch in zip(rows, expected, strict=True):
        names = (_squeeze(switch.entity.name_en), _squeeze(switch.toward.name_en))
        assert (actor, toward, when) == (*names, switch.date.value)
        for cell, step in ((before, switch.before), (after, switch.after)):
            sign = _squeeze(cli._sign(step.polarity))
            assert cell.startswith(sign)
            _claims_cell(cell.removeprefix(sign), step.claims)


def test_switches_options_give_what_the_store_gives(memory_store: GraphStore) -> None:
    switch = _google_switch(memory_store)
    day = date.fromisoformat(str(switch.date.value))
    later, earlier = day + timedelta(days=1), day - timedelta(days=1)
    most = max(c.sources for s in memory_store.switches() for c in (*s.before.claims, *s.after.claims))
    asked: dict[tuple[str, ...], list[Switch]] = {
        (): memory_store.switches(),
        ("--entity", switch.entity.id): memory_store.switches(entity=switch.entity.id),
        ("--since", day.isoformat(), "--until", day.isoformat()): memory_store.switches(since=day, until=day),
        ("--since", later.isoformat()): memory_store.switches(since=later),
        ("--min-sources", str(most)): memory_store.switches(counts=SourceCounts(min_sources=most)),
        ("--limit", "1"): memory_store.switches(limit=1),
        ("--known-by", earlier.isoformat()): memory_store.switches(window=TimeWindow(known_by=earlier)),
    }
    assert switch in asked[("--since", day.isoformat(), "--until", day.isoformat())]
    assert switch not in asked[("--since", later.isoformat())]
    assert switch not in asked[("--known-by", earlier.isoformat())]  # the new stance was not out yet
    for args, expected in asked.items():
        assert _json(invoke("query", "switches", *args, "--json")) == _dumped(expected), args
    mine_later = invoke("query", "switches", "--entity", switch.entity.id, "--since", later.isoformat())
    if not memory_store.switches(entity=switch.entity.id, since=later):
        assert mine_later.stdout.strip() == "no switches"
    wrong = invoke("query", "switches", "--since", day.isoformat(), "--until", earlier.isoformat())
    assert wrong.exit_code == cli.EXIT_USAGE and "until" in wrong.stderr


def test_a_partial_date_that_may_match_says_so(
    memory_store: GraphStore, width: Callable[[int], None]
) -> None:
    """A claim that started in some month only may hold on the month's first day: its row says so."""
    width(200)
    claim = next(
        c
        for c in memory_store.timeline(limit=1000)
        if c.valid.held and c.valid.held[0].start.precision == "month"
    )
    day = span(claim.valid.held[0].start)[0]
    ends = (claim.subject.id, claim.object.id)
    shown = memory_store.between(*ends, window=TimeWindow(as_of=day))
    result = invoke("query", "between", *ends, "--as-of", day.isoformat())
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert len(rows) == len(shown)
    for row, view in zip(rows, shown, strict=True):
        assert view.time is not None
        said = row[0].endswith(_squeeze("--as-of: overlap (partial date)"))
        assert said == (view.time.as_of == "overlap")
    assert next(v for v in shown if v.id == claim.id).time == TimeMatch(as_of="overlap", known_by=None)
    assert "overlap" not in invoke("query", "between", *ends).stdout


def test_unknown_entity_is_a_clear_error() -> None:
    result = invoke("query", "who-supports", "nobody")
    assert result.exit_code == cli.EXIT_FAILED
    assert "no entity with id, name or alias 'nobody'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_export_formats(tmp_path: Path) -> None:
    out = tmp_path / "graph.json"
    assert invoke("export", "--format", "json", "--output", str(out)).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["nodes"] and data["links"]
    assert invoke("export", "--format", "graphml", "--output", str(tmp_path / "g.graphml")).exit_code == 0
    assert invoke("export", "--format", "csv", "--output", str(tmp_path / "csv")).exit_code == 0
    assert (tmp_path / "csv" / "nodes.csv").read_text(encoding="utf-8").startswith("id,")


class _Watched(MemoryStore):
    closed = 0

    def close(self) -> None:
        type(self).closed += 1
        super().close()


@pytest.mark.parametrize(
    "args",
    [
        ("stats",),
        ("query", "who-supports", "anthropic"),
        ("query", "path", "sam-altman", "pete-hegseth"),
        ("query", "who-supports", "nobody"),  # closed on the error path too
        ("export", "--format", "graphml"),
    ],
)
def test_commands_close_the_store_they_open(
    args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, memory_store: GraphStore
) -> None:
    from stancegraph import open as opening

    assert isinstance(memory_store, MemoryStore)
    monkeypatch.setattr(_Watched, "closed", 0)
    monkeypatch.setattr(opening, "open_store", lambda settings: _Watched(memory_store.snapshot()))
    invoke(*args)
    assert _Watched.closed == 1


def test_a_store_is_a_context_manager(memory_store: GraphStore) -> None:
    _Watched.closed = 0
    with _Watched(memory_store.snapshot()) as store:
        assert store.stats().entities
    assert _Watched.closed == 1


# --- user errors: one line naming the setting and the fix, a documented exit code -----------------


@pytest.mark.parametrize(
    ("variable", "value"),
    [("STANCEGRAPH_STORE", "networkx"), ("STANCEGRAPH_PORT", "eighty"), ("STANCEGRAPH_QUERY_TIMEOUT", "-1")],
)
def test_a_bad_setting_is_one_line_naming_it(variable: str, value: str) -> None:
    result = invoke("stats", env={variable: value})
    assert result.exit_code == cli.EXIT_USAGE
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert variable in line and repr(value) in line and "unset it" in line
    assert "Traceback" not in result.output


def test_a_bad_setting_in_a_real_process_has_no_traceback() -> None:
    result = run("stats", env={"STANCEGRAPH_STORE": "networkx"})
    assert result.returncode == cli.EXIT_USAGE
    (line,) = result.stderr.strip().splitlines()
    assert "STANCEGRAPH_STORE" in line and "'memory' or 'neo4j'" in line


def test_neo4j_down_is_one_line_naming_the_uri_and_up() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    for args in (("stats", "--store", "neo4j"), ("cypher", "supporters"), ("load",)):
        result = invoke(*args, env={"STANCEGRAPH_NEO4J_URI": uri, "STANCEGRAPH_NEO4J_RETRY_TIME": "0.2"})
        assert result.exit_code == cli.EXIT_UNAVAILABLE, (args, result.output)
        (line,) = result.stderr.strip().splitlines()
        assert uri in line and "stancegraph up" in line, args


def test_serve_on_a_port_in_use_names_the_setting(taken_port: int) -> None:
    result = invoke("serve", "--port", str(taken_port))
    assert result.exit_code == cli.EXIT_UNAVAILABLE
    (line,) = result.stderr.strip().splitlines()
    assert str(taken_port) in line and "STANCEGRAPH_PORT" in line


def test_up_on_an_api_port_in_use_starts_no_neo4j(taken_port: int, tmp_path: Path) -> None:
    result = invoke("up", "--port", str(taken_port))
    assert result.exit_code == cli.EXIT_UNAVAILABLE
    (line,) = result.stderr.strip().splitlines()
    assert "STANCEGRAPH_PORT" in line
    assert not localneo4j.status(tmp_path / "neo4j-home").running
    assert not (tmp_path / "neo4j-home" / "data").exists()


def test_exit_codes_are_documented() -> None:
    table = README.split("### Exit codes", 1)[1].split("\n\n")[2]
    documented = {int(m) for m in re.findall(r"^\| `(\d+)` \|", table, re.M)}
    assert documented == {0, cli.EXIT_FAILED, cli.EXIT_USAGE, cli.EXIT_UNAVAILABLE}


def test_readme_cli_examples_run_as_pasted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # The "Add a source" lines build on each other (a copy of the seeds, a file to add):
    # tests/test_curation_sources.py runs them in order, in a shell.
    standalone = re.sub(r"### Add a source\n.*?(?=\n#)", "", README, flags=re.S)
    commands = re.findall(r"^\$ \.venv/bin/stancegraph (.+)$", standalone, re.M)
    assert len(commands) >= 5
    for command in commands:
        result = invoke(*shlex.split(command))
        assert result.exit_code == 0, (command, result.output)


def test_bench_runs_as_a_module_not_an_import() -> None:
    result = run("bench", "--help")
    assert result.returncode == 0, result.stderr
    assert "--size" in result.stdout
    assert "sys.path" not in Path(cli.__file__).read_text(encoding="utf-8")


# --- serve, end to end ----------------------------------------------------------------------------


def test_serve_without_neo4j_says_so_at_startup_and_fails_fast() -> None:
    """With Neo4j down, `serve` says so in one line naming the URI and `stancegraph up`, and requests
    get a 503 that says the same, at once rather than after the driver's connection timeout."""
    port, bolt = free_port(), free_port()
    uri = f"bolt://127.0.0.1:{bolt}"
    env = {**os.environ, "STANCEGRAPH_STORE": "neo4j", "STANCEGRAPH_NEO4J_URI": uri}
    proc = subprocess.Popen([*CLI, "serve", "--port", str(port)], env=env, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/v1/health", timeout=2)
                break
            except httpx.HTTPError:
                assert proc.poll() is None, "serve exited"
                assert time.monotonic() < deadline, "the API did not start"
                time.sleep(0.2)
        for _ in range(3):
            started = time.monotonic()
            response = httpx.get(base + "/v1/entities/anthropic/supporters", timeout=10)
            assert time.monotonic() - started < 1.0
            assert response.status_code == 503
            detail = response.json()["detail"]
            assert uri in detail and "stancegraph up" in detail
        # What needs no database still answers.
        assert httpx.get(base + "/v1/vocabulary", timeout=10).status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=20)
    warned = [line for line in stderr.splitlines() if "not reachable" in line]
    assert len(warned) == 1 and uri in warned[0] and "stancegraph up" in warned[0], stderr


# --- up, end to end (a real Neo4j) ----------------------------------------------------------------


@pytest.fixture
def _java() -> None:
    if shutil.which("java") is None:
        unavailable("needs Java 17+ on PATH")


@pytest.mark.neo4j
@pytest.mark.usefixtures("_java")
def test_up_on_a_neo4j_port_in_use_names_the_setting(taken_port: int) -> None:
    result = invoke("up", "--port", str(free_port()), env={"STANCEGRAPH_NEO4J_BOLT_PORT": str(taken_port)})
    assert result.exit_code == cli.EXIT_UNAVAILABLE
    (line,) = result.stderr.strip().splitlines()
    assert str(taken_port) in line and "STANCEGRAPH_NEO4J_BOLT_PORT" in line


@pytest.mark.neo4j
@pytest.mark.usefixtures("_java")
def test_up_on_other_ports_is_found_by_every_command(tmp_path: Path) -> None:
    """`up` on non-default ports prints the exports another shell needs; without them, status,
    load, cypher and queries find the server too (settings read its ports), and Ctrl-C on `up`
    says that Neo4j is still running."""
    home = tmp_path / "neo4j-home"
    api, bolt, http = (free_port() for _ in range(3))
    env = {
        **os.environ,
        "STANCEGRAPH_NEO4J_BOLT_PORT": str(bolt),
        "STANCEGRAPH_NEO4J_HTTP_PORT": str(http),
        "COLUMNS": "300",
    }
    proc = subprocess.Popen(
        [*CLI, "up", "--port", str(api)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{api}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "up did not serve"
            time.sleep(0.5)
        uri = f"bolt://127.0.0.1:{bolt}"
        status = invoke("neo4j", "status")
        assert status.exit_code == 0 and uri in status.stdout, status.output
        assert f"export STANCEGRAPH_NEO4J_URI={uri}" in status.stdout
        load = invoke("load")
        assert load.exit_code == 0 and "0 change(s)" in load.stdout, load.output
        stats = invoke("stats", "--store", "neo4j")
        assert stats.exit_code == 0 and "neo4j" in stats.stdout, stats.output
        cypher = invoke("cypher", "supporters")
        assert cypher.exit_code == 0, cypher.output
    finally:
        proc.send_signal(signal.SIGINT)
        stdout, _ = proc.communicate(timeout=30)
        try:
            assert f"export STANCEGRAPH_NEO4J_URI=bolt://127.0.0.1:{bolt}" in stdout
            assert "Neo4j is still running" in stdout and "stancegraph neo4j stop" in stdout
            assert localneo4j.status(home).running
        finally:
            stopped = invoke("neo4j", "stop")
    assert stopped.exit_code == 0 and "stopped" in stopped.stdout
    assert not localneo4j.status(home).running


def test_names_work_wherever_an_entity_is_named(tmp_path: Path, seeds: SeedSet) -> None:
    # The entity with most claims, by its Chinese name; a claim's two ends by their aliases.
    from stancegraph.graph.picks import central_entity

    centre = central_entity(MemoryStore(seeds))
    assert centre is not None
    entity = next(e for e in seeds.entities if e.id == centre)
    assert entity.names.zh is not None
    by_id = invoke("query", "who-opposes", centre, "--json")
    by_name = invoke("query", "who-opposes", entity.names.zh, "--json")
    assert by_name.exit_code == 0 and json.loads(by_name.stdout) == json.loads(by_id.stdout)
    claim = seeds.claims[0]
    ends = [next(e for e in seeds.entities if e.id == end) for end in (claim.subject, claim.object)]
    path = invoke("query", "path", ends[0].names.en, ends[1].names.en, "--json")
    assert path.exit_code == 0 and json.loads(path.stdout), path.output
    target = tmp_path / "view.html"
    assert invoke("export", "--format", "html", "--entity", entity.names.zh, "-o", str(target)).exit_code == 0
    assert centre in target.read_text(encoding="utf-8")
    unknown = invoke("query", "who-opposes", entity.names.en + "zz")
    assert unknown.exit_code != 0
    lines = unknown.output.strip().splitlines()
    assert len(lines) == 1 and "did you mean" in lines[0] and centre in lines[0], unknown.output


@pytest.mark.neo4j
@pytest.mark.usefixtures("_java")
def test_up_whose_api_cannot_bind_stops_the_neo4j_it_started(
    taken_port: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The port is taken only after `up` looked (a race): uvicorn fails to bind, and `up` stops
    the Neo4j it had started rather than leave it running unseen."""
    monkeypatch.setattr(cli, "_check_api_port", lambda settings: None)
    env = {"STANCEGRAPH_NEO4J_BOLT_PORT": str(free_port())}
    env["STANCEGRAPH_NEO4J_HTTP_PORT"] = str(free_port())
    result = invoke("up", "--port", str(taken_port), env=env)
    assert result.exit_code == cli.EXIT_UNAVAILABLE, result.output
    assert "was stopped" in result.stderr
    assert not localneo4j.status(tmp_path / "neo4j-home").running
