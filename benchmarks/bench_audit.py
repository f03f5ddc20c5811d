"""Audit speed: ``zfxxgk audit`` vs merely parsing the same files with the same libraries, in one run.

    python benchmarks/bench_audit.py [--n 40]

The files are reports written by ``zfxxgk report`` (HTML and .docx; the PDFs by LibreOffice from the
.docx) for filled templates with random figures. The baseline parses each file with the library the audit
uses for it (lxml's HTML parser, as the audit configures it; python-docx; pdfplumber, its tables found on every page) and does nothing else.
Reports files per second for both and their ratio. The label reader remembers label comparisons across files
(a county's reports print the same labels), so the first file of a kind, audited with nothing remembered, is
reported on its own.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import docx
import pdfplumber
from lxml import etree

from zfxxgk.audit import audit_file
from zfxxgk.audit.html import html_parser
from zfxxgk.figures import consistent_figures, inputs_only
from zfxxgk.libreoffice import convert
from zfxxgk.read.labels import similarity
from zfxxgk.read.rowpaths import key_of
from zfxxgk.report.publish import publish
from zfxxgk.roster import Agency
from zfxxgk.spec import load_spec
from zfxxgk.template.writer import build_template


def make_reports(n: int, folder: Path) -> dict[str, list[Path]]:
    spec = load_spec()
    rnd = random.Random(1)
    out: dict[str, list[Path]] = {"html": [], "docx": []}
    for i in range(n):
        fill = inputs_only(spec, consistent_figures(spec, rnd.randint, size=30, whole=True))
        fill["text.problems.body"] = "存在的问题。" * 20
        book = folder / f"r{i:04d}.xlsx"
        book.write_bytes(build_template(spec, 2025, Agency(f"单位{i}"), prefill=fill))
        for kind in out:
            target = folder / f"r{i:04d}.{kind}"
            publish(book, target, force=True)
            out[kind].append(target)
    out["pdf"] = convert(out["docx"][: max(1, n // 4)], "pdf", folder / "pdf")
    return out


def parse_only(kind: str, path: Path) -> None:
    data = path.read_bytes()
    if kind == "html":
        etree.fromstring(data.decode("utf-8"), html_parser())
    elif kind == "docx":
        document = docx.Document(io.BytesIO(data))
        _ = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    else:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            _ = [(p.extract_text(), [t.extract() for t in p.find_tables()]) for p in pdf.pages]


def cleared() -> None:
    """Forget every label comparison remembered so far."""
    similarity.cache_clear()
    key_of.cache_clear()


def rate(files: list[Path], run: Callable[[Path], object]) -> float:
    start = time.perf_counter()
    for path in files:
        run(path)
    return len(files) / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        reports = make_reports(args.n, Path(tmp))
        for kind, files in reports.items():
            cleared()
            first = 1 / rate(files[:1], audit_file)
            print(f"{kind:5} first file, nothing remembered: {first * 1000:6.1f} ms")
            audited = rate(files, audit_file)
            parsed = rate(files, lambda p, k=kind: parse_only(k, p))
            print(f"{kind:5} {len(files):4} files: audit {audited:7.1f}/s, parse only {parsed:7.1f}/s, "
                  f"audit takes {parsed / audited:4.1f}x the parse time")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
