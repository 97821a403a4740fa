"""docs/benchmarks.md from one run's results (and bench/notes.md, the hand-written part)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.coalitions import render as render_coalitions

Result = dict[str, Any]
NOTES = Path(__file__).with_name("notes.md")


def _ratio(r: Result | None) -> str:
    if not r:
        return "n/a"
    return f"{r['median']}× ({r['min']}–{r['max']}, {r['rounds']} rounds)"


def _ok(flag: bool | None) -> str:
    return "n/a" if flag is None else ("**met**" if flag else "**not met**")


def targets(result: Result) -> list[tuple[str, str, bool | None]]:
    rows: list[tuple[str, str, bool | None]] = []
    naive = result.get("loader_naive")
    if naive:
        rows.append(
            ("1. batched load ≥ 50× naive", _ratio(naive["speedup"]), naive["speedup"]["median"] >= 50)
        )
    for name, scale in result["scales"].items():
        load = scale.get("neo4j_load")
        if load and name != "10k":
            rows.append(
                (
                    f"1. batched load ≥ 10,000 claims/s at {name}",
                    f"{load['claims_per_s']:,} claims/s (claims stage); "
                    f"{load['claims_per_s_overall']:,} overall",
                    load["claims_per_s"] >= 10_000,
                )
            )
    for name, scale in result["scales"].items():
        load = scale.get("neo4j_load")
        if load:
            rows.append(
                (
                    f"2. reload of an unchanged {name} graph writes 0",
                    f"{load['reload_writes']} writes, {load['reload_s']} s = "
                    f"{load['reload_over_first']:.1%} of the first load",
                    load["reload_writes"] == 0,
                )
            )
    api = result.get("api")
    if api:
        ratio = api["ratio_p99_api_over_driver"]
        rows.append((f"3. API p99 ≤ 1.5× driver p99 ({api['scale']})", _ratio(ratio), ratio["median"] <= 1.5))
    for name, scale in result["scales"].items():
        one_hop = scale["queries"]["supporters"]
        ratio = one_hop.get("ratio_p50_neo4j_over_memory")
        if ratio:
            rows.append((f"4. embedded ≥ 10× Neo4j on 1-hop at {name}", _ratio(ratio), ratio["median"] >= 10))
    alias = result.get("alias")
    for store, label in (("memory", "embedded"), ("neo4j", "Neo4j")):
        if alias and store in alias["all"]:
            a = alias["all"][store]
            rows.append(
                (
                    f"5. alias search p99 ≤ 20 ms at {alias['entities']:,} entities ({label})",
                    f"p99 {a['p99_ms']} ms, p50 {a['p50_ms']} ms",
                    a["p99_ms"] <= 20,
                )
            )
    for name, scale in result["scales"].items():
        per = scale["memory"]["store_bytes_per_claim"]
        target = f"6. embedded store ≤ 1.5 KB (1,500 B) per claim at {name}"
        rows.append((target, f"{per:,} B/claim", per <= 1500))
    return rows


def _pair(figs: Result) -> str:
    return f"{figs['p50_ms']} / {figs['p99_ms']} ms"


def _times(ratio: Result) -> str:
    return f"{ratio['p50_ms']}× / {ratio['p99_ms']}×"


def time_table(t: Result) -> list[str]:
    """The Time section's table: each query at both sizes, per store, and large / small."""
    small, large = list(t["scales"])[:2]
    stores = [s for s in ("memory", "neo4j") if s in t["scales"][small]["global"]["claims"]]
    label = {"memory": "embedded", "neo4j": "Neo4j"}
    head = f"| entity | query | answer {small} → {large} | " + " | ".join(
        f"{label[s]} {small} p50 / p99 | {label[s]} {large} p50 / p99 | {label[s]} {large} / {small}"
        for s in stores
    )
    lines = [
        head + (" | differ |" if "neo4j" in stores else " |"),
        "|" + " --- |" * (3 + 3 * len(stores) + ("neo4j" in stores)),
    ]
    ratios = t["ratios"]
    rows: list[tuple[str, str, Result, Result, Result]] = []
    for role in t["scales"][small]["entity"]:
        a, b = t["scales"][small]["entity"][role], t["scales"][large]["entity"][role]
        who = f"{role}: degree {a['degree']:,} → {b['degree']:,}"
        rows += [(who, q, a["queries"][q], b["queries"][q], ratios["entity"][role][q]) for q in a["queries"]]
    for q, figs in t["scales"][small]["global"].items():
        rows.append(("whole graph", q, figs, t["scales"][large]["global"][q], ratios["global"][q]))
    for who, query, a, b, ratio in rows:
        cells = " | ".join(f"{_pair(a[s])} | {_pair(b[s])} | {_times(ratio[s])}" for s in stores)
        differ = f" | {int(a.get('differ', 0)) + int(b.get('differ', 0))}" if "neo4j" in stores else ""
        lines.append(f"| {who} | `{query}` | {a['answer']:,} → {b['answer']:,} | {cells}{differ} |")
    return lines


