"""TEMPORARY, until graph/coalitions.py lands: an exact two-camp split for small signed graphs,
with graph.coalitions' interface, so the coalition service, API and CLI can be tested first.

Exact by peeling: an actor with one tie can always sit where that tie is satisfied, so leaves
are peeled off, the rest (the 2-core) is split by brute force, and the leaves are put back.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

MAX_CORE = 20


@dataclass(frozen=True)
class FakePartition:
    camps: tuple[frozenset[Any], frozenset[Any]]
    unaligned: frozenset[Any]
    frustration: float
    lower_bound: float
    optimal: bool
    method: str
    seconds: float
    frustrated: tuple[tuple[Any, Any], ...]
    edges: int
    total_weight: float


def brute_force_camps(
    graph: nx.Graph, *, method: str = "exact", time_limit: float = 10.0, seed: int = 0
) -> FakePartition:
    started = time.perf_counter()
    unaligned = frozenset(n for n in graph.nodes if graph.degree(n) == 0)
    core = nx.Graph(graph.subgraph(n for n in graph.nodes if n not in unaligned))
    peeled: list[tuple[Any, Any]] = []  # (leaf, its neighbour), in peeling order
    leaves = [n for n in core.nodes if core.degree(n) == 1]
    while leaves:
        leaf = leaves.pop()
        if core.degree(leaf) != 1:
            continue
        (neighbour,) = core.neighbors(leaf)
        peeled.append((leaf, neighbour))
        core.remove_node(leaf)
        if core.degree(neighbour) == 1:
            leaves.append(neighbour)
    nodes = sorted(n for n in core.nodes if core.degree(n) > 0)
    if len(nodes) > MAX_CORE:
        raise ValueError(f"the fake solver splits cores of at most {MAX_CORE} nodes, not {len(nodes)}")
    index = {n: i for i, n in enumerate(nodes)}
    # Every assignment at once (the first node in camp 0): one row per split, one column per node.
    count = max(0, len(nodes) - 1)
    rows = (np.arange(2**count)[:, None] >> np.arange(count)[None, :]) & 1
    side = np.hstack([np.zeros((2**count, 1), dtype=np.int64), rows])
    cost = np.zeros(2**count)
    for u, v, data in core.edges(data=True):
        same = side[:, index[u]] == side[:, index[v]]
        cost += np.where(same != (data["sign"] > 0), float(data["weight"]), 0.0)
    chosen = side[int(np.argmin(cost))] if nodes else []
    best: dict[Any, int] = {n: int(chosen[index[n]]) for n in nodes}
    for rest in core.nodes:  # what peeling left without ties: the root of a tree
        best.setdefault(rest, 0)
    for leaf, neighbour in reversed(peeled):
        sign = graph.edges[leaf, neighbour]["sign"]
        best[leaf] = best[neighbour] if sign > 0 else 1 - best[neighbour]
    if best and best[min(best)] == 1:
        best = {n: 1 - s for n, s in best.items()}
    frustrated = tuple(sorted(tuple(sorted((u, v))) for u, v in graph.edges if _cost(graph, u, v, best) > 0))
    frustration = float(sum(graph.edges[u, v]["weight"] for u, v in frustrated))
    return FakePartition(
        camps=(
            frozenset(n for n, s in best.items() if s == 0),
            frozenset(n for n, s in best.items() if s == 1),
        ),
        unaligned=unaligned,
        frustration=frustration,
        lower_bound=frustration,
        optimal=True,
        method=method,
        seconds=time.perf_counter() - started,
        frustrated=frustrated,
        edges=graph.number_of_edges(),
        total_weight=float(sum(w for _, _, w in graph.edges(data="weight"))),
    )


def _cost(graph: nx.Graph, u: Any, v: Any, side: dict[Any, int]) -> float:
    data = graph.edges[u, v]
    same = side[u] == side[v]
    return float(data["weight"]) if same != (data["sign"] > 0) else 0.0
