"""A tile's sparkline as a small inline SVG.

Streamlit's own (``st.metric(chart_data=…)``) is a Vega-Lite view per tile (19 on Overblik) whose marks have no
accessible name and cannot be given one. A polyline says the same, which way the years went, and carries its own
text alternative (the image's alt text: first and last year and value). On a quiet machine the swap did not
change the time until the page is drawn (docs/benchmark.md).
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from html import escape

from heg_dash.i18n import fmt_number, t

HEIGHT_PX = 36
INK = "#5F6B73"  # the target grey: a trend, not a status (the badge beside it carries the colour)


def sparkline_svg(history: Sequence[tuple[int, float | None]], decimals: int = 1, unit: str | None = None) -> str:
    """``history`` ((year, value), oldest first) as an SVG line as wide as its column, in an ``<img>`` whose alt
    text says it in words; "" with fewer than two values. Missing values leave gaps in the years, not in the
    line."""
    points = [(year, float(v)) for year, v in history if v is not None and math.isfinite(float(v))]
    if len(points) < 2:
        return ""
    low, high = min(v for _, v in points), max(v for _, v in points)
    first_year, last_year = points[0][0], points[-1][0]
    span_years, span_values = (last_year - first_year) or 1, (high - low) or 1.0
    pad = 3  # the stroke's half width and a little air, so the line is not clipped at its highest and lowest
    coords = " ".join(
        f"{100 * (year - first_year) / span_years:.2f},{pad + (HEIGHT_PX - 2 * pad) * (high - v) / span_values:.2f}"
        for year, v in points)
    label = t("tile.sparkline", first_year=first_year, last_year=last_year,
              first=fmt_number(points[0][1], decimals, unit), last=fmt_number(points[-1][1], decimals, unit))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 {HEIGHT_PX}" preserveAspectRatio="none">'
           f'<polyline points="{coords}" fill="none" stroke="{INK}" stroke-width="2" stroke-linejoin="round" '
           'stroke-linecap="round" vector-effect="non-scaling-stroke"/></svg>')
    # An image of the SVG: st.html's sanitiser keeps an <img> with a data URI and drops inline <svg>.
    source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return f'<img src="{source}" alt="{escape(label)}" width="100%" height="{HEIGHT_PX}" style="display:block">'

