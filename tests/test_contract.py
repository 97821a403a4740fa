"""The store contract: every store gives these answers on the seed graph.

`store` is parametrised in conftest.py over every store kind, so the stores cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from stancegraph.graph.conflicts import claim_conflicts
from stancegraph.graph.corroboration import corroboration
from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.results import ClaimFilter
from stancegraph.graph.search import normalize
from stancegraph.graph.store import GraphStore
from stancegraph.graph.window import TimeWindow, timeline_key
from stancegraph.schema.errors import InvalidParameterError, NotFoundError
from stancegraph.schema.models import SeedSet, ValidatedClaim
from stancegraph.schema.validtime import holds, published_by, span
from stancegraph.schema.vocabulary import load_vocabulary
from tests.conftest import SEEDS


def supporter_ids(store: GraphStore, entity: str) -> set[str]:
    return {s.entity.id for s in store.supporters(entity)}


def test_stats_count_the_seeds(store: GraphStore, seeds: SeedSet) -> None:
    stats = store.stats()
    assert stats.entities == len(seeds.entities)
    assert stats.claims == len(seeds.claims)
    assert stats.evidence == sum(len(c.evidence) for c in seeds.claims)
    assert stats.sources == len(seeds.sources)
    assert sum(stats.claims_by_predicate.values()) == stats.claims


def test_snapshot_is_the_seeds(store: GraphStore, seeds: SeedSet) -> None:
    snapshot = store.snapshot()
    assert [e.id for e in snapshot.entities] == sorted(e.id for e in seeds.entities)
    by_id = {c.id: c for c in seeds.claims}
    for claim in snapshot.claims:
        original = by_id[claim.id]
        assert claim.model_dump(exclude={"evidence"}) == original.model_dump(exclude={"evidence"})
        assert {e.id for e in claim.evidence} == {e.id for e in original.evidence}
    assert snapshot.entities == sorted(seeds.entities, key=lambda e: e.id)


def test_who_supports_anthropic(store: GraphStore, source_text: str) -> None:
    stances = store.supporters("anthropic")
    ids = [s.entity.id for s in stances]
    assert ids == sorted(ids)
    assert {
        "sam-altman",
        "openai",
        "google",
        "ilya-sutskever",
        "openai-employees",
        "google-employees",
    } <= set(ids)
    altman = next(s for s in stances if s.entity.id == "sam-altman")
    assert altman.entity.name_zh
    for claim in altman.claims:
        assert claim.polarity == 1 and claim.object.id == "anthropic"
        for ev in claim.evidence:
            assert source_text[ev.start : ev.end] == ev.quote
            assert ev.translation and ev.speaker.type


def test_who_opposes_anthropic(store: GraphStore) -> None:
    opponents = {s.entity.id for s in store.opponents("anthropic")}
    assert {"donald-trump", "pete-hegseth"} <= opponents
    assert "sam-altman" not in opponents


def test_symmetric_stances_count_from_both_ends(store: GraphStore) -> None:
    allied = [c for c in store.claims(ClaimFilter(predicate="allied_with"), limit=100)]
    assert allied, "the seeds record the brief alliance"
    for claim in allied:
        assert claim.object.id in supporter_ids(store, claim.subject.id)
        assert claim.subject.id in supporter_ids(store, claim.object.id)


def test_entity_detail(store: GraphStore) -> None:
    detail = store.entity("anthropic")
    assert detail.entity.names.en == "Anthropic"
    assert detail.counts.supporters == len(store.supporters("anthropic"))
    assert detail.counts.opponents == len(store.opponents("anthropic"))
    assert detail.counts.claims >= detail.counts.supporters


def test_unknown_ids_raise_not_found(store: GraphStore) -> None:
    with pytest.raises(NotFoundError):
        store.entity("no-such-entity")
    with pytest.raises(NotFoundError):
        store.supporters("no-such-entity")
    with pytest.raises(NotFoundError):
        store.claim("no.such.claim")
    with pytest.raises(NotFoundError):
        store.source("no-such-source")
    with pytest.raises(NotFoundError):
        store.between("anthropic", "no-such-entity")


MISSING = "no-such-entity"


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        (lambda s: s.supporters(MISSING), "id"),
        (lambda s: s.opponents(MISSING), "id"),
        (lambda s: s.neighborhood(MISSING, depth=2), "id"),
        (lambda s: s.timeline(MISSING), "entity"),
        (lambda s: s.between(MISSING, "anthropic"), "a"),
        (lambda s: s.between("anthropic", MISSING), "b"),
        (lambda s: s.between(MISSING, "no-such-other"), "a"),
        (lambda s: s.paths(MISSING, "anthropic"), "from"),
        (lambda s: s.paths("anthropic", MISSING, max_hops=2), "to"),
        (lambda s: s.claims(ClaimFilter(subject=MISSING)), "subject"),
        (lambda s: s.claims(ClaimFilter(object=MISSING, subject="anthropic")), "object"),
        (lambda s: s.claims(ClaimFilter(subject=MISSING, object=MISSING)), "subject"),
        # A missing entity comes before a bad argument, as when existence was checked first.
        (lambda s: s.between(MISSING, MISSING), "a"),
        (lambda s: s.paths("anthropic", MISSING, max_hops=0), "to"),
        (lambda s: s.neighborhood(MISSING, depth=99), "id"),
        (lambda s: s.timeline(MISSING, limit=0), "entity"),
    ],
)
def test_missing_entities_name_their_parameter(
    store: GraphStore, call: Callable[[GraphStore], object], parameter: str
) -> None:
    with pytest.raises(NotFoundError) as caught:
        call(store)
    assert (caught.value.what, caught.value.ident, caught.value.parameter) == ("entity", MISSING, parameter)


def test_missing_source_in_a_claim_filter(store: GraphStore) -> None:
    with pytest.raises(NotFoundError) as caught:
        store.claims(ClaimFilter(source="no-such-source", subject="anthropic"))
    assert (caught.value.what, caught.value.parameter) == ("source", "source")
    with pytest.raises(NotFoundError) as caught:  # entities are reported before the source
        store.claims(ClaimFilter(source="no-such-source", object=MISSING))
    assert (caught.value.what, caught.value.parameter) == ("entity", "object")


def test_existing_entities_without_answers_are_empty_not_missing(store: GraphStore, seeds: SeedSet) -> None:
    named = {c.subject for c in seeds.claims} | {c.object for c in seeds.claims}
    loners = [e.id for e in seeds.entities if e.id not in named]
    assert loners, "the seeds have outlets that no claim is about"
    for entity_id in loners:
        assert store.supporters(entity_id) == store.opponents(entity_id) == []
        assert store.timeline(entity_id) == []
        assert store.between(entity_id, "anthropic") == []
        assert store.paths(entity_id, "anthropic") == []
        assert (
            store.claims(ClaimFilter(subject=entity_id)) == store.claims(ClaimFilter(object=entity_id)) == []
        )
        assert [n.id for n in store.neighborhood(entity_id).nodes] == [entity_id]
    assert store.supporters("donald-trump") == []  # in many claims, supported in none


def test_every_name_and_alias_finds_its_entity(store: GraphStore, seeds: SeedSet) -> None:
    for entity in seeds.entities:
        for name in entity.all_names():
            hits = store.search(name, limit=50)
            exact = [h for h in hits if h.match == "exact"]
            assert entity.id in {h.entity.id for h in exact}, (name, hits[:3])


def test_search_is_case_width_and_separator_insensitive(store: GraphStore) -> None:
    assert store.search("ＳＡＭ　ａｌｔｍａｎ")[0].entity.id == "sam-altman"
    assert store.search("山姆·奥特曼")[0].entity.id == "sam-altman"
    assert store.search("山姆・奥特曼")[0].matched in {"山姆・奥特曼", "山姆·奥特曼"}
    assert store.search("五角大楼")[0].entity.id == "us-department-of-war"
    assert store.search("pentagon")[0].entity.id == "us-department-of-war"


def test_search_folds_traditional_characters_to_simplified(store: GraphStore) -> None:
    # The seeds write these names in simplified characters; Taiwan and Hong Kong write them so.
    for query, entity in [("美國戰爭部", "us-department-of-war"), ("達里奧·阿莫迪", "dario-amodei")]:
        hit = store.search(query)[0]
        assert (hit.entity.id, hit.match) == (entity, "exact"), (query, hit)


def test_words_in_any_order_find_the_name(store: GraphStore, seeds: SeedSet) -> None:
    # The case first ("Defense Department" for "Department of Defense"), then every name
    # of several words, reversed.
    assert store.search("Defense Department")[0].entity.id == "us-department-of-war"
    for entity in seeds.entities:
        for name in entity.all_names():
            words = name.split()
            if len(set(words)) > 1:
                hits = store.search(" ".join(reversed(words)), limit=50)
                assert entity.id in {h.entity.id for h in hits}, (name, hits[:3])


def test_a_short_han_name_is_no_fuzzy_match(store: GraphStore, seeds: SeedSet) -> None:
    # 阿莫迪 (Amodei) is one character from 莫迪 (Modi): for Han names under four characters an
    # edit makes another name, so nothing is found by edits.
    assert "narendra-modi" not in {h.entity.id for h in store.search("阿莫迪", limit=50)}
    for entity in seeds.entities:
        for name in entity.all_names():
            key = normalize(name)
            if len(key) < 4 and any("\u4e00" <= ch <= "\u9fff" for ch in key):
                assert all(h.match != "fuzzy" for h in store.search(name, limit=50)), name


def test_search_ranks_exact_then_prefix_then_fuzzy(store: GraphStore) -> None:
    hits = store.search("open", limit=50)
    assert hits[0].match in {"exact", "prefix"}
    order = {"exact": 0, "prefix": 1, "substring": 2, "words": 3, "fuzzy": 4}
    ranks = [order[h.match] for h in hits]
    assert ranks == sorted(ranks)
    typo = store.search("Antrhopic")
    assert typo[0].entity.id == "anthropic" and typo[0].match == "fuzzy"


def test_search_by_kind_and_paging(store: GraphStore) -> None:
    people = store.search("a", kind="person", limit=50)
    assert people and all(h.entity.kind == "person" for h in people)
    first = store.search("a", limit=3)
    second = store.search("a", limit=3, offset=3)
    assert not {h.entity.id for h in first} & {h.entity.id for h in second}


def test_bad_search_parameters(store: GraphStore) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        store.search(" ・ ")
    assert caught.value.parameter == "q"
    with pytest.raises(InvalidParameterError) as caught:
        store.search("x", kind="spaceship")
    assert caught.value.parameter == "kind"
    with pytest.raises(InvalidParameterError) as caught:
        store.search("x", limit=0)
    assert caught.value.parameter == "limit"


def test_list_entities_pages_by_id(store: GraphStore, seeds: SeedSet) -> None:
    seen: list[str] = []
    after = None
    while True:
        page = store.list_entities(limit=7, after=after)
        if not page:
            break
        seen += [e.id for e in page]
        after = page[-1].id
    assert seen == sorted(e.id for e in seeds.entities)


def test_claims_page_by_id_without_gaps(store: GraphStore, seeds: SeedSet) -> None:
    seen: list[str] = []
    after = None
    while page := store.claims(limit=9, after=after):
        seen += [c.id for c in page]
        after = page[-1].id
    assert seen == sorted(c.id for c in seeds.claims)


@pytest.mark.parametrize(
    "flt",
    [
        ClaimFilter(subject="donald-trump"),
        ClaimFilter(object="anthropic"),
        ClaimFilter(predicate="supports"),
        ClaimFilter(polarity=-1),
        ClaimFilter(certainty="unconfirmed"),
        ClaimFilter(since="2026-02-26", until="2026-02-27"),
        ClaimFilter(until="2019-01-01"),
        ClaimFilter(source="jiqizhixin-2026-02-28-anthropic-ban", polarity=1, object="anthropic"),
    ],
    ids=lambda f: ",".join(f"{k}={v}" for k, v in f.model_dump(exclude_none=True).items()),
)
def test_claim_filters(store: GraphStore, seeds: SeedSet, flt: ClaimFilter) -> None:
    got = [c.id for c in store.claims(flt, limit=1000)]
    expected = sorted(c.id for c in seeds.claims if _matches(c, flt))
    assert got == expected
    assert got, "every filter here selects something in the seed graph"


def _matches(claim: object, flt: ClaimFilter) -> bool:
    from stancegraph.schema.models import ValidatedClaim

    assert isinstance(claim, ValidatedClaim)
    checks = [
        flt.subject in (None, claim.subject),
        flt.object in (None, claim.object),
        flt.predicate in (None, claim.predicate),
        flt.polarity in (None, claim.polarity),
        flt.certainty in (None, claim.certainty),
        flt.source is None or any(e.source == flt.source for e in claim.evidence),
    ]
    if flt.since or flt.until:
        bounds = claim.date.bounds()
        checks.append(bounds is not None)
        if bounds is not None:
            checks.append(flt.since is None or bounds[1] >= date.fromisoformat(flt.since))
            checks.append(flt.until is None or bounds[0] <= date.fromisoformat(flt.until))
    return all(checks)


def test_bad_claim_filters(store: GraphStore) -> None:
    cases = [
        (ClaimFilter(predicate="adores"), "predicate"),
        (ClaimFilter(since="last week"), "since"),
        (ClaimFilter(since="2026-03-01", until="2026-02-01"), "until"),
    ]
    for flt, parameter in cases:
        with pytest.raises(InvalidParameterError) as caught:
            store.claims(flt)
        assert caught.value.parameter == parameter
    with pytest.raises(NotFoundError):
        store.claims(ClaimFilter(subject="ghost"))


def test_between_both_directions(store: GraphStore) -> None:
    claims = store.between("anthropic", "us-department-of-war")
    assert [c.id for c in claims] == sorted(c.id for c in claims)
    directions = {(c.subject.id, c.object.id) for c in claims}
    assert ("anthropic", "us-department-of-war") in directions
    assert ("us-department-of-war", "anthropic") in directions
    assert {c.id for c in claims} == {c.id for c in store.between("us-department-of-war", "anthropic")}


def test_paths_are_shortest_and_ordered(store: GraphStore) -> None:
    paths = store.paths("sam-altman", "pete-hegseth", max_hops=4)
    assert paths
    lengths = {len(p.nodes) for p in paths}
    assert len(lengths) == 1
    assert [tuple(n.id for n in p.nodes) for p in paths] == sorted(
        tuple(n.id for n in p.nodes) for p in paths
    )
    for path in paths:
        assert path.nodes[0].id == "sam-altman" and path.nodes[-1].id == "pete-hegseth"
        for (a, b), hop in zip(zip(path.nodes, path.nodes[1:], strict=False), path.hops, strict=True):
            assert hop and all({c.subject.id, c.object.id} == {a.id, b.id} for c in hop)
    assert store.paths("sam-altman", "pete-hegseth", max_hops=1) == []
    with pytest.raises(InvalidParameterError):
        store.paths("sam-altman", "pete-hegseth", max_hops=0)


def test_neighborhood(store: GraphStore) -> None:
    one = store.neighborhood("anthropic", depth=1)
    ids = [n.id for n in one.nodes]
    assert ids[0] == "anthropic" and one.nodes[0].distance == 0
    assert supporter_ids(store, "anthropic") <= set(ids)
    assert all(link.source in ids and link.target in ids for link in one.links)
    two = store.neighborhood("anthropic", depth=2)
    assert set(ids) < {n.id for n in two.nodes}
    small = store.neighborhood("anthropic", depth=2, limit=5)
    assert small.truncated and [n.id for n in small.nodes] == [n.id for n in two.nodes[:5]]
    assert store.neighborhood("anthropic", depth=0).nodes[0].id == "anthropic"


def test_timeline_is_in_date_order(store: GraphStore) -> None:
    claims = store.timeline()
    keys = [(*timeline_key(c.valid), c.id) for c in claims]
    assert keys == sorted(keys)
    undated = [i for i, c in enumerate(claims) if not c.valid.held]
    assert undated == list(range(len(claims) - len(undated), len(claims)))
    mine = store.timeline("xai")
    assert mine and all("xai" in {c.subject.id, c.object.id} for c in mine)


def test_sources(store: GraphStore, seeds: SeedSet) -> None:
    sources = store.sources()
    assert [s.source for s in sources] == sorted(seeds.sources, key=lambda s: s.id)
    for expected in seeds.sources:
        view = store.source(expected.id)
        cited = [c for c in seeds.claims if any(e.source == expected.id for e in c.evidence)]
        assert view.claims == len(cited)
        assert view.evidence == sum(1 for c in cited for e in c.evidence if e.source == expected.id)
        assert view.source == expected


def test_source_texts_are_kept_by_the_store(store: GraphStore, seeds: SeedSet) -> None:
    """The store serves each source's captured text itself (the API reads no seed files), and
    every evidence quote is its text at the quote's offsets."""
    assert store.snapshot().texts == seeds.texts
    for source in seeds.sources:
        on_disk = (SEEDS / source.path).read_text(encoding="utf-8").removeprefix("\ufeff")
        assert store.source_text(source.id) == on_disk
    texts = {s.id: store.source_text(s.id) for s in seeds.sources}
    for claim in seeds.claims:
        for ev in claim.evidence:
            assert texts[ev.source][ev.start : ev.end] == ev.quote
    with pytest.raises(NotFoundError) as caught:
        store.source_text("no-such-source")
    assert (caught.value.what, caught.value.parameter) == ("source", "source_id")


