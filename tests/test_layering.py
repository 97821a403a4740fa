"""Layering: what the store interface and the graph layer may import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

GRAPH = Path(__file__).resolve().parents[1] / "graph"


def imported_after(modules: list[str]) -> set[str]:
    """The modules a fresh interpreter holds after importing `modules`."""
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_the_store_interface_and_the_memory_store_need_no_driver() -> None:
    loaded = imported_after(["stancegraph.graph.store", "stancegraph.graph.memory"])
    assert "stancegraph.graph.store" in loaded
    assert not {m for m in loaded if m == "neo4j" or m.startswith("neo4j.")}


def test_the_graph_layer_reads_no_application_settings() -> None:
    # stancegraph/open.py is where settings meet the stores: it passes their values in.
    modules = sorted(f"stancegraph.graph.{p.stem}" for p in GRAPH.glob("*.py") if p.stem != "__init__")
    loaded = imported_after(modules)
    assert set(modules) <= loaded
    assert "stancegraph.settings" not in loaded
