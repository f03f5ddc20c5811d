"""An agency's page, reached by its upload link only: template, upload, findings, explanations, status."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from ..roster import Agency as RosterAgency
from ..spec import load_spec
from ..template.roster_batch import write_one
from . import carry, checking, service
from .models import Agency, Round, Submission
from .security import attachment, same, sign

if TYPE_CHECKING:
    from .app import State

log = logging.getLogger(__name__)
router = APIRouter()
UPLOAD_TYPES = (".xlsx", ".xlsm", ".xls", ".et", ".ods", ".csv")  # what a return may come as; the checker tells the rest
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 1024 * 1024


def zf(request: Request) -> State:
    state: State = request.app.state.zf
    return state


def agency_or_404(state: State, token: str) -> tuple[Agency, Round]:
    with state.sessions() as s:
        agency = service.agency_by_token(s, token)
        if agency is None:
            raise HTTPException(404)
        rnd = s.get(Round, agency.round_id)
        assert rnd is not None
        return agency, rnd


def agency_csrf(state: State, token: str) -> str:
    return sign(state.secret, "agency:" + token)


def check_csrf(state: State, token: str, given: str) -> None:
    if not same(agency_csrf(state, token), given):
        raise HTTPException(403)


@router.get("/a/{token}")
def agency_page(request: Request, token: str) -> Response:
    state = zf(request)
    agency, rnd = agency_or_404(state, token)
    with state.sessions() as s:
        st = service.standing(s, agency, state.lang)
        explained = service.explanations(s, agency.id)
        history = service.versions(s, agency.id)
        said = service.decisions(s, agency.id)
    return state.render("agency.html", agency=agency, rnd=rnd, st=st, explained=explained, history=history,
                        decisions=said, token=token, csrf=agency_csrf(state, token))  # fmt: skip


@router.post("/a/{token}/lang")
def agency_lang(request: Request, token: str, to: Annotated[str, Form()], csrf: Annotated[str, Form()] = "") -> Response:
    """Switch the language of the agency's pages (a cookie: agencies have no account)."""
    state = zf(request)
    agency_or_404(state, token)
    check_csrf(state, token, csrf)
    response = RedirectResponse(f"/a/{token}", status_code=303)
    set_lang_cookie(response, to)
    return response


def set_lang_cookie(response: Response, lang: str) -> None:
    from ..messages import LANGS
    from .app import LANG_COOKIE

    if lang in LANGS:
        response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="strict", max_age=365 * 86400, path="/")


@router.get("/a/{token}/template")
def agency_template(request: Request, token: str) -> Response:
    state = zf(request)
    agency, rnd = agency_or_404(state, token)
    return template_download(state, agency, rnd)


def template_download(state: State, agency: Agency, rnd: Round) -> Response:
    """The agency's template, prefilled with its name and code and with last year's accepted return's
    carry-over figures when there is one (the library's template call)."""
    spec = load_spec(rnd.spec)
    with tempfile.TemporaryDirectory(prefix="zfxxgk-serve-") as tmp:
        out = Path(tmp) / "template.xlsx"
        (Path(tmp) / "previous").mkdir()
        previous = carry.previous_file(state, rnd, agency, Path(tmp) / "previous")
        write_one(out, spec, rnd.year, RosterAgency(agency.name, agency.code, agency.contact, agency.phone),
                  lang=state.lang, previous=previous)  # fmt: skip
        data = out.read_bytes()
    return Response(data, media_type=XLSX, headers={"Content-Disposition": attachment(agency.file_name)})


async def read_limited(upload: UploadFile, limit: int) -> bytes | None:
    """The upload's bytes, or None when it is larger than ``limit`` (reading stops there)."""
    parts: list[bytes] = []
    size = 0
    while chunk := await upload.read(CHUNK):
        size += len(chunk)
        if size > limit:
            return None
        parts.append(chunk)
    return b"".join(parts)


@router.post("/a/{token}/upload")
async def agency_upload(request: Request, token: str, file: UploadFile, csrf: Annotated[str, Form()] = "") -> Response:
    state = zf(request)
    agency, _ = agency_or_404(state, token)
    check_csrf(state, token, csrf)
    name = PurePath((file.filename or "").replace("\\", "/")).name[:300]
    if not name.lower().endswith(UPLOAD_TYPES):
        return state.render("message.html", status_code=415, message=state.say("serve.wrong-type", types=" ".join(UPLOAD_TYPES)))
    data = await read_limited(file, state.config.upload_limit)
    if data is None:
        return state.render("message.html", status_code=413, message=state.say("serve.too-large"))
    if not data:
        return state.render("message.html", status_code=400, message=state.say("serve.empty-upload"))
    sha = state.store.put(data)  # stored as received before anything reads it
    with state.sessions.begin() as s:
        sub_id = service.add_submission(s, s.merge(agency), sha, name, len(data)).id
    await check_submission(state, sub_id)
    return RedirectResponse(f"/a/{token}", status_code=303)


async def check_submission(state: State, sub_id: int) -> None:
    """Check a stored submission in the worker pool and record the outcome (a crash: read-failed)."""
    with state.sessions() as s:
        sub = s.get(Submission, sub_id)
        assert sub is not None
        agency = s.get(Agency, sub.agency_id)
        assert agency is not None
        rnd = s.get(Round, agency.round_id)
        assert rnd is not None
        args = (str(state.store.path(sub.sha256)), agency.file_name, rnd.year, rnd.spec, state.config.lang)
    try:
        outcome = await state.run(checking.check_stored, *args)
    except Exception:
        log.exception("checking submission %s failed", sub_id)
        outcome = None
    with state.sessions.begin() as s:
        sub = s.get(Submission, sub_id)
        assert sub is not None
        service.record_check(sub, outcome)


@router.get("/a/{token}/annotated/{version}")
async def agency_annotated(request: Request, token: str, version: int) -> Response:
    state = zf(request)
    agency, rnd = agency_or_404(state, token)
    return await annotated_download(state, agency, rnd, version)


async def annotated_download(state: State, agency: Agency, rnd: Round, version: int) -> Response:
    with state.sessions() as s:
        sub = next((v for v in service.versions(s, agency.id) if v.version == version), None)
    if sub is None or sub.status == "unreadable":
        raise HTTPException(404)
    args = (str(state.store.path(sub.sha256)), agency.file_name, rnd.year, rnd.spec, state.lang)
    data = await state.run(checking.annotated_copy, *args)
    name = state.say("serve.annotated-name", stem=PurePath(agency.file_name).stem, version=version)
    return Response(data, media_type=XLSX, headers={"Content-Disposition": attachment(name)})


@router.post("/a/{token}/explain")
def agency_explain(request: Request, token: str, fingerprint: Annotated[str, Form()], words: Annotated[str, Form()],
                   csrf: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    state = zf(request)
    agency, _ = agency_or_404(state, token)
    check_csrf(state, token, csrf)
    try:
        with state.sessions.begin() as s:
            service.explain(s, s.merge(agency), fingerprint, words)
    except service.ServeError as exc:
        return state.render("message.html", status_code=400, message=state.say(exc.key, **exc.fields))
    return RedirectResponse(f"/a/{token}", status_code=303)