def time_section(t: Result) -> list[str]:
    s, m = t["settings"], t["machine"]
    ids = "; ".join(
        f"{size}: " + ", ".join(f"{role} `{row['id']}`" for role, row in scale["entity"].items())
        for size, scale in t["scales"].items()
    )
    lines = [
        "",
        "## 8. Time: as_of, known_by and switches at two sizes",
        "",
        f"Generated by `{t['command']}` on {t['date']} (commit {m['commit'] or '?'}; "
        f"{m.get('neo4j', 'no Neo4j')}, heap {s['heap']}, pagecache {s['pagecache']}). Synthetic graphs of "
        + " and ".join(f"{v['claims']:,} claims ({v['entities']:,} entities)" for v in t["scales"].values())
        + f": the graph grows {t['ratios']['graph']}×. Windows: `as_of` {s['as_of']}, `known_by` "
        f"{s['known_by']}. Per entity, its four queries are interleaved on one store, in rounds until "
        f"{s['rounds']} rounds or {s['budget_s']} s (n is in benchmarks.json; at least 3 rounds). The hub "
        "is the entity of largest degree (it grows with the graph); `fixed` is an entity of degree "
        f"close to {s['degree']} at both sizes, on a reversed pair when one is: for it, a cost that "
        "follows the degree keeps a ratio near 1×, one that follows the graph approaches the graph's "
        f"ratio. Entities: {ids}. `switches()` lists every switch (limit 100) and `claims` is the first "
        "page of 50 by id: undated, `as_of` above, `as_of` the day before any claim may hold ("
        + ", ".join(f"{k} {v['windows']['before_any_claim']}" for k, v in t["scales"].items())
        + ") and `known_by` the day before the first publication: no claim is in those two, so "
        "a listing that scans ids to fill its page reads the whole graph. `differ` "
        "counts answers of the two stores that were not identical; the 1-minute load average after "
        "each size: "
        + ", ".join(f"{k} {v['load_average']}" for k, v in t["scales"].items())
        + f" on {m['cores']} cores.",
        "",
    ]
    return lines + time_table(t)


