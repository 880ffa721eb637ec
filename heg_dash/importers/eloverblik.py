"""The Eloverblik CSV export -> readings.

``MålepunktsID;Fra_dato;Til_dato;Mængde;Måleenhed;Kvalitet;Type``, ``;``-separated, decimal comma, UTF-8
with BOM, ``dd-mm-yyyy HH:MM:SS`` in Danish local time. Rules:

- MålepunktsID is matched to a meter by ``meters.gsrn``; an unknown GSRN is a problem.
- start = Fra_dato, localised per metering point in file order (the repeated October hour: first summer
  time, then winter time). The interval's length is Til_dato − Fra_dato read as wall-clock and must be
  1 hour or 15 minutes; end = start + that length. Til_dato itself is never localised: around a DST
  change an export may name an end that does not exist or repeats.
- Kvalitet: Målt/A04 -> measured, A01/A03/A05 -> estimated, A02 (no reading) -> the row is skipped and
  counted in a warning.
- Måleenhed (KWH) must fit the meter's unit. Energy units convert: a kWh export into an MWh meter is
  multiplied by 0.001 (GJ likewise, via datasets.KWH_PER_UNIT), with a warning naming the meter; any other
  mismatch (kWh into a water meter) is a problem.
"""

from __future__ import annotations

import pandas as pd

from heg_dash import datasets
from heg_dash.datasets import FLOAT, STR, TIMESTAMP, Column
from heg_dash.importers.read import RawTable
from heg_dash.importers.validate import (
    ProblemLog,
    check_duplicates,
    empty_frame,
    is_missing,
    localise,
    match_header,
    raw_column,
    report_local_time,
    show,
    typed_column,
)

HEADER = ["MålepunktsID", "Fra_dato", "Til_dato", "Mængde", "Måleenhed", "Kvalitet", "Type"]
REQUIRED = HEADER[:6]  # Type ("Tidsserie") carries nothing we use
QUALITY = {"målt": "measured", "a04": "measured", "a01": "estimated", "a03": "estimated",
           "a05": "estimated", "a02": None}
LENGTHS = (pd.Timedelta(hours=1), pd.Timedelta(minutes=15))
_KWH_PER_UNIT = {u.lower(): f for u, f in datasets.KWH_PER_UNIT.items()}


def is_eloverblik(header: list[str]) -> bool:
    """The export's header: MålepunktsID and Fra_dato among the column names."""
    names = {h.strip().lower() for h in header}
    return {"målepunktsid", "fra_dato"} <= names


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
    mapping = match_header(table, HEADER, REQUIRED, log)
    if mapping is None:
        return empty_frame(readings)
    if table.cells.empty:
        log.add("imp.no_rows")
        return empty_frame(readings)
    if meters is None:
        log.add("imp.elo_needs_meters")
        return empty_frame(readings)
    label = {name: table.header[pos] for name, pos in mapping.items()}
    quality, skip = _quality(table, mapping["Kvalitet"], label["Kvalitet"], log)
    if skip.any():
        log.warn("imp.elo_a02_skipped", count=int(skip.sum()))
    keep = table.cells.index[~skip.to_numpy()]

    def raw(name: str) -> pd.Series:
        return raw_column(table, mapping[name]).loc[keep]

    gsrn, _ = typed_column(raw("MålepunktsID"), Column("gsrn", STR), label["MålepunktsID"], ",", log)
    value, _ = typed_column(raw("Mængde"), Column("value", FLOAT, min=0), label["Mængde"], table.decimal, log)
    unit, _ = typed_column(raw("Måleenhed"), Column("unit", STR), label["Måleenhed"], ",", log)
    fra, fra_offset = typed_column(raw("Fra_dato"), Column("start", TIMESTAMP), label["Fra_dato"], ",", log)
    til, _ = typed_column(raw("Til_dato"), Column("end", TIMESTAMP), label["Til_dato"], ",", log)

    length = til - fra  # wall-clock on purpose: "02:00 -> 03:00" is one hour even on the October night
    bad_length = length.notna() & ~length.isin(LENGTHS)
    for row in length.index[bad_length]:
        log.add("imp.elo_interval", int(row), label["Til_dato"], start=show(raw("Fra_dato")[row]),
                end=show(raw("Til_dato")[row]), minutes=float(length[row].total_seconds() / 60))
    start, status = localise(fra, fra_offset, gsrn.fillna(""))
    report_local_time(status, label["Fra_dato"], raw("Fra_dato"), log)
    end = start + length.where(~bad_length)

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
            log.add("imp.elo_unknown_gsrn", int(rows.index[0]), label["MålepunktsID"], value=code, count=len(rows))
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
