"""`stancegraph source add`: real files through the real CLI, on a copy of the seeds; every
result must pass `stancegraph validate`."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from stancegraph import cli
from stancegraph.curation.language import chinese_script
from stancegraph.launch import free_port
from stancegraph.schema.validate import read_seeds
from stancegraph.settings import PROJECT_ROOT

# A small news page as sites serve them: navigation, a byline, widgets inside the article, a
# sidebar and a footer around three paragraphs (written for this test).
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Lawmakers question the Pentagon's AI contracts | Example Ledger</title>
<meta property="og:title" content="Lawmakers question the Pentagon's AI contracts">
<meta property="og:site_name" content="Example Ledger">
<meta property="og:url" content="https://www.exampleledger.com/tech/lawmakers-question-ai-contracts">
<link rel="canonical" href="https://www.exampleledger.com/tech/lawmakers-question-ai-contracts">
<meta property="article:published_time" content="2026-03-12T09:30:00-04:00">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/tech">Tech</a></li>
<li><a href="/politics">Politics</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav></header>
<main><article>
<h1>Lawmakers question the Pentagon's AI contracts</h1>
<p class="byline">By Jane Roe</p>
<p>Senators on Thursday asked the Department of Defense to explain how it chose the companies
behind its new artificial intelligence contracts.</p>
<p>"We need to know what safeguards were agreed," one senator said in a letter to the department.</p>
<p>Share this article</p>
<p>The department did not immediately respond to a request for comment, a spokesperson said.</p>
<p>Advertisement</p>
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a">Markets slide on rate fears</a></li>
<li><a href="/b">Ten gadgets for spring</a></li></ul></aside>
<footer><p>© 2026 Example Ledger. All rights reserved.</p><a href="/privacy">Privacy</a>
<a href="/terms">Terms</a></footer>
</body></html>
"""
PAGE_ID = "example-ledger-2026-03-12-lawmakers-question-pentagon-ai-contracts"

ENGLISH = "The agency said on Friday it would review every contract it signed with AI companies.\n"
SIMPLIFIED = "美国国防部周四表示，将重新审查与人工智能公司签订的全部合同，并在下月公布结果。\n"
TRADITIONAL = "美國國防部週四表示，將重新審查與人工智慧公司簽訂的全部合約，並在下月公布結果。\n"


