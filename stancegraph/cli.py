"""`stancegraph`: the command line, thin over schema/, graph/ and api/."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table
from rich.text import Text

from stancegraph import __version__
from stancegraph.graph.names import EntityNames
from stancegraph.graph.results import (
    ClaimView,
    Coalitions,
    ConflictKind,
    History,
    PathView,
    SourceCounts,
    Stance,
    Switch,
)
from stancegraph.graph.store import GraphStore
from stancegraph.graph.window import TimeWindow
from stancegraph.schema.errors import (
    InvalidParameterError,
    NotFoundError,
    SeedValidationError,
    StanceGraphError,
    StoreUnavailableError,
)
from stancegraph.schema.models import ClaimDate, EvidenceRecord
from stancegraph.settings import Settings, SettingsError, load_settings

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
# The same as an option, on every command that reads or writes seeds: a curator works on a copy.
SeedsOpt = Annotated[
    Path | None, typer.Option("--seeds", help="Seeds folder (default: STANCEGRAPH_SEEDS or ./seeds).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
StoreOpt = Annotated[
    Literal["memory", "neo4j"] | None,
    typer.Option("--store", help="memory (embedded) or neo4j; default STANCEGRAPH_STORE."),
]
# Valid time and known time (docs/time.md); dates are parsed by _day, so a bad one is one line.
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="YYYY-MM-DD: only what held on this day (valid time).")
]
KnownByOpt = Annotated[
    str | None,
    typer.Option("--known-by", help="YYYY-MM-DD: only what sources published by this day said (known time)."),
]


# Exit codes (the README's table): typer's own usage errors are 2 as well.
EXIT_FAILED = 1  # the command ran and failed: invalid seeds, an unknown id, a rejected query
EXIT_USAGE = 2  # a bad option, argument or STANCEGRAPH_* setting
EXIT_UNAVAILABLE = 3  # a server could not be reached or started: Neo4j down, a port in use


def _settings(**overrides: Any) -> Settings:
    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        raise _fail(exc) from None


def _exit_code(exc: StanceGraphError) -> int:
    if isinstance(exc, SettingsError | InvalidParameterError):
        return EXIT_USAGE
    if isinstance(exc, StoreUnavailableError):
        return EXIT_UNAVAILABLE
    return EXIT_FAILED


def _fail(exc: StanceGraphError) -> typer.Exit:
    """Say what went wrong (one line per problem, no traceback) and exit non-zero."""
    if isinstance(exc, SeedValidationError):
        for issue in exc.issues:
            _error(str(issue))
        err.print(f"{len(exc.issues)} problem(s) found.")
    else:
        _error(str(exc))
    return typer.Exit(code=_exit_code(exc))


def _error(message: str) -> None:
    err.print(Text.assemble(("error", "red"), " ", message), highlight=False, soft_wrap=True)


def _open(store: str | None, settings: Settings | None = None, seeds: Path | None = None) -> GraphStore:
    """The store to query; use it in a `with` block so its connections are closed."""
    from stancegraph.open import open_store, unreachable_hint

    config = settings or _settings(store=store, seeds=seeds)
    try:
        opened = open_store(config)
    except StanceGraphError as exc:
        raise _fail(exc) from None
    try:
        opened.ping()
    except StoreUnavailableError:
        opened.close()
        raise _fail(StoreUnavailableError(unreachable_hint(config))) from None
    return opened


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
def validate(path: SeedsArg = None, seeds: SeedsOpt = None) -> None:
    """Check the seeds: schema, references, vocabulary, quotes at their offsets, duplicates, dates.

    Every problem is reported (file:line: field: message); the exit code is 1 if there is any.
    """
    from stancegraph.schema.validate import validate_seeds

    root = path or _settings(seeds=seeds).seeds
    try:
        seed_set = validate_seeds(root)
    except SeedValidationError as exc:
        raise _fail(exc) from None
    evidence = sum(len(c.evidence) for c in seed_set.claims)
    out.print(
        f"[green]ok[/green] {root}: {len(seed_set.sources)} source(s), {len(seed_set.entities)} entities, "
        f"{len(seed_set.claims)} claims, {evidence} evidence records"
    )


@evidence_app.command("locate")
def evidence_locate(
    path: SeedsArg = None,
    check: Annotated[bool, typer.Option("--check", help="Report only; change no file.")] = False,
    seeds: SeedsOpt = None,
) -> None:
    """Fill or repair evidence offsets from each quote's text, editing the YAML in place."""
    from stancegraph.schema.locate import locate_evidence

    root = path or _settings(seeds=seeds).seeds
    try:
        results = locate_evidence(root, write=not check)
    except SeedValidationError as exc:
        raise _fail(exc) from None
    changed = [r for r in results if r.outcome != "ok"]
    for r in changed:
        verb = "would set" if check else r.outcome
        out.print(
            f"{r.file}:{r.line}: {r.field}: {verb} [{r.start}, {r.end})", highlight=False, soft_wrap=True
        )
    done = "to change" if check else "written"
    out.print(f"{len(results)} quote(s) located, {len(changed)} offset pair(s) {done}.")
    if check and changed:
        raise typer.Exit(code=1)


