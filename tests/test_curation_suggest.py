"""Curation: mentions of known entities, and `stancegraph suggest` (claims, evidence, new entities)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError
from typer.testing import CliRunner, Result

from stancegraph import cli
from stancegraph.curation.mentions import MentionIndex
from stancegraph.curation.plan import TRANSLATION_TODO
from stancegraph.curation.score import compare, without_source
from stancegraph.curation.suggest import NewEntityRef, RuleSuggester, Suggestion, load_source
from stancegraph.schema.models import Entity, Names
from stancegraph.schema.validate import validate_seeds
from stancegraph.schema.vocabulary import VOCABULARY_PATH, Vocabulary
from tests.conftest import SEEDS


def _entity(ident: str, kind: str, en: str, *aliases: str, zh: str | None = None) -> Entity:
    return Entity(id=ident, kind=kind, names=Names(en=en, zh=zh), aliases=list(aliases))


@pytest.fixture(scope="module")
def index() -> MentionIndex:
    return MentionIndex(
        [
            _entity("hegseth", "person", "Pete Hegseth", "Hegseth", "赫塞斯", zh="海格塞斯"),
            _entity(
                "dow", "agency", "US Department of War", "War Department", "DoD", "美国国防部", "五角大楼"
            ),
            _entity("trump", "person", "Donald Trump", "Trump", "特朗普"),
        ]
    )


def _found(index: MentionIndex, text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entity) for m in index.find(text)]


def test_mentions_inside_longer_names_map_back_to_verbatim_spans(index: MentionIndex) -> None:
    text = "Defence Secretary Pete  Hegseth told the U.S. War Department."
    assert _found(index, text) == [("Pete  Hegseth", "hegseth"), ("War Department", "dow")]


def test_longest_alias_wins_and_mentions_do_not_overlap(index: MentionIndex) -> None:
    mentions = index.find("Pete Hegseth")
    assert [(m.start, m.end, m.alias) for m in mentions] == [(0, 12, "Pete Hegseth")]


def test_latin_aliases_match_whole_words_only(index: MentionIndex) -> None:
    assert _found(index, "Dodge trucks, a Trumpet, and the DoD.") == [("DoD", "dow")]


def test_traditional_and_simplified_characters_are_one_name(index: MentionIndex) -> None:
    assert _found(index, "美國國防部長赫塞斯與五角大樓") == [
        ("美國國防部", "dow"),
        ("赫塞斯", "hegseth"),
        ("五角大樓", "dow"),
    ]
    assert _found(index, "美国国防部长赫塞斯") == [("美国国防部", "dow"), ("赫塞斯", "hegseth")]


def test_han_names_need_no_word_boundaries(index: MentionIndex) -> None:
    assert _found(index, "特朗普表示") == [("特朗普", "trump")]


def test_regional_spellings_are_seed_aliases() -> None:
    """The regional transliterations the Chinese coverage uses are aliases in the seeds (data)."""
    seeds = validate_seeds(SEEDS)
    index = MentionIndex(seeds.entities)
    text = "川普與赫格塞斯、五角大廈"
    assert len(index.find(text)) == 3
    assert index.entity_of("川普") == index.entity_of("Donald Trump")
    assert index.entity_of("赫格塞斯") == index.entity_of("Pete Hegseth")


def test_an_empty_index_finds_nothing() -> None:
    assert MentionIndex([]).find("Pete Hegseth") == []


# --- suggest: a small seeds folder of our own, one source per test ------------------------------

ENTITIES = """\
entities:
  - {id: test-outlet, kind: outlet, names: {en: Test Outlet}}
  - {id: anthropic, kind: company, names: {en: Anthropic}}
  - {id: openai, kind: company, names: {en: OpenAI}}
  - id: pentagon
    kind: agency
    names: {en: US Department of War, zh: 美国战争部}
    aliases: [Pentagon, the Pentagon, Department of Defense, 五角大楼, 国防部]
  - {id: donald-trump, kind: person, names: {en: Donald Trump, zh: 特朗普}, aliases: [Trump]}
  - {id: pete-hegseth, kind: person, names: {en: Pete Hegseth, zh: 赫塞斯}, aliases: [Hegseth]}
