"""Which returned file belongs to which roster agency, and which of several files counts.

A file is matched by its template's metadata (agency code, then the roster name written into it),
then by the agency name written in the file, then by a unique name ending, and last by its file
name; when a template made for one agency carries another roster agency's name, the name written
in it wins and the row says so. When several files match one agency, the best one counts (fewest
problems; a template before a hand-made workbook; then the latest) and the others are 重复报送.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..check import STATUSES
from ..messages import text
from ..normalize import name_key
from ..roster import Agency
from .store import Outcome

STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}
HOWS = ("code", "meta", "name", "conflict", "suffix", "file")  # how a file was matched, best first


def how_text(how: str, lang: str = "zh") -> str:
    """Why a file was matched to its agency, as 报送情况's note says it."""
    return text(f"county.how-{how}", lang)


@dataclass
class Assignment:
    """The outcome of matching: per roster agency its files, and the files that matched nothing."""

    by_agency: dict[int, list[tuple[Outcome, str]]] = field(default_factory=dict)  # roster index -> (file, how)
    unmatched: list[Outcome] = field(default_factory=list)

    def accepted(self, agency: int) -> Outcome | None:
        files = self.by_agency.get(agency)
        return files[0][0] if files else None

    def duplicates(self, agency: int) -> list[Outcome]:
        return [o for o, _ in self.by_agency.get(agency, [])[1:]]

    def how(self, agency: int) -> str:
        files = self.by_agency.get(agency)
        return files[0][1] if files else ""


def assign(agencies: list[Agency], outcomes: list[Outcome]) -> Assignment:
    by_code = {a.code: n for n, a in enumerate(agencies) if a.code}
    by_name = {name_key(a.name): n for n, a in enumerate(agencies)}
    result = Assignment()
    for o in outcomes:
        found = _match(o, agencies, by_code, by_name)
        if found is None:
            result.unmatched.append(o)
        else:
            result.by_agency.setdefault(found[0], []).append((o, found[1]))
    for files in result.by_agency.values():
        # Fewest problems first; then a template before a hand-made workbook; then the latest sent.
        files.sort(
            key=lambda item: (
                STATUS_RANK[item[0].status],
                item[0].source != "template",
                -item[0].modified,
                item[0].index,
            )
        )
    return result


def _match(
    o: Outcome, agencies: list[Agency], by_code: dict[str, int], by_name: dict[str, int]
) -> tuple[int, str] | None:
    typed = by_name.get(name_key(o.agency)) if o.agency else None
    meta = by_code.get(o.meta_code) if o.meta_code else None
    how = "code"
    if meta is None and o.meta_agency:
        meta, how = by_name.get(name_key(o.meta_agency)), "meta"
    if meta is not None and typed is not None and typed != meta:
        return typed, "conflict"  # another agency's template, filled in and named by this one
    if meta is not None:
        return meta, how
    if typed is not None:
        return typed, "name"
    if o.agency and len(name_key(o.agency)) >= 4:
        ends = [n for k, n in by_name.items() if k.endswith(name_key(o.agency)) or name_key(o.agency).endswith(k)]
        if len(ends) == 1:
            return ends[0], "suffix"
    stem = name_key(o.file_name.rsplit(".", 1)[0])
    inside = sorted(((len(k), n) for k, n in by_name.items() if k and k in stem), reverse=True)
    if inside and (len(inside) == 1 or inside[0][0] > inside[1][0]):
        return inside[0][1], "file"
    around = [n for k, n in by_name.items() if len(stem) >= 3 and stem in k]  # "城关镇.xlsx"
    if len(around) == 1:
        return around[0], "file"
    return None
