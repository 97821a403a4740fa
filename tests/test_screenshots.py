"""Checked as a person sees it: the embedded view and Neo4j Browser, in headless Chromium.

Chromium is Debian's (/usr/bin/chromium, or $STANCEGRAPH_CHROMIUM), driven by the `playwright`
package; no browser is ever downloaded. Screenshots land in build/screenshots/. Without Chromium
(or Java for Neo4j) the tests skip, except on CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from stancegraph.graph import camps, picks, visual
from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.store import GraphStore
from stancegraph.graph.window import TimeWindow
from stancegraph.launch import api_thread, free_port
from stancegraph.schema.models import SeedSet
from stancegraph.settings import PROJECT_ROOT, Settings
from tests.conftest import unavailable
from tests.test_visual import a_switch

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("STANCEGRAPH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = PROJECT_ROOT / "build" / "screenshots"
VIEWPORT = {"width": 1600, "height": 1000}
SUPPORTERS_QUERY = "MATCH (a)-[r:SUPPORTS]->(b:Entity {id: 'anthropic'}) RETURN a, r, b"


# --- fixtures: Chromium, and the API on a live port ----------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install playwright)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def shot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path))
    return path


def watch_errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def inked_pixels(page: Any) -> int:
    """How many pixels of the view's canvas are not blank (white or transparent)."""
    count: int = page.evaluate(
        """() => {
          const c = document.querySelector('#graph canvas');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) {
            if (d[i + 3] > 0 && (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245)) n++;
          }
          return n;
        }"""
    )
    return count


# --- the embedded view ---------------------------------------------------------------------------


def test_view_draws_the_neighbourhood(browser: Any, memory_store: GraphStore) -> None:
    with api_thread(Settings(), memory_store, free_port()) as base:
        page = browser.new_page(viewport=VIEWPORT)
        errors = watch_errors(page)
        page.goto(f"{base}/view?entity=anthropic&depth=2")
        page.wait_for_selector("body[data-ready=true]", timeout=30_000)

        expected = memory_store.neighborhood("anthropic", depth=2)
        positions: dict[str, Any] = page.evaluate("() => window.stancegraph.network.getPositions()")
        assert set(positions) == {node.id for node in expected.nodes}
        assert inked_pixels(page) > 20_000
        names = page.inner_text("#entities")
        for name in ("Anthropic", "Sam Altman", "Dario Amodei", "Pete Hegseth"):
            assert name in names

        # Hover an arrow: the panel shows the claim, its quote, translation, speaker and source.
        link = next(lk for lk in page.evaluate("() => window.stancegraph.data.links") if lk["roundness"] == 0)
        point = page.evaluate(
            """(id) => {
              const net = window.stancegraph.network;
              const [a, b] = net.getConnectedNodes(id);
              const p = net.getPositions([a, b]);
              return net.canvasToDOM({x: (p[a].x + p[b].x) / 2, y: (p[a].y + p[b].y) / 2});
            }""",
            link["id"],
        )
        box = page.locator("#graph").bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_selector(f"#details [data-claim='{link['id']}']", timeout=5_000)
        claim = memory_store.claim(link["id"])
        details = page.inner_text("#details")
        assert claim.evidence[0].quote in details
        if claim.evidence[0].translation is not None:  # only sources not in English have one
            assert claim.evidence[0].translation in details
        assert "Source:" in details and "Speaker:" in details

        # Click the one supporter claim of Sam Altman for the screenshot, as a reader would.
        page.evaluate("() => window.stancegraph.pin('sam-altman.supports.anthropic')")
        page.mouse.move(5, 5)
        assert errors == []
        shot(page, "view.png")

        # Drag a node: it moves, the others stay (physics is off once laid out).
        before = page.evaluate("() => window.stancegraph.network.getPositions()")
        start = page.evaluate(
            "() => window.stancegraph.network.canvasToDOM("
            "window.stancegraph.network.getPositions(['anthropic']).anthropic)"
        )
        page.mouse.move(box["x"] + start["x"], box["y"] + start["y"])
        page.mouse.down()
        page.mouse.move(box["x"] + start["x"] + 80, box["y"] + start["y"] + 60, steps=8)
        page.mouse.up()
        after = page.evaluate("() => window.stancegraph.network.getPositions()")
        assert after["anthropic"] != before["anthropic"]
        assert after["sam-altman"] == before["sam-altman"]
        page.close()


