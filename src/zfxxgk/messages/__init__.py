"""The message catalogue: every user-facing text, in Chinese and English, kept as data.

Each ``*.yaml`` file beside this module is one area of the catalogue (``cli.yaml``, ``county.yaml`` …); a
key is ``area.name`` (``cli.no-input``) and its entry has a ``zh`` and an ``en`` text with ``{placeholders}``
filled by :func:`text`. The findings catalogue (``findings.yaml``) adds a severity and a fix per code.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

LANGS = ("zh", "en")


class _Fields(dict[str, Any]):
    """Leaves an unknown ``{placeholder}`` as it is rather than failing on it."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@cache
def catalogue() -> dict[str, dict[str, Any]]:
    """Every entry of every area, keyed ``area.name``."""
    out: dict[str, dict[str, Any]] = {}
    for item in sorted(resources.files(__name__).iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".yaml"):
            continue
        area = item.name.removesuffix(".yaml")
        data = yaml.safe_load(item.read_text(encoding="utf-8")) or {}
        for name, entry in data.items():
            out[f"{area}.{name}"] = entry if isinstance(entry, dict) else {"zh": entry, "en": entry}
    return out


def entry(key: str) -> dict[str, Any]:
    """The raw entry of ``key``; KeyError names the key when it is not in the catalogue."""
    try:
        return catalogue()[key]
    except KeyError:
        raise KeyError(f"message {key!r} is not in the catalogue") from None


def text(key: str, lang: str = "zh", **fields: Any) -> str:
    """The text of ``key`` in ``lang`` (Chinese when ``lang`` is not English), placeholders filled."""
    e = entry(key)
    template = str(e.get("en" if lang == "en" else "zh") or e.get("zh", ""))
    return template.format_map(_Fields(fields)) if fields else template


def pick(key: str, lang: str = "zh") -> dict[str, str]:
    """Both languages of ``key`` as ``{"zh": …, "en": …}`` (for tables of labels)."""
    e = entry(key)
    return {lang: str(e.get(lang, e.get("zh", ""))) for lang in LANGS}
