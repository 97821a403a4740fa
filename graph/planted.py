"""Planted-partition signed graphs: two known camps, a known share of ties flipped.

`planted(nodes=..., edges=..., flip=..., seed=...)` draws `edges` distinct random pairs of
`nodes` nodes split into two camps; a tie is positive inside a camp and negative across, then
exactly round(flip * edges) ties chosen at random have their sign flipped. The flipped ties are
the planted partition's frustration, an upper bound on the optimum that a good method should
meet (the optimum can be a little lower: a node most of whose ties were flipped is better off
in the other camp). Arrays come first (`planted_arrays`) so a million edges stay cheap; `planted`
wraps them in the networkx graph graph.coalitions takes.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class PlantedArrays:
    camp: NDArray[np.int8]  # node i's planted camp, 0 or 1
    u: NDArray[np.int64]  # edge k joins u[k] < v[k]
    v: NDArray[np.int64]
    sign: NDArray[np.int8]
    weight: NDArray[np.float64]
    flipped: NDArray[np.bool_]  # edge k's sign disagrees with the camps

    @property
    def frustration(self) -> float:
        """The planted camps' weighted frustration (the flipped ties' weight)."""
        return float(self.weight[self.flipped].sum())


def planted_arrays(
    *, nodes: int, edges: int, flip: float, seed: int = 0, share: float = 0.5, weighted: bool = False
) -> PlantedArrays:
    """`edges` distinct pairs among `nodes` nodes; camp 0 holds about `share` of the nodes;
    weights are 1, or with `weighted` uniform in [0.5, 2)."""
    if nodes < 2 or not 0 < edges <= nodes * (nodes - 1) // 2:
        raise ValueError(f"planted: edges={edges} must be between 1 and nodes*(nodes-1)/2 for nodes={nodes}")
    if not 0.0 <= flip <= 1.0 or not 0.0 < share < 1.0:
        raise ValueError(f"planted: flip={flip} must be in [0, 1] and share={share} in (0, 1)")
    rng = np.random.default_rng(seed)
    camp = (rng.random(nodes) >= share).astype(np.int8)
    keys = np.empty(0, dtype=np.int64)
    # Draw pairs in rounds until `edges` distinct ones are in hand (duplicates and loops dropped).
    while keys.size < edges:
        need = int((edges - keys.size) * 1.1) + 16
        a = rng.integers(0, nodes, need, dtype=np.int64)
        b = rng.integers(0, nodes, need, dtype=np.int64)
        keep = a != b
        lo, hi = np.minimum(a, b)[keep], np.maximum(a, b)[keep]
        keys = np.unique(np.concatenate([keys, lo * nodes + hi]))
    keys = rng.permutation(keys)[:edges]
    u, v = keys // nodes, keys % nodes
    sign = np.where(camp[u] == camp[v], 1, -1).astype(np.int8)
    flipped = np.zeros(edges, dtype=np.bool_)
    flipped[rng.choice(edges, size=round(flip * edges), replace=False)] = True
    sign[flipped] *= -1
    weight = rng.uniform(0.5, 2.0, edges) if weighted else np.ones(edges)
    return PlantedArrays(camp=camp, u=u, v=v, sign=sign, weight=weight, flipped=flipped)


def to_graph(arrays: PlantedArrays) -> nx.Graph:
    """The networkx graph of integer nodes 0..n-1, every edge with its `sign` and `weight`."""
    graph = nx.Graph()
    graph.add_nodes_from(range(arrays.camp.size))
    graph.add_edges_from(
        (int(a), int(b), {"sign": int(s), "weight": float(w)})
        for a, b, s, w in zip(arrays.u, arrays.v, arrays.sign, arrays.weight, strict=True)
    )
    return graph


def planted(
    *, nodes: int, edges: int, flip: float, seed: int = 0, share: float = 0.5, weighted: bool = False
) -> tuple[nx.Graph, PlantedArrays]:
    """The graph and the arrays it was built from (the planted camps and flipped ties)."""
    arrays = planted_arrays(nodes=nodes, edges=edges, flip=flip, seed=seed, share=share, weighted=weighted)
    return to_graph(arrays), arrays
