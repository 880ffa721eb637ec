"""The Eloverblik CSV export -> readings.

``MålepunktsID;Fra_dato;Til_dato;Mængde;Måleenhed;Kvalitet;Type``, ``;``-separated, decimal comma, UTF-8
with BOM, ``dd-mm-yyyy HH:MM:SS`` in Danish local time. Every spelling Eloverblik has used is read: the web
export's header above, the API's CSV (``Målepunkt id;Fra dato;Til dato;…``, times like ``2017-01-01 00.00``),
either with a trailing ``;``; names compare without case, spaces, underscores and hyphens (:data:`ALIASES`).
Måleenhed, Kvalitet and Type may be left out (kWh, no quality, with a warning for the unit). Rules:

- MålepunktsID is matched to a meter by ``meters.gsrn``; an unknown GSRN is a problem.
- start = Fra_dato, localised per metering point in file order (the repeated October hour: first summer
  time, then winter time). The interval's length is Til_dato − Fra_dato read as wall-clock: 15 minutes or
  1 hour (end = start + that length; Til_dato itself is not localised there, as around a DST change an
  export may name an end that does not exist or repeats), or a whole local day, month or year from
  midnight (Eloverblik's Day, Month and Year aggregations, and a utility's monthly statement): then end =
  Til_dato in local time, so a day in March is 23 hours.
- Kvalitet: Målt/A04 -> measured, A01/A03/A05 -> estimated, A02 (no reading) -> the row is skipped and
  counted in a warning.
- Måleenhed (KWH) must fit the meter's unit. Energy units convert: a kWh export into an MWh meter is
  multiplied by 0.001 (GJ likewise, via datasets.KWH_PER_UNIT), with a warning naming the meter; any other
  mismatch (kWh into a water meter) is a problem.
"""

from __future__ import annotations

import re

import pandas as pd

from heg_dash import datasets
from heg_dash.datasets import FLOAT, STR, TIMESTAMP, Column
from heg_dash.importers.cells import excel_rounded, raw_column
from heg_dash.importers.problems import ProblemLog, is_missing, show
from heg_dash.importers.read import RawTable
from heg_dash.importers.validate import (
    check_duplicates,
    empty_frame,
    localise,
    match_header,
    report_local_time,
    typed_column,
)

HEADER = ["MålepunktsID", "Fra_dato", "Til_dato", "Mængde", "Måleenhed", "Kvalitet", "Type"]
REQUIRED = HEADER[:4]  # without Måleenhed it is kWh; Kvalitet and Type ("Tidsserie") may be left out too
# The spellings of each column, compared by :func:`normalise`: the web export's and the API's CSV's.
ALIASES = {"målepunktsid": "MålepunktsID", "målepunktid": "MålepunktsID", "fradato": "Fra_dato",
           "tildato": "Til_dato", "mængde": "Mængde", "måleenhed": "Måleenhed", "kvalitet": "Kvalitet",
           "type": "Type"}
# The layouts a near-miss header is compared with (heg_dash.importers.layouts), by name.
LAYOUTS = {"eloverblik_web": HEADER,
           "eloverblik_api": ["Målepunkt id", "Fra dato", "Til dato", "Mængde", "Måleenhed", "Kvalitet", "Type"]}
DEFAULT_UNIT = "KWH"
QUALITY = {"målt": "measured", "a04": "measured", "a01": "estimated", "a03": "estimated",
           "a05": "estimated", "a02": None}
LENGTHS = (pd.Timedelta(hours=1), pd.Timedelta(minutes=15))
_KWH_PER_UNIT = {u.lower(): f for u, f in datasets.KWH_PER_UNIT.items()}


def normalise(name: str) -> str:
    """A column name compared without case, spaces, underscores and hyphens: "Målepunkt id" -> "målepunktid"."""
    return re.sub(r"[\s_\-]+", "", name.strip().lower())


