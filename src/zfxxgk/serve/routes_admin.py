"""The county's pages (sign-in needed): rounds, roster import, the dashboard, one agency, decisions, downloads."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from ..roster import RosterError
from ..spec import SpecError, available_specs, load_spec
from . import auth, exports, service
from .app import too_many
from .models import Admin, Agency, Round, Stray
from .routes_agency import annotated_download, read_limited, set_lang_cookie, template_download, zf
from .security import attachment, same

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .app import State

router = APIRouter(prefix="/admin")
Field = Annotated[str, Form()]
MEDIA = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".csv": "text/csv; charset=utf-8", ".bin": "application/octet-stream"}  # fmt: skip
FILTERS = ("all", "missing", "errors", "awaiting")


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/login")
def login_form(request: Request, failed: int = 0) -> Response:
    state = zf(request)
    nonce = auth.login_nonce(request)
    page = state.render("login.html", csrf=auth.login_csrf(state, nonce), failed=failed)
    page.set_cookie(auth.NONCE, nonce, httponly=True, samesite="strict", path="/admin")
    return page


@router.post("/login")
def login(request: Request, username: Field, password: Field, csrf: Field = "") -> Response:
    state = zf(request)
    nonce = request.cookies.get(auth.NONCE, "")
    if not nonce or not same(auth.login_csrf(state, nonce), csrf):
        raise HTTPException(403)
    address = request.client.host if request.client else ""
    wait = state.limits.login_wait(username, address)
    if wait:
        with state.sessions.begin() as db:
            service.audit(db, f"admin:{username}"[:300], "login-limited", detail=address)
        return too_many(state, "serve.too-many-logins", wait)
    with state.sessions.begin() as db:
        admin = auth.authenticate(db, username, password)
        service.audit(db, f"admin:{username}"[:300], "login" if admin else "login-failed", detail=address)
        if admin is None:
            state.limits.login_failed(username, address)
            return see_other("/admin/login?failed=1")
        state.limits.login_succeeded(username, address)
        response = see_other("/admin")
        auth.start_session(db, admin, response)
        if admin.lang:
            set_lang_cookie(response, admin.lang)
    return response


@router.post("/lang")
def switch_lang(request: Request, to: Field, back: Field = "/admin", csrf: Field = "") -> Response:
    """Switch the language: a signed-in admin's preference is kept with the account; on the login page, a cookie."""
    state = zf(request)
    login = auth.current(state, request)
    if login is not None:
        auth.need(state, request, csrf)
        if to in ("zh", "en"):
            with state.sessions.begin() as db:
                admin = db.get(Admin, login.admin_id)
                assert admin is not None
                admin.lang = to
                service.audit(db, login.actor, "language", detail=to)
    else:
        nonce = request.cookies.get(auth.NONCE, "")
        if not nonce or not same(auth.login_csrf(state, nonce), csrf):
            raise HTTPException(403)
    safe = back if back.startswith("/") and not back.startswith("//") and "\\" not in back else "/admin"
    response = see_other(safe)
    set_lang_cookie(response, to)
    return response


@router.post("/logout")
def logout(request: Request, csrf: Field = "") -> Response:
    state = zf(request)
    login = auth.need(state, request, csrf)
    response = see_other("/admin/login")
    with state.sessions.begin() as db:
        auth.end_session(db, request, response)
        service.audit(db, login.actor, "logout")
    return response


@router.get("")
def home(request: Request) -> Response:
    state = zf(request)
    login = auth.need(state, request)
    with state.sessions() as db:
        rounds = list(db.scalars(select(Round).order_by(Round.id.desc())))
    specs = list(available_specs())
    return state.render("rounds.html", login=login, rounds=rounds, specs=specs, default_spec=load_spec(None).id)


@router.post("/rounds")
def new_round(request: Request, year: Field, spec: Field, deadline: Field, name: Field = "", csrf: Field = "") -> Response:
    state = zf(request)
    login = auth.need(state, request, csrf)
    try:
        y, due = int(year), date.fromisoformat(deadline)
        if not load_spec(spec).covers(y):
            raise ValueError(spec)
    except (ValueError, SpecError):
        return state.render("message.html", status_code=400, message=state.say("serve.bad-round"), back="/admin")
    with state.sessions.begin() as db:
        rnd = service.create_round(db, y, spec, due, name.strip()[:200], login.actor)
        rid = rnd.id
    return see_other(f"/admin/round/{rid}")


def round_or_404(state: State, round_id: int) -> Round:
    with state.sessions() as db:
        rnd = db.get(Round, round_id)
    if rnd is None:
        raise HTTPException(404)
    return rnd


