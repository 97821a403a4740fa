"""The REST API over HTTP semantics (FastAPI TestClient through ASGI, and one real uvicorn server).

Most tests run on a small fixture graph written to a temporary seeds folder, so their answers are
exact; the last section checks the shipped seeds through the API.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import re
import socket
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import networkx as nx
import pytest
import yaml
from fastapi import Request
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from stancegraph.api.app import create_app
from stancegraph.api.cursor import encode
from stancegraph.api.limits import MAX_BODY_BYTES
from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.results import ClaimFilter, ClaimView, EntityDetail, PathView, Stance, Stats
from stancegraph.graph.store import GraphStore
from stancegraph.graph.window import timeline_key
from stancegraph.launch import api_process, api_thread, free_port
from stancegraph.schema.errors import (
    QueryRejectedError,
    QueryTimeoutError,
    QueryTooLargeError,
    StanceGraphError,
    StoreBusyError,
    StoreError,
    StoreUnavailableError,
)
from stancegraph.schema.models import SeedSet, Validity
from stancegraph.schema.validate import validate_seeds
from stancegraph.settings import PROJECT_ROOT, Settings

SOURCE_ID = "jiqizhixin-2026-02-28-anthropic-ban"
SOURCE_FILE = PROJECT_ROOT / "seeds" / "sources" / f"{SOURCE_ID}.zh.txt"
PROBLEM = "application/problem+json"


def _entity(ident: str, kind: str, en: str, zh: str, *aliases: str) -> dict[str, Any]:
    return {"id": ident, "kind": kind, "names": {"en": en, "zh": zh}, "aliases": list(aliases)}


ENTITIES = [
    _entity("jiqizhixin", "outlet", "Synced", "机器之心"),
    _entity("aitnt", "outlet", "AITNT", "AITNT"),
    _entity("anthropic", "company", "Anthropic", "Anthropic"),
    _entity("openai", "company", "OpenAI", "OpenAI"),
    _entity("sam-altman", "person", "Sam Altman", "山姆·奥特曼", "奥特曼", "Altman"),
    _entity("us-department-of-war", "agency", "US Department of War", "美国战争部", "五角大楼", "Pentagon"),
    _entity("donald-trump", "person", "Donald Trump", "特朗普"),
    _entity("pete-hegseth", "person", "Pete Hegseth", "海格塞斯"),
    _entity("ilya-sutskever", "person", "Ilya Sutskever", "伊利亚"),
    _entity("defense-production-act", "law", "Defense Production Act", "国防生产法"),
]
NARRATION = {"type": "narration"}
ALTMAN = {"type": "person", "entity": "sam-altman"}
# (subject, predicate, object, date, [(quote, speaker, certainty)])
CLAIMS: list[tuple[str, str, str, str, list[tuple[str, dict[str, str], str]]]] = [
    (
        "sam-altman",
        "supports",
        "anthropic",
        "2026-02-27",
        [
            ("我总体上还是信任他们这家公司", ALTMAN, "stated"),
            ("山姆・奥特曼及 OpenAI 的员工们罕见地跨越了阵营,站在了 Anthropic 这一边", NARRATION, "stated"),
        ],
    ),
    (
        "sam-altman",
        "opposes",
        "us-department-of-war",
        "2026-02-27",
        [("我个人认为五角大楼不应该以《国防生产法》威胁这些公司", ALTMAN, "stated")],
    ),
    (
        "openai",
        "supports",
        "anthropic",
        "2026-02",
        [("包括竞争对手 OpenAI、谷歌都公开表态支持 Anthropic 坚守底线的决定", NARRATION, "stated")],
    ),
    (
        "ilya-sutskever",
        "supports",
        "anthropic",
        "unknown",
        [("神隐许久的伊利亚也在 X 上声援 Anthropic", NARRATION, "stated")],
    ),
    (
        "donald-trump",
        "bans",
        "anthropic",
        "2026-02-27",
        [("指示所有联邦机构「立即停止」使用其产品", NARRATION, "stated")],
    ),
    (
        "pete-hegseth",
        "designates_as_risk",
        "anthropic",
        "2026-02-27",
        [("将该公司列为「对国家安全的供应链风险」", NARRATION, "stated")],
    ),
    (
        "anthropic",
        "refuses",
        "us-department-of-war",
        "2026-02",
        [("此举遭到了 Anthropic 的拒绝", NARRATION, "stated")],
    ),
    (
        "us-department-of-war",
        "threatens_to_invoke",
        "defense-production-act",
        "2026-02",
        [("包括可能动用冷战时期的《国防生产法》强迫其就范", NARRATION, "attributed")],
    ),
    (
        "openai",
        "competes_with",
        "anthropic",
        "unknown",
        [("尽管 OpenAI 和 Anthropic 在商业上竞争极为激烈", NARRATION, "stated")],
    ),
    (
        "pete-hegseth",
        "works_for",
        "us-department-of-war",
        "2026-02-28",
        [("美战争部长海格塞斯", NARRATION, "stated")],
    ),
]
CLAIM_COUNT = len(CLAIMS)
EVIDENCE_COUNT = sum(len(c[4]) for c in CLAIMS)


class _NoAliases(yaml.SafeDumper):
    """Seeds forbid YAML aliases, so shared dicts are written out each time."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_fixture_seeds(root: Path) -> Path:
    """A small, valid seeds folder over the shipped source text; every quote located by search."""
    (root / "sources").mkdir(parents=True)
    raw = SOURCE_FILE.read_bytes()
    (root / "sources" / SOURCE_FILE.name).write_bytes(raw)
    text = raw.decode("utf-8")
    source = {
        "id": SOURCE_ID,
        "title": "特朗普封杀Anthropic引爆硅谷,死对头奥特曼都来声援了",
        "outlet": "jiqizhixin",
        "publisher": "aitnt",
        "published": "2026-02-28T15:30:00+08:00",
        "language": "zh",
        "path": f"sources/{SOURCE_FILE.name}",
        "sha256": hashlib.sha256(raw).hexdigest(),
    }
    claims = []
    for subject, predicate, obj, when, evidence in CLAIMS:
        records = []
        for quote, speaker, certainty in evidence:
            start = text.index(quote)
            records.append(
                {
                    "source": SOURCE_ID,
                    "quote": quote,
                    "start": start,
                    "end": start + len(quote),
                    "translation": f"(translation of {quote})",
                    "speaker": speaker,
                    "certainty": certainty,
                    "date": when,
                }
            )
        claims.append({"subject": subject, "predicate": predicate, "object": obj, "evidence": records})
    document = {"sources": [source], "entities": ENTITIES, "claims": claims}
    (root / "fixture.yaml").write_text(
        yaml.dump(document, Dumper=_NoAliases, allow_unicode=True), encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture_seeds(tmp_path_factory.mktemp("api") / "seeds")


@pytest.fixture(scope="module")
def client(fixture_dir: Path) -> Iterator[TestClient]:
    """The app opening its own store from settings, through the lifespan."""
    with TestClient(create_app(Settings(seeds=fixture_dir))) as test_client:
        yield test_client


def problem(response: httpx.Response, status: int, parameter: str | None = None) -> dict[str, Any]:
    """Assert an RFC 9457 problem with this status (naming `parameter`, if given) and return it."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail", "instance"} <= set(body)
    if parameter is not None:
        assert body["parameter"] == parameter
        assert parameter in [e["parameter"] for e in body["errors"]]
        assert parameter in body["detail"]
    return body


def walk(client: TestClient, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of a paged listing, following next_cursor to the end."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(1000):
        response = client.get(path, params={**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("the cursor never ended")


# --- service -----------------------------------------------------------------------------------


def test_index_links_to_docs(client: TestClient) -> None:
    body = client.get("/").json()
    assert body["docs"] == "/docs"
    required = {
        "/v1/between": {"a": "openai", "b": "anthropic"},
        "/v1/paths": {"from": "openai", "to": "anthropic"},
    }
    for link in body["links"].values():
        assert client.get(link, params=required.get(link, {})).status_code == 200


def test_health_reports_counts(client: TestClient) -> None:
    response = client.get("/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["store"] == "memory"
    assert body["version"]
    counts = Stats.model_validate(body["counts"])
    assert (counts.entities, counts.claims, counts.evidence, counts.sources) == (
        len(ENTITIES),
        CLAIM_COUNT,
        EVIDENCE_COUNT,
        1,
    )
    assert counts.claims_by_predicate["supports"] == 3


def test_docs_and_openapi(client: TestClient) -> None:
    assert "text/html" in client.get("/docs").headers["content-type"]
    spec = client.get("/openapi.json").json()
    assert "Problem" in spec["components"]["schemas"]
    for path in (
        "/v1/health",
        "/v1/entities",
        "/v1/entities/{entity_id}",
        "/v1/entities/{entity_id}/supporters",
        "/v1/entities/{entity_id}/opponents",
        "/v1/entities/{entity_id}/neighborhood",
        "/v1/claims",
        "/v1/claims/{claim_id}",
        "/v1/between",
        "/v1/paths",
        "/v1/timeline",
        "/v1/sources",
        "/v1/sources/{source_id}",
        "/v1/sources/{source_id}/text",
        "/v1/export",
        "/v1/vocabulary",
    ):
        assert path in spec["paths"], path
    claims_get = spec["paths"]["/v1/claims"]["get"]
    assert PROBLEM in claims_get["responses"]["422"]["content"]
    assert {p["name"] for p in spec["paths"]["/v1/paths"]["get"]["parameters"]} >= {"from", "to"}


def test_vocabulary(client: TestClient) -> None:
    body = client.get("/v1/vocabulary").json()
    assert "person" in body["kinds"]
    assert body["predicates"]["supports"]["polarity"] == 1


# --- entities ----------------------------------------------------------------------------------


def test_search_finds_alias(client: TestClient) -> None:
    page = client.get("/v1/entities", params={"q": "五角大楼"}).json()
    first = page["items"][0]
    assert first["entity"]["id"] == "us-department-of-war"
    assert (first["matched"], first["match"]) == ("五角大楼", "exact")


def test_search_pages_by_offset(client: TestClient) -> None:
    everything = client.get("/v1/entities", params={"q": "a", "limit": 100}).json()["items"]
    assert len(everything) > 2
    assert walk(client, "/v1/entities", {"q": "a", "limit": 2}) == everything


def test_entity_listing_walks_every_id(client: TestClient) -> None:
    ids = [e["id"] for e in walk(client, "/v1/entities", {"limit": 3})]
    assert ids == sorted(e["id"] for e in ENTITIES)
    people = walk(client, "/v1/entities", {"kind": "person", "limit": 1})
    assert [p["id"] for p in people] == sorted(e["id"] for e in ENTITIES if e["kind"] == "person")


def test_entity_detail(client: TestClient) -> None:
    body = client.get("/v1/entities/anthropic").json()
    assert body["entity"]["names"]["en"] == "Anthropic"
    assert body["counts"] == {"claims": 7, "supporters": 3, "opponents": 2}


def test_supporters_carry_verbatim_evidence(client: TestClient) -> None:
    stances = client.get("/v1/entities/anthropic/supporters").json()
    assert [s["entity"]["id"] for s in stances] == ["ilya-sutskever", "openai", "sam-altman"]
    text = client.get(f"/v1/sources/{SOURCE_ID}/text").text
    altman = stances[2]["claims"][0]
    assert altman["id"] == "sam-altman.supports.anthropic"
    assert len(altman["evidence"]) == 2
    for evidence in altman["evidence"]:
        assert text[evidence["start"] : evidence["end"]] == evidence["quote"]
        assert {"translation", "source", "speaker", "certainty"} <= set(evidence)
    assert altman["date"] == {"value": "2026-02-27", "precision": "day", "wording": None}


def test_opponents(client: TestClient) -> None:
    stances = client.get("/v1/entities/anthropic/opponents").json()
    assert [s["entity"]["id"] for s in stances] == ["donald-trump", "pete-hegseth"]
    war = client.get("/v1/entities/us-department-of-war/opponents").json()
    assert [s["entity"]["id"] for s in war] == ["anthropic", "sam-altman"]


def test_json_bodies_are_the_store_answers_as_compact_utf8(client: TestClient) -> None:
    store = client.app.state.store  # type: ignore[attr-defined]
    cases: list[tuple[str, dict[str, Any], Any, Any]] = [
        ("/v1/entities/anthropic/supporters", {}, list[Stance], store.supporters("anthropic")),
        ("/v1/entities/anthropic/opponents", {}, list[Stance], store.opponents("anthropic")),
        ("/v1/entities/sam-altman", {}, EntityDetail, store.entity("sam-altman")),
        (
            "/v1/between",
            {"a": "anthropic", "b": "us-department-of-war"},
            list[ClaimView],
            store.between("anthropic", "us-department-of-war"),
        ),
        (
            "/v1/paths",
            {"from": "sam-altman", "to": "pete-hegseth", "max_hops": 4},
            list[PathView],
            store.paths("sam-altman", "pete-hegseth", max_hops=4),
        ),
    ]
    for path, params, model, answer in cases:
        response = client.get(path, params=params)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.content == TypeAdapter(model).dump_json(answer), path
        assert json.loads(response.content) == TypeAdapter(model).dump_python(answer, mode="json")
    altman = client.get("/v1/entities/sam-altman").content
    assert altman.startswith(b'{"entity":{"id":"sam-altman","kind":"person"')  # compact
    assert "山姆·奥特曼".encode() in altman  # raw UTF-8, not \u escapes


def test_neighborhood(client: TestClient) -> None:
    body = client.get("/v1/entities/sam-altman/neighborhood", params={"depth": 1}).json()
    assert [n["id"] for n in body["nodes"]] == ["sam-altman", "anthropic", "us-department-of-war"]
    assert {link["id"] for link in body["links"]} == {
        "sam-altman.supports.anthropic",
        "sam-altman.opposes.us-department-of-war",
        "anthropic.refuses.us-department-of-war",
    }
    problem(client.get("/v1/entities/sam-altman/neighborhood", params={"depth": 9}), 422, "depth")


@pytest.mark.parametrize(
    "path",
    ["/v1/entities/nobody", "/v1/entities/nobody/supporters", "/v1/entities/nobody/opponents"],
)
def test_unknown_entity_is_404(client: TestClient, path: str) -> None:
    body = problem(client.get(path), 404)
    assert "nobody" in body["detail"]
    assert body["instance"] == path


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 10_000}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"kind": "planet"}, "kind"),
        ({"q": "···"}, "q"),
        ({"cursor": "%%%"}, "cursor"),
        ({"cursor": encode("o", 3)}, "cursor"),
        ({"q": "a", "cursor": encode("a", "openai")}, "cursor"),
        ({"q": "a", "cursor": encode("o", -1)}, "cursor"),
    ],
)
def test_bad_entity_parameters_are_422(client: TestClient, params: dict[str, Any], parameter: str) -> None:
    problem(client.get("/v1/entities", params=params), 422, parameter)


# --- claims ------------------------------------------------------------------------------------


def test_claim_pages_walk_every_claim_once(client: TestClient) -> None:
    for limit in (1, 2, 3, CLAIM_COUNT, 500):
        ids = [c["id"] for c in walk(client, "/v1/claims", {"limit": limit})]
        assert ids == sorted(ids)
        assert len(ids) == len(set(ids)) == CLAIM_COUNT
    last = client.get("/v1/claims", params={"limit": CLAIM_COUNT}).json()
    assert last["next_cursor"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"subject": "sam-altman"},
            {"sam-altman.opposes.us-department-of-war", "sam-altman.supports.anthropic"},
        ),
        (
            {"object": "defense-production-act"},
            {"us-department-of-war.threatens_to_invoke.defense-production-act"},
        ),
        ({"predicate": "bans"}, {"donald-trump.bans.anthropic"}),
        (
            {"polarity": -1, "object": "anthropic"},
            {"donald-trump.bans.anthropic", "pete-hegseth.designates_as_risk.anthropic"},
        ),
        ({"certainty": "attributed"}, {"us-department-of-war.threatens_to_invoke.defense-production-act"}),
        (
            {"since": "2026-02-28"},  # month-precision dates may fall on the 28th
            {
                "pete-hegseth.works_for.us-department-of-war",
                "openai.supports.anthropic",
                "anthropic.refuses.us-department-of-war",
                "us-department-of-war.threatens_to_invoke.defense-production-act",
            },
        ),
        ({"until": "2026-02-01", "subject": "openai"}, {"openai.supports.anthropic"}),
        ({"source": SOURCE_ID, "predicate": "competes_with"}, {"anthropic.competes_with.openai"}),
    ],
)
def test_claim_filters(client: TestClient, params: dict[str, Any], expected: set[str]) -> None:
    items = walk(client, "/v1/claims", {**params, "limit": 2})
    assert {c["id"] for c in items} == expected


@pytest.mark.parametrize(
    ("params", "status", "parameter"),
    [
        ({"predicate": "likes"}, 422, "predicate"),
        ({"polarity": 2}, 422, "polarity"),
        ({"certainty": "rumour"}, 422, "certainty"),
        ({"since": "2026-13-01"}, 422, "since"),
        ({"since": "2026-03-01", "until": "2026-02-01"}, 422, "until"),
        ({"limit": 501}, 422, "limit"),
        ({"cursor": "bm90IGpzb24"}, 422, "cursor"),
        ({"subject": "nobody"}, 404, None),
        ({"source": "nowhere"}, 404, None),
    ],
)
def test_bad_claim_parameters(
    client: TestClient, params: dict[str, Any], status: int, parameter: str | None
) -> None:
    problem(client.get("/v1/claims", params=params), status, parameter)


def test_claim_by_id(client: TestClient) -> None:
    body = client.get("/v1/claims/sam-altman.supports.anthropic").json()
    claim = ClaimView.model_validate(body)
    assert (claim.subject.id, claim.predicate, claim.object.id, claim.polarity) == (
        "sam-altman",
        "supports",
        "anthropic",
        1,
    )
    problem(client.get("/v1/claims/sam-altman.likes.anthropic"), 404)


def test_between(client: TestClient) -> None:
    ids = [c["id"] for c in client.get("/v1/between", params={"a": "anthropic", "b": "openai"}).json()]
    assert ids == ["anthropic.competes_with.openai", "openai.supports.anthropic"]
    problem(client.get("/v1/between", params={"a": "openai", "b": "openai"}), 422, "b")
    problem(client.get("/v1/between", params={"b": "openai"}), 422, "a")
    problem(client.get("/v1/between", params={"a": "openai", "b": "nobody"}), 404)


def test_paths(client: TestClient) -> None:
    paths = client.get("/v1/paths", params={"from": "openai", "to": "donald-trump"}).json()
    assert [[n["id"] for n in p["nodes"]] for p in paths] == [["openai", "anthropic", "donald-trump"]]
    assert [c["id"] for c in paths[0]["hops"][1]] == ["donald-trump.bans.anthropic"]
    too_short: dict[str, str | int] = {
        "from": "ilya-sutskever",
        "to": "defense-production-act",
        "max_hops": 1,
    }
    assert client.get("/v1/paths", params=too_short).json() == []
    problem(client.get("/v1/paths", params={"to": "openai"}), 422, "from")
    problem(client.get("/v1/paths", params={"from": "openai", "to": "openai"}), 422, "to")
    problem(
        client.get("/v1/paths", params={"from": "openai", "to": "anthropic", "max_hops": 7}), 422, "max_hops"
    )


def test_timeline_orders_by_valid_start_undated_last(client: TestClient) -> None:
    claims = client.get("/v1/timeline").json()
    assert len(claims) == CLAIM_COUNT
    keys = [(*timeline_key(Validity.model_validate(c["valid"])), c["id"]) for c in claims]
    assert keys == sorted(keys)
    undated = [c for c in claims if not c["valid"]["held"]]
    assert claims[len(claims) - len(undated) :] == undated, "claims nothing dates come last"
    # A month sorts after the days it may be: "2026-02" says only "by the end of February".
    starts = [c["valid"]["held"][0]["start"]["value"] for c in claims if c["valid"]["held"]]
    if "2026-02" in starts and "2026-02-19" in starts:
        assert starts.index("2026-02-19") < starts.index("2026-02")
    mine = client.get("/v1/timeline", params={"entity": "sam-altman", "limit": 1}).json()
    everything = client.get("/v1/timeline", params={"entity": "sam-altman"}).json()
    assert [c["id"] for c in mine] == [everything[0]["id"]]
    problem(client.get("/v1/timeline", params={"entity": "nobody"}), 404)


# --- sources and export ------------------------------------------------------------------------


def test_sources(client: TestClient) -> None:
    listed = client.get("/v1/sources").json()
    assert [s["source"]["id"] for s in listed] == [SOURCE_ID]
    one = client.get(f"/v1/sources/{SOURCE_ID}").json()
    assert (one["claims"], one["evidence"]) == (CLAIM_COUNT, EVIDENCE_COUNT)
    problem(client.get("/v1/sources/nowhere"), 404)
    problem(client.get("/v1/sources/nowhere/text"), 404)


def test_source_text_is_the_captured_text(client: TestClient) -> None:
    response = client.get(f"/v1/sources/{SOURCE_ID}/text")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.content == SOURCE_FILE.read_bytes()


def test_export_json(client: TestClient) -> None:
    response = client.get("/v1/export", params={"format": "json"})
    assert response.headers["content-type"] == "application/json"
    assert 'filename="stancegraph.json"' in response.headers["content-disposition"]
    graph = nx.node_link_graph(json.loads(response.content), edges="links")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (len(ENTITIES), CLAIM_COUNT)
    assert client.get("/v1/export").content == response.content  # json is the default


def test_export_graphml(client: TestClient) -> None:
    response = client.get("/v1/export", params={"format": "graphml"})
    assert response.headers["content-type"].startswith("application/graphml+xml")
    graph = nx.read_graphml(io.BytesIO(response.content), force_multigraph=True)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (len(ENTITIES), CLAIM_COUNT)


def test_export_csv_zip(client: TestClient) -> None:
    response = client.get("/v1/export", params={"format": "csv"})
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == 'attachment; filename="stancegraph-csv.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
        nodes = archive.read("nodes.csv").decode("utf-8").splitlines()
        edges = archive.read("edges.csv").decode("utf-8").splitlines()
    assert (len(nodes), len(edges)) == (len(ENTITIES) + 1, CLAIM_COUNT + 1)
    problem(client.get("/v1/export", params={"format": "pdf"}), 422, "format")


def test_every_error_status_is_documented_as_a_problem(client: TestClient) -> None:
    """Each operation documents the statuses any request may meet (Host check, unknown parameter,
    the catch-all) and every 4xx/5xx it documents is problem+json; Cypher documents its 501."""
    spec = client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            documented = operation["responses"]
            assert {"400", "422", "500"} <= set(documented), (method, path)
            for status, response in documented.items():
                if int(status) >= 400 and (path, status) != ("/v1/health", "503"):
                    assert set(response["content"]) == {PROBLEM}, (method, path, status)
    cypher = spec["paths"]["/v1/cypher"]["post"]["responses"]
    assert {"400", "413", "429", "501", "503", "504"} <= set(cypher)
    assert "$ref" in cypher["501"]["content"][PROBLEM]["schema"]


def test_export_documents_each_format_media_type(client: TestClient) -> None:
    """A client reading the OpenAPI document learns that csv is a zip and html a page."""
    ok = client.get("/openapi.json").json()["paths"]["/v1/export"]["get"]["responses"]["200"]
    assert set(ok["content"]) == {
        "application/json",
        "application/graphml+xml",
        "application/zip",
        "text/html",
    }
    assert ok["content"]["application/zip"]["schema"]["format"] == "binary"
    assert ".zip" in ok["headers"]["Content-Disposition"]["description"]


def test_export_html_is_the_cli_page_over_http(client: TestClient) -> None:
    response = client.get("/v1/export", params={"format": "html", "entity": "anthropic", "depth": 1})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="anthropic.html"'
    page = response.text
    assert page.startswith("<!DOCTYPE html>") or page.lower().startswith("<!doctype html>")
    assert "<script src=" not in page  # self-contained: it works offline, like the CLI's file
    assert "Anthropic" in page
    default = client.get("/v1/export", params={"format": "html"})
    assert default.status_code == 200 and default.headers["content-disposition"].endswith('.html"')
    problem(client.get("/v1/export", params={"format": "html", "entity": "nobody"}), 404, "entity")


# --- protocol: unknown routes, methods, body limit, CORS, failures ---------------------------------


def test_misspelled_query_parameter_is_422_naming_it(client: TestClient) -> None:
    """`?subjet=` must not be ignored: the answer would look filtered and be everything."""
    body = problem(client.get("/v1/claims", params={"subjet": "openai"}), 422, "subjet")
    assert "'subject'" in body["detail"]  # the closest accepted name
    accepted = body["detail"].split("accepts: ", 1)[1].split(", ")
    assert {"subject", "object", "cursor", "min_sources", "outlet"} <= set(accepted)  # dependencies' too
    both = problem(client.get("/v1/claims", params={"zz": 1, "yy": 2, "subject": "openai"}), 422)
    assert [e["parameter"] for e in both["errors"]] == ["yy", "zz"]


def test_every_route_rejects_unknown_query_parameters(client: TestClient) -> None:
    """One mechanism for every operation, the ones added later included: each answers a
    parameter it does not declare with 422 naming it, before anything else is looked at."""
    operations = [
        (method, path)
        for path, item in client.get("/openapi.json").json()["paths"].items()
        for method in item
    ]
    assert len(operations) > 15
    for method, path in operations:
        concrete = path.replace("{", "").replace("}", "")  # {entity_id} -> entity_id: any segment
        response = client.request(method, concrete, params={"no_such_param": "1"})
        problem(response, 422, "no_such_param")


def test_declared_query_parameters_are_still_accepted(client: TestClient) -> None:
    assert (
        client.get("/v1/paths", params={"from": "openai", "to": "anthropic", "max_hops": 2}).status_code
        == 200
    )
    assert client.get("/v1/entities/anthropic/supporters", params={"outlet": "jiqizhixin"}).status_code == 200


@pytest.mark.parametrize("path", ["/v1/claims", "/v1/conflicts", "/v1/entities"])
def test_an_empty_cursor_is_the_first_page(client: TestClient, path: str) -> None:
    first = client.get(path, params={"limit": 2})
    empty = client.get(path, params={"limit": 2, "cursor": ""})
    assert empty.status_code == 200, empty.text
    assert empty.json() == first.json()
    searched = (
        client.get(path, params={"limit": 2, "cursor": "", "q": "a"}) if path == "/v1/entities" else None
    )
    assert searched is None or searched.status_code == 200


def test_unknown_route_is_404_problem(client: TestClient) -> None:
    body = problem(client.get("/v2/nothing?x=1"), 404)
    assert body["instance"] == "/v2/nothing?x=1"


def test_wrong_method_is_405_problem(client: TestClient) -> None:
    response = client.delete("/v1/claims")
    problem(response, 405)
    assert response.headers["allow"] == "GET"


def test_request_body_limit(fixture_dir: Path) -> None:
    app = create_app(Settings(seeds=fixture_dir))

    @app.post("/v1/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    def chunks(total: int) -> Iterator[bytes]:
        for _ in range(total // 1024):
            yield b"x" * 1024

    with TestClient(app) as test_client:
        assert test_client.post("/v1/echo", content=b"x" * 100).json() == {"bytes": 100}
        problem(test_client.post("/v1/echo", content=b"x" * (MAX_BODY_BYTES + 1)), 413)
        problem(test_client.post("/v1/echo", content=chunks(MAX_BODY_BYTES * 2)), 413)


def test_cors_only_when_configured(fixture_dir: Path) -> None:
    origin = {"Origin": "https://example.org"}
    with TestClient(create_app(Settings(seeds=fixture_dir))) as plain:
        assert "access-control-allow-origin" not in plain.get("/v1/health", headers=origin).headers
    settings = Settings(seeds=fixture_dir, cors_origins=["https://example.org"])
    with TestClient(create_app(settings)) as cors:
        headers = cors.get("/v1/health", headers=origin).headers
        assert headers["access-control-allow-origin"] == "https://example.org"


class FailingStore(MemoryStore):
    """Answers stats; raises `error` for claim listings."""

    def __init__(self, seeds: SeedSet, error: Exception) -> None:
        super().__init__(seeds)
        self.error = error
        self.closed = False

    def _claims(self, flt: ClaimFilter, limit: int, after: str | None) -> list[ClaimView]:
        raise self.error

    def close(self) -> None:
        self.closed = True


@pytest.fixture(scope="module")
def fixture_seeds(fixture_dir: Path) -> SeedSet:
    return validate_seeds(fixture_dir)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (QueryRejectedError("writes are not allowed"), 400),
        (QueryTimeoutError("ran past 10 s"), 504),
        (StoreUnavailableError("connection refused"), 503),
        (QueryTooLargeError("the query needs more memory than allowed"), 400),
        (StoreBusyError("2 Cypher queries are running already"), 429),
        (StoreError("Neo4j failed while answering (Neo.DatabaseError.General.UnknownError)"), 502),
        (RuntimeError("secret internals at /srv/db"), 500),
    ],
)
def test_store_errors_map_to_statuses(
    fixture_dir: Path, fixture_seeds: SeedSet, error: Exception, status: int
) -> None:
    store = FailingStore(fixture_seeds, error)
    app = create_app(Settings(seeds=fixture_dir), store=store)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.get("/v1/claims")
        problem(response, status)
        if status in {429, 503}:
            assert int(response.headers["retry-after"]) > 0
        if not isinstance(error, StanceGraphError):
            assert "secret" not in response.text
            assert "Traceback" not in response.text
    assert store.closed is False  # the caller owns a store it passes in


def test_health_degraded_when_store_unavailable(fixture_dir: Path, fixture_seeds: SeedSet) -> None:
    class Down(MemoryStore):
        def _stats(self) -> Stats:
            raise StoreUnavailableError("connection refused")

    with TestClient(create_app(Settings(seeds=fixture_dir), store=Down(fixture_seeds))) as test_client:
        response = test_client.get("/v1/health")
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert response.json()["status"] == "degraded"
    assert response.json()["counts"] is None


def test_lifespan_opens_and_closes_its_store(fixture_dir: Path) -> None:
    app = create_app(Settings(seeds=fixture_dir))
    assert app.state.store is None
    with TestClient(app):
        assert isinstance(app.state.store, GraphStore)
    assert app.state.store is None


def test_served_app_keeps_startup_objects_out_of_the_collector(fixture_dir: Path) -> None:
    with TestClient(create_app(Settings(seeds=fixture_dir))) as test_client:
        assert gc.get_freeze_count() > 0  # the store, routes and modules: no full collection walks them
        assert test_client.get("/v1/entities/anthropic/supporters").status_code == 200
    assert gc.get_freeze_count() == 0


# --- a real server -----------------------------------------------------------------------------


@pytest.mark.slow
def test_real_uvicorn_server(fixture_dir: Path) -> None:
    with api_process(free_port(), {"STANCEGRAPH_SEEDS": str(fixture_dir)}) as base:
        health = httpx.get(f"{base}/v1/health", timeout=5)
        assert health.json()["counts"]["claims"] == CLAIM_COUNT
        supporters = httpx.get(f"{base}/v1/entities/anthropic/supporters", timeout=5).json()
        assert "sam-altman" in [s["entity"]["id"] for s in supporters]
        problem(httpx.get(f"{base}/v1/claims", params={"limit": 0}, timeout=5), 422, "limit")


# --- user Cypher on Neo4j ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def neo4j_client(neo4j_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store="neo4j"), store=neo4j_store)) as test_client:
        yield test_client


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("query", "wrong"),
    [("MATCH (n:Entity) RETRUN n", "RETRUN"), ("MATCH (n:Entity)\nRETRUN n", "RETRUN")],
)
def test_cypher_syntax_error_points_into_the_users_query(
    neo4j_client: TestClient, query: str, wrong: str
) -> None:
    """The read-only check plans `EXPLAIN <query>`: its error must not show the prefix, and its
    line, column, offset and caret must be those of the text the user sent."""
    detail = problem(neo4j_client.post("/v1/cypher", json={"query": query}), 400)["detail"]
    assert "EXPLAIN" not in detail
    match = re.search(r"\(line (\d+), column (\d+) \(offset: (\d+)\)\)", detail)
    assert match, detail
    line, column, offset = (int(g) for g in match.groups())
    at = query.index(wrong)
    assert offset == at, detail
    assert line == query.count("\n", 0, at) + 1
    assert column == at - (query.rfind("\n", 0, at) + 1) + 1
    lines = detail.split("\n")
    echoed = next(i for i, text in enumerate(lines) if text.startswith('"'))
    assert lines[echoed] == f'"{query.split(chr(10))[line - 1]}"'
    assert lines[echoed + 1].index("^") == column  # after the opening quote


@pytest.mark.neo4j
def test_cypher_returns_json_properties_parsed(neo4j_client: TestClient, seeds: SeedSet) -> None:
    """Maps Neo4j cannot hold are stored as JSON strings; Cypher's answer gives them back as JSON."""
    entity = next(e for e in seeds.entities if e.aliases_by_language)
    claim, evidence = next((c, ev) for c in seeds.claims for ev in c.evidence if ev.values)
    query = (
        "MATCH (e:Entity {id: $entity}), (c:Claim {id: $claim}), (ev:Evidence {id: $evidence}) "
        "RETURN e, c, ev"
    )
    params = {"entity": entity.id, "claim": claim.id, "evidence": evidence.id}
    response = neo4j_client.post("/v1/cypher", json={"query": query, "params": params})
    assert response.status_code == 200, response.text
    row = response.json()["rows"][0]
    assert (
        row["e"]["properties"]["aliases_by_language"] == entity.model_dump(mode="json")["aliases_by_language"]
    )
    assert row["c"]["properties"]["qualifiers"] == claim.model_dump(mode="json")["qualifiers"]
    expected_values = {k: v.model_dump(mode="json") for k, v in evidence.values.items()}
    assert row["ev"]["properties"]["values"] == expected_values


# --- the shipped seeds -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(seeds=PROJECT_ROOT / "seeds"))) as test_client:
        yield test_client


def test_seed_graph_altman_supports_anthropic_verbatim(seed_client: TestClient) -> None:
    stances = {s["entity"]["id"]: s for s in seed_client.get("/v1/entities/anthropic/supporters").json()}
    assert "sam-altman" in stances
    evidence = [e for c in stances["sam-altman"]["claims"] for e in c["evidence"]]
    assert evidence
    texts: dict[str, str] = {}
    for record in evidence:
        source = record["source"]
        if source not in texts:
            texts[source] = seed_client.get(f"/v1/sources/{source}/text").text
        assert texts[source][record["start"] : record["end"]] == record["quote"]


def test_seed_graph_pentagon_alias(seed_client: TestClient) -> None:
    hits = seed_client.get("/v1/entities", params={"q": "五角大楼", "limit": 1}).json()["items"]
    assert hits[0]["entity"]["id"] == "us-department-of-war"
    assert hits[0]["matched"] == "五角大楼"


def test_seed_graph_walk_and_exports_agree(seed_client: TestClient) -> None:
    counts = seed_client.get("/v1/health").json()["counts"]
    ids = [c["id"] for c in walk(seed_client, "/v1/claims", {"limit": 7})]
    assert len(ids) == len(set(ids)) == counts["claims"]
    graph = nx.read_graphml(
        io.BytesIO(seed_client.get("/v1/export", params={"format": "graphml"}).content), force_multigraph=True
    )
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (counts["entities"], counts["claims"])


def test_docs_examples_are_real(seed_client: TestClient) -> None:
    """The /docs examples are answers of the graph served: the example claim is what its own
    route returns, and every example entity id names an entity."""
    schema = seed_client.get("/openapi.json").json()
    path = "/v1/claims/{claim_id}"
    operation = schema["paths"][path]["get"]
    claim_id = next(p["example"] for p in operation["parameters"] if p["name"] == "claim_id")
    example = operation["responses"]["200"]["content"]["application/json"]["example"]
    assert example == seed_client.get(f"/v1/claims/{claim_id}").json()
    text = seed_client.get(f"/v1/sources/{example['evidence'][0]['source']}/text").text
    first = example["evidence"][0]
    assert text[first["start"] : first["end"]] == first["quote"]
    for name in ("entity_id", "subject", "object", "a", "b", "from", "to"):
        for operations in schema["paths"].values():
            for parameter in operations.get("get", {}).get("parameters", []):
                # /v1/coalitions/compare's from and to are days, and get no entity example.
                if parameter["name"] == name and parameter["schema"].get("format") != "date":
                    assert seed_client.get(f"/v1/entities/{parameter['example']}").status_code == 200


def test_docs_enumerate_the_vocabulary(seed_client: TestClient) -> None:
    """`kind` and `predicate` are strings in the signatures; the document lists the valid ones."""
    schema = seed_client.get("/openapi.json").json()
    vocabulary = seed_client.get("/v1/vocabulary").json()

    def enum(path: str, name: str) -> list[str]:
        parameter = next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name)
        return next(b["enum"] for b in parameter["schema"]["anyOf"] if b.get("type") == "string")

    assert enum("/v1/entities", "kind") == sorted(vocabulary["kinds"])
    assert enum("/v1/claims", "predicate") == sorted(vocabulary["predicates"])
    assert enum("/v1/conflicts", "kind") == ["figures", "dates", "status"]  # its own, kept


