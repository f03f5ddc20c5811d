"""Admin sign-in: server-side sessions behind a random cookie, a CSRF token per session, the login nonce."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from fastapi import HTTPException, Request, Response
from sqlalchemy import select

from .models import Admin, LoginSession
from .security import aware, hash_password, new_token, now, same, sign, token_hash, verify_password

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .app import State

COOKIE = "zfxxgk_session"
NONCE = "zfxxgk_login"
LIFETIME = timedelta(hours=8)


@dataclass(frozen=True)
class Login:
    admin_id: int
    username: str
    csrf: str
    lang: str | None = None

    @property
    def actor(self) -> str:
        return f"admin:{self.username}"


def create_admin(db: Session, username: str, password: str) -> Admin:
    """A new admin, or a new password for an existing one."""
    admin = db.scalar(select(Admin).where(Admin.username == username))
    if admin is None:
        admin = Admin(username=username, password_hash=hash_password(password), created_at=now())
        db.add(admin)
    else:
        admin.password_hash = hash_password(password)
    return admin


def authenticate(db: Session, username: str, password: str) -> Admin | None:
    admin = db.scalar(select(Admin).where(Admin.username == username))
    if admin is None:
        verify_password(password, hash_password("-"))  # the same work whether or not the name exists
        return None
    return admin if verify_password(password, admin.password_hash) else None


def start_session(db: Session, admin: Admin, response: Response) -> None:
    sid = new_token()
    db.add(LoginSession(id_hash=token_hash(sid), admin_id=admin.id, csrf=new_token(), created_at=now(),
                        expires_at=now() + LIFETIME))  # fmt: skip
    response.set_cookie(COOKIE, sid, httponly=True, samesite="strict", max_age=int(LIFETIME.total_seconds()), path="/")


def end_session(db: Session, request: Request, response: Response) -> None:
    sid = request.cookies.get(COOKIE)
    if sid:
        row = db.get(LoginSession, token_hash(sid))
        if row is not None:
            db.delete(row)
    response.delete_cookie(COOKIE, path="/")


def current(state: State, request: Request) -> Login | None:
    sid = request.cookies.get(COOKIE)
    if not sid:
        return None
    with state.sessions() as db:
        row = db.get(LoginSession, token_hash(sid))
        if row is None or aware(row.expires_at) < now():
            return None
        admin = db.get(Admin, row.admin_id)
        return Login(row.admin_id, admin.username, row.csrf, admin.lang) if admin else None


def need(state: State, request: Request, csrf: str | None = None) -> Login:
    """The signed-in admin; a page without a session goes to the login form, a form without a good token: 403."""
    login = current(state, request)
    if login is None:
        if request.method == "GET":
            raise HTTPException(303, headers={"Location": "/admin/login"})
        raise HTTPException(403)
    if request.method == "POST" and (csrf is None or not same(csrf, login.csrf)):
        raise HTTPException(403)
    return login


def login_nonce(request: Request) -> str:
    return request.cookies.get(NONCE) or new_token()


def login_csrf(state: State, nonce: str) -> str:
    return sign(state.secret, "login:" + nonce)
