"""The report as one accessible HTML page (or, with ``fragment``, the body for a portal's editor)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from .. import __version__
from .model import Document, TableBlock


@cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("zfxxgk.report", "templates"),
        autoescape=select_autoescape(["j2", "html"]),
        trim_blocks=False,
        lstrip_blocks=False,
    )
    return env


def render_html(doc: Document, fragment: bool = False) -> str:
    """A standalone page with print CSS, or just the ``<article>`` when ``fragment`` is set."""
    return _env().get_template("report.html.j2").render(doc=doc, fragment=fragment, generator=f"zfxxgk {__version__}")


def render_table(block: TableBlock, agency: str, lang: str = "zh") -> str:
    """One table as an HTML fragment (used inside Markdown too)."""
    return str(_env().get_template("table.html.j2").module.table(block, agency, lang))  # type: ignore[attr-defined]