def test_a_store_built_without_texts_says_so(seeds: SeedSet) -> None:
    store = MemoryStore(seeds.model_copy(update={"texts": {}}))
    source = seeds.sources[0].id
    assert store.source(source).source == seeds.sources[0]
    with pytest.raises(NotFoundError) as caught:
        store.source_text(source)
    assert caught.value.what == "source text"


def test_search_keys_normalise_once() -> None:
    assert normalize("Ｄａｒｉｏ  Amodei") == normalize("dario-amodei") == "darioamodei"
    assert normalize("达里奥・阿莫迪") == normalize("达里奥·阿莫迪") == "达里奥阿莫迪"
    assert normalize("達里奧·阿莫迪") == "达里奥阿莫迪"


# --- many sources: corroboration and conflicts ------------------------------------------------------


def test_every_claim_carries_its_corroboration(store: GraphStore, seeds: SeedSet) -> None:
    sources = {s.id: s for s in seeds.sources}
    views = store.claims(limit=1000)
    assert len(views) == len(seeds.claims)
    for view in views:
        expected = corroboration((ev.source for ev in view.evidence), sources)
        assert (view.sources, view.independent, view.outlets) == (
            expected.sources,
            expected.independent,
            expected.outlets,
        )
    several = store.claims(ClaimFilter(min_sources=2), limit=1000)
    single = store.claims(ClaimFilter(max_sources=1), limit=1000)
    assert several and single, "the seeds hold claims resting on one source and on several"
    assert {c.id for c in several} == {v.id for v in views if v.sources >= 2}
    assert {c.id for c in single} == {v.id for v in views if v.sources == 1}