def test_exported_view_works_offline(browser: Any, memory_store: GraphStore, tmp_path: Path) -> None:
    page_file = tmp_path / "anthropic.html"
    page_file.write_text(visual.render_view_html(memory_store, "anthropic", 1), encoding="utf-8")
    page = browser.new_page(viewport=VIEWPORT)
    requested: list[str] = []

    def block(route: Any) -> None:
        requested.append(route.request.url)
        route.abort()

    page.route("http*://**", block)
    errors = watch_errors(page)
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    assert requested == []
    assert errors == []
    assert inked_pixels(page) > 10_000
    assert "Sam Altman" in page.inner_text("#entities")
    page.close()


# Where each node is drawn, in the page's CSS pixels: its dot and its caption as vis-network
# measured them for the last frame, and the canvas they must fit in.
DRAWN_BOXES = """() => {
  const net = window.stancegraph.network;
  const graph = document.getElementById('graph').getBoundingClientRect();
  const box = (l, t, r, b) => {
    const a = net.canvasToDOM({x: l, y: t}), z = net.canvasToDOM({x: r, y: b});
    return {l: a.x, t: a.y, r: z.x, b: z.y};
  };
  const out = {width: graph.width, height: graph.height, nodes: {}};
  for (const [id, node] of Object.entries(net.body.nodes)) {
    const s = node.labelModule.size, r = node.shape.radius || node.options.size;
    out.nodes[id] = {
      label: node.options.label,
      caption: box(s.left, s.top, s.left + s.width, s.top + s.height),
      dot: box(node.x - r, node.y - r, node.x + r, node.y + r),
    };
  }
  return out;
}"""


def _meets(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]


def overlapping_captions(page: Any) -> list[tuple[str, str]]:
    """Pairs of nodes whose caption runs into the other's caption or dot."""
    drawn = page.evaluate(DRAWN_BOXES)["nodes"]
    return [
        (a, b)
        for a in drawn
        for b in drawn
        if a != b
        and drawn[a]["label"].strip()
        and (
            _meets(drawn[a]["caption"], drawn[b]["dot"])
            or (a < b and _meets(drawn[a]["caption"], drawn[b]["caption"]))
        )
    ]


def cut_off(page: Any, only: set[str] | None = None) -> list[str]:
    """Nodes (of `only`, or all) whose dot or caption reaches past the edge of the canvas."""
    drawn = page.evaluate(DRAWN_BOXES)
    edge = {"l": 0, "t": 0, "r": drawn["width"], "b": drawn["height"]}
    return sorted(
        node
        for node, boxes in drawn["nodes"].items()
        if (only is None or node in only)
        for part in ("dot", "caption")
        if boxes[part]["l"] < edge["l"]
        or boxes[part]["t"] < edge["t"]
        or boxes[part]["r"] > edge["r"]
        or boxes[part]["b"] > edge["b"]
    )


def open_view(browser: Any, url: str, **context: Any) -> Any:
    page = browser.new_page(viewport=VIEWPORT, **context)
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    return page


def labels(page: Any) -> dict[str, str]:
    found: dict[str, str] = page.evaluate(
        "() => Object.fromEntries(Object.entries(window.stancegraph.network.body.nodes)"
        ".map(([id, n]) => [id, n.options.label]))"
    )
    return found


def test_captions_do_not_overlap(browser: Any, memory_store: GraphStore) -> None:
    """The seed graph's default view, in English and in Chinese: no caption runs into another
    caption or another entity's dot."""
    with api_thread(Settings(), memory_store, free_port()) as base:
        for lang in ("en", "zh"):
            page = open_view(browser, f"{base}/view?depth=2&lang={lang}")
            assert page.evaluate("() => window.stancegraph.language()") == lang
            assert overlapping_captions(page) == [], lang
            assert cut_off(page) == [], lang
            page.close()


