"""Colour contrast as WCAG 2.1 defines it (relative luminance, contrast ratio), and a colour made
dark enough to be read as text on white: the page's and the charts' text in a power's colour.
tests/app/test_contrast.py checks the style sheets' text colours with the same ratio."""

from __future__ import annotations

AA = 4.5  # WCAG 2.1 success criterion 1.4.3: the least contrast of normal-size text
WHITE = "#ffffff"
_NAMED = {"white": WHITE, "black": "#000000"}
_DARKEN_STEP = 0.05  # how much nearer black each try of `readable` moves a colour


def rgb(colour: str) -> tuple[float, float, float]:
    """'#D55E00', '#fff' or 'white' -> red, green, blue in 0..1."""
    text = _NAMED.get(colour.lower(), colour.lower()).lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) != 6:
        raise ValueError(f"not a #rrggbb or #rgb colour: {colour!r}")
    return int(text[0:2], 16) / 255, int(text[2:4], 16) / 255, int(text[4:6], 16) / 255


def luminance(colour: str) -> float:
    """WCAG's relative luminance of an sRGB colour, 0 (black) to 1 (white)."""
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb(colour)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG's contrast ratio of two colours, 1 (the same) to 21 (black on white)."""
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(colour: str, background: str = WHITE, least: float = AA) -> str:
    """`colour` itself if text in it reaches `least` contrast on `background`, else the nearest
    darker shade (mixed towards black) that does, as '#rrggbb'."""
    r, g, b = rgb(colour)
    keep = 1.0
    while keep > 0:
        shade = "#" + "".join(f"{round(255 * c * keep):02x}" for c in (r, g, b))
        if contrast(shade, background) >= least:
            return shade
        keep -= _DARKEN_STEP
    return "#000000"
