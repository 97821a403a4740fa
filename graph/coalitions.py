"""Two camps in a signed graph with the least weighted frustration, like networkx's algorithms.

A tie is frustrated when it is positive between the camps or negative inside one; the
frustration index is the least total weight of frustrated ties over all two-camp splits
(structural balance; Aref and Wilson's binary programming models of it). `frustration_camps(G,
method=...)` returns a `Partition`:

- "fast": a signed spectral start (the sign of the leading eigenvector of the signed adjacency
  matrix, per connected component), then local moves (flip any node whose flip lowers the
  frustration) and a few perturbed restarts. Its lower bound is the larger of two: a packing of
  edge-disjoint unbalanced cycles (each holds a frustrated tie under every split) and an
  eigenvalue bound (n·λ_max of the signed adjacency shifted by a tuned zero-trace diagonal).
- "exact": the graph is cut at its bridges (a degree-1 actor's tie is one): a bridge is never
  frustrated at an optimum, since one side can be flipped to satisfy it, so each 2-edge-connected
  block is solved alone and the blocks are flipped along the bridges afterwards. A block starts
  from the fast split; when a packing or the eigenvalue bound already matches its frustration it
  is proven without a solver. Otherwise HiGHS solves the XOR model (binary camp x_i, frustration
  f_e ≥ |x_i − x_j| on a positive tie, ≥ |x_i + x_j − 1| on a negative one; the AND model is kept
  for comparison, `python -m bench coalitions` measures both) with the packing's cycles as rows,
  rounds of separated cycle inequalities on the LP relaxation, the highest-degree node fixed to
  camp 0 and the fast split as its starting solution, within `time_limit` seconds. It reports the
  incumbent and the proven lower bound summed over blocks; `optimal` says whether every gap
  closed. (HiGHS takes no branching priorities, so high-degree nodes are not branched on first.)

The eigenvalue bound on components above `_DENSE` nodes trusts ARPACK's Lanczos iteration to have
found the largest eigenvalue (the residual norm is added to its estimate); smaller ones are exact.
The camps are oriented so that the smallest node (in sorted order) of every connected component
is in camp 0: nothing ties two components together, so any other orientation is as arbitrary,
and this one makes answers deterministic.
"""

from __future__ import annotations

import gc
import itertools
import math
import time
from dataclasses import dataclass
from typing import Any, Literal

import highspy
import networkx as nx
import numpy as np
import scipy.linalg
import scipy.sparse as sp
from highspy._core import _Highs
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, eigsh

Method = Literal["exact", "fast"]
Model = Literal["xor", "and"]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
# A component up to this size gets a dense eigendecomposition; ARPACK is for larger ones.
_DENSE = 400
# Perturbed restarts of the local search, and the share of nodes each one flips at random.
_RESTARTS = 4
_KICK = 0.03
# Ties whose weights differ by less than this are equal (gains, gaps, integral objectives).
_EPS = 1e-9
# Cycle separation: sources searched per Dijkstra call, and the fewest cuts a round stops at.
_CHUNK = 64
_CUTS = 200
# Subgradient steps of the eigenvalue bound's diagonal.
_SPECTRAL_STEPS = 30


@dataclass(frozen=True)
class Partition:
    """Two camps, the actors with no ties, and how far the split is from balance."""

    camps: tuple[frozenset[Any], frozenset[Any]]
    unaligned: frozenset[Any]
    frustration: float  # the total weight of the frustrated ties
    lower_bound: float  # proven: no split has less frustration; == frustration when optimal
    optimal: bool
    method: str
    seconds: float
    frustrated: tuple[tuple[Any, Any], ...]  # each tie (u, v) with u < v, sorted
    edges: int
    total_weight: float

    @property
    def balance(self) -> float:
        """Normalised balance by weight, 1 − frustration / total weight (with unit weights,
        1 − frustrated ties / ties); 1.0 for a graph with no ties."""
        return 1.0 - self.frustration / self.total_weight if self.total_weight > 0 else 1.0

    @property
    def gap(self) -> float:
        """The proven relative gap, (frustration − lower bound) / frustration; 0 when optimal."""
        return 0.0 if self.frustration <= 0 else max(0.0, 1.0 - self.lower_bound / self.frustration)


