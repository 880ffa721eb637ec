import datetime as dt

from heg_dash.views.filters import Filters, default_year, from_params, to_params


def test_query_params_round_trip():
    f = Filters(campus="HOB", year=2024, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 3, 31), res="day",
                lang="en")
    assert from_params(to_params(f)) == f


def test_malformed_params_fall_back_to_defaults():
    f = from_params({"year": "abc", "res": "minute", "lang": "fr", "from": "2024-02-30", "interval": "-4",
                     "slides": "overblik,nope,energi"})
    assert (f.year, f.res, f.lang, f.date_from, f.interval) == (None, "month", "da", None, 30)
    assert f.slides == ("overblik", "energi")


def test_defaults_are_left_out_of_links():
    assert to_params(Filters()) == {}
    assert to_params(Filters(present=True, slides=("overblik",))) == {"present": "1", "slides": "overblik"}


def test_default_year_is_the_newest_complete_year_in_the_data():
    assert default_year(dt.date(2026, 10, 31), [2025]) == 2025
    assert default_year(dt.date(2025, 12, 31), []) == 2025
    assert default_year(None, [2019, 2023]) == 2023
    assert default_year(None, [], today=dt.date(2026, 11, 22)) == 2025