def test_outlet_filter(store: GraphStore, seeds: SeedSet) -> None:
    outlet = max({s.outlet for s in seeds.sources}, key=lambda o: sum(s.outlet == o for s in seeds.sources))
    found = store.claims(ClaimFilter(outlet=outlet), limit=1000)
    assert found and all(outlet in c.outlets for c in found)
    with pytest.raises(NotFoundError) as caught:
        store.claims(ClaimFilter(outlet="no-such-outlet"))
    assert caught.value.parameter == "outlet"


def test_conflicts_are_derived_from_the_seeds(store: GraphStore, seeds: SeedSet) -> None:
    sources = {s.id: s for s in seeds.sources}
    vocab = store.vocabulary
    expected = sorted(
        (
            conflict
            for claim in seeds.claims
            for conflict in claim_conflicts(
                claim.id, claim.evidence, sources, lasting=vocab.predicates[claim.predicate].lasting
            )
        ),
        key=lambda c: c.id,
    )
    assert expected, "the seeds' sources disagree somewhere"
    assert store.conflicts(limit=1000) == expected
    for conflict in expected:
        assert all(p.sources and p.outlets and p.evidence for p in conflict.positions)
        assert store.claim_detail(conflict.claim).conflicts == [
            c for c in expected if c.claim == conflict.claim
        ]
        assert conflict in store.conflicts(kind=conflict.kind, limit=1000)
        claim = store.claim(conflict.claim)
        assert conflict in store.conflicts(entity=claim.subject.id, limit=1000)
        assert conflict in store.conflicts(source=conflict.positions[0].sources[0], limit=1000)
    assert store.conflicts(limit=1, after=expected[0].id) == expected[1:2]