@dataclass(frozen=True)
class SignedArrays:
    """G as arrays: nodes in sorted order, edge k joins indices u[k] < v[k]."""

    nodes: list[Any]
    u: IntArray
    v: IntArray
    sign: FloatArray
    weight: FloatArray

    @property
    def n(self) -> int:
        return len(self.nodes)

    def adjacency(self) -> sp.csr_matrix:
        """The symmetric signed weighted adjacency matrix."""
        data = self.sign * self.weight
        rows = np.concatenate([self.u, self.v])
        return sp.csr_matrix(
            (np.concatenate([data, data]), (rows, np.concatenate([self.v, self.u]))), shape=(self.n, self.n)
        )

    def frustrated(self, camp: NDArray[np.int8]) -> NDArray[np.bool_]:
        same: NDArray[np.bool_] = camp[self.u] == camp[self.v]
        return np.asarray(np.where(self.sign > 0, ~same, same), dtype=np.bool_)


def _sorted_nodes(G: nx.Graph) -> list[Any]:
    try:
        return sorted(G.nodes)
    except TypeError:
        # Mixed node types that do not compare: a stable order all the same.
        return sorted(G.nodes, key=lambda node: (type(node).__name__, repr(node)))


def signed_arrays(G: nx.Graph) -> SignedArrays:
    """G's nodes (sorted) and signed weighted edges as arrays, every edge checked."""
    if G.is_directed() or G.is_multigraph():
        raise ValueError("frustration_camps: G must be an undirected nx.Graph; convert it with nx.Graph(G)")
    nodes = _sorted_nodes(G)
    index = {node: i for i, node in enumerate(nodes)}
    # Each edge once (from its end with the lower index), straight from the adjacency dicts (an
    # edge view costs several times more per edge), with the collector paused: the graph's
    # millions of dicts make every full collection during the pass slow.
    collecting = gc.isenabled()
    gc.disable()
    try:
        table = np.array(
            [
                (i, j, d["sign"], d["weight"])
                for a, around in G.adj.items()
                for i in (index[a],)
                for b, d in around.items()
                if i <= (j := index[b])
            ],
            dtype=np.float64,
        ).reshape(-1, 4)
        good = np.isin(table[:, 2], (1.0, -1.0)) & np.isfinite(table[:, 3]) & (table[:, 3] > 0)
        good = good & (table[:, 0] != table[:, 1])
    except (KeyError, TypeError, ValueError):
        good = np.zeros(1, dtype=np.bool_)
    finally:
        if collecting:
            gc.enable()
    if not good.all():
        # Rare, and only here: find the edge to name.
        edges = [(a, b, d) for a, b, d in G.edges(data=True)]
        _reject(next(edge for edge in edges if not _valid(edge)))
    ends = table[:, :2].astype(np.int64)
    u, v = ends.min(axis=1), ends.max(axis=1)
    sign, weight = table[:, 2].copy(), table[:, 3].copy()
    return SignedArrays(nodes, u, v, sign, weight)


def _valid(edge: tuple[Any, Any, dict[str, Any]]) -> bool:
    a, b, data = edge
    s, w = data.get("sign"), data.get("weight")
    number = isinstance(w, int | float) and math.isfinite(w) and w > 0
    return a != b and s in (1, -1) and number


def _reject(edge: tuple[Any, Any, dict[str, Any]]) -> None:
    """The error for the first edge that fails the checks."""
    a, b, data = edge
    s, w = data.get("sign"), data.get("weight")
    if a == b:
        raise ValueError(f"frustration_camps: self-loop on {a!r}; a tie to oneself has no camp, drop it")
    if s not in (1, -1):
        raise ValueError(f"frustration_camps: edge ({a!r}, {b!r}) has sign={s!r}; give it sign +1 or -1")
    raise ValueError(f"frustration_camps: edge ({a!r}, {b!r}) has weight={w!r}; give it a number > 0")


def frustration_camps(
    G: nx.Graph, *, method: Method = "exact", time_limit: float = 10.0, seed: int = 0
) -> Partition:
    """The two camps with the least weighted frustration (`method="exact"`, proven within
    `time_limit` seconds or reported with its gap) or a fast near-optimal split with a lower
    bound (`method="fast"`, whose cycle search for the bound stops after `time_limit` seconds;
    the camps themselves do not depend on it). Every edge needs `sign` (+1 or -1) and `weight`
    (> 0); `seed` drives the restarts, so answers are repeatable."""
    if method not in ("exact", "fast"):
        raise ValueError(f"frustration_camps: method={method!r}; use 'exact' or 'fast'")
    if not time_limit > 0:
        raise ValueError(f"frustration_camps: time_limit={time_limit!r}; give a number of seconds > 0")
    started = time.perf_counter()
    graph = signed_arrays(G)
    rng = np.random.default_rng(seed)
    camp = fast_camps(graph, rng)
    if method == "fast":
        bound = lower_bound(graph, camp, deadline=started + time_limit)
        if np.all(graph.weight == np.round(graph.weight)):
            bound = math.ceil(bound - 1e-6)
        # The bound can meet the frustration (a packing as large as it): then it is proven too.
        optimal = bound >= float(graph.weight[graph.frustrated(camp)].sum()) - _EPS
    else:
        camp, bound, optimal = exact_camps(graph, camp, deadline=started + time_limit)
    return _partition(graph, camp, bound, optimal, method, started)


