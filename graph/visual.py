"""What the graph looks like: one palette, and the pages and styles built from it.

* `grass()`: the Neo4j Browser graph style sheet (GraSS), committed in the API's static folder and
  served at GET /browser/style.grass.
* `guide_html()`: a Neo4j Browser guide (`:play`) with click-to-run Cypher, served at
  GET /browser/guide; `post_connect_cmd()` is the `browser.post_connect_cmd` that loads both.
* `render_view_html()`: a self-contained interactive page of an entity's neighbourhood (vis-network)
  with a timeline of its claims (vis-timeline), served at GET /view and written by `stancegraph
  export --format html`; a time window (`as_of`, `known_by`) shows the graph as of a day.

Entities are coloured by kind, claims by polarity (support green, opposition red, neutral grey), in
Neo4j Browser and in the embedded view alike. The page templates and the vendored vis-network
build live beside this module, in graph/static/: the CLI's HTML export needs them without the API.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal

from stancegraph.graph import camps, cookbook, picks
from stancegraph.graph.names import EntityNames
from stancegraph.graph.results import (
    ClaimView,
    Coalitions,
    GraphLink,
    GraphNode,
    NodeLink,
    SourceView,
    Switch,
)
from stancegraph.graph.store import GraphStore
from stancegraph.graph.window import TimeWindow, restrict
from stancegraph.schema.models import ClaimDate, EvidenceRecord, Validity
from stancegraph.schema.validtime import span
from stancegraph.schema.vocabulary import Kind, Label, Vocabulary, load_vocabulary

STATIC_PACKAGE = "stancegraph.graph"
STATIC_FOLDER = "static"
GUIDE_TEMPLATE = "guide.html"
VIEW_TEMPLATE = "view.html"
VIEW_SCRIPT = "view.js"
VIS_NETWORK_FILE = "vis-network.min.js"
# The standalone build injects its own stylesheet (the package's vis-timeline-graph2d.min.css).
VIS_TIMELINE_FILE = "vis-timeline-graph2d.min.js"


# --- the palette -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindStyle:
    """How one entity kind is drawn: fill, border and caption colours."""

    color: str
    border: str
    text: str


DARK_TEXT = "#1F2329"
LIGHT_TEXT = "#FFFFFF"

# Fills keep clear of pure green and red, which belong to the claims' polarity.
KIND_COLORS: dict[str, tuple[str, str]] = {
    "person": ("#F79767", "#E0612A"),
    "company": ("#57C7E3", "#1FA3C4"),
    "agency": ("#7E6BD6", "#5B48B8"),
    "group": ("#FFC454", "#DCA025"),
    "outlet": ("#C990C0", "#A8639D"),
    "document": ("#D9C8AE", "#B59C73"),
    "law": ("#9C6B4A", "#77492C"),
    "program": ("#4C8EDA", "#2B6CB6"),
    "product": ("#F0A8C6", "#D8769F"),
    "event": ("#D6617F", "#B23F5D"),
    "topic": ("#AFC0CC", "#8198A8"),
}
FALLBACK_COLORS = ("#A5ABB6", "#8A919E")

POLARITY_COLORS: dict[int, str] = {1: "#2E9E44", -1: "#D62F2F", 0: "#9AA1AC"}
POLARITY_NAMES: dict[int, str] = {1: "support", -1: "opposition", 0: "neutral"}

# The view's camp colouring (graph.camps): Okabe-Ito blue and orange, which every common form of
# colour blindness still tells apart, for the two camps; grey for actors in neither; reddish
# purple for a tie that cuts across the camps (no polarity uses it). Non-actors keep their kind's
# colour, faded towards white by FADE, so the camps stand out.
CAMP_COLORS: tuple[tuple[str, str], tuple[str, str]] = (("#0072B2", "#004B75"), ("#E69F00", "#A36F00"))
UNALIGNED_COLORS = ("#C4C9CF", "#9AA1AC")
CROSSING_COLOR = "#CC79A7"
FADE = 0.7

# Neo4j Browser node diameters and relationship widths.
ACTOR_DIAMETER = 80
OTHER_DIAMETER = 58
STANCE_SHAFT = 3
NEUTRAL_SHAFT = 1


def _luminance(color: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else float(((c + 0.055) / 1.055) ** 2.4)

    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable_text(fill: str) -> str:
    """Dark or white caption, whichever contrasts more with `fill`."""
    return DARK_TEXT if _contrast(fill, DARK_TEXT) >= _contrast(fill, LIGHT_TEXT) else LIGHT_TEXT


def kind_style(kind: str) -> KindStyle:
    color, border = KIND_COLORS.get(kind, FALLBACK_COLORS)
    return KindStyle(color=color, border=border, text=readable_text(color))


def polarity_color(polarity: int) -> str:
    return POLARITY_COLORS[polarity]


def faded(color: str, share: float = FADE) -> str:
    """`color` (#RRGGBB) with `share` of white mixed in."""
    channels = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * share):02X}" for c in channels)


