"""Mobility reads and the ``mobilities`` KPI section, on a small hand-made store and on the sample via the CLI."""

import datetime as dt
import json

import pandas as pd
import pytest
from pyproj import Geod

from heg_dash import kpis
from heg_dash.queries import international
from heg_dash.store import db, sample
from tests.test_cli import run_cli

D = dt.date
EXCHANGE_COLUMNS = sample.DATASETS["exchanges"].column_names


def _load(frames: dict[str, pd.DataFrame]) -> None:
    with db.transaction() as con:
        batch = db.new_batch(con, "test", "import", user="test")
        for name, frame in frames.items():
            sample.insert_frame(con, name, frame, batch)


def _exchange(exchange_id, direction, participant, campus, start, end, participants, mode, green, activity=None,
              lat=56.0, lon=12.0, country="SE", city="Helsingborg"):
    return (exchange_id, direction, participant, "Erasmus+", "eud", campus, "Partner", country, city, lat, lon, start,
            end, participants, mode, green, activity)


@pytest.fixture
def small_store(empty_db):
    campuses = pd.DataFrame([("C1", "Et", "Vej 1", 56.0, 10.0), ("C2", "To", "Vej 2", 57.0, 10.0)],
                            columns=["campus_id", "name", "address", "lat", "lon"])
    exchanges = pd.DataFrame([
        _exchange("X1", "out", "student", "C1", D(2024, 3, 1), D(2024, 3, 14), 3, "train", True),
        _exchange("X2", "out", "staff", "C1", D(2024, 5, 2), D(2024, 5, 6), 2, "air", False),
        # starts on New Year's Eve: counted in 2024, the year of its start
        _exchange("X3", "in", "student", "C1", D(2024, 12, 31), D(2025, 1, 20), 4, "air", False),
        _exchange("X4", "out", "student", "C1", D(2025, 1, 1), D(2025, 6, 1), 1, "air", False),
        _exchange("X5", "out", "student", "C2", D(2024, 9, 1), D(2024, 9, 3), 5, "bus", True, "competition"),
    ], columns=EXCHANGE_COLUMNS)
    factors = pd.DataFrame([
        ("travel_train", 2024, 0.04, "pkm", "location", "test"),
        ("travel_air", 2024, 0.2, "pkm", "location", "test"),
    ], columns=sample.DATASETS["emission_factors"].column_names)
    activity = pd.DataFrame([(2024, "C1", "eud", 60.0), (2024, "C2", "hhx", 40.0)],
                            columns=["year", "campus_id", "education_area", "aarselever"])
    _load({"campuses": campuses, "exchanges": exchanges, "emission_factors": factors, "activity": activity})


def test_mobilities_section_counts_participants_in_the_year_of_start(small_store):
    assert kpis.compute(2024)["mobilities"] == {
        "outbound_students": 8, "outbound_staff": 2, "inbound": 4, "green_travel_share": pytest.approx(8 / 10)}
    assert kpis.compute(2024, "C1")["mobilities"] == {
        "outbound_students": 3, "outbound_staff": 2, "inbound": 4, "green_travel_share": pytest.approx(3 / 5)}
    assert kpis.compute(2025)["mobilities"] == {
        "outbound_students": 1, "outbound_staff": 0, "inbound": 0, "green_travel_share": 0.0}


def test_a_year_without_mobilities_is_null_not_zero(small_store):
    assert kpis.compute(2023)["mobilities"] == dict.fromkeys(
        ["outbound_students", "outbound_staff", "inbound", "green_travel_share"])


def test_counts_by_dimension_and_country(small_store):
    by_direction = international.participants_by("direction")
    assert by_direction.to_dict("records") == [
        {"year": 2024, "value": "in", "participants": 4}, {"year": 2024, "value": "out", "participants": 10},
        {"year": 2025, "value": "out", "participants": 1}]
    assert international.participants_by("participant", "C2").to_dict("records") == [
        {"year": 2024, "value": "student", "participants": 5}]
    with pytest.raises(ValueError):
        international.participants_by("name; DROP TABLE exchanges")
    assert international.participants_by_country(2024)["participants"].sum() == 14


