"""Logging for the package: silent by default (a library's habit), ``--verbose`` sends debug records to stderr.

Every module logs to ``logging.getLogger(__name__)`` under the ``zfxxgk`` logger; a compile also appends
them to a log file beside its outputs (``county.compile``).
"""

from __future__ import annotations

import logging
import sys

PACKAGE_LOGGER = "zfxxgk"
CONSOLE_FORMAT = "%(levelname)s %(name)s: %(message)s"


def to_stderr(verbose: bool) -> logging.Handler | None:
    """With ``verbose``, send the package's records (debug and up, with tracebacks) to stderr."""
    if not verbose:
        return None
    logger = logging.getLogger(PACKAGE_LOGGER)
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter(CONSOLE_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return handler


def detach(handler: logging.Handler) -> None:
    """Remove a handler :func:`to_stderr` added (when the command is done)."""
    logger = logging.getLogger(PACKAGE_LOGGER)
    logger.removeHandler(handler)
    handler.close()
    if not any(isinstance(h, logging.StreamHandler) for h in logger.handlers):
        logger.setLevel(logging.NOTSET)
