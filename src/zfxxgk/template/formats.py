"""The cell formats of a template workbook: one XlsxWriter format per look, made once per workbook."""

from __future__ import annotations

from typing import Any

from ..spec import Domain
from ..textwidth import text_width

EXCEL_WIDE = 2.0  # an Excel column width counts digits: a CJK character takes about two


def excel_width(text: str) -> float:
    """The column width ``text`` needs in Excel's unit."""
    return text_width(text, EXCEL_WIDE)


class Formats:
    """The formats of one workbook; input and computed cells get one format per domain."""

    def __init__(self, wb: Any) -> None:
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter", "text_wrap": True}
        border = {**base, "border": 1}

        def add(**kw: Any) -> Any:
            return wb.add_format(kw)

        self.title = add(**{**base, "bold": True, "font_size": 14, "align": "center", "text_wrap": False})
        self.status = add(**{**base, "bold": True, "text_wrap": False})
        self.caption = add(**{**border, "bold": True, "align": "center", "bg_color": "#D9E1F2"})
        self.head = add(**{**border, "align": "center", "bg_color": "#F2F2F2"})
        self.rowhead = add(**{**border, "align": "left", "bg_color": "#F2F2F2"})
        self.check_label = add(**{**border, "align": "left", "italic": True, "font_color": "#555555"})
        self.check = add(**{**border, "align": "center"})
        self.note = add(**{**base, "font_color": "#555555"})
        self.notice = add(**{**border, "bold": True, "bg_color": "#FFF2CC"})  # what was carried from last year
        self.label = add(**{**border, "bold": True, "bg_color": "#F2F2F2"})
        self.fixed = add(**{**border, "bg_color": "#F2F2F2"})
        self.ok = add(font_color="#006100", bg_color="#C6EFCE")
        self.bad = add(font_color="#9C0006", bg_color="#FFC7CE", bold=True)
        self.warn = add(font_color="#9C5700", bg_color="#FFEB9C")
        self._input: dict[str, Any] = {}
        self._computed: dict[str, Any] = {}
        self._wb = wb
        self._border = border

    def input(self, domain: Domain) -> Any:
        """An unlocked, yellow cell for values of ``domain``."""
        if domain.id not in self._input:
            kw: dict[str, Any] = {**self._border, "locked": False, "bg_color": "#FFF9DB"}
            if domain.kind == "text":
                kw.update(valign="top", align="left", num_format="@")
            else:
                kw.update(align="center", num_format=_num_format(domain))
            self._input[domain.id] = self._wb.add_format(kw)
        return self._input[domain.id]

    def computed(self, domain: Domain) -> Any:
        """A locked, green cell for computed values of ``domain``."""
        if domain.id not in self._computed:
            self._computed[domain.id] = self._wb.add_format(
                {
                    **self._border,
                    "align": "center",
                    "bold": True,
                    "bg_color": "#E2EFDA",
                    "num_format": _num_format(domain),
                }
            )
        return self._computed[domain.id]


def _num_format(domain: Domain) -> str:
    return "0" if not domain.decimals else "0." + "0" * domain.decimals
