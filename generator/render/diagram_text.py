"""Measure and wrap a pathway step's text for the SVG drawing: text -> widths and lines.

SVG does not wrap text itself, so the drawing wraps it here, from Arial-compatible character
widths (the bundled Atkinson Hyperlegible is no wider: tests/test_pdf.py measures it).
"""

from __future__ import annotations

FONT_SIZE = 15

# Advance widths of Helvetica/Arial (and the metric-compatible Liberation Sans) in 1/1000 em.
_NARROW = {c: 222 for c in "ijl"} | {c: 278 for c in " !,./:;I[\\]ft"} | {"'": 191, "|": 260}
_MEDIUM = {c: 333 for c in "()-r`"} | {c: 500 for c in "ckvxyzJs"} | {"*": 389, "^": 469}
_WIDE = (
    {c: 722 for c in "CDHNRUw"}
    | {c: 778 for c in "GOQ"}
    | {"M": 833, "m": 833, "W": 944, "%": 889, "@": 1015}
    | {c: 667 for c in "ABEKPSVXY&"}
    | {c: 611 for c in "FTZ"}
)
_CHAR_WIDTHS = _NARROW | _MEDIUM | _WIDE | {"L": 556, '"': 355}
_DEFAULT_WIDTH = 556
# Leave room for a fallback sans-serif a little wider than Arial, and for rounding.
_SAFETY = 1.08


def measure_text(text: str, font_size: float = FONT_SIZE, bold: bool = False) -> float:
    """Estimate the width of a line of text in viewBox units."""
    units = sum(_CHAR_WIDTHS.get(c, _DEFAULT_WIDTH) for c in text)
    return units / 1000 * font_size * _SAFETY * (1.07 if bold else 1.0)


def wrap_text(text: str, width: float, font_size: float = FONT_SIZE) -> list[str]:
    """Break text into lines no wider than `width`, between words (splitting overlong words)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if measure_text(candidate, font_size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        while measure_text(word, font_size) > width:  # a word wider than the box: split it
            cut = len(word) - 1
            while cut > 1 and measure_text(word[:cut] + "-", font_size) > width:
                cut -= 1
            lines.append(word[:cut] + "-")
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]
