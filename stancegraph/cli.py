"""`stancegraph`: the command line, thin over schema/, graph/ and api/."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from stancegraph import __version__
from stancegraph.graph.results import ClaimView, ConflictKind, Stance
from stancegraph.graph.store import GraphStore
from stancegraph.schema.errors import InvalidParameterError, SeedValidationError, StanceGraphError
from stancegraph.settings import Settings

app = typer.Typer(help="stancegraph: who stands where, and says who.", no_args_is_help=True)
evidence_app = typer.Typer(help="Authoring help for evidence records.", no_args_is_help=True)
query_app = typer.Typer(help="Ask the graph questions.", no_args_is_help=True)
app.add_typer(evidence_app, name="evidence")
app.add_typer(query_app, name="query")

out = Console()
err = Console(stderr=True)

SeedsArg = Annotated[
    Path | None, typer.Argument(help="Seeds folder (default: STANCEGRAPH_SEEDS or ./seeds).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
StoreOpt = Annotated[
    Literal["memory", "neo4j"] | None,
    typer.Option("--store", help="memory (embedded) or neo4j; default STANCEGRAPH_STORE."),
]


def _settings(**overrides: Any) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def _fail(exc: StanceGraphError) -> typer.Exit:
    if isinstance(exc, SeedValidationError):
        for issue in exc.issues:
            err.print(f"[red]error[/red] {issue}", highlight=False, soft_wrap=True)
        err.print(f"{len(exc.issues)} problem(s) found.")
    else:
        err.print(f"[red]error[/red] {exc}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def _open(store: str | None) -> GraphStore:
    from stancegraph.graph.open import open_store

    try:
        return open_store(_settings(store=store))
    except StanceGraphError as exc:
        raise _fail(exc) from None


def _print_json(data: Any) -> None:
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    elif isinstance(data, list):
        data = [d.model_dump(mode="json") if isinstance(d, BaseModel) else d for d in data]
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)


@app.command()
def validate(path: SeedsArg = None) -> None:
    """Check the seeds: schema, references, vocabulary, quotes at their offsets, duplicates, dates.

    Every problem is reported (file:line: field: message); the exit code is 1 if there is any.
    """
    from stancegraph.schema.validate import validate_seeds

    root = path or _settings().seeds
    try:
        seeds = validate_seeds(root)
    except SeedValidationError as exc:
        raise _fail(exc) from None
    evidence = sum(len(c.evidence) for c in seeds.claims)
    out.print(
        f"[green]ok[/green] {root}: {len(seeds.sources)} source(s), {len(seeds.entities)} entities, "
        f"{len(seeds.claims)} claims, {evidence} evidence records"
    )


@evidence_app.command("locate")
def evidence_locate(
    path: SeedsArg = None,
    check: Annotated[bool, typer.Option("--check", help="Report only; change no file.")] = False,
) -> None:
    """Fill or repair evidence offsets from each quote's text, editing the YAML in place."""
    from stancegraph.schema.locate import locate_evidence

    root = path or _settings().seeds
    try:
        results = locate_evidence(root, write=not check)
    except SeedValidationError as exc:
        raise _fail(exc) from None
    changed = [r for r in results if r.outcome != "ok"]
    for r in changed:
        verb = "would set" if check else r.outcome
        out.print(f"{r.file}:{r.line}: {r.field}: {verb} [{r.start}, {r.end})", highlight=False)
    done = "to change" if check else "written"
    out.print(f"{len(results)} quote(s) located, {len(changed)} offset pair(s) {done}.")
    if check and changed:
        raise typer.Exit(code=1)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    store: StoreOpt = None,
) -> None:
    """Serve the REST API (OpenAPI docs at /docs)."""
    from stancegraph.api.app import serve as run_api

    settings = _settings(host=host, port=port, store=store)
    out.print(
        f"stancegraph {__version__}: {settings.store} store, http://{settings.host}:{settings.port}/docs"
    )
    run_api(settings)


