"""Which returned file belongs to which roster agency, and which of several files counts.

A file is matched by its template's metadata (agency code, then the roster name written into it),
then by the agency name written in the file (full-width characters and spaces folded; a trailing
本级/（本级） ignored, with a note), then by a unique name ending, and last by its file name; when a
template made for one agency carries another roster agency's name, the name written in it wins and
the row says so. A name that is a roster name plus more (示范县财政局办公室) is never counted for that
agency unasked: it may be a unit with its own report. It stays 不在名单 with a hint, and the roster
row points to it. When several files match one agency, the latest submission counts
(:mod:`.versions`) and the others are 重复报送.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..check import STATUSES
from ..messages import text
from ..normalize import name_key
from ..roster import Agency
from .store import Outcome
from .versions import latest_first

STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}
HOWS = ("code", "meta", "name", "loose", "conflict", "suffix", "file")  # how a file was matched, best first
_OWN_LEVEL = re.compile(r"\(?本级\)?$")  # name_key has folded （） to ()
MIN_UNIT_KEY = 4  # a roster name shorter than this is never taken as the start of a longer one


def how_text(how: str, lang: str = "zh") -> str:
    """Why a file was matched to its agency, as 报送情况's note says it."""
    return text(f"county.how-{how}", lang)


@dataclass
class Assignment:
    """The outcome of matching: per roster agency its files, and the files that matched nothing."""

    by_agency: dict[int, list[tuple[Outcome, str]]] = field(default_factory=dict)  # roster index -> (file, how)
    unmatched: list[Outcome] = field(default_factory=list)
    hints: dict[int, int] = field(default_factory=dict)  # unmatched outcome index -> the roster agency it may be

    def accepted(self, agency: int) -> Outcome | None:
        files = self.by_agency.get(agency)
        return files[0][0] if files else None

    def duplicates(self, agency: int) -> list[Outcome]:
        return [o for o, _ in self.by_agency.get(agency, [])[1:]]

    def how(self, agency: int) -> str:
        files = self.by_agency.get(agency)
        return files[0][1] if files else ""


def loose_key(name: str) -> str:
    """An agency name compared loosely: :func:`name_key` without a trailing 本级 or （本级）."""
    return _OWN_LEVEL.sub("", name_key(name))


def assign(agencies: list[Agency], outcomes: list[Outcome]) -> Assignment:
    by_code = {a.code: n for n, a in enumerate(agencies) if a.code}
    by_name = {name_key(a.name): n for n, a in enumerate(agencies)}
    loose: dict[str, list[int]] = {}
    for n, a in enumerate(agencies):
        loose.setdefault(loose_key(a.name), []).append(n)
    by_loose = {k: ns[0] for k, ns in loose.items() if len(ns) == 1}
    result = Assignment()
    for o in outcomes:
        found = _match(o, by_code, by_name, by_loose)
        if found is None:
            result.unmatched.append(o)
            unit = _unit_of(o.agency, by_name) if o.agency else None
            if unit is not None:
                result.hints[o.index] = unit
        else:
            result.by_agency.setdefault(found[0], []).append((o, found[1]))
    for files in result.by_agency.values():
        files.sort(key=lambda item: latest_first(item[0]))
    return result


def _unit_of(written: str, by_name: dict[str, int]) -> int | None:
    """The roster agency whose name the written name starts with and goes on from (示范县财政局办公室)."""
    key = loose_key(written)
    starts = [(len(k), n) for k, n in by_name.items() if len(k) >= MIN_UNIT_KEY and key.startswith(k) and key != k]
    return max(starts)[1] if starts else None


def _match(
    o: Outcome, by_code: dict[str, int], by_name: dict[str, int], by_loose: dict[str, int]
) -> tuple[int, str] | None:
    typed, typed_how = (by_name.get(name_key(o.agency)) if o.agency else None), "name"
    if typed is None and o.agency:
        typed, typed_how = by_loose.get(loose_key(o.agency)), "loose"
    meta = by_code.get(o.meta_code) if o.meta_code else None
    how = "code"
    if meta is None and o.meta_agency:
        meta, how = by_name.get(name_key(o.meta_agency)), "meta"
    if meta is not None and typed is not None and typed != meta:
        return typed, "conflict"  # another agency's template, filled in and named by this one
    if meta is not None:
        return meta, how
    if typed is not None:
        return typed, typed_how
    if o.agency and len(name_key(o.agency)) >= MIN_UNIT_KEY:
        written = name_key(o.agency)
        ends = [n for k, n in by_name.items() if k.endswith(written) or written.endswith(k)]
        if len(ends) == 1:
            return ends[0], "suffix"
        if _unit_of(o.agency, by_name) is not None:
            return None  # the file names a unit of a roster agency: not counted for it by its file name
    stem = name_key(o.file_name.rsplit(".", 1)[0])
    inside = sorted(((len(k), n) for k, n in by_name.items() if k and k in stem), reverse=True)
    if inside and (len(inside) == 1 or inside[0][0] > inside[1][0]):
        return inside[0][1], "file"
    around = [n for k, n in by_name.items() if len(stem) >= 3 and stem in k]  # "城关镇.xlsx"
    if len(around) == 1:
        return around[0], "file"
    return None
