"""Checking returned files: :func:`check_file` gives a :class:`CheckResult` with every finding."""

from .file import check_file
from .result import STATUS_LABEL, STATUSES, CheckResult, status_of

__all__ = ["STATUSES", "STATUS_LABEL", "CheckResult", "check_file", "status_of"]