@pytest.fixture(autouse=True)
def _no_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what a test sets: a STANCEGRAPH_SEEDS of the machine must not pick the seeds."""
    for name in [k for k in os.environ if k.startswith("STANCEGRAPH_")]:
        monkeypatch.delenv(name)


def invoke(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli.app, list(args), input=stdin, env=env)


def add(seeds: Path, *args: str, stdin: str | None = None) -> Result:
    return invoke("source", "add", *args, "--seeds", str(seeds), stdin=stdin)


def block(seeds: Path, ident: str) -> dict[str, object]:
    data = yaml.safe_load((seeds / "sources" / f"{ident}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    (source,) = data["sources"]
    assert isinstance(source, dict)
    return source


def entities_of(seeds: Path, ident: str) -> list[dict[str, object]]:
    data = yaml.safe_load((seeds / "sources" / f"{ident}.yaml").read_text(encoding="utf-8"))
    entities = data.get("entities") or []
    assert isinstance(entities, list)
    return entities


def printed_id(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def assert_valid(seeds: Path) -> None:
    result = invoke("validate", "--seeds", str(seeds))
    assert result.exit_code == 0, result.output


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def a_hosted_outlet(seeds: Path) -> tuple[str, str]:
    """An outlet of the seeds with a host among its aliases (read from the seeds): (id, host)."""
    for located in read_seeds(seeds).entities:
        entity = located.record
        hosts = [a for a in entity.aliases if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", a)]
        if entity.kind == "outlet" and hosts:
            return entity.id, hosts[0]
    pytest.fail("no outlet in the seeds has a host alias (the shipped seeds have several)")


def test_a_text_file_becomes_a_text_and_a_source_block(seeds_copy: Path, tmp_path: Path) -> None:
    # CRLF line endings and a decomposed é: stored with LF and composed (NFC); nothing else is
    # changed (no final newline added), so the same capture added again is the same text.
    raw = "Cafe\u0301 owners said on Friday the agency had cancelled its order.\r\nA second paragraph."
    article = write(tmp_path, "article.txt", raw)
    result = add(seeds_copy, str(article), "--outlet", "Example Ledger", "--title", "Agency cancels order")
    ident = printed_id(result)
    assert ident == "example-ledger-undated-agency-cancels-order"
    source = block(seeds_copy, ident)
    assert source["path"] == f"sources/{ident}.en.txt"
    stored = (seeds_copy / str(source["path"])).read_bytes()
    assert stored.decode("utf-8") == (
        "Café owners said on Friday the agency had cancelled its order.\nA second paragraph."
    )
    assert source["sha256"] == hashlib.sha256(stored).hexdigest()
    assert (source["language"], source["capture"], source["outlet"]) == ("en", "full", "example-ledger")
    assert_valid(seeds_copy)


def test_an_html_page_gives_its_main_text_and_metadata(seeds_copy: Path, tmp_path: Path) -> None:
    page = write(tmp_path, "page.html", PAGE)
    ident = printed_id(add(seeds_copy, str(page)))
    assert ident == PAGE_ID
    source = block(seeds_copy, ident)
    text = (seeds_copy / str(source["path"])).read_text(encoding="utf-8")
    assert "Senators on Thursday asked the Department of Defense" in text
    assert "a spokesperson said" in text
    for chrome in ("Most read", "Markets slide", "Privacy", "All rights reserved", "Politics"):
        assert chrome not in text, chrome
    assert source["title"] == "Lawmakers question the Pentagon's AI contracts"
    assert source["url"] == "https://www.exampleledger.com/tech/lawmakers-question-ai-contracts"
    assert source["published"] == "2026-03-12T09:30:00-04:00"
    # Lines left inside the article that are widgets, and the repeated headline.
    assert source["chrome"] == [
        "Lawmakers question the Pentagon's AI contracts",
        "Share this article",
        "Advertisement",
    ]
    # The site name names no known outlet: a new one is proposed, its host an alias.
    (outlet,) = entities_of(seeds_copy, ident)
    assert outlet == {
        "id": "example-ledger",
        "kind": "outlet",
        "names": {"en": "Example Ledger"},
        "aliases": ["exampleledger.com"],
    }
    assert source["outlet"] == "example-ledger"
    assert_valid(seeds_copy)


def test_standard_input(seeds_copy: Path) -> None:
    result = add(seeds_copy, "-", "--outlet", "Example Ledger", stdin=ENGLISH)
    ident = printed_id(result)
    source = block(seeds_copy, ident)
    assert (seeds_copy / str(source["path"])).read_text(encoding="utf-8") == ENGLISH
    # No title given or stated: the first line is the title, and stays citable (not chrome).
    assert source["title"] == ENGLISH.strip()
    assert "chrome" not in source
    assert_valid(seeds_copy)


def test_html_on_standard_input_is_read_as_html(seeds_copy: Path) -> None:
    ident = printed_id(add(seeds_copy, "-", stdin=PAGE))
    assert ident == PAGE_ID


def test_options_win_over_what_the_page_says(seeds_copy: Path, tmp_path: Path) -> None:
    outlet, _ = a_hosted_outlet(seeds_copy)
    based_on = read_seeds(seeds_copy).sources[0].record.id
    page = write(tmp_path, "page.html", PAGE)
    result = add(
        seeds_copy,
        str(page),
        "--id",
        "my-chosen-id",
        "--url",
        "https://example.org/elsewhere",
        "--outlet",
        outlet,
        "--published",
        "2026-03",
        "--language",
        "en-GB",
        "--title",
        "A title of my own",
        "--based-on",
        based_on,
        "--excerpts",
    )
    assert printed_id(result) == "my-chosen-id"
    source = block(seeds_copy, "my-chosen-id")
    assert {
        k: source[k] for k in ("url", "outlet", "published", "language", "title", "based_on", "capture")
    } == {
        "url": "https://example.org/elsewhere",
        "outlet": outlet,
        "published": "2026-03",
        "language": "en-GB",
        "title": "A title of my own",
        "based_on": based_on,
        "capture": "excerpts",
    }
    assert source["path"] == "sources/my-chosen-id.en.txt"
    assert entities_of(seeds_copy, "my-chosen-id") == []  # a known outlet: no new entity
    assert_valid(seeds_copy)


@pytest.mark.parametrize(
    ("text", "tag", "suffix"),
    [(ENGLISH, "en", "en"), (SIMPLIFIED, "zh-Hans", "zh"), (TRADITIONAL, "zh-Hant", "zh")],
)
def test_the_language_is_detected(seeds_copy: Path, tmp_path: Path, text: str, tag: str, suffix: str) -> None:
    article = write(tmp_path, "article.txt", text)
    ident = printed_id(add(seeds_copy, str(article), "--outlet", "Example Ledger", "--title", "Review"))
    source = block(seeds_copy, ident)
    assert source["language"] == tag
    assert source["path"] == f"sources/{ident}.{suffix}.txt"
    assert_valid(seeds_copy)  # Chinese sources need translations only once they have claims


def test_a_text_with_characters_common_to_both_scripts_is_plain_zh() -> None:
    assert chinese_script("人工智能公司 Anthropic 和 OpenAI") == "zh"
    assert chinese_script(SIMPLIFIED) == "zh-Hans"
    assert chinese_script(TRADITIONAL) == "zh-Hant"


def test_the_outlet_is_found_by_its_url_host(seeds_copy: Path, tmp_path: Path) -> None:
    outlet, host = a_hosted_outlet(seeds_copy)
    article = write(tmp_path, "article.txt", ENGLISH)
    url = f"https://www.{host}/some/story-123"
    ident = printed_id(add(seeds_copy, str(article), "--url", url, "--title", "Agency review"))
    assert ident == f"{outlet}-undated-agency-review"
    assert block(seeds_copy, ident)["outlet"] == outlet
    assert entities_of(seeds_copy, ident) == []
    assert_valid(seeds_copy)


def test_the_outlet_is_found_by_a_name_in_any_case(seeds_copy: Path, tmp_path: Path) -> None:
    entity = next(e.record for e in read_seeds(seeds_copy).entities if e.record.kind == "outlet")
    article = write(tmp_path, "article.txt", ENGLISH)
    ident = printed_id(
        add(seeds_copy, str(article), "--outlet", entity.names.en.upper(), "--title", "Review")
    )
    assert block(seeds_copy, ident)["outlet"] == entity.id
    assert entities_of(seeds_copy, ident) == []


def test_a_new_outlet_in_chinese_is_named_by_its_host(seeds_copy: Path, tmp_path: Path) -> None:
    article = write(tmp_path, "article.txt", TRADITIONAL)
    result = add(
        seeds_copy, str(article), "--outlet", "範例新聞網", "--url", "https://news.fanli-example.tw/a/1"
    )
    ident = printed_id(result)
    (outlet,) = entities_of(seeds_copy, ident)
    assert outlet["id"] == "news-fanli-example"
    assert outlet["names"] == {"en": "news.fanli-example.tw", "zh": "範例新聞網"}
    assert block(seeds_copy, ident)["outlet"] == "news-fanli-example"
    assert_valid(seeds_copy)


def test_a_page_that_names_no_site_gets_an_outlet_named_by_its_host(seeds_copy: Path, tmp_path: Path) -> None:
    nameless = re.sub(r"<meta property=\"og:site_name\"[^>]*>\n", "", PAGE).replace(" | Example Ledger", "")
    ident = printed_id(add(seeds_copy, str(write(tmp_path, "page.html", nameless))))
    (outlet,) = entities_of(seeds_copy, ident)
    assert (outlet["id"], outlet["names"]) == ("exampleledger", {"en": "exampleledger.com"})
    assert ident.startswith("exampleledger-2026-03-12-")
    assert_valid(seeds_copy)


def test_chrome_rules_of_the_rules_file_mark_chinese_page_furniture(seeds_copy: Path, tmp_path: Path) -> None:
    text = f"# 热门搜索 #\n1234点击    2026-03-02 10:00\n{SIMPLIFIED}关键词: 人工智能 , 国防部\n"
    article = write(tmp_path, "article.txt", text)
    result = invoke(
        "source", "add", str(article), "--outlet", "Example Ledger", "--seeds", str(seeds_copy), "--json"
    )
    assert result.exit_code == 0, result.output
    added = json.loads(result.stdout)
    assert [(c["line"], c["rule"]) for c in added["chrome"]] == [
        ("# 热门搜索 #", "hot-searches"),
        ("1234点击 2026-03-02 10:00", "hit-counter"),
        ("关键词: 人工智能 , 国防部", "keywords"),
    ]
    assert added["language"] == "zh-Hans" and added["created"] is True
    # The chrome lines validate against the text (spaces compared loosely, as validate does).
    assert_valid(seeds_copy)


def test_a_page_that_states_no_date_is_unknown(seeds_copy: Path, tmp_path: Path) -> None:
    undated = re.sub(r"<meta property=\"article:published_time\"[^>]*>\n", "", PAGE)
    page = write(tmp_path, "page.html", undated)
    ident = printed_id(add(seeds_copy, str(page)))
    assert ident == "example-ledger-undated-lawmakers-question-pentagon-ai-contracts"
    assert block(seeds_copy, ident)["published"] == "unknown"
    assert_valid(seeds_copy)


def test_adding_the_same_text_twice_is_a_no_op(seeds_copy: Path, tmp_path: Path) -> None:
    page = write(tmp_path, "page.html", PAGE)
    ident = printed_id(add(seeds_copy, str(page)))
    yaml_file = seeds_copy / "sources" / f"{ident}.yaml"
    before = yaml_file.read_bytes()
    again = add(seeds_copy, str(page))
    assert printed_id(again) == ident
    assert "already added" in again.stderr and "nothing written" in again.stderr
    assert yaml_file.read_bytes() == before
    assert_valid(seeds_copy)


def test_a_shipped_text_is_already_added(seeds_copy: Path, tmp_path: Path) -> None:
    shipped = read_seeds(seeds_copy).sources[0].record
    result = add(seeds_copy, str(seeds_copy / shipped.path), "--outlet", shipped.outlet)
    assert printed_id(result) == shipped.id
    assert "already added" in result.stderr


def test_an_id_taken_by_another_text_is_a_one_line_error(seeds_copy: Path, tmp_path: Path) -> None:
    taken = read_seeds(seeds_copy).sources[0].record
    before = {p: p.read_bytes() for p in (seeds_copy / "sources").iterdir()}
    article = write(tmp_path, "article.txt", ENGLISH)
    # Said first: without --outlet the id is still what is wrong.
    result = add(seeds_copy, str(article), "--id", taken.id)
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error --id:") and taken.id in line and "another --id" in line
    assert {p: p.read_bytes() for p in (seeds_copy / "sources").iterdir()} == before


def test_an_existing_file_of_that_name_is_never_overwritten(seeds_copy: Path, tmp_path: Path) -> None:
    kept = "# the curator's notes\nentities: []\n"
    target = seeds_copy / "sources" / "my-chosen-id.yaml"
    target.write_text(kept, encoding="utf-8")
    article = write(tmp_path, "article.txt", ENGLISH)
    result = add(seeds_copy, str(article), "--id", "my-chosen-id", "--outlet", "Example Ledger")
    assert result.exit_code == 1 and "my-chosen-id.yaml" in result.stderr
    assert target.read_text(encoding="utf-8") == kept
    assert not (seeds_copy / "sources" / "my-chosen-id.en.txt").exists()


def test_a_bad_option_is_a_one_line_error_naming_it_and_writes_nothing(
    seeds_copy: Path, tmp_path: Path
) -> None:
    before = sorted((seeds_copy / "sources").iterdir())
    article = write(tmp_path, "article.txt", ENGLISH)
    result = add(seeds_copy, str(article), "--outlet", "Example Ledger", "--published", "2026-02-30")
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error --published:") and "2026-02-30" in line
    no_outlet = add(seeds_copy, str(article))
    assert no_outlet.exit_code == 2 and "--outlet" in no_outlet.stderr
    assert sorted((seeds_copy / "sources").iterdir()) == before


def test_the_seeds_come_from_stancegraph_seeds_too(seeds_copy: Path, tmp_path: Path) -> None:
    article = write(tmp_path, "article.txt", ENGLISH)
    env = {"STANCEGRAPH_SEEDS": str(seeds_copy)}
    result = invoke("source", "add", str(article), "--outlet", "Example Ledger", "--title", "Review", env=env)
    ident = printed_id(result)
    assert (seeds_copy / "sources" / f"{ident}.yaml").is_file()
    assert not (PROJECT_ROOT / "seeds" / "sources" / f"{ident}.yaml").exists()


def test_commands_that_read_seeds_take_seeds(seeds_copy: Path, tmp_path: Path) -> None:
    """A curator's copy is what validate, evidence locate, stats and query read with --seeds."""
    printed_id(add(seeds_copy, str(write(tmp_path, "page.html", PAGE))))
    found = invoke("query", "search", "Example Ledger", "--json", "--seeds", str(seeds_copy))
    assert found.exit_code == 0, found.output
    assert '"id": "example-ledger"' in found.stdout
    stats = invoke("stats", "--json", "--seeds", str(seeds_copy))
    assert stats.exit_code == 0 and '"sources"' in stats.stdout
    assert invoke("evidence", "locate", "--check", "--seeds", str(seeds_copy)).exit_code == 0
    (seeds_copy / "sources" / f"{PAGE_ID}.yaml").write_text("sources: [{id: x}]\n", encoding="utf-8")
    broken = invoke("validate", "--seeds", str(seeds_copy))
    assert broken.exit_code == 1 and f"{PAGE_ID}.yaml" in broken.output
    # load and serve validate the copy before they connect or bind: the broken file is named.
    for command in (["load"], ["serve", "--port", str(free_port())]):
        result = invoke(*command, "--seeds", str(seeds_copy))
        assert result.exit_code == 1 and f"{PAGE_ID}.yaml" in result.output, command
        assert "Traceback" not in result.output