def test_docs_without_a_store_yet_still_build() -> None:
    app = create_app(Settings(), store=None)
    assert "/v1/claims" in app.openapi()["paths"]  # no examples, and not kept without them
    assert app.openapi_schema is None


def _read_response(sock: socket.socket) -> tuple[bytes, bytes]:
    """One HTTP/1.1 response from `sock`: its head and its body (by Content-Length)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"the server closed the connection after {data!r}"
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    fields = dict(line.split(b": ", 1) for line in head.split(b"\r\n")[1:])
    length = int({k.lower(): v for k, v in fields.items()}[b"content-length"])
    while len(body) < length:
        body += sock.recv(65536)
    return head, body


@pytest.mark.slow
def test_an_unexpected_error_keeps_the_connection(fixture_dir: Path, fixture_seeds: SeedSet) -> None:
    """A 500 is problem+json and the keep-alive connection stays open for the next request."""
    port = free_port()
    store = FailingStore(fixture_seeds, RuntimeError("secret internals at /srv/db"))
    with (
        api_thread(Settings(seeds=fixture_dir), store, port),
        socket.create_connection(("127.0.0.1", port), timeout=10) as sock,
    ):
        for path in ("/v1/claims", "/v1/claims?limit=5", "/v1/health"):
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            head, body = _read_response(sock)
            assert b"connection: close" not in head.lower(), head
            if path.startswith("/v1/claims"):
                assert head.startswith(b"HTTP/1.1 500"), head
                assert json.loads(body)["detail"] == "an unexpected error occurred"
            else:
                assert head.startswith(b"HTTP/1.1 200"), head
