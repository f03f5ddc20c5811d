"""Downloads for the county: 汇总.xlsx, the county report and the long CSV by ``compile_county`` over the
accepted returns, and the intake's own status list and audit log as CSV (formula-safe)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..county import compile_county
from ..county.decisions import Decisions, Review, Verdict, place
from ..roster import COLUMNS
from . import service
from .models import Admin, AuditEntry, Round
from .security import cell_text
from .store import FileStore

KINDS = {"summary": ".xlsx", "report": ".docx", "csv": ".csv"}
REVIEW = {service.ACCEPTED: "accepted", service.RETURNED: "returned", service.AWAITING: "awaiting"}


def roster_csv(path: Path, rows: Iterable[tuple[str, str]]) -> None:
    """A roster the CLI reads back: name and code columns, UTF-8."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([COLUMNS["name"][0], COLUMNS["code"][1]])
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def compiled(db: Session, store: FileStore, rnd: Round, kind: str, lang: str) -> bytes:
    """One output of ``compile_county`` over the accepted versions (every roster agency in the roster)."""
    with tempfile.TemporaryDirectory(prefix="zfxxgk-export-") as tmp:
        folder = Path(tmp) / "returns"
        folder.mkdir()
        for agency, sub in service.accepted(db, rnd.id):
            (folder / agency.file_name).write_bytes(store.get(sub.sha256))
        roster = Path(tmp) / "roster.csv"
        roster_csv(roster, ((a.name, a.code) for a in service.round_agencies(db, rnd.id)))
        out = Path(tmp) / "out" / "summary.xlsx"
        out.parent.mkdir()
        report = out.with_name("report.docx") if kind == "report" else None  # only the output asked for
        long_csv = out.with_name("long.csv") if kind == "csv" else None
        compile_county([folder], roster, rnd.year, out, report=report, csv=long_csv, jobs=1, name=rnd.name,
                       spec=rnd.spec, lang=lang, decisions=round_decisions(db, rnd.id))  # fmt: skip
        return (report or long_csv or out).read_bytes()


def csv_bytes(head: list[str], rows: Iterable[list[object]]) -> bytes:
    """CSV for Excel (UTF-8 with a BOM); no cell can start a formula."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(head)
    for row in rows:
        w.writerow([cell_text(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def audit_rows(db: Session, round_id: int | None) -> list[list[object]]:
    """The audit log of a round (``None``: the whole log, sign-ins and server actions too)."""
    q = select(AuditEntry).order_by(AuditEntry.id)
    if round_id is not None:
        q = q.where(AuditEntry.round_id == round_id)
    return [[e.at.isoformat(timespec="seconds"), e.actor, e.action, e.detail] for e in db.scalars(q)]


def round_decisions(db: Session, round_id: int) -> Decisions:
    """The round's decisions as the library takes them: per agency with an upload, the county's last word on
    its latest version and the latest explanation of each warning with its verdict."""
    names = {a.id: a.username for a in db.scalars(select(Admin))}
    out: dict[str, Review] = {}
    for agency in service.round_agencies(db, round_id):
        st = service.standing(db, agency)
        if st.latest is None:
            continue
        where = {f["fingerprint"]: place(f["code"], f["rule"], f["sheet"], f["cell"], f["cell_id"]) for f in st.findings}
        said = {fp: Verdict(e.text, e.verdict or "pending", f"admin:{names.get(e.verdict_by or 0, '')}" if e.verdict else "",
                            e.verdict_at.isoformat(timespec="seconds") if e.verdict_at else "", where.get(fp, ""))
                for fp, e in service.explanations(db, agency.id).items()}  # fmt: skip
        d = st.decision if st.state in (service.ACCEPTED, service.RETURNED) else None
        out[agency.name] = Review(REVIEW[st.state], d.comment if d else "", f"admin:{names.get(d.admin_id, '')}" if d else "",
                                  d.at.isoformat(timespec="seconds") if d else "", st.latest.sha256, said)  # fmt: skip
    return Decisions(out)
