"""The headline rules on hand-computed cases (metrics.notability and kpis.headlines), including the cases that must
give no headline."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from heg_dash.i18n import language
from heg_dash.kpis import headlines as hl
from heg_dash.metrics import notability as nb

# ------------------------------------------------------------------------------------------------- change


def test_a_change_is_measured_against_the_earlier_changes():
    # levels 10, 12, 11, 13 → earlier changes +2, −1, +2: mean 1, σ = √((1² + 2² + 1²) / 2) = √3
    found = nb.yearly_change({2021: 10, 2022: 12, 2023: 11, 2024: 13, 2025: 20}, 2025, relative=False, floor=0)
    assert found.change == 7 and found.usual_mean == 1
    assert found.usual_spread == pytest.approx(math.sqrt(3))
    assert found.score == pytest.approx(6 / math.sqrt(3))  # 3.46: news


def test_a_change_like_the_usual_one_scores_nothing():
    found = nb.yearly_change({2021: 10, 2022: 12, 2023: 11, 2024: 13, 2025: 14}, 2025, relative=False, floor=0)
    assert found.change == 1 and found.score == 0  # exactly the usual change: a steady trend is not news


def test_relative_changes_and_the_floor_of_the_usual_variation():
    # 100 → 100 → 100 → 100 → 100.5: earlier changes 0, 0, 0 have no spread; the floor (1 %) stands in
    found = nb.yearly_change({2021: 100, 2022: 100, 2023: 100, 2024: 100, 2025: 100.5}, 2025, floor=0.01)
    assert found.change == pytest.approx(0.005) and found.usual_spread == 0.01
    assert found.score == pytest.approx(0.5)


def test_no_change_without_enough_history_a_gap_or_a_zero_base():
    assert nb.yearly_change({2023: 10, 2024: 12, 2025: 20}, 2025) is None  # one earlier change only
    assert nb.yearly_change({2020: 1, 2021: 2, 2022: 3, 2023: 4, 2025: 9}, 2025) is None  # 2024 missing
    assert nb.yearly_change({2021: 1, 2022: 2, 2023: 3, 2024: 0, 2025: 9}, 2025) is None  # ÷ 0
    # later years are ignored
    assert nb.yearly_change({2021: 10, 2022: 12, 2023: 11, 2024: 13, 2025: 14, 2026: 99}, 2025,
                            relative=False, floor=0).score == 0


def test_gap_to_the_path_in_usual_years_of_movement():
    # 1000, 1040, 1050, 1110 → earlier differences 40, 10, 60: σ = √(((40−36.67)² + (10−36.67)² + (60−36.67)²) / 2)
    history = {2021: 1000, 2022: 1040, 2023: 1050, 2024: 1110, 2025: 1150}
    spread = math.sqrt(((40 - 110 / 3) ** 2 + (10 - 110 / 3) ** 2 + (60 - 110 / 3) ** 2) / 2)
    assert nb.gap_score(history, 2025, 1250) == pytest.approx(100 / spread)  # 3.97
    assert nb.gap_score({2024: 1110, 2025: 1150}, 2025, 1250) is None


def test_records_but_not_a_trend_of_records():
    assert nb.record({2020: 5, 2021: 7, 2022: 6, 2023: 7, 2024: 6, 2025: 9}, 2025) == "high"
    assert nb.record({2020: 5, 2021: 7, 2022: 6, 2023: 7, 2024: 6, 2025: 4}, 2025) == "low"
    assert nb.record({2020: 5, 2021: 7, 2022: 6, 2023: 7, 2024: 6, 2025: 7}, 2025) is None  # a tie is no record
    assert nb.record({2020: 1, 2021: 2, 2022: 3, 2023: 4, 2024: 5, 2025: 6}, 2025) is None  # records every year
    assert nb.record({2022: 5, 2023: 7, 2024: 6, 2025: 9}, 2025) is None  # four years are too few


def test_spells_of_flagged_days():
    day = dt.date(2026, 2, 1)
    weekends = [day + dt.timedelta(days=d) for d in (0, 6, 7, 13, 14, 20, 21, 27, 28)]  # a month of weekends
    assert nb.spells(weekends) == [nb.Spell(day, day + dt.timedelta(days=28), 9)]
    apart = [day, day + dt.timedelta(days=1), day + dt.timedelta(days=20)]
    assert nb.spells(apart) == []  # two days, then one: nothing lasts
    assert nb.spell_score(3) == nb.NOTABLE and nb.spell_score(12) == 4.0 and nb.spell_score(2) == 0


def test_excess_share_of_a_part():
    # 1000 kWh used where 800 were expected; at night 500 where 340 were expected: 160 of the 200 extra
    assert nb.excess_share(1000, 800, 500, 340) == pytest.approx(0.8)
    assert nb.excess_share(800, 800, 500, 340) is None


def test_night_use_on_chosen_days_in_local_time():
    # 2 January 2026, Copenhagen is UTC+1: 21:00 UTC = 22:00 local (night), 05:00 UTC = 06:00 local (day)
    hourly = pd.DataFrame({"start": pd.to_datetime(["2026-01-02T21:00Z", "2026-01-02T05:00Z", "2026-01-02T03:00Z",
                                                    "2026-01-05T03:00Z"]), "kwh": [4.0, 10.0, 6.0, 99.0]})
    assert nb.night_use(hourly, [dt.date(2026, 1, 2)]) == (20.0, 10.0)  # 22:00 and 04:00 local are night
    assert nb.night_share(hourly, skip_days=[dt.date(2026, 1, 5)]) == pytest.approx(0.5)


# ------------------------------------------------------------------------------------------------- rules

def _history(path: str, values: dict[int, float]) -> dict[int, dict]:
    section, field = path.split(".")
    return {year: {section: {field: value}} for year, value in values.items()}


ELECTRICITY = next(s for s in hl.SERIES if s.topic == "electricity")
OVERSKUDSGRAD = next(s for s in hl.SERIES if s.topic == "overskudsgrad")


def test_an_unusual_change_becomes_a_sentence_with_its_figure():
    # 100, 101, 100, 101 MWh, then 125: a 23.8 % rise against changes of ±1 %
    history = _history(ELECTRICITY.path, {2021: 100_000, 2022: 101_000, 2023: 100_000, 2024: 101_000,
                                          2025: 125_000})
    with language("da"):
        found = hl._change(ELECTRICITY, history, 2025)
    assert found.text == "Elforbruget steg 23,8\u00a0% i 2025"
    assert found.notable and found.slide == "energi"
    assert [(f.name, f.text) for f in found.figures] == [("change", "23,8\u00a0%")]
    with language("en"):
        assert hl._change(ELECTRICITY, history, 2025).text == "Electricity use rose 23.8% in 2025"


def test_a_change_inside_the_usual_variation_makes_no_headline():
    history = _history(ELECTRICITY.path, {2021: 100_000, 2022: 104_000, 2023: 99_000, 2024: 103_000,
                                          2025: 99_500})  # −3.4 % against changes of +4, −4.8, +4 %
    found = hl._change(ELECTRICITY, history, 2025)
    assert found is not None and not found.notable
    assert [h for h in hl.rank([found]) if h.notable] == []


def test_a_ratio_says_from_and_to():
    history = _history(OVERSKUDSGRAD.path, {2021: 1.8, 2022: 1.9, 2023: 1.8, 2024: 1.9, 2025: -2.4})
    with language("da"):
        found = hl._change(OVERSKUDSGRAD, history, 2025)
    assert found.text == "Overskudsgraden faldt fra 1,9\u00a0% til -2,4\u00a0% i 2025"
    assert [f.text for f in found.figures] == ["1,9\u00a0%", "-2,4\u00a0%"]


def test_a_tiny_change_never_counts_even_when_history_is_flat():
    history = _history(ELECTRICITY.path, {2021: 100_000, 2022: 100_000, 2023: 100_000, 2024: 100_000,
                                          2025: 100_900})  # +0.9 %: under the 1 % every change must pass
    assert hl._change(ELECTRICITY, history, 2025) is None


def test_the_gap_to_the_aarselever_path_as_in_the_issue():
    aarselever = next(s for s in hl.SERIES if s.topic == "aarselever")
    values = {2021: 1285.0, 2022: 1318.1, 2023: 1384.0, 2024: 1431.0, 2025: 1468.0}
    with language("da"):
        found = hl._path("aarselever", "Årselever", "overblik", values, 2025, 1554.9, "limited_progress",
                         aarselever, ("gap:aarselever",))
    assert found.text == "Årselever 2025: 1.468 — 87 under målstien"
    # earlier differences 33.1, 65.9, 47.0: σ = 16.45, so 86.9 from the path is 5.3 usual years
    spread = math.sqrt(sum((d - 48.667) ** 2 for d in (33.1, 65.9, 47.0)) / 2)
    assert found.score == pytest.approx(86.9 / spread, rel=1e-3)
    assert [(f.name, f.text) for f in found.figures] == [("value", "1.468"), ("gap", "87")]
    # on track: no headline, however far from the path
    assert hl._path("aarselever", "Årselever", "overblik", values, 2025, 1554.9, "on_track", aarselever, ()) is None


def test_ranking_keeps_one_headline_per_topic_and_is_deterministic():
    def h(key: str, kind: str, topic: str, score: float) -> hl.Headline:
        return hl.Headline(key, kind, topic, "energi", score, key, ())

    ranked = hl.rank([h("record:a", "record", "a", 2.0), h("change:a", "change", "a", 3.0),
                      h("change:b", "change", "b", 2.0), h("crossed:c", "crossed", "c", 2.0)])
    assert [x.key for x in ranked] == ["change:a", "crossed:c", "change:b"]  # ties: crossed before change
    assert hl.best_for_slide(ranked, "energi").key == "change:a"
    assert hl.best_for_slide(ranked, "oekonomi") is None
