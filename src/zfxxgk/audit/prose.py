"""The prose of a published report: its title (agency, year) and its sections 一 to 六, found by their headings.

A heading is found by its numeral ("五、") followed by words close to the spec's heading, so the variants
real reports print ("五、政府信息公开工作存在的主要问题及改进情况", "四、因政府信息公开申请行政复议、提起行政诉讼的
情况") are accepted while "四、结转下年度继续办理" inside a flattened table is not. Sections are searched in the
spec's order, each after the one before.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..normalize import label_key
from ..spec import Section, Spec

HEADING_SIMILARITY = 0.45  # the words after the numeral against the spec's heading
MARK = "[、.．]"  # what follows a heading's numeral
_NUMERAL = re.compile(r"^(\S{1,3}?" + MARK + ")")
_TITLE = re.compile(
    r"([^\s:：<>|_]{2,40}?)\s*(20\d\d)\s*年(?:度)?\s*(?:的)?\s*政府信息公开(?:工作)?(?:年度)?(?:工作)?报告"
)


@dataclass(frozen=True)
class Found:
    section: Section
    start: int  # where its heading starts in the prose
    body: str


def title_facts(*texts: str) -> tuple[int | None, str]:
    """Year and agency from the first title in the texts ("XX2023年政府信息公开工作年度报告")."""
    for t in texts:
        m = _TITLE.search(t)
        if m:
            return int(m.group(2)), m.group(1).strip()
    return None, ""


def _numeral(heading: str) -> str:
    m = _NUMERAL.match(heading)
    return m.group(1)[:-1] if m else ""


def _heading_at(prose: str, section: Section, start: int) -> tuple[int, int] | None:
    """(start, end) of the first heading of ``section`` at or after ``start``."""
    heading = section.heading or ""
    num = _numeral(heading)
    if not num:
        return None
    want = label_key(heading[len(num) + 1 :])
    for m in re.finditer(re.escape(num) + r"\s*" + MARK, prose[start:]):
        at = start + m.start()
        after = label_key(prose[start + m.end() : start + m.end() + len(want) + 12])
        if not after:
            continue
        if after.startswith(want):
            return at, start + m.end() + _raw_length(prose[start + m.end() :], want)
        ratio = difflib.SequenceMatcher(None, want, after[: len(want) + 6], autojunk=False).ratio()
        if ratio >= HEADING_SIMILARITY:
            return at, start + m.end() + min(len(want), len(prose) - start - m.end())
    return None


def _raw_length(raw: str, key: str) -> int:
    """How many characters of ``raw`` make up ``key`` once normalised (spaces and brackets fold)."""
    for n in range(len(key), min(len(raw), len(key) * 2 + 8) + 1):
        if label_key(raw[:n]) == key:
            return n
    return len(key)


def sections(spec: Spec, prose: str) -> list[Found]:
    """The top-level sections whose heading was found, each with its text up to the next found heading."""
    heads: list[tuple[Section, int, int]] = []
    at = 0
    for section in spec.sections:
        where = _heading_at(prose, section, at)
        if where is not None:
            heads.append((section, *where))
            at = where[1]
    out = []
    for k, (section, start, end) in enumerate(heads):
        stop = heads[k + 1][1] if k + 1 < len(heads) else len(prose)
        out.append(Found(section, start, prose[end:stop].strip()))
    return out
