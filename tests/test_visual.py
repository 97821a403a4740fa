"""The palette, the Neo4j Browser style and guide, and the embedded view: fast checks (no browser)."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient

from stancegraph.api.app import create_app
from stancegraph.api.routes import browser as browser_routes
from stancegraph.graph import camps, cookbook, loader, picks, visual
from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.results import GraphLink, Switch
from stancegraph.graph.store import GraphStore
from stancegraph.graph.synthetic import generate
from stancegraph.graph.window import TimeWindow
from stancegraph.schema.models import SeedSet
from stancegraph.schema.vocabulary import load_vocabulary
from stancegraph.settings import PROJECT_ROOT, Settings

NEO4J_HTTP_PORT = 7499
BROWSER_ORIGIN = f"http://localhost:{NEO4J_HTTP_PORT}"


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """A port of Neo4j Browser 5.24's GraSS parser (parseGrass), quirks included."""
    in_quote = in_rule = in_brace = False
    selector = body = ""
    rules: dict[str, str] = {}
    for char in text:
        structural = True
        if char == "{":
            if in_quote:
                structural = False
            elif in_rule:
                in_brace = True
            else:
                in_rule = True
        elif char == "}":
            if in_quote:
                structural = False
            elif in_brace:
                in_brace = False
            else:
                in_rule = False
                rules[selector] = body
                selector = body = ""
        elif char in "'\"":
            in_quote = not in_quote
        else:
            structural = False
        if not structural:
            if in_rule:
                body += char
            elif not char.isspace():
                selector += char
    parsed: dict[str, dict[str, str]] = {}
    for name, rule_body in rules.items():
        props: dict[str, str] = {}
        for declaration in rule_body.split(";"):
            parts = declaration.split(":")
            if len(parts) == 2:
                props[parts[0].strip()] = parts[1].strip()
        parsed[name] = props
    return parsed


# --- palette and style sheet ---------------------------------------------------------------------


def test_committed_style_is_current() -> None:
    committed = (PROJECT_ROOT / "api" / "static" / "style.grass").read_text(encoding="utf-8")
    assert committed == visual.grass(), (
        'api/static/style.grass is stale; regenerate it with: python -c "import pathlib; from '
        "stancegraph.graph import visual; pathlib.Path('api/static/style.grass').write_text(visual.grass())\""
    )
    assert browser_routes.committed_grass() == committed


def test_style_covers_every_kind_and_predicate() -> None:
    vocab = load_vocabulary()
    sheet = parse_grass(visual.grass())
    for kind in vocab.kinds.values():
        rule = sheet[f"node.{kind.neo4j}"]
        style = visual.kind_style(kind.id)
        assert rule["color"] == style.color
        assert rule["caption"] == "{name_en}"
        expected = visual.ACTOR_DIAMETER if kind.actor else visual.OTHER_DIAMETER
        assert rule["diameter"] == f"{expected}px"
    for predicate in vocab.predicates.values():
        rule = sheet[f"relationship.{predicate.neo4j}"]
        assert rule["color"] == visual.POLARITY_COLORS[predicate.polarity]
        assert rule["caption"] == visual.claim_caption(predicate.label.en)
    assert sheet["relationship.SUPPORTS"]["color"] != sheet["relationship.OPPOSES"]["color"]


def browser_caption(template: str, properties: dict[str, str]) -> str:
    """Neo4j Browser's caption interpolation: each {property} its value, an absent one nothing."""
    return re.sub(r"\{([^{}]*)\}", lambda m: properties.get(m.group(1), ""), template)