def _latest_report(claim: ValidatedClaim, statuses: set[str], seeds: SeedSet) -> date | None:
    published = {s.id: s.published_bounds() for s in seeds.sources}
    days = [b[1] for e in claim.evidence if e.status in statuses and (b := published[e.source]) is not None]
    return max(days, default=None)


def test_a_thing_expected_then_done_is_one_claim(store: GraphStore, seeds: SeedSet) -> None:
    """A claim that earlier sources expected and a later source reports done: one claim, its
    evidence showing both statuses and dates, summarised as happened on the reported date."""
    changed = []
    for claim in seeds.claims:
        pending = _latest_report(claim, {"planned", "expected", "not_yet"}, seeds)
        done = _latest_report(claim, {"happened"}, seeds)
        if pending is not None and done is not None and done > pending:
            changed.append(claim)
    assert changed, "the seeds hold an event first expected, then reported done by a later source"
    for claim in changed:
        view = store.claim(claim.id)
        assert view.status == "happened", claim.id
        dated = {e.date.value for e in view.evidence if e.status == "happened" and e.date is not None}
        assert not dated or view.date.value in dated, claim.id


def test_figures_from_several_outlets_are_one_claim(store: GraphStore, seeds: SeedSet) -> None:
    outlet_of = {s.id: s.outlet for s in seeds.sources}
    found = False
    for claim in seeds.claims:
        by_key: dict[str, set[str]] = {}
        for ev in claim.evidence:
            for key in ev.values:
                if ev.values[key].type == "count":
                    by_key.setdefault(key, set()).add(outlet_of[ev.source])
        for key, outlets in by_key.items():
            if len(outlets) > 1:
                found = True
                view = store.claim(claim.id)
                given = {(e.source, e.values[key]) for e in view.evidence if key in e.values}
                assert len({outlet_of[s] for s, _ in given}) == len(outlets)
    assert found, "a count is given by several outlets for one claim"