def kind_caption(kind: Kind, language: str = "en") -> str:
    """How a legend or card names an entity kind: the vocabulary's label in `language` (en or
    zh), followed by the kind's id when the label does not say it, so "Issue (topic)" matches the
    `kind: topic` the API and the exports give. Every legend and card takes its caption here."""
    label = str(getattr(kind.label, language, kind.label.en))
    return label if label.casefold() == kind.id.casefold() else f"{label} ({kind.id})"


def label_languages() -> tuple[str, ...]:
    """The languages the vocabulary labels kinds and predicates in (en, zh)."""
    return tuple(Label.model_fields)


# --- Neo4j Browser: style sheet ----------------------------------------------------------------

# Nodes and relationships of the claim-evidence layer: (label or type, colour, diameter, caption).
_SUPPORT_NODES: tuple[tuple[str, str, int, str], ...] = (
    ("Claim", "#E4E7EB", 34, "{predicate}"),
    ("Evidence", "#F3EBD3", 30, "{speaker_type}"),
    ("Source", "#C7D3DD", 44, "{title}"),
    ("Name", "#EEF0F2", 26, "{name}"),
)
_SUPPORT_RELATIONSHIPS = ("SUBJECT", "OBJECT", "HAS_EVIDENCE", "FROM", "SPOKEN_BY", "NAME_OF")


# A quoted caption: text, and {property} placeholders Browser fills (an absent property: nothing).
_CAPTION = re.compile(r"'(?:[^;:{}']|\{[a-z_]+\})*'")


def _rule(selector: str, props: dict[str, str]) -> str:
    """One GraSS rule. Browser's parser knows no comments and splits values on ';' and ':'."""
    for key, value in props.items():
        if any(ch in value for ch in ";:{}") and not _CAPTION.fullmatch(value):
            raise ValueError(f"GraSS value {key}={value!r} would not parse")
    body = "".join(f"  {key}: {value};\n" for key, value in props.items())
    return f"{selector} {{\n{body}}}\n"


def claim_caption(label: str) -> str:
    """A claim relationship's caption: the predicate's label and when the claim held. GraSS
    styles by type only, but a caption may show a property: `held` (graph.window.held_span) is
    a closed range once the claim ended, "opposes 2026-02–2026-04-28", and an open one while it
    holds, "agrees to the terms of 2026-04-28–" (docs/time.md). A string, not the Neo4j dates
    valid_from and valid_until, which Browser would show in quotes."""
    return f"{label} {{held}}"


def grass(vocabulary: Vocabulary | None = None) -> str:
    """The GraSS style sheet: a colour per entity kind, relationships coloured by polarity and
    captioned with their predicate and when they held."""
    vocab = vocabulary or load_vocabulary()
    rules = [
        _rule(
            "node",
            {
                "diameter": f"{OTHER_DIAMETER}px",
                "color": FALLBACK_COLORS[0],
                "border-color": FALLBACK_COLORS[1],
                "border-width": "2px",
                "text-color-internal": readable_text(FALLBACK_COLORS[0]),
                "font-size": "10px",
            },
        ),
        _rule(
            "relationship",
            {
                "color": POLARITY_COLORS[0],
                "shaft-width": f"{NEUTRAL_SHAFT}px",
                "font-size": "9px",
                "padding": "3px",
                "text-color-external": "#000000",
                "text-color-internal": "#FFFFFF",
                "caption": "'<type>'",
            },
        ),
    ]
    for kind in vocab.kinds.values():
        style = kind_style(kind.id)
        rules.append(
            _rule(
                f"node.{kind.neo4j}",
                {
                    "color": style.color,
                    "border-color": style.border,
                    "border-width": "3px" if kind.actor else "2px",
                    "text-color-internal": style.text,
                    "diameter": f"{ACTOR_DIAMETER if kind.actor else OTHER_DIAMETER}px",
                    "caption": "'{name_en}'",
                    "font-size": "11px" if kind.actor else "10px",
                },
            )
        )
    for label, color, diameter, caption in _SUPPORT_NODES:
        rules.append(
            _rule(
                f"node.{label}",
                {
                    "color": color,
                    "border-color": "#9AA1AC",
                    "border-width": "1px",
                    "text-color-internal": readable_text(color),
                    "diameter": f"{diameter}px",
                    "caption": f"'{caption}'",
                    "font-size": "8px",
                },
            )
        )
    for predicate in vocab.predicates.values():
        rules.append(
            _rule(
                f"relationship.{predicate.neo4j}",
                {
                    "color": polarity_color(predicate.polarity),
                    "shaft-width": f"{NEUTRAL_SHAFT if predicate.polarity == 0 else STANCE_SHAFT}px",
                    "font-size": "9px",
                    "text-color-external": "#000000",
                    "caption": f"'{claim_caption(predicate.label.en)}'",
                },
            )
        )
    for rel_type in _SUPPORT_RELATIONSHIPS:
        rules.append(
            _rule(
                f"relationship.{rel_type}",
                {"color": "#C8CDD3", "shaft-width": "1px", "font-size": "8px", "caption": f"'{rel_type}'"},
            )
        )
    return "\n".join(rules)


