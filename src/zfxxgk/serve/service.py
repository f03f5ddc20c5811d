"""What the intake does with its tables: rounds, roster import, links, submissions, decisions, the audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..fileio import FORMULA_HEADS
from ..roster import read_roster
from ..template.roster_batch import file_names
from .models import Agency, AuditEntry, Decision, Explanation, Round, Submission, UploadToken
from .security import new_token, now, token_hash

# Status of an agency's return in a round (the words are serve.status-*).
MISSING, AWAITING, RETURNED, ACCEPTED = "missing", "awaiting", "returned", "accepted"
STATES = (MISSING, AWAITING, RETURNED, ACCEPTED)


class ServeError(ValueError):
    """An action the intake refuses; ``key`` is a ``serve.*`` catalogue key, ``fields`` fill its text."""

    def __init__(self, key: str, **fields: Any) -> None:
        self.key, self.fields = key, fields
        super().__init__(key)


def audit(db: Session, actor: str, action: str, *, round_id: int | None = None, agency_id: int | None = None,
          detail: str = "") -> None:  # fmt: skip
    db.add(AuditEntry(at=now(), actor=actor, action=action, round_id=round_id, agency_id=agency_id, detail=detail))


def create_round(db: Session, year: int, spec: str, deadline: date, name: str, actor: str) -> Round:
    r = Round(year=year, spec=spec, deadline=deadline, name=name, created_at=now())
    db.add(r)
    db.flush()
    audit(db, actor, "round", round_id=r.id, detail=f"{year} {spec} {deadline.isoformat()} {name}")
    return r


def import_roster(db: Session, rnd: Round, path: Path, actor: str) -> dict[int, str]:
    """Add the roster's agencies (CSV/XLSX, read as the CLI reads it); return agency id -> its new upload token.

    Raises :class:`~zfxxgk.roster.RosterError` for a bad roster; refuses a name that would start a formula.
    """
    agencies = read_roster(path)
    for a in agencies:
        for value in (a.name, a.code, a.contact, a.phone):
            if value.startswith(FORMULA_HEADS):
                raise ServeError("serve.roster-formula", value=value)
    known = set(db.scalars(select(Agency.name).where(Agency.round_id == rnd.id)))
    fresh = [a for a in agencies if a.name not in known]
    start = db.scalar(select(func.count()).select_from(Agency).where(Agency.round_id == rnd.id)) or 0
    names = file_names(agencies, rnd.year)
    tokens: dict[int, str] = {}
    for i, a in enumerate(fresh):
        row = Agency(round_id=rnd.id, position=start + i, name=a.name, code=a.code, contact=a.contact,
                     phone=a.phone, file_name=names[a.name])  # fmt: skip
        db.add(row)
        db.flush()
        tokens[row.id] = issue_token(db, row)
    audit(db, actor, "roster", round_id=rnd.id, detail=f"{len(fresh)}/{len(agencies)}")
    return tokens


def issue_token(db: Session, agency: Agency) -> str:
    """A new upload link for the agency (earlier links are revoked); only its hash is stored."""
    for old in db.scalars(select(UploadToken).where(UploadToken.agency_id == agency.id, UploadToken.revoked_at.is_(None))):
        old.revoked_at = now()
    token = new_token()
    db.add(UploadToken(agency_id=agency.id, token_hash=token_hash(token), created_at=now()))
    return token


def agency_by_token(db: Session, token: str) -> Agency | None:
    """The agency a live token belongs to, or None (wrong or revoked)."""
    row = db.scalar(select(UploadToken).where(UploadToken.token_hash == token_hash(token)))
    if row is None or row.revoked_at is not None:
        return None
    return db.get(Agency, row.agency_id)


def add_submission(db: Session, agency: Agency, sha256: str, original: str, size: int) -> Submission:
    version = (db.scalar(select(func.max(Submission.version)).where(Submission.agency_id == agency.id)) or 0) + 1
    sub = Submission(agency_id=agency.id, version=version, sha256=sha256, original_name=original, size=size,
                     received_at=now(), state="checking", findings_json="", values_json="")  # fmt: skip
    db.add(sub)
    db.flush()
    audit(db, f"agency:{agency.name}", "upload", round_id=agency.round_id, agency_id=agency.id,
          detail=f"v{version} {sha256} {original}")  # fmt: skip
    return sub


def record_check(sub: Submission, outcome: dict[str, Any] | None) -> None:
    """Store what the checker said (``None``: the check crashed, the upload stays recorded as read-failed)."""
    sub.checked_at = now()
    if outcome is None:
        sub.state, sub.status = "read-failed", "unreadable"
        return
    entry = outcome["file"]
    sub.state, sub.status = "checked", entry["status"]
    sub.errors, sub.warnings = entry["counts"]["error"], entry["counts"]["warning"]
    sub.findings_json = json.dumps(entry, ensure_ascii=False)
    sub.findings_other = json.dumps(outcome.get("other", {}), ensure_ascii=False)
    sub.values_json = json.dumps(outcome["values"])


def findings_of(sub: Submission, lang: str | None = None) -> list[dict[str, Any]]:
    """The findings of a checked version, in ``lang`` when it was checked in that language too."""
    other = json.loads(sub.findings_other or "{}")
    entry = other.get(lang) if lang in other else (json.loads(sub.findings_json) if sub.findings_json else {})
    found: list[dict[str, Any]] = entry.get("findings", [])
    return found


def versions(db: Session, agency_id: int) -> list[Submission]:
    return list(db.scalars(select(Submission).where(Submission.agency_id == agency_id).order_by(Submission.version.desc())))


def decisions(db: Session, agency_id: int) -> list[Decision]:
    return list(db.scalars(select(Decision).where(Decision.agency_id == agency_id).order_by(Decision.id.desc())))


def explanations(db: Session, agency_id: int) -> dict[str, Explanation]:
    """The latest explanation per fingerprint."""
    rows = db.scalars(select(Explanation).where(Explanation.agency_id == agency_id).order_by(Explanation.id))
    return {e.fingerprint: e for e in rows}


@dataclass
class Standing:
    """An agency's place in the round: its status, last upload, counts and the county's last word."""

    agency: Agency
    state: str
    latest: Submission | None = None
    decision: Decision | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)


def standing(db: Session, agency: Agency, lang: str | None = None, *, findings: bool = True) -> Standing:
    """Where ``agency`` stands; ``findings=False`` leaves out the latest version's findings (not parsed)."""
    subs = versions(db, agency.id)
    if not subs:
        return Standing(agency, MISSING)
    latest = subs[0]
    last = next(iter(decisions(db, agency.id)), None)
    listed = findings_of(latest, lang) if findings else []
    if last is not None and last.submission_id == latest.id:
        state = ACCEPTED if last.kind == "accept" else RETURNED
    else:
        state = AWAITING
    return Standing(agency, state, latest, last, listed)