# --- time: as_of, known_by, histories and switches ---------------------------------------------------

# The days the issue asks about: before and after the February dispute went public.
BEFORE, AFTER = date(2026, 2, 20), date(2026, 3, 1)


def _stance_claims(seeds: SeedSet, entity: str, sign: int) -> list[ValidatedClaim]:
    symmetric = {p.id for p in load_vocabulary().predicates.values() if p.symmetric}
    return [
        c
        for c in seeds.claims
        if c.polarity == sign and (c.object == entity or (c.predicate in symmetric and c.subject == entity))
    ]


@pytest.mark.parametrize("day", [BEFORE, AFTER])
def test_supporters_as_of_a_day_are_the_claims_that_held_then(
    store: GraphStore, seeds: SeedSet, day: date
) -> None:
    expected = {c.id: holds(c.valid, day) for c in _stance_claims(seeds, "anthropic", 1)}
    got = {
        c.id: c.time.as_of if c.time else None
        for s in store.supporters("anthropic", window=TimeWindow(as_of=day))
        for c in s.claims
    }
    assert got == {ident: match for ident, match in expected.items() if match is not None}


def test_supporters_before_and_after_differ_as_the_sources_say(store: GraphStore, seeds: SeedSet) -> None:
    before, after = (
        {s.entity.id for s in store.supporters("anthropic", window=TimeWindow(as_of=day))}
        for day in (BEFORE, AFTER)
    )
    assert before < after, "support for Anthropic grew once the dispute was public"


