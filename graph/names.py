"""Entity names by id for what shows evidence (the view's cards, the CLI's tables): speakers and
outlets are stored as ids."""

from __future__ import annotations

from collections.abc import Mapping

from stancegraph.graph.results import EntityRef
from stancegraph.graph.store import MAX_LIMIT, GraphStore
from stancegraph.schema.errors import NotFoundError


class EntityNames:
    """English names of entities by id, each looked up in the store at most once: names already
    at hand are given in bulk (a neighbourhood's nodes, stances' ends), outlets come in one
    listing, the rest one by one; an id the store does not have names itself."""

    def __init__(self, store: GraphStore, known: Mapping[str, str] | None = None) -> None:
        self.store = store
        self.known = dict(known or {})

    def add(self, *refs: EntityRef) -> None:
        self.known.update((ref.id, ref.name_en) for ref in refs)

    def add_outlets(self, wanted: set[str]) -> None:
        missing = wanted - self.known.keys()
        after: str | None = None
        while missing:
            page = self.store.list_entities(kind="outlet", limit=MAX_LIMIT, after=after)
            self.known.update((ref.id, ref.name_en) for ref in page)
            missing -= {ref.id for ref in page}
            if len(page) < MAX_LIMIT:
                break
            after = page[-1].id

    def __getitem__(self, entity_id: str) -> str:
        if entity_id not in self.known:
            try:
                self.known[entity_id] = self.store.entity(entity_id).entity.names.en
            except NotFoundError:
                self.known[entity_id] = entity_id
        return self.known[entity_id]