def write(result: Result, path: Path) -> None:
    if "scales" not in result:  # only `python -m bench time` has run into this folder
        path.write_text("\n".join(["# Benchmarks", *time_section(result["time"])]) + "\n", encoding="utf-8")
        return
    m = result["machine"]
    s = result["settings"]
    lines: list[str] = [
        "# Benchmarks",
        "",
        "Generated by `python -m bench` (bench/); do not edit by hand except bench/notes.md, which is",
        "appended below the tables. Every comparison is measured side by side in the same run",
        "(interleaved A, B, A, B on the same inputs), repeated in rounds, and reported as the median",
        "of the per-round ratios with their min–max spread. Sizes are claims; entities are claims / 5",
        "(synthetic graphs from graph/synthetic.py, seed 1: power-law degrees, the vocabulary's",
        "predicates, en and zh names and aliases, 1–3 evidence records with quotes and sources).",
        "",
        f"- **Date**: {result['date']}",
        f"- **Command**: `{result['command']}`",
        f"- **Machine**: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB RAM; "
        f"Python {m['python']}; {m.get('neo4j', 'no Neo4j')}; commit {m['commit'] or '?'}",
        f"- **Settings**: rounds {s['rounds']}, {s['samples']} inputs per query, Neo4j heap {s['heap']}, "
        f"pagecache {s['pagecache']}, Neo4j loaded up to {s['neo4j_max']}",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {t} | {v} | {_ok(ok)} |" for t, v, ok in targets(result)]
    naive = result.get("loader_naive")
    lines += ["", "## 1–2. Loading Neo4j", ""]
    if naive:
        lines += [
            f"Same {naive['claims']:,} claims (entities and sources loaded first), claims stage only: "
            f"batched (1,000 rows per `UNWIND` transaction) {naive['batched_s']} s, naive (one "
            f"transaction per row) {naive['naive_s']} s: batched is {_ratio(naive['speedup'])} faster "
            f"({naive['batched_claims_per_s']:,} vs {naive['naive_claims_per_s']:,} claims/s).",
            "",
        ]
    lines += [
        "| scale | entities | first load | claims stage | claims/s | reload | reload writes | reload/first "
        "| store files | per claim |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, scale in result["scales"].items():
        load = scale.get("neo4j_load")
        if not load:
            continue
        disk = load["disk_bytes"]
        lines.append(
            f"| {name} | {load['entities']:,} | {load['first_load_s']} s | {load['claims_stage_s']} s "
            f"| {load['claims_per_s']:,} | {load['reload_s']} s | {load['reload_writes']} "
            f"| {load['reload_over_first']:.1%} | {'n/a' if disk is None else f'{disk / 2**20:,.0f} MiB'} "
            f"| {load['disk_bytes_per_claim'] or 'n/a'} B |"
        )
    api = result.get("api")
    if api:
        t = api["throughput"]
        lines += [
            "",
            f"## 3. API overhead ({api['scale']}, Neo4j store)",
            "",
            "`GET /v1/entities/{id}/supporters` through uvicorn (one keep-alive client, sequential) vs",
            "the same Cypher (`queries.STANCE`) through the driver in a read transaction, interleaved:",
            "",
            "| | p50 | p99 |",
            "| --- | --- | --- |",
            f"| driver | {api['driver']['p50_ms']} ms | {api['driver']['p99_ms']} ms |",
            f"| API | {api['api']['p50_ms']} ms | {api['api']['p99_ms']} ms |",
            f"| API / driver | {_ratio(api['ratio_p50_api_over_driver'])} "
            f"| {_ratio(api['ratio_p99_api_over_driver'])} |",
            "",
            f"Throughput: {t['concurrency']} concurrent keep-alive clients on loopback (bounded to "
            f"{t['requests']:,} requests / 30 s): **{t['requests_per_s']} requests/s**, "
            f"p50 {t['p50_ms']} ms, p99 {t['p99_ms']} ms, {t['errors']} errors "
            "(the load generator, the API and Neo4j share the cores).",
        ]
    lines += [
        "",
        "## 4 and 7. Queries: embedded store vs Neo4j, and scaling",
        "",
        "p50 / p99 per query (same inputs for both stores, answers compared: `differ` counts",
        "inputs whose answers were not identical); ratio = Neo4j / embedded, per-round p50s.",
        "",
        "| scale | query | embedded p50 | embedded p99 | Neo4j p50 | Neo4j p99 | Neo4j / embedded "
        "| mean answer | max answer | differ |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, scale in result["scales"].items():
        for query, q in scale["queries"].items():
            neo = q.get("neo4j")
            lines.append(
                f"| {name} | {query} | {q['memory']['p50_ms']} ms | {q['memory']['p99_ms']} ms "
                f"| {neo['p50_ms'] if neo else 'n/a'} ms | {neo['p99_ms'] if neo else 'n/a'} ms "
                f"| {_ratio(q.get('ratio_p50_neo4j_over_memory'))} | {q['mean_answer_size']} "
                f"| {q['max_answer_size']} | {q.get('answers_differ', 'n/a')} |"
            )
    alias = result.get("alias")
    if alias:
        stores = [name for name in ("memory", "neo4j") if name in alias["all"]]
        differ = alias["answers_differ"]
        loaded = f"; loaded into Neo4j in {alias['neo4j_load_s']} s" if "neo4j_load_s" in alias else ""
        lines += [
            "",
            f"## 5. Alias search at {alias['entities']:,} entities",
            "",
            f"`search(q, limit=20)` on a graph of {alias['entities']:,} entities (no claims). The embedded",
            f"store (with its name index) was built in {alias['build_s']} s{loaded}. Answers that differed",
            f"between the stores: {'n/a' if differ is None else differ}.",
            "",
            "| query | " + " | ".join(f"{n} p50 | {n} p99" for n in stores) + " | n |",
            "| --- | " + " | ".join("--- | ---" for _ in stores) + " | --- |",
        ]
        for kind in ("exact", "prefix", "zh", "typo", "all"):
            a = alias[kind]
            cells = " | ".join(f"{a[n]['p50_ms']} ms | {a[n]['p99_ms']} ms" for n in stores)
            lines.append(f"| {kind} | {cells} | {a[stores[0]]['n']} |")
    lines += [
        "",
        "## 6. Memory",
        "",
        "| scale | claims | evidence | embedded store | per claim | SeedSet it is built from, per claim |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, scale in result["scales"].items():
        mem = scale["memory"]
        lines.append(
            f"| {name} | {mem['claims']:,} | {mem['evidence']:,} | {mem['store_bytes'] / 2**20:,.0f} MiB "
            f"| {mem['store_bytes_per_claim']:,} B | {mem['seedset_bytes_per_claim']:,} B |"
        )
    if "time" in result:
        lines += time_section(result["time"])
    if NOTES.exists():
        lines += ["", NOTES.read_text(encoding="utf-8").rstrip()]
    # `python -m bench coalitions` writes its figures beside these; a rerun of the suite keeps them.
    coalitions = path.with_name("coalitions.json")
    if coalitions.exists():
        lines += ["", render_coalitions(json.loads(coalitions.read_text(encoding="utf-8"))).rstrip()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