def test_known_by_cites_only_sources_published_by_then(store: GraphStore, seeds: SeedSet) -> None:
    day = date(2026, 2, 28)
    published = {s.id: s.published for s in seeds.sources}
    stances = store.supporters("anthropic", window=TimeWindow(known_by=day))
    cited = {ev.source for s in stances for c in s.claims for ev in c.evidence}
    assert cited, "some support was reported by then"
    assert all(published_by(published[source], day) is not None for source in cited)
    later = {ev.source for s in store.supporters("anthropic") for c in s.claims for ev in c.evidence} - cited
    assert later and all(published_by(published[source], day) is None for source in later)
    for claim in (c for s in stances for c in s.claims):
        assert claim.sources == len({ev.source for ev in claim.evidence}), "counted as known then"


def test_google_switched_on_any_lawful_use(store: GraphStore) -> None:
    found = [s for s in store.switches() if s.entity.id == "google"]
    assert [s.toward.id for s in found] == ["any-lawful-use"]
    (turn,) = found
    assert {c.polarity for c in turn.before.claims} == {-1} and {c.polarity for c in turn.after.claims} == {1}
    assert turn.before.end == turn.after.start == turn.date
    assert store.switches(entity="google") == found
    assert store.switches(entity="google", since=date(2026, 5, 1)) == []
    steps = store.history("google", "any lawful use").steps
    assert [s.polarity for s in steps] == [-1, 1]
    assert steps[0].end == steps[1].start and steps[1].end is None


