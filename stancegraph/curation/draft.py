"""`stancegraph accept DRAFT`: merge a reviewed draft into its source's seed file, all or nothing.

A draft is a YAML file in the seed source-file format (`sources:` optional, `entities:`, `claims:`
with `evidence:`), one source's proposals that the curator has pruned. Accepting it:

1. reads the draft (a YAML error is the draft's file:line) and finds its one source, in the
   seeds or in the draft's own `sources:` block;
2. fills missing offsets as `evidence locate` does, and drops what the seeds already hold (the
   same quote span for the same claim, an identical entity or source block), so accepting a
   draft twice adds nothing;
3. edits the source's seed file as text, line by line, appending blocks where they belong, so
   its comments and layout survive (the same approach as `evidence locate`);
4. validates the seeds as they would be after the merge (a mirror of the seeds folder with the
   merged file in it, checked by schema/validate.py), and reports a problem in what came from
   the draft at the draft's own file:line;
5. only then replaces the file (temp file + rename): a failed accept changes nothing.

Steps 1-2 are curation/plan.py, 3-4 curation/merge.py; this module runs them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from stancegraph.curation.merge import merge_text, validate_merged
from stancegraph.curation.plan import check_shape, plan_merge
from stancegraph.schema.errors import Issue, SeedValidationError
from stancegraph.schema.validate import read_seeds
from stancegraph.schema.vocabulary import load_vocabulary
from stancegraph.schema.yamlfile import load_yaml


@dataclass(frozen=True)
class Accepted:
    """What an accept merged (or, with write=False, would merge) into `file`."""

    source: str
    file: Path
    claims: int
    evidence: int
    entities: int
    written: bool

    @property
    def nothing_new(self) -> bool:
        return self.claims == self.evidence == self.entities == 0


def accept(draft_path: Path, seeds_dir: Path, *, write: bool = True) -> Accepted:
    """Merge the draft at `draft_path` into the seeds under `seeds_dir`; raise SeedValidationError
    (every problem, each at its file:line, the draft's where it lies in the draft) and change no
    file when anything is wrong."""
    draft_display = str(draft_path)
    issues: list[Issue] = []
    draft = load_yaml(draft_path, draft_display, issues)
    if draft is None:
        raise SeedValidationError(issues)
    check_shape(draft, draft_display, issues)
    if issues:
        raise SeedValidationError(issues)
    if not seeds_dir.is_dir():
        raise SeedValidationError([Issue(str(seeds_dir), None, "", "no such seeds folder (--seeds)")])
    raw = read_seeds(seeds_dir)
    vocab = load_vocabulary()
    plan = plan_merge(draft, draft_display, raw, vocab, issues)
    if issues or plan is None:
        raise SeedValidationError(issues)
    merged = merge_text(plan, issues)
    if issues or merged is None:
        raise SeedValidationError(issues)
    problems = validate_merged(plan, merged, seeds_dir, vocab)
    if problems:
        raise SeedValidationError(problems)
    evidence = sum(len(block["evidence"]) for _, block in plan.claims) + sum(
        len(added) for added in plan.evidence.values()
    )
    result = Accepted(
        plan.source.id, plan.target, len(plan.claims), evidence, len(plan.entities), written=False
    )
    if write and not result.nothing_new:
        atomic_write(plan.target, merged.text)
        return Accepted(result.source, result.file, result.claims, result.evidence, result.entities, True)
    return result


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` through a temp file in the same folder and a rename: a reader (or
    a crash) sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, temp)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