def test_mobility_details_derive_activity_band_and_outbound_co2e(small_store):
    details = international.mobility_details(2024).set_index("exchange_id")
    assert details.loc["X1", "days"] == 14 and details.loc["X1", "activity"] == "short_term"
    assert details.loc["X2", "activity"] == "job_shadowing"  # staff, 5 days
    assert details.loc["X5", "activity"] == "competition"  # stored value kept
    _, _, metres = Geod(ellps="WGS84").inv(10.0, 56.0, 12.0, 56.0)
    km = metres / 1000  # ≈ 124.6 km
    assert details.loc["X1", "km"] == pytest.approx(km)
    assert details.loc["X1", "distance_band"] == "100-499"
    assert details.loc["X1", "co2e_kg"] == pytest.approx(2 * km * 3 * 0.04)
    assert details.loc["X2", "co2e_kg"] == pytest.approx(2 * km * 2 * 0.2)
    assert pd.isna(details.loc["X3", "co2e_kg"])  # inbound: the partner's travel, not the school's
    assert pd.isna(details.loc["X5", "co2e_kg"])  # no bus factor stored


def test_travel_co2e_names_modes_without_a_factor(small_store):
    result = international.travel_co2e(2024)
    _, _, metres = Geod(ellps="WGS84").inv(10.0, 56.0, 12.0, 56.0)
    assert result["total_kg"] == pytest.approx(2 * metres / 1000 * (3 * 0.04 + 2 * 0.2))
    assert result["modes_without_factor"] == ["bus"]
    assert international.travel_co2e(2023)["total_kg"] is None


def test_durations_by_activity(small_store):
    frame = international.durations_by_activity(2024).set_index("activity")
    assert frame.loc["short_term", "mean_days"] == (14 + 21) / 2  # X1 and the inbound X3 (31 Dec – 20 Jan)
    assert frame.loc["job_shadowing", "participants"] == 2
    assert set(frame.index) == {"short_term", "job_shadowing", "competition"}


def test_stay_abroad_and_green_share_per_year(small_store):
    shares = international.yearly_shares().set_index("year")
    assert shares.loc[2024, "stay_abroad_share"] == pytest.approx(8 / 100)  # outbound students ÷ årselever
    assert shares.loc[2024, "green_travel_share"] == pytest.approx(0.8)
    assert pd.isna(shares.loc[2025, "stay_abroad_share"])  # no årselever stored for 2025
    assert international.yearly_shares("C1").set_index("year").loc[2024, "stay_abroad_share"] == pytest.approx(3 / 60)


def test_flows_per_campus_city_and_direction(small_store):
    frame = international.flows(2024)
    assert frame["participants"].sum() == 14
    row = frame[(frame["campus_id"] == "C2")].iloc[0]
    assert (row["campus_lat"], row["direction"], row["participants"]) == (57.0, "out", 5)


def test_kpis_cli_mobilities_match_the_sample_exchanges(sample_db):
    """The CLI's section against the sample generator's own rows, counted independently here."""
    frame = sample.exchanges()
    frame = frame[pd.to_datetime(frame["start_date"]).dt.year == 2024]
    out = frame[frame["direction"] == "out"]
    result = run_cli("kpis", "--year", "2024", "--json", db=sample_db)
    assert result.returncode == 0, result.stderr
    section = json.loads(result.stdout)["mobilities"]
    assert section == {
        "outbound_students": int(out.loc[out["participant"] == "student", "participants"].sum()),
        "outbound_staff": int(out.loc[out["participant"] == "staff", "participants"].sum()),
        "inbound": int(frame.loc[frame["direction"] == "in", "participants"].sum()),
        "green_travel_share": pytest.approx(out.loc[out["green_travel"], "participants"].sum()
                                            / out["participants"].sum()),
    }
    assert all(isinstance(section[k], int) for k in ("outbound_students", "outbound_staff", "inbound"))
    aar = json.loads(run_cli("kpis", "--year", "2024", "--campus", "AAR", "--json", db=sample_db).stdout)
    aar_in = frame[(frame["campus_id"] == "AAR") & (frame["direction"] == "in")]["participants"].sum()
    assert aar["mobilities"]["inbound"] == aar_in
    assert list(json.loads(result.stdout))[-2:] == ["mobilities", "economy"]
