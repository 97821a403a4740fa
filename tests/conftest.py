"""Shared fixtures: the shipped seeds, and every store built from them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.store import GraphStore
from stancegraph.schema.models import SeedSet
from stancegraph.schema.validate import validate_seeds
from stancegraph.settings import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "seeds"
SOURCE_ID = "jiqizhixin-2026-02-28-anthropic-ban"


@pytest.fixture(scope="session")
def seeds() -> SeedSet:
    return validate_seeds(SEEDS)


@pytest.fixture(scope="session")
def source_text() -> str:
    return (SEEDS / "sources" / f"{SOURCE_ID}.zh.txt").read_text(encoding="utf-8")


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the shipped seeds, for tests that break them on purpose."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    yield target


@pytest.fixture(scope="session")
def memory_store(seeds: SeedSet) -> GraphStore:
    return MemoryStore(seeds)


STORE_KINDS = ["memory"]


@pytest.fixture(scope="session", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> GraphStore:
    """Every store kind, built from the shipped seeds: the contract suite runs on each."""
    result: GraphStore = request.getfixturevalue(f"{request.param}_store")
    return result
