"""The curation page of a source (`GET /curate/{source}`): its text with what is done and what is
left marked, as one self-contained HTML document (inline CSS, no script, no font or CDN fetch).

Marked in the text: each mention of a known entity (its id on hover), each span some evidence
cites (its claims on hover), and each sentence no evidence cites yet, numbered as `stancegraph
coverage` numbers them; page chrome is greyed out. A side list repeats the uncited sentences
with their mentions, linked to their place in the text.
"""

from __future__ import annotations

from html import escape
from itertools import pairwise

from stancegraph.curation.coverage import Coverage, Sentence, mention_label

SUGGESTIONS_MISSING = (
    "Suggestions are not shown: this build has no suggester yet (stancegraph.curation.suggest). "
    "Run `stancegraph suggest` when it lands, and accept its draft."
)

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
"""


def render_page(found: Coverage, *, suggestions_note: str | None = SUGGESTIONS_MISSING) -> str:
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
        '<span class="uncited">no claim cites it</span><span class="chrome">page chrome</span></p></header>'
    )
    side = [
        f'<section id="uncited"><h2>Not yet cited ({len(uncited)})</h2><ol>',
        *(_uncited_item(s) for s in uncited),
        "</ol></section>",
    ]
    if suggestions_note:
        side.append(f'<section class="note" id="suggestions">{escape(suggestions_note)}</section>')
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'  # no favicon request either: the page fetches nothing
        f"<title>Curate {escape(source.id)}</title><style>{STYLE}</style></head><body>"
        f'{head}<main><article id="text" lang="{escape(source.language)}">{_marked_text(found)}</article>'
        f"<aside>{''.join(side)}</aside></main></body></html>\n"
    )


def _uncited_item(s: Sentence) -> str:
    who = mention_label(s.mentions)
    return (
        f'<li data-sentence="{s.number}"><a href="#s-{s.number}"><sup class="n">{s.number}</sup>'
        f"{escape(s.text)}</a>" + (f'<div class="who">{escape(who)}</div>' if who else "") + "</li>"
    )


def _marked_text(found: Coverage) -> str:
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
    starts = {s.start: s for s in found.sentences}
    points = sorted(cuts)
    out: list[str] = []
    for a, b in pairwise(points):
        sentence = starts.get(a)
        if sentence is not None:
            anchor = f' id="s-{sentence.number}"' if not sentence.cited and not sentence.chrome else ""
            out.append(f'<sup class="n"{anchor}>{sentence.number}</sup>')
        out.append(_piece(found, a, b))
    return "".join(out)


def _piece(found: Coverage, a: int, b: int) -> str:
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