def test_captions_tell_ended_relations_from_those_that_hold(seeds: SeedSet) -> None:
    """As Browser draws them from the relationship properties the loader writes (Neo4j keeps no
    nulls): an ended claim's caption closes its range with its end date, one that holds leaves it
    open, and one nothing dates is its label alone."""
    vocab = load_vocabulary()
    sheet = parse_grass(visual.grass())
    sources = {s.id: s for s in seeds.sources}
    seen: Counter[str] = Counter()
    for claim in seeds.claims:
        predicate = vocab.predicates[claim.predicate]
        written = loader.claim_row(claim, vocab, sources)["rel"]
        props = {k: v for k, v in written.items() if isinstance(v, str)}
        caption = browser_caption(sheet[f"relationship.{predicate.neo4j}"]["caption"], props)
        held = claim.valid.held
        end = held[-1].end if held else None
        state = "undated" if not held else "holds" if end is None else "ended"
        seen[state] += 1
        span = f"{held[0].start.value}–{'' if end is None else end.value}" if held else ""
        assert caption == f"{predicate.label.en} {span}", claim.id
        assert (written["valid_until"] is not None) == (state == "ended"), claim.id
    assert seen["ended"] and seen["holds"], "the seeds hold claims that ended and claims that hold"


def test_palette_is_distinct_and_readable() -> None:
    vocab = load_vocabulary()
    fills = [visual.kind_style(kind).color for kind in vocab.kinds]
    assert len(set(fills)) == len(fills)
    assert not set(fills) & set(visual.POLARITY_COLORS.values())
    for kind in vocab.kinds:
        style = visual.kind_style(kind)
        assert visual._contrast(style.color, style.text) >= 3.0, kind


@pytest.mark.parametrize("caption", ["'a: b'", "'{a; b}'", "'{Name}'", "'a {b'", "{a}"])
def test_grass_rejects_values_browser_cannot_parse(caption: str) -> None:
    with pytest.raises(ValueError, match="would not parse"):
        visual._rule("node.X", {"caption": caption})


def test_post_connect_cmd() -> None:
    assert visual.post_connect_cmd("http://localhost:8000/") == (
        "style http://localhost:8000/browser/style.grass; play http://localhost:8000/browser/guide"
    )
    settings = visual.browser_settings("http://127.0.0.1:8000")
    assert settings["browser.remote_content_hostname_whitelist"] == "guides.neo4j.com,localhost,127.0.0.1"
    assert "play http://127.0.0.1:8000/browser/guide" in settings["browser.post_connect_cmd"]


# --- guide ---------------------------------------------------------------------------------------


def test_guide_slides(memory_store: GraphStore) -> None:
    page = visual.guide_html(memory_store)
    assert '<article class="guide">' in page
    assert "<script" not in page
    slides = re.findall(r"<slide\b.*?</slide>", page, flags=re.S)
    expected_slides = visual.guide_slides(memory_store)
    assert len(slides) == 1 + len(expected_slides)
    stats = memory_store.stats()
    assert f"{stats.entities} entities, {stats.claims} claims" in slides[0]
    for slide, expected in zip(slides[1:], expected_slides, strict=True):
        blocks = re.findall(r'<pre mode="cypher" class="runnable">(.*?)</pre>', slide, flags=re.S)
        assert [html.unescape(b) for b in blocks] == list(expected.queries())


def test_guide_names_real_entities(memory_store: GraphStore) -> None:
    queries = [q for s in visual.guide_slides(memory_store) for q in s.queries()]
    named = [i for q in queries for i in re.findall(r"Entity \{id: '([a-z0-9-]+)'\}", q)]
    claims = [i for q in queries for i in re.findall(r"Claim \{id: '([a-z0-9._-]+)'\}", q)]
    assert named and claims, "the slides open on entities and a claim picked from the data"
    for entity_id in named:
        memory_store.entity(entity_id)
    for claim_id in claims:
        memory_store.claim(claim_id)


def test_guide_time_slide(memory_store: GraphStore) -> None:
    """The slide on valid time asks about the day the latest switch had happened, names who
    switched, and runs two queries: what held that day, and every reversed stance."""
    switch = picks.latest_switch(memory_store)
    assert switch is not None, "the seeds hold a switch of sides"
    day = picks.switch_day(memory_store)
    slide = next(s for s in visual.guide_slides(memory_store) if "switched sides" in s.title)
    assert day is not None and day in slide.text and switch.entity.name_en in slide.text
    as_of, switched = slide.queries()
    assert as_of.count(f"date('{day}')") == 2 and "r.valid_until IS NULL" in as_of
    assert "reversed: true" in switched
    page = visual.guide_html(memory_store)
    assert html.escape(switch.entity.name_en) in page
    assert not [
        s
        for s in visual.guide_slides(MemoryStore(SeedSet(sources=[], entities=[], claims=[])))
        if "switched sides" in s.title
    ]


