"""The county's decisions on its returns, carried into 汇总.xlsx (报送情况 and 问题清单).

A plain object, independent of any front end: the intake server (``zfxxgk serve --export``) writes it as
``decisions.json`` and ``zfxxgk compile --decisions FILE`` reads it back. The file's schema::

    {"format": "zfxxgk-decisions", "version": 1,
     "agencies": [{"agency": "示范县教育局",                  # the roster name
                   "review": "accepted" | "returned" | "awaiting",
                   "comment": "…", "by": "admin:clerk", "at": "2026-01-20T10:00:00+00:00",
                   "sha256": "…",                            # the file decided on ("" = whatever is compiled)
                   "explanations": [{"fingerprint": "…", "text": "…",
                                     "verdict": "accepted" | "rejected" | "pending",
                                     "by": "…", "at": "…",
                                     "where": "code|rule|sheet|cell|cell id"}]}]}  # optional

A review applies to the file it names: when the compiled file of the agency is another one, 报送情况 shows
the review as lapsed (已报送待审). An explanation applies to the finding with its fingerprint (or, as a fingerprint includes the file's
name, to the finding of the same kind at the same place, ``where``, when the file was renamed, as in an
export); when no finding of the agency's compiled file is that one any more, nothing is shown for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..messages import text

REVIEWS = ("accepted", "returned", "awaiting")
VERDICTS = ("accepted", "rejected", "pending")
FORMAT, VERSION = "zfxxgk-decisions", 1


class DecisionsError(ValueError):
    """A decisions file that cannot be used; the message is for the user."""


@dataclass(frozen=True)
class Verdict:
    """An agency's explanation of one finding and the county's verdict on it."""

    text: str
    verdict: str = "pending"
    by: str = ""
    at: str = ""
    where: str = ""  # the finding's kind and place without the file name (see :func:`place`)


def place(code: str, rule: str, sheet: str, cell: str, cell_id: str) -> str:
    """What a fingerprint says of a finding, but the file's name."""
    return "|".join((code, rule, sheet, cell, cell_id))


@dataclass(frozen=True)
class Review:
    """The county's decision on an agency's return."""

    review: str
    comment: str = ""
    by: str = ""
    at: str = ""
    sha256: str = ""
    explanations: dict[str, Verdict] = field(default_factory=dict)  # by finding fingerprint

    def applies_to(self, sha256: str | None) -> bool:
        """Whether the review is about the file compiled (``None``: nothing was compiled for the agency)."""
        return not self.sha256 or sha256 is None or sha256 == self.sha256


@dataclass(frozen=True)
class Decisions:
    """Per roster agency (by name) the county's review and the explanations of its findings."""

    agencies: dict[str, Review] = field(default_factory=dict)

    def review(self, agency: str, sha256: str | None) -> Review | None:
        """The agency's review as it stands for the compiled file: a lapsed one reads as awaiting review."""
        r = self.agencies.get(agency)
        if r is None or r.applies_to(sha256):
            return r
        return Review("awaiting", explanations=r.explanations)

    def verdict(self, agency: str, finding: Finding) -> Verdict | None:
        """The explanation of this finding of the agency's file, if one applies."""
        r = self.agencies.get(agency)
        if r is None:
            return None
        if finding.fingerprint in r.explanations:
            return r.explanations[finding.fingerprint]
        here = place(finding.code, finding.rule, finding.sheet, finding.cell, finding.cell_id)
        return next((v for v in r.explanations.values() if v.where and v.where == here), None)

    def as_json(self) -> dict[str, Any]:
        rows = []
        for name, r in self.agencies.items():
            said = [{"fingerprint": fp, "text": v.text, "verdict": v.verdict, "by": v.by, "at": v.at, "where": v.where}
                    for fp, v in r.explanations.items()]  # fmt: skip
            rows.append({"agency": name, "review": r.review, "comment": r.comment, "by": r.by, "at": r.at,
                         "sha256": r.sha256, "explanations": said})  # fmt: skip
        return {"format": FORMAT, "version": VERSION, "agencies": rows}


def review_word(review: str, lang: str) -> str:
    return text(f"decisions.review-{review}", lang)


def verdict_word(verdict: str, lang: str) -> str:
    return text(f"decisions.verdict-{verdict}", lang)


def write_decisions(decisions: Decisions, path: Path) -> None:
    from ..fileio import write_text_atomic

    write_text_atomic(path, json.dumps(decisions.as_json(), ensure_ascii=False, indent=2))


def read_decisions(path: Path, lang: str = "zh") -> Decisions:
    """Read a decisions file; :class:`DecisionsError` when it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError("format")
        agencies = {str(a["agency"]): _review(a) for a in data["agencies"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DecisionsError(text("decisions.bad-file", lang, path=str(path), detail=str(exc))) from exc
    return Decisions(agencies)


def _review(a: dict[str, Any]) -> Review:
    if a["review"] not in REVIEWS:
        raise ValueError(a["review"])
    said = {}
    for e in a.get("explanations", []):
        if e.get("verdict", "pending") not in VERDICTS:
            raise ValueError(e["verdict"])
        said[str(e["fingerprint"])] = Verdict(str(e["text"]), e.get("verdict", "pending"), str(e.get("by", "")),
                                              str(e.get("at", "")), str(e.get("where", "")))  # fmt: skip
    return Review(a["review"], str(a.get("comment", "")), str(a.get("by", "")), str(a.get("at", "")),
                  str(a.get("sha256", "")), said)  # fmt: skip