def canonical_header(header: list[str]) -> list[str]:
    """The file's column names in HEADER's spelling where they are one of Eloverblik's."""
    return [ALIASES.get(normalise(h), h) for h in header]


def is_eloverblik(header: list[str]) -> bool:
    """The export's header: the metering point and Fra_dato among the column names, in any known spelling."""
    return {"MålepunktsID", "Fra_dato"} <= set(canonical_header(header))


def whole_periods(fra: pd.Series, length: pd.Series) -> pd.Series:
    """Intervals that are a whole local day, month or year from midnight (wall-clock): Eloverblik's Day,
    Month and Year aggregations and a utility's monthly statement."""
    midnight = fra.notna() & (fra == fra.dt.normalize())
    end = fra + length
    day = length == pd.Timedelta(days=1)
    month = (end == fra + pd.DateOffset(months=1)) & (fra.dt.day == 1)
    year = (end == fra + pd.DateOffset(years=1)) & (fra.dt.day == 1) & (fra.dt.month == 1)
    return (midnight & (day | month | year)).fillna(False).astype(bool)


def _gsrn_index(meters: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """GSRN -> (meter_id, unit) for the meters that have one."""
    out: dict[str, tuple[str, str]] = {}
    for meter_id, gsrn, unit in meters[["meter_id", "gsrn", "unit"]].itertuples(index=False):
        if gsrn is None or pd.isna(gsrn):
            continue
        text = str(int(gsrn)) if isinstance(gsrn, float) else str(gsrn).strip()
        out[text] = (str(meter_id), str(unit))
    return out


def _unit_factor(unit: str, meter_unit: str) -> float | None:
    """Multiplier from the export's unit to the meter's; None when they cannot be converted."""
    if unit.lower() == meter_unit.lower():
        return 1.0
    src, dst = _KWH_PER_UNIT.get(unit.lower()), _KWH_PER_UNIT.get(meter_unit.lower())
    return src / dst if src and dst else None


def _quality(table: RawTable, pos: int, label: str, log: ProblemLog) -> tuple[pd.Series, pd.Series]:
    """(quality per row, mask of A02 rows to skip); an unknown code is a problem."""
    raw = raw_column(table, pos)
    if raw.dtype == "str":  # CSV text: vectorised
        text = raw.fillna("").str.strip().str.lower()
    else:
        text = raw.map(lambda v: "" if is_missing(v) else str(v).strip().lower())
    skip = (text == "a02").astype(bool)
    quality = text.map(QUALITY)
    bad = (~text.isin(list(QUALITY))).astype(bool)
    log.add_rows("imp.elo_quality", label, text.index[bad], raw_column(table, pos),
                 allowed=["Målt", "A01", "A02", "A03", "A04", "A05"])
    return quality.where(~bad & ~skip), skip


def parse_eloverblik(table: RawTable, log: ProblemLog, meters: pd.DataFrame | None) -> pd.DataFrame:
    """An Eloverblik export (CSV or the same columns in Excel) -> the readings frame, indexed by file row."""
    readings = datasets.get("readings")
    mapping = match_header(RawTable(canonical_header(table.header), table.header_row, table.cells, table.decimal,
                                    table.source), HEADER, REQUIRED, log)
    if mapping is None:
        return empty_frame(readings)
    if table.cells.empty:
        log.add("imp.no_rows")
        return empty_frame(readings)
    if meters is None:
        log.add("imp.elo_needs_meters")
        return empty_frame(readings)
    label = {name: table.header[pos] for name, pos in mapping.items()}
    if "Kvalitet" in mapping:
        quality, skip = _quality(table, mapping["Kvalitet"], label["Kvalitet"], log)
    else:
        quality = pd.Series(None, index=table.cells.index, dtype=object)
        skip = pd.Series(False, index=table.cells.index)
    if skip.any():
        log.warn("imp.elo_a02_skipped", count=int(skip.sum()))
    keep = table.cells.index[~skip.to_numpy()]

    def raw(name: str) -> pd.Series:
        return raw_column(table, mapping[name]).loc[keep]

    gsrn, _ = typed_column(raw("MålepunktsID"), Column("gsrn", STR), label["MålepunktsID"], ",", log)
    value, _ = typed_column(raw("Mængde"), Column("value", FLOAT, min=0), label["Mængde"], table.decimal, log)
    if "Måleenhed" in mapping:
        unit, _ = typed_column(raw("Måleenhed"), Column("unit", STR), label["Måleenhed"], ",", log)
    else:
        unit = pd.Series(DEFAULT_UNIT, index=keep, dtype="str")
        log.warn("imp.elo_no_unit", unit="kWh")
        label["Måleenhed"] = label["Mængde"]
    fra, fra_offset = typed_column(raw("Fra_dato"), Column("start", TIMESTAMP), label["Fra_dato"], ",", log)
    til, til_offset = typed_column(raw("Til_dato"), Column("end", TIMESTAMP), label["Til_dato"], ",", log)

    length = til - fra  # wall-clock on purpose: "02:00 -> 03:00" is one hour even on the October night
    whole = whole_periods(fra, length)
    bad_length = length.notna() & ~length.isin(LENGTHS) & ~whole
    for row in length.index[bad_length]:
        log.add("imp.elo_interval", int(row), label["Til_dato"], start=show(raw("Fra_dato")[row]),
                end=show(raw("Til_dato")[row]), minutes=float(length[row].total_seconds() / 60))
    start, status = localise(fra, fra_offset, gsrn.fillna(""))
    report_local_time(status, label["Fra_dato"], raw("Fra_dato"), log)
    end = start + length.where(~bad_length & ~whole)
    if whole.any():  # a day, month or year ends at local midnight: 23 or 25 hours across a DST change
        end[whole], _ = localise(til[whole], til_offset[whole])

    meter_id, value = _map_meters(gsrn, unit, value, label, _gsrn_index(meters), log)
    frame = pd.DataFrame({"meter_id": meter_id.astype("str"), "start": start, "end": end,
                          "value": value.astype("Float64"), "quality": quality.loc[keep].astype("str")},
                         index=keep)
    frame.index.name = "row"
    check_duplicates(frame, readings.key, {"meter_id": gsrn, "start": raw("Fra_dato")}, log)
    return frame


def _map_meters(gsrn: pd.Series, unit: pd.Series, value: pd.Series, label: dict[str, str],
                by_gsrn: dict[str, tuple[str, str]], log: ProblemLog) -> tuple[pd.Series, pd.Series]:
    """GSRN -> meter_id, and the value in the meter's unit; one problem per unknown GSRN or unit pair."""
    meter_id = pd.Series(None, index=gsrn.index, dtype=object)
    value = value.astype("float64")
    for code, rows in gsrn.dropna().groupby(gsrn.dropna(), sort=False):
        if code not in by_gsrn:
            key = "imp.excel_rounded" if excel_rounded(code) else "imp.elo_unknown_gsrn"
            log.add(key, int(rows.index[0]), label["MålepunktsID"], value=code, count=len(rows))
            continue
        mid, meter_unit = by_gsrn[code]
        meter_id[rows.index] = mid
        units = unit[rows.index]
        for src, unit_rows in units.dropna().groupby(units.dropna(), sort=False):
            factor = _unit_factor(src, meter_unit)
            if factor is None:
                log.add("imp.elo_unit", int(unit_rows.index[0]), label["Måleenhed"], unit=src, meter=mid,
                        meter_unit=meter_unit, count=len(unit_rows))
                value[unit_rows.index] = float("nan")
            elif factor != 1.0:
                value[unit_rows.index] = value[unit_rows.index] * factor
                log.warn("imp.elo_converted", None, label["Mængde"], unit=src, meter=mid, meter_unit=meter_unit,
                         factor=factor)
    return meter_id, value
