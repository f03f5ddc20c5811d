"""The message catalogue: every user-facing text, in Chinese and English, kept as data.

Each ``*.yaml`` file beside this module is one area of the catalogue (``cli.yaml``, ``county.yaml`` …); a
key is ``area.name`` (``cli.no-input``) and its entry has a ``zh`` and an ``en`` text with ``{placeholders}``
filled by :func:`text`. A plain string entry is the same text in both languages. The findings catalogue
(``findings.yaml``) adds a ``severity`` and a ``fix`` (``{zh, en}``) per code.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

LANGS = ("zh", "en")
SEVERITIES = ("error", "warning", "info")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CatalogueError(ValueError):
    """A catalogue file that cannot be used; the message names the file, the entry and what is wrong."""


class _Fields(dict[str, Any]):
    """Leaves an unknown ``{placeholder}`` as it is rather than failing on it."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, **fields: Any) -> str:
    """``template`` with its ``{placeholders}`` filled from ``fields``; unknown ones stay as they are."""
    return template.format_map(_Fields(fields)) if fields else template


def _languages(where: str, value: object) -> dict[str, str]:
    """Both texts of one ``{zh, en}`` mapping, or :class:`CatalogueError` naming ``where``."""
    if isinstance(value, str):
        return dict.fromkeys(LANGS, value)
    if not isinstance(value, dict):
        raise CatalogueError(f"{where}: expected a text or a mapping with {' and '.join(LANGS)}")
    for lang in LANGS:
        if not isinstance(value.get(lang), str) or not value[lang]:
            raise CatalogueError(f"{where}: the {lang!r} text is missing or empty")
    return value


def _entry(where: str, value: object) -> dict[str, Any]:
    """One entry checked: both languages, a known severity and a complete fix when given."""
    checked: dict[str, Any] = dict(_languages(where, value))
    if "severity" in checked and checked["severity"] not in SEVERITIES:
        raise CatalogueError(f"{where}: severity {checked['severity']!r} is not one of {', '.join(SEVERITIES)}")
    if "fix" in checked:
        checked["fix"] = _languages(f"{where}.fix", checked["fix"])
    return checked


def load(folder: Traversable | Path) -> dict[str, dict[str, Any]]:
    """Every entry of every ``*.yaml`` area file in ``folder``, keyed ``area.name`` and checked."""
    out: dict[str, dict[str, Any]] = {}
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".yaml"):
            continue
        area = item.name.removesuffix(".yaml")
        try:
            data = yaml.load(item.read_text(encoding="utf-8"), Loader=_Loader) or {}
        except yaml.YAMLError as exc:
            raise CatalogueError(f"{item.name}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise CatalogueError(f"{item.name}: expected a mapping of names to entries")
        for name, value in data.items():
            out[f"{area}.{name}"] = _entry(f"{item.name}: {name}", value)
    return out


@cache
def catalogue() -> dict[str, dict[str, Any]]:
    """Every entry of every area shipped with the package, keyed ``area.name``."""
    return load(resources.files(__name__))


def entry(key: str) -> dict[str, Any]:
    """The raw entry of ``key``; KeyError names the key when it is not in the catalogue."""
    try:
        return catalogue()[key]
    except KeyError:
        raise KeyError(f"message {key!r} is not in the catalogue") from None


def text(key: str, lang: str = "zh", **fields: Any) -> str:
    """The text of ``key`` in ``lang`` (Chinese when ``lang`` is not English), placeholders filled."""
    e = entry(key)
    return fill(str(e["en" if lang == "en" else "zh"]), **fields)


def pick(key: str, lang: str = "zh") -> dict[str, str]:
    """Both languages of ``key`` as ``{"zh": …, "en": …}`` (for tables of labels)."""
    e = entry(key)
    return {lang: str(e[lang]) for lang in LANGS}


class MessageError(Exception):
    """An error whose text comes from the catalogue: ``str()`` gives Chinese, :meth:`text` either language."""

    def __init__(self, key: str, **fields: Any) -> None:
        entry(key)  # an unknown key fails where the error is raised, not where it is shown
        self.key = key
        self.fields = fields
        super().__init__(self.text())

    def text(self, lang: str = "zh") -> str:
        """The error's message in ``lang``."""
        return text(self.key, lang, **self.fields)

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), self.key, self.fields)


def _rebuild(cls: type[MessageError], key: str, fields: dict[str, Any]) -> MessageError:
    """A :class:`MessageError` again, as it crossed a process boundary (pickle)."""
    return cls(key, **fields)