@router.get("/round/{round_id}")
def dashboard(request: Request, round_id: int, show: str = "all") -> Response:
    state = zf(request)
    login = auth.need(state, request)
    rnd = round_or_404(state, round_id)
    with state.sessions() as db:
        rows = [service.standing(db, a, findings=False) for a in service.round_agencies(db, round_id)]
        strays = list(db.scalars(select(Stray).where(Stray.round_id == round_id).order_by(Stray.id)))
    tally = {s: sum(r.state == s for r in rows) for s in service.STATES}
    shown = [r for r in rows if keep(r, show)]
    table, totals, covered = live_total(state, rnd, rows)
    return state.render("dashboard.html", login=login, rnd=rnd, rows=shown, tally=tally, show=show, filters=FILTERS,
                        days=(rnd.deadline - date.today()).days, table=table, totals=totals, covered=covered,
                        strays=strays)  # fmt: skip


def keep(row: service.Standing, show: str) -> bool:
    if show == "missing":
        return row.state == service.MISSING
    if show == "errors":
        return row.latest is not None and (row.latest.errors > 0 or row.latest.status == "unreadable")
    if show == "awaiting":
        return row.state == service.AWAITING
    return True


@router.get("/round/{round_id}/total")
def total_fragment(request: Request, round_id: int) -> Response:
    """The live county total (an htmx fragment the dashboard refreshes)."""
    state = zf(request)
    auth.need(state, request)
    rnd = round_or_404(state, round_id)
    table, totals, covered = live_total(state, rnd)
    return state.render("total.html", rnd=rnd, table=table, totals=totals, covered=covered)


def live_total(
    state: State, rnd: Round, standings: list[service.Standing] | None = None
) -> tuple[object, dict[str, int | float], int]:
    """The table agencies are ranked by (表三 in the national formats), summed over accepted returns
    (``standings``: every agency's, when the caller has them)."""
    spec = load_spec(rnd.spec)
    ranked = spec.county.ranking if spec.county else None
    table_id = spec.cells[ranked].table if ranked else spec.grid_tables[0].id
    table = spec.tables[table_id]
    with state.sessions() as db:
        totals, covered = service.county_totals(db, rnd.id, list(table.cells), standings)
    return table, totals, covered


@router.post("/round/{round_id}/roster")
async def roster_import(request: Request, round_id: int, file: UploadFile, csrf: Field = "") -> Response:
    state = zf(request)
    login = auth.need(state, request, csrf)
    rnd = round_or_404(state, round_id)
    suffix = PurePath(file.filename or "").suffix.lower()
    data = await read_limited(file, state.config.upload_limit)
    if suffix not in (".csv", ".xlsx") or not data:
        return state.render("message.html", status_code=400, message=state.say("serve.bad-roster"), back=f"/admin/round/{round_id}")
    with tempfile.TemporaryDirectory(prefix="zfxxgk-roster-") as tmp:
        path = Path(tmp) / f"roster{suffix}"
        path.write_bytes(data)
        try:
            with state.sessions.begin() as db:
                tokens = service.import_roster(db, db.merge(rnd), path, login.actor)
                names = {a.id: a.name for a in service.round_agencies(db, round_id)}
        except RosterError as exc:
            return state.render("message.html", status_code=400, message=exc.text(state.lang), back=f"/admin/round/{round_id}")
        except service.ServeError as exc:
            return state.render("message.html", status_code=400, message=state.say(exc.key, **exc.fields), back=f"/admin/round/{round_id}")
    links = [(names[aid], link(request, tok)) for aid, tok in tokens.items()]
    return state.render("links.html", login=login, rnd=rnd, links=links)


def link(request: Request, token: str) -> str:
    return str(request.base_url).rstrip("/") + f"/a/{token}"


def agency_or_404(state: State, rnd: Round, agency_id: int) -> Agency:
    with state.sessions() as db:
        agency = db.get(Agency, agency_id)
    if agency is None or agency.round_id != rnd.id:
        raise HTTPException(404)
    return agency


@router.get("/round/{round_id}/agency/{agency_id}")
def agency_detail(request: Request, round_id: int, agency_id: int) -> Response:
    state = zf(request)
    login = auth.need(state, request)
    rnd = round_or_404(state, round_id)
    agency = agency_or_404(state, rnd, agency_id)
    with state.sessions() as db:
        st = service.standing(db, agency, state.lang)
        history, said = service.versions(db, agency.id), service.decisions(db, agency.id)
        explained = service.explanations(db, agency.id)
    return state.render("agency_admin.html", login=login, rnd=rnd, agency=agency, st=st, history=history,
                        decisions=said, explained=explained)  # fmt: skip


