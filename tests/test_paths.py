"""The embedded store's shortest-path search against networkx's, on many random graphs."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from stancegraph.graph.memory import _first_shortest


@pytest.mark.parametrize("seed", range(60))
def test_first_shortest_equals_networkx(seed: int) -> None:
    rng = random.Random(seed)
    nodes = [f"n{i:02d}" for i in range(rng.randint(2, 40))]
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for _ in range(rng.randint(0, 3 * len(nodes))):
        graph.add_edge(*rng.sample(nodes, 2))
    # A hub, as in real coverage: many nodes touch one company or agency.
    for node in rng.sample(nodes, len(nodes) // 3):
        if node != nodes[0]:
            graph.add_edge(nodes[0], node)

    def neighbours(node: str) -> set[str]:
        return set(graph.neighbors(node))

    for _ in range(10):
        a, b = rng.sample(nodes, 2)
        max_hops, limit = rng.randint(1, 6), rng.randint(1, 12)
        try:
            every = sorted(tuple(p) for p in nx.all_shortest_paths(graph, a, b))
        except nx.NetworkXNoPath:
            every = []
        expected = [p for p in every if len(p) - 1 <= max_hops][:limit]
        assert _first_shortest(neighbours, a, b, max_hops, limit) == expected, (a, b, max_hops, limit)
