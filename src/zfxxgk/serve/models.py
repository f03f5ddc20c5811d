"""The intake's tables: admins, rounds, agencies, upload tokens, submissions, decisions, explanations, audit."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Setting(Base):
    """Server-wide values that must survive restarts (the signing secret)."""

    __tablename__ = "setting"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Admin(Base):
    __tablename__ = "admin"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lang: Mapped[str | None] = mapped_column(String(8), nullable=True)  # zh | en; None: the server's --lang


class LoginSession(Base):
    """A signed-in admin; the cookie holds a random id, the table only its hash."""

    __tablename__ = "login_session"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    admin_id: Mapped[int] = mapped_column(ForeignKey("admin.id"))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Round(Base):
    """One year's reporting round."""

    __tablename__ = "round"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    spec: Mapped[str] = mapped_column(String(200))
    deadline: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Agency(Base):
    """A roster agency of a round."""

    __tablename__ = "agency"
    __table_args__ = (UniqueConstraint("round_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    code: Mapped[str] = mapped_column(String(100), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    file_name: Mapped[str] = mapped_column(String(400))  # its template's name, also the name files are checked under


class UploadToken(Base):
    """An agency's upload link: only the SHA-256 of the random token is stored."""

    __tablename__ = "upload_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Submission(Base):
    """One uploaded version, stored before it is checked; every version is kept."""

    __tablename__ = "submission"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    original_name: Mapped[str] = mapped_column(String(400))
    size: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(20))  # checking | checked | read-failed
    status: Mapped[str | None] = mapped_column(String(20), nullable=True)  # ok | warnings | errors | unreadable
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    findings_json: Mapped[str] = mapped_column(Text, default="")  # the file's entry of ``as_json``
    findings_other: Mapped[str | None] = mapped_column(Text, nullable=True)  # {lang: entry} in the other languages
    values_json: Mapped[str] = mapped_column(Text, default="")  # stated numbers by cell id
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Decision(Base):
    """The county accepts a submission or returns it for revision with a comment."""

    __tablename__ = "decision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"))
    kind: Mapped[str] = mapped_column(String(20))  # accept | return
    comment: Mapped[str] = mapped_column(Text, default="")
    admin_id: Mapped[int] = mapped_column(ForeignKey("admin.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Explanation(Base):
    """An agency's explanation of a warning, keyed by the finding's fingerprint, and the county's verdict."""

    __tablename__ = "explanation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    verdict: Mapped[str | None] = mapped_column(String(20), nullable=True)  # accepted | rejected
    verdict_by: Mapped[int | None] = mapped_column(ForeignKey("admin.id"), nullable=True)
    verdict_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuditEntry(Base):
    """Who did what, when: login, upload, decision, comment, explanation, export."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(40))
    round_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    agency_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class Stray(Base):
    """A received file that matches no roster agency (kept and listed, as 不在名单 in a compile)."""

    __tablename__ = "stray_file"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    original_name: Mapped[str] = mapped_column(String(400))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")
