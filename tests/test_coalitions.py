"""graph.coalitions against brute force, and the planted-partition generator."""

from __future__ import annotations

import itertools
import random
import time
from typing import Any

import networkx as nx
import numpy as np
import pytest
from numpy.typing import NDArray

from bench.coalitions import adjusted_rand
from stancegraph.graph.coalitions import (
    Model,
    Partition,
    SignedArrays,
    _solve_block,
    exact_camps,
    frustration_camps,
    signed_arrays,
)
from stancegraph.graph.planted import planted, planted_arrays


def brute_force(G: nx.Graph) -> float:
    """The least weighted frustration over all 2^(n-1) splits (the first node fixed)."""
    nodes = sorted(G.nodes)
    best = float("inf")
    for bits in itertools.product((0, 1), repeat=len(nodes) - 1):
        camp = dict(zip(nodes, (0, *bits), strict=True))
        cost = sum(d["weight"] for a, b, d in G.edges(data=True) if (camp[a] == camp[b]) != (d["sign"] > 0))
        best = min(best, cost)
    return best


def random_signed(rng: random.Random, nodes: int, density: float, *, positive: float = 0.5) -> nx.Graph:
    """A random signed graph on nodes 0..nodes-1 with float weights (some nodes may be isolated)."""
    G = nx.Graph()
    G.add_nodes_from(range(nodes))
    for a, b in itertools.combinations(range(nodes), 2):
        if rng.random() < density:
            sign = 1 if rng.random() < positive else -1
            G.add_edge(a, b, sign=sign, weight=rng.choice([1.0, 1.0, 2.0, rng.uniform(0.1, 3.0)]))
    return G


def check(G: nx.Graph, p: Partition) -> None:
    """What every answer must satisfy, whatever the method."""
    camp = {node: 0 for node in p.camps[0]} | {node: 1 for node in p.camps[1]}
    assert p.unaligned == {node for node in G if G.degree(node) == 0}
    assert not p.camps[0] & p.camps[1] and set(camp) | p.unaligned == set(G)
    frustrated = sorted(
        (min(a, b), max(a, b)) for a, b, d in G.edges(data=True) if (camp[a] == camp[b]) != (d["sign"] > 0)
    )
    assert list(p.frustrated) == frustrated
    assert p.frustration == pytest.approx(sum(G.edges[e]["weight"] for e in frustrated))
    assert p.lower_bound <= p.frustration + 1e-9
    assert p.edges == G.number_of_edges()
    assert p.total_weight == pytest.approx(sum(d["weight"] for _, _, d in G.edges(data=True)))
    for component in nx.connected_components(G):
        if len(component) > 1:
            assert min(component) in p.camps[0], component


CASES = [(seed, nodes, density) for seed in range(40) for nodes, density in ((5, 0.6), (8, 0.4), (10, 0.5))]


@pytest.mark.parametrize(("seed", "nodes", "density"), CASES)
def test_exact_is_the_brute_force_optimum_and_fast_is_bracketed(
    seed: int, nodes: int, density: float
) -> None:
    G = random_signed(random.Random(seed), nodes, density)
    if G.number_of_edges() == 0:
        G.add_edge(0, 1, sign=-1, weight=1.0)
    best = brute_force(G)
    exact = frustration_camps(G, method="exact")
    check(G, exact)
    assert exact.optimal and exact.method == "exact"
    assert exact.frustration == pytest.approx(best)
    assert exact.lower_bound == pytest.approx(best)
    fast = frustration_camps(G, method="fast", seed=seed)
    check(G, fast)
    assert fast.frustration >= best - 1e-9
    assert fast.lower_bound <= best + 1e-9


def disjoint(*graphs: nx.Graph) -> nx.Graph:
    return nx.disjoint_union_all(graphs)


