"""Connectors against a local pytest-httpserver replaying recorded answers in the APIs' real formats.

No test reaches the internet: every base URL points at the loopback server (or a closed local port).
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import stat
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from werkzeug import Response

from heg_dash import datasets, i18n
from heg_dash.connectors import eloverblik, energidataservice, http, openmeteo
from heg_dash.connectors.http import ConnectorError, HttpDefaults

FIX = Path(__file__).parent / "fixtures" / "connectors"
REFRESH = "refresh-token-for-tests-1234567890"
GSRN_A, GSRN_B, GSRN_C = "571313174001234567", "571313174001234574", "571313174009999998"
TS_PATH = "/customerapi/api/meterdata/gettimeseries"


def load(name: str) -> dict:
    return json.loads((FIX / name).read_text(encoding="utf-8"))


def utc(s: str) -> pd.Timestamp:
    return pd.Timestamp(s, tz="UTC")


@pytest.fixture(autouse=True)
def fast_and_local(monkeypatch, tmp_path):
    """Tiny retries/backoff/pacing, no proxies, no real secrets, fresh caches."""
    monkeypatch.setattr(http, "DEFAULTS", HttpDefaults(
        retries=3, backoff_factor=0.0, min_interval=0.0, timeout=5.0, max_retry_after=2, throttle_backoff=0.0,
    ))
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    monkeypatch.setenv("HEG_DASH_SECRETS", str(tmp_path / "no-secrets.toml"))
    monkeypatch.delenv("HEG_DASH_ELOVERBLIK_TOKEN", raising=False)
    http._next_slot.clear()
    eloverblik.clear_token_cache()
    with i18n.language("en"):  # the assertions read the English messages
        yield
    eloverblik.clear_token_cache()


@pytest.fixture
def server(httpserver, monkeypatch):
    base = httpserver.url_for("/").rstrip("/")
    for name in ("HEG_DASH_EDS_URL", "HEG_DASH_OPENMETEO_URL", "HEG_DASH_ELOVERBLIK_URL"):
        monkeypatch.setenv(name, base)
    return httpserver


def requests_to(server, path: str) -> list:
    return [req for req, _ in server.log if req.path == path]


# --------------------------------------------------------------------------- Energi Data Service


def test_grid_co2_full_day_keeps_125_percent(server):
    fixture = load("eds_declarationgridemission_2024-01-15.json")
    server.expect_request("/dataset/DeclarationGridEmission").respond_with_json(fixture)

    df = energidataservice.fetch_grid_co2(date(2024, 1, 15), date(2024, 1, 15))

    assert list(df.columns) == datasets.get("grid_co2").column_names
    assert len(df) == 24
    assert str(df["start"].dt.tz) == "UTC"
    assert df["start"].iloc[0] == utc("2024-01-14 23:00") and df["start"].iloc[-1] == utc("2024-01-15 22:00")
    assert set(df["price_area"]) == {"DK1"} and set(df["source"]) == {"declaration"}
    expected = [r["CO2PerkWh"] for r in fixture["records"] if r["FuelAllocationMethod"] == "125%"]
    assert df["g_co2e_per_kwh"].tolist() == expected
    (req,) = requests_to(server, "/dataset/DeclarationGridEmission")
    assert req.args["start"] == "2024-01-15T00:00" and req.args["end"] == "2024-01-16T00:00"
    assert json.loads(req.args["filter"]) == {"PriceArea": ["DK1"]}
    assert req.args["limit"] == "0" and req.args["sort"] == "HourUTC asc"
    assert "offset" not in req.args


@pytest.mark.parametrize(("day", "hours", "first_utc"), [
    (date(2024, 10, 27), 25, "2024-10-26 22:00"),  # DST ends: 02:00-03:00 local happens twice
    (date(2024, 3, 31), 23, "2024-03-30 23:00"),  # DST starts: 02:00-03:00 local does not exist
])
def test_grid_co2_dst_day_has_its_own_number_of_hours(server, day, hours, first_utc):
    server.expect_request("/dataset/DeclarationGridEmission").respond_with_json(
        load(f"eds_declarationgridemission_{day}.json"))

    df = energidataservice.fetch_grid_co2(day, day)

    assert len(df) == hours
    assert df["start"].iloc[0] == utc(first_utc)
    assert (df["start"].diff().dropna() == pd.Timedelta(hours=1)).all()
    local = df["start"].dt.tz_convert("Europe/Copenhagen")
    assert (local.dt.date == day).all()
    assert (local.dt.hour == 2).sum() == (2 if hours == 25 else 0)


def test_grid_co2_leaves_out_records_outside_the_local_window_and_other_areas(server):
    fixture = load("eds_declarationgridemission_2024-01-15.json")
    first, last = fixture["records"][0], fixture["records"][-1]
    extra = [
        {**first, "HourUTC": "2024-01-14T22:00:00", "HourDK": "2024-01-14T23:00:00"},
        {**last, "HourUTC": "2024-01-15T23:00:00", "HourDK": "2024-01-16T00:00:00", "FuelAllocationMethod": "125%"},
        {**first, "PriceArea": "DK2"},
        {**first, "HourUTC": "2024-01-15T05:00:00", "HourDK": "2024-01-15T06:00:00", "CO2PerkWh": None},
    ]
    fixture["records"] = [r for r in fixture["records"] if r["HourUTC"] != "2024-01-15T05:00:00"] + extra
    fixture["total"] = len(fixture["records"])
    server.expect_request("/dataset/DeclarationGridEmission").respond_with_json(fixture)

    df = energidataservice.fetch_grid_co2(date(2024, 1, 15), date(2024, 1, 15))

    assert len(df) == 23  # 24 hours, one without a value
    assert df["start"].min() == utc("2024-01-14 23:00") and df["start"].max() == utc("2024-01-15 22:00")
    assert df.attrs["notes"] == ["1 hour(s) without CO2PerkWh left out"]


def test_eds_pages_with_offset_when_total_exceeds_records(server):
    fixture = load("eds_declarationgridemission_2024-01-15.json")
    records = fixture["records"]

    def page(request):
        offset = int(request.args.get("offset", 0))
        body = {**fixture, "records": records[offset:offset + 30]}  # the server caps each answer at 30
        return Response(json.dumps(body), content_type="application/json")

    server.expect_request("/dataset/DeclarationGridEmission").respond_with_handler(page)

    df = energidataservice.fetch_grid_co2(date(2024, 1, 15), date(2024, 1, 15))

    assert len(df) == 24
    offsets = [r.args.get("offset") for r in requests_to(server, "/dataset/DeclarationGridEmission")]
    assert offsets == [None, "30", "60"]


def test_grid_co2_recent_averages_five_minute_values_to_hours(server):
    fixture = load("eds_co2emis_2025-11-20.json")
    server.expect_request("/dataset/CO2Emis").respond_with_json(fixture)

    df = energidataservice.fetch_grid_co2_recent(date(2025, 11, 20), date(2025, 11, 20))

    assert list(df.columns) == datasets.get("grid_co2").column_names
    assert len(df) == 24 and set(df["source"]) == {"co2emis"}
    first_hour = [r["CO2Emission"] for r in fixture["records"][:12]]
    assert df["start"].iloc[0] == utc("2025-11-19 23:00")
    assert df["g_co2e_per_kwh"].iloc[0] == pytest.approx(sum(first_hour) / 12)
    (req,) = requests_to(server, "/dataset/CO2Emis")
    assert req.args["sort"] == "Minutes5UTC asc" and req.args["start"] == "2025-11-20T00:00"


def test_grid_co2_recent_leaves_out_the_incomplete_newest_hour(server):
    fixture = load("eds_co2emis_2025-11-20.json")
    fixture["records"] = fixture["records"][:-5]  # the last hour is still being filled
    fixture["total"] = len(fixture["records"])
    server.expect_request("/dataset/CO2Emis").respond_with_json(fixture)

    df = energidataservice.fetch_grid_co2_recent(date(2025, 11, 20), date(2025, 11, 20))

    assert len(df) == 23 and df["start"].max() == utc("2025-11-20 21:00")
    assert "incomplete" in df.attrs["notes"][0]


def test_spot_prices_split_at_2025_10_01_between_elspot_and_day_ahead(server):
    elspot, dayahead = load("eds_elspotprices_2025-09-30.json"), load("eds_dayaheadprices_2025-10-01.json")
    server.expect_request("/dataset/Elspotprices").respond_with_json(elspot)
    server.expect_request("/dataset/DayAheadPrices").respond_with_json(dayahead)

    df = energidataservice.fetch_spot_prices(date(2025, 9, 30), date(2025, 10, 1))

    assert list(df.columns) == datasets.get("energy_prices").column_names
    assert len(df) == 24 + 96
    hourly, quarter = df.iloc[:24], df.iloc[24:]
    assert ((hourly["end"] - hourly["start"]) == pd.Timedelta(hours=1)).all()
    assert ((quarter["end"] - quarter["start"]) == pd.Timedelta(minutes=15)).all()
    assert hourly["end"].iloc[-1] == quarter["start"].iloc[0] == utc("2025-09-30 22:00")
    assert df["dkk_per_unit"].iloc[0] == pytest.approx(elspot["records"][0]["SpotPriceDKK"] / 1000)
    assert quarter["dkk_per_unit"].iloc[0] == pytest.approx(dayahead["records"][0]["DayAheadPriceDKK"] / 1000)
    assert set(df["utility"]) == {"electricity"} and set(df["unit"]) == {"kWh"} and set(df["kind"]) == {"spot"}
    assert set(df["source"]) == {"Energi Data Service Elspotprices", "Energi Data Service DayAheadPrices"}
    (e,) = requests_to(server, "/dataset/Elspotprices")
    (d,) = requests_to(server, "/dataset/DayAheadPrices")
    assert (e.args["start"], e.args["end"]) == ("2025-09-30T00:00", "2025-10-01T00:00")
    assert (d.args["start"], d.args["end"]) == ("2025-10-01T00:00", "2025-10-02T00:00")
    assert e.args["sort"] == "HourUTC asc" and d.args["sort"] == "TimeUTC asc"


def test_spot_prices_before_the_split_ask_elspotprices_only(server):
    server.expect_request("/dataset/Elspotprices").respond_with_json(load("eds_elspotprices_2025-09-30.json"))

    df = energidataservice.fetch_spot_prices(date(2025, 9, 30), date(2025, 9, 30))

    assert len(df) == 24
    assert [r.path for r, _ in server.log] == ["/dataset/Elspotprices"]


def test_empty_result_gives_an_empty_frame_of_the_right_shape(server):
    server.expect_request("/dataset/DeclarationGridEmission").respond_with_json(
        {"total": 0, "filters": '{"PriceArea":["DK1"]}', "limit": 0, "dataset": "DeclarationGridEmission",
         "records": []})

    df = energidataservice.fetch_grid_co2(date(2030, 1, 1), date(2030, 1, 2))

    assert df.empty and list(df.columns) == datasets.get("grid_co2").column_names
    assert str(df["start"].dtype) == "datetime64[us, UTC]"


# --------------------------------------------------------------------------- HTTP behaviour


def test_429_with_retry_after_is_waited_then_succeeds(server):
    path = "/dataset/DeclarationGridEmission"
    server.expect_oneshot_request(path).respond_with_data("Too many requests", status=429, headers={"Retry-After": "1"})
    server.expect_request(path).respond_with_json(load("eds_declarationgridemission_2024-01-15.json"))

    t0 = time.monotonic()
    df = energidataservice.fetch_grid_co2(date(2024, 1, 15), date(2024, 1, 15))

    assert time.monotonic() - t0 >= 0.9  # the server's Retry-After was honoured
    assert len(df) == 24 and len(requests_to(server, path)) == 2


def test_503_then_success(server):
    server.expect_oneshot_request("/v1/archive").respond_with_data("busy", status=503)
    server.expect_request("/v1/archive").respond_with_json(load("openmeteo_archive_2025-11.json"))

    df = openmeteo.fetch_daily_mean_temp("hobro", 56.64, 9.79, date(2025, 11, 1), date(2025, 11, 20))

    assert len(df) == 16 and len(requests_to(server, "/v1/archive")) == 2


def test_retries_exhausted_names_the_status(server):
    server.expect_request("/dataset/Elspotprices").respond_with_data("down", status=503)

    with pytest.raises(ConnectorError) as err:
        energidataservice.fetch_spot_prices(date(2024, 1, 1), date(2024, 1, 1))

    assert err.value.status == 503
    assert "HTTP 503" in str(err.value) and "after 4 attempts" in str(err.value)
    assert "Nothing was changed" in str(err.value)
    assert len(requests_to(server, "/dataset/Elspotprices")) == 4  # 1 + 3 retries


def test_malformed_json_names_the_path(server):
    server.expect_request("/dataset/DeclarationGridEmission").respond_with_data(
        "<html>Service temporarily unavailable</html>", content_type="text/html")

    with pytest.raises(ConnectorError, match="not valid JSON") as err:
        energidataservice.fetch_grid_co2(date(2024, 1, 15), date(2024, 1, 15))

    assert "/dataset/DeclarationGridEmission" in str(err.value)


def test_offline_says_not_reached_and_nothing_changed(monkeypatch):
    with socket.socket() as s:  # a local port nobody listens on: connection refused, no internet needed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("HEG_DASH_EDS_URL", f"http://127.0.0.1:{port}")

    with pytest.raises(ConnectorError) as err:
        energidataservice.fetch_grid_co2(date(2024, 1, 15), date(2024, 1, 15))

    assert "could not be reached" in str(err.value) and "Nothing was changed" in str(err.value)


def test_slow_answer_times_out_with_a_clear_message(server):
    def slow(request):
        time.sleep(0.4)
        return Response("{}", content_type="application/json")

    server.expect_request("/v1/archive").respond_with_handler(slow)

    with pytest.raises(ConnectorError, match=r"did not answer within 0.2 s"):
        openmeteo.fetch_daily_mean_temp("hobro", 56.64, 9.79, date(2025, 11, 1), date(2025, 11, 2),
                                        http=http.session(retries=0, timeout=0.2))


def test_session_is_configured_with_library_retries():
    s = http.session(retries=4, backoff_factor=0.5, min_backoff=7, min_interval=0.1, timeout=9)
    retry = s.get_adapter("https://api.energidataservice.dk").max_retries

    assert retry.total == 4 and retry.backoff_factor == 0.5 and retry.min_backoff == 7
    assert set(retry.status_forcelist) == {429, 500, 502, 503, 504}
    assert retry.allowed_methods is None and retry.respect_retry_after_header
    assert s.timeout == 9 and s.min_interval == 0.1
    assert retry.new(total=3).min_backoff == 7  # survives urllib3's copy on every retry


def test_min_interval_paces_requests_to_one_host(server):
    server.expect_request("/v1/archive").respond_with_json(load("openmeteo_archive_2025-11.json"))
    s = http.session(min_interval=0.15)

    t0 = time.monotonic()
    for _ in range(3):
        openmeteo.fetch_daily_mean_temp("hobro", 56.64, 9.79, date(2025, 11, 1), date(2025, 11, 20), http=s)

    assert time.monotonic() - t0 >= 0.3  # three requests, two waits


# --------------------------------------------------------------------------- Open-Meteo


def test_daily_mean_temp_drops_days_the_archive_has_not_filled(server):
    server.expect_request("/v1/archive").respond_with_json(load("openmeteo_archive_2025-11.json"))

    df = openmeteo.fetch_daily_mean_temp("hobro", 56.64, 9.79, date(2025, 11, 1), date(2025, 11, 20))

    assert list(df.columns) == datasets.get("weather").column_names
    assert len(df) == 16 and set(df["campus_id"]) == {"hobro"}
    assert df["date"].iloc[0] == date(2025, 11, 1) and df["date"].iloc[-1] == date(2025, 11, 16)
    assert df["mean_temp_c"].iloc[0] == 7.8
    assert df.attrs["dropped_null"] == 4 and "4 day(s)" in df.attrs["notes"][0]
    (req,) = requests_to(server, "/v1/archive")
    assert dict(req.args) == {
        "latitude": "56.6400", "longitude": "9.7900", "start_date": "2025-11-01", "end_date": "2025-11-20",
        "daily": "temperature_2m_mean", "timezone": "Europe/Copenhagen",
    }


def test_openmeteo_error_reason_is_passed_on(server):
    server.expect_request("/v1/archive").respond_with_json(
        {"error": True, "reason": "Parameter 'end_date' is out of allowed range from 1940-01-01 to 2025-11-16"},
        status=400)

    with pytest.raises(ConnectorError, match="out of allowed range") as err:
        openmeteo.fetch_daily_mean_temp("hobro", 56.64, 9.79, date(2025, 11, 1), date(2030, 1, 1))

    assert err.value.status == 400


# --------------------------------------------------------------------------- Eloverblik


@pytest.fixture
def token_env(monkeypatch):
    monkeypatch.setenv("HEG_DASH_ELOVERBLIK_TOKEN", REFRESH)
    return REFRESH


def serve_token(server) -> str:
    body = load("eloverblik_token.json")
    server.expect_request("/customerapi/api/token", method="GET",
                          headers={"Authorization": f"Bearer {REFRESH}"}).respond_with_json(body)
    return body["result"]


def test_eloverblik_without_refresh_token_is_a_clear_error(server):
    with pytest.raises(ConnectorError, match="HEG_DASH_ELOVERBLIK_TOKEN") as err:
        eloverblik.fetch_timeseries([GSRN_A], date(2024, 10, 26), date(2024, 10, 27))

    assert "No Eloverblik refresh token" in str(err.value)
    assert server.log == []


def test_timeseries_parses_hourly_and_quarter_periods_and_reports_failures(server, token_env, caplog):
    access = serve_token(server)
    path = f"{TS_PATH}/2024-10-26/2024-10-28/Quarter"
    server.expect_request(
        path, method="POST", headers={"Authorization": f"Bearer {access}"},
        json={"meteringPoints": {"meteringPoint": [GSRN_A, GSRN_B, GSRN_C]}},
    ).respond_with_json(load("eloverblik_timeseries_2024-10-26_2024-10-28.json"))

    with caplog.at_level(logging.DEBUG):
        df = eloverblik.fetch_timeseries([GSRN_A, GSRN_B, GSRN_C], date(2024, 10, 26), date(2024, 10, 27),
                                         "Quarter")

    assert list(df.columns) == ["gsrn", "start", "end", "value", "quality", "kind"]
    assert set(df["kind"]) == {"consumption"}
    assert str(df["start"].dt.tz) == "UTC" and df["value"].dtype == "float64"
    a, b = df[df["gsrn"] == GSRN_A], df[df["gsrn"] == GSRN_B]
    # Meter A answered PT1H to the Quarter request: 24 + 25 (DST) hours, two A02 hours left out.
    assert len(a) == 24 + 25 - 2
    assert ((a["end"] - a["start"]) == pd.Timedelta(hours=1)).all()
    assert a["start"].iloc[0] == utc("2024-10-25 22:00") and a["end"].iloc[-1] == utc("2024-10-27 23:00")
    # Meter B answered PT15M: 96 + 100 quarter-hours, one A02 left out.
    assert len(b) == 96 + 100 - 1
    assert ((b["end"] - b["start"]) == pd.Timedelta(minutes=15)).all()
    assert b["value"].iloc[0] == 3.2
    # Quality: A04 measured; A01, A03, A05 estimated.
    assert (a["quality"] == "estimated").sum() == 2 and (b["quality"] == "estimated").sum() == 1
    assert set(df["quality"]) == {"measured", "estimated"}
    assert df.attrs["failed"] == {GSRN_C: "NoValidMeteringPointsInList (20012)"}
    assert df.attrs["dropped_no_reading"] == 3
    assert any(GSRN_C in n for n in df.attrs["notes"])
    assert REFRESH not in caplog.text and access not in caplog.text  # tokens are never logged


def test_a02_points_are_dropped_not_zero(server, token_env):
    serve_token(server)
    server.expect_request(f"{TS_PATH}/2024-10-26/2024-10-28/Hour", method="POST").respond_with_json(
        load("eloverblik_timeseries_2024-10-26_2024-10-28.json"))

    df = eloverblik.fetch_timeseries([GSRN_A, GSRN_B], date(2024, 10, 26), date(2024, 10, 27))

    a = df[df["gsrn"] == GSRN_A].set_index("start")
    # Day 2 starts 2024-10-26T22:00Z; positions 6 and 7 (index 5, 6) are A02.
    assert utc("2024-10-27 03:00") not in a.index and utc("2024-10-27 04:00") not in a.index
    assert utc("2024-10-27 02:00") in a.index and utc("2024-10-27 05:00") in a.index
    assert (df["value"] > 0).all()


def test_requests_are_chunked_by_730_days_and_10_metering_points(server, token_env):
    access = serve_token(server)
    gsrns = [f"5713131740{n:08d}" for n in range(21)]

    def echo(request):
        points = request.get_json()["meteringPoints"]["meteringPoint"]
        result = [{"MyEnergyData_MarketDocument": {"TimeSeries": []}, "success": True, "errorCode": 10000,
                   "errorText": "NoError", "id": g, "stackTrace": None} for g in points]
        return Response(json.dumps({"result": result}), content_type="application/json")

    server.expect_request(re.compile(rf"^{re.escape(TS_PATH)}/.+"), method="POST",
                          headers={"Authorization": f"Bearer {access}"}).respond_with_handler(echo)

    df = eloverblik.fetch_timeseries(gsrns, date(2022, 1, 1), date(2024, 1, 31))

    assert df.empty and df.attrs["failed"] == {}
    calls = [r for r, _ in server.log if r.path.startswith(TS_PATH)]
    assert len(calls) == 6  # 2 date chunks × 3 batches of metering points
    seen: dict[tuple[str, str], list[str]] = {}
    for r in calls:
        frm, to, agg = r.path.removeprefix(TS_PATH + "/").split("/")
        assert agg == "Hour"
        assert (date.fromisoformat(to) - date.fromisoformat(frm)).days <= 730
        batch = r.get_json()["meteringPoints"]["meteringPoint"]
        assert 1 <= len(batch) <= 10
        seen.setdefault((frm, to), []).extend(batch)
    assert sorted(seen) == [("2022-01-01", "2024-01-01"), ("2024-01-01", "2024-02-01")]
    assert all(sorted(v) == gsrns for v in seen.values())
    assert len(requests_to(server, "/customerapi/api/token")) == 1  # one access token for all calls


def test_chunk_helpers():
    chunks = eloverblik.date_chunks(date(2020, 1, 1), date(2024, 1, 2))
    assert chunks[0] == (date(2020, 1, 1), date(2020, 1, 1) + timedelta(days=730))
    assert all((b - a).days <= 730 for a, b in chunks) and chunks[-1][1] == date(2024, 1, 2)
    assert all(chunks[i][1] == chunks[i + 1][0] for i in range(len(chunks) - 1))
    assert [len(b) for b in eloverblik.batches([str(i) for i in range(23)])] == [10, 10, 3]


def test_access_token_is_cached_in_a_0600_file(server, token_env, tmp_path):
    access = serve_token(server)
    cache = tmp_path / "state" / "eloverblik-token.json"

    assert eloverblik.access_token(token_cache=cache) == access
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o600
    assert REFRESH not in cache.read_text()
    eloverblik.clear_token_cache()  # a new process: only the file remains
    assert eloverblik.access_token(token_cache=cache) == access
    assert len(requests_to(server, "/customerapi/api/token")) == 1


def test_expired_access_token_is_renewed_once_on_401(server, token_env):
    access = serve_token(server)
    eloverblik.access_token()
    eloverblik._tokens[next(iter(eloverblik._tokens))] = ("stale-token", time.time() + 3600)
    path = f"{TS_PATH}/2024-10-26/2024-10-28/Hour"
    server.expect_request(path, method="POST", headers={"Authorization": "Bearer stale-token"}).respond_with_data(
        "Unauthorized", status=401)
    server.expect_request(path, method="POST", headers={"Authorization": f"Bearer {access}"}).respond_with_json(
        load("eloverblik_timeseries_2024-10-26_2024-10-28.json"))

    df = eloverblik.fetch_timeseries([GSRN_A], date(2024, 10, 26), date(2024, 10, 27))

    assert len(df) > 0 and len(requests_to(server, "/customerapi/api/token")) == 2


def test_rejected_refresh_token_says_so_without_the_token(server, token_env):
    server.expect_request("/customerapi/api/token").respond_with_data("Unauthorized", status=401)

    with pytest.raises(ConnectorError, match="refused the refresh token") as err:
        eloverblik.fetch_timeseries([GSRN_A], date(2024, 10, 26), date(2024, 10, 27))

    assert REFRESH not in str(err.value)


def test_eloverblik_backs_off_at_least_throttle_backoff_on_503(server, token_env, monkeypatch):
    monkeypatch.setattr(http, "DEFAULTS", HttpDefaults(
        retries=2, backoff_factor=0.0, min_interval=0.0, timeout=5.0, throttle_backoff=0.25))
    serve_token(server)
    path = f"{TS_PATH}/2024-10-26/2024-10-28/Hour"
    server.expect_oneshot_request(path, method="POST").respond_with_data("busy", status=503)
    server.expect_request(path, method="POST").respond_with_json(
        load("eloverblik_timeseries_2024-10-26_2024-10-28.json"))

    t0 = time.monotonic()
    df = eloverblik.fetch_timeseries([GSRN_A], date(2024, 10, 26), date(2024, 10, 27))

    assert time.monotonic() - t0 >= 0.25  # urllib3 alone would retry at once
    assert len(df) > 0 and len(requests_to(server, path)) == 2


def test_bad_gsrn_is_refused_before_any_request(server, token_env):
    with pytest.raises(ValueError, match="18 digits"):
        eloverblik.fetch_timeseries(["12345"], date(2024, 1, 1), date(2024, 1, 2))
    assert server.log == []


# ------------------------------------------------------------------------------- servers that misbehave

def test_eds_stops_when_a_page_brings_nothing_new(server):
    """A server that ignores offset and promises more records than it has would have kept cron busy."""
    fixture = load("eds_declarationgridemission_2024-01-15.json")
    body = {**fixture, "records": fixture["records"][:30], "total": 10_000}
    server.expect_request("/dataset/DeclarationGridEmission").respond_with_json(body)

    with pytest.raises(ConnectorError, match="same 30 DeclarationGridEmission records again.*stopped"):
        energidataservice.fetch_grid_co2(date(2024, 1, 15), date(2024, 1, 15))
    assert len(requests_to(server, "/dataset/DeclarationGridEmission")) == 2


def test_eds_pages_are_bounded(server, monkeypatch):
    fixture = load("eds_declarationgridemission_2024-01-15.json")
    monkeypatch.setattr(energidataservice, "MAX_PAGES", 3)

    def endless(request):  # always one new record, never the promised total
        offset = int(request.args.get("offset", 0))
        record = {**fixture["records"][0], "HourUTC": f"2024-01-15T{offset % 24:02d}:00:{offset // 24:02d}"}
        return Response(json.dumps({"total": 10_000, "records": [record]}), content_type="application/json")

    server.expect_request("/dataset/DeclarationGridEmission").respond_with_handler(endless)
    with pytest.raises(ConnectorError, match="more than 3 pages"):
        energidataservice.fetch_grid_co2(date(2024, 1, 15), date(2024, 1, 15))
    assert len(requests_to(server, "/dataset/DeclarationGridEmission")) == 3


def test_offline_fails_at_once_without_retries(monkeypatch):
    """fetch co2 without a network took 62 s of retries before it said so."""
    monkeypatch.setattr(http, "DEFAULTS", HttpDefaults(retries=5, backoff_factor=2.0, min_interval=0.0))
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", lambda s: slept.append(s))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("HEG_DASH_EDS_URL", f"http://127.0.0.1:{port}")
    with pytest.raises(ConnectorError, match="could not be reached"):
        energidataservice.fetch_grid_co2(date(2024, 1, 15), date(2024, 1, 15))
    assert slept == []


def test_reaching_a_host_times_out_within_ten_seconds_but_answers_may_take_longer(monkeypatch):
    from requests.adapters import HTTPAdapter

    monkeypatch.setattr(http, "DEFAULTS", HttpDefaults())  # production values
    sent = {}

    def capture(self, request, **kwargs):
        sent.update(kwargs)
        raise http.requests.ConnectionError("no network")

    monkeypatch.setattr(HTTPAdapter, "send", capture)
    s = http.session()
    with pytest.raises(http.requests.ConnectionError):
        s.get("https://api.energidataservice.dk/dataset/X")
    assert sent["timeout"] == (10.0, 120.0)
    assert s.get_adapter("https://x").max_retries.connect == 0
    assert s.get_adapter("https://x").max_retries.total == 5  # 429 and 5xx are still retried
