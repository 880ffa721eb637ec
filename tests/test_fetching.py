"""Fetching into the store against a local HTTP server in the APIs' formats (no test touches the internet):
stored rows with exact values, re-fetch is a no-op, undo restores, the default window is what is missing,
offline changes nothing, the CLI's exit codes, Eloverblik's GSRN mapping over a DST day."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from werkzeug import Response

from heg_dash import config, i18n, store
from heg_dash.connectors import eloverblik, fetching, http
from heg_dash.connectors.http import ConnectorError, HttpDefaults
from heg_dash.store import imports as importing
from tests.data_support import snapshot

TODAY = dt.date(2024, 1, 20)
DECLARED_UNTIL = dt.date(2024, 1, 17)  # the declaration is published a few days late
REFRESH = "refresh-token-for-tests-1234567890"
GSRN_KWH, GSRN_MWH = "571313174001234567", "571313174001234574"


@pytest.fixture(autouse=True)
def fast_and_local(monkeypatch, tmp_path):
    monkeypatch.setattr(http, "DEFAULTS", HttpDefaults(
        retries=1, backoff_factor=0.0, min_interval=0.0, timeout=5.0, max_retry_after=1, throttle_backoff=0.0))
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    monkeypatch.setenv("HEG_DASH_SECRETS", str(tmp_path / "no-secrets.toml"))
    monkeypatch.delenv("HEG_DASH_ELOVERBLIK_TOKEN", raising=False)
    monkeypatch.setattr(fetching, "today", lambda: TODAY)
    http._next_slot.clear()
    eloverblik.clear_token_cache()
    with i18n.language("en"):  # the assertions read the English messages
        yield
    eloverblik.clear_token_cache()


def _local(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_localize(config.TIMEZONE).tz_convert("UTC")


def declaration_value(hour: pd.Timestamp) -> float:
    return float(hour.day * 10 + hour.hour)


def eds_handler(request):
    """DeclarationGridEmission (hours up to DECLARED_UNTIL, three methods), CO2Emis (5-minute values) and
    Elspotprices for the requested local window."""
    dataset = request.path.rsplit("/", 1)[1]
    lo, hi = _local(request.args["start"]), _local(request.args["end"])
    records = []
    if dataset == "DeclarationGridEmission":
        hi = min(hi, _local((DECLARED_UNTIL + dt.timedelta(days=1)).isoformat()))
        for h in pd.date_range(lo, hi, freq="h", inclusive="left"):
            for method, factor in (("125%", 1.0), ("200%", 0.5), ("Actual", 2.0)):
                records.append({"HourUTC": h.strftime("%Y-%m-%dT%H:%M:%S"), "PriceArea": "DK1",
                                "FuelAllocationMethod": method, "CO2PerkWh": declaration_value(h) * factor})
    elif dataset == "CO2Emis":
        for m in pd.date_range(lo, hi, freq="5min", inclusive="left"):
            records.append({"Minutes5UTC": m.strftime("%Y-%m-%dT%H:%M:%S"), "PriceArea": "DK1",
                            "CO2Emission": 50.0 + m.minute / 5})  # hour mean = 50 + 5.5
    elif dataset == "Elspotprices":
        for h in pd.date_range(lo, hi, freq="h", inclusive="left"):
            records.append({"HourUTC": h.strftime("%Y-%m-%dT%H:%M:%S"), "PriceArea": "DK1",
                            "SpotPriceDKK": 500.0 + h.hour})
    elif dataset == "DayAheadPrices":
        for m in pd.date_range(lo, hi, freq="15min", inclusive="left"):
            records.append({"TimeUTC": m.strftime("%Y-%m-%dT%H:%M:%S"), "PriceArea": "DK1",
                            "DayAheadPriceDKK": 400.0 + m.minute})
    body = {"total": len(records), "dataset": dataset, "records": records}
    return Response(json.dumps(body), content_type="application/json")


@pytest.fixture
def server(httpserver, monkeypatch):
    base = httpserver.url_for("/").rstrip("/")
    for name in ("HEG_DASH_EDS_URL", "HEG_DASH_OPENMETEO_URL", "HEG_DASH_ELOVERBLIK_URL"):
        monkeypatch.setenv(name, base)
    for ds in ("DeclarationGridEmission", "CO2Emis", "Elspotprices", "DayAheadPrices"):
        httpserver.expect_request(f"/dataset/{ds}").respond_with_handler(eds_handler)
    return httpserver


def _write(dataset: str, rows: list[dict]) -> None:
    parsed = importing.parse_table(dataset, pd.DataFrame(rows), "setup")
    assert not parsed.problems, [p.text() for p in parsed.problems]
    store.write(dataset, parsed.frame, user="test")


@pytest.fixture
def site(empty_db):
    """One campus, one building, a kWh meter and an MWh meter linked to Eloverblik, one meter without GSRN."""
    _write("campuses", [{"campus_id": "HOB", "name": "Hobro", "address": "Vej 1", "lat": 56.64, "lon": 9.78}])
    _write("buildings", [{"building_id": "HOB-A", "campus_id": "HOB", "name": "A", "use": "teaching",
                          "year_built": 1990, "heated_area_m2": 1000.0, "energy_label": "C", "status": "in_use",
                          "in_use_from": dt.date(2000, 1, 1)}])
    _write("meters", [
        {"meter_id": "HOB-A-EL", "building_id": "HOB-A", "utility": "electricity", "unit": "kWh", "gsrn": GSRN_KWH},
        {"meter_id": "HOB-A-EL2", "building_id": "HOB-A", "utility": "electricity", "unit": "MWh", "gsrn": GSRN_MWH},
        {"meter_id": "HOB-A-VAND", "building_id": "HOB-A", "utility": "water", "unit": "m3"},
    ])
    return empty_db


def rows(path, sql: str) -> pd.DataFrame:
    import duckdb
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).df()


# ------------------------------------------------------------------------------------------------ co2

def test_co2_default_window_declaration_then_co2emis_exact_values_noop_and_undo(site, server):
    before = snapshot(site)
    result = fetching.fetch("co2", user="test")
    # Nothing stored: the last 30 days up to yesterday.
    assert (result.start, result.end) == (dt.date(2023, 12, 21), dt.date(2024, 1, 19))
    got = rows(site, "SELECT start, g_co2e_per_kwh, source FROM grid_co2 ORDER BY start")
    declared = got[got["source"] == "declaration"]
    recent = got[got["source"] == "co2emis"]
    assert len(declared) == 28 * 24 and len(recent) == 2 * 24
    first = declared.iloc[0]
    assert pd.Timestamp(first["start"]) == pd.Timestamp("2023-12-20 23:00", tz="UTC")
    assert first["g_co2e_per_kwh"] == 20 * 10 + 23  # the 125 % value, not 200 % or Actual
    assert pd.Timestamp(recent["start"].iloc[0]) == pd.Timestamp("2024-01-17 23:00", tz="UTC")
    assert recent["g_co2e_per_kwh"].tolist() == [55.5] * 48
    assert (result.added, result.replaced, result.unchanged) == (720, 0, 0)
    batch = rows(site, f"SELECT kind, note FROM import_batches WHERE batch_id = {result.batch_id}")
    assert batch.iloc[0].tolist() == ["fetch", "co2"]
    assert fetching.last_fetch("co2") is not None

    again = fetching.fetch("co2", dt.date(2023, 12, 21), dt.date(2024, 1, 19), user="test")
    assert again.batch_id is None and again.unchanged == 720 and again.added == 0

    store.undo(result.batch_id, "test")
    after = snapshot(site)
    for name in ("grid_co2", "grid_co2__replaced"):
        pd.testing.assert_frame_equal(before[name], after[name])


def test_co2_declaration_replaces_provisional_hours_and_co2emis_never_replaces_a_declaration(site, server,
                                                                                           monkeypatch):
    fetching.fetch("co2", user="test")
    # Two days later the declaration covers the co2emis days: the default window starts after the newest
    # declared day, and the declared values replace the provisional ones.
    monkeypatch.setattr(fetching, "today", lambda: TODAY + dt.timedelta(days=2))
    monkeypatch.setattr(sys.modules[__name__], "DECLARED_UNTIL", dt.date(2024, 1, 19))
    result = fetching.fetch("co2", user="test")
    assert result.start == dt.date(2024, 1, 18)
    assert result.replaced == 48
    got = rows(site, "SELECT source, count(*) AS n FROM grid_co2 GROUP BY source ORDER BY source")
    assert got.set_index("source")["n"].to_dict() == {"co2emis": 48, "declaration": 30 * 24}
    # An explicit re-fetch of declared days never puts co2emis values over them.
    monkeypatch.setattr(sys.modules[__name__], "DECLARED_UNTIL", dt.date(2024, 1, 10))
    again = fetching.fetch("co2", dt.date(2024, 1, 15), dt.date(2024, 1, 16), user="test")
    assert again.batch_id is None and again.added == 0


def test_prices_store_dkk_per_kwh_and_the_default_starts_after_the_newest(site, server):
    result = fetching.fetch("prices", dt.date(2024, 1, 18), dt.date(2024, 1, 18), user="test")
    got = rows(site, "SELECT start, \"end\", dkk_per_unit, unit, kind FROM energy_prices ORDER BY start")
    assert len(got) == 24 and result.added == 24
    assert got["dkk_per_unit"].iloc[0] == pytest.approx((500.0 + 23) / 1000)  # 23:00 UTC = 00:00 local
    assert set(got["kind"]) == {"spot"} and set(got["unit"]) == {"kWh"}
    assert fetching.default_window("prices") == (dt.date(2024, 1, 19), dt.date(2024, 1, 19))


# ------------------------------------------------------------------------------------------------ weather

def test_weather_is_clamped_to_the_archive_lag_and_stored_per_campus(site, httpserver, server):
    def handler(request):
        days = pd.date_range(request.args["start_date"], request.args["end_date"], freq="D")
        body = {"daily": {"time": [d.strftime("%Y-%m-%d") for d in days],
                          "temperature_2m_mean": [float(d.day) / 2 for d in days]}}
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/v1/archive").respond_with_handler(handler)
    result = fetching.fetch("weather", dt.date(2024, 1, 10), dt.date(2024, 1, 19), user="test")
    assert result.end == dt.date(2024, 1, 15)  # today − 5 days
    assert any("lags" in n for n in result.notes)
    got = rows(site, "SELECT campus_id, date, mean_temp_c FROM weather ORDER BY date")
    assert len(got) == 6 and set(got["campus_id"]) == {"HOB"}
    assert got["mean_temp_c"].tolist() == [5.0, 5.5, 6.0, 6.5, 7.0, 7.5]
    up = fetching.fetch("weather", user="test")
    assert up.start is None and up.batch_id is None  # nothing missing


# ------------------------------------------------------------------------------------------------ eloverblik

def _series(gsrn: str, start: str, end: str, values: list[float], resolution: str = "PT1H") -> dict:
    return {"mRID": gsrn, "businessType": "A04", "measurement_Unit.name": "KWH", "Period": [{
        "resolution": resolution, "timeInterval": {"start": start, "end": end},
        "Point": [{"position": str(i + 1), "out_Quantity.quantity": f"{v:.3f}",
                   "out_Quantity.quality": "A04" if i else "A03"} for i, v in enumerate(values)]}]}


def test_eloverblik_maps_gsrn_to_meters_converts_mwh_over_a_dst_day(site, server, monkeypatch):
    monkeypatch.setenv("HEG_DASH_ELOVERBLIK_TOKEN", REFRESH)
    server.expect_request("/customerapi/api/token").respond_with_json({"result": "access-token"})
    # 27 October 2024, the autumn DST change: 25 local hours (22:00 UTC on the 26th to 23:00 UTC on the 27th).
    values = [float(i + 1) for i in range(25)]
    doc = {"result": [{"MyEnergyData_MarketDocument": {"TimeSeries": [
        _series(GSRN_KWH, "2024-10-26T22:00:00Z", "2024-10-27T23:00:00Z", values),
        _series(GSRN_MWH, "2024-10-26T22:00:00Z", "2024-10-27T23:00:00Z", values),
    ]}, "success": True, "errorCode": 10000, "errorText": "Success", "id": GSRN_KWH}]}
    server.expect_request("/customerapi/api/meterdata/gettimeseries/2024-10-27/2024-10-28/Hour",
                          method="POST").respond_with_json(doc)
    result = fetching.fetch("eloverblik", dt.date(2024, 10, 27), dt.date(2024, 10, 27), user="test")
    got = rows(site, "SELECT meter_id, start, value, quality FROM readings ORDER BY meter_id, start")
    kwh, mwh = got[got["meter_id"] == "HOB-A-EL"], got[got["meter_id"] == "HOB-A-EL2"]
    assert len(kwh) == 25 and len(mwh) == 25 and result.added == 50
    assert kwh["value"].tolist() == values
    assert mwh["value"].tolist() == pytest.approx([v * 0.001 for v in values])
    assert kwh["quality"].iloc[0] == "estimated" and set(kwh["quality"].iloc[1:]) == {"measured"}
    assert pd.Timestamp(kwh["start"].iloc[-1]) == pd.Timestamp("2024-10-27 22:00", tz="UTC")


def test_eloverblik_without_a_token_is_a_bad_argument(site):
    with pytest.raises(fetching.FetchArgumentError):
        fetching.fetch("eloverblik", user="test")


def test_end_before_start_is_a_bad_argument(site):
    with pytest.raises(fetching.FetchArgumentError):
        fetching.fetch("co2", dt.date(2024, 1, 10), dt.date(2024, 1, 9), user="test")


# ------------------------------------------------------------------------------------------------ failures

def test_offline_changes_nothing(site, monkeypatch):
    monkeypatch.setenv("HEG_DASH_EDS_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    before = snapshot(site)
    with pytest.raises(ConnectorError, match="Nothing was changed"):
        fetching.fetch("co2", user="test")
    after = snapshot(site)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name])
    assert fetching.last_fetch("co2") is None


def test_bad_api_data_is_refused_by_validation(site, httpserver, monkeypatch):
    monkeypatch.setenv("HEG_DASH_EDS_URL", httpserver.url_for("/").rstrip("/"))
    body = {"total": 1, "records": [{"HourUTC": "2024-01-18T00:00:00", "PriceArea": "DK1",
                                     "FuelAllocationMethod": "125%", "CO2PerkWh": -5.0}]}
    httpserver.expect_request("/dataset/DeclarationGridEmission").respond_with_json(body)
    httpserver.expect_request("/dataset/CO2Emis").respond_with_json({"total": 0, "records": []})
    with pytest.raises(fetching.StoreRefused):
        fetching.fetch("co2", dt.date(2024, 1, 18), dt.date(2024, 1, 18), user="test")
    assert rows(site, "SELECT count(*) AS n FROM grid_co2")["n"].iloc[0] == 0


# ------------------------------------------------------------------------------------------------ CLI

def run_cli(*args: str, db, **env: str) -> subprocess.CompletedProcess:
    full = {**os.environ, "HEG_DASH_DB": str(db), "HEG_DASH_LANG": "en", "NO_PROXY": "localhost,127.0.0.1", **env}
    full.pop("HEG_DASH_ELOVERBLIK_TOKEN", None)
    full.update(env)
    return subprocess.run([sys.executable, "-m", "heg_dash", "fetch", *args], capture_output=True, text=True,
                          env=full, timeout=120)


def test_cli_fetch_exit_codes(site, httpserver, server, tmp_path):
    base = httpserver.url_for("/").rstrip("/")
    ok = run_cli("prices", "--start", "2024-01-18", "--end", "2024-01-18", db=site, HEG_DASH_EDS_URL=base,
                 HEG_DASH_SECRETS=str(tmp_path / "none.toml"))
    assert ok.returncode == 0, ok.stderr
    assert "24 added, 0 replaced, 0 unchanged (batch" in ok.stdout
    again = run_cli("prices", "--start", "2024-01-18", "--end", "2024-01-18", db=site, HEG_DASH_EDS_URL=base,
                    HEG_DASH_SECRETS=str(tmp_path / "none.toml"))
    assert again.returncode == 0 and "nothing changed (24 unchanged)" in again.stdout

    assert run_cli("prices", "--start", "2024-13-01", db=site).returncode == 2
    assert run_cli("prices", "--start", "2024-01-18", "--end", "2024-01-17", db=site).returncode == 2
    assert run_cli("nonsense", db=site).returncode == 2
    no_token = run_cli("eloverblik", db=site, HEG_DASH_SECRETS=str(tmp_path / "none.toml"))
    assert no_token.returncode == 2 and "token" in no_token.stderr

    before = snapshot(site)
    httpserver.expect_request("/broken/dataset/Elspotprices").respond_with_data("<html>down</html>", status=404)
    failed = run_cli("prices", "--start", "2024-01-19", "--end", "2024-01-19", db=site,
                     HEG_DASH_EDS_URL=base + "/broken")
    assert failed.returncode == 1 and "Nothing was changed" in failed.stderr
    after = snapshot(site)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name])


# ------------------------------------------------------------------------------------------------ Data page

def test_data_page_fetch_button_for_an_editor(sample_db, server, monkeypatch):
    with i18n.language("da"):  # the page is Danish; AppTest formats its widgets in this thread
        _fetch_button_for_an_editor(sample_db, server, monkeypatch)


def _fetch_button_for_an_editor(sample_db, server, monkeypatch):
    from heg_dash.views import auth
    from tests.test_data_page import PASSWORD
    from tests.test_pages import run_page

    auth.set_password(PASSWORD, "test")
    # The sample's spot prices end 31 October 2026: the default window is 1–2 November (quarter-hours).
    monkeypatch.setattr(fetching, "today", lambda: dt.date(2026, 11, 3))
    at = run_page("data", "da")
    assert not [b for b in at.button if b.key and b.key.startswith("fetch_")]  # not logged in yet
    # Logged in with the editor password: the role as auth.login_with_password leaves it in the session
    # (submitting the login form in AppTest does not reach the server in this Streamlit version; see report).
    assert auth.verify_password(PASSWORD, auth.password_hash())
    at.session_state[auth.SESSION_KEY] = auth.PASSWORD_USER
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Aldrig hentet" in c.value for c in at.caption)
    assert {b.key for b in at.button} >= {f"fetch_{s}" for s in fetching.SOURCES}
    # Pressing a button: the connector section on its own (widget clicks on a page reached with
    # switch_page do not reach the script in this Streamlit's AppTest; see the report).
    panel = AppTest.from_function(_panel_app, default_timeout=60)
    panel.session_state[auth.SESSION_KEY] = auth.PASSWORD_USER
    panel.run()
    panel.button(key="fetch_prices").click().run()
    assert not panel.exception, [e.value for e in panel.exception]
    assert any("192 tilføjet, 0 erstattet, 0 uændrede" in m.value for m in panel.markdown), (
        [m.value for m in panel.markdown], [e.value for e in panel.error])
    got = rows(sample_db, "SELECT count(*) AS n, min(dkk_per_unit) AS lo FROM energy_prices "
                          "WHERE kind = 'spot' AND start >= '2026-10-31 23:00:00+00'")
    assert got["n"].iloc[0] == 192 and got["lo"].iloc[0] == pytest.approx(0.4)
    assert any("Senest hentet" in c.value for c in panel.caption)


def _panel_app() -> None:
    from heg_dash.views import auth, fetch_view

    fetch_view.connector_panel(auth.is_editor())


def test_data_page_viewer_sees_last_fetch_but_no_button_and_the_write_is_refused(sample_db, server, tmp_path,
                                                                                  monkeypatch):
    from heg_dash.views import auth, fetch_view
    from tests.test_pages import run_page

    monkeypatch.setenv("HEG_DASH_SECRETS", str(tmp_path / "none.toml"))
    fetching.fetch("prices", dt.date(2026, 11, 1), dt.date(2026, 11, 1), user="test")
    at = run_page("data", "da")
    assert not at.exception, [e.value for e in at.exception]
    assert not [b for b in at.button if b.key and b.key.startswith("fetch_")]
    assert any("Senest hentet" in c.value for c in at.caption)
    assert any("Kun redaktører" in c.value for c in at.caption)
    before = snapshot(sample_db)
    with pytest.raises(auth.NotEditor):
        fetch_view.editor_fetch("prices")
    after = snapshot(sample_db)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name])


def test_eloverblik_production_never_adds_to_consumption(site, server, monkeypatch):
    """The connector stored A01 (production) series like consumption. Production belongs to a solar_pv meter."""
    monkeypatch.setenv("HEG_DASH_ELOVERBLIK_TOKEN", REFRESH)
    server.expect_request("/customerapi/api/token").respond_with_json({"result": "access-token"})
    consumption = _series(GSRN_KWH, "2024-01-09T23:00:00Z", "2024-01-10T02:00:00Z", [1.0, 2.0, 3.0])
    production = {**_series(GSRN_KWH, "2024-01-09T23:00:00Z", "2024-01-10T02:00:00Z", [7.0, 8.0, 9.0]),
                  "businessType": "A01"}
    doc = {"result": [{"MyEnergyData_MarketDocument": {"TimeSeries": [consumption, production]}, "success": True,
                       "errorCode": 10000, "errorText": "Success", "id": GSRN_KWH}]}
    server.expect_request("/customerapi/api/meterdata/gettimeseries/2024-01-10/2024-01-11/Hour",
                          method="POST").respond_with_json(doc)
    result = fetching.fetch("eloverblik", dt.date(2024, 1, 10), dt.date(2024, 1, 10), user="test")
    got = rows(site, "SELECT meter_id, value FROM readings ORDER BY start")
    assert got["value"].tolist() == [1.0, 2.0, 3.0]  # the consumption series alone
    assert any("A01" in n and "HOB-A-EL" in n and "solar_pv" in n for n in result.notes)
