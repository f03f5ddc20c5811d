"""Uploaded files as received, content-addressed (``files/ab/abcdef….bin``) and written atomically."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..fileio import write_bytes_atomic


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root / "files"
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(sha256)
        return self.root / sha256[:2] / f"{sha256}.bin"

    def put(self, data: bytes) -> str:
        """Store ``data`` (once: the same bytes are the same file) and return its SHA-256."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(target, data)
        return digest

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()
