"""A small source of the tests' own, added to a copy of the shipped seeds: the curation tests'
starting point (its prose is the tests' own; its claims cite it)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from stancegraph.schema.validate import validate_seeds
from tests.conftest import SEEDS

SOURCE = "test-wire-2026-03-01-widget-row"
# The test's own prose: two paragraphs a draft can cite.
TEXT = (
    "Alice Example said on Monday that she backs Widget Corp in its dispute with the regulator.\n"
    "\n"
    "Bob Sample opposes Widget Corp, according to people familiar with the matter.\n"
)
SOURCE_YAML = """\
sources:
  - id: {source}
    title: "Widget row (a test source)"
    outlet: test-wire
    published: 2026-03-01
    language: en
    path: sources/{source}.en.txt
    sha256: {sha256}
entities:
  - id: test-wire
    kind: outlet
    names: {{en: Test Wire}}
  - id: alice-example
    kind: person
    names: {{en: Alice Example}}
  - id: widget-corp
    kind: company
    names: {{en: Widget Corp}}
claims:
  # A comment the curator wrote: accept must keep it.
  - id: alice-example.supports.widget-corp
    subject: alice-example
    predicate: supports
    object: widget-corp
    evidence:
      - source: {source}
        quote: "she backs Widget Corp"
        start: 34
        end: 55
        speaker: {{type: person, entity: alice-example}}
        certainty: attributed
"""
DRAFT = f"""\
# confidence and rule of each suggestion, as suggest writes them
entities:
  - id: bob-sample  # confidence 0.5, rule: new-person
    kind: person
    names: {{en: Bob Sample}}
claims:
  # confidence 0.8, rule: opposes-verb
  - subject: bob-sample
    predicate: opposes
    object: widget-corp
    evidence:
      - source: {SOURCE}
        quote: "Bob Sample opposes Widget Corp"
        speaker: {{type: anonymous, name: people familiar with the matter}}
        certainty: unconfirmed
  # confidence 0.6, rule: said-on
  - id: alice-example.supports.widget-corp
    subject: alice-example
    predicate: supports
    object: widget-corp
    evidence:
      - source: {SOURCE}
        quote: "Alice Example said on Monday"
        speaker: {{type: narration}}
        certainty: stated
        date: {{value: 2026-02-23, wording: Monday}}
"""


def seeds_with_test_source(root: Path) -> Path:
    """A copy of the shipped seeds at `root`, plus the test source (its text and its seed file)."""
    shutil.copytree(SEEDS, root)
    text = root / "sources" / f"{SOURCE}.en.txt"
    text.write_text(TEXT, encoding="utf-8")
    sha256 = hashlib.sha256(text.read_bytes()).hexdigest()
    seed_file(root).write_text(SOURCE_YAML.format(source=SOURCE, sha256=sha256), encoding="utf-8")
    validate_seeds(root)  # the starting point is valid
    return root


def seed_file(root: Path) -> Path:
    return root / "sources" / f"{SOURCE}.yaml"