def _partition(
    graph: SignedArrays, camp: NDArray[np.int8], bound: float, optimal: bool, method: str, started: float
) -> Partition:
    n = graph.n
    degree = np.bincount(np.concatenate([graph.u, graph.v]), minlength=n)
    # Orient every connected component so its smallest node (its lowest index) is in camp 0.
    _, label = connected_components(graph.adjacency(), directed=False)
    first = np.full(label.max() + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(first, label, np.arange(n))
    camp = camp ^ camp[first[label]]
    frustrated = graph.frustrated(camp)
    frustration = float(graph.weight[frustrated].sum())
    aligned = degree > 0
    if optimal:
        bound = frustration
    camps = (
        frozenset(graph.nodes[i] for i in np.flatnonzero(aligned & (camp == 0))),
        frozenset(graph.nodes[i] for i in np.flatnonzero(aligned & (camp == 1))),
    )
    ties = sorted(zip(graph.u[frustrated].tolist(), graph.v[frustrated].tolist(), strict=True))
    return Partition(
        camps=camps,
        unaligned=frozenset(graph.nodes[i] for i in np.flatnonzero(~aligned)),
        frustration=frustration,
        lower_bound=min(bound, frustration),
        optimal=optimal,
        method=method,
        seconds=time.perf_counter() - started,  # everything: reading G and writing the answer too
        frustrated=tuple((graph.nodes[a], graph.nodes[b]) for a, b in ties),
        edges=int(graph.u.size),
        total_weight=float(graph.weight.sum()),
    )


# --- fast: spectral start, local moves ---------------------------------------------------------


def _leading_vector(matrix: sp.csr_matrix, rng: np.random.Generator) -> FloatArray:
    """The eigenvector of the largest eigenvalue (dense for small matrices, else ARPACK)."""
    size = int(matrix.shape[0])
    if size <= _DENSE:
        _, vectors = scipy.linalg.eigh(matrix.toarray(), subset_by_index=[size - 1, size - 1])
        return np.asarray(vectors[:, 0], dtype=np.float64)
    try:
        _, vectors = eigsh(matrix, k=1, which="LA", v0=rng.standard_normal(size), tol=1e-4, maxiter=size)
        leading: FloatArray = np.asarray(vectors[:, 0], dtype=np.float64)
        return leading
    except ArpackNoConvergence as error:
        # A rough direction is still a start the local moves can refine.
        if error.eigenvectors.shape[1]:
            rough: FloatArray = np.asarray(error.eigenvectors[:, 0], dtype=np.float64)
            return rough
        return rng.standard_normal(size)
    except ArpackError:
        return rng.standard_normal(size)


def _local_moves(matrix: sp.csr_matrix, spin: FloatArray) -> FloatArray:
    """Flip nodes (spins ±1) while a flip lowers the frustration. A node's field h_i is the signed
    weight of its ties to its neighbours' camps; flipping it changes the frustration by
    spin_i·h_i, so every node with spin_i·h_i < 0 is flipped, one at a time, fields updated."""
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    field = matrix @ spin
    while True:
        candidates = np.flatnonzero(spin * field < -_EPS)
        if not candidates.size:
            return spin
        for i in candidates.tolist():
            if spin[i] * field[i] < -_EPS:
                spin[i] = -spin[i]
                lo, hi = indptr[i], indptr[i + 1]
                field[indices[lo:hi]] += 2.0 * spin[i] * data[lo:hi]


def _energy(matrix: sp.csr_matrix, spin: FloatArray) -> float:
    """Twice the satisfied minus frustrated weight, spinᵀ A spin (higher is better)."""
    return float(spin @ (matrix @ spin))


def fast_camps(graph: SignedArrays, rng: np.random.Generator) -> NDArray[np.int8]:
    """Camps (0/1 per node) from the spectral start and local moves, per connected component."""
    matrix = graph.adjacency()
    count, label = connected_components(matrix, directed=False)
    spin = np.ones(graph.n)
    order = np.argsort(label, kind="stable")
    bounds = np.searchsorted(label[order], np.arange(count + 1))
    for c in range(count):
        members = order[bounds[c] : bounds[c + 1]]
        if members.size < 2:
            continue
        sub = matrix[members][:, members].tocsr()
        best = _local_moves(sub, np.where(_leading_vector(sub, rng) >= 0, 1.0, -1.0))
        best_energy = _energy(sub, best)
        # Iterated local search: kick a few nodes of the best split and descend again.
        for _ in range(_RESTARTS if members.size > 2 else 0):
            trial = best.copy()
            kick = rng.random(members.size) < _KICK
            trial[kick] = -trial[kick]
            trial = _local_moves(sub, trial)
            energy = _energy(sub, trial)
            if energy > best_energy + _EPS:
                best, best_energy = trial, energy
        spin[members] = best
    return (spin < 0).astype(np.int8)


# --- lower bounds -----------------------------------------------------------------------------


def _cycle_packing(
    graph: SignedArrays, camp: NDArray[np.int8], deadline: float
) -> tuple[float, list[list[int]]]:
    """Edge-disjoint unbalanced cycles (as edge indices), each a frustrated tie of `camp` closed
    by a path of two to four satisfied, unused ties (found by meeting a search from each end).
    Such a cycle has exactly one frustrated tie under `camp`, so it is unbalanced and every split
    frustrates one of its ties: the sum of the cycles' lightest weights is a lower bound. The
    search stops at `deadline` (the bound is valid, if weaker, with fewer cycles)."""
    frustrated = graph.frustrated(camp)
    free: list[dict[int, int]] = [{} for _ in range(graph.n)]  # node -> neighbour -> edge index
    for k in np.flatnonzero(~frustrated).tolist():
        a, b = int(graph.u[k]), int(graph.v[k])
        free[a][b] = k
        free[b][a] = k
    bound = 0.0
    cycles: list[list[int]] = []
    heavy_first = np.argsort(-graph.weight[frustrated], kind="stable")
    for count, k in enumerate(np.flatnonzero(frustrated)[heavy_first].tolist()):
        if count % 256 == 0 and time.perf_counter() > deadline:
            break
        path = _short_path(free, int(graph.u[k]), int(graph.v[k]))
        if path is None:
            continue
        cycle = [k]
        for a, b in itertools.pairwise(path):
            cycle.append(free[a].pop(b))
            del free[b][a]
        bound += float(graph.weight[cycle].min())
        cycles.append(cycle)
    return bound, cycles


def _short_path(free: list[dict[int, int]], source: int, target: int) -> list[int] | None:
    """A simple path of two to four ties from source to target in `free`, or None."""
    toward: dict[int, int] = {}  # a node within two ties of target -> its next node toward it
    for b in free[target]:
        if b != source:
            toward[b] = target
    for b in list(toward):
        for c in free[b]:
            if c not in (source, target) and c not in toward:
                toward[c] = b
    for a in free[source]:
        if toward.get(a) == target:
            return [source, a, target]
    for a in free[source]:
        if a in toward:
            return [source, *_walk(a, toward, target)]
    for a in free[source]:
        for c in free[a]:
            if c != source and toward.get(c) == target:
                return [source, a, c, target]
    for a in free[source]:
        for c in free[a]:
            if c != source and c in toward and toward[c] != a:
                return [source, a, *_walk(c, toward, target)]
    return None


def _walk(node: int, toward: dict[int, int], target: int) -> list[int]:
    path = [node]
    while node != target:
        node = toward[node]
        path.append(node)
    return path


def _top_eigenpair(matrix: sp.csr_matrix, start: FloatArray | None) -> tuple[float, FloatArray] | None:
    """An upper estimate of the largest eigenvalue and its vector: exact (dense) for small
    matrices, else ARPACK's Ritz value plus its residual norm (some eigenvalue lies within it)."""
    size = int(matrix.shape[0])
    if size <= _DENSE:
        values, vectors = scipy.linalg.eigh(matrix.toarray(), subset_by_index=[size - 1, size - 1])
        top = float(values[0])
        return top + 1e-9 * (1.0 + abs(top)), np.asarray(vectors[:, 0], dtype=np.float64)
    try:
        values, vectors = eigsh(matrix, k=1, which="LA", tol=1e-6, v0=start, maxiter=10 * size)
    except (ArpackNoConvergence, ArpackError):
        return None
    ritz: FloatArray = np.asarray(vectors[:, 0], dtype=np.float64)
    return float(values[0]) + float(np.linalg.norm(matrix @ ritz - values[0] * ritz)), ritz


def _spectral_bound(graph: SignedArrays, deadline: float) -> float:
    """Per connected component of n nodes and weight W: for any diagonal D with trace 0,
    spinᵀ A spin = spinᵀ (A + D) spin ≤ n·λ_max(A + D) for every split, so the frustration
    (W − spinᵀ A spin / 2) / 2 is at least (W − n·λ_max(A + D) / 2) / 2. D starts at ¾ of each
    node's shortfall from the mean degree and follows the subgradient n·v_i² − 1 of n·λ_max
    (v the top eigenvector) for up to `_SPECTRAL_STEPS` steps or until `deadline`: the best
    of the steps is the bound (Delorme and Poljak's eigenvalue bound, the dual of the
    semidefinite relaxation). For ARPACK's sizes it trusts Lanczos to find the largest
    eigenvalue; the residual is added to its estimate."""
    matrix = graph.adjacency()
    count, label = connected_components(matrix, directed=False)
    weight = np.bincount(label[graph.u], weights=graph.weight, minlength=count)
    ties = np.bincount(label[graph.u], minlength=count)
    order = np.argsort(label, kind="stable")
    starts = np.searchsorted(label[order], np.arange(count + 1))
    strength = np.asarray(abs(matrix).sum(axis=1)).ravel()
    bound = 0.0
    for c in range(count):
        members = order[starts[c] : starts[c + 1]]
        n = members.size
        if n < 3:
            continue
        sub = matrix[members][:, members].tocsr()
        shift = 0.75 * (strength[members].mean() - strength[members])
        step = 0.5 * weight[c] / max(1, int(ties[c]))  # half the mean tie weight
        best, vector = 0.0, None
        for _ in range(_SPECTRAL_STEPS):
            top = _top_eigenpair((sub + sp.diags(shift)).tocsr(), vector)
            if top is None:
                break
            value, vector = top
            best = max(best, (weight[c] - n * value / 2) / 2)
            if time.perf_counter() > deadline:
                break
            gradient = n * vector * vector - 1.0
            shift = shift - step * gradient
        bound += best
    return bound


def lower_bound(graph: SignedArrays, camp: NDArray[np.int8], deadline: float) -> float:
    """The better of the cycle packing (searched for a quarter of the time to `deadline`) and, unless
    the packing already proves the split optimal, the eigenvalue bound."""
    # A quarter of the time: enough for the whole search on small graphs, while on large ones the
    # eigenvalue steps gain more per second.
    packing = _cycle_packing(graph, camp, time.perf_counter() + (deadline - time.perf_counter()) / 4)[0]
    if packing >= float(graph.weight[graph.frustrated(camp)].sum()) - _EPS:
        return packing  # proven optimal already
    return max(packing, _spectral_bound(graph, deadline))


# --- exact: a binary program per 2-edge-connected block ---------------------------------------


def _blocks(graph: SignedArrays) -> tuple[int, IntArray, NDArray[np.bool_]]:
    """The 2-edge-connected blocks (number, each node's block) and which edges are bridges."""
    index_graph = nx.Graph()
    index_graph.add_nodes_from(range(graph.n))
    index_graph.add_edges_from(zip(graph.u.tolist(), graph.v.tolist(), strict=True))
    bridge = np.zeros(graph.u.size, dtype=np.bool_)
    if graph.u.size:
        position = {
            (a, b): k for k, (a, b) in enumerate(zip(graph.u.tolist(), graph.v.tolist(), strict=True))
        }
        for a, b in nx.bridges(index_graph):
            bridge[position[(min(a, b), max(a, b))]] = True
    keep = ~bridge
    inner = sp.csr_matrix(
        (
            np.ones(2 * int(keep.sum())),
            (np.r_[graph.u[keep], graph.v[keep]], np.r_[graph.v[keep], graph.u[keep]]),
        ),
        shape=(graph.n, graph.n),
    )
    count, label = connected_components(inner, directed=False)
    return count, label.astype(np.int64), bridge


@dataclass
class _Rows:
    """Constraint rows built up as sparse lists, passed to HiGHS at once."""

    lower: list[float]
    upper: list[float]
    starts: list[int]
    index: list[int]
    value: list[float]

    def add(self, terms: dict[int, float], lower: float, upper: float) -> None:
        self.starts.append(len(self.index))
        for column, coefficient in terms.items():
            if coefficient:
                self.index.append(column)
                self.value.append(coefficient)
        self.lower.append(lower)
        self.upper.append(upper)


def _cycle_cut(
    rows: _Rows,
    expression: list[tuple[dict[int, float], float]],
    cycle: list[int],
    flipped: set[int],
) -> None:
    """The cycle inequality for `cycle` (edge indices) and the subset `flipped` of its edges,
    where |flipped| + the cycle's negative ties is odd: Σ_{e∉flipped} f_e + Σ_{e∈flipped} (1 − f_e)
    ≥ 1. Each split frustrates a set of the cycle's ties whose size has the parity of its negative
    ties, so the indicator of `flipped`, of the other parity, is cut off (with `flipped` empty on
    an unbalanced cycle: one of its ties is frustrated)."""
    terms: dict[int, float] = {}
    lower = 1.0 - len(flipped)
    for e in cycle:
        sigma = -1.0 if e in flipped else 1.0
        coefficients, constant = expression[e]
        lower -= sigma * constant
        for column, c in coefficients.items():
            terms[column] = terms.get(column, 0.0) + sigma * c
    rows.add(terms, lower, highspy.kHighsInf)


def _separate(
    n: int,
    u: IntArray,
    v: IntArray,
    negative: NDArray[np.bool_],
    frustration: FloatArray,
    rng: np.random.Generator,
    wanted: int,
    deadline: float,
) -> list[tuple[list[int], set[int]]]:
    """Violated cycle inequalities at the LP point `frustration` (Barahona and Mahjoub's
    separation): in a doubled graph, node (i, p) for each parity p, tie e links (a, p) to
    (b, p ⊕ neg_e) at cost f_e and to (b, p ⊕ neg_e ⊕ 1) at cost 1 − f_e. A path from (i, 0) to
    (i, 1) is a closed walk whose "flipped" ties (those paid 1 − f_e) and negative ties have odd
    parity, and its cost is the left-hand side of that cycle inequality: below 1, it is violated."""
    f = np.clip(frustration, 0.0, 1.0)
    # csgraph drops explicit zeros, so a free tie costs a hair above nothing.
    keep = np.maximum(f, 1e-9)
    flip = np.maximum(1.0 - f, 1e-9)
    shift = negative.astype(np.int64) * n
    rows = np.r_[u, u + n, u, u + n]
    cols = np.r_[
        (v + shift) % (2 * n), (v + n + shift) % (2 * n), (v + n + shift) % (2 * n), (v + shift) % (2 * n)
    ]
    cost = np.r_[keep, keep, flip, flip]
    doubled = sp.coo_matrix((cost, (rows, cols)), shape=(2 * n, 2 * n)).tocsr()
    where = {(a, b): k for k, (a, b) in enumerate(zip(u.tolist(), v.tolist(), strict=True))}
    found: list[tuple[list[int], set[int]]] = []
    seen: set[frozenset[int]] = set()
    # Searches from a chunk of sources at a time, in an order that differs from round to round,
    # until enough cuts are in hand for this round (a far LP point violates thousands).
    sources = rng.permutation(n)
    for chunk in np.array_split(sources, max(1, n // _CHUNK)):
        distance, previous = dijkstra(
            doubled, directed=False, indices=chunk, return_predecessors=True, limit=1.0
        )
        for row, i in enumerate(chunk.tolist()):
            if distance[row, i + n] >= 1.0 - 1e-6:
                continue
            walk = [i + n]
            while walk[-1] != i:
                walk.append(int(previous[row, walk[-1]]))
            cycle, flipped = [], set()
            for p, q in itertools.pairwise(walk):
                a, b = p % n, q % n
                e = where[(min(a, b), max(a, b))]
                cycle.append(e)
                if ((p >= n) != (q >= n)) != bool(negative[e]):
                    flipped.add(e)
            key = frozenset(cycle)
            if len(key) == len(cycle) and key not in seen:
                seen.add(key)
                found.append((cycle, flipped))
        if len(found) >= wanted or time.perf_counter() > deadline:
            break
    return found


def _solve_block(
    block: SignedArrays,
    start: NDArray[np.int8],
    cycles: list[list[int]],
    seconds: float,
    model: Model = "xor",
    cuts: bool = True,
) -> tuple[NDArray[np.int8], float, bool]:
    """One connected block (nodes 0..n-1) by HiGHS: camps, proven lower bound, optimal.

    Columns: x_i (binary camp) and per edge f_e (XOR model: frustrated, in [0, 1]) or y_e (AND
    model: x_i AND x_j). The frustration of edge e is an affine expression in them. With `cuts`,
    rounds of the LP relaxation add the violated cycle inequalities (the triangle inequalities
    among them) before the binary program is solved. The highest-degree node is fixed to camp 0."""
    started = time.perf_counter()
    u, v, sign, weight = block.u, block.v, block.sign, block.weight
    n, m = block.n, u.size
    INF = highspy.kHighsInf
    rows = _Rows([], [], [], [], [])
    # Edge e's frustration as (terms, constant) over the columns.
    expression: list[tuple[dict[int, float], float]] = []
    cost = np.zeros(n + m)
    offset = 0.0
    for k in range(m):
        a, b, f = int(u[k]), int(v[k]), n + k
        positive = sign[k] > 0
        if model == "xor":
            expression.append(({f: 1.0}, 0.0))
            if positive:  # f >= |x_a - x_b|
                rows.add({f: 1.0, a: -1.0, b: 1.0}, 0.0, INF)
                rows.add({f: 1.0, a: 1.0, b: -1.0}, 0.0, INF)
            else:  # f >= |x_a + x_b - 1|
                rows.add({f: 1.0, a: -1.0, b: -1.0}, -1.0, INF)
                rows.add({f: 1.0, a: 1.0, b: 1.0}, 1.0, INF)
            cost[f] += weight[k]
        elif positive:  # frustration x_a + x_b - 2y, y <= x_a, y <= x_b
            expression.append(({a: 1.0, b: 1.0, f: -2.0}, 0.0))
            rows.add({f: 1.0, a: -1.0}, -INF, 0.0)
            rows.add({f: 1.0, b: -1.0}, -INF, 0.0)
            cost[[a, b]] += weight[k]
            cost[f] -= 2 * weight[k]
        else:  # frustration 1 - x_a - x_b + 2y, y >= x_a + x_b - 1
            expression.append(({a: -1.0, b: -1.0, f: 2.0}, 1.0))
            rows.add({f: 1.0, a: -1.0, b: -1.0}, -1.0, INF)
            cost[[a, b]] -= weight[k]
            cost[f] += 2 * weight[k]
            offset += weight[k]
    # The binding itself: highspy.Highs wraps it with callback plumbing and prints a banner on
    # stdout, which would land in the CLI's output.
    solver = _Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("mip_rel_gap", 0.0)
    solver.setOptionValue("mip_abs_gap", 1e-6)
    degree = np.bincount(np.r_[u, v], minlength=n)
    hub = int(np.argmax(degree))
    upper = np.ones(n + m)
    upper[hub] = 0.0  # the two mirror-image splits are one: fix a hub's camp
    none_i, none_f = np.zeros(0, np.int32), np.zeros(0, np.float64)
    solver.addCols(n + m, cost, np.zeros(n + m), upper, 0, none_i, none_i, none_f)
    solver.changeObjectiveOffset(offset)

    def flush() -> None:
        solver.addRows(
            len(rows.lower),
            np.asarray(rows.lower),
            np.asarray(rows.upper),
            len(rows.index),
            np.asarray(rows.starts, dtype=np.int32),
            np.asarray(rows.index, dtype=np.int32),
            np.asarray(rows.value, dtype=np.float64),
        )
        for column in (rows.lower, rows.upper, rows.starts, rows.index, rows.value):
            column.clear()

    if cuts:
        # The packing's unbalanced cycles: the LP starts at least at the packing's bound.
        for cycle in cycles:
            _cycle_cut(rows, expression, cycle, set())
    flush()
    negative = sign < 0
    rng = np.random.default_rng(0)
    while cuts and time.perf_counter() - started < seconds / 2:
        solver.setOptionValue("time_limit", max(seconds - (time.perf_counter() - started), 0.01))
        solver.run()
        if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        values = np.asarray(solver.getSolution().col_value)
        frustration = np.array([sum(c * values[j] for j, c in t.items()) + k for t, k in expression])
        found = _separate(n, u, v, negative, frustration, rng, max(_CUTS, m // 4), started + seconds / 2)
        if not found:
            break
        for cycle, flipped in found:
            _cycle_cut(rows, expression, cycle, flipped)
        flush()
    solver.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger.value, dtype=np.uint8)
    )
    # Warm start: the fast split, oriented to the fixed hub, with its edge columns.
    x = (start ^ start[hub]).astype(np.float64)
    same = x[u] == x[v]
    edge_value = np.where(sign > 0, ~same, same).astype(np.float64) if model == "xor" else x[u] * x[v]
    solver.setSolution(n + m, np.arange(n + m, dtype=np.int32), np.r_[x, edge_value])
    solver.setOptionValue("time_limit", max(seconds - (time.perf_counter() - started), 0.01))
    solver.run()
    info = solver.getInfo()

    values = np.asarray(solver.getSolution().col_value)
    camp = (values[:n] > 0.5).astype(np.int8) if values.size >= n else x.astype(np.int8)
    bound = float(info.mip_dual_bound) if math.isfinite(info.mip_dual_bound) else 0.0
    return camp, bound, solver.getModelStatus() == highspy.HighsModelStatus.kOptimal


def exact_camps(
    graph: SignedArrays, start: NDArray[np.int8], *, deadline: float, model: Model = "xor", cuts: bool = True
) -> tuple[NDArray[np.int8], float, bool]:
    """Camps of least frustration: each 2-edge-connected block solved alone (smallest first, each
    with the time left), then blocks flipped along the bridges so that no bridge is frustrated.
    Returns the camps, the proven lower bound (summed over blocks) and whether all are optimal."""
    camp = start.copy()
    count, block, bridge = _blocks(graph)
    integral = bool(np.all(graph.weight == np.round(graph.weight)))
    order = np.argsort(block, kind="stable")
    starts = np.searchsorted(block[order], np.arange(count + 1))
    members_of = [order[starts[b] : starts[b + 1]] for b in range(count)]
    # Node i's index inside its block (blocks are disjoint, so one array serves them all).
    local = np.empty(graph.n, dtype=np.int64)
    for members in members_of:
        local[members] = np.arange(members.size)
    inner = np.flatnonzero(~bridge)
    by_block = inner[np.argsort(block[graph.u[inner]], kind="stable")]
    edge_starts = np.searchsorted(block[graph.u[by_block]], np.arange(count + 1))
    bound, optimal = 0.0, True
    for b in sorted(range(count), key=lambda b: edge_starts[b + 1] - edge_starts[b]):
        ks = by_block[edge_starts[b] : edge_starts[b + 1]]
        if not ks.size:
            continue
        members = members_of[b]
        piece = SignedArrays(
            members.tolist(), local[graph.u[ks]], local[graph.v[ks]], graph.sign[ks], graph.weight[ks]
        )
        part = camp[members]
        found = float(piece.weight[piece.frustrated(part)].sum())
        # The fast split with a packing of as many unbalanced cycles as it has frustrated ties
        # (or an eigenvalue bound that high) is already proven; only the other blocks need
        # the solver.
        # Without `cuts` (the plain model, for comparison) the solver gets every block alone.
        low, cycles = _cycle_packing(piece, part, deadline) if cuts else (0.0, [])
        if cuts and low < found - _EPS:
            # The eigenvalue bound, given a quarter of the time left, may close the gap instead.
            spectral = _spectral_bound(piece, time.perf_counter() + (deadline - time.perf_counter()) / 4)
            low = max(low, math.ceil(spectral - 1e-6) if integral else spectral)
        proven = cuts and low >= found - _EPS
        if not proven:
            solved, solver_low, proven = _solve_block(
                piece, part, cycles, deadline - time.perf_counter(), model, cuts
            )
            if float(piece.weight[piece.frustrated(solved)].sum()) <= found + _EPS:
                camp[members] = solved
            low = max(low, solver_low)
        if integral:
            low = math.ceil(low - 1e-6)
        bound += low
        optimal = optimal and proven
    # Bridges: walk the forest of blocks, flipping each newly reached block to satisfy its bridge.
    ends: dict[int, list[tuple[int, int, float]]] = {}
    for k in np.flatnonzero(bridge).tolist():
        a, b, s = int(graph.u[k]), int(graph.v[k]), float(graph.sign[k])
        ends.setdefault(int(block[a]), []).append((a, b, s))
        ends.setdefault(int(block[b]), []).append((b, a, s))
    placed = np.zeros(count, dtype=np.bool_)
    for root in range(count):
        if placed[root]:
            continue
        placed[root] = True
        stack = [root]
        while stack:
            here = stack.pop()
            for a, b, s in ends.get(here, []):
                there = int(block[b])
                if placed[there]:
                    continue
                placed[there] = True
                if (camp[a] == camp[b]) != (s > 0):
                    camp[members_of[there]] ^= 1
                stack.append(there)
    return camp, bound, optimal
