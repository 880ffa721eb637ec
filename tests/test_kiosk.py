"""The meeting-room screen without a browser: slides carry their pages' charts, colours and terms, titled by their
best headline; charts scaled to the screen; the rotation's pause and step; the composer's preview."""

from __future__ import annotations

import json

import pytest

from heg_dash.charts import slides as slide_charts
from heg_dash.views import slides
from tests.test_pages import run_page


def _colour_scales(spec: object) -> list[tuple[list, list]]:
    """Every (domain, range) of a colour encoding in a Vega-Lite spec."""
    found = []
    if isinstance(spec, dict):
        colour = spec.get("color")
        if isinstance(colour, dict) and isinstance(colour.get("scale"), dict) and "domain" in colour["scale"]:
            found.append((colour["scale"]["domain"], colour["scale"].get("range")))
        for key, value in spec.items():
            if key != "datasets":
                found += _colour_scales(value)
    elif isinstance(spec, list):
        for item in spec:
            found += _colour_scales(item)
    return found


def _kiosk(slide: str, lang: str = "da"):
    at = run_page("overblik", lang, {"present": "1", "slides": slide, "interval": "30"})
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_oekonomi_slide_draws_profit_blue_like_the_page(sample_db):
    """The slide drew every result bar red (the report's one-colour bars); the page draws a surplus blue."""
    page = run_page("oekonomi", "da")
    page_scales = [s for chart in page.get("vega_lite_chart") for s in _colour_scales(json.loads(chart.proto.spec))]
    result_scale = next(s for s in page_scales if "Overskud" in s[0])
    at = _kiosk("oekonomi")
    slide_scales = _colour_scales(json.loads(at.get("vega_lite_chart")[0].proto.spec))
    assert result_scale in slide_scales
    assert dict(zip(*result_scale, strict=True))["Overskud"] == "#4C78A8"


@pytest.mark.parametrize(("slide", "page"), [("internationalt", "internationalt"), ("baeredygtighed", "baeredygtighed"),
                                             ("oekonomi", "oekonomi")])
def test_slide_numbers_use_the_pages_terms(sample_db, slide, page):
    """"Gæster ind" on the slide was "Indrejsende" on the page: one figure, one name."""
    page_labels = {m.label for m in run_page(page, "da").metric}
    slide_labels = {m.label for m in _kiosk(slide).metric} - {"Verdensmål på rette spor"}  # the slide's own count
    assert slide_labels <= page_labels, slide_labels - page_labels


def test_each_slide_is_titled_by_its_best_headline(sample_db):
    at = _kiosk("energi")
    assert at.title[0].value == "Energi"
    assert at.header[0].value == ("Værksted Aars brugte 9.699\u00a0kWh mere el end forventet på 21 dage (uge 45–47) "
                                  "— mest om natten")
    # a slide without notable news says where its figure stands, in words
    assert _kiosk("faciliteter").header[0].value == "m² pr. årselev 2025: 25,9 — 0,9\u00a0m² over målet på 25,0"


def test_the_slide_chart_is_the_pages_chart_made_for_the_screen(sample_db):
    at = _kiosk("overblik")
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["height"] == slide_charts.chart_height(1080) == 572  # before the browser has said its size
    assert spec["config"]["axis"]["labelFontSize"] == 22
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"
    assert (["Faktisk", "Målsti (+5 % om året til 1.800 i 2028)"], ["#C8102E", "#5F6B73"]) in _colour_scales(spec)
    labels = [b.label for b in at.button]
    assert labels == ["Forrige", "Pause", "Næste"]


def test_for_screen_scales_type_with_the_screen_height_and_leaves_colours_and_data():
    spec = {"mark": {"type": "text", "fontSize": 13, "dy": -8}, "height": 220,
            "encoding": {"color": {"scale": {"domain": ["a"], "range": ["#4C78A8"]},
                                   "legend": {"labelLimit": 260}},
                         "strokeDash": {"scale": {"range": [[1, 0], [6, 4]]}}},
            "datasets": {"d": [{"fontSize": 1}]}, "config": {"axis": {"grid": True}}}
    for height, axis, chart in ((1080, 22, 572), (720, 15, 382), (2160, 44, 1145)):
        out = slide_charts.for_screen(spec, height)
        assert out["height"] == chart and out["config"]["axis"]["labelFontSize"] == axis
        assert out["config"]["axis"]["grid"] is True  # the page's own configuration stays
        assert out["mark"]["fontSize"] == axis and out["mark"]["dy"] == round(-8 * axis / 13)
        assert out["encoding"]["color"]["scale"] == spec["encoding"]["color"]["scale"]
        assert out["encoding"]["color"]["legend"]["labelLimit"] == 0
        assert out["datasets"] is spec["datasets"]
    assert slide_charts.for_screen(spec, 2160)["encoding"]["strokeDash"]["scale"]["range"] == [[3, 0], [18, 12]]
    assert spec["height"] == 220  # the cached spec is not changed


def test_rotation_moves_on_after_an_interval_unless_paused():
    state: dict = {}
    assert slides.advance(state, 3, 30, now=100.0) == 0  # the first slide first
    assert slides.advance(state, 3, 30, now=110.0) == 0  # a rerun (a resize, a step) does not skip it
    assert slides.advance(state, 3, 30, now=129.2) == 1  # a timed rerun a little early still moves on
    slides.toggle_pause(state, now=130.0)
    assert slides.advance(state, 3, 30, now=400.0) == 1  # paused: stays
    slides.step(state, 1, now=401.0)
    assert slides.advance(state, 3, 30, now=402.0) == 2  # stepping while paused
    slides.step(state, 1, now=403.0)
    assert slides.advance(state, 3, 30, now=404.0) == 0  # wraps round
    slides.step(state, -1, now=405.0)
    assert slides.advance(state, 3, 30, now=406.0) == 2
    slides.toggle_pause(state, now=410.0)  # resume: the slide on screen gets a whole interval
    assert slides.advance(state, 3, 30, now=430.0) == 2
    assert slides.advance(state, 3, 30, now=440.0) == 0


def test_the_preview_shows_only_our_link_escaped():
    page = slides.preview_html('http://x/?present=1&campus="><script>', 1920, 1080, "Forhåndsvisning", 760)
    assert "<script>" not in page and "&quot;&gt;&lt;script&gt;" in page
    assert 'width="1920" height="1080"' in page and "scale(0.39583)" in page and "height:428px" in page


def test_the_composer_previews_a_chosen_slide(sample_db):
    at = run_page("praesentation", "da")
    at.selectbox(key="present_preview_slide").set_value("energi").run()
    assert not at.exception
    frames = at.get("iframe")
    assert frames and "slides=energi" in frames[0].proto.srcdoc and "width=\"1920\"" in frames[0].proto.srcdoc
