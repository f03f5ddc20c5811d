"""``zfxxgk serve --demo``: the intake with ``examples/county-demo`` loaded, so a newcomer sees a working dashboard.

Loaded once per data folder (a ``demo`` setting marks it; a second start changes nothing): a round (2025, the
default spec, a deadline two weeks after loading), the demo roster, every return of ``returns/`` (the zip's
entries too) uploaded as its agency's versions through the same calls an upload makes — files are matched to
agencies by the same library call as ``zfxxgk compile``, so the 初稿 and the final of 教育局 become versions 1
and 2, and a file that matches no agency is kept and listed as it would be in a compile — and a few decisions.
The demo admin gets a new random password on every start (``ZFXXGK_ADMIN_PASSWORD`` if set), printed by the CLI.
"""

from __future__ import annotations

import hashlib
import secrets
import tempfile
from datetime import date, timedelta
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..county import compile_county
from ..county.model import Row
from ..messages import text
from ..read.sources import expand
from ..spec import load_spec
from . import auth, service
from .models import Admin, Agency, Setting, Stray
from .routes_agency import check_submission
from .security import now

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .app import State

HERE = Path(__file__).resolve()
PLACES = (HERE.parents[1] / "examples" / "county-demo", HERE.parents[3] / "examples" / "county-demo")
ADMIN = "demo"
ACTOR = f"admin:{ADMIN}"
YEAR = 2025
DEFAULT_DATA = Path(tempfile.gettempdir()) / "zfxxgk-demo"  # the demo's --data unless one is given


class DemoError(RuntimeError):
    """The demo files are not there (an installation without them)."""


def demo_folder() -> Path:
    for place in PLACES:
        if (place / "roster.csv").is_file():
            return place
    raise DemoError(text("serve.demo-missing", "zh", path=str(PLACES[-1])))


def admin_password(db: Session, password: str | None) -> str:
    """(Re)create the demo admin with ``password`` or a fresh random one; return it."""
    chosen = password or secrets.token_urlsafe(12)
    auth.create_admin(db, ADMIN, chosen)
    return chosen


async def load(state: State, folder: Path, lang: str) -> bool:
    """Load the demo into an empty-of-demo database; False when it was loaded before."""
    with state.sessions.begin() as db:
        if db.get(Setting, "demo") is not None:
            return False
        db.add(Setting(name="demo", value="loading"))
        rnd = service.create_round(db, YEAR, load_spec(None).id, date.today() + timedelta(days=14),
                                   text("serve.demo-round", lang), ACTOR)  # fmt: skip
        service.import_roster(db, rnd, folder / "roster.csv", ACTOR)
        round_id = rnd.id
    rows = _matched(folder, lang)
    await _upload(state, round_id, folder, rows)
    with state.sessions.begin() as db:
        _decide(db, round_id, lang)
        row = db.get(Setting, "demo")
        assert row is not None
        row.value = str(round_id)
    return True


def _matched(folder: Path, lang: str) -> list[Row]:
    """The rows of 报送情况 a compile of the demo gives: which file is whose, and which are nobody's."""
    with tempfile.TemporaryDirectory(prefix="zfxxgk-demo-") as tmp:
        done = compile_county([folder / "returns"], folder / "roster.csv", YEAR, Path(tmp) / "out.xlsx", jobs=1, lang=lang)
    return list(done.county.rows)


async def _upload(state: State, round_id: int, folder: Path, rows: list[Row]) -> None:
    """Each agency's files as its versions (superseded ones first), the rest as files of no agency."""
    data = {}
    for source in expand([folder / "returns"]):
        blob = source.read()
        data[hashlib.sha256(blob).hexdigest()] = (blob, source.file_name)
    with state.sessions() as db:
        agencies = {a.name: a.id for a in service.round_agencies(db, round_id)}
    ordered = sorted((r for r in rows if r.outcome is not None), key=lambda r: r.roster_index is not None)
    for r in ordered:
        assert r.outcome is not None
        blob, name = data[r.outcome.sha256]
        sha = state.store.put(blob)
        if r.agency not in agencies or r.status == "outsider":
            with state.sessions.begin() as db:
                db.add(Stray(round_id=round_id, sha256=sha, original_name=name, received_at=now(), note=r.note))
            continue
        with state.sessions.begin() as db:
            agency = db.get(Agency, agencies[r.agency])
            assert agency is not None
            sub_id = service.add_submission(db, agency, sha, PurePath(name).name, len(blob)).id
        await check_submission(state, sub_id)


def _decide(db: Session, round_id: int, lang: str) -> None:
    """One return accepted, one sent back with a comment, one explanation accepted and one rejected."""
    admin = db.scalar(select(Admin).where(Admin.username == ADMIN))
    assert admin is not None
    rows = [service.standing(db, a) for a in service.round_agencies(db, round_id)]
    ok = next(r for r in rows if r.latest is not None and r.latest.status == "ok")
    bad = next(r for r in rows if r.latest is not None and r.latest.status == "errors")
    assert ok.latest is not None and bad.latest is not None
    service.decide(db, ok.agency, ok.latest.id, "accept", "", admin.id, ACTOR)
    service.decide(db, bad.agency, bad.latest.id, "return", text("serve.demo-comment", lang), admin.id, ACTOR)
    warned = [(r, f["fingerprint"]) for r in rows for f in r.findings if f["severity"] == "warning"][:2]
    for (r, fingerprint), verdict in zip(warned, ("accepted", "rejected"), strict=False):
        service.explain(db, r.agency, fingerprint, text(f"serve.demo-explanation-{verdict}", lang))
        db.flush()
        said = service.explanations(db, r.agency.id)[fingerprint]
        service.judge(db, r.agency, said.id, verdict, admin.id, ACTOR)