def test_nothing_is_cut_off(browser: Any, memory_store: GraphStore) -> None:
    """After the layout, after the window shrinks, after choosing another centre in the form and
    after choosing an entity in the list, every node (or the chosen one and its neighbours) is
    inside the canvas."""
    with api_thread(Settings(), memory_store, free_port()) as base:
        page = open_view(browser, f"{base}/view?depth=2")
        assert cut_off(page) == []

        page.set_viewport_size({"width": 1000, "height": 650})
        page.wait_for_timeout(400)
        assert cut_off(page) == []

        centre = page.evaluate("() => window.stancegraph.data.centre.id")
        links = memory_store.neighborhood(centre, depth=1).links
        other = next(link.target if link.source == centre else link.source for link in links)
        page.select_option("form.nav select[name=entity]", other)
        page.click("form.nav button")
        page.wait_for_selector("body[data-ready=true]", timeout=30_000)
        assert page.evaluate("() => window.stancegraph.data.centre.id") == other
        assert cut_off(page) == []

        chosen = page.evaluate(
            "() => window.stancegraph.data.nodes[window.stancegraph.data.nodes.length - 1].id"
        )
        page.click(f"#entities li[data-entity='{chosen}']")
        page.wait_for_timeout(700)  # the 300 ms framing animation
        around = {chosen, *page.evaluate(f"() => window.stancegraph.network.getConnectedNodes('{chosen}')")}
        assert cut_off(page, around) == []
        assert (
            chosen in page.inner_text("#details")
            or page.locator(f"#details [data-entity='{chosen}']").count() == 1
        )
        page.close()


def test_labels_in_the_readers_language(browser: Any, memory_store: GraphStore) -> None:
    """The browser's language picks the labels (a zh-CN reader sees Chinese names where the
    entity has one); the picker switches in place, to zh-Hant aliases too; kinds and predicates
    take the vocabulary's label in that language."""
    node = next(
        n
        for n in memory_store.neighborhood("anthropic", depth=2).nodes
        if n.name_zh and n.aliases_by_language.get("zh-Hant")
    )
    vocab = memory_store.vocabulary
    with api_thread(Settings(), memory_store, free_port()) as base:
        english = open_view(browser, f"{base}/view?entity=anthropic&depth=2", locale="en-US")
        assert labels(english)[node.id] == node.name_en
        english.close()

        page = open_view(browser, f"{base}/view?entity=anthropic&depth=2", locale="zh-CN")
        assert page.evaluate("() => window.stancegraph.language()") == "zh"
        assert labels(page)[node.id] == node.name_zh
        legend = page.inner_text("#legend")
        for kind in {n.kind for n in memory_store.neighborhood("anthropic", depth=2).nodes}:
            assert visual.kind_caption(vocab.kinds[kind], "zh") in legend

        page.select_option("#lang", "zh-Hant")
        page.wait_for_timeout(300)
        assert labels(page)[node.id] == node.aliases_by_language["zh-Hant"][0]
        assert "lang=zh-Hant" in page.url
        assert overlapping_captions(page) == []
        assert cut_off(page) == []
        assert page.input_value("form.nav input[name=lang]") == "zh-Hant"
        page.close()


# --- the view as of a day, and the timeline ---------------------------------------------------------


def drawn_edges(page: Any) -> set[str]:
    found: list[str] = page.evaluate("() => window.stancegraph.network.body.data.edges.getIds()")
    return set(found)


def reloaded(page: Any, day: str | None) -> None:
    """Wait for the page the time control loaded: `as_of=day` in its address (none for None)."""
    page.wait_for_url((lambda url: f"as_of={day}" in url) if day else (lambda url: "as_of=" not in url))
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    assert page.evaluate("() => window.stancegraph.data.window.as_of") == day


def test_view_as_of_a_day(browser: Any, memory_store: GraphStore) -> None:
    """The date field, the slider and "All dates" load the graph as of a day: the day before a
    stance switch draws the earlier stance and not the later one, the day of the switch the other
    way round; unfiltered, both are drawn and the ended one is dashed grey."""
    switch, before, after = a_switch(memory_store)
    earlier, later = {c.id for c in switch.before.claims}, {c.id for c in switch.after.claims}
    with api_thread(Settings(), memory_store, free_port()) as base:
        page = browser.new_page(viewport=VIEWPORT)
        errors = watch_errors(page)
        page.goto(f"{base}/view?entity={switch.entity.id}&depth=2")
        page.wait_for_selector("body[data-ready=true]", timeout=30_000)
        assert earlier | later <= drawn_edges(page)
        for claim_id in earlier:
            edge = page.evaluate("(id) => window.stancegraph.network.body.data.edges.get(id)", claim_id)
            assert edge["dashes"] and edge["color"]["color"] == visual.ENDED_COLOR, edge

        page.fill("#as-of", before.isoformat())
        reloaded(page, before.isoformat())
        drawn = drawn_edges(page)
        assert earlier <= drawn and not later & drawn
        assert page.inner_text("#as-of-shown") == f"as of {before.isoformat()}"
        assert page.input_value("#as-of") == before.isoformat()
        assert inked_pixels(page) > 20_000

        # The picture: the earlier stance's card, as of the day before the switch.
        page.evaluate("(id) => window.stancegraph.pin(id)", sorted(earlier)[0])
        page.mouse.move(5, 5)
        assert "reversed" in page.inner_text("#details")
        shot(page, "view-time.png")

        # The slider, moved to the day of the switch (as a reader drags it and lets go).
        first = page.evaluate("() => window.stancegraph.data.range.first")
        days = (after - date.fromisoformat(first)).days
        page.evaluate(
            """(n) => { const s = document.getElementById('as-of-slider'); s.value = String(n);
                        s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); }""",
            days,
        )
        reloaded(page, after.isoformat())
        drawn = drawn_edges(page)
        assert later <= drawn and not earlier & drawn
        assert page.input_value("#as-of-slider") == str(days)

        page.click("#as-of-all")
        reloaded(page, None)
        assert earlier | later <= drawn_edges(page)
        assert errors == []
        page.close()


