"""Dependencies shared by the routes: the app's store and settings, page-size bounds, and the
thread hop for store calls.

Routes that answer JSON are `async def` and run only their store call on the thread pool
(`in_thread`). A plain `def` route costs a request up to three hops to the pool: its sync
dependencies, the route itself, and FastAPI's validation of its return value. The dependencies
here are `async def` for the same reason: they do no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, ParamSpec, TypeVar

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from stancegraph.graph.store import MAX_LIMIT, GraphStore
from stancegraph.schema.errors import StoreUnavailableError
from stancegraph.settings import Settings

# Paged listings fetch one row more than asked to learn whether a next page exists.
MAX_PAGE = MAX_LIMIT // 2
DEFAULT_PAGE = 50

P = ParamSpec("P")
R = TypeVar("R")


async def in_thread(call: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a store call (blocking I/O) on the thread pool, off the event loop."""
    return await run_in_threadpool(call, *args, **kwargs)


async def get_store(request: Request) -> GraphStore:
    store = getattr(request.app.state, "store", None)
    if not isinstance(store, GraphStore):
        raise StoreUnavailableError("the store is not open")
    return store


async def get_settings(request: Request) -> Settings:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