@app.command()
def export(
    format: Annotated[
        Literal["json", "graphml", "csv", "html"], typer.Option("--format", "-f", help="Output format.")
    ] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (csv: a folder).")
    ] = None,
    entity: Annotated[
        str | None, typer.Option(help="html: the entity at the centre (default: the one most claims name).")
    ] = None,
    depth: Annotated[int, typer.Option(min=0, max=4, help="html: hops from the entity.")] = 2,
    store: StoreOpt = None,
) -> None:
    """Export the whole graph as node-link JSON, GraphML, or CSV (nodes.csv + edges.csv), or one
    entity's neighbourhood as a self-contained interactive HTML page (works offline)."""
    from stancegraph.graph import export as exporter

    if format == "html":
        from stancegraph.graph.picks import central_entity
        from stancegraph.graph.visual import render_view_html

        opened = _open(store)
        centre = entity or central_entity(opened)
        if centre is None:
            raise _fail(StanceGraphError("the graph has no entities to draw"))
        page = _run(render_view_html, opened, centre, depth)
        target = output or Path(f"{centre}.html")
        target.write_text(page, encoding="utf-8")
        out.print(f"wrote {target} ({len(page.encode())} bytes)")
        return

    seeds = _open(store).snapshot()
    if format == "csv":
        folder = output or Path("stancegraph-csv")
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in exporter.to_csv(seeds).items():
            (folder / name).write_text(text, encoding="utf-8")
        out.print(f"wrote {folder}/nodes.csv and {folder}/edges.csv")
        return
    data = (
        json.dumps(exporter.to_node_link(seeds), ensure_ascii=False, indent=2).encode("utf-8")
        if format == "json"
        else exporter.to_graphml(seeds)
    )
    if output is None:
        sys.stdout.buffer.write(data)
        return
    output.write_bytes(data)
    out.print(f"wrote {output} ({len(data)} bytes)")