@app.command()
def suggest(
    source: Annotated[str, typer.Argument(help="The source's id, as in seeds/sources/<id>.yaml.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line per suggestion.")] = False,
    write: Annotated[
        Path | None, typer.Option("--write", help="Write the proposals as a draft seed file to review.")
    ] = None,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0, max=1, help="Leave out weaker proposals (0-1).")
    ] = 0.0,
    seeds: SeedsOpt = None,
) -> None:
    """Propose claims, evidence and new entities for a source: rule-based and offline, each with
    its quote, offsets, speaker, certainty, date, figures, confidence and rule. Review, then accept."""
    from stancegraph.curation.draft import draft_yaml
    from stancegraph.curation.show import json_lines, suggestion_table
    from stancegraph.curation.suggest import RuleSuggester, load_source
    from stancegraph.schema.yamlfile import write_atomically

    try:
        record, text, seed_set = load_source(seeds or _settings().seeds, source)
        suggestions = [
            s for s in RuleSuggester().suggest(record, text, seed_set) if s.confidence >= min_confidence
        ]
        if write is not None:
            if not write.parent.is_dir():
                raise InvalidParameterError(
                    "--write", f"{write.parent} is not a folder; give a file in an existing folder"
                )
            write_atomically(write, draft_yaml(record, suggestions, seed_set))
    except StanceGraphError as exc:
        raise _fail(exc) from None
    if as_json:
        sys.stdout.write(json_lines(suggestions))
    else:
        out.print(suggestion_table(f"{len(suggestions)} suggestion(s) for {source}", suggestions))
    if write is not None:
        err.print(f"draft written to {write}: delete what you reject, then accept it.")


@app.command("accept")
def accept_draft(
    draft: Annotated[Path, typer.Argument(help="The reviewed draft: a seed source file (entities, claims).")],
    seeds: SeedsOpt = None,
    check: Annotated[bool, typer.Option("--check", help="Validate the merge; change no file.")] = False,
) -> None:
    """Merge a reviewed draft into its source's seed file, all or nothing: missing offsets are
    located, what the seeds already hold is skipped, and the seeds are validated as they would
    be after the merge (a problem in the draft is reported at the draft's file:line)."""
    from stancegraph.curation.draft import accept

    try:
        done = accept(draft, seeds or _settings().seeds, write=not check)
    except SeedValidationError as exc:
        raise _fail(exc) from None
    counts = f"{done.claims} claim(s), {done.evidence} evidence, {done.entities} entity(ies)"
    if done.nothing_new:
        out.print(
            f"nothing new: everything in {draft} is already in {done.file}", highlight=False, soft_wrap=True
        )
    else:
        verb = "merged into" if done.written else "would merge into"
        out.print(f"{verb} {done.file}: {counts}", highlight=False, soft_wrap=True)


