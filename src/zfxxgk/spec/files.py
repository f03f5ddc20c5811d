"""Spec files: the search directories, locating a spec by id or path, reading YAML and merging ``extends``."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import SpecError

DEFAULT_SPEC = "national-2021"


SPEC_PATH_ENV = "ZFXXGK_SPEC_PATH"


_ID_LISTS = ("tables", "rules", "fields", "narrative")


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
    known = "、".join(sorted(specs)) or "无 / none"
    raise SpecError([(ref, "", f"找不到这个规格（可用：{known}） / no such spec (available: {known})")])


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([(str(path), "", f"无法读取 / cannot read: {exc}")]) from exc
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列 / line {mark.line + 1}" if mark else ""
        raise SpecError([(str(path), where, f"YAML 语法错误 / YAML syntax error: {exc}")]) from exc
    if not isinstance(data, dict):
        raise SpecError([(str(path), "", "文件内容应为键值映射 / the file must hold a mapping")])
    return data


def resolve(path: Path, seen: tuple[str, ...]) -> tuple[dict[str, Any], dict[tuple[str, str], str], list[str]]:
    """Merged raw dict, origin (collection, id) -> file, ancestry (this spec first)."""
    if str(path) in seen:
        raise SpecError([(str(path), "extends", "循环继承 / circular extends")])
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
            raise SpecError([(str(path), "extends", "应为规格编号 / must be a spec id")])
        try:
            parent = locate(parent_ref, near=path.parent).resolve()
        except SpecError as exc:
            raise SpecError([(str(path), "extends", exc.problems[0][2])]) from exc
        base, origin, ancestry = resolve(parent, (*seen, str(path)))
    for key, items in removals.items():
        if not isinstance(items, list):
            raise SpecError([(str(path), f"remove_{key}", "应为编号列表，如 [P2, P3] / must be a list of ids")])
        unknown = set(items) - {i.get("id") for i in base.get(key, []) if isinstance(i, dict)}
        if unknown:
            raise SpecError([(str(path), f"remove_{key}", f"父规格中没有 / not in the parent spec: {sorted(unknown)}")])
        base[key] = [i for i in base.get(key, []) if not isinstance(i, dict) or i.get("id") not in set(items)]
    _no_repeated_ids(raw, path)
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
            raise SpecError([(str(path), key, f"编号重复 / repeated ids: {', '.join(repeated)}")])


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