def _static_text(name: str) -> str:
    return resources.files(STATIC_PACKAGE).joinpath(STATIC_FOLDER, name).read_text(encoding="utf-8")


def post_connect_cmd(api_base: str) -> str:
    """`browser.post_connect_cmd` that applies the style and opens the guide.

    `api_base` is the API's address as Browser reaches it, e.g. http://localhost:8000. Neo4j 5's
    `browser.remote_content_hostname_whitelist` allows localhost by default, but not 127.0.0.1.
    """
    base = api_base.rstrip("/")
    return f"style {base}/browser/style.grass; play {base}/browser/guide"


def browser_settings(api_base: str) -> dict[str, str]:
    """Neo4j settings that make Browser load the style and guide from the API at `api_base`."""
    from urllib.parse import urlsplit

    host = urlsplit(api_base).hostname or "localhost"
    allow = ["guides.neo4j.com", "localhost"]
    if host not in allow:
        allow.append(host)
    return {
        "browser.post_connect_cmd": post_connect_cmd(api_base),
        "browser.remote_content_hostname_whitelist": ",".join(allow),
    }


# --- Neo4j Browser: guide ----------------------------------------------------------------------


@dataclass(frozen=True)
class GuideQuery:
    """A further query on a slide, with the sentence that introduces it."""

    text: str
    cypher: str


@dataclass(frozen=True)
class GuideSlide:
    title: str
    text: str
    cypher: str
    more: tuple[GuideQuery, ...] = ()

    def queries(self) -> tuple[str, ...]:
        """Every click-to-run query on the slide, in order."""
        return (self.cypher, *(q.cypher for q in self.more))


# One definition of a stance toward b, the store's: a claim aimed at b, or a symmetric one
# (disputes_with, allied_with ...) from either end.
_TOWARD_B = "WHERE (endNode(r) = b OR r.symmetric) "