@app.command("coverage")
def coverage_report(
    source: Annotated[str, typer.Argument(help="Source id.")],
    seeds: SeedsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The source's sentences no claim cites yet, with the entities each one mentions."""
    from stancegraph.curation.coverage import coverage_of, mention_label
    from stancegraph.schema.validate import validate_seeds

    try:
        found = coverage_of(validate_seeds(seeds or _settings().seeds), source)
    except (SeedValidationError, NotFoundError) as exc:
        raise _fail(exc) from None
    if as_json:
        _print_json(found.as_json())
        return
    title = f"{source}: {len(found.uncited)} of {found.reporting} sentence(s) no claim cites"
    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("offsets", no_wrap=True)
    table.add_column("sentence", overflow="fold", ratio=3, min_width=16)
    table.add_column("mentions", overflow="fold", ratio=1)
    for s in found.uncited:
        table.add_row(str(s.number), f"{s.start}-{s.end}", Text(s.text), Text(mention_label(s.mentions)))
    out.print(table)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    store: StoreOpt = None,
    seeds: SeedsOpt = None,
) -> None:
    """Serve the REST API (OpenAPI docs at /docs)."""
    from stancegraph.api.app import serve as run_api

    settings = _settings(host=host, port=port, store=store, seeds=seeds)
    _check_api_port(settings)
    if settings.store == "memory":
        # Seeds that do not validate are one line per problem here, not a traceback from the
        # server's startup (the app validates them again when it builds its store).
        from stancegraph.schema.validate import validate_seeds

        _run(validate_seeds, settings.seeds)
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
    seeds: SeedsOpt = None,
) -> None:
    """Export the whole graph as node-link JSON, GraphML, or CSV (nodes.csv + edges.csv), or one
    entity's neighbourhood as a self-contained interactive HTML page (works offline)."""
    from stancegraph.graph import export as exporter

    if format == "html":
        from stancegraph.graph.picks import central_entity
        from stancegraph.graph.visual import render_view_html

        with _open(store, seeds=seeds) as opened:
            # A name or alias names the file by the entity's id.
            centre = _run(opened.resolve, entity, "entity") if entity else central_entity(opened)
            if centre is None:
                raise _fail(StanceGraphError("the graph has no entities to draw"))
            page = _run(render_view_html, opened, centre, depth)
        target = output or Path(f"{centre}.html")
        target.write_text(page, encoding="utf-8")
        out.print(f"wrote {target} ({len(page.encode())} bytes)")
        return

    with _open(store, seeds=seeds) as opened:
        snapshot = _run(opened.snapshot)
    if format == "csv":
        folder = output or Path("stancegraph-csv")
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in exporter.to_csv(snapshot).items():
            (folder / name).write_text(text, encoding="utf-8")
        out.print(f"wrote {folder}/nodes.csv and {folder}/edges.csv")
        return
    data = (
        json.dumps(exporter.to_node_link(snapshot), ensure_ascii=False, indent=2).encode("utf-8")
        if format == "json"
        else exporter.to_graphml(snapshot)
    )
    if output is None:
        sys.stdout.buffer.write(data)
        return
    output.write_bytes(data)
    out.print(f"wrote {output} ({len(data)} bytes)")


@app.command()
def stats(store: StoreOpt = None, as_json: JsonOpt = False, seeds: SeedsOpt = None) -> None:
    """Counts of entities, claims, evidence and sources."""
    with _open(store, seeds=seeds) as opened:
        result = _run(opened.stats)
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


