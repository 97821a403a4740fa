"""Dependencies shared by the routes: the app's store and settings, and page-size bounds."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from stancegraph.graph.store import MAX_LIMIT, GraphStore
from stancegraph.schema.errors import StoreUnavailableError
from stancegraph.settings import Settings

# Paged listings fetch one row more than asked to learn whether a next page exists.
MAX_PAGE = MAX_LIMIT // 2
DEFAULT_PAGE = 50


def get_store(request: Request) -> GraphStore:
    store = getattr(request.app.state, "store", None)
    if not isinstance(store, GraphStore):
        raise StoreUnavailableError("the store is not open")
    return store


def get_settings(request: Request) -> Settings:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