"""


def make_seeds(
    root: Path, text: str, *, language: str = "en", published: str = "2026-02-28", claims: str = ""
) -> Path:
    """A seeds folder with the entities above and one source `src` whose text is `text`."""
    (root / "sources").mkdir(parents=True)
    (root / "entities.yaml").write_text(ENTITIES, encoding="utf-8")
    lang = language.split("-")[0]
    (root / "sources" / f"src.{lang}.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    (root / "sources" / "src.yaml").write_text(
        "sources:\n"
        f"  - {{id: src, title: A test article, outlet: test-outlet, published: {published},\n"
        f"     language: {language}, path: sources/src.{lang}.txt, sha256: {digest}}}\n" + claims,
        encoding="utf-8",
    )
    return root


def suggest_text(
    tmp_path: Path, text: str, *, vocabulary: Vocabulary | None = None, **kwargs: str
) -> list[Suggestion]:
    root = make_seeds(tmp_path / "seeds", text, **kwargs)
    source, body, seeds = load_source(root, "src")
    return RuleSuggester(vocabulary=vocabulary).suggest(source, body, seeds)


def claims_of(suggestions: list[Suggestion]) -> list[tuple[object, str | None, object]]:
    return [(s.subject, s.predicate, s.object) for s in suggestions if s.kind != "entity"]


def only(suggestions: list[Suggestion], predicate: str) -> Suggestion:
    found = [s for s in suggestions if s.predicate == predicate]
    assert len(found) == 1, [(s.predicate, s.rule) for s in suggestions]
    return found[0]


def test_a_cue_between_subject_and_object_proposes_the_claim_with_its_quote(tmp_path: Path) -> None:
    text = "Intro line.\nTrump banned Anthropic from federal work."
    found = only(suggest_text(tmp_path, text), "bans")
    assert (found.subject, found.object, found.kind) == ("donald-trump", "anthropic", "claim")
    assert found.quote == text[found.start : found.end] == "Trump banned Anthropic from federal work."
    assert found.claim == "donald-trump.bans.anthropic"
    assert found.rule.startswith("cue") and 0 < found.confidence <= 1


def test_cues_are_read_from_the_vocabulary_data(tmp_path: Path) -> None:
    text = "Trump zorbled Anthropic."
    assert claims_of(suggest_text(tmp_path, text)) == []
    data = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
    data["predicates"]["bans"]["cues"]["en"].append("zorble")
    vocabulary = Vocabulary.model_validate(data)
    found = suggest_text(tmp_path / "again", text, vocabulary=vocabulary)
    assert claims_of(found) == [("donald-trump", "bans", "anthropic")]


def test_the_vocabulary_refuses_a_cue_under_two_predicates_and_an_unknown_negated() -> None:
    data = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
    data["predicates"]["sues"]["cues"]["en"].append(data["predicates"]["bans"]["cues"]["en"][0])
    with pytest.raises(ValidationError, match="given for both"):
        Vocabulary.model_validate(data)
    data = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
    data["predicates"]["sues"]["negated"] = "no_such_predicate"
    with pytest.raises(ValidationError, match="unknown predicate 'no_such_predicate'"):
        Vocabulary.model_validate(data)


def test_negation_flips_to_the_negated_predicate_or_drops(tmp_path: Path) -> None:
    flipped = suggest_text(tmp_path / "a", "OpenAI will not support the Pentagon.")
    assert claims_of(flipped) == [("openai", "opposes", "pentagon")]
    assert "negated" in flipped[0].rule
    assert claims_of(suggest_text(tmp_path / "b", "Anthropic refused to negotiate with the Pentagon.")) == [
        ("anthropic", "refuses", "pentagon")
    ]
    assert claims_of(suggest_text(tmp_path / "c", "Anthropic 不会 起诉 五角大楼。", language="zh")) == []
    assert claims_of(suggest_text(tmp_path / "d", "Anthropic 起诉 五角大楼。", language="zh")) == [
        ("anthropic", "sues", "pentagon")
    ]


def test_passive_voice_puts_the_agent_first(tmp_path: Path) -> None:
    english = suggest_text(tmp_path / "en", "Anthropic was designated a risk by the Pentagon.")
    assert claims_of(english) == [("pentagon", "designates_as_risk", "anthropic")]
    chinese = suggest_text(tmp_path / "zh", "Anthropic遭五角大楼列为供应链风险。", language="zh")
    assert ("pentagon", "designates_as_risk", "anthropic") in claims_of(chinese)


def test_speaker_is_the_entity_nearest_the_attribution_cue(tmp_path: Path) -> None:
    said = only(suggest_text(tmp_path / "a", "Hegseth said the Pentagon will ban Anthropic."), "bans")
    assert said.speaker is not None and (said.speaker.type, said.speaker.entity) == ("person", "pete-hegseth")
    assert said.certainty == "attributed"
    narrated = only(suggest_text(tmp_path / "b", "The Pentagon banned Anthropic."), "bans")
    assert narrated.speaker is not None and narrated.speaker.type == "narration"
    assert narrated.certainty == "stated"
    zh = only(suggest_text(tmp_path / "c", "特朗普表示，五角大楼将封杀Anthropic。", language="zh"), "bans")
    assert zh.speaker is not None and zh.speaker.entity == "donald-trump"


def test_hedges_and_anonymous_sources_are_unconfirmed(tmp_path: Path) -> None:
    hedged = only(suggest_text(tmp_path / "a", "The Pentagon reportedly banned Anthropic."), "bans")
    assert hedged.certainty == "unconfirmed"
    anonymous = only(suggest_text(tmp_path / "b", "The Pentagon banned Anthropic, sources said."), "bans")
    assert anonymous.speaker is not None and anonymous.speaker.type == "anonymous"
    assert anonymous.certainty == "unconfirmed"
    zh = only(suggest_text(tmp_path / "c", "据报道，五角大楼封杀Anthropic。", language="zh"), "bans")
    assert zh.certainty == "unconfirmed"


@pytest.mark.parametrize(
    ("sentence", "language", "value", "precision"),
    [
        ("On Friday the Pentagon banned Anthropic.", "en", "2026-02-27", "day"),  # published Saturday
        ("The Pentagon will ban Anthropic on Monday.", "en", "2026-03-02", "day"),  # future: the coming one
        ("At Tuesday's meeting the Pentagon banned Anthropic.", "en", "2026-02-24", "day"),
        ("Last week the Pentagon banned Anthropic.", "en", "2026-02-16/2026-02-22", "range"),
        ("On Feb. 26 the Pentagon banned Anthropic.", "en", "2026-02-26", "day"),
        ("In March 2025 the Pentagon banned Anthropic.", "en", "2025-03", "month"),
        ("五角大楼2月26日封杀Anthropic。", "zh", "2026-02-26", "day"),
        ("五角大楼本周五封杀Anthropic。", "zh", "2026-02-27", "day"),
        ("五角大楼二月廿七日封杀Anthropic。", "zh", "2026-02-27", "day"),
        ("五角大楼九日封杀Anthropic。", "zh", "2026-02-09", "day"),
        ("五角大楼上周封杀Anthropic。", "zh", "2026-02-16/2026-02-22", "range"),
    ],
)
def test_dates_are_resolved_against_the_publication_day(
    tmp_path: Path, sentence: str, language: str, value: str, precision: str
) -> None:
    found = only(suggest_text(tmp_path, sentence, language=language), "bans")
    assert found.date is not None
    assert (found.date.value, found.date.precision) == (value, precision)
    assert found.date.wording is not None and found.date.wording in sentence


def test_no_date_is_guessed_from_a_weekday_when_the_publication_day_is_unknown(tmp_path: Path) -> None:
    found = only(
        suggest_text(tmp_path, "On Friday the Pentagon banned Anthropic.", published="2026-02"), "bans"
    )
    assert found.date is None


@pytest.mark.parametrize(
    ("sentence", "language", "expected"),
    [
        ("The Pentagon signed a contract with OpenAI worth about $200 million.", "en",
         {"type": "money", "amount": 200_000_000, "currency": "USD", "bound": "about"}),
        ("The Pentagon signed a contract with OpenAI, and more than 300 employees objected.", "en",
         {"type": "count", "value": 300, "bound": "more_than"}),
        ("五角大楼与OpenAI签订合约，近百人反对。", "zh", {"type": "count", "value": 100, "bound": "nearly"}),
        ("五角大楼与OpenAI签订了价值高达2亿美元的合约。", "zh",
         {"type": "money", "amount": 200_000_000, "currency": "USD", "bound": "at_most"}),
    ],
)  # fmt: skip
def test_figures_carry_their_bounds(
    tmp_path: Path, sentence: str, language: str, expected: dict[str, object]
) -> None:
    found = [s for s in suggest_text(tmp_path, sentence, language=language) if s.values]
    assert found, "no suggestion carries the figure"
    values = [v.model_dump(mode="json") for v in found[0].values.values()]
    assert any(expected.items() <= value.items() for value in values), values


EXISTING = """\
claims:
  - subject: donald-trump
    predicate: bans
    object: anthropic
    evidence:
      - {source: src, quote: Trump banned Anthropic., start: 0, end: 23, speaker: {type: narration},
         certainty: stated}