def _day(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option as a date; anything else is a usage error naming the option."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    # fromisoformat also takes 20260301 and 2026-W09-7; the option says YYYY-MM-DD.
    if day is None or day.isoformat() != value:
        raise _fail(InvalidParameterError(option, f"{value!r} is not a day: give YYYY-MM-DD")) from None
    return day


def _window(as_of: str | None, known_by: str | None) -> TimeWindow:
    return TimeWindow(as_of=_day(as_of, "--as-of"), known_by=_day(known_by, "--known-by"))


@query_app.command("search")
def query_search(
    q: str,
    kind: Annotated[str | None, typer.Option(help="Only this entity kind.")] = None,
    limit: int = 10,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    seeds: SeedsOpt = None,
) -> None:
    """Find entities by any English or Chinese name or alias."""
    with _open(store, seeds=seeds) as opened:
        hits = _run(opened.search, q, kind=kind, limit=limit)
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


def _table(*columns: str, title: str, wide: str) -> Table:
    """A table whose `wide` column (a quote) takes the spare width and wraps at any character,
    CJK included, instead of being cut; one rule between rows keeps wrapped rows apart."""
    table = Table(title=title, show_lines=True, expand=True)
    for column in columns:
        if column == wide:
            table.add_column(column, overflow="fold", ratio=3, min_width=16)
        else:
            table.add_column(column, overflow="fold", ratio=1)
    return table


def _certainty(claim: ClaimView, ev: EvidenceRecord | None = None) -> str:
    """How surely it is said, and whether it has happened when the claim is an event: an
    expected lawsuit must not read as a filed one."""
    status: str | None
    if ev is None:
        certainty, status = claim.certainty, claim.status
    elif ev.status is None and claim.status is not None:
        certainty, status = ev.certainty, f"{claim.status} (summary)"
    else:
        certainty, status = ev.certainty, ev.status
    return f"{certainty}, {status.replace('_', ' ')}" if status else certainty


def _quote(ev: EvidenceRecord) -> Text:
    text = Text(ev.quote)
    if ev.translation:
        text.append("\n" + ev.translation, style="italic")
    return text


def _print_stances(
    title: str, stances: Sequence[Stance], outlets: Mapping[str, str], names: EntityNames
) -> None:
    table = _table("who", "claim", "quote (translation)", "said by", title=title, wide="quote (translation)")
    for stance in stances:
        names.add(stance.entity)
        for claim in stance.claims:
            for ev in claim.evidence:
                table.add_row(
                    stance.entity.name_en,
                    f"{_label(names.store, claim.predicate)}\n{_certainty(claim, ev)}\n"
                    f"{_date(ev.date.value if ev.date else claim.date.value)}\n{_sourced(claim)} source(s)"
                    f"{_matched(claim)}",
                    _quote(ev),
                    f"{_speaker(ev.speaker.model_dump(), names)}\n{outlets.get(ev.source, ev.source)}",
                )
    out.print(table)


def _date(value: str | None) -> str:
    return value or "undated"


def _matched(claim: ClaimView) -> str:
    """A line saying a partial date only may fall on the asked day (--as-of, --known-by)."""
    time = claim.time
    if time is None:
        return ""
    matches = (("--as-of", time.as_of), ("--known-by", time.known_by))
    return "".join(f"\n{option}: overlap (partial date)" for option, match in matches if match == "overlap")


def _label(store: GraphStore, predicate: str) -> str:
    known = store.vocabulary.predicates.get(predicate)
    return known.label.en if known is not None else predicate


def _sourced(claim: ClaimView) -> str:
    """ "3 (2 independent)": how many sources a claim rests on."""
    if claim.independent == claim.sources:
        return str(claim.sources)
    return f"{claim.sources} ({claim.independent} independent)"


def _outlets(store: GraphStore) -> dict[str, str]:
    """Each source's outlet, for tables that show who reported a quote."""
    return {view.source.id: view.source.outlet for view in store.sources()}


def _speaker(speaker: dict[str, Any], names: EntityNames) -> str:
    who = names[speaker["entity"]] if speaker.get("entity") else speaker.get("name") or "the outlet"
    via = f" via {speaker['via']}" if speaker.get("via") else ""
    return f"{who}{via}"


def _stances(
    entity: str,
    store: str | None,
    as_json: bool,
    sign: Literal[1, -1],
    seeds: Path | None,
    window: TimeWindow,
) -> None:
    with _open(store, seeds=seeds) as opened:
        stances = _run(opened.stance, entity, sign, window=window)
        if as_json:
            _print_json(stances)
            return
        verb = "supports" if sign > 0 else "opposes"
        _print_stances(f"who {verb} {entity}", stances, _outlets(opened), EntityNames(opened))


@query_app.command("who-supports")
def query_who_supports(
    entity: str,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    seeds: SeedsOpt = None,
) -> None:
    """Who supports ENTITY, with each claim's quotes, certainty and speakers."""
    _stances(entity, store, as_json, 1, seeds, _window(as_of, known_by))


@query_app.command("who-opposes")
def query_who_opposes(
    entity: str,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    seeds: SeedsOpt = None,
) -> None:
    """Who opposes ENTITY, with each claim's quotes, certainty and speakers."""
    _stances(entity, store, as_json, -1, seeds, _window(as_of, known_by))


def _print_claims(
    title: str, claims: Sequence[ClaimView], outlets: Mapping[str, str], store: GraphStore
) -> None:
    wide = "first quote (translation)"
    table = _table("claim", wide, "outlet", title=title, wide=wide)
    for claim in claims:
        first = claim.evidence[0] if claim.evidence else None
        table.add_row(
            f"{claim.subject.name_en} {_label(store, claim.predicate)} {claim.object.name_en}\n"
            f"{_certainty(claim)}\n{_date(claim.date.value)}\n{_sourced(claim)} source(s){_matched(claim)}",
            _quote(first) if first else "",
            outlets.get(first.source, first.source) if first else "",
        )
    out.print(table)


@query_app.command("between")
def query_between(
    a: str,
    b: str,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    seeds: SeedsOpt = None,
) -> None:
    """Every claim between A and B, both directions."""
    window = _window(as_of, known_by)
    with _open(store, seeds=seeds) as opened:
        claims = _run(opened.between, a, b, window=window)
        if as_json:
            _print_json(claims)
        else:
            _print_claims(f"between {a} and {b}", claims, _outlets(opened), opened)


def path_line(path: PathView, label: Callable[[str], str]) -> str:
    """One chain as `A —supports→ B ←leads— C`: each hop's predicates, in their direction."""
    parts = [path.nodes[0].name_en]
    for before, node, hop in zip(path.nodes, path.nodes[1:], path.hops, strict=False):
        forward = sorted({label(c.predicate) for c in hop if c.subject.id == before.id})
        backward = sorted({label(c.predicate) for c in hop if c.subject.id != before.id})
        arrows = [f"—{', '.join(forward)}→"] if forward else []
        arrows += [f"←{', '.join(backward)}—"] if backward else []
        parts += [" / ".join(arrows), node.name_en]
    return " ".join(parts)


@query_app.command("path")
def query_path(
    a: str,
    b: str,
    max_hops: Annotated[int, typer.Option(help="Longest chain to consider.")] = 3,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    seeds: SeedsOpt = None,
) -> None:
    """Shortest chains of claims linking A and B, each hop with its predicates and direction
    (with --as-of or --known-by: over the claims in that time, see docs/time.md)."""
    window = _window(as_of, known_by)
    with _open(store, seeds=seeds) as opened:
        paths = _run(opened.paths, a, b, max_hops=max_hops, window=window)
        if as_json:
            _print_json(paths)
            return
        if not paths:
            out.print(f"no path between {a} and {b} within {max_hops} hops")
        for path in paths:
            out.print(path_line(path, lambda p: _label(opened, p)), highlight=False, soft_wrap=True)


@query_app.command("timeline")
def query_timeline(
    entity: Annotated[str | None, typer.Argument(help="Only claims about this entity.")] = None,
    limit: int = 200,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    seeds: SeedsOpt = None,
) -> None:
    """Claims by when they started to hold (undated last)."""
    window = _window(as_of, known_by)
    with _open(store, seeds=seeds) as opened:
        claims = _run(opened.timeline, entity, limit=limit, window=window)
        if as_json:
            _print_json(claims)
        else:
            _print_claims(f"timeline {entity or ''}".strip(), claims, _outlets(opened), opened)


SinceOpt = Annotated[str | None, typer.Option("--since", help="YYYY-MM-DD: switches on or after this day.")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="YYYY-MM-DD: switches on or before this day.")]
MinSourcesOpt = Annotated[
    int | None, typer.Option("--min-sources", min=1, help="Only claims with at least this many sources.")
]