def test_guide_coalitions_slide(memory_store: GraphStore) -> None:
    """The Coalitions slide runs the cookbook's queries on the written camps and says how to
    write them."""
    slide = next(s for s in visual.guide_slides(memory_store) if s.title == "Coalitions")
    assert slide.queries() == tuple(
        cookbook.recipe(n).cypher.strip() for n in ("coalitions", "camp_crossings")
    )
    assert "stancegraph coalitions --write" in slide.text
    assert html.escape("stancegraph coalitions --write") in visual.guide_html(memory_store)


def test_guide_fits_any_graph() -> None:
    """A graph that is not the seeds gets slides about its own entities, and an empty one only
    the slides that need no pick."""
    graph = generate(entities=60, claims=150, seed=31).seeds
    store = MemoryStore(graph)
    ids = {e.id for e in graph.entities}
    for slide in visual.guide_slides(store):
        assert set(re.findall(r"Entity \{id: '([a-z0-9-]+)'\}", slide.cypher)) <= ids
    empty = visual.guide_slides(MemoryStore(SeedSet(sources=[], entities=[], claims=[])))
    assert [s.title for s in empty] == [
        "Contracts",
        "Timeline",
        "Coalitions",
        "Claims several sources report",
        "Where sources disagree",
    ]


# --- routes --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(memory_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(neo4j_http_port=NEO4J_HTTP_PORT), store=memory_store)) as test_client:
        yield test_client


