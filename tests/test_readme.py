"""The README's examples are real answers: replay each curl call and compare."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from stancegraph.api.app import create_app
from stancegraph.graph.store import GraphStore
from stancegraph.settings import PROJECT_ROOT, Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
# A curl line, then the exact JSON it prints (abridged answers contain "..." and are skipped).
EXAMPLE = re.compile(r"^\$ curl -s '?(?P<url>http[^' ]+)'?\n(?P<body>[{\[].*)$", re.M)
CALLS = re.compile(r"^\$ curl -s '?(?P<url>http[^' ]+)'?$", re.M)


@pytest.fixture(scope="module")
def client(memory_store: GraphStore) -> TestClient:
    return TestClient(create_app(Settings(), store=memory_store))


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_readme_answers_are_exact(client: TestClient) -> None:
    examples = [m for m in EXAMPLE.finditer(README) if "..." not in m["body"]]
    assert len(examples) >= 2
    for match in examples:
        response = client.get(_path(match["url"]))
        assert response.json() == json.loads(match["body"]), match["url"]


def test_every_readme_call_answers(client: TestClient) -> None:
    calls = CALLS.findall(README)
    assert len(calls) >= 4
    for url in calls:
        response = client.get(_path(url))
        assert response.status_code in {200, 422}, url
