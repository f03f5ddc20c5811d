"""One estimate of how wide a text prints, shared by the template writer and the report renderers.

A CJK character (from U+2E80 on) counts as one em; any other character as 0.55 em, about the width of a
digit or a Latin letter in the fonts the outputs name. Callers scale it to their unit: an Excel column
width counts digits, so there a CJK character is about 2.
"""

from __future__ import annotations

WIDE_FROM = 0x2E80  # the first CJK radical: East Asian wide characters start here
NARROW = 0.55  # a narrow character, in wide characters


def text_width(text: str, wide: float = 1.0) -> float:
    """The printed width of ``text``, a wide (CJK) character counting ``wide``."""
    narrow = wide * NARROW
    return sum(wide if ord(ch) > WIDE_FROM else narrow for ch in text)
