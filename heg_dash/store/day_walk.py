"""The walk behind ``readings_daily`` (``store.rollup``): readings sorted by meter and start, summed per meter and
Danish local day with numpy — each reading next to the one before it, runs of equal values, the hours' grid
intensity — in pieces of whole meters, and back as Arrow rows of the table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from heg_dash.config import TIMEZONE
from heg_dash.metrics.quality import FLAT_RUN_ROWS

# Readings walked at once: the walk's temporary arrays then stay small, so they are reused from the heap and
# cached instead of fresh memory for each (a whole million rows at once took three times as long).
PIECE_ROWS = 250_000


_TIMES = ("first_start", "last_start", "last_end", "end_of_last")  # the columns that are µs since the epoch


HOUR_US = 3_600_000_000


DAY_US = 24 * HOUR_US


def local_days(start_us: np.ndarray, hour: np.ndarray) -> np.ndarray:
    """The Danish local day (days since 1970-01-01) of each UTC start (µs since the epoch); ``hour``: the
    starts' UTC hour numbers (``start_us // HOUR_US``).

    The UTC offset is looked up once per UTC hour of the range: Danish offsets change only on whole UTC
    hours, so every start in an hour has its hour's offset (a time zone conversion per row costs more).
    """
    if not len(start_us):
        return np.empty(0, np.int64)
    first = int(hour.min())
    hours_us = np.arange(first, int(hour.max()) + 1, dtype=np.int64) * HOUR_US
    wall = pd.DatetimeIndex(hours_us.view("M8[us]")).tz_localize("UTC").tz_convert(TIMEZONE).tz_localize(None)
    offset = wall.asi8 - hours_us
    return (start_us + offset[hour - first]) // DAY_US


class GridByHour:
    """Each UTC hour's grid intensity, as a dense array over the hours from the first to the last."""

    def __init__(self, hours: np.ndarray, g: np.ndarray) -> None:
        self.first = int(hours.min()) if len(hours) else 0
        size = int(hours.max()) - self.first + 1 if len(hours) else 1
        self.g, self.known = np.zeros(size), np.zeros(size, bool)
        self.g[hours - self.first], self.known[hours - self.first] = g, True

    def period(self, first_hour: np.ndarray, end_hour: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(the average intensity of the hours from ``first_hour`` up to ``end_hour`` (exclusive) that have
        one, whether any has) per reading. Each period summed on its own (``reduceat`` over the bounds), not as
        a difference of running sums, which would lose the last digits of a month's average."""
        lo = np.clip(first_hour - self.first, 0, len(self.g))
        hi = np.maximum(np.clip(end_hour - self.first, 0, len(self.g)), lo)
        bounds = np.column_stack([lo, hi]).ravel()
        g, known = np.append(self.g * self.known, 0.0), np.append(self.known, False).astype(np.int64)
        sums, n = (np.add.reduceat(x, bounds)[::2] for x in (g, known))
        empty = hi == lo  # reduceat gives the element at lo for an empty range
        n = np.where(empty, 0, n)
        return np.divide(sums, n, out=np.zeros(len(n)), where=n > 0), n > 0

    def at(self, hour: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(intensity, known) per UTC hour number (hours since the epoch)."""
        index = hour - self.first
        inside = (index >= 0) & (index < len(self.g))
        if not inside.all():
            index = np.where(inside, index, 0)
        return self.g[index], self.known[index] & inside


def day_parts(meter: np.ndarray, start_us: np.ndarray, end_us: np.ndarray, value: np.ndarray,
              value_valid: np.ndarray, grid: GridByHour) -> dict[str, np.ndarray]:
    """The table's columns per meter and local day, from readings sorted by (meter, start).

    ``meter`` is any integer code per reading; ``value`` is read only where ``value_valid`` (SQL NULL
    elsewhere). Returns per day: ``meter`` (the code), ``day`` (days since 1970-01-01) and every column of
    the table but ``meter_id``, with ``<name>_valid`` masks for the columns SQL leaves NULL.
    """
    n = len(start_us)
    if not n:
        return {}
    hour = start_us // HOUR_US
    day = local_days(start_us, hour)
    intensity, known = grid.at(hour)
    long = end_us - start_us > HOUR_US
    if long.any():  # a day's or a month's use: the average intensity of its hours
        intensity, known = intensity.copy(), known.copy()
        intensity[long], known[long] = grid.period(hour[long], -(-end_us[long] // HOUR_US))
    first = np.ones(n, bool)  # the first reading of its meter-day
    first[1:] = (meter[1:] != meter[:-1]) | (day[1:] != day[:-1])
    begins = np.flatnonzero(first)
    ends = np.append(begins[1:], n)  # one past each day's last reading
    last = ends - 1
    all_valued = bool(value_valid.all())  # always, for imported readings: the masks below are then skipped

    def total(x: np.ndarray, keep: np.ndarray | None = None) -> np.ndarray:
        return np.add.reduceat(x if keep is None or keep.all() else np.where(keep, x, 0), begins,
                               dtype=np.int64 if x.dtype == bool else None)

    def sql_sum(x: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(the sum over the kept rows, whether any row was kept): SQL's sum is NULL over no rows."""
        return total(x, keep), total(keep) > 0

    with_grid = value_valid & known
    without_grid = value_valid & ~known
    # Bit i: the i-th UTC hour from the local day's date at 00:00 UTC minus two hours.
    hour_bit = np.left_shift(np.int64(1), hour - (day * 24 - 2))

    def bits(keep: np.ndarray) -> np.ndarray:
        return np.bitwise_or.reduceat(hour_bit if keep.all() else np.where(keep, hour_bit, 0), begins)

    # First and last value: of the first and last reading with a value (as SQL's arg_min/arg_max).
    if all_valued:
        first_valued, last_valued = begins, last
    else:
        position = np.arange(n)
        first_valued = np.minimum.reduceat(np.where(value_valid, position, n), begins)
        last_valued = np.maximum.reduceat(np.where(value_valid, position, -1), begins)

    # Each reading against the one before it in the same day.
    step = np.empty_like(start_us)
    step[0] = 0
    np.subtract(start_us[1:], end_us[:-1], out=step[1:])
    gap = ~first & (step > 0)
    overlap = ~first & (step < 0)
    # Runs of equal values (NULL equals NULL and NaN equals NaN, as IS NOT DISTINCT FROM): their starts, lengths.
    same = np.zeros(n, bool)
    same[1:] = value[1:] == value[:-1]
    if not all_valued or np.isnan(value).any():
        same[1:] = (value_valid[1:] == value_valid[:-1]) & (
            ~value_valid[1:] | same[1:] | (np.isnan(value[1:]) & np.isnan(value[:-1])))
    run_begins = np.flatnonzero(first | ~same)
    run_length = np.diff(np.append(run_begins, n))
    first_run = np.searchsorted(run_begins, begins)
    last_run = np.append(first_run[1:], len(run_begins)) - 1
    inner = np.ones(len(run_begins), bool)
    inner[first_run] = False
    inner[last_run] = False
    flat = np.add.reduceat(np.where(inner & (run_length >= FLAT_RUN_ROWS), run_length, 0), first_run)

    value_sum, value_sum_valid = sql_sum(value, value_valid)
    weighted, weighted_valid = sql_sum(value * intensity, with_grid)
    no_grid, no_grid_valid = sql_sum(value, without_grid)
    return {
        "meter": meter[begins], "day": day[begins],
        "value": value_sum, "value_valid": value_sum_valid, "readings": ends - begins,
        "first_start": start_us[begins], "last_start": start_us[last],
        "grid_weighted": weighted, "grid_weighted_valid": weighted_valid,
        "value_without_grid": no_grid, "value_without_grid_valid": no_grid_valid,
        "hours": bits(value_valid), "hours_without_grid": bits(without_grid),
        "last_end": np.maximum.reduceat(end_us, begins), "end_of_last": end_us[last],
        "covered_s": total(end_us - start_us) / 1e6,
        "first_value": value[np.minimum(first_valued, n - 1)], "first_value_valid": first_valued < ends,
        "last_value": value[np.maximum(last_valued, 0)], "last_value_valid": last_valued >= begins,
        "inner_gaps": total(gap), "inner_gap_s": total(step, gap) / 1e6, "inner_overlaps": total(overlap),
        "head_run": run_length[first_run], "tail_run": run_length[last_run], "inner_flat": flat,
    }


def arrow_days(parts: dict[str, np.ndarray], meter_ids: list[str]) -> pa.Table:
    """:func:`day_parts` as the table's rows (``meter_ids[code]`` is each code's meter)."""
    utc = pa.timestamp("us", tz="UTC")
    columns = {"meter_id": pa.array(meter_ids, pa.string()).take(pa.array(parts["meter"])),
               "day": pa.array(parts["day"].astype(np.int32), pa.date32())}
    for name, values in parts.items():
        if name in columns or name == "meter" or name.endswith("_valid"):
            continue
        valid = parts.get(name + "_valid")
        kind = utc if name in _TIMES else None
        columns[name] = pa.array(values, type=kind, mask=None if valid is None else ~valid)
    return pa.table(columns)


def reading_arrays(readings: pa.Table) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(start, end, value, value_valid) of ``readings`` (start/end as µs or timestamps): µs since the epoch,
    and the values with SQL NULL as 0 beside the mask of the valid ones."""
    start_us, end_us = (micros(readings.column(name)) for name in ("start", "end"))
    value = readings.column("value")
    valid = value.is_valid().to_numpy(zero_copy_only=False)
    return start_us, end_us, (value.fill_null(0.0) if value.null_count else value).to_numpy(), valid


def walk(meter: np.ndarray, start_us: np.ndarray, end_us: np.ndarray, value: np.ndarray, valid: np.ndarray,
          grid: GridByHour) -> dict[str, np.ndarray]:
    """:func:`day_parts` of readings sorted by meter code and start, in pieces of whole meters."""
    pieces = [day_parts(meter[a:b], start_us[a:b], end_us[a:b], value[a:b], valid[a:b], grid)
              for a, b in meter_pieces(meter)]
    return {name: np.concatenate([p[name] for p in pieces]) for name in pieces[0]}


def micros(column: pa.ChunkedArray) -> np.ndarray:
    """µs since the epoch as int64, from µs already or from timestamps of any unit."""
    if pa.types.is_timestamp(column.type):
        column = column.cast(pa.timestamp("us", column.type.tz)).cast(pa.int64())
    return column.to_numpy()


def meter_pieces(meter: np.ndarray) -> list[tuple[int, int]]:
    """Row ranges of whole meters, each at least ``PIECE_ROWS`` rows but the last (a meter is never split)."""
    cuts = [0]
    for change in (np.flatnonzero(meter[1:] != meter[:-1]) + 1).tolist():
        if change - cuts[-1] >= PIECE_ROWS:
            cuts.append(change)
    return list(zip(cuts, cuts[1:] + [len(meter)], strict=True))
