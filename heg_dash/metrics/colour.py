"""Colour for everyone: WCAG 2.1 contrast, and what a colour looks like with red-green colour blindness (so a
palette can be checked to stay distinguishable). Pure functions, no Streamlit."""

from __future__ import annotations

# Machado, Oliveira & Fernandes (2009), severity 1.0: linear-RGB matrices for protanopia and deuteranopia.
CVD_MATRICES = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
}


def _linear(hex_colour: str) -> list[float]:
    rgb = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]


def _hex(linear: list[float]) -> str:
    srgb = [12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055 for c in (min(max(v, 0.0), 1.0)
                                                                                       for v in linear)]
    return "#" + "".join(f"{round(c * 255):02X}" for c in srgb)


def luminance(hex_colour: str) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour such as "#C8102E" (0 black … 1 white)."""
    linear = _linear(hex_colour)
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1's contrast ratio of two colours, 1 … 21 (AA asks 4.5 for text, 3 for large text)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def blend(foreground: str, background: str, alpha: float) -> str:
    """``foreground`` at ``alpha`` opacity over ``background``, as the browser paints it (in sRGB)."""
    f, b = ([int(c.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)] for c in (foreground, background))
    return "#" + "".join(f"{round(alpha * x + (1 - alpha) * y):02X}" for x, y in zip(f, b, strict=True))


def simulate(hex_colour: str, kind: str) -> str:
    """How ``hex_colour`` looks with ``kind`` ("protanopia" or "deuteranopia") colour blindness."""
    linear = _linear(hex_colour)
    return _hex([sum(m * c for m, c in zip(row, linear, strict=True)) for row in CVD_MATRICES[kind]])


def lab(hex_colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""
    r, g, b = _linear(hex_colour)
    xyz = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, \
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def distance(a: str, b: str) -> float:
    """CIE76 ΔE between two colours: about 2 is just noticeable, above 10 clearly different at a glance."""
    return sum((x - y) ** 2 for x, y in zip(lab(a), lab(b), strict=True)) ** 0.5