"""


def test_a_known_claim_gets_evidence_and_recorded_evidence_is_not_proposed_again(tmp_path: Path) -> None:
    text = "Trump banned Anthropic.\nLater, Trump banned Anthropic again."
    found = [s for s in suggest_text(tmp_path, text, claims=EXISTING) if s.predicate == "bans"]
    assert [(s.kind, s.claim, s.start) for s in found] == [("evidence", "donald-trump.bans.anthropic", 24)]


def test_titles_propose_who_leads_what(tmp_path: Path) -> None:
    found = suggest_text(tmp_path / "en", "Pentagon Secretary Pete Hegseth spoke.")
    assert ("pete-hegseth", "leads", "pentagon") in claims_of(found)
    zh = suggest_text(tmp_path / "zh", "国防部长赫塞斯发言。", language="zh")
    assert ("pete-hegseth", "leads", "pentagon") in claims_of(zh)


def test_new_names_are_proposed_as_entities_with_a_kind_and_an_id(tmp_path: Path) -> None:
    english = suggest_text(
        tmp_path / "en", "Meanwhile Treasury Secretary Scott Bessent criticized Anthropic."
    )
    entities = {
        (s.subject.new, s.subject.kind, s.subject.id)
        for s in english
        if isinstance(s.subject, NewEntityRef) and s.kind == "entity"
    }
    assert ("Scott Bessent", "person", "scott-bessent") in entities
    assert (
        NewEntityRef(new="Scott Bessent", id="scott-bessent", kind="person"),
        "opposes",
        "anthropic",
    ) in claims_of(english)
    chinese = suggest_text(
        tmp_path / "zh", "美国财政部长贝森特发文说，财政部将停止使用Anthropic的产品。", language="zh"
    )
    names = {
        s.subject.new: s.subject.kind
        for s in chinese
        if s.kind == "entity" and isinstance(s.subject, NewEntityRef)
    }
    assert names.get("贝森特") == "person"
    assert names.get("美国财政部") == "agency"


# --- the command ----------------------------------------------------------------------------------

CLI_TEXT = (
    "Trump banned Anthropic.\n"  # the evidence EXISTING records
    "Trump said on Friday that the Pentagon will stop using Anthropic.\n"
    "Treasury Secretary Scott Bessent criticized Anthropic.\n"
    "Later, Trump banned Anthropic again."
)
JSON_FIELDS = {"subject", "predicate", "object", "quote", "start", "end", "speaker", "certainty", "date"}
JSON_FIELDS |= {"values", "confidence", "rule", "kind"}


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli.app, list(args), env=env)


def test_suggest_json_prints_one_object_per_suggestion_with_every_field(tmp_path: Path) -> None:
    root = make_seeds(tmp_path / "seeds", CLI_TEXT, claims=EXISTING)
    result = invoke("suggest", "src", "--json", "--seeds", str(root))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines and all(set(line) >= JSON_FIELDS for line in lines)
    kinds = {line["kind"] for line in lines}
    assert kinds == {"claim", "evidence", "entity"}
    new = [line for line in lines if line["kind"] == "entity"]
    assert {"new": "Scott Bessent"} in [line["subject"] for line in new]
    for line in lines:
        assert CLI_TEXT[line["start"] : line["end"]] == line["quote"]


def test_suggest_reads_the_seeds_from_the_environment_and_says_which_source_is_unknown(
    tmp_path: Path,
) -> None:
    root = make_seeds(tmp_path / "seeds", CLI_TEXT)
    table = invoke("suggest", "src", env={"STANCEGRAPH_SEEDS": str(root), "COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "bans" in table.stdout and "suggestion(s) for src" in table.stdout
    missing = invoke("suggest", "srx", env={"STANCEGRAPH_SEEDS": str(root)})
    assert missing.exit_code == 1
    assert missing.stderr.strip().splitlines() == ["error no source with id 'srx'; did you mean src?"]


def test_the_draft_is_a_seed_file_that_validates_beside_the_seeds(tmp_path: Path) -> None:
    root = make_seeds(tmp_path / "seeds", CLI_TEXT, claims=EXISTING)
    draft = tmp_path / "draft.yaml"
    result = invoke("suggest", "src", "--write", str(draft), "--seeds", str(root), "--json")
    assert result.exit_code == 0, result.output
    text = draft.read_text(encoding="utf-8")
    assert "# claim · confidence" in text and "rule " in text
    data = yaml.safe_load(text)
    assert {e["id"] for e in data["entities"]} >= {"scott-bessent"}
    evidence_block = next(c for c in data["claims"] if c["id"] == "donald-trump.bans.anthropic")
    assert [e["start"] for e in evidence_block["evidence"]] == [CLI_TEXT.index("Later, Trump banned")]
    shutil.copy(draft, root / "sources" / "src-draft.yaml")
    seeds = validate_seeds(root)  # raises, listing every problem, if the draft is not seed-shaped
    merged = next(c for c in seeds.claims if c.id == "donald-trump.bans.anthropic")
    assert len(merged.evidence) == 2


def test_a_chinese_draft_marks_each_translation_to_write(tmp_path: Path) -> None:
    root = make_seeds(tmp_path / "seeds", "五角大楼封杀Anthropic。", language="zh-Hans")
    draft = tmp_path / "draft.yaml"
    assert invoke("suggest", "src", "--write", str(draft), "--seeds", str(root)).exit_code == 0
    evidence = yaml.safe_load(draft.read_text(encoding="utf-8"))["claims"][0]["evidence"][0]
    assert evidence["translation"].startswith(TRANSLATION_TODO)


def test_writing_a_draft_into_a_missing_folder_is_a_one_line_error(tmp_path: Path) -> None:
    root = make_seeds(tmp_path / "seeds", CLI_TEXT)
    result = invoke("suggest", "src", "--write", str(tmp_path / "no" / "draft.yaml"), "--seeds", str(root))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "--write" in result.stderr


def test_a_date_after_publication_is_expected_and_a_past_one_is_not(tmp_path: Path) -> None:
    coming = only(suggest_text(tmp_path / "a", "The Pentagon will ban Anthropic on Monday."), "bans")
    assert coming.status == "expected"
    past = only(
        suggest_text(tmp_path / "b", "Trump said on Friday that the Pentagon will ban Anthropic."), "bans"
    )
    assert past.date is not None and past.date.value == "2026-02-27" and past.status is None


def test_a_possessive_relates_the_owner_to_what_it_owns(tmp_path: Path) -> None:
    entities = ENTITIES + "  - {id: claude, kind: product, names: {en: Claude}}\n"
    text = "Users switched to Anthropic's Claude. Later it updated its Claude app."
    root = make_seeds(tmp_path / "seeds", text)
    (root / "entities.yaml").write_text(entities, encoding="utf-8")
    source, body, seeds = load_source(root, "src")
    found = [s for s in RuleSuggester().suggest(source, body, seeds) if s.predicate == "develops"]
    assert [(s.subject, s.object, s.rule) for s in found] == [
        ("anthropic", "claude", "possessive:develops"),
        ("anthropic", "claude", "possessive.pronoun:develops"),
    ]


def test_two_entities_no_rule_paired_are_a_weak_proposal_from_the_nearest_fitting_cue(tmp_path: Path) -> None:
    found = suggest_text(tmp_path, "In a ruling on the ban, Anthropic and the Pentagon were both named.")
    weak = [s for s in found if s.rule.startswith("co-mention")]
    # In the order the predicate's kinds allow: a company bans nobody, an agency may.
    assert [(s.subject, s.predicate, s.object) for s in weak] == [("pentagon", "bans", "anthropic")]
    assert all(s.confidence < 0.3 for s in weak)


# --- the scorer -----------------------------------------------------------------------------------

CURATED = """\
claims:
  - subject: donald-trump
    predicate: bans
    object: anthropic
    evidence:
      - {source: src, quote: Trump banned Anthropic., start: 0, end: 23, speaker: {type: narration},
         certainty: stated}
  - subject: openai
    predicate: contracts_with
    object: pentagon
    evidence:
      - {source: src, quote: OpenAI met the Pentagon., start: 24, end: 48, speaker: {type: narration},
         certainty: stated}
