"""Register readings -> interval use.

A register (counter) is read by hand at irregular times: ``meter_id, read_at, register_value``. Per meter
the reads are sorted by ``read_at`` and each consecutive pair becomes one reading: start = the previous
read_at, end = this read_at, value = the difference. A counter that goes down is a problem naming the row
(meter replacement and rollover are not guessed at). A meter's first read only anchors the next one; a
meter with a single read gives no use and a warning. The output has the readings shape and is indexed by
the row of the later read; quality is "measured".
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from heg_dash import datasets
from heg_dash.datasets import FLOAT, STR, TIMESTAMP, Column, Dataset
from heg_dash.importers.problems import ProblemLog, show
from heg_dash.importers.read import RawTable
from heg_dash.importers.validate import check_duplicates, check_references, empty_frame, typed_frame

HEADER = ("meter_id", "read_at", "register_value")
# A pseudo-dataset so the generic typing, local-time and key rules apply; named "readings" so that
# REFERENCES' (readings, meter_id) -> meters check applies too.
REGISTER = Dataset("readings", ("meter_id", "read_at"), (
    Column("meter_id", STR), Column("read_at", TIMESTAMP), Column("register_value", FLOAT, min=0),
))


def is_register(header: list[str]) -> bool:
    """The register header: read_at and register_value among the column names."""
    names = {h.strip().lower() for h in header}
    return {"read_at", "register_value"} <= names


def parse_register(table: RawTable, log: ProblemLog, *,
                   known_keys: Mapping[tuple[str, str], set[str]] | None = None,
                   meters: pd.DataFrame | None = None) -> pd.DataFrame:
    """Register reads -> the readings frame (see the module docstring for the rule)."""
    readings = datasets.get("readings")
    if table.cells.empty:
        log.add("imp.no_rows")
    typed = typed_frame(table, REGISTER, log)
    if typed is None:
        return empty_frame(readings)
    reads, labels, raws = typed
    check_duplicates(reads, REGISTER.key, raws, log)
    check_references(reads, "readings", labels, known_keys, log, meters)

    usable = reads.dropna().sort_values(["meter_id", "read_at"], kind="stable")
    usable = usable[~usable.duplicated(["meter_id", "read_at"])]  # a repeated read is already a problem
    by_meter = usable.groupby("meter_id", sort=False)
    previous = pd.DataFrame({
        "start": by_meter["read_at"].shift(),
        "before": by_meter["register_value"].shift(),
        "before_row": pd.Series(usable.index, index=usable.index).groupby(usable["meter_id"]).shift(),
    })
    pairs = usable.join(previous)
    pairs = pairs[pairs["start"].notna()]
    value = pairs["register_value"] - pairs["before"]
    for row in pairs.index[(value < 0).fillna(False).astype(bool)]:
        before_row = int(pairs.at[row, "before_row"])
        log.add("imp.reg_decreasing", int(row), labels["register_value"], value=show(raws["register_value"][row]),
                previous=show(raws["register_value"][before_row]), previous_row=before_row)
    for meter, count in by_meter.size().items():
        if count == 1:
            log.warn("imp.reg_single", None, labels["meter_id"], meter=meter)

    frame = pd.DataFrame({
        "meter_id": pairs["meter_id"].astype("str"),
        "start": pairs["start"].astype(reads["read_at"].dtype),
        "end": pairs["read_at"],
        "value": value.where(value >= 0).astype("Float64"),
        "quality": pd.Series("measured", index=pairs.index, dtype="str"),
    }, index=pairs.index)
    frame.index.name = "row"
    return frame
