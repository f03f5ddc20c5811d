"""The one error a package reader raises: the file cannot be read, with the finding code that says why."""

from __future__ import annotations


class PackageError(Exception):
    """The package cannot be read; ``code`` is a findings catalogue code."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