"""


def test_the_scorer_hides_the_sources_own_evidence_and_compares_with_the_baseline(tmp_path: Path) -> None:
    text = "Trump banned Anthropic.\nOpenAI met the Pentagon."
    seeds = validate_seeds(make_seeds(tmp_path / "seeds", text, claims=CURATED))
    assert without_source(seeds, "src").claims == []
    figures = compare(seeds)
    rules, baseline = figures["rules"]["en"], figures["baseline"]["en"]
    assert rules["reference_pairs"] == baseline["reference_pairs"] == 2
    # The cue rule finds Trump bans Anthropic; "met" is a cue of met_with, so the second pair
    # is found with the wrong predicate: recall 1, predicate accuracy 1/2.
    assert (rules["pair_recall"], rules["predicate_accuracy"]) == (1.0, 0.5)
    assert baseline["pair_recall"] == 1.0 and baseline["predicate_accuracy"] == 0.0
    assert rules["mention_recall"] == 1.0 and 0 < rules["precision"] <= 1


def test_a_draft_with_nothing_to_propose_is_still_a_valid_seed_file(tmp_path: Path) -> None:
    root = make_seeds(tmp_path / "seeds", "nothing here names anyone.")
    draft = root / "sources" / "src-draft.yaml"
    assert invoke("suggest", "src", "--write", str(draft), "--seeds", str(root)).exit_code == 0
    assert "Nothing to propose" in draft.read_text(encoding="utf-8")
    validate_seeds(root)


def test_new_names_stop_at_possessives_han_characters_and_sentence_ends(tmp_path: Path) -> None:
    found = suggest_text(tmp_path / "en", "Users left Apple's App Store. Mar Vista is not a name here.")
    names = [s.subject.new for s in found if s.kind == "entity" and isinstance(s.subject, NewEntityRef)]
    assert names[:2] == ["Apple", "App Store"]
    zh = suggest_text(tmp_path / "zh", "他们拒绝提供AI技术。", language="zh")
    assert not [s for s in zh if s.kind == "entity"]


def test_min_confidence_leaves_out_the_weaker_proposals(tmp_path: Path) -> None:
    root = make_seeds(
        tmp_path / "seeds", "In a ruling on the ban, Anthropic and the Pentagon were both named."
    )
    every = invoke("suggest", "src", "--json", "--seeds", str(root))
    strong = invoke("suggest", "src", "--json", "--min-confidence", "0.3", "--seeds", str(root))
    assert every.exit_code == strong.exit_code == 0
    assert [json.loads(x)["rule"] for x in every.stdout.splitlines()] == ["co-mention:ban"]
    assert strong.stdout == ""
    bad = invoke("suggest", "src", "--min-confidence", "2", "--seeds", str(root))
    assert bad.exit_code == 2 and "--min-confidence" in bad.output


def test_a_transliterated_name_before_says_is_a_new_person(tmp_path: Path) -> None:
    found = suggest_text(tmp_path, "贝森特表示，五角大楼将封杀Anthropic。", language="zh")
    people = [s.subject for s in found if s.kind == "entity" and isinstance(s.subject, NewEntityRef)]
    assert [(p.new, p.kind, p.id) for p in people] == [("贝森特", "person", "bei-sen-te")]
    bans = only(found, "bans")
    assert bans.speaker is not None and bans.speaker.entity == "bei-sen-te"


def test_where_it_was_said_is_the_speakers_via(tmp_path: Path) -> None:
    entities = ENTITIES + "  - {id: cnbc, kind: outlet, names: {en: CNBC}}\n"
    root = make_seeds(tmp_path / "seeds", "Hegseth told CNBC that the Pentagon will ban Anthropic.")
    (root / "entities.yaml").write_text(entities, encoding="utf-8")
    source, body, seeds = load_source(root, "src")
    bans = only(RuleSuggester().suggest(source, body, seeds), "bans")
    assert bans.speaker is not None
    assert (bans.speaker.entity, bans.speaker.via) == ("pete-hegseth", "CNBC")


def test_the_speaker_before_says_is_preferred_to_an_entity_after_it(tmp_path: Path) -> None:
    text = "Hegseth, in a note to the Pentagon, says Trump banned Anthropic."
    bans = [s for s in suggest_text(tmp_path, text) if s.rule == "cue:ban"]
    assert [(s.subject, s.object) for s in bans] == [("donald-trump", "anthropic")]
    assert bans[0].speaker is not None and bans[0].speaker.entity == "pete-hegseth"
