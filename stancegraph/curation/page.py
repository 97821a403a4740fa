"""The curation page of a source (`GET /curate/{source}`): its text with what is done and what is
left marked, as one self-contained HTML document (inline CSS, no script, no font or CDN fetch).

Marked in the text: each mention of a known entity (its id on hover), each span some evidence
cites (its claims on hover), and each sentence no evidence cites yet, numbered as `stancegraph
coverage` numbers them; page chrome is greyed out; and, when the suggester ran, each span it
proposes a claim, evidence or a new entity from (wavy underline, its rule and confidence on
hover). Side lists repeat the uncited sentences with their mentions and the suggestions, each
linked to its place in the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from itertools import pairwise

from stancegraph.curation.coverage import Coverage, Sentence, mention_label
from stancegraph.curation.suggest import NewEntityRef, Suggestion

SUGGESTIONS_MISSING = "Suggestions are not shown: the suggester did not run for this page."

STYLE = """
:root { color-scheme: light; --uncited: #fff1c2; --cited: #d9f2dd; --mention: #1f4e9c; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.75 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC",
  "Noto Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei",
  sans-serif; color: #1d1d1f; background: #fafafa; }
header { padding: 16px 28px; background: #fff; border-bottom: 1px solid #ddd; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header p { margin: 2px 0; color: #555; font-size: 14px; }
.legend span { display: inline-block; margin-right: 14px; padding: 0 6px; border-radius: 3px; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(280px, 2fr); gap: 24px;
  padding: 20px 28px; }
article { background: #fff; padding: 20px 24px; border: 1px solid #ddd; border-radius: 6px;
  white-space: pre-wrap; overflow-wrap: anywhere; }
aside { font-size: 14px; position: sticky; top: 12px; align-self: start;
  max-height: calc(100vh - 24px); overflow: auto; }
aside section { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 12px 16px;
  margin-bottom: 16px; }
aside h2 { font-size: 15px; margin: 0 0 8px; }
aside ol { margin: 0; padding-left: 0; list-style: none; }
aside li { margin-bottom: 10px; }
aside li a { color: inherit; text-decoration: none; }
aside .who { color: var(--mention); font-size: 13px; }
.uncited { background: var(--uncited); }
.cited { background: var(--cited); border-bottom: 2px solid #3b9a4a; }
.mention { color: var(--mention); font-weight: 600; border-bottom: 1px dotted var(--mention); }
.chrome { color: #999; }
sup.n { font-size: 11px; color: #a06a00; font-weight: 600; margin-right: 2px; user-select: none; }
.note { color: #6b5900; background: #fff8dc; border: 1px solid #eedc9a; }
.suggested { text-decoration: underline wavy #8a5cf6; text-underline-offset: 5px; }
aside .rule { color: #6b4fbb; font-size: 12px; }
"""


def render_page(found: Coverage, suggestions: Sequence[Suggestion] | None = None) -> str:
    """The page; `suggestions` None when no suggester ran (the page says so)."""
    source = found.source
    uncited = found.uncited
    head = (
        f"<header><h1>{escape(source.title)}</h1>"
        f"<p><code>{escape(source.id)}</code> · {escape(source.outlet)} · {escape(source.language)} · "
        f"published {escape(source.published)}</p>"
        f'<p id="counts">{found.reporting} sentences of reporting: {found.reporting - len(uncited)} cited, '
        f"{len(uncited)} not yet cited by any claim · {len(found.mentions)} mentions · "
        f"{len(found.cited)} evidence spans</p>"
        '<p class="legend"><span class="mention">mention</span><span class="cited">cited by a claim</span>'
        '<span class="uncited">no claim cites it</span><span class="suggested">suggested</span>'
        '<span class="chrome">page chrome</span></p></header>'
    )
    side = [
        f'<section id="uncited"><h2>Not yet cited ({len(uncited)})</h2><ol>',
        *(_uncited_item(s) for s in uncited),
        "</ol></section>",
    ]
    if suggestions is None:
        side.append(f'<section class="note" id="suggestions">{escape(SUGGESTIONS_MISSING)}</section>')
    else:
        side += [
            f'<section id="suggestions"><h2>Suggestions ({len(suggestions)})</h2><ol>',
            *(_suggestion_item(i, g) for i, g in enumerate(suggestions, 1)),
            '</ol><p class="rule">`stancegraph suggest` writes them as a draft; `stancegraph accept` '
            "merges what you keep.</p></section>",
        ]
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'  # no favicon request either: the page fetches nothing
        f"<title>Curate {escape(source.id)}</title><style>{STYLE}</style></head><body>"
        f'{head}<main><article id="text" lang="{escape(source.language)}">'
        f"{_marked_text(found, suggestions or ())}</article>"
        f"<aside>{''.join(side)}</aside></main></body></html>\n"
    )


def _uncited_item(s: Sentence) -> str:
    who = mention_label(s.mentions)
    return (
        f'<li data-sentence="{s.number}"><a href="#s-{s.number}"><sup class="n">{s.number}</sup>'
        f"{escape(s.text)}</a>" + (f'<div class="who">{escape(who)}</div>' if who else "") + "</li>"
    )


def _ref(value: str | NewEntityRef | None) -> str:
    if isinstance(value, NewEntityRef):
        return f"{value.new} (new {value.kind})"
    return value or ""


def _what(g: Suggestion) -> str:
    if g.kind == "entity":
        return f"new entity {_ref(g.subject)}"
    return f"{g.kind}: {_ref(g.subject)} {g.predicate or ''} {_ref(g.object)}".strip()


def _suggestion_item(number: int, g: Suggestion) -> str:
    return (
        f'<li data-suggestion="{number}"><a href="#g-{number}">{escape(_what(g))}</a>'
        f'<div class="rule">{escape(g.rule)} · confidence {g.confidence:.2f}</div></li>'
    )


def _marked_text(found: Coverage, suggestions: Sequence[Suggestion]) -> str:
    """The text cut at every boundary of a sentence, a cited span or a mention; each piece a
    span whose classes say what covers it (no nesting, so overlaps need no care)."""
    text = found.text
    cuts = {0, len(text)}
    for s in found.sentences:
        cuts.update((s.start, s.end))
    for c in found.cited:
        cuts.update((c.start, c.end))
    for m in found.mentions:
        cuts.update((m.start, m.end))
    for g in suggestions:
        cuts.update((g.start, g.end))
    starts = {s.start: s for s in found.sentences}
    # An anchor for each suggestion, at its start (several may share one start).
    anchors: dict[int, list[int]] = {}
    for number, g in enumerate(suggestions, 1):
        anchors.setdefault(g.start, []).append(number)
    points = sorted(cuts)
    out: list[str] = []
    for a, b in pairwise(points):
        sentence = starts.get(a)
        if sentence is not None:
            anchor = f' id="s-{sentence.number}"' if not sentence.cited and not sentence.chrome else ""
            out.append(f'<sup class="n"{anchor}>{sentence.number}</sup>')
        out.extend(f'<a id="g-{number}"></a>' for number in anchors.get(a, ()))
        out.append(_piece(found, suggestions, a, b))
    return "".join(out)


def _piece(found: Coverage, suggestions: Sequence[Suggestion], a: int, b: int) -> str:
    classes: list[str] = []
    titles: list[str] = []
    attrs = ""
    inside = next((s for s in found.sentences if s.start <= a and b <= s.end), None)
    if inside is not None and inside.chrome:
        classes.append("chrome")
    elif inside is not None and not inside.cited:
        classes.append("uncited")
    claims = [c.claim for c in found.cited if c.start <= a and b <= c.end]
    if claims:
        classes.append("cited")
        titles.append("cited by " + ", ".join(dict.fromkeys(claims)))
    proposed = [g for g in suggestions if g.start <= a and b <= g.end]
    if proposed:
        classes.append("suggested")
        titles += [f"suggested {_what(g)} ({g.rule}, {g.confidence:.2f})" for g in proposed]
    mention = next((m for m in found.mentions if m.start <= a and b <= m.end), None)
    if mention is not None:
        classes.append("mention")
        titles.insert(0, f"{mention.entity} ({mention.alias})")
        attrs = f' data-entity="{escape(mention.entity)}"'
    piece = escape(found.text[a:b])
    if not classes:
        return piece
    title = f' title="{escape("; ".join(titles))}"' if titles else ""
    return f'<span class="{" ".join(classes)}"{attrs}{title}>{piece}</span>'