def test_a_reversed_stance_no_longer_holds(store: GraphStore) -> None:
    (turn,) = [s for s in store.switches() if s.entity.id == "google"]
    before_id = turn.before.claims[0].id
    after = span(turn.date)[1] + timedelta(days=1)
    ids = {c.id for c in store.between("google", "any-lawful-use", window=TimeWindow(as_of=after))}
    assert before_id not in ids and {c.id for c in turn.after.claims} <= ids
    unknown_yet = TimeWindow(as_of=after, known_by=span(turn.date)[0] - timedelta(days=1))
    ids = {c.id for c in store.between("google", "any-lawful-use", window=unknown_yet)}
    assert ids == {before_id}, "before the deal was reported, the February stance still stood"


def test_known_by_counts_the_sources_known_then(store: GraphStore, seeds: SeedSet) -> None:
    day = date(2026, 2, 28)
    published = {s.id: s.published for s in seeds.sources}

    def known(claim: ValidatedClaim) -> set[str]:
        return {ev.source for ev in claim.evidence if published_by(published[ev.source], day)}

    # Claims resting on one source then, however many report them now.
    expected = sorted(c.id for c in seeds.claims if len(known(c)) == 1)
    assert any(len({ev.source for ev in c.evidence}) > 1 for c in seeds.claims if c.id in expected)
    flt = ClaimFilter(max_sources=1, known_by=day)
    got = [c.id for c in store.claims(flt, limit=1000)]
    assert got == expected
    paged, after = [], None
    while page := store.claims(flt, limit=7, after=after):
        paged += [c.id for c in page]
        after = page[-1].id
    assert paged == expected, "pages short of what the store ruled out are filled"
