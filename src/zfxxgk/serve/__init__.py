"""``zfxxgk serve``: the county's intranet intake (agencies upload by link, the county reviews and compiles)."""

from __future__ import annotations

from pathlib import Path

from .app import Config, create_app, make_state

__all__ = ["Config", "add_admin", "create_app", "export", "load_demo", "run"]


def add_admin(config: Config, username: str, password: str) -> None:
    """Create (or give a new password to) an admin; migrates the database first."""
    from . import auth, service

    state = make_state(config)
    try:
        with state.sessions.begin() as db:
            auth.create_admin(db, username, password)
            service.audit(db, "cli", "create-admin", detail=username)
    finally:
        state.engine.dispose()


def load_demo(config: Config, password: str | None = None) -> tuple[str, str, bool]:
    """Load ``examples/county-demo`` once (see :mod:`zfxxgk.serve.demo`); return the demo admin's name and
    new password, and whether the demo was loaded now (False: it was there already)."""
    import asyncio

    from . import checking
    from . import demo as demo_data  # the module (this function is not named demo)

    folder = demo_data.demo_folder()
    state = make_state(config)
    state.pool = checking.pool(config.workers)
    try:
        with state.sessions.begin() as db:
            chosen = demo_data.admin_password(db, password)
        loaded = asyncio.run(demo_data.load(state, folder, config.lang))
    finally:
        state.pool.shutdown(wait=True, cancel_futures=True)
        state.engine.dispose()
    return demo_data.ADMIN, chosen, loaded


def export(config: Config, out: Path) -> list[Path]:
    """Write every round under ``out`` as plain files (see :mod:`zfxxgk.serve.archive`)."""
    from .archive import export_all

    state = make_state(config)
    try:
        with state.sessions.begin() as db:
            return export_all(db, state.store, out, config.lang)
    finally:
        state.engine.dispose()


def run(config: Config, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until stopped (Uvicorn, one process; checks run in a pool of worker processes)."""
    import uvicorn

    uvicorn.run(create_app(config), host=host, port=port, log_level="info", proxy_headers=False)