def test_timeline_of_the_entity(browser: Any, memory_store: GraphStore) -> None:
    """The timeline draws an item per interval each of the entity's claims in the window held
    (every one of them on screen once fitted), coloured by polarity; clicking one shows its
    evidence; choosing another entity draws that entity's claims in view."""
    switch, _, after = a_switch(memory_store)
    entity = switch.entity.id
    with api_thread(Settings(), memory_store, free_port()) as base:
        page = browser.new_page(viewport=VIEWPORT)
        errors = watch_errors(page)
        page.goto(f"{base}/view?entity={entity}&as_of={after.isoformat()}")
        page.wait_for_selector("body[data-ready=true]", timeout=30_000)
        dated = [c for c in memory_store.timeline(entity, window=TimeWindow(as_of=after)) if c.valid.held]
        items: list[str] = page.evaluate("() => window.stancegraph.timelineItems().map(i => i.claim)")
        assert sorted(set(items)) == sorted(c.id for c in dated)
        assert len(items) == sum(len(c.valid.held) for c in dated)
        page.evaluate("() => window.stancegraph.timeline.fit({animation: false})")
        page.wait_for_timeout(300)
        items_drawn = "#timeline .vis-range.sg-item, #timeline .vis-point.sg-item"
        assert page.locator(items_drawn).count() == len(items)

        # Unfiltered, the earlier stance is a range up to its reversal; a click shows its evidence.
        page.click("#as-of-all")
        page.wait_for_url(lambda url: "as_of=" not in url)
        page.wait_for_selector("body[data-ready=true]", timeout=30_000)
        claim = switch.before.claims[0]
        item = page.locator(f"#timeline .vis-range[data-claim='{claim.id}']")
        colour = page.evaluate("(e) => getComputedStyle(e).backgroundColor", item.element_handle())
        assert colour == rgb(visual.polarity_color(claim.polarity))
        item.click()
        page.wait_for_selector(f"#details [data-claim='{claim.id}']", timeout=5_000)
        assert claim.evidence[0].quote in page.inner_text("#details")
        assert page.evaluate("() => window.stancegraph.network.getSelectedEdges()") == [claim.id]
        page.mouse.move(5, 5)
        shot(page, "view-timeline.png")

        other = switch.toward.id
        page.click(f"#entities li[data-entity='{other}']")
        page.wait_for_timeout(400)
        in_view = [
            lk["id"]
            for lk in page.evaluate("() => window.stancegraph.data.links")
            if other in (lk["from"], lk["to"]) and lk["claim"]["valid"]["held"]
        ]
        shown = page.evaluate("() => window.stancegraph.timelineItems().map(i => i.claim)")
        assert sorted(set(shown)) == sorted(in_view)
        assert "in view" in page.inner_text("#timeline-title")
        assert errors == []
        page.close()


def pixels_near(page: Any, color: str, tolerance: int = 24) -> int:
    """How many pixels of the view's canvas are within `tolerance` of `color` in every channel."""
    target = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    count: int = page.evaluate(
        """([t, tol]) => {
          const c = document.querySelector('#graph canvas');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) {
            if (d[i + 3] > 200 && Math.abs(d[i] - t[0]) <= tol && Math.abs(d[i + 1] - t[1]) <= tol
                && Math.abs(d[i + 2] - t[2]) <= tol) n++;
          }
          return n;
        }""",
        [target, tolerance],
    )
    return count


