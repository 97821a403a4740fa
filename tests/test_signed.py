"""The signed actor graph's rule (graph/signed.py), on small graphs made from a seed claim."""

from __future__ import annotations

import pytest

from stancegraph.graph.results import ClaimView, EntityRef
from stancegraph.graph.signed import signed_actor_graph
from stancegraph.graph.store import GraphStore
from stancegraph.schema.errors import InvalidParameterError
from stancegraph.schema.vocabulary import Vocabulary


def ref(ident: str, kind: str = "company") -> EntityRef:
    return EntityRef(id=ident, kind=kind, name_en=ident.title(), name_zh=None)


@pytest.fixture(scope="module")
def base(memory_store: GraphStore) -> ClaimView:
    return memory_store.claims(limit=1)[0]


@pytest.fixture(scope="module")
def vocabulary(memory_store: GraphStore) -> Vocabulary:
    return memory_store.vocabulary


def claim(
    base: ClaimView,
    ident: str,
    a: EntityRef,
    b: EntityRef,
    polarity: int,
    *sources: str,
    predicate: str = "supports",
) -> ClaimView:
    """A claim from a to b with one quote per source named (a source named twice: two quotes)."""
    evidence = [
        base.evidence[0].model_copy(update={"id": f"{ident}-{i}", "source": s}) for i, s in enumerate(sources)
    ]
    return base.model_copy(
        update={
            "id": ident,
            "subject": a,
            "object": b,
            "polarity": polarity,
            "predicate": predicate,
            "evidence": evidence,
        }
    )


def test_weight_counts_independent_origins_not_quotes(base: ClaimView, vocabulary: Vocabulary) -> None:
    a, b = ref("a"), ref("b")
    claims = [
        claim(base, "c1", a, b, 1, "s1", "s1", "s2"),
        claim(base, "c2", b, a, 1, "s2", "s3"),  # s2 again, from the other direction: counted once
        claim(base, "c3", b, a, -1, "s4"),
    ]
    graph, ties = signed_actor_graph(claims, vocabulary)
    assert dict(graph.edges["a", "b"]) == {"sign": 1, "weight": 2, "claims": ("c1", "c2", "c3")}
    (tie,) = ties
    assert (tie.positive, tie.negative) == (("c1", "c2"), ("c3",))
    # Rewrites of s1 add nothing: one origin for, one against.
    graph, ties = signed_actor_graph(claims, vocabulary, origins={"s2": "s1", "s3": "s1"})
    assert not graph.has_edge("a", "b") and ties[0].contradictory


def test_claims_that_cancel_make_no_edge_and_are_listed(base: ClaimView, vocabulary: Vocabulary) -> None:
    a, b = ref("a"), ref("b")
    claims = [claim(base, "c1", a, b, 1, "s1"), claim(base, "c2", a, b, -1, "s2")]
    graph, ties = signed_actor_graph(claims, vocabulary)
    assert not graph.has_edge("a", "b") and set(graph.nodes) == {"a", "b"}
    (tie,) = ties
    assert tie.contradictory and tie.claims == ("c1", "c2") and tie.weight == 0


def test_only_signed_claims_between_actors_of_the_kinds_asked(
    base: ClaimView, vocabulary: Vocabulary
) -> None:
    a, b, person, issue = ref("a"), ref("b"), ref("p", "person"), ref("t", "topic")
    claims = [
        claim(base, "neutral", a, b, 0, "s1", predicate="contracts_with"),
        claim(base, "issue", a, issue, -1, "s1", predicate="opposes"),
        claim(base, "person", person, b, -1, "s2", predicate="opposes"),
    ]
    graph, ties = signed_actor_graph(claims, vocabulary)
    assert set(graph.nodes) == {"a", "b", "p"} and list(graph.edges) == [("b", "p")]
    assert graph.nodes["a"]["ref"] == a and [t.claims for t in ties] == [("person",)]
    graph, _ = signed_actor_graph(claims, vocabulary, kinds=["company"])
    assert set(graph.nodes) == {"a", "b"} and not graph.edges
    with pytest.raises(InvalidParameterError, match="'topic' is not an actor kind") as caught:
        signed_actor_graph(claims, vocabulary, kinds=["topic"])
    assert caught.value.parameter == "kind"


def test_third_party_stances_lean_at_half_weight(base: ClaimView, vocabulary: Vocabulary) -> None:
    a, b, c, issue = ref("a"), ref("b"), ref("c"), ref("t", "topic")
    claims = [
        claim(base, "a-t", a, issue, -1, "s1", predicate="opposes"),
        claim(base, "b-t", b, issue, -1, "s2", predicate="opposes"),
        claim(base, "c-t", c, issue, 1, "s3"),
    ]
    graph, _ = signed_actor_graph(claims, vocabulary)
    assert not graph.edges
    graph, ties = signed_actor_graph(claims, vocabulary, third_party=True)
    signs = {(u, v): (d["sign"], d["weight"]) for u, v, d in graph.edges(data=True)}
    assert signs == {("a", "b"): (1, 0.5), ("a", "c"): (-1, 0.5), ("b", "c"): (-1, 0.5)}
    by_pair = {(t.a, t.b): t for t in ties}
    assert by_pair["a", "b"].via == ("t",) and by_pair["a", "b"].positive == ("a-t", "b-t")