@query_app.command("history")
def query_history(
    entity: Annotated[str, typer.Argument(help="The actor.")],
    toward: Annotated[str, typer.Option("--toward", help="The target of its stance.")],
    min_sources: MinSourcesOpt = None,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    seeds: SeedsOpt = None,
) -> None:
    """ENTITY's stance toward --toward over time: each span of one sign (from, until, its claims
    and their sources), then the neutral relations between them (docs/time.md)."""
    window = _window(as_of, known_by)
    counts = SourceCounts(min_sources=min_sources)
    with _open(store, seeds=seeds) as opened:
        found: History = _run(opened.history, entity, toward, counts, window)
    if as_json:
        _print_json(found)
        return
    title = f"{found.entity.name_en} toward {found.toward.name_en}"
    if not found.steps and not found.relations:
        out.print(f"{title}: no claims", highlight=False)
        return
    table = _folded("stance", "from", "until", "claims (sources)", title=title)
    for step in found.steps:
        table.add_row(_sign(step.polarity), _when(step.start), _until(step.end), _claim_sources(step.claims))
    out.print(table)
    if found.relations:
        relations = _folded("from", "until", "relation (sources)", title="neutral relations")
        for claim in found.relations:
            held = claim.valid.held
            relations.add_row(
                _when(held[0].start) if held else "undated",
                _until(held[-1].end) if held else "",
                _claim_sources([claim]),
            )
        out.print(relations)