def guide_slides(store: GraphStore) -> tuple[GuideSlide, ...]:
    """The guide's slides for the graph in `store`: the entities and claims they open on are
    picked from the data (the most-named entity, the most-signed document, the best-sourced
    rivalry and claim), so the guide fits whatever coverage is loaded. A slide whose pick the
    data lacks is left out."""
    slides: list[GuideSlide] = []
    centre = picks.central_entity(store)
    if centre is not None:
        name = store.entity(centre).entity.names.en
        slides += [
            GuideSlide(
                f"Who supports {name}",
                f"Everyone the coverage shows backing {name}: green arrows are support.",
                f"MATCH (a:Entity)-[r]-(b:Entity {{id: {_quoted(centre)}}})\n{_TOWARD_B}"
                "AND r.polarity = 1\nRETURN a, r, b",
            ),
            GuideSlide(
                f"Who opposes {name}",
                f"Every claim with negative polarity aimed at {name}: bans, accusations, threats, "
                "designations. Red arrows are opposition.",
                f"MATCH (a:Entity)-[r]-(b:Entity {{id: {_quoted(centre)}}})\n{_TOWARD_B}"
                "AND r.polarity = -1\nRETURN a, r, b",
            ),
            GuideSlide(
                "Both sides at once",
                f"Every stance taken toward {name}, support and opposition together.",
                f"MATCH (a:Entity)-[r]-(b:Entity {{id: {_quoted(centre)}}})\n{_TOWARD_B}"
                "AND r.polarity <> 0\nRETURN a, r, b",
            ),
        ]
    slides.append(
        GuideSlide(
            "Contracts",
            "Who supplies whom under contract; each evidence record says whether its source calls "
            "the deal signed, expected or not yet.",
            "MATCH (a:Entity)-[r:CONTRACTS_WITH]->(b:Entity)\nRETURN a, r, b",
        )
    )
    document = picks.most_common_object(store, "signed")
    if document is not None:
        title = store.entity(document).entity.names.en
        slides.append(
            GuideSlide(
                f"{title} and its signatories",
                f"Who signed “{title}”, and what the document itself takes a stance on.",
                f"MATCH (s:Entity)-[r:SIGNED]->(d:Entity {{id: {_quoted(document)}}})\n"
                "OPTIONAL MATCH (d)-[t]->(x:Entity)\nRETURN s, r, d, t, x",
            )
        )
    rivalry = picks.rivalry(store)
    if rivalry is not None:
        a, b = rivalry.subject, rivalry.object
        slides.append(
            GuideSlide(
                "The shortest way between two rivals",
                f"Every shortest chain of claims between {a.name_en} and {b.name_en}, direction ignored.",
                "MATCH p = allShortestPaths(\n"
                f"  (a:Entity {{id: {_quoted(a.id)}}})-[*..6]-(b:Entity {{id: {_quoted(b.id)}}}))\n"
                "WHERE all(r IN relationships(p) WHERE r.claim_id IS NOT NULL)\nRETURN p",
            )
        )
    slides.append(
        GuideSlide(
            "Timeline",
            "Every claim by date (undated last); the table view reads best.",
            "MATCH (s:Entity)-[r]->(o:Entity)\nWHERE r.claim_id IS NOT NULL\n"
            "RETURN r.date AS date, s.name_en AS subject, r.predicate AS predicate,\n"
            "       o.name_en AS object, r.certainty AS certainty, r.sources AS sources\n"
            "ORDER BY date, r.claim_id",
        )
    )
    switch = picks.latest_switch(store)
    if switch is not None:
        slides.append(_time_slide(switch))
    slides.append(_coalitions_slide())
    slides += [
        GuideSlide(
            "Claims several sources report",
            "Each relationship carries how many sources report the claim (`sources`), how many "
            "independent origins they have once rewrites are followed (`independent`), and the "
            "outlets. These are the claims at least two sources make.",
            "MATCH p = (:Entity)-[r]->(:Entity)\nWHERE r.claim_id IS NOT NULL AND r.sources >= 2\nRETURN p",
        ),
        GuideSlide(
            "Where sources disagree",
            "Claims whose sources give different figures, dates that cannot both hold, or disagree "
            "on whether it happened carry the label Conflicted; here is what each source says, in "
            "the order they were published.",
            "MATCH (c:Claim:Conflicted)-[:HAS_EVIDENCE]->(e:Evidence)-[:FROM]->(s:Source)\n"
            "WHERE e.date IS NOT NULL OR e.values IS NOT NULL OR e.status IS NOT NULL\n"
            "RETURN c.id AS claim, c.conflicts AS kinds, s.outlet AS outlet, s.published AS published,\n"
            "       e.status AS status, e.date AS date, e.date_wording AS wording, e.values AS figures\n"
            "ORDER BY claim, published",
        ),
    ]
    best = picks.best_sourced(store)
    if best is not None:
        slides.append(
            GuideSlide(
                "The evidence behind a claim",
                "Each claim is also a node, with the quotes that support it and where they come from; "
                f"this one ({best.subject.name_en} {best.predicate} {best.object.name_en}) has the "
                "most independent sources.",
                f"MATCH (c:Claim {{id: {_quoted(best.id)}}})-[:HAS_EVIDENCE]->(e:Evidence)"
                "-[:FROM]->(s:Source)\nRETURN e.quote AS quote, e.translation AS translation,\n"
                "       e.speaker_type AS speaker, e.speaker_name AS name, s.id AS source,\n"
                "       s.outlet AS outlet",
            )
        )
    return tuple(slides)


def _time_slide(switch: Switch) -> GuideSlide:
    """As of a date, and who switched sides: valid time on the relationships (docs/time.md)."""
    day = span(switch.date)[1].isoformat()
    actor, target = switch.entity.name_en, switch.toward.name_en
    return GuideSlide(
        "As of a date, and who switched sides",
        "Each claim relationship carries when it held: valid_from, and valid_until once it ended "
        "(absent while it holds); its caption shows the dates as written, so an ended stance has a "
        "closed range and one that holds an open one. "
        f"These are the relations that held on {day}, when {actor}'s stance toward {target} had "
        "turned (month or year dates make this a bound: the API's as_of decides exactly).",
        "MATCH p = (:Entity)-[r]->(:Entity)\n"
        f"WHERE r.valid_from <= date({_quoted_day(day)})\n"
        f"  AND (r.valid_until IS NULL OR date({_quoted_day(day)}) < r.valid_until)\nRETURN p",
        (
            GuideQuery(
                "Who switched sides: every stance a later claim of the opposite sign ended "
                "(reversed), drawn with the stances between the same two, old and new.",
                "MATCH (c:Claim {reversed: true})\n"
                "MATCH p = (:Entity {id: c.subject})-[r]-(:Entity {id: c.object})\n"
                "WHERE r.polarity <> 0\nRETURN p",
            ),
        ),
    )