@pytest.mark.parametrize("seed", range(10))
def test_disconnected_graphs_with_bridges_and_isolated_nodes(seed: int) -> None:
    rng = random.Random(100 + seed)
    G = disjoint(random_signed(rng, 5, 0.8), random_signed(rng, 4, 0.9), nx.empty_graph(2))
    # A pendant chain and a bridge between the two dense parts: never frustrated at the optimum.
    G.add_edge(0, 5, sign=rng.choice([1, -1]), weight=5.0)
    G.add_edge(4, 11, sign=-1, weight=0.5)
    G.add_edge(11, 12, sign=1, weight=0.5)
    p = frustration_camps(G)
    check(G, p)
    assert p.optimal
    assert p.frustration == pytest.approx(brute_force(G))
    assert {(0, 5), (4, 11), (11, 12)}.isdisjoint(p.frustrated)
    assert {9, 10} <= p.unaligned


def test_all_positive_is_one_camp_and_all_negative_triangles_are_frustrated() -> None:
    friends = nx.complete_graph(6)
    nx.set_edge_attributes(friends, 1, "sign")
    nx.set_edge_attributes(friends, 1.0, "weight")
    p = frustration_camps(friends)
    assert p.camps == (frozenset(range(6)), frozenset()) and p.frustration == 0 and p.balance == 1.0
    enemies = nx.complete_graph(5)
    nx.set_edge_attributes(enemies, -1, "sign")
    nx.set_edge_attributes(enemies, 1.0, "weight")
    for method in ("exact", "fast"):
        q = frustration_camps(enemies, method=method)
        check(enemies, q)
        # Two camps of 2 and 3 leave one enemy pair in the first and three in the second.
        assert q.frustration >= brute_force(enemies) == 4
    assert frustration_camps(enemies).optimal
    assert frustration_camps(enemies).balance == pytest.approx(1 - 4 / 10)


def test_string_nodes_and_a_graph_with_no_ties() -> None:
    G = nx.Graph()
    G.add_edge("dow", "anthropic", sign=-1, weight=2.0)
    G.add_edge("google", "anthropic", sign=1, weight=1.0)
    G.add_edge("google", "dow", sign=1, weight=1.0)
    G.add_node("nobody")
    p = frustration_camps(G)
    assert p.camps == (frozenset({"anthropic"}), frozenset({"dow", "google"})) or p.camps == (
        frozenset({"anthropic", "google"}),
        frozenset({"dow"}),
    )
    assert p.frustration == 1.0 and p.unaligned == {"nobody"} and p.balance == pytest.approx(0.75)
    empty = frustration_camps(nx.empty_graph(3))
    assert empty.camps == (frozenset(), frozenset()) and empty.unaligned == {0, 1, 2}
    assert empty.frustration == 0 and empty.optimal and empty.balance == 1.0
    for method in ("exact", "fast"):
        nothing = frustration_camps(nx.Graph(), method=method)
        assert nothing.camps == (frozenset(), frozenset()) and nothing.edges == 0 and nothing.optimal


@pytest.mark.parametrize("seed", range(3))
def test_fast_finds_the_planted_camps_of_an_easy_graph(seed: int) -> None:
    G, arrays = planted(nodes=150, edges=1500, flip=0.05, seed=seed)
    fast = frustration_camps(G, method="fast", seed=seed)
    exact = frustration_camps(G, method="exact", time_limit=30)
    assert exact.optimal
    assert fast.frustration == pytest.approx(exact.frustration)
    assert exact.frustration <= arrays.frustration
    labels = np.array([0 if node in fast.camps[0] else 1 for node in range(150)])
    assert adjusted_rand(labels, arrays.camp) == 1.0
    assert fast.lower_bound <= exact.frustration + 1e-9


def test_a_short_time_limit_still_answers_with_a_proven_bound() -> None:
    G, _ = planted(nodes=600, edges=1500, flip=0.15, seed=4)
    short = frustration_camps(G, time_limit=0.05)
    check(G, short)
    assert short.optimal or short.lower_bound < short.frustration
    assert short.gap == 0.0 if short.optimal else short.gap > 0.0


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda G: G.add_edge(0, 1, sign=0, weight=1.0), "sign=0"),
        (lambda G: G.add_edge(0, 1, sign=1, weight=-1.0), "weight=-1.0"),
        (lambda G: G.add_edge(0, 1, sign=1), "weight=None"),
        (lambda G: G.add_edge(2, 2, sign=1, weight=1.0), "self-loop on 2"),
    ],
)
def test_bad_edges_are_named(edit: Any, message: str) -> None:
    G = nx.Graph()
    G.add_nodes_from(range(3))
    edit(G)
    with pytest.raises(ValueError, match=message):
        frustration_camps(G)