@query_app.command("switches")
def query_switches(
    entity: Annotated[str | None, typer.Option(help="Only switches this entity is in.")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    min_sources: MinSourcesOpt = None,
    known_by: KnownByOpt = None,
    limit: int = 100,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    seeds: SeedsOpt = None,
) -> None:
    """Who switched sides: each actor whose stance toward a target changed sign (a later claim of
    the opposite sign ended it), by date, with the claims before and after (docs/time.md)."""
    first, last = _day(since, "--since"), _day(until, "--until")
    counts = SourceCounts(min_sources=min_sources)
    window = _window(None, known_by)
    with _open(store, seeds=seeds) as opened:
        found: list[Switch] = _run(
            opened.switches,
            entity=entity,
            since=first,
            until=last,
            counts=counts,
            window=window,
            limit=limit,
        )
    if as_json:
        _print_json(found)
        return
    if not found:
        out.print("no switches", highlight=False)
        return
    table = _folded("actor", "toward", "date", "before", "after", title="switches")
    for switch in found:
        table.add_row(
            switch.entity.name_en,
            switch.toward.name_en,
            _when(switch.date),
            f"{_sign(switch.before.polarity)}\n{_claim_sources(switch.before.claims)}",
            f"{_sign(switch.after.polarity)}\n{_claim_sources(switch.after.claims)}",
        )
    out.print(table)


def _folded(*columns: str, title: str) -> Table:
    """A table whose cells wrap at any character (ids are long and have no spaces), never cut."""
    table = Table(title=title, show_lines=True)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _sign(polarity: int) -> str:
    return "+1 for" if polarity > 0 else "-1 against"


def _when(day: ClaimDate) -> str:
    return _date(day.value)


def _until(end: ClaimDate | None) -> str:
    return "holds" if end is None else _when(end)


def _claim_sources(claims: Sequence[ClaimView]) -> Text:
    """Each claim's id, and under it the sources of its evidence."""
    lines = [
        f"{c.id}\n" + "\n".join(f"  {s}" for s in sorted({ev.source for ev in c.evidence})) for c in claims
    ]
    return Text("\n".join(lines))


@query_app.command("conflicts")
def query_conflicts(
    entity: Annotated[str | None, typer.Option(help="Only claims about this entity.")] = None,
    kind: Annotated[str | None, typer.Option(help="figures, dates or status.")] = None,
    source: Annotated[str | None, typer.Option(help="Only conflicts this source takes a side in.")] = None,
    limit: int = 200,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    seeds: SeedsOpt = None,
) -> None:
    """Where sources disagree: each position with its outlets and report dates."""
    if kind is not None and kind not in get_args(ConflictKind):
        raise _fail(
            InvalidParameterError("kind", f"{kind!r} is not one of {', '.join(get_args(ConflictKind))}")
        )
    with _open(store, seeds=seeds) as opened:
        found = _run(opened.conflicts, entity=entity, kind=kind, source=source, limit=limit)
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


MethodOpt = Annotated[
    Literal["exact", "fast"], typer.Option("--method", help="exact (proven, within the time limit) or fast.")
]
KindsOpt = Annotated[list[str] | None, typer.Option("--kind", help="Only actors of this kind (repeatable).")]
TimeLimitOpt = Annotated[float, typer.Option("--time-limit", min=0.01, help="Seconds the solver may take.")]


def _coalitions(
    opened: GraphStore,
    as_of: str | None,
    known_by: str | None,
    min_sources: int | None,
    method: Literal["exact", "fast"],
    kinds: list[str] | None,
    time_limit: float,
) -> Coalitions:
    from stancegraph.graph import camps

    window = _window(as_of, known_by)
    counts = SourceCounts(min_sources=min_sources)
    answer: Coalitions = _run(camps.coalitions, opened, window, counts, kinds, method, time_limit)
    return answer


def print_coalitions(answer: Coalitions) -> None:
    """The camps side by side, the unaligned, the frustration, and every frustrated tie."""
    day = f" as of {answer.as_of}" if answer.as_of else ""
    proven = (
        "proven optimal" if answer.optimal else f"gap {answer.gap:.1%} (lower bound {answer.lower_bound:g})"
    )
    camps = Table("camp A", "camp B", title=f"coalitions{day}")
    first, second = answer.camps
    for i in range(max(len(first), len(second))):
        camps.add_row(*(camp[i].name_en if i < len(camp) else "" for camp in (first, second)))
    out.print(camps)
    if answer.unaligned:
        out.print("unaligned: " + ", ".join(e.name_en for e in answer.unaligned), soft_wrap=True)
    out.print(
        f"frustration {answer.frustration:g} of {answer.total_weight:g} "
        f"({answer.edges} ties), balance {answer.balance:.3f}; {answer.method}, {proven}, "
        f"{answer.seconds:.2f} s",
        highlight=False,
        soft_wrap=True,
    )
    ties = Table("tie", "sign", "weight", "claims", title="frustrated ties", show_lines=True)
    for tie in answer.frustrated:
        ties.add_row(
            f"{tie.a.name_en} – {tie.b.name_en}",
            "friendly" if tie.sign > 0 else "hostile",
            f"{tie.weight:g}",
            "\n".join(c.id for c in tie.claims),
        )
    out.print(ties)
    for tie in answer.contradictory:
        out.print(
            f"contradictory: {tie.a.name_en} – {tie.b.name_en} ({', '.join(c.id for c in tie.claims)})",
            highlight=False,
            soft_wrap=True,
        )


@query_app.command("coalitions")
def query_coalitions(
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    min_sources: MinSourcesOpt = None,
    method: MethodOpt = "exact",
    kind: KindsOpt = None,
    time_limit: TimeLimitOpt = 10.0,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    seeds: SeedsOpt = None,
) -> None:
    """The two camps of actors with the fewest frustrated ties, and the ties that cut across."""
    with _open(store, seeds=seeds) as opened:
        answer = _coalitions(opened, as_of, known_by, min_sources, method, kind, time_limit)
    if as_json:
        _print_json(answer)
    else:
        print_coalitions(answer)


@app.command("coalitions")
def coalitions_command(
    write: Annotated[
        bool, typer.Option("--write", help="Store the camps on Neo4j's actors (camp, camp_as_of).")
    ] = False,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    min_sources: MinSourcesOpt = None,
    method: MethodOpt = "exact",
    kind: KindsOpt = None,
    time_limit: TimeLimitOpt = 10.0,
    store: StoreOpt = None,
) -> None:
    """The camps, as `query coalitions` shows them; with --write (Neo4j), also stored on the
    actors' nodes for Cypher and Browser (the cookbook's `coalitions` query reads them)."""
    from stancegraph.graph.camps import write_camps
    from stancegraph.graph.neo4j_store import Neo4jStore

    with _open("neo4j" if write else store) as opened:
        answer = _coalitions(opened, as_of, known_by, min_sources, method, kind, time_limit)
        print_coalitions(answer)
        if write:
            assert isinstance(opened, Neo4jStore), "--write opens the Neo4j store"
            written = write_camps(opened.driver, opened.database, answer)
            out.print(f"wrote camp and camp_as_of on {written} actor(s)", highlight=False)


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


# --- source add (logic in stancegraph/curation/sources.py) -----------------------------------

source_app = typer.Typer(
    help="Sources: capture an article as a source text and its source block.", no_args_is_help=True
)
app.add_typer(source_app, name="source")


@source_app.command("add")
def source_add(
    file: Annotated[str, typer.Argument(help="A text file, an HTML page, or - for standard input.")],
    ident: Annotated[
        str | None, typer.Option("--id", help="The source id (default: outlet-date-title).")
    ] = None,
    url: Annotated[str | None, typer.Option(help="The article's address.")] = None,
    outlet: Annotated[str | None, typer.Option(help="The outlet: an entity id, name, alias or host.")] = None,
    published: Annotated[
        str | None, typer.Option(help="2026-03-11, 2026-03, 2026-03-11T08:00:00+08:00 or unknown.")
    ] = None,
    language: Annotated[
        str | None, typer.Option(help="A language tag (en, zh-Hant); default detected.")
    ] = None,
    title: Annotated[str | None, typer.Option(help="The article's title.")] = None,
    based_on: Annotated[str | None, typer.Option(help="The source or outlet this one rewrites.")] = None,
    excerpts: Annotated[
        bool, typer.Option("--excerpts", help="The text is excerpts, not the whole article.")
    ] = False,
    html: Annotated[
        bool | None,
        typer.Option("--html/--text", help="Read FILE as HTML or as text (default: by name and content)."),
    ] = None,
    seeds: SeedsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an article: its text under the seeds' sources/, and its source block beside it (sha256,
    language, outlet and page chrome filled). Prints the new source's id."""
    from stancegraph.curation.sources import Overrides, add_source, describe

    root = _settings(seeds=seeds).seeds
    if file == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise _fail(InvalidParameterError("FILE", f"cannot read {file}: {exc.strerror}")) from None
    overrides = Overrides(
        id=ident,
        url=url,
        outlet=outlet,
        published=published,
        language=language,
        title=title,
        based_on=based_on,
        capture="excerpts" if excerpts else "full",
    )
    added = _run(add_source, root, data, file, overrides, html=html)
    if as_json:
        _print_json(describe(added))
        return
    if not added.created:
        err.print(
            f"already added: {added.id} has this very text ({added.yaml_path}); nothing written",
            highlight=False,
            soft_wrap=True,
        )
    else:
        new = " (new: check its entry under entities:)" if added.new_outlet else ""
        err.print(
            f"wrote {added.text_path} and {added.yaml_path}: language {added.language}, outlet "
            f"{added.outlet}{new}, published {added.published}, {len(added.chrome)} chrome line(s) proposed",
            highlight=False,
            soft_wrap=True,
        )
    out.print(added.id, highlight=False)


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
        raise _server_failed(exc, config) from None
    out.print(
        f"Neo4j running (pid {status.pid}): {status.bolt_uri}  Browser: {_browser(status)}", soft_wrap=True
    )
    _print_login(config.home)
    return status


def _server_failed(exc: Any, config: Any) -> typer.Exit:
    """A failed start in one line: what happened, the setting that fixes it, and the log."""
    first = str(exc).splitlines()[0].rstrip(".")
    if exc.busy_port is not None:
        which = "BOLT" if exc.busy_port == config.bolt_port else "HTTP"
        setting = f"STANCEGRAPH_NEO4J_{which}_PORT"
        _error(f"Neo4j not started: port {exc.busy_port} is in use; set {setting} to a free port")
    elif "port in use" in first:
        _error(f"{first}; set STANCEGRAPH_NEO4J_BOLT_PORT and STANCEGRAPH_NEO4J_HTTP_PORT to free ports")
    else:
        _error(f"{first} (log: {exc.log_path})" if exc.log_path else first)
    return typer.Exit(code=EXIT_UNAVAILABLE)


def _check_api_port(settings: Settings) -> None:
    """Fail before anything starts when the API's port is taken (uvicorn would only log it)."""
    with socket.socket(socket.AF_INET6 if ":" in settings.host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((settings.host, settings.port))
        except OSError as exc:
            _error(
                f"cannot serve on {settings.host}:{settings.port} ({exc.strerror}): "
                "pass --port or set STANCEGRAPH_PORT to a free port"
            )
            raise typer.Exit(code=EXIT_UNAVAILABLE) from None


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

    settings = _settings()
    status = localneo4j.status(settings.neo4j_home)
    if not status.running:
        out.print(f"not running (log: {status.log_path})")
        raise typer.Exit(code=1)
    out.print(f"running (pid {status.pid}): {status.bolt_uri}  Browser: {_browser(status)}", soft_wrap=True)
    _print_login(settings.neo4j_home)
    _print_exports(settings.model_copy(update={"store": "neo4j"}))


def _print_exports(settings: Settings) -> None:
    out.print("In another shell, to use this Neo4j:", highlight=False)
    for line in settings.exports():
        out.print(f"  {line}", highlight=False, soft_wrap=True)


# --- load -------------------------------------------------------------------------------------


@app.command()
def load(
    path: SeedsArg = None,
    batch_size: Annotated[int | None, typer.Option(help="Rows per write transaction.")] = None,
    seeds: SeedsOpt = None,
) -> None:
    """Load the seeds into Neo4j (STANCEGRAPH_NEO4J_*), validated first: invalid seeds write nothing.

    The database ends equal to the seeds: changed records are updated, removed ones deleted, and
    nodes without stancegraph's labels are left alone. Reloading unchanged seeds writes nothing.
    """
    _load(_settings(seeds=path or seeds, batch_size=batch_size))


def _load(settings: Settings) -> None:
    from neo4j.exceptions import Neo4jError, ServiceUnavailable
    from rich.progress import Progress

    from stancegraph.graph.loader import load as load_seeds
    from stancegraph.open import neo4j_driver, unreachable_hint
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
        except ServiceUnavailable:
            raise _fail(StoreUnavailableError(unreachable_hint(settings))) from None
        except Neo4jError as exc:
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
    seeds: SeedsOpt = None,
) -> None:
    """Start the local Neo4j, load the seeds into it, and serve the API on it.

    Neo4j Browser opens with the stancegraph style and guide (it fetches both from this API).
    The server keeps running after the API stops: `stancegraph neo4j stop` ends it.
    """
    from stancegraph import localneo4j
    from stancegraph.api.app import serve as run_api
    from stancegraph.graph.visual import browser_settings

    base = _settings(port=port, seeds=seeds)
    _check_api_port(base)
    already_running = localneo4j.status(base.neo4j_home).running
    try:
        # Browser's default allowlist for remote guides has localhost, not 127.0.0.1.
        status = _start_server(base, browser_settings(f"http://localhost:{base.port}"))
        settings = base.model_copy(
            update={
                "store": "neo4j",
                "neo4j_uri": status.bolt_uri,
                "neo4j_bolt_port": status.bolt_port,
                "neo4j_http_port": status.http_port,
            }
        )
        _load(settings)
    except KeyboardInterrupt:
        running = localneo4j.status(base.neo4j_home)
        if running.running:
            _error(f"interrupted; Neo4j still runs on {running.bolt_uri}: `stancegraph neo4j stop` ends it")
        raise typer.Exit(code=130) from None
    browser = f"{_browser(status)}?dbms=bolt://neo4j@127.0.0.1:{status.bolt_port}&preselectAuthMethod=NATIVE"
    out.print(f"Open Neo4j Browser (log in as above): {browser}", soft_wrap=True, highlight=False)
    _print_exports(settings)
    out.print(f"API: http://{settings.host}:{settings.port}/docs", highlight=False)
    try:
        run_api(settings)
    except SystemExit:  # uvicorn could not start (e.g. the port was taken meanwhile)
        if not already_running:
            localneo4j.stop(settings.neo4j_home)
            _error("the API did not start, so the Neo4j this command started was stopped")
        raise typer.Exit(code=EXIT_UNAVAILABLE) from None
    # Ctrl-C ends the API only; say so, or the server is forgotten until the next port clash.
    out.print(
        f"API stopped. Neo4j is still running on {status.bolt_uri}: `stancegraph neo4j stop` ends it.",
        highlight=False,
        soft_wrap=True,
    )


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
        _error("--param takes key=value, e.g. --param entity=anthropic")
        raise typer.Exit(code=EXIT_USAGE)
    settings = _settings(store="neo4j")
    item = _run(recipe, name)
    with _open("neo4j", settings) as store:
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
        _error("the benchmark suite is in the source checkout (bench/), not installed: run it from a clone")
        raise typer.Exit(code=EXIT_FAILED)
    # A module run from the checkout, not an import: bench is not part of the installed package.
    done = subprocess.run([sys.executable, "-m", "bench", *ctx.args], cwd=PROJECT_ROOT, check=False)
    raise typer.Exit(code=done.returncode)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