def node_fills(page: Any, ids: list[str]) -> list[str]:
    found: list[str] = page.evaluate(
        "(ids) => ids.map(id => window.stancegraph.network.body.nodes[id].options.color.background)", ids
    )
    return found


def test_view_coloured_by_camp(browser: Any, memory_store: GraphStore) -> None:
    """`colour=camp` as of 2026-05-01: Anthropic and the Department of War, in different camps
    that day, get the two camp colours; the ties that cut across the camps are drawn dotted in
    the crossing colour (and are on the canvas); the legend gives the frustration and balance;
    the picker switches back to kinds and keeps its choice in the address, as the time control
    does when it loads another day."""
    day = date(2026, 5, 1)
    actors = [memory_store.resolve(name, "entity") for name in ("Anthropic", "US Department of War")]
    answer = camps.coalitions(memory_store, TimeWindow(as_of=day))
    camp_of = {e.id: index for index, camp in enumerate(answer.camps) for e in camp}
    assert camp_of[actors[0]] != camp_of[actors[1]], "the two are in different camps that day"
    with api_thread(Settings(), memory_store, free_port()) as base:
        page = browser.new_page(viewport=VIEWPORT)
        errors = watch_errors(page)
        page.goto(f"{base}/view?entity={actors[0]}&depth=2&colour=camp&as_of={day.isoformat()}")
        page.wait_for_selector("body[data-ready=true]", timeout=30_000)
        assert set(actors) <= set(page.evaluate("() => window.stancegraph.network.body.data.nodes.getIds()"))
        assert node_fills(page, actors) == [visual.CAMP_COLORS[camp_of[a]][0] for a in actors]

        frustrated: list[str] = page.evaluate("() => window.stancegraph.data.camps.frustrated")
        assert frustrated, "a frustrated tie is among the links drawn"
        assert set(frustrated) <= drawn_edges(page)
        for claim_id in frustrated:
            edge = page.evaluate("(id) => window.stancegraph.network.body.data.edges.get(id)", claim_id)
            assert edge["dashes"] and edge["color"]["color"] == visual.CROSSING_COLOR, edge
        others = drawn_edges(page) - set(frustrated)
        colours = page.evaluate(
            "(ids) => ids.map(id => window.stancegraph.network.body.data.edges.get(id).color.color)",
            sorted(others),
        )
        assert visual.CROSSING_COLOR not in colours
        assert pixels_near(page, visual.CROSSING_COLOR) > 200
        legend = page.inner_text("#legend")
        assert "cuts across the camps" in legend and f"balance {answer.balance:.3f}" in legend, legend

        # The picture: a tie that cuts across the camps, selected.
        page.evaluate("(id) => window.stancegraph.pin(id)", frustrated[0])
        page.mouse.move(5, 5)
        assert "Cuts across the camps" in page.inner_text("#details")
        shot(page, "view-camps.png")

        kinds = [visual.kind_style(memory_store.entity(a).entity.kind).color for a in actors]
        page.select_option("#colour", "kind")
        assert node_fills(page, actors) == kinds and "colour=" not in page.url
        page.select_option("#colour", "camp")
        assert "colour=camp" in page.url
        page.click("#as-of-all")
        reloaded(page, None)
        assert page.evaluate("() => window.stancegraph.colourMode()") == "camp"
        assert page.input_value("#colour") == "camp"
        assert errors == []
        page.close()


