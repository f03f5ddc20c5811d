"""Writing a variant spec file in a test (a folder of its own, so that its id is free)."""

from __future__ import annotations

from pathlib import Path


def write_variant(folder: Path, body: str, base: str = "national-2021") -> Path:
    """``folder/variant.yaml``: ``extends: base`` and ``body`` (YAML at the top level)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "variant.yaml"
    path.write_text(f"id: variant\nextends: {base}\n{body}", encoding="utf-8")
    return path
