"""The compile cache: a file's check outcome kept under its content hash, name, spec hash and tool version.

A second compile over the same inputs plus a few new or changed files checks only those. The key is
the SHA-256 of everything an outcome depends on: the file's bytes, its name as listed (a finding's
location and fingerprint name the file), the year and spec asked for, the language, the hashes of
every available spec and the tool version; a changed spec or a new version therefore never hits.
What is not in the file (its modification time, its place in the input order) is set anew on a hit.

The cache is one SQLite file (stdlib, one writer, safe to copy). Each entry carries a digest of its
body; an entry that does not match its digest or cannot be decoded is a miss, and a cache file that
cannot be opened is ignored with a log line: a damaged cache costs time, never a wrong result.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import sqlite3
from dataclasses import replace
from pathlib import Path

from .. import __version__
from ..read.sources import Source
from ..spec import SpecError, available_specs, load_spec
from ..spec.files import locate
from .store import Outcome

log = logging.getLogger(__name__)
SCHEMA = 1  # bumped when the entry layout changes
UNFINISHED = "read-failed"  # the finding code of a check that did not finish


def specs_stamp(spec_ref: str | None) -> str:
    """A digest of every available spec file's bytes and of the spec asked for (its hash, and its file).

    Stricter than the specs' own hashes, which leave out checking policy a template does not carry
    (how a blank is read, what prose must say): a change to any of it changes what a check finds.
    """
    parts = [f"ref={spec_ref}"]
    files = dict(available_specs())
    try:
        if spec_ref:
            parts.append(f"hash={load_spec(spec_ref).hash}")
            files.setdefault(spec_ref, locate(spec_ref))
    except SpecError:
        parts.append("hash=invalid")
    for spec_id, path in sorted(files.items()):
        try:
            body = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            body = "unreadable"
        parts.append(f"{spec_id}:{path}={body}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class Cache:
    """Outcomes by key; ``None`` as the path (or a cache that cannot be opened) caches nothing."""

    def __init__(self, path: Path | None, spec_ref: str | None, year: int | None, lang: str) -> None:
        self.path = path
        self.hits = 0
        self.db: sqlite3.Connection | None = None
        self._stamp = f"{SCHEMA}|{__version__}|{specs_stamp(spec_ref)}|{spec_ref}|{year}|{lang}"
        if path is not None:
            self.db = self._open(path)

    def _open(self, path: Path) -> sqlite3.Connection | None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path)
            db.execute("CREATE TABLE IF NOT EXISTS outcome (key TEXT PRIMARY KEY, digest TEXT, body BLOB)")
            db.execute("SELECT COUNT(*) FROM outcome").fetchone()
            return db
        except (sqlite3.Error, OSError) as exc:
            log.warning("the compile cache %s cannot be used (%s); every file is checked", path, exc)
            return None

    def key(self, source: Source) -> str | None:
        """The key of a source's outcome, or ``None`` when it is not cached (an archive that cannot be opened)."""
        if self.db is None or source.problem:
            return None
        try:
            data = source.read()
        except (OSError, KeyError, ValueError, EOFError):
            return None  # the worker will say why it cannot be read
        head = f"{self._stamp}|{source.name}|{source.file_name}\n".encode()
        return hashlib.sha256(head + data).hexdigest()

    def has(self, key: str | None) -> bool:
        """Whether an entry is kept for ``key`` (:meth:`get` verifies it)."""
        if self.db is None or key is None:
            return False
        try:
            return self.db.execute("SELECT 1 FROM outcome WHERE key = ?", (key,)).fetchone() is not None
        except sqlite3.Error as exc:
            log.warning("ignoring the compile cache %s (%s)", self.path, exc)
            return False

    def get(self, key: str | None, source: Source, index: int) -> Outcome | None:
        """The cached outcome for ``key``, placed at ``index`` with the source's own file time; else ``None``."""
        if self.db is None or key is None:
            return None
        try:
            row = self.db.execute("SELECT digest, body FROM outcome WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            digest, body = row
            if hashlib.sha256(body).hexdigest() != digest:
                raise ValueError("digest mismatch")
            outcome = pickle.loads(body)
            if not isinstance(outcome, Outcome):
                raise ValueError(f"not an outcome: {type(outcome).__name__}")
        except Exception as exc:  # a damaged entry or file is a miss, never a result
            log.warning("ignoring a damaged entry of the compile cache %s (%s)", self.path, exc)
            return None
        self.hits += 1
        return replace(outcome, index=index, modified=source.modified, log=[])

    def put(self, key: str | None, outcome: Outcome) -> None:
        """Keep an outcome; one whose check did not finish (a worker died or hung) is not kept: retried next time."""
        if self.db is None or key is None or any(f.code == UNFINISHED for f in outcome.findings):
            return
        body = pickle.dumps(replace(outcome, index=0, modified=0.0, log=[]), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.db.execute(
                "INSERT OR REPLACE INTO outcome VALUES (?, ?, ?)", (key, hashlib.sha256(body).hexdigest(), body)
            )
        except sqlite3.Error as exc:
            log.warning("cannot write to the compile cache %s (%s)", self.path, exc)

    def close(self) -> None:
        if self.db is not None:
            try:
                self.db.commit()
            except sqlite3.Error as exc:
                log.warning("cannot write to the compile cache %s (%s)", self.path, exc)
            self.db.close()
            self.db = None
