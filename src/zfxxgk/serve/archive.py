"""``zfxxgk serve --export DIR``: every round as plain files a clerk can archive.

``DIR/<year>_<round id>/`` holds ``状态.csv``-like lists (names from the catalogue): the status of every
agency, every decision, every explanation and the audit log; ``decisions.json`` (the schema of
:mod:`zfxxgk.county.decisions`, what ``zfxxgk compile --decisions`` reads); and per agency a folder with each
version as received plus the checker's findings of it (JSON, as ``zfxxgk check --json`` gives them).
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..county.decisions import write_decisions
from ..fileio import safe_filename, write_bytes_atomic, write_text_atomic
from ..messages import text
from . import exports, service
from .models import Explanation, Round
from .store import FileStore


def export_all(db: Session, store: FileStore, out: Path, lang: str) -> list[Path]:
    """Write every round under ``out``, and the whole audit log (sign-ins too) beside them; return the round folders."""
    folders = []
    for rnd in db.scalars(select(Round).order_by(Round.id)):
        folder = out / f"{rnd.year}_{rnd.id}"
        folder.mkdir(parents=True, exist_ok=True)
        _round(db, store, rnd, folder, lang)
        folders.append(folder)
    service.audit(db, "cli", "export", detail=str(out))
    db.flush()
    _csv(out, "audit", ["audit-at", "audit-actor", "audit-action", "audit-detail"], exports.audit_rows(db, None), lang)
    return folders


def _csv(folder: Path, key: str, heads: list[str], rows: list[list[object]], lang: str) -> None:
    head = [text(f"serve.ui-{h}", lang) for h in heads]
    write_bytes_atomic(folder / (text(f"serve.archive-{key}", lang) + ".csv"), exports.csv_bytes(head, rows))


def _round(db: Session, store: FileStore, rnd: Round, folder: Path, lang: str) -> None:
    states: list[list[object]] = []
    said: list[list[object]] = []
    explained: list[list[object]] = []
    for a in service.round_agencies(db, rnd.id):
        st = service.standing(db, a, findings=False)
        states.append([a.name, a.code, text(f"serve.status-{st.state}", lang)])
        place = folder / safe_filename(a.name)
        history = service.versions(db, a.id)
        number = {v.id: v.version for v in history}
        for v in history:
            place.mkdir(exist_ok=True)
            stem = f"v{v.version}_{safe_filename(v.original_name)}"
            write_bytes_atomic(place / stem, store.get(v.sha256))
            findings = json.loads(v.findings_json) if v.findings_json else {"state": v.state}
            write_text_atomic(place / f"{stem}.json", json.dumps(findings, ensure_ascii=False, indent=2))
        for d in service.decisions(db, a.id):
            said.append([a.name, d.at.isoformat(timespec="seconds"), d.kind, number.get(d.submission_id, ""), d.comment])
        for e in db.scalars(select(Explanation).where(Explanation.agency_id == a.id).order_by(Explanation.id)):
            explained.append([a.name, e.at.isoformat(timespec="seconds"), e.fingerprint, e.text, e.verdict or ""])
    _csv(folder, "status", ["col-agency", "col-code", "col-status"], states, lang)
    _csv(folder, "decisions", ["col-agency", "audit-at", "audit-action", "col-version", "col-comment"], said, lang)
    _csv(folder, "explanations", ["col-agency", "audit-at", "col-fingerprint", "col-explanation", "col-verdict"], explained, lang)
    _csv(folder, "audit", ["audit-at", "audit-actor", "audit-action", "audit-detail"], exports.audit_rows(db, rnd.id), lang)
    write_decisions(exports.round_decisions(db, rnd.id), folder / "decisions.json")
