"""`GET /curate/{source}`: the curation page, over HTTP and as a person sees it in headless
Chromium (see tests/test_screenshots.py for the browser). Its screenshot is docs/img/curate.png."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stancegraph.api.app import create_app
from stancegraph.curation.coverage import coverage_of
from stancegraph.curation.suggest import RuleSuggester
from stancegraph.graph.store import GraphStore
from stancegraph.launch import api_thread, free_port
from stancegraph.schema.models import SeedSet
from stancegraph.settings import PROJECT_ROOT, Settings
from tests.conftest import SOURCE_ID
from tests.test_screenshots import SCREENSHOTS, browser, watch_errors

__all__ = ["browser"]  # the Chromium fixture, shared with the other browser tests

DOCS_IMAGE = PROJECT_ROOT / "docs" / "img" / "curate.png"


@pytest.fixture(scope="module")
def client(memory_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), memory_store)) as test_client:
        yield test_client


def test_an_unknown_source_is_a_404_problem_naming_source(client: TestClient) -> None:
    response = client.get(f"/curate/{SOURCE_ID}x")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["parameter"] == "source"
    assert f"{SOURCE_ID}x" in problem["detail"]


def test_the_page_is_documented_with_its_statuses(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/curate/{source}"]["get"]
    assert "text/html" in operation["responses"]["200"]["content"]
    assert {"404", "422", "500"} <= set(operation["responses"])


def test_the_page_marks_every_uncited_sentence_and_mention(client: TestClient, seeds: SeedSet) -> None:
    expected = coverage_of(seeds, SOURCE_ID)
    page = client.get(f"/curate/{SOURCE_ID}").text
    assert page.count("<li data-sentence=") == len(expected.uncited)
    assert page.count('class="mention"') + page.count(' mention"') >= len(expected.mentions)
    for sentence in expected.uncited:
        assert f'id="s-{sentence.number}"' in page
    source = next(s for s in seeds.sources if s.id == SOURCE_ID)
    proposed = RuleSuggester().suggest(source, seeds.texts[SOURCE_ID], seeds)
    assert page.count("<li data-suggestion=") == len(proposed)
    for number in range(1, len(proposed) + 1):
        assert f'<a id="g-{number}"></a>' in page
    assert ("suggested" in page) == bool(proposed)
    assert "<script" not in page and "http" not in page.split("</style>")[0]  # self-contained


@pytest.mark.slow
def test_the_page_in_chromium(browser: Any, memory_store: GraphStore, seeds: SeedSet) -> None:
    expected = coverage_of(seeds, SOURCE_ID)
    with api_thread(Settings(), memory_store, free_port()) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors = watch_errors(page)
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{base}/curate/{SOURCE_ID}")
        page.wait_for_selector("#uncited li")
        assert requested == [f"{base}/curate/{SOURCE_ID}"]  # nothing else is fetched
        assert page.locator("#uncited li").count() == len(expected.uncited)
        # The uncited sentences are highlighted in the text, which says its language (for CJK fonts).
        first = expected.uncited[0]
        background = page.evaluate(
            """(n) => { let e = document.getElementById('s-' + n).nextElementSibling;
                        while (e && e.tagName !== 'SPAN') e = e.nextElementSibling;  // past anchors
                        return getComputedStyle(e).backgroundColor; }""",
            first.number,
        )
        assert background == "rgb(255, 241, 194)"
        assert page.locator("#text").get_attribute("lang") == seeds_language(seeds)
        # The picture for the docs: the first uncited sentence in view, the side list beside it.
        page.evaluate(
            "(n) => document.getElementById('s-' + n).scrollIntoView({block: 'center'})", first.number
        )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "curate.png"))
        assert not errors, errors
    DOCS_IMAGE.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SCREENSHOTS / "curate.png", DOCS_IMAGE)


def seeds_language(seeds: SeedSet) -> str:
    return next(s.language for s in seeds.sources if s.id == SOURCE_ID)