@app.command()
def stats(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Counts of entities, claims, evidence and sources."""
    result = _open(store).stats()
    if as_json:
        _print_json(result)
        return
    table = Table("what", "count", title=f"stancegraph ({result.store})")
    for label, value in (
        ("entities", result.entities),
        ("claims", result.claims),
        ("evidence", result.evidence),
        ("sources", result.sources),
    ):
        table.add_row(label, str(value))
    for kind, count in result.entities_by_kind.items():
        table.add_row(f"  kind {kind}", str(count))
    for predicate, count in result.claims_by_predicate.items():
        table.add_row(f"  predicate {predicate}", str(count))
    out.print(table)


# --- query ------------------------------------------------------------------------------------


def _run(call: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except StanceGraphError as exc:
        raise _fail(exc) from None


@query_app.command("search")
def query_search(
    q: str,
    kind: Annotated[str | None, typer.Option(help="Only this entity kind.")] = None,
    limit: int = 10,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Find entities by any English or Chinese name or alias."""
    hits = _run(_open(store).search, q, kind=kind, limit=limit)
    if as_json:
        _print_json(hits)
        return
    table = Table("id", "kind", "name", "matched", "match", "score", title=f"search {q!r}")
    for hit in hits:
        table.add_row(
            hit.entity.id,
            hit.entity.kind,
            " / ".join(n for n in (hit.entity.name_en, hit.entity.name_zh) if n),
            hit.matched,
            hit.match,
            f"{hit.score:g}",
        )
    out.print(table)


def _print_stances(title: str, stances: Sequence[Stance], outlets: Mapping[str, str]) -> None:
    table = Table(
        "who",
        "claim",
        "date",
        "sources",
        "quote (source text)",
        "translation",
        "speaker",
        "outlet",
        title=title,
    )
    for stance in stances:
        for claim in stance.claims:
            for ev in claim.evidence:
                table.add_row(
                    f"{stance.entity.name_en}\n({stance.entity.id})",
                    claim.predicate,
                    claim.date.value or "?",
                    _sourced(claim),
                    ev.quote,
                    ev.translation or "",
                    _speaker(ev.speaker.model_dump()),
                    outlets.get(ev.source, ev.source),
                )
    out.print(table)


def _sourced(claim: ClaimView) -> str:
    """ "3 (2 independent)": how many sources a claim rests on."""
    if claim.independent == claim.sources:
        return str(claim.sources)
    return f"{claim.sources} ({claim.independent} independent)"


def _outlets(store: GraphStore) -> dict[str, str]:
    """Each source's outlet, for tables that show who reported a quote."""
    return {view.source.id: view.source.outlet for view in store.sources()}


def _speaker(speaker: dict[str, Any]) -> str:
    who = speaker.get("entity") or speaker.get("name") or "the outlet"
    via = f" via {speaker['via']}" if speaker.get("via") else ""
    return f"{who}{via}"


@query_app.command("who-supports")
def query_who_supports(entity: str, store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Who supports ENTITY, with each claim's quotes and speakers."""
    opened = _open(store)
    stances = _run(opened.supporters, entity)
    _print_json(stances) if as_json else _print_stances(f"who supports {entity}", stances, _outlets(opened))


@query_app.command("who-opposes")
def query_who_opposes(entity: str, store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Who opposes ENTITY, with each claim's quotes and speakers."""
    opened = _open(store)
    stances = _run(opened.opponents, entity)
    _print_json(stances) if as_json else _print_stances(f"who opposes {entity}", stances, _outlets(opened))


def _print_claims(title: str, claims: Sequence[ClaimView], outlets: Mapping[str, str]) -> None:
    table = Table(
        "date", "subject", "predicate", "object", "certainty", "sources", "quote", "outlet", title=title
    )
    for claim in claims:
        first = claim.evidence[0] if claim.evidence else None
        table.add_row(
            claim.date.value or "?",
            claim.subject.name_en,
            claim.predicate,
            claim.object.name_en,
            claim.certainty,
            _sourced(claim),
            first.quote if first else "",
            outlets.get(first.source, first.source) if first else "",
        )
    out.print(table)


@query_app.command("between")
def query_between(a: str, b: str, store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Every claim between A and B, both directions."""
    opened = _open(store)
    claims = _run(opened.between, a, b)
    _print_json(claims) if as_json else _print_claims(f"between {a} and {b}", claims, _outlets(opened))


@query_app.command("path")
def query_path(
    a: str,
    b: str,
    max_hops: Annotated[int, typer.Option(help="Longest chain to consider.")] = 3,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Shortest chains of claims linking A and B."""
    paths = _run(_open(store).paths, a, b, max_hops=max_hops)
    if as_json:
        _print_json(paths)
        return
    if not paths:
        out.print(f"no path between {a} and {b} within {max_hops} hops")
    for path in paths:
        parts = [path.nodes[0].name_en]
        for node, hop in zip(path.nodes[1:], path.hops, strict=True):
            parts.append(f"-[{', '.join(sorted({c.predicate for c in hop}))}]-")
            parts.append(node.name_en)
        out.print(" ".join(parts), highlight=False)


@query_app.command("timeline")
def query_timeline(
    entity: Annotated[str | None, typer.Argument(help="Only claims about this entity.")] = None,
    limit: int = 200,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Claims in date order (undated last)."""
    opened = _open(store)
    claims = _run(opened.timeline, entity, limit=limit)
    if as_json:
        _print_json(claims)
    else:
        _print_claims(f"timeline {entity or ''}".strip(), claims, _outlets(opened))


@query_app.command("conflicts")
def query_conflicts(
    entity: Annotated[str | None, typer.Option(help="Only claims about this entity.")] = None,
    kind: Annotated[str | None, typer.Option(help="figures, dates or status.")] = None,
    source: Annotated[str | None, typer.Option(help="Only conflicts this source takes a side in.")] = None,
    limit: int = 200,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Where sources disagree: each position with its outlets and report dates."""
    if kind is not None and kind not in get_args(ConflictKind):
        raise _fail(
            InvalidParameterError("kind", f"{kind!r} is not one of {', '.join(get_args(ConflictKind))}")
        )
    found = _run(_open(store).conflicts, entity=entity, kind=kind, source=source, limit=limit)
    if as_json:
        _print_json(found)
        return
    table = Table("claim", "kind", "why", "positions (outlets, reported)", title="conflicts")
    for conflict in found:
        sides = [
            f"{_position_value(p.value)}: {', '.join(p.outlets)} ({', '.join(p.reported) or 'date unknown'})"
            for p in conflict.positions
        ]
        table.add_row(conflict.claim, conflict.kind, conflict.reason, "\n".join(sides))
    out.print(table)


def _position_value(value: Any) -> str:
    """A position's value for people: a date with its wording, a figure with its bound."""
    if not isinstance(value, dict):
        return str(value)
    if "precision" in value:
        wording = f" ({value['wording']!r})" if value.get("wording") else ""
        return f"{value['value']}{wording}"
    bound = "" if value.get("bound", "exact") == "exact" else f"{value['bound'].replace('_', ' ')} "
    figure = value.get("amount", value.get("value", value.get("iso")))
    unit = f" {value['currency']}" if value.get("currency") else ""
    return f"{bound}{figure:g}{unit}" if isinstance(figure, int | float) else f"{bound}{figure}{unit}"


# --- local Neo4j server ---------------------------------------------------------------------

neo4j_app = typer.Typer(help="The local Neo4j server (Community 5.26 from Maven jars).", no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Start the local server (downloading its jars once) and wait until Bolt answers."""
    _start_server(_settings(), {})


def _start_server(settings: Settings, extra_settings: dict[str, str]) -> Any:
    from stancegraph import localneo4j

    config = localneo4j.ServerConfig(
        home=settings.neo4j_home,
        bolt_port=settings.neo4j_bolt_port,
        http_port=settings.neo4j_http_port,
        extra_settings=extra_settings,
    )
    try:
        with err.status("fetching Neo4j jars (first run only) ..."):
            localneo4j.ensure_jars()
        with err.status(f"starting Neo4j in {config.home} ..."):
            status = localneo4j.start(config)
    except localneo4j.LocalNeo4jError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=1) from None
    out.print(
        f"Neo4j running (pid {status.pid}): {status.bolt_uri}  Browser: {_browser(status)}", soft_wrap=True
    )
    _print_login(config.home)
    return status


def _browser(status: Any) -> str:
    return str(status.http_url).rstrip("/") + "/browser/"


def _print_login(home: Path) -> None:
    from stancegraph import localneo4j

    login = localneo4j.credentials(home)
    if login is not None:
        out.print(
            f"Login: {login[0]} / {login[1]}  "
            f"(kept in {localneo4j.password_file(home)}, readable by you only)",
            soft_wrap=True,
            highlight=False,
        )


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the local server."""
    from stancegraph import localneo4j

    stopped = localneo4j.stop(_settings().neo4j_home)
    out.print("stopped" if stopped else "not running")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Say whether the local server runs, where, and where its log is. Exit code 1 if not."""
    from stancegraph import localneo4j

    status = localneo4j.status(_settings().neo4j_home)
    if not status.running:
        out.print(f"not running (log: {status.log_path})")
        raise typer.Exit(code=1)
    out.print(f"running (pid {status.pid}): {status.bolt_uri}  Browser: {_browser(status)}", soft_wrap=True)
    _print_login(_settings().neo4j_home)


# --- load -------------------------------------------------------------------------------------


@app.command()
def load(
    path: SeedsArg = None,
    batch_size: Annotated[int | None, typer.Option(help="Rows per write transaction.")] = None,
) -> None:
    """Load the seeds into Neo4j (STANCEGRAPH_NEO4J_*), validated first: invalid seeds write nothing.

    The database ends equal to the seeds: changed records are updated, removed ones deleted, and
    nodes without stancegraph's labels are left alone. Reloading unchanged seeds writes nothing.
    """
    _load(_settings(seeds=path, batch_size=batch_size))


def _load(settings: Settings) -> None:
    from neo4j.exceptions import Neo4jError, ServiceUnavailable
    from rich.progress import Progress

    from stancegraph.graph.loader import load as load_seeds
    from stancegraph.graph.open import neo4j_driver
    from stancegraph.schema.validate import validate_seeds

    try:
        seeds = validate_seeds(settings.seeds)
    except SeedValidationError as exc:
        raise _fail(exc) from None
    with Progress(console=err, transient=True) as progress, neo4j_driver(settings) as driver:
        tasks: dict[str, Any] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        try:
            report = load_seeds(
                driver,
                seeds,
                database=settings.neo4j_database,
                batch_size=settings.batch_size,
                on_progress=on_progress,
            )
        except (ServiceUnavailable, Neo4jError) as exc:
            raise _fail(StanceGraphError(f"Neo4j at {settings.neo4j_uri}: {exc}")) from None
    table = Table("records", "created", "updated", "deleted", "unchanged", title=f"loaded {settings.seeds}")
    for kind, counts in report.counts.items():
        table.add_row(
            kind, str(counts.created), str(counts.updated), str(counts.deleted), str(counts.unchanged)
        )
    out.print(table)
    out.print(f"{report.changed} change(s) in {report.seconds:.2f} s")


@app.command()
def up(
    port: Annotated[int | None, typer.Option(help="API port (default 8000).")] = None,
) -> None:
    """Start the local Neo4j, load the seeds into it, and serve the API on it.

    Neo4j Browser opens with the stancegraph style and guide (it fetches both from this API).
    The server keeps running after the API stops: `stancegraph neo4j stop` ends it.
    """
    from stancegraph.api.app import serve as run_api
    from stancegraph.graph.visual import browser_settings

    base = _settings(port=port)
    # Browser's default allowlist for remote guides has localhost, not 127.0.0.1.
    status = _start_server(base, browser_settings(f"http://localhost:{base.port}"))
    settings = base.model_copy(update={"store": "neo4j", "neo4j_uri": status.bolt_uri})
    _load(settings)
    browser = f"{_browser(status)}?dbms=bolt://neo4j@127.0.0.1:{status.bolt_port}&preselectAuthMethod=NATIVE"
    out.print(f"Open Neo4j Browser (log in as above): {browser}", soft_wrap=True, highlight=False)
    out.print(f"API: http://{settings.host}:{settings.port}/docs", highlight=False)
    run_api(settings)


@app.command("cypher")
def cypher_recipe(
    name: Annotated[str | None, typer.Argument(help="A cookbook query; omit to list them.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="key=value, overriding a default.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a query from the Cypher cookbook (docs/cypher.md) against Neo4j."""
    from stancegraph.graph.cookbook import recipe, recipes

    if name is None:
        table = Table("name", "what", title="Cypher cookbook")
        for item in recipes().values():
            table.add_row(item.name, item.title)
        out.print(table)
        return
    overrides = dict(p.split("=", 1) for p in param or [] if "=" in p)
    if len(overrides) != len(param or []):
        err.print("[red]error[/red] --param takes key=value")
        raise typer.Exit(code=2)
    settings = _settings(store="neo4j")
    item = _run(recipe, name)
    store = _open("neo4j")
    params = _run(item.bind, overrides, store)
    result = _run(
        store.run_cypher,
        item.cypher,
        params,
        timeout=settings.query_timeout,
        row_limit=settings.cypher_row_limit,
    )
    if as_json:
        _print_json(result)
        return
    table = Table(*result.columns, title=item.title)
    for row in result.rows:
        table.add_row(*(_cell(row[c]) for c in result.columns))
    out.print(table)


def _cell(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


@app.command(
    "bench",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def bench(ctx: typer.Context) -> None:
    """Run the benchmark suite (bench/ in a checkout; `stancegraph bench --help` for its options)."""
    from stancegraph.settings import PROJECT_ROOT

    if not (PROJECT_ROOT / "bench" / "suite.py").exists():
        err.print("[red]error[/red] the benchmark suite is in the source checkout (bench/), not installed")
        raise typer.Exit(code=1)
    sys.path.insert(0, str(PROJECT_ROOT))
    from bench.suite import main as bench_main

    raise typer.Exit(code=bench_main(list(ctx.args)))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
