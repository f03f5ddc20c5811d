"""What checking one file gives: :class:`CheckResult`, and the status of a file from its findings."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..findings import Finding, counts
from ..messages import LANGS, text
from ..read.intake import Intake
from ..read.values import Value
from ..read.workbook import Return
from ..spec import Spec

log = logging.getLogger(__name__)

STATUSES = ("ok", "warnings", "errors", "unreadable")  # best first
STATUS_LABEL = {lang: {s: text(f"check.status-{s}", lang) for s in STATUSES} for lang in LANGS}


def status_of(errors: int, warnings: int) -> str:
    """The status of a file that could be read, from its numbers of errors and warnings."""
    return "errors" if errors else "warnings" if warnings else "ok"


@dataclass
class CheckResult:
    """Everything known about one file after checking it."""

    path: str
    intake: Intake
    ret: Return | None = None
    findings: list[Finding] = field(default_factory=list)
    values: dict[str, Value] = field(default_factory=dict)  # stated values by cell id
    year: int | None = None

    @property
    def readable(self) -> bool:
        return self.ret is not None

    @property
    def status(self) -> str:
        if self.ret is None:
            return "unreadable"
        c = counts(self.findings)
        return status_of(c["error"], c["warning"])

    @property
    def spec(self) -> Spec | None:
        return self.ret.spec if self.ret and self.ret.parts else None

    @property
    def agency(self) -> str:
        return self.ret.agency if self.ret else ""

    @property
    def application(self) -> str:
        return self.ret.application if self.ret else ""