@router.post("/round/{round_id}/agency/{agency_id}/decide")
def decide(request: Request, round_id: int, agency_id: int, submission: Field, kind: Field, comment: Field = "",
           csrf: Field = "") -> Response:  # fmt: skip
    state = zf(request)
    login = auth.need(state, request, csrf)
    agency = agency_or_404(state, round_or_404(state, round_id), agency_id)
    try:
        with state.sessions.begin() as db:
            service.decide(db, agency, int(submission), kind, comment[:4000], login.admin_id, login.actor)
    except (service.ServeError, ValueError) as exc:
        key = exc.key if isinstance(exc, service.ServeError) else "serve.bad-request"
        return state.render("message.html", status_code=400, message=state.say(key), back=f"/admin/round/{round_id}/agency/{agency_id}")
    return see_other(f"/admin/round/{round_id}/agency/{agency_id}")


@router.post("/round/{round_id}/agency/{agency_id}/judge")
def judge(request: Request, round_id: int, agency_id: int, explanation: Field, verdict: Field, csrf: Field = "") -> Response:
    state = zf(request)
    login = auth.need(state, request, csrf)
    agency = agency_or_404(state, round_or_404(state, round_id), agency_id)
    try:
        with state.sessions.begin() as db:
            service.judge(db, agency, int(explanation), verdict, login.admin_id, login.actor)
    except (service.ServeError, ValueError):
        return state.render("message.html", status_code=400, message=state.say("serve.bad-request"))
    return see_other(f"/admin/round/{round_id}/agency/{agency_id}")


@router.post("/round/{round_id}/agency/{agency_id}/link")
def new_link(request: Request, round_id: int, agency_id: int, csrf: Field = "") -> Response:
    state = zf(request)
    login = auth.need(state, request, csrf)
    rnd = round_or_404(state, round_id)
    agency = agency_or_404(state, rnd, agency_id)
    with state.sessions.begin() as db:
        token = service.issue_token(db, agency)
        service.audit(db, login.actor, "link", round_id=rnd.id, agency_id=agency.id)
    return state.render("links.html", login=login, rnd=rnd, links=[(agency.name, link(request, token))])


@router.get("/round/{round_id}/agency/{agency_id}/template")
def admin_template(request: Request, round_id: int, agency_id: int) -> Response:
    state = zf(request)
    auth.need(state, request)
    rnd = round_or_404(state, round_id)
    return template_download(state, agency_or_404(state, rnd, agency_id), rnd)


@router.get("/round/{round_id}/agency/{agency_id}/file/{version}")
async def admin_file(request: Request, round_id: int, agency_id: int, version: int, annotated: int = 0) -> Response:
    state = zf(request)
    auth.need(state, request)
    rnd = round_or_404(state, round_id)
    agency = agency_or_404(state, rnd, agency_id)
    if annotated:
        return await annotated_download(state, agency, rnd, version)
    with state.sessions() as db:
        sub = next((v for v in service.versions(db, agency.id) if v.version == version), None)
    if sub is None:
        raise HTTPException(404)
    name = state.say("serve.original-name", version=version, name=sub.original_name)
    return Response(state.store.get(sub.sha256), media_type=MEDIA[".bin"], headers={"Content-Disposition": attachment(name)})


@router.get("/round/{round_id}/export/{kind}")
def export(request: Request, round_id: int, kind: str) -> Response:  # a compile: in the thread pool, not the event loop
    state = zf(request)
    login = auth.need(state, request)
    rnd = round_or_404(state, round_id)
    lang = state.lang
    with state.sessions() as db:
        if kind in exports.KINDS:
            data = exports.compiled(db, state.store, rnd, kind, lang)
            suffix = exports.KINDS[kind]
        elif kind in ("status", "audit"):
            data, suffix = status_or_audit(state, db, rnd, kind), ".csv"
        else:
            raise HTTPException(404)
    with state.sessions.begin() as db:
        service.audit(db, login.actor, "export", round_id=rnd.id, detail=kind)
    name = state.say(f"serve.export-{kind}", year=rnd.year) + suffix
    return Response(data, media_type=MEDIA[suffix], headers={"Content-Disposition": attachment(name)})


def status_or_audit(state: State, db: Session, rnd: Round, kind: str) -> bytes:
    if kind == "audit":
        head = [state.say(f"serve.ui-audit-{c}") for c in ("at", "actor", "action", "detail")]
        return exports.csv_bytes(head, exports.audit_rows(db, rnd.id))
    head = [state.say(f"serve.ui-col-{c}") for c in ("agency", "status", "uploaded", "errors", "warnings", "comment")]
    rows: list[list[object]] = []
    for a in service.round_agencies(db, rnd.id):
        st = service.standing(db, a, findings=False)
        up = st.latest.received_at.isoformat(timespec="seconds") if st.latest else ""
        counts = (st.latest.errors, st.latest.warnings) if st.latest else ("", "")
        comment = st.decision.comment if st.decision else ""
        rows.append([a.name, state.say(f"serve.status-{st.state}"), up, *counts, comment])
    return exports.csv_bytes(head, rows)