def _readme_commands() -> list[tuple[str, str]]:
    """Each `$ ` line of the section's console blocks, with what the README shows it prints."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Add a source", 1)[1].split("\n#", 1)[0]
    blocks = re.findall(r"```console\n(.*?)```", section, re.S)
    return re.findall(r"^\$ (.+)\n((?:(?!\$ ).*\n)*)", "".join(blocks), re.M)


def test_the_readme_example_runs_as_pasted(tmp_path: Path) -> None:
    """The README's commands, in a shell, from a folder laid out like a checkout (the seeds, and
    this interpreter's `stancegraph` as .venv/bin/stancegraph); each prints what the README shows."""
    commands = _readme_commands()
    assert any("source add" in command for command, _ in commands)
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "stancegraph").symlink_to(Path(sys.executable).parent / "stancegraph")
    subprocess.run(["cp", "-r", str(PROJECT_ROOT / "seeds"), str(tmp_path / "seeds")], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STANCEGRAPH_")}
    for command, shown in commands:
        done = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120
        )
        assert done.returncode == 0, (command, done.stderr)
        if shown.strip():
            assert done.stdout.strip() == shown.strip(), command
    # The source went to the copy, not to the seeds.
    assert len(list((tmp_path / "my-seeds" / "sources").glob("*.yaml"))) == (
        len(list((tmp_path / "seeds" / "sources").glob("*.yaml"))) + 1
    )
