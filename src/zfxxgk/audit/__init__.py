"""``zfxxgk audit``: published reports (web pages, PDFs, Word files, text layers) checked with the same spec and rules.

Each file is taken apart by its kind (:mod:`.html`, :mod:`.documents`, :mod:`.textlayer`), its tables are read
as a hand-made workbook is read (by labels), and the checks of ``check`` run on them; the result is the same
:class:`~zfxxgk.check.CheckResult`.
"""

from .batch import audit_files
from .file import audit_file

__all__ = ["audit_file", "audit_files"]