def decide(db: Session, agency: Agency, submission_id: int, kind: str, comment: str, admin_id: int, actor: str) -> None:
    sub = db.get(Submission, submission_id)
    if sub is None or sub.agency_id != agency.id or kind not in ("accept", "return"):
        raise ServeError("serve.bad-request")
    if kind == "return" and not comment.strip():
        raise ServeError("serve.comment-needed")
    db.add(Decision(agency_id=agency.id, submission_id=sub.id, kind=kind, comment=comment.strip(), admin_id=admin_id, at=now()))
    audit(db, actor, "decision", round_id=agency.round_id, agency_id=agency.id, detail=f"{kind} v{sub.version} {comment}")


def explain(db: Session, agency: Agency, fingerprint: str, words: str) -> None:
    st = standing(db, agency)
    warnings = {f["fingerprint"] for f in st.findings if f["severity"] == "warning"}
    if fingerprint not in warnings or not words.strip():
        raise ServeError("serve.bad-request")
    db.add(Explanation(agency_id=agency.id, fingerprint=fingerprint, text=words.strip()[:2000], at=now()))
    audit(db, f"agency:{agency.name}", "explanation", round_id=agency.round_id, agency_id=agency.id,
          detail=f"{fingerprint} {words.strip()[:2000]}")  # fmt: skip


def judge(db: Session, agency: Agency, explanation_id: int, verdict: str, admin_id: int, actor: str) -> None:
    e = db.get(Explanation, explanation_id)
    if e is None or e.agency_id != agency.id or verdict not in ("accepted", "rejected"):
        raise ServeError("serve.bad-request")
    e.verdict, e.verdict_by, e.verdict_at = verdict, admin_id, now()
    audit(db, actor, "verdict", round_id=agency.round_id, agency_id=agency.id, detail=f"{verdict} {e.fingerprint}")


def round_agencies(db: Session, round_id: int) -> list[Agency]:
    return list(db.scalars(select(Agency).where(Agency.round_id == round_id).order_by(Agency.position)))


def accepted(db: Session, round_id: int, standings: list[Standing] | None = None) -> list[tuple[Agency, Submission]]:
    """Each agency whose latest version the county accepted, with that version (from ``standings`` when
    the caller has worked out every agency's already)."""
    if standings is None:
        standings = [standing(db, a, findings=False) for a in round_agencies(db, round_id)]
    return [(st.agency, st.latest) for st in standings if st.state == ACCEPTED and st.latest is not None]


def county_totals(
    db: Session, round_id: int, cells: list[str], standings: list[Standing] | None = None
) -> tuple[dict[str, int | float], int]:
    """Sums of ``cells`` over the accepted returns, and how many returns they cover."""
    sums: dict[str, int | float] = dict.fromkeys(cells, 0)
    got = accepted(db, round_id, standings)
    for _, sub in got:
        values = json.loads(sub.values_json or "{}")
        for c in cells:
            v = values.get(c)
            if isinstance(v, int):
                sums[c] += v
            elif isinstance(v, str):
                sums[c] += float(v)
    return sums, len(got)