def _coalitions_slide() -> GuideSlide:
    """The camps as `stancegraph coalitions --write` stored them on the nodes: the cookbook's
    `coalitions` and `camp_crossings` queries, the same text as `stancegraph cypher NAME` runs."""
    return GuideSlide(
        "Coalitions",
        "The two camps of actors that fit the claims best (docs/coalitions.md). They are derived, "
        "so they are written first: `stancegraph coalitions --write` (with `--as-of DAY` for the "
        "camps of a day) puts each actor's `camp` (0 or 1) and the day (`camp_as_of`) on its node; "
        "until then, and after a load, these queries list nothing. Each camp's members:",
        cookbook.recipe("coalitions").cypher.strip(),
        (
            GuideQuery(
                "The claims that cut across the stored camps: support between them, opposition "
                "inside one, with how many independent sources each rests on.",
                cookbook.recipe("camp_crossings").cypher.strip(),
            ),
        ),
    )


def _quoted_day(day: str) -> str:
    """A YYYY-MM-DD day as a Cypher string literal."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        raise ValueError(f"{day!r} is not a day a guide may quote")
    return f"'{day}'"


def _quoted(ident: str) -> str:
    """An id as a Cypher string literal; ids are slugs (checked), so nothing needs escaping."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", ident):
        raise ValueError(f"{ident!r} is not an id a guide may quote")
    return f"'{ident}'"


def _legend_html(vocabulary: Vocabulary) -> str:
    items = []
    for kind in vocabulary.kinds.values():
        style = kind_style(kind.id)
        items.append(
            f'<span style="display:inline-block;margin:2px 4px;padding:1px 8px;border-radius:10px;'
            f'background:{style.color};color:{style.text}">{html.escape(kind_caption(kind))}</span>'
        )
    for polarity in (1, -1, 0):
        items.append(
            f'<span style="display:inline-block;margin:2px 4px;color:{POLARITY_COLORS[polarity]};'
            f'font-weight:bold">&#8594; {POLARITY_NAMES[polarity]}</span>'
        )
    return "\n".join(items)


