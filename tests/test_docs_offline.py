"""/docs and /redoc render with no network but the API's own server: their assets are vendored
(api/static, api/routes/docs.py), in headless Chromium with every other request refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from stancegraph.graph.store import GraphStore
from stancegraph.launch import api_thread, free_port
from stancegraph.settings import Settings
from tests.test_screenshots import VIEWPORT, browser

__all__ = ["browser"]  # the Chromium fixture, shared with the other browser tests

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def base(memory_store: GraphStore) -> Iterator[str]:
    with api_thread(Settings(), memory_store, free_port()) as url:
        yield url


def _offline_page(browser: Any, base: str) -> tuple[Any, list[str]]:
    """A page that may reach `base` only; what else it asked for is listed (and refused)."""
    page = browser.new_page(viewport=VIEWPORT)
    refused: list[str] = []

    def only_the_server(route: Any) -> None:
        url = route.request.url
        if url.startswith(base + "/") or url.startswith("data:"):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    page.route("**/*", only_the_server)
    return page, refused


def test_swagger_ui_renders_offline(browser: Any, base: str) -> None:
    page, refused = _offline_page(browser, base)
    page.goto(f"{base}/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/v1/claims" in [s.replace("\u200b", "") for s in summaries]
    assert len(summaries) > 15
    assert refused == []


def test_redoc_renders_offline(browser: Any, base: str) -> None:
    page, refused = _offline_page(browser, base)
    page.goto(f"{base}/redoc")
    page.wait_for_selector("[data-section-id^='operation/']", timeout=30_000)
    assert page.locator("[data-section-id^='operation/']").count() > 15
    # Only ReDoc's "API docs by Redocly" footer logo, an image baked into its bundle, is wanted
    # from the web; the page renders without it.
    assert [url.rsplit("/", 1)[-1] for url in refused] in ([], ["logo-mini.svg"])