def test_style_route_with_cors(client: TestClient) -> None:
    response = client.get("/browser/style.grass", headers={"Origin": BROWSER_ORIGIN})
    assert response.status_code == 200
    assert response.text == visual.grass()
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["access-control-allow-origin"] == BROWSER_ORIGIN
    other = client.get("/browser/style.grass", headers={"Origin": "https://example.org"})
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize("origin", [BROWSER_ORIGIN, f"http://127.0.0.1:{NEO4J_HTTP_PORT}"])
def test_guide_preflight_allows_browser(client: TestClient, origin: str) -> None:
    response = client.options(
        "/browser/guide",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "cache-control,pragma,sentry-trace",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == origin
    allowed = {h.strip() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"pragma", "cache-control", "sentry-trace"} <= allowed
    guide = client.get("/browser/guide", headers={"Origin": origin, "Pragma": "no-cache"})
    assert guide.status_code == 200
    assert guide.headers["access-control-allow-origin"] == origin
    assert '<article class="guide">' in guide.text


@pytest.mark.parametrize("origin", ["https://example.org", "http://localhost:8000", None])
def test_preflight_refuses_other_origins(client: TestClient, origin: str | None) -> None:
    headers = {"Access-Control-Request-Method": "GET"}
    if origin:
        headers["Origin"] = origin
    response = client.options("/browser/guide", headers=headers)
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers


def test_extra_browser_origins(memory_store: GraphStore) -> None:
    settings = Settings(browser_origins=["http://neo4j.test:7474"])
    client = TestClient(create_app(settings, store=memory_store))
    response = client.options(
        "/browser/style.grass",
        headers={"Origin": "http://neo4j.test:7474", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 204


def page_data(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, flags=re.S)
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def test_view_route(client: TestClient, memory_store: GraphStore) -> None:
    response = client.get("/view?entity=anthropic&depth=2")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<script src="/view/vis-network.min.js"></script>' in response.text
    data = page_data(response.text)
    expected = memory_store.neighborhood("anthropic", depth=2)
    assert [n["id"] for n in data["nodes"]] == [n.id for n in expected.nodes]
    assert [lk["id"] for lk in data["links"]] == [lk.id for lk in expected.links]
    assert '<option value="anthropic" selected>Anthropic</option>' in response.text
    script = client.get("/view/vis-network.min.js")
    assert script.status_code == 200
    assert "vis-network" in script.text[:200]
    assert "max-age" in script.headers["cache-control"]
    assert '<script src="/view/vis-timeline-graph2d.min.js"></script>' in response.text
    timeline = client.get("/view/vis-timeline-graph2d.min.js")
    assert timeline.status_code == 200
    assert "vis-timeline" in timeline.text[:200] and "sourceMappingURL" not in timeline.text
    # The standalone build carries its stylesheet: no other asset is needed.
    assert ".vis-item.vis-range" in timeline.text


def test_view_defaults_and_errors(client: TestClient) -> None:
    assert page_data(client.get("/view").text)["centre"]["id"] == "anthropic"
    missing = client.get("/view?entity=nobody")
    assert missing.status_code == 404
    assert missing.json()["parameter"] == "entity"
    assert client.get("/view?entity=anthropic&depth=9").status_code == 422


# --- the view's data and the self-contained page -------------------------------------------------


def test_view_data_carries_the_evidence(memory_store: GraphStore) -> None:
    data = visual.view_data(memory_store, "anthropic", 1)
    link = next(lk for lk in data["links"] if lk["id"] == "sam-altman.supports.anthropic")
    claim = memory_store.claim("sam-altman.supports.anthropic")
    assert link["color"] == visual.POLARITY_COLORS[1]
    evidence = link["claim"]["evidence"]
    assert [e["quote"] for e in evidence] == [e.quote for e in claim.evidence]
    assert all(e["translation"] and e["speaker"] and e["source"]["title"] for e in evidence)
    assert "Sam Altman" in {e["speaker"].split(",")[0] for e in evidence}
    assert evidence[0]["source"]["outlet"] != evidence[0]["source"]["id"]
    centre = next(n for n in data["nodes"] if n["id"] == "anthropic")
    assert centre["color"] == visual.kind_style("company").color


def test_self_contained_page(memory_store: GraphStore) -> None:
    page = visual.render_view_html(memory_store, "sam-altman", 1)
    assert "<script src=" not in page
    assert "sourceMappingURL" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert page.count("</script>") == 4  # the two libraries, the data and the page script
    data = page_data(page)
    assert data["centre"]["name"] == "Sam Altman"
    assert 'form class="nav"' not in page


def test_script_json_cannot_close_the_script() -> None:
    text = visual._script_json({"q": "</script><!-- & -->"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"q": "</script><!-- & -->"}


def test_parallel_links_are_curved_apart() -> None:
    def link(ident: str, source: str, target: str) -> GraphLink:
        return GraphLink(
            id=ident,
            source=source,
            target=target,
            predicate="supports",
            relationship="SUPPORTS",
            polarity=1,
            certainty="stated",
            date=None,
            evidence_count=1,
        )

    links = [link("a", "x", "y"), link("b", "y", "x"), link("c", "x", "y"), link("d", "x", "z")]
    roundness = visual._roundness(links)
    assert roundness["d"] == 0
    # Offsets seen from x to y: a, b (drawn from y, so flipped) and c all differ.
    seen = {roundness["a"], -roundness["b"], roundness["c"]}
    assert len(seen) == 3


def test_the_default_centre_comes_from_the_data() -> None:
    """Another dataset (no 'anthropic' in it): the view and the HTML export open on the entity
    most claims name, and an empty graph has none."""
    from collections import Counter

    from stancegraph.graph.memory import MemoryStore
    from stancegraph.graph.synthetic import generate
    from stancegraph.schema.models import SeedSet

    graph = generate(entities=60, claims=150, seed=9).seeds
    ends = Counter(e for c in graph.claims for e in (c.subject, c.object))
    expected = min(ends, key=lambda e: (-ends[e], e))
    store = MemoryStore(graph)
    assert picks.central_entity(store) == expected
    with TestClient(create_app(Settings(), store=store)) as client:
        page = client.get("/view")
        assert page.status_code == 200 and expected in page.text
    assert picks.central_entity(MemoryStore(SeedSet(sources=[], entities=[], claims=[]))) is None


# --- one query per view, names by language, one caption per kind ---------------------------------


class CountingStore:
    """Passes every call through to `store`, counting the public methods called."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._store, name)
        if not callable(found) or name.startswith("_"):
            return found

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return found(*args, **kwargs)

        return counted


def test_view_data_queries_do_not_grow_with_the_links(memory_store: GraphStore) -> None:
    """The claims come in one batch: the views of 1 and 2 hops make the same store calls, though
    the second draws many more links; only a speaker outside the view (not an outlet) costs a
    look-up, once."""
    centre = picks.central_entity(memory_store)
    assert centre is not None
    counted = []
    for depth in (1, 2):
        store = CountingStore(memory_store)
        data = visual.view_data(cast(GraphStore, store), centre, depth)
        in_view = {node["id"] for node in data["nodes"]}
        speakers = {
            ev.speaker.entity
            for claim in memory_store.claims_by_id([link["id"] for link in data["links"]]).values()
            for ev in claim.evidence
            if ev.speaker.entity and memory_store.entity(ev.speaker.entity).entity.kind != "outlet"
        }  # outlets' names come in one listing
        assert store.calls.pop("entity", 0) == len(speakers - in_view)
        counted.append((len(data["links"]), store.calls))
    (few, near), (many, far) = counted
    assert many > few > 1
    assert near == far, (near, far)
    # The camps (graph.camps) cost what they cost alone, whatever the depth: the signed claims'
    # pages, the sources once more and one batch of the frustrated ties' claims; the links'
    # claims are the other batch.
    alone = CountingStore(memory_store)
    camps.coalitions(cast(GraphStore, alone))
    assert far["claims"] == alone.calls["claims"] > 0
    assert far["claims_by_id"] == 1 + alone.calls["claims_by_id"] == 2 and far["claim"] == 0
    # As of a day: the graph and the timeline once more each, unwindowed, for the dates offered.
    store = CountingStore(memory_store)
    visual.view_data(cast(GraphStore, store), centre, 2, window=TimeWindow(as_of=date(2026, 3, 1)))
    store.calls.pop("entity", None)
    assert store.calls == far + Counter({"neighborhood": 1, "timeline": 1})


def test_view_data_carries_the_camps(memory_store: GraphStore) -> None:
    """The page's camps are graph.camps' answer in the page's window, cut to the entities in view;
    the frustrated ties' claims among the links are marked."""
    switch, _, after = a_switch(memory_store)
    window = TimeWindow(as_of=after)
    data = visual.view_data(memory_store, switch.entity.id, 2, window=window, colour="camp")
    answer = camps.coalitions(memory_store, window)
    in_view = {node["id"] for node in data["nodes"]}
    found = data["camps"]
    assert data["colour"] == "camp"
    assert found["members"] == [[e.id for e in camp if e.id in in_view] for camp in answer.camps]
    assert all(found["members"]) and found["sizes"] == [len(camp) for camp in answer.camps]
    crossing = {c.id for tie in answer.frustrated for c in tie.claims}
    assert found["frustrated"] == sorted(crossing & {lk["id"] for lk in data["links"]})
    assert (found["frustration"], found["balance"], found["optimal"]) == (
        answer.frustration,
        answer.balance,
        answer.optimal,
    )
    fills = [c["color"] for c in found["colors"]] + [
        found["unaligned_color"]["color"],
        found["crossing_color"],
    ]
    assert len(set(fills)) == len(fills)
    assert not set(fills) & {*visual.POLARITY_COLORS.values(), *(c for c, _ in visual.KIND_COLORS.values())}


def test_faded_colours() -> None:
    assert visual.faded("#000000", 0.5) == "#808080"
    assert visual.faded("#0072B2", 0.0) == "#0072B2" and visual.faded("#0072B2", 1.0) == "#FFFFFF"


def test_view_colour_parameter(client: TestClient) -> None:
    """`colour=camp` opens the page coloured by camp, and the re-centre form keeps it; by kind
    otherwise; any other value is a 422 naming `colour`."""
    response = client.get("/view?entity=anthropic&colour=camp")
    assert page_data(response.text)["colour"] == "camp"
    assert '<input type="hidden" name="colour" value="camp">' in response.text
    assert page_data(client.get("/view?entity=anthropic").text)["colour"] == "kind"
    bad = client.get("/view?entity=anthropic&colour=party")
    assert bad.status_code == 422 and bad.json()["parameter"] == "colour"


def test_view_data_equals_the_store_claims(memory_store: GraphStore) -> None:
    data = visual.view_data(memory_store, "anthropic", 2)
    for link in data["links"]:
        claim = memory_store.claim(link["id"])
        assert [e["quote"] for e in link["claim"]["evidence"]] == [e.quote for e in claim.evidence]


def test_node_names_by_language(memory_store: GraphStore) -> None:
    """Each node carries its label in every language it has a name or alias in: its names first,
    then the first alias of a language without a name."""
    nodes = memory_store.neighborhood("anthropic", depth=2).nodes
    data = {n["id"]: n for n in visual.view_data(memory_store, "anthropic", 2)["nodes"]}
    for node in nodes:
        entity = memory_store.entity(node.id).entity
        names = data[node.id]["names"]
        assert names["en"] == entity.names.en
        zh_aliases = entity.aliases_by_language.get("zh") or []
        assert names.get("zh") == (entity.names.zh or (zh_aliases[0] if zh_aliases else None))
        for language, aliases in entity.aliases_by_language.items():
            if language not in ("en", "zh"):
                assert names[language] == aliases[0]
    hant = [n for n in nodes if n.aliases_by_language.get("zh-Hant")]
    assert hant, "the seeds name some entities in Traditional Chinese"
    assert "zh-Hant" in visual.view_data(memory_store, "anthropic", 2)["languages"]


def test_kind_captions_come_from_one_place(memory_store: GraphStore) -> None:
    """The view's legend and cards, the Browser guide's legend and the docs' table name each
    kind as `visual.kind_caption` does: the vocabulary's label and the kind id the data uses."""
    vocab = memory_store.vocabulary
    topic = vocab.kinds["topic"]
    assert visual.kind_caption(topic) == f"{topic.label.en} (topic)"
    assert visual.kind_caption(vocab.kinds["person"]) == vocab.kinds["person"].label.en
    data = visual.view_data(memory_store, "anthropic", 2)
    for kind in data["kinds"]:
        assert kind["label"] == visual.kind_caption(vocab.kinds[kind["id"]])
        assert kind["labels"]["zh"] == visual.kind_caption(vocab.kinds[kind["id"]], "zh")
    for node in data["nodes"]:
        assert node["kind_label"] == visual.kind_caption(vocab.kinds[node["kind"]])
    guide = visual.guide_html(memory_store)
    docs = (PROJECT_ROOT / "docs" / "visualization.md").read_text(encoding="utf-8")
    for kind in vocab.kinds.values():
        assert html.escape(visual.kind_caption(kind)) in guide
        assert f"| {visual.kind_caption(kind)} | `{visual.kind_style(kind.id).color}`" in docs, kind.id


def test_view_language_parameter(client: TestClient) -> None:
    data = page_data(client.get("/view?entity=anthropic&lang=zh-Hant").text)
    assert data["lang"] == "zh-Hant"
    assert page_data(client.get("/view?entity=anthropic").text)["lang"] is None
    bad = client.get("/view?entity=anthropic&lang=not a tag")
    assert bad.status_code == 422
    assert bad.json()["parameter"] == "lang"


def test_the_graph_layer_does_not_reach_into_the_api() -> None:
    """graph/ renders pages from its own assets (the CLI's export has no API): no module of it
    names the api package or its static folder."""
    for module in (PROJECT_ROOT / "graph").glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "stancegraph.api" not in text and "api/static" not in text, module.name
    assets = (
        visual.VIEW_TEMPLATE,
        visual.VIEW_SCRIPT,
        visual.VIS_NETWORK_FILE,
        visual.VIS_TIMELINE_FILE,
        visual.GUIDE_TEMPLATE,
    )
    for asset in assets:
        assert (PROJECT_ROOT / "graph" / "static" / asset).is_file()


# --- the view as of a day, ended relations, the timeline ------------------------------------------


def a_switch(store: GraphStore) -> tuple[Switch, date, date]:
    """The first stance switch in the seeds, a day its earlier stance held and the day the later
    one started (from the store, not from the seeds' ids)."""
    switch = store.switches()[0]
    bounds = switch.date.bounds()
    assert bounds is not None, "a switch is dated"
    return switch, bounds[0] - timedelta(days=1), bounds[1]


def test_view_as_of_a_day(client: TestClient, memory_store: GraphStore) -> None:
    """`as_of` draws the store's neighbourhood and timeline for that day; the date range offered is
    the whole graph's; the re-centre form keeps the day."""
    switch, before, after = a_switch(memory_store)
    entity = switch.entity.id
    for day, shown, hidden in ((before, switch.before, switch.after), (after, switch.after, switch.before)):
        response = client.get(f"/view?entity={entity}&as_of={day.isoformat()}")
        assert response.status_code == 200
        data = page_data(response.text)
        window = TimeWindow(as_of=day)
        expected = memory_store.neighborhood(entity, depth=2, window=window)
        assert [lk["id"] for lk in data["links"]] == [lk.id for lk in expected.links]
        assert data["timeline"]["claims"] == [c.id for c in memory_store.timeline(entity, window=window)]
        drawn = {lk["id"] for lk in data["links"]}
        assert {c.id for c in shown.claims} <= drawn and not {c.id for c in hidden.claims} & drawn
        assert data["window"] == {"as_of": day.isoformat(), "known_by": None}
        assert f'<input type="hidden" name="as_of" value="{day.isoformat()}">' in response.text
    whole = page_data(client.get(f"/view?entity={entity}").text)
    assert whole["window"] == {"as_of": None, "known_by": None}
    assert data["range"] == whole["range"]
    starts = [
        interval.start.bounds()
        for claim in memory_store.claims_by_id([lk["id"] for lk in whole["links"]]).values()
        for interval in claim.valid.held
    ]
    assert whole["range"] == {
        "first": min(b[0] for b in starts if b).isoformat(),
        "last": max(b[1] for b in starts if b).isoformat(),
    }
    bad = client.get(f"/view?entity={entity}&as_of=2026-02-30")
    assert bad.status_code == 422 and bad.json()["parameter"] == "as_of"


def test_view_known_by(client: TestClient, memory_store: GraphStore) -> None:
    """`known_by`: each claim carries only the evidence published by then, as the store's claims do."""
    switch, before, _ = a_switch(memory_store)
    entity = switch.entity.id
    data = page_data(client.get(f"/view?entity={entity}&known_by={before.isoformat()}").text)
    window = TimeWindow(known_by=before)
    expected = memory_store.neighborhood(entity, depth=2, window=window)
    assert [lk["id"] for lk in data["links"]] == [lk.id for lk in expected.links]
    timeline = {view.id: view for view in memory_store.timeline(entity, window=window)}
    assert data["timeline"]["claims"] == list(timeline)
    mine = [lk for lk in data["links"] if entity in (lk["from"], lk["to"])]
    assert mine
    for link in mine:
        quotes = [e.quote for e in timeline[link["id"]].evidence]
        assert [e["quote"] for e in link["claim"]["evidence"]] == quotes


def test_ended_relations(store: GraphStore) -> None:
    """A link is `ended` when its last interval closed: in the unfiltered view whenever it has an
    end, as of a day only when that end came by then; the page as of a day is the store's answer
    (on either store)."""
    switch, before, _ = a_switch(store)
    entity = switch.entity.id
    whole = {lk["id"]: lk for lk in visual.view_data(store, entity, 1)["links"]}
    claims = store.claims_by_id(list(whole))
    for claim_id, link in whole.items():
        valid = claims[claim_id].valid
        assert link["claim"]["valid"]["ended"] == bool(valid.held and valid.held[-1].end is not None)
    earlier = switch.before.claims[0]
    assert whole[earlier.id]["claim"]["valid"]["ended"]
    held = whole[earlier.id]["claim"]["valid"]["held"]
    assert held[-1]["ended_by"] == {"reason": "reversed", "claim": switch.after.claims[0].id}
    as_of = {
        lk["id"]: lk for lk in visual.view_data(store, entity, 1, window=TimeWindow(as_of=before))["links"]
    }
    assert not as_of[earlier.id]["claim"]["valid"]["ended"]
    assert not any(lk["claim"]["valid"]["ended"] for lk in as_of.values())  # as of a day, what held
    expected = store.neighborhood(entity, depth=1, window=TimeWindow(as_of=before))
    assert list(as_of) == [link.id for link in expected.links]
