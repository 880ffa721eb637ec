"""Colours that everyone can read (issue 22): WCAG 2.1 contrast of at least 4.5:1 for the theme's text, the
captions Streamlit derives from it, the status badges, the chart labels and the SDG tiles; and palettes whose
colours stay apart with red-green colour blindness (status never relies on them: a symbol and a word go along)."""

from __future__ import annotations

import tomllib
from itertools import combinations

import pytest

from heg_dash.charts import HEG_RED, TARGET_GREY, describe
from heg_dash.charts.energy import SERIES_COLOURS
from heg_dash.charts.sustainability import CAMPUS_COLOURS, SCOPE_COLOURS, SOURCE_COLOURS
from heg_dash.metrics.colour import blend, contrast_ratio, distance, simulate
from heg_dash.metrics.sdg import GOALS, text_colour
from tests.e2e_support import ROOT

THEME = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
BACKGROUNDS = {"page": THEME["backgroundColor"], "sidebar and widgets": THEME["secondaryBackgroundColor"]}
AA = 4.5
CAPTION_ALPHA = 0.6  # st.caption: the text colour at 60 % opacity (measured in Chromium: #797979 from #1F1F1F)
# Streamlit 1.67's light palette for st.badge (text on background), used unless the theme sets its own.
BADGES = {"green": ("#0C5A44", "#F1FBF6"), "yellow": ("#956B0F", "#FFFAE5"), "orange": ("#9B4519", "#FFF6ED"),
          "red": ("#9E303B", "#FFF1F2"), "gray": ("#686255", "#F5F4F2")}
MIN_DELTA_E = 9.0  # CIE76 after simulating protanopia and deuteranopia: clearly apart at a glance


def test_the_ratio_is_wcags():
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#797979", "#FFFFFF") == pytest.approx(4.35, abs=0.01)  # axe's figure for a caption


@pytest.mark.parametrize("where", BACKGROUNDS)
def test_text_and_captions_on_the_themes_backgrounds(where):
    background = BACKGROUNDS[where]
    assert contrast_ratio(THEME["textColor"], background) >= AA
    caption = blend(THEME["textColor"], background, CAPTION_ALPHA)
    assert contrast_ratio(caption, background) >= AA, caption


def test_the_red_reads_as_text_on_white():
    """The primary colour is the kiosk's title and the active widgets' text."""
    assert contrast_ratio(THEME["primaryColor"], THEME["backgroundColor"]) >= AA


def test_status_badges():
    from heg_dash.views.ui import STATUS_COLOUR

    for colour in {*STATUS_COLOUR.values(), "orange"}:  # orange: the "Eksempeldata" badge
        text = THEME.get(f"{colour}TextColor", BADGES[colour][0])
        background = THEME.get(f"{colour}BackgroundColor", BADGES[colour][1])
        assert contrast_ratio(text, background) >= AA, colour


def test_chart_labels():
    assert contrast_ratio(describe.LABEL_INK, THEME["backgroundColor"]) >= AA
    # Building ids on the maps: near-black over a white halo, whatever the building's fill.
    assert contrast_ratio("#111111", "#FFFFFF") >= AA


@pytest.mark.parametrize("goal", GOALS, ids=lambda g: str(g.number))
def test_sdg_tiles(goal):
    assert contrast_ratio(text_colour(goal.colour), goal.colour) >= AA


@pytest.mark.parametrize("name, colours", [
    ("energy series", SERIES_COLOURS), ("CO2e sources", list(SOURCE_COLOURS.values())),
    ("scopes", list(SCOPE_COLOURS.values())), ("campuses", CAMPUS_COLOURS),
    ("actual and target", [HEG_RED, TARGET_GREY]),
])
def test_palettes_stay_apart_with_red_green_colour_blindness(name, colours):
    close = [(a, b, kind) for kind in ("protanopia", "deuteranopia") for a, b in combinations(colours, 2)
             if distance(simulate(a, kind), simulate(b, kind)) < MIN_DELTA_E]
    assert close == [], f"{name}: {close}"


def test_colour_blindness_simulation():
    """Red and green come close for a deuteranope (the reason for the check above); blue stays apart."""
    red, green, blue = "#C8102E", "#2E8B57", "#1F4E79"
    assert distance(red, green) > 50
    assert distance(simulate(red, "deuteranopia"), simulate(green, "deuteranopia")) < distance(red, green) / 2
    assert distance(simulate(red, "deuteranopia"), simulate(blue, "deuteranopia")) > 40