def rgb(color: str) -> str:
    """A #RRGGBB colour as getComputedStyle gives it."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


# --- Neo4j Browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser_neo4j(tmp_path_factory: pytest.TempPathFactory, seeds: SeedSet) -> Iterator[tuple[Any, int]]:
    """A local Neo4j whose Browser loads our style and guide from an API on `api_port` at connect.

    Its own server (not the shared one): `browser.post_connect_cmd` is fixed at start-up.
    """
    import shutil

    from stancegraph import localneo4j

    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        unavailable("no Java for the local Neo4j server")
    api_port = free_port()
    api_base = f"http://localhost:{api_port}"
    config = localneo4j.ServerConfig(
        home=tmp_path_factory.mktemp("neo4j-browser"),
        bolt_port=free_port(),
        http_port=free_port(),
        # No usage-data banner over the screenshot (both setting names exist in 5.26).
        extra_settings={**visual.browser_settings(api_base), "client.allow_telemetry": "false"},
    )
    try:
        localneo4j.ensure_jars()
        localneo4j.start(config)
    except localneo4j.LocalNeo4jError as exc:
        unavailable(f"the local Neo4j server did not start: {exc}")
    try:
        from neo4j import GraphDatabase

        from stancegraph.graph import loader

        with GraphDatabase.driver(
            f"bolt://127.0.0.1:{config.bolt_port}", auth=localneo4j.credentials(config.home)
        ) as driver:
            loader.load(driver, seeds)
        yield config, api_port
    finally:
        localneo4j.stop(config.home)


def test_neo4j_browser_with_style_and_guide(
    browser: Any, memory_store: GraphStore, browser_neo4j: tuple[Any, int]
) -> None:
    config, api_port = browser_neo4j
    settings = Settings(neo4j_http_port=config.http_port)
    with api_thread(settings, memory_store, api_port):
        page = browser.new_page(viewport=VIEWPORT)
        url = (
            f"http://127.0.0.1:{config.http_port}/browser/?dbms=bolt://neo4j@127.0.0.1:{config.bolt_port}"
            f"&preselectAuthMethod=NATIVE&cmd=edit&arg={quote(SUPPORTERS_QUERY)}"
        )
        console: list[str] = []
        page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
        page.goto(url)
        try:
            log_in(page, config.home)
            check_browser(page)
        except Exception:
            shot(page, "browser-failed.png")
            print("\n".join(console))
            raise
        shot(page, "browser.png")
        run_guide_slide(page, 3, "Both sides at once")
        shot(page, "browser-stances.png")
        page.close()


def log_in(page: Any, home: Path) -> None:
    """Browser's connect form, as a user fills it: the user name is in the URL, the password is
    the one `stancegraph neo4j start` printed."""
    from stancegraph import localneo4j

    login = localneo4j.credentials(home)
    assert login is not None
    page.wait_for_selector("[data-testid='password']", timeout=30_000)
    page.fill("[data-testid='username']", login[0])
    page.fill("[data-testid='password']", login[1])
    page.locator("[data-testid='connect']").click()


def check_browser(page: Any) -> None:
    """The guide and the style came from post_connect_cmd; the supporters query draws in colour."""
    # post_connect_cmd runs `:style <url>` and `:play <url>`, each in a frame of the stream.
    page.get_by_text("stancegraph: who stands where").first.wait_for(timeout=30_000)
    commands = page.text_content("[data-testid='stream']") or ""
    assert "/browser/guide" in commands and "/browser/style.grass" in commands
    page.wait_for_selector("[data-testid='editor-Run']", timeout=30_000)
    page.locator("[data-testid='editor-Run']").click()
    page.wait_for_selector("svg g.node", timeout=60_000)
    page.wait_for_timeout(2_500)  # let the force layout settle for the picture

    fills = set(
        page.eval_on_selector_all("svg g.node circle.b-outline", "cs => cs.map(c => c.getAttribute('fill'))")
    )
    kinds = {visual.kind_style(k).color.lower() for k in ("company", "person", "group")}
    assert {f.lower() for f in fills if f} >= kinds, fills
    arrows = set(
        page.eval_on_selector_all(
            "svg g.relationship path.b-outline", "ps => ps.map(p => p.getAttribute('fill'))"
        )
    )
    assert visual.polarity_color(1).lower() in {a.lower() for a in arrows if a}, arrows
    # Browser's default palette shares some fills; captions, sizes and green arrows are ours alone.
    radii = set(
        page.eval_on_selector_all("svg g.node circle.b-outline", "cs => cs.map(c => c.getAttribute('r'))")
    )
    assert str(visual.ACTOR_DIAMETER // 2) in radii, radii
    captions = " ".join(page.eval_on_selector_all("svg g.node", "ns => ns.map(n => n.textContent)"))
    assert "Altman" in captions and "Anthropic" in captions, captions


def run_guide_slide(page: Any, number: int, title: str) -> None:
    """Step the guide to slide `number`, click its Cypher into the editor and run it."""
    frames_before = page.locator("svg g.layer.nodes").count()
    for _ in range(number):
        page.locator("[data-testid='nextSlide']").first.click()
    page.get_by_text(f"{number}. {title}").first.wait_for(timeout=10_000)
    page.locator("pre.runnable:visible").first.click()
    page.locator("[data-testid='editor-Run']").first.click()
    page.wait_for_function(
        f"() => document.querySelectorAll('svg g.layer.nodes').length > {frames_before}", timeout=60_000
    )
    page.wait_for_timeout(2_500)
    colours = set(
        page.eval_on_selector_all(
            "svg g.relationship path.b-outline",
            "ps => ps.map(p => (p.getAttribute('fill') || '').toLowerCase())",
        )
    )
    assert {visual.polarity_color(1).lower(), visual.polarity_color(-1).lower()} <= colours, colours


@pytest.mark.neo4j
def test_guide_queries_return_rows(browser_neo4j: tuple[Any, int], seeds: SeedSet) -> None:
    """Every click-to-run query of the guide finds something in the loaded graph."""
    from neo4j import GraphDatabase

    from stancegraph import localneo4j

    config, _ = browser_neo4j
    auth = localneo4j.credentials(config.home)
    with GraphDatabase.driver(f"bolt://127.0.0.1:{config.bolt_port}", auth=auth) as driver:
        store = MemoryStore(seeds)
        centre = picks.central_entity(store)
        assert centre is not None
        stances = {
            "Who supports": {s.entity.id for s in store.supporters(centre)},
            "Who opposes": {s.entity.id for s in store.opponents(centre)},
        }
        # The Coalitions slide reads the camps `coalitions --write` stores: written first, as a
        # reader would, and removed afterwards.
        answer = camps.coalitions(store)
        camps.write_camps(driver, "neo4j", answer)
        try:
            for slide in visual.guide_slides(store):
                for query in slide.queries():
                    found, _, _ = driver.execute_query(query)
                    assert found, (slide.title, query)
                records, _, _ = driver.execute_query(slide.cypher)
                for start, expected in stances.items():
                    if slide.title.startswith(start):  # the store's definition of a stance, symmetric too
                        assert {r["a"]["id"] for r in records} == expected, slide.title
                if slide.title == "Coalitions":
                    assert [r["size"] for r in records] == [len(camp) for camp in answer.camps]
        finally:
            camps.write_camps(driver, "neo4j", answer.model_copy(update={"camps": [[], []]}))


# --- a web page of another origin against the local Neo4j -----------------------------------------

WRITE = {"statements": [{"statement": "CREATE (n:Hacked {by: 'a web page'}) RETURN n"}]}
ATTACKS = """async ([url, body]) => {
  const out = {};
  const tries = {
    json: {method: "POST", headers: {"Content-Type": "application/json"}, body},
    default_password: {method: "POST", body,
      headers: {"Content-Type": "application/json", "Authorization": "Basic " + btoa("neo4j:neo4j")}},
    simple: {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"}, body},
  };
  for (const [name, init] of Object.entries(tries)) {
    try {
      const response = await fetch(url, init);
      out[name] = response.type === "opaque" ? "opaque" : response.status;
    } catch (error) {
      out[name] = "blocked";
    }
  }
  return out;
}"""


@pytest.mark.neo4j
def test_a_web_page_cannot_write_to_the_local_neo4j(browser: Any, browser_neo4j: tuple[Any, int]) -> None:
    """A page the user opens (here from another loopback port) posts write transactions to the
    local server's HTTP API: the JSON ones die at CORS, the no-CORS one at auth; nothing is written."""
    import http.server
    import json

    from neo4j import GraphDatabase

    from stancegraph import localneo4j
    from tests.test_reliability_neo4j import db_checksum

    config, _ = browser_neo4j
    auth = localneo4j.credentials(config.home)
    with GraphDatabase.driver(f"bolt://127.0.0.1:{config.bolt_port}", auth=auth) as driver:
        before = db_checksum(driver)
        page_port = free_port()

        class Page(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = b"<!doctype html><title>some page</title>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", page_port), Page)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{page_port}/")
            url = f"http://127.0.0.1:{config.http_port}/db/neo4j/tx/commit"
            outcome = page.evaluate(ATTACKS, [url, json.dumps(WRITE)])
            page.close()
        finally:
            server.shutdown()
            server.server_close()
        print(f"cross-origin writes from a web page: {outcome}")
        assert outcome == {"json": "blocked", "default_password": "blocked", "simple": "opaque"}, outcome
        records, _, _ = driver.execute_query("MATCH (n:Hacked) RETURN count(n) AS n")
        assert records[0]["n"] == 0
        assert db_checksum(driver) == before
