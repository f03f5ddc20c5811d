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
from array import array
from collections.abc import Callable, Iterable

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


class Assignment:
    """The outcome of matching: per roster agency its files, and the files that matched nothing.

    Kept as outcome indexes, not outcomes (a province matches 200,000 files): per agency its accepted
    file and how it was matched; the lists of several files (rare) ordered latest first.
    """

    def __init__(self, agencies: int) -> None:
        self._first = array("q", [-1]) * agencies  # roster index -> its (only) file's outcome index
        self._how = bytearray(agencies)  # roster index -> HOWS index of how that file was matched
        self._several: dict[int, list[tuple[int, str]]] = {}  # roster index -> (file, how), latest first
        self.unmatched = array("q")  # outcome indexes of the files that match no roster agency, in input order
        self.hints: dict[int, int] = {}  # unmatched outcome index -> the roster agency it may be

    def add(self, agency: int, index: int, how: str) -> None:
        if self._first[agency] < 0:
            self._first[agency], self._how[agency] = index, HOWS.index(how)
        else:
            self._several.setdefault(agency, [(self._first[agency], self.how(agency))]).append((index, how))

    def order(self, head: Callable[[int], Outcome]) -> None:
        """Put each agency's files latest first (:func:`~zfxxgk.county.versions.latest_first`)."""
        for agency, files in self._several.items():
            files.sort(key=lambda item: latest_first(head(item[0])))
            self._first[agency], self._how[agency] = files[0][0], HOWS.index(files[0][1])

    def accepted(self, agency: int) -> int | None:
        """The outcome index of the file that counts for the agency, if it returned one."""
        index = self._first[agency]
        return None if index < 0 else index

    def duplicates(self, agency: int) -> list[int]:
        return [index for index, _ in self._several.get(agency, [])[1:]]

    def how(self, agency: int) -> str:
        return HOWS[self._how[agency]] if self._first[agency] >= 0 else ""


def loose_key(name: str) -> str:
    """An agency name compared loosely: :func:`name_key` without a trailing 本级 or （本级）."""
    return _OWN_LEVEL.sub("", name_key(name))


def assign(agencies: list[Agency], outcomes: Iterable[Outcome], head: Callable[[int], Outcome]) -> Assignment:
    """Match each outcome (read one at a time) to the roster; ``head`` gives an outcome back by its index."""
    by_code = {a.code: n for n, a in enumerate(agencies) if a.code}
    by_name = {name_key(a.name): n for n, a in enumerate(agencies)}
    loose: dict[str, list[int]] = {}
    for n, a in enumerate(agencies):
        loose.setdefault(loose_key(a.name), []).append(n)
    by_loose = {k: ns[0] for k, ns in loose.items() if len(ns) == 1}
    del loose
    result = Assignment(len(agencies))
    for o in outcomes:
        found = _match(o, by_code, by_name, by_loose)
        if found is None:
            result.unmatched.append(o.index)
            unit = _unit_of(o.agency, by_name) if o.agency else None
            if unit is not None:
                result.hints[o.index] = unit
        else:
            result.add(found[0], o.index, found[1])
    result.order(head)
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