def test_bad_arguments_are_named() -> None:
    with pytest.raises(ValueError, match="undirected"):
        frustration_camps(nx.DiGraph())
    with pytest.raises(ValueError, match="method='best'"):
        frustration_camps(nx.Graph(), method="best")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="time_limit=0"):
        frustration_camps(nx.Graph(), time_limit=0)


def test_planted_graphs_have_the_planted_frustration() -> None:
    arrays = planted_arrays(nodes=300, edges=2000, flip=0.1, seed=7, share=0.3, weighted=True)
    assert np.all(arrays.u < arrays.v) and np.unique(arrays.u * 300 + arrays.v).size == 2000
    assert int(arrays.flipped.sum()) == 200
    disagree = (arrays.camp[arrays.u] == arrays.camp[arrays.v]) != (arrays.sign > 0)
    assert np.array_equal(disagree, arrays.flipped)
    assert arrays.frustration == pytest.approx(float(arrays.weight[arrays.flipped].sum()))
    assert 0.2 < float(np.mean(arrays.camp == 0)) < 0.4
    again = planted_arrays(nodes=300, edges=2000, flip=0.1, seed=7, share=0.3, weighted=True)
    assert np.array_equal(again.sign, arrays.sign) and np.array_equal(again.u, arrays.u)
    with pytest.raises(ValueError, match="edges=50"):
        planted_arrays(nodes=10, edges=50, flip=0.1)


def test_adjusted_rand_index() -> None:
    same = np.array([0, 0, 1, 1, 2, 2])
    assert adjusted_rand(same, same[::-1]) == 1.0
    # By hand: 2 pairs together in both, 1.2 expected by chance, at most 4.5.
    assert adjusted_rand(np.array([0, 0, 0, 1, 1, 1]), np.array([0, 0, 1, 1, 2, 2])) == pytest.approx(
        0.24242424
    )


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize(("model", "cuts"), [("xor", True), ("xor", False), ("and", True), ("and", False)])
def test_each_model_matches_brute_force(seed: int, model: Model, cuts: bool) -> None:
    G = random_signed(random.Random(500 + seed), 9, 0.6)
    if G.number_of_edges() == 0:
        G.add_edge(0, 1, sign=-1, weight=1.0)
    graph = signed_arrays(G)
    # An all-in-one-camp start, and no packing: the solver (and the cut rounds) must do the work.
    start = np.zeros(graph.n, dtype=np.int8)
    camp, bound, optimal = exact_camps(
        graph, start, deadline=time.perf_counter() + 30, model=model, cuts=cuts
    )
    best = brute_force(G)
    assert optimal
    assert float(graph.weight[graph.frustrated(camp)].sum()) == pytest.approx(best)
    assert bound == pytest.approx(best, abs=1e-6)
    members = np.flatnonzero(np.bincount(np.r_[graph.u, graph.v], minlength=graph.n))
    block = SignedArrays(members.tolist(), *_relabel(graph, members))
    solved, low, proven = _solve_block(block, np.zeros(members.size, dtype=np.int8), [], 30.0, model, cuts)
    assert proven and low == pytest.approx(best, abs=1e-6)
    assert float(block.weight[block.frustrated(solved)].sum()) == pytest.approx(best)


def _relabel(graph: SignedArrays, members: NDArray[np.int64]) -> tuple[Any, Any, Any, Any]:
    local = np.full(graph.n, -1, dtype=np.int64)
    local[members] = np.arange(members.size)
    return local[graph.u], local[graph.v], graph.sign, graph.weight


def test_the_first_bad_edge_is_named_among_good_ones() -> None:
    G, _ = planted(nodes=30, edges=100, flip=0.1, seed=0)
    G.add_edge(28, 29, sign=-1, weight="heavy")
    with pytest.raises(ValueError, match=r"edge \(28, 29\) has weight='heavy'"):
        frustration_camps(G)