def _substitute(template: str, values: dict[str, str]) -> str:
    """Replace every @@NAME@@ in one pass (replacements are not rescanned)."""

    def value(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return re.sub(r"@@([A-Z_]+)@@", value, template)


def guide_html(store: GraphStore) -> str:
    """The Browser guide: a title slide, then one slide per query with a click-to-run block."""
    vocab = store.vocabulary
    slides = guide_slides(store)
    stats = store.stats()
    counts = (
        f"{stats.entities} entities, {stats.claims} claims and {stats.evidence} quotes "
        f"from {stats.sources} source{'s' if stats.sources != 1 else ''}."
    )
    parts = []
    for number, slide in enumerate(slides, start=1):
        steps = [(slide.text, slide.cypher), *((q.text, q.cypher) for q in slide.more)]
        body = "".join(
            f"    <p>{html.escape(text)}</p>\n"
            f'    <pre mode="cypher" class="runnable">{html.escape(cypher)}</pre>\n'
            for text, cypher in steps
        )
        parts.append(
            '<slide class="row-fluid">\n  <div class="col-sm-12">\n'
            f"    <h3>{number}. {html.escape(slide.title)}</h3>\n"
            f"{body}"
            "  </div>\n</slide>"
        )
    return _substitute(
        _static_text(GUIDE_TEMPLATE),
        {"COUNTS": html.escape(counts), "LEGEND": _legend_html(vocab), "SLIDES": "\n".join(parts)},
    )


# --- the embedded view -------------------------------------------------------------------------

VIEW_LIMIT = 200
# How the view colours the entities: by kind, or the actors by camp (graph.camps).
ColourMode = Literal["kind", "camp"]
PARALLEL_STEP = 0.3
# A claim that no longer held (an ended relation) is drawn dashed in this grey, whatever its polarity.
ENDED_COLOR = "#B3B9C2"


def node_names(node: GraphNode) -> dict[str, str]:
    """An entity's label in each language it has one in: its names first (en, zh), then, for a
    language without a name, the first alias the sources use in it (zh-Hant: 美國國防部)."""
    names = {"en": node.name_en}
    if node.name_zh:
        names["zh"] = node.name_zh
    for language, aliases in sorted(node.aliases_by_language.items()):
        if aliases and language not in names:
            names[language] = aliases[0]
    return names


def _speaker_text(evidence: EvidenceRecord, names: EntityNames) -> str:
    speaker = evidence.speaker
    if speaker.type == "narration":
        who = "the outlet (narration)"
    elif speaker.type == "anonymous":
        who = speaker.name or "anonymous"
    else:
        who = names[speaker.entity or ""]
    return f"{who}, via {speaker.via}" if speaker.via else who


def _source_info(source: SourceView | None, source_id: str, names: EntityNames) -> dict[str, Any]:
    if source is None:
        return {"id": source_id, "title": source_id}
    record = source.source
    return {
        "id": record.id,
        "title": record.title,
        "title_en": record.title_en,
        "outlet": names[record.outlet],
        "url": record.url,
        "published": record.published_label(),
    }


def _roundness(links: list[GraphLink]) -> dict[str, float]:
    """Curve parallel links apart: 0 for a lone link, evenly spread offsets for the others."""
    pairs: dict[tuple[str, str], list[GraphLink]] = {}
    for link in links:
        low, high = sorted((link.source, link.target))
        pairs.setdefault((low, high), []).append(link)
    out: dict[str, float] = {}
    for (low, _), group in pairs.items():
        for index, link in enumerate(group):
            offset = (index - (len(group) - 1) / 2) * PARALLEL_STEP
            # vis-network's curvedCW bends by direction of travel: flip links drawn the other way.
            direction = 1 if link.source == low else -1
            out[link.id] = round(offset * direction, 3)
    return out


def _labels(label: Label) -> dict[str, str]:
    return {language: str(getattr(label, language)) for language in label_languages()}


def _first_day(when: ClaimDate) -> str:
    return span(when)[0].isoformat()


def _last_day(when: ClaimDate) -> str:
    return span(when)[1].isoformat()


def _validity_info(valid: Validity, as_of: date | None) -> dict[str, Any]:
    """When the claim held, as the page draws it: each interval's start and end as the sources
    date them and as days (`from` the first day the start may denote, `until` the last day the end
    may: schema.validtime.holds counts it held up to that day), and whether it had `ended` by
    `as_of` (by now when None): its last interval was closed by then."""
    held = [
        {
            "start": interval.start.value,
            "from": _first_day(interval.start),
            "end": None if interval.end is None else interval.end.value,
            "until": None if interval.end is None else _last_day(interval.end),
            "ended_by": None
            if interval.ended_by is None
            else {"reason": interval.ended_by.reason, "claim": interval.ended_by.claim},
        }
        for interval in valid.held
    ]
    last = valid.held[-1].end if valid.held else None
    ended = last is not None and (as_of is None or span(last)[1] <= as_of)
    return {"held": held, "ended": ended}


def _claim_info(
    claim: ClaimView,
    sources: dict[str, SourceView],
    names: EntityNames,
    vocab: Vocabulary,
    as_of: date | None = None,
) -> dict[str, Any]:
    predicate = vocab.predicates.get(claim.predicate)
    labels = _labels(predicate.label) if predicate else {"en": claim.predicate}
    return {
        "id": claim.id,
        "subject": claim.subject.name_en,
        "subject_id": claim.subject.id,
        "object": claim.object.name_en,
        "object_id": claim.object.id,
        "predicate": claim.predicate,
        "label": labels["en"],
        "labels": labels,
        "polarity": claim.polarity,
        "certainty": claim.certainty,
        "date": claim.date.value,
        "status": claim.status,
        "sources": claim.sources,
        "independent": claim.independent,
        "qualifiers": claim.qualifiers,
        "note": claim.note,
        "valid": _validity_info(claim.valid, as_of),
        "time": None if claim.time is None else claim.time.model_dump(),
        "evidence": [
            {
                "quote": ev.quote,
                "translation": ev.translation,
                "speaker": _speaker_text(ev, names),
                "certainty": ev.certainty,
                "source": _source_info(sources.get(ev.source), ev.source, names),
            }
            for ev in claim.evidence
        ],
    }


def _node_info(node: GraphNode, vocab: Vocabulary) -> dict[str, Any]:
    style = kind_style(node.kind)
    kind = vocab.kinds.get(node.kind)
    return {
        "id": node.id,
        "name": node.name_en,
        "name_zh": node.name_zh,
        "names": node_names(node),
        "kind": node.kind,
        "kind_label": kind_caption(kind) if kind else node.kind,
        "actor": bool(kind and kind.actor),
        "distance": node.distance,
        "color": style.color,
        "border": style.border,
        "text": style.text,
        "faded": {"color": faded(style.color), "border": faded(style.border)},
    }


def _camps_info(
    answer: Coalitions, nodes: list[dict[str, Any]], links: list[dict[str, Any]]
) -> dict[str, Any]:
    """The camps as the page colours them: each camp's members in view and how many it has in
    all, how well the split fits (actors in neither camp are drawn grey), and the drawn links
    whose claims make a frustrated tie (a tie is the net of the pair's claims, so all of them
    are marked)."""
    in_view = {node["id"] for node in nodes}
    drawn = {link["id"] for link in links}
    return {
        "members": [[e.id for e in camp if e.id in in_view] for camp in answer.camps],
        "sizes": [len(camp) for camp in answer.camps],
        "frustration": answer.frustration,
        "total_weight": answer.total_weight,
        "balance": answer.balance,
        "optimal": answer.optimal,
        "frustrated": sorted({c.id for tie in answer.frustrated for c in tie.claims if c.id in drawn}),
        "colors": [{"color": color, "border": border} for color, border in CAMP_COLORS],
        "unaligned_color": {"color": UNALIGNED_COLORS[0], "border": UNALIGNED_COLORS[1]},
        "crossing_color": CROSSING_COLOR,
    }


def _date_range(views: list[ClaimView]) -> dict[str, str] | None:
    """The span the time control offers: from the first day any claim may have started to hold to
    the last day of the latest start (None when nothing is dated)."""
    starts = [span(interval.start) for view in views for interval in view.valid.held]
    if not starts:
        return None
    return {"first": min(lo for lo, _ in starts).isoformat(), "last": max(hi for _, hi in starts).isoformat()}


def view_data(
    store: GraphStore,
    entity: str,
    depth: int = 2,
    *,
    limit: int = VIEW_LIMIT,
    lang: str | None = None,
    window: TimeWindow | None = None,
    colour: ColourMode = "kind",
) -> dict[str, Any]:
    """Everything the view page draws: nodes with their names by language, links with their
    claims' evidence and valid time, the centre's timeline, the camps in the window (which
    `colour="camp"` draws first; the page switches between the colourings), the legend. With a
    `window`, the graph, the timeline and the camps are the store's answers in that window, and
    the date range the time control offers is still the whole graph's. A fixed number of store
    queries, however many links: the claims come in one batch, not one query per link, and the
    camps read the signed claims in pages of MAX_LIMIT."""
    window = window or TimeWindow()
    whole: NodeLink = store.neighborhood(entity, depth=depth, limit=limit)
    graph = whole if window.empty() else store.neighborhood(entity, depth=depth, limit=limit, window=window)
    timeline = store.timeline(entity, limit=limit, window=window)
    every_date = timeline if window.empty() else store.timeline(entity, limit=limit)
    vocab = store.vocabulary
    stored = store.claims_by_id(sorted({link.id for link in (*whole.links, *graph.links)}))
    known = {node.id: node.name_en for node in graph.nodes}
    names = EntityNames(store, known)
    cited = {ev.source for claim in (*stored.values(), *timeline) for ev in claim.evidence}
    sources = {view.source.id: view for view in store.sources() if view.source.id in cited}
    names.add_outlets({view.source.outlet for view in sources.values()})
    records = {source_id: view.source for source_id, view in sources.items()}
    # The claims as the window sees them, as the store decided (graph.window.restrict).
    claims = {link.id: restrict(stored[link.id], window, records) for link in graph.links}
    nodes = [_node_info(node, vocab) for node in graph.nodes]
    roundness = _roundness(graph.links)
    paired: set[tuple[str, str]] = set()
    links = []
    for link in graph.links:
        claim = claims[link.id]
        assert claim is not None, "the store's neighbourhood keeps only claims in the window"
        pair = (min(link.source, link.target), max(link.source, link.target))
        spring = pair not in paired  # one spring per pair: many claims must not pull harder
        paired.add(pair)
        links.append(
            {
                "id": link.id,
                "from": link.source,
                "to": link.target,
                "polarity": link.polarity,
                "color": polarity_color(link.polarity),
                "roundness": roundness[link.id],
                "spring": spring,
                "claim": _claim_info(claim, sources, names, vocab, window.as_of),
            }
        )
    centre = next(node for node in graph.nodes if node.id == entity)
    answer = camps.coalitions(store, window)
    languages = sorted({tag for node in nodes for tag in node["names"]}, key=lambda t: (t != "en", t))
    return {
        "centre": {"id": centre.id, "name": centre.name_en, "name_zh": centre.name_zh},
        "depth": depth,
        "truncated": graph.truncated,
        "lang": lang,
        "colour": colour,
        "languages": languages,
        "window": {
            "as_of": None if window.as_of is None else window.as_of.isoformat(),
            "known_by": None if window.known_by is None else window.known_by.isoformat(),
        },
        "range": _date_range([*stored.values(), *every_date]),
        "nodes": nodes,
        "links": links,
        "timeline": {
            "entity": entity,
            "claims": [view.id for view in timeline],
            # The timeline's claims that are not drawn as links (past the node limit).
            "more": {
                view.id: _claim_info(view, sources, names, vocab, window.as_of)
                for view in timeline
                if view.id not in claims
            },
            "truncated": len(timeline) == limit,
        },
        "kinds": [
            {
                "id": k.id,
                "label": kind_caption(k),
                "labels": {language: kind_caption(k, language) for language in label_languages()},
                **_style_dict(kind_style(k.id)),
            }
            for k in vocab.kinds.values()
            if any(n["kind"] == k.id for n in nodes)
        ],
        "polarities": [
            {"polarity": p, "name": POLARITY_NAMES[p], "color": POLARITY_COLORS[p]} for p in (1, -1, 0)
        ],
        "ended_color": ENDED_COLOR,
        "camps": _camps_info(answer, nodes, links),
    }


def _style_dict(style: KindStyle) -> dict[str, str]:
    return {"color": style.color, "border": style.border, "text": style.text}


def _script_json(data: Any) -> str:
    """JSON safe inside <script>: no '</script>', no '<!--', no HTML-significant characters."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _without_source_map(text: str) -> str:
    return re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", text)


@cache
def vis_network_js() -> str:
    """The vendored vis-network build, without its source-map comment (for inlining)."""
    return _without_source_map(_static_text(VIS_NETWORK_FILE))


@cache
def vis_timeline_js() -> str:
    """The vendored vis-timeline build (its stylesheet included), without its source-map comment."""
    return _without_source_map(_static_text(VIS_TIMELINE_FILE))


def render_view_html(
    store: GraphStore,
    entity: str,
    depth: int = 2,
    *,
    script_url: str | None = None,
    timeline_url: str | None = None,
    entities: list[tuple[str, str]] | None = None,
    lang: str | None = None,
    window: TimeWindow | None = None,
    colour: ColourMode = "kind",
) -> str:
    """The interactive view of `entity`'s neighbourhood, and its timeline, as one HTML page.

    Self-contained (vis-network and vis-timeline inlined) unless `script_url` and `timeline_url`
    name where to load them from. `entities`, (id, name) pairs, adds a form to re-centre the view
    and the time control (for the served page: both load it again). `lang` is the labels'
    language; without it the page takes the browser's. `window` shows the graph as of a day;
    `colour` is the colouring it opens with (by kind, or by camp).
    """
    window = window or TimeWindow()
    data = view_data(store, entity, depth, lang=lang, window=window, colour=colour)
    # vis-network last: both builds set `vis.DataSet`, and the network's DataSets are its own.
    timeline_library = _library(timeline_url, vis_timeline_js)
    library = timeline_library + "\n" + _library(script_url, vis_network_js)
    if entities:
        options = "".join(
            f'<option value="{html.escape(eid)}"{" selected" if eid == entity else ""}>'
            f"{html.escape(name)}</option>"
            for eid, name in entities
        )
        depths = "".join(
            f'<option value="{d}"{" selected" if d == depth else ""}>{d}</option>' for d in range(0, 5)
        )
        # The window goes along when the form re-centres the view.
        kept = "".join(
            f'<input type="hidden" name="{name}" value="{day.isoformat()}">'
            for name, day in (("as_of", window.as_of), ("known_by", window.known_by))
            if day is not None
        )
        nav = (
            '<form class="nav" method="get">'
            f'<label>Centre <select name="entity">{options}</select></label> '
            f'<label>Depth <select name="depth">{depths}</select></label> '
            f'<input type="hidden" name="lang" value="">'
            f'<input type="hidden" name="colour" value="{colour}">{kept}'
            '<button type="submit">Show</button></form>'
        )
    else:
        nav = ""
    title = f"{data['centre']['name']}: who stands where"
    if window.as_of is not None:
        title += f", as of {window.as_of.isoformat()}"
    return _substitute(
        _static_text(VIEW_TEMPLATE),
        {
            "TITLE": html.escape(title),
            "NAV": nav,
            "LIBRARY": library,
            "DATA": _script_json(data),
            "SCRIPT": _static_text(VIEW_SCRIPT),
        },
    )


def _library(url: str | None, inline: Callable[[], str]) -> str:
    if url is None:
        return f"<script>\n{inline()}\n</script>"
    return f'<script src="{html.escape(url)}"></script>'
