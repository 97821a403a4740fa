"""JSON Schema of the seed records, generated from the pydantic models and committed.

`python -m stancegraph.schema.jsonschema` rewrites schema/jsonschema/; a test fails when the
committed files are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from stancegraph.schema.models import Claim, Entity, Evidence, Source

SCHEMA_DIR = Path(__file__).with_name("jsonschema")
MODELS: dict[str, type[BaseModel]] = {
    "entity": Entity,
    "source": Source,
    "claim": Claim,
    "evidence": Evidence,
}


def render() -> dict[str, str]:
    """File name -> JSON text, for every record model."""
    out: dict[str, str] = {}
    for name, model in MODELS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://stancegraph.dev/schema/{name}.json"
        out[f"{name}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return out


def write(directory: Path = SCHEMA_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write():
        print(path)
