"""Last year's accepted return for an agency's template: the round of year−1, the same agency, accepted.

The agency of last year is the one with the same roster code when both have one, else the same name
(as :mod:`zfxxgk.check.previous` pairs returns); the newest round of that year is asked first. The
file goes to the library's template call as ``previous``, which verifies year and agency again.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..fileio import safe_filename
from ..normalize import name_key
from . import service
from .models import Agency, Round

if TYPE_CHECKING:
    from .app import State


def same_agency(last: Agency, this: Agency) -> bool:
    """Roster code when both have one, else the name as the checker compares names."""
    if last.code and this.code:
        return last.code == this.code
    return name_key(last.name) == name_key(this.name)


def previous_return(state: State, rnd: Round, agency: Agency) -> tuple[str, bytes] | None:
    """The name and bytes of ``agency``'s accepted return of the year before ``rnd``'s, if the database has one."""
    with state.sessions() as s:
        older = select(Round).where(Round.year == rnd.year - 1).order_by(Round.created_at.desc(), Round.id.desc())
        for last_round in s.scalars(older):
            for last, sub in service.accepted(s, last_round.id):
                if same_agency(last, agency):
                    return sub.original_name, state.store.get(sub.sha256)
    return None


def previous_file(state: State, rnd: Round, agency: Agency, folder: Path) -> Path | None:
    """That return written into ``folder`` under its uploaded name (made safe), or None when there is none."""
    found = previous_return(state, rnd, agency)
    if found is None:
        return None
    name, data = found
    original = PurePath(name.replace("\\", "/"))
    suffix = original.suffix if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", original.suffix) else ""
    path = folder / (safe_filename(original.stem) + suffix)
    path.write_bytes(data)
    return path
