"""Wherever an entity is named, an id, name or alias resolves it, on every store.

The names are read from the seeds: for each end, a name (Chinese, English or alias) that no
other entity shares and that is not an id, so resolving it has one right answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stancegraph.api.app import create_app
from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.results import ClaimFilter, SourceCounts
from stancegraph.graph.search import normalize
from stancegraph.graph.store import GraphStore
from stancegraph.schema.errors import AmbiguousNameError, NotFoundError
from stancegraph.schema.models import Entity, SeedSet


def _unique_names(seeds: SeedSet) -> dict[str, list[str]]:
    """Entity id -> its names that name it alone (and are no entity's id as written)."""
    owners: Counter[str] = Counter()
    for entity in seeds.entities:
        owners.update({normalize(name) for name in entity.all_names()})
    ids = {e.id for e in seeds.entities}
    return {
        entity.id: [name for name in entity.all_names() if owners[normalize(name)] == 1 and name not in ids]
        for entity in seeds.entities
    }


def _han(name: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in name)


def _named(seeds: SeedSet, han: bool) -> dict[str, str]:
    """Entity id -> a name of it in Chinese (or Latin) script, for the entities that have one."""
    out: dict[str, str] = {}
    for entity_id, names in _unique_names(seeds).items():
        chosen = [n for n in names if _han(n) == han]
        if chosen:
            out[entity_id] = chosen[0]
    return out


def _ends(seeds: SeedSet, han: bool) -> tuple[str, str, str]:
    """The entity at most claim ends among those named in the script, and a claim's two ends."""
    named = _named(seeds, han)
    claims = [c for c in seeds.claims if c.subject in named and c.object in named]
    assert claims, "no claim of the seeds has both ends named in this script"
    ends = Counter(end for c in claims for end in (c.subject, c.object))
    centre = min(ends, key=lambda e: (-ends[e], e))
    first = min(claims, key=lambda c: c.id)
    return centre, first.subject, first.object


@pytest.mark.parametrize("han", [True, False], ids=["chinese", "latin"])
def test_every_lookup_takes_a_name(store: GraphStore, seeds: SeedSet, han: bool) -> None:
    centre, a, b = _ends(seeds, han)
    named = _named(seeds, han)
    name, a_name, b_name = named[centre], named[a], named[b]
    same: list[Callable[[str, str], Any]] = [
        lambda x, _: store.entity(x),
        lambda x, _: store.supporters(x),
        lambda x, _: store.opponents(x),
        lambda x, _: store.neighborhood(x, depth=1),
        lambda x, _: store.timeline(x),
        lambda x, _: store.claims(ClaimFilter(subject=x)),
        lambda x, _: store.claims(ClaimFilter(entity=x)),
        lambda x, _: store.claims(ClaimFilter(object=x)),
        lambda x, _: store.conflicts(entity=x),
    ]
    for ask in same:
        assert ask(name, "") == ask(centre, "")
    assert store.resolve(name) == centre
    assert store.between(a_name, b_name) == store.between(a, b)
    assert store.paths(a_name, b_name) == store.paths(a, b)
    assert store.paths(a, b_name) == store.paths(a, b)


def test_an_outlet_is_named_too(store: GraphStore, seeds: SeedSet) -> None:
    outlets = Counter(s.outlet for s in seeds.sources if s.outlet is not None)
    names = _unique_names(seeds)
    outlet = next((o for o, _ in outlets.most_common() if names.get(o)), None)
    assert outlet is not None, "no outlet of the seeds has a name of its own"
    by_name = store.claims(ClaimFilter(outlet=names[outlet][0]))
    assert by_name == store.claims(ClaimFilter(outlet=outlet))
    assert by_name, f"the seeds cite {outlet} but no claim has it as outlet"
    centre = by_name[0].object.id
    counts_by_name = SourceCounts(outlet=names[outlet][0])
    assert store.supporters(centre, counts_by_name) == store.supporters(centre, SourceCounts(outlet=outlet))


def test_an_unknown_name_suggests_the_closest(store: GraphStore, seeds: SeedSet) -> None:
    centre, _, _ = _ends(seeds, han=False)
    name = max(_unique_names(seeds)[centre], key=len)
    typo = name[:2] + name[3:]  # one letter dropped: within search's fuzzy or substring reach
    with pytest.raises(NotFoundError) as caught:
        store.supporters(typo)
    assert caught.value.parameter == "id"
    assert centre in {c.id for c in caught.value.candidates}
    assert "did you mean" in str(caught.value) and centre in str(caught.value)
    with pytest.raises(NotFoundError) as caught:
        store.paths(centre, "zzzz-nobody-zzzz")
    assert caught.value.parameter == "to" and caught.value.candidates == ()
    assert "did you mean" not in str(caught.value)


def test_a_missing_end_is_reported_before_a_bad_argument(store: GraphStore) -> None:
    # Existence first, as by id: an unknown name beats max_hops out of range.
    with pytest.raises(NotFoundError) as caught:
        store.paths("zzzz-nobody-zzzz", "zzzz-nobody-else", max_hops=99)
    assert caught.value.parameter == "from"


def _sharing_a_name(seeds: SeedSet) -> tuple[SeedSet, str, set[str]]:
    """The seeds with one alias given to two entities."""
    first, second = seeds.entities[0], seeds.entities[1]
    shared = "Zzshared Name"

    def named(entity: Entity) -> Entity:
        return entity.model_copy(update={"aliases": [*entity.aliases, shared]})

    entities = [named(e) if e.id in {first.id, second.id} else e for e in seeds.entities]
    return seeds.model_copy(update={"entities": entities}), shared, {first.id, second.id}


def _ambiguous(store: GraphStore, shared: str, owners: set[str]) -> None:
    with pytest.raises(AmbiguousNameError) as caught:
        store.supporters(shared.upper())
    assert caught.value.parameter == "id"
    assert {c.id for c in caught.value.candidates} == owners
    for owner in owners:
        assert owner in str(caught.value)
    with pytest.raises(AmbiguousNameError) as caught:
        store.between(next(iter(owners)), shared)
    assert caught.value.parameter == "b"


def test_a_shared_name_answers_the_candidates_in_memory(seeds: SeedSet) -> None:
    shared_seeds, shared, owners = _sharing_a_name(seeds)
    _ambiguous(MemoryStore(shared_seeds), shared, owners)


@pytest.mark.neo4j
def test_a_shared_name_answers_the_candidates_on_neo4j(seeds: SeedSet, neo4j_scratch: Any) -> None:
    from stancegraph.graph.loader import load
    from stancegraph.graph.neo4j_store import Neo4jStore

    shared_seeds, shared, owners = _sharing_a_name(seeds)
    load(neo4j_scratch, shared_seeds, database="neo4j")
    _ambiguous(Neo4jStore(neo4j_scratch, database="neo4j"), shared, owners)


def test_the_api_takes_names_and_answers_candidates(memory_store: GraphStore, seeds: SeedSet) -> None:
    centre, _, _ = _ends(seeds, han=True)
    name = _named(seeds, han=True)[centre]
    _, a, b = _ends(seeds, han=False)
    client = TestClient(create_app(store=memory_store))
    by_id = client.get(f"/v1/entities/{centre}/supporters")
    by_name = client.get(f"/v1/entities/{name}/supporters")
    assert by_name.status_code == 200 and by_name.json() == by_id.json()
    a_name = _named(seeds, han=False)[a]
    paths = client.get("/v1/paths", params={"from": a_name, "to": b})
    assert paths.status_code == 200
    assert paths.json() == client.get("/v1/paths", params={"from": a, "to": b}).json()
    view = client.get("/view", params={"entity": name})
    assert view.status_code == 200

    typo = name[:-1] if len(name) > 3 else name + "x"
    missing = client.get("/v1/between", params={"a": "zzzz-nobody-zzzz", "b": b})
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["parameter"] == "a"
    near = client.get(f"/v1/entities/{typo}x/opponents")
    assert near.status_code == 404
    assert centre in {c["id"] for c in near.json()["candidates"]}

    shared_seeds, shared, owners = _sharing_a_name(seeds)
    shared_client = TestClient(create_app(store=MemoryStore(shared_seeds)))
    ambiguous = shared_client.get(f"/v1/entities/{shared}/supporters")
    assert ambiguous.status_code == 422
    assert ambiguous.headers["content-type"] == "application/problem+json"
    body = ambiguous.json()
    assert body["parameter"] == "id" and {c["id"] for c in body["candidates"]} == owners
