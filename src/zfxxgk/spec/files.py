"""Spec files: the search directories, locating a spec by id or path, reading YAML and merging ``extends``."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..messages import text
from .errors import SpecError, say

SPEC_PATH_ENV = "ZFXXGK_SPEC_PATH"


NOT_INHERITED = "default"  # a spec extending the default one is not the default
_ID_LISTS = ("tables", "rules", "fields", "narrative", "info_fields", "instructions", "carry_over")


def search_dirs() -> list[Path]:
    """Directories searched for spec files: $ZFXXGK_SPEC_PATH, the installed copy, the checkout."""
    dirs = [Path(p) for p in os.environ.get(SPEC_PATH_ENV, "").split(os.pathsep) if p]
    here = Path(__file__).resolve().parent.parent
    dirs += [here / "workbook_templates", here.parent.parent / "workbook_templates"]
    return [d for d in dirs if d.is_dir()]


def available_specs() -> dict[str, Path]:
    """Spec id -> file, for every ``*.yaml`` in the search directories (first one wins)."""
    dirs = tuple(search_dirs())
    return dict(_scan(dirs, tuple(d.stat().st_mtime_ns for d in dirs)))


@lru_cache(maxsize=16)
def _scan(dirs: tuple[Path, ...], _stamps: tuple[int, ...]) -> tuple[tuple[str, Path], ...]:
    found: dict[str, Path] = {}
    for d in dirs:
        for p in sorted(d.glob("*.yaml")):
            found.setdefault(p.stem, p)
    return tuple(found.items())


def default_spec_id() -> str:
    """The spec used when none is named: the first spec file (in search order) that says ``default: true``."""
    for spec_id, path in available_specs().items():
        if _is_default(path, path.stat().st_mtime_ns):
            return spec_id
    raise SpecError([(", ".join(str(d) for d in search_dirs()) or "-", "default", say("spec.no-default"))])


@lru_cache(maxsize=32)
def _is_default(path: Path, _stamp: int) -> bool:
    try:
        return _read_yaml(path).get(NOT_INHERITED) is True
    except SpecError:
        return False


def locate(ref: str, near: Path | None = None) -> Path:
    """A spec id (``national-2021``) or a path to a YAML file -> the file."""
    p = Path(ref)
    if p.suffix in (".yaml", ".yml") and p.is_file():
        return p
    if near is not None and (near / f"{ref}.yaml").is_file():
        return near / f"{ref}.yaml"
    specs = available_specs()
    if ref in specs:
        return specs[ref]
    known = text("common.list-separator").join(sorted(specs)) or say("spec.none")
    raise SpecError([(ref, "", say("spec.no-such-spec", known=known))])


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([(str(path), "", say("spec.cannot-read", error=exc))]) from exc
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = say("spec.yaml-where", line=mark.line + 1, column=mark.column + 1) if mark else ""
        raise SpecError([(str(path), where, say("spec.yaml-syntax", error=exc))]) from exc
    if not isinstance(data, dict):
        raise SpecError([(str(path), "", say("spec.not-a-mapping"))])
    return data


def resolve(path: Path, seen: tuple[str, ...]) -> tuple[dict[str, Any], dict[tuple[str, str], str], list[str]]:
    """Merged raw dict, origin (collection, id) -> file, ancestry (this spec first)."""
    if str(path) in seen:
        raise SpecError([(str(path), "extends", say("spec.circular-extends"))])
    raw = _read_yaml(path)
    own_id = raw.get("id", path.stem)
    parent_ref = raw.pop("extends", None)
    removals = {k: raw.pop(f"remove_{k}", []) for k in _ID_LISTS}
    if parent_ref is None:
        base: dict[str, Any] = {}
        origin: dict[tuple[str, str], str] = {}
        ancestry: list[str] = []
    else:
        if not isinstance(parent_ref, str):
            raise SpecError([(str(path), "extends", say("spec.extends-not-id"))])
        try:
            parent = locate(parent_ref, near=path.parent).resolve()
        except SpecError as exc:
            raise SpecError([(str(path), "extends", exc.problems[0][2])]) from exc
        base, origin, ancestry = resolve(parent, (*seen, str(path)))
    for key, items in removals.items():
        if not isinstance(items, list):
            raise SpecError([(str(path), f"remove_{key}", say("spec.remove-not-list"))])
        unknown = set(items) - {i.get("id") for i in base.get(key, []) if isinstance(i, dict)}
        if unknown:
            raise SpecError([(str(path), f"remove_{key}", say("spec.remove-unknown", ids=sorted(unknown)))])
        base[key] = [i for i in base.get(key, []) if not isinstance(i, dict) or i.get("id") not in set(items)]
    _no_repeated_ids(raw, path)
    base.pop(NOT_INHERITED, None)
    merged = _merge(base, raw, origin, str(path))
    return merged, origin, [own_id, *ancestry]


def _no_repeated_ids(raw: dict[str, Any], path: Path) -> None:
    """Within one file an id names one item (across files a repeated id replaces the parent's item)."""
    lists = {key: raw.get(key) for key in _ID_LISTS}
    lists["report.sections"] = (
        (raw.get("report") or {}).get("sections") if isinstance(raw.get("report"), dict) else None
    )
    for key, items in lists.items():
        ids = [i.get("id") for i in items if isinstance(i, dict)] if isinstance(items, list) else []
        repeated = sorted({str(i) for i in ids if ids.count(i) > 1})
        if repeated:
            raise SpecError([(str(path), key, say("spec.repeated-ids", ids=", ".join(repeated)))])


def _merge(base: dict[str, Any], child: dict[str, Any], origin: dict[tuple[str, str], str], src: str) -> dict[str, Any]:
    out = dict(base)
    for key, value in child.items():
        if key in _ID_LISTS and isinstance(value, list):
            out[key] = _merge_by_id(out.get(key, []), value, key, origin, src)
        elif key == "domains" and isinstance(value, dict):
            out[key] = {**out.get(key, {}), **value}
            origin.update({("domains", k): src for k in value})
        elif key == "report" and isinstance(value, dict) and isinstance(out.get("report"), dict):
            sections = _merge_by_id(
                out["report"].get("sections", []), value.get("sections", []), "sections", origin, src
            )
            out[key] = {**out["report"], **value, "sections": sections}
        else:
            out[key] = value
            origin[("", key)] = src
    return out


def _merge_by_id(
    base: list[Any], child: list[Any], key: str, origin: dict[tuple[str, str], str], src: str
) -> list[Any]:
    items = list(base)
    index = {item.get("id"): n for n, item in enumerate(items) if isinstance(item, dict)}
    for item in child:
        item_id = item.get("id") if isinstance(item, dict) else None
        origin[(key, str(item_id))] = src
        if item_id in index:
            items[index[item_id]] = item
        else:
            index[item_id] = len(items)
            items.append(item)
    return items
