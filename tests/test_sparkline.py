"""A tile's sparkline: an inline SVG line with its own text alternative, instead of a Vega-Lite view per tile
(Overblik's 19 cost a fresh browser about 1.2 s)."""

from __future__ import annotations

import base64

from heg_dash.charts.sparkline import HEIGHT_PX, sparkline_svg
from heg_dash.i18n import language


def _points(img: str) -> list[tuple[float, float]]:
    """The (x, y) points of the line in a sparkline image, x from 0 to 100 and y down from the top."""
    svg = base64.b64decode(img.split("base64,", 1)[1].split('"', 1)[0]).decode()
    coords = svg.split('points="', 1)[1].split('"', 1)[0]
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in coords.split())]


def test_the_line_spans_the_width_and_the_values_the_height_highest_at_the_top():
    with language("da"):
        svg = sparkline_svg([(2019, 1254.0), (2020, 1300.0), (2022, None), (2025, 1468.0)], 0)
    points = _points(svg)
    assert [x for x, _ in points] == [0.0, 16.67, 100.0]  # by year: 2022's gap stays a gap in time
    ys = [y for _, y in points]
    assert ys[-1] < ys[1] < ys[0] and min(ys) >= 0 and max(ys) <= HEIGHT_PX
    assert svg.startswith("<img ") and 'alt="Udvikling 2019–2025: fra 1.254 til 1.468"' in svg
    with language("en"):
        assert "Trend 2019–2025: from 1,254 to 1,468" in sparkline_svg([(2019, 1254.0), (2025, 1468.0)], 0)


def test_a_flat_or_short_history_draws_a_flat_line_or_nothing():
    flat = _points(sparkline_svg([(2024, 58.7), (2025, 58.7)]))
    assert len(flat) == 2 and flat[0][1] == flat[1][1]
    assert sparkline_svg([(2025, 1.0)]) == "" and sparkline_svg([(2024, None), (2025, float("nan"))]) == ""


def test_the_overview_tiles_draw_svg_lines_not_vega_views(sample_db):
    from tests.sweep_support import open_page

    at = open_page("overblik", "da")
    assert not at.exception
    metrics = at.metric
    lines = [h for h in at.get("html") if "data:image/svg+xml" in h.proto.body]
    assert len(metrics) >= 15 and len(lines) >= 15
    assert not any(m.proto.chart_data for m in metrics)
    assert all('alt="Udvikling ' in h.proto.body and len(_points(h.proto.body)) > 1 for h in lines)
