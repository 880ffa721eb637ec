"""Eloverblik Customer API: hourly or quarter-hourly electricity readings per metering point (GSRN).

Flow: the refresh token (``config.eloverblik_refresh_token()``: env ``HEG_DASH_ELOVERBLIK_TOKEN`` or
``[eloverblik] refresh_token`` in secrets) buys a 24-hour access token at ``GET /customerapi/api/token``;
readings come from ``POST /customerapi/api/meterdata/gettimeseries/{from}/{to}/{Hour|Quarter}`` with
body ``{"meteringPoints": {"meteringPoint": [gsrn, ...]}}``, ``[from, to)`` as local dates.

Rules:
- At most 730 days and 10 metering points per call; longer ranges and more points are chunked.
- The access token is cached for 24 h in memory and, when ``token_cache`` is given, in that file with
  mode 0600 (never in the database, never logged). A 401 on a cached token fetches a fresh one once.
- 429/503 are retried after at least ``DEFAULTS.throttle_backoff`` seconds (60 s in production).
- Each point's start is the period's ``timeInterval.start`` + (position − 1) × the period's own
  ``resolution`` (PT1H or PT15M; a meter read hourly answers PT1H to a Quarter request).
- Quality: A04 → measured; A01, A03, A05 → estimated; A02 → no reading (left out and counted).
- A series' ``businessType`` says what it measures: A04 consumption, A01 production (a roof PV plant's
  export point); the ``kind`` column carries it ("consumption"/"production"), so production is never stored
  as a consumption meter's use (heg_dash.fetching keeps it for a ``solar_pv`` meter only).
- Metering points the API reports as failed (``success: false``) are listed in ``df.attrs["failed"]``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import requests

from heg_dash import config
from heg_dash.connectors import http as http_mod
from heg_dash.connectors.http import ConnectorError, failure, request_json, shape_error
from heg_dash.i18n import t

log = logging.getLogger("heg_dash.connectors")

SERVICE = "Eloverblik"
MAX_DAYS = 730
MAX_POINTS = 10
TOKEN_TTL_S = 24 * 3600
TOKEN_MARGIN_S = 300  # renew a little before the 24 h are up, so a long fetch never runs on an expired token
AGGREGATIONS = ("Hour", "Quarter")
QUALITY = {"A04": "measured", "A01": "estimated", "A03": "estimated", "A05": "estimated"}
NO_READING = "A02"
READING_COLUMNS = ["gsrn", "start", "end", "value", "quality", "kind"]
BUSINESS_TYPES = {"A04": "consumption", "A01": "production"}
TS_DTYPE = "datetime64[us, UTC]"

# In-memory access tokens: (base URL, sha256 of the refresh token) -> (access token, expires at, epoch s).
_tokens: dict[tuple[str, str], tuple[str, float]] = {}


def clear_token_cache() -> None:
    """Forget the in-memory access tokens (the file cache, if any, is left alone)."""
    _tokens.clear()


def session() -> requests.Session:
    """A connector session that waits at least ``DEFAULTS.throttle_backoff`` s after 429/503."""
    return http_mod.session(min_backoff=http_mod.DEFAULTS.throttle_backoff)


def _refresh_token() -> str:
    token = config.eloverblik_refresh_token()
    if not token or not token.strip():
        raise failure("conn.no_token", service=SERVICE)
    return token.strip()


def _read_token_file(path: Path, fingerprint: str) -> tuple[str, float] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        token, expires = data["access_token"], float(data["expires_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    # A file written for another refresh token (or another server) is not ours to use.
    if data.get("refresh_sha256") != fingerprint or not isinstance(token, str):
        return None
    return token, expires


def _write_token_file(path: Path, fingerprint: str, token: str, expires: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    # Created 0600 from the start (no window where others could read it), then moved into place.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"access_token": token, "expires_at": expires, "refresh_sha256": fingerprint}, fh)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def access_token(
    *, http: requests.Session | None = None, token_cache: Path | str | None = None, force: bool = False
) -> str:
    """A valid access token: from memory, then from ``token_cache`` (a 0600 file), else a fresh one.

    Raises :class:`ConnectorError` when no refresh token is configured or Eloverblik refuses it.
    """
    refresh = _refresh_token()
    base = config.settings().eloverblik_url
    fingerprint = hashlib.sha256(f"{base}\n{refresh}".encode()).hexdigest()
    key = (base, fingerprint)
    now = time.time()
    path = Path(token_cache) if token_cache else None
    if not force:
        cached = _tokens.get(key)
        if cached is None and path is not None:
            cached = _read_token_file(path, fingerprint)
        if cached and cached[1] - TOKEN_MARGIN_S > now:
            _tokens[key] = cached
            return cached[0]

    http = http or session()
    try:
        body = request_json(
            http, "GET", f"{base}/customerapi/api/token", service=SERVICE,
            headers={"Authorization": f"Bearer {refresh}"},
        )
    except ConnectorError as e:
        if e.status in (401, 403):
            raise failure("conn.token_refused", e.status, service=SERVICE) from None
        raise
    token = body.get("result") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise shape_error(SERVICE, "the token answer has no 'result'")
    expires = now + TOKEN_TTL_S
    _tokens[key] = (token, expires)
    if path is not None:
        _write_token_file(path, fingerprint, token, expires)
    log.info("Eloverblik: new access token, valid 24 h")  # the token itself is never logged
    return token


def date_chunks(start: date, stop: date, max_days: int = MAX_DAYS) -> list[tuple[date, date]]:
    """[start, stop) cut into consecutive [from, to) pieces of at most ``max_days`` days."""
    out = []
    a = start
    while a < stop:
        b = min(a + timedelta(days=max_days), stop)
        out.append((a, b))
        a = b
    return out


def batches(items: Sequence[str], size: int = MAX_POINTS) -> list[list[str]]:
    """``items`` in consecutive lists of at most ``size``."""
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


_DURATION = re.compile(r"^PT(\d+)([HM])$")


def _resolution(value: object, gsrn: str) -> timedelta:
    m = _DURATION.match(value) if isinstance(value, str) else None
    if not m:
        raise shape_error(SERVICE, f"metering point {gsrn} has a period of resolution {value!r}, not PT1H/PT15M")
    n = int(m.group(1))
    return timedelta(hours=n) if m.group(2) == "H" else timedelta(minutes=n)


def _quantity(point: dict) -> tuple[object, object]:
    # The API uses flat keys with a dot ("out_Quantity.quantity"); accept a nested object as well.
    nested = point.get("out_Quantity") if isinstance(point.get("out_Quantity"), dict) else {}
    qty = point.get("out_Quantity.quantity", nested.get("quantity"))
    quality = point.get("out_Quantity.quality", nested.get("quality"))
    return qty, quality


class _Parsed:
    """Points gathered over all chunks; times are computed in one vectorised step at the end."""

    def __init__(self) -> None:
        # (gsrn, period start, period end, step, position, value, quality code, business type)
        self.rows: list[tuple[str, pd.Timestamp, pd.Timestamp, timedelta, int, float, str, str]] = []
        self.failed: dict[str, str] = {}
        self.no_reading = 0


def _parse(body: object, parsed: _Parsed) -> None:
    """Add the readings of one gettimeseries answer to ``parsed``."""
    results = body.get("result") if isinstance(body, dict) else None
    if not isinstance(results, list):
        raise shape_error(SERVICE, "no 'result' list in the time series answer")
    for element in results:
        if not isinstance(element, dict):
            raise shape_error(SERVICE, "a 'result' element is not an object")
        if not element.get("success", False):
            parsed.failed[str(element.get("id"))] = f"{element.get('errorText')} ({element.get('errorCode')})"
            continue
        document = element.get("MyEnergyData_MarketDocument") or {}
        for series in document.get("TimeSeries") or []:
            mep = (series.get("MarketEvaluationPoint") or {}).get("mRID") or {}
            gsrn = str(mep.get("name") or series.get("mRID") or element.get("id"))
            kind = BUSINESS_TYPES.get(str(series.get("businessType") or "A04"), "other")
            for period in series.get("Period") or []:
                step = _resolution(period.get("resolution"), gsrn)
                interval = period.get("timeInterval") or {}
                try:
                    p_start = pd.Timestamp(interval["start"]).tz_convert("UTC")
                    p_end = pd.Timestamp(interval["end"]).tz_convert("UTC")
                except (KeyError, TypeError, ValueError):
                    raise shape_error(SERVICE, f"metering point {gsrn}: a period lacks its timeInterval") from None
                for point in period.get("Point") or []:
                    qty, quality = _quantity(point)
                    if quality == NO_READING or qty in (None, ""):
                        parsed.no_reading += 1
                        continue
                    try:
                        position = int(point["position"])
                        value = float(qty)
                    except (KeyError, TypeError, ValueError):
                        raise shape_error(
                            SERVICE, f"metering point {gsrn} has a point that is not a number: {qty!r}"
                        ) from None
                    parsed.rows.append((gsrn, p_start, p_end, step, position, value, str(quality), kind))


def _frame(parsed: _Parsed) -> pd.DataFrame:
    outside = 0
    if parsed.rows:
        raw = pd.DataFrame(parsed.rows, columns=["gsrn", "p_start", "p_end", "step", "position", "value", "code",
                                                 "kind"])
        p_start = raw["p_start"].astype(TS_DTYPE)
        step = pd.to_timedelta(raw["step"])
        start = p_start + (raw["position"] - 1) * step
        end = start + step
        # A point that does not fit inside its period is not trusted (wrong resolution or position).
        fits = (raw["position"] >= 1) & (end <= raw["p_end"].astype(TS_DTYPE))
        outside = int((~fits).sum())
        df = pd.DataFrame({
            "gsrn": raw["gsrn"].astype("str"),
            "start": start,
            "end": end,
            "value": raw["value"].astype("float64"),
            # Unknown quality codes are not measurements: count them as estimated.
            "quality": raw["code"].map(QUALITY).fillna("estimated").astype("str"),
            "kind": raw["kind"].astype("str"),
        })[fits]
        df = df.sort_values(["gsrn", "kind", "start"]).drop_duplicates(["gsrn", "kind", "start"], keep="last",
                                                                       ignore_index=True)
    else:
        df = pd.DataFrame({
            "gsrn": pd.Series(dtype="str"), "start": pd.Series(dtype=TS_DTYPE), "end": pd.Series(dtype=TS_DTYPE),
            "value": pd.Series(dtype="float64"), "quality": pd.Series(dtype="str"), "kind": pd.Series(dtype="str"),
        })
    notes = []
    if parsed.no_reading:
        notes.append(t("conn.note.no_reading", count=parsed.no_reading))
    if outside:
        notes.append(t("conn.note.outside", count=outside))
    for gsrn, why in parsed.failed.items():
        notes.append(t("conn.note.point_failed", gsrn=gsrn, why=why))
    df.attrs.update({"failed": dict(parsed.failed), "dropped_no_reading": parsed.no_reading, "notes": notes})
    return df


def _unique_gsrns(gsrns: Iterable[str]) -> list[str]:
    out: list[str] = []
    for g in gsrns:
        g = str(g).strip()
        if not re.fullmatch(r"\d{18}", g):
            raise ValueError(f"not a GSRN (18 digits): {g!r}")
        if g not in out:
            out.append(g)
    return out


def fetch_timeseries(
    gsrns: Iterable[str],
    start: date,
    end_inclusive: date,
    aggregation: str = "Hour",
    *,
    http: requests.Session | None = None,
    token_cache: Path | str | None = None,
) -> pd.DataFrame:
    """Readings for the metering points ``gsrns`` over local dates [start, end_inclusive].

    Columns: gsrn, start, end (tz-aware UTC), value (float, kWh), quality ("measured"/"estimated"), kind
    ("consumption", "production" or "other", from the series' businessType); the caller maps gsrn to
    meter_id. ``aggregation`` is "Hour" or "Quarter". ``df.attrs``: "failed" (GSRN → the API's error),
    "dropped_no_reading" (A02 count) and "notes" (the same in words).
    """
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"aggregation must be one of {AGGREGATIONS}, not {aggregation!r}")
    if end_inclusive < start:
        raise ValueError(f"end {end_inclusive} is before start {start}")
    points = _unique_gsrns(gsrns)
    parsed = _Parsed()
    if not points:
        return _frame(parsed)
    http = http or session()
    token = access_token(http=http, token_cache=token_cache)
    base = config.settings().eloverblik_url
    for a, b in date_chunks(start, end_inclusive + timedelta(days=1)):
        url = f"{base}/customerapi/api/meterdata/gettimeseries/{a.isoformat()}/{b.isoformat()}/{aggregation}"
        for batch in batches(points):
            payload = {"meteringPoints": {"meteringPoint": batch}}
            try:
                body = request_json(http, "POST", url, service=SERVICE, json=payload,
                                    headers={"Authorization": f"Bearer {token}"})
            except ConnectorError as e:
                if e.status != 401:
                    raise
                # The cached access token may have been revoked early: get a fresh one, once.
                token = access_token(http=http, token_cache=token_cache, force=True)
                body = request_json(http, "POST", url, service=SERVICE, json=payload,
                                    headers={"Authorization": f"Bearer {token}"})
            _parse(body, parsed)
    df = _frame(parsed)
    for gsrn, why in parsed.failed.items():
        log.warning("Eloverblik: metering point %s failed: %s", gsrn, why)
    return df
