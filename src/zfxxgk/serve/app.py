"""The FastAPI application: configuration, the lifespan (database, migrations, worker pool), pages, headers."""

from __future__ import annotations

import asyncio
import logging
import math
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from ..check import STATUS_LABEL
from ..findings import SEVERITY_LABEL
from ..messages import LANGS, text
from . import checking, db, service
from .limits import Limits
from .models import Setting, Submission
from .security import HEADERS
from .service import STATES
from .store import FileStore

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
UPLOAD_LIMIT = 20 * 1024 * 1024  # bytes of one upload; the checker's own limit is higher
FORM_SLACK = 64 * 1024  # multipart overhead allowed above the limit in Content-Length
LANG_COOKIE = "zfxxgk_lang"
# The language of the request being answered (the admin's preference, else the cookie, else --lang) and its path.
LANG: ContextVar[str | None] = ContextVar("zfxxgk_lang", default=None)
HERE_PATH: ContextVar[str] = ContextVar("zfxxgk_path", default="/")


@dataclass
class Config:
    data: Path
    db_url: str | None = None
    lang: str = "zh"
    workers: int = 2
    upload_limit: int = UPLOAD_LIMIT


@dataclass
class State:
    """What every request needs, built in the lifespan."""

    config: Config
    engine: Engine
    sessions: sessionmaker[Session]
    store: FileStore
    secret: str
    pages: dict[str, Environment]
    pool: ProcessPoolExecutor | None = None
    limits: Limits = field(default_factory=Limits)

    @property
    def lang(self) -> str:
        """The language this request is answered in."""
        return LANG.get() or self.config.lang

    def render(self, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        page = self.pages[self.lang].get_template(name).render(here=HERE_PATH.get(), **context)
        return HTMLResponse(page, status_code=status_code)

    def say(self, key: str, **fields: Any) -> str:
        return text(key, self.lang, **fields)

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(*args)`` in the worker pool (a broken pool is replaced, and the error raised)."""
        loop = asyncio.get_running_loop()
        if self.pool is None:
            self.pool = checking.pool(self.config.workers)
        try:
            return await loop.run_in_executor(self.pool, partial(fn, *args))
        except BrokenProcessPool:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = checking.pool(self.config.workers)
            raise


def environment(lang: str) -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))
    env.globals.update(
        t=lambda key, **f: text(f"serve.ui-{key}", lang, **f),
        status_word=lambda state: text(f"serve.status-{state}", lang),
        severity_word=lambda s: SEVERITY_LABEL[lang][s],
        result_word=lambda s: STATUS_LABEL[lang].get(s or "") or text("serve.ui-checking", lang),
        lang_attr="en" if lang == "en" else "zh-CN",
        states=STATES,
    )
    return env


def _secret(sessions: sessionmaker[Session]) -> str:
    with sessions.begin() as s:
        row = s.get(Setting, "secret")
        if row is None:
            row = Setting(name="secret", value=secrets.token_hex(32))
            s.add(row)
        return row.value


def make_state(config: Config) -> State:
    config.data.mkdir(parents=True, exist_ok=True)
    engine = db.make_engine(db.database_url(config.db_url, config.data))
    db.migrate(engine)
    sessions = db.sessions(engine)
    pages = {lang: environment(lang) for lang in LANGS}
    return State(config, engine, sessions, FileStore(config.data), _secret(sessions), pages)


def create_app(config: Config) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = make_state(config)
        state.pool = checking.pool(config.workers)
        app.state.zf = state
        await recheck_pending(state)
        try:
            yield
        finally:
            if state.pool is not None:
                state.pool.shutdown(wait=True, cancel_futures=True)
            state.engine.dispose()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.middleware("http")(guard)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    from .routes_admin import router as admin_router
    from .routes_agency import router as agency_router

    app.include_router(agency_router)
    app.include_router(admin_router)
    return app


async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Refuse an oversized body before reading it, and a client guessing upload links; choose the language;
    put the security headers on every answer."""
    state: State | None = getattr(request.app.state, "zf", None)
    limit = state.config.upload_limit + FORM_SLACK if state else 0
    length = request.headers.get("content-length")
    if state is not None:
        LANG.set(request_lang(state, request))
        HERE_PATH.set(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    address = request.client.host if request.client else ""
    link = request.url.path.startswith("/a/")
    wait = state.limits.tokens.wait("addr:" + address) if state and link else 0.0
    if state is not None and wait:
        response: Response = too_many(state, "serve.too-many-links", wait)
    elif request.method == "POST" and length is not None and state and (not length.isdigit() or int(length) > limit):
        response = PlainTextResponse(state.say("serve.too-large"), status_code=413)
    else:
        response = await call_next(request)
        if state is not None and link and response.status_code == 404 and state.limits.tokens.fail("addr:" + address):
            with state.sessions.begin() as s:
                service.audit(s, f"address:{address}", "link-limited")
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def request_lang(state: State, request: Request) -> str | None:
    """The signed-in admin's preference, else the language cookie (agencies, the login page), else none."""
    from .auth import current

    login = current(state, request)
    if login is not None and login.lang in LANGS:
        return login.lang
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in LANGS else None


def too_many(state: State, key: str, wait: float) -> Response:
    """429 with a Chinese (or English) message saying when to try again."""
    when = datetime.now().astimezone() + timedelta(seconds=wait)
    minutes = max(1, math.ceil(wait / 60))
    page = state.render("message.html", status_code=429, message=state.say(key, time=when.strftime("%H:%M"), minutes=minutes))
    page.headers["Retry-After"] = str(math.ceil(wait))
    return page


async def recheck_pending(state: State) -> None:
    """Uploads stored but never checked (the server stopped mid-check) are checked now."""
    from .routes_agency import check_submission

    with state.sessions() as s:
        pending = [sub.id for sub in s.scalars(select(Submission).where(Submission.state == "checking"))]
    for sub_id in pending:
        await check_submission(state, sub_id)
