"""Raw cells -> a typed frame that follows a dataset's declaration, with every problem pointing at its place.

The rules come from ``heg_dash.datasets``: columns, types, required, closed lists, min/max, patterns and
REFERENCES. On top of those: formula-like text is refused (it would run when an export is opened in a
spreadsheet), naive timestamps are Danish local time, natural keys are unique within a file, and a few
cross-column rules (an interval ends after it starts; a meter's unit fits its utility).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from heg_dash import datasets
from heg_dash.datasets import BOOL, DATE, FLOAT, INT, STR, TIMESTAMP, Column, Dataset
from heg_dash.importers import integrity
from heg_dash.importers.cells import (
    TZ,
    UTC_DTYPE,
    excel_rounded,
    looks_like_formula,
    parse_bools,
    parse_dates,
    parse_numbers,
    parse_texts,
    parse_wall_times,
    present,
    raw_column,
)
from heg_dash.importers.problems import _CONTROL_CHARS, ProblemLog, show
from heg_dash.importers.read import RawTable

DTYPES = {STR: "str", INT: "Int64", FLOAT: "Float64", DATE: "datetime64[us]", TIMESTAMP: UTC_DTYPE,
          BOOL: "boolean"}

# (start column, end column, end must be strictly later) per dataset, from the declarations.
ORDERED: dict[str, tuple[tuple[str, str, bool], ...]] = {
    d.name: d.ordered for d in datasets.DATASETS.values() if d.ordered
}
# Message keys that explain a declared pattern in words; other patterns are shown as they are.
PATTERN_KEYS = {r"\d{18}": "imp.pattern_gsrn", r"\d{1,2}(;\d{1,2})*": "imp.pattern_sdg_goals",
                datasets.METER_IDS_PATTERN: "imp.pattern_meter_ids"}
CODE_KEYS = {"country": "imp.not_country"}  # the message for a value missing from a Column.codes list


# ---------------------------------------------------------------------------------------------- problems


# ------------------------------------------------------------------------------------------------ header

def match_header(table: RawTable, names: list[str], required: list[str], log: ProblemLog) -> dict[str, int] | None:
    """Map contract column -> cell position, comparing names trimmed and case-insensitively.

    Missing required columns: one problem naming them, and None (nothing else is read). Unknown columns,
    a name given twice, a nameless column with data, or cells beyond the header: problems, reading goes on.
    """
    wanted = {n.lower(): n for n in names}
    mapping: dict[str, int] = {}
    unknown: list[str] = []
    for pos, name in enumerate(table.header):
        key = name.strip().lower()
        if not key:
            if pos in table.cells.columns and present(raw_column(table, pos)).any():
                log.add("imp.unnamed_column", position=pos + 1)
        elif key not in wanted:
            unknown.append(name)
        elif wanted[key] in mapping:
            log.add("imp.duplicate_column", None, name)
        else:
            mapping[wanted[key]] = pos
    missing = [n for n in required if n not in mapping]
    if missing:
        log.add("imp.missing_columns", columns=missing, expected=names)
        return None
    if unknown:
        log.add("imp.unknown_columns", columns=unknown, expected=names)
    beyond = [c for c in table.cells.columns if c >= len(table.header)]
    if beyond:
        has_more = pd.concat([present(raw_column(table, c)) for c in beyond], axis=1).any(axis=1)
        log.add_rows("imp.extra_cells", None, table.cells.index[has_more], columns=len(table.header))
    return mapping


# -------------------------------------------------------------------------------------------- cell types


# ------------------------------------------------------------------------------------------ column rules

def typed_column(raw: pd.Series, col: Column, label: str, decimal: str, log: ProblemLog,
                 formulas: pd.Series | None = None) -> tuple[pd.Series, pd.Series | None]:
    """One column typed and checked: (values, UTC offsets for timestamps else None). ``formulas``: the
    column's Excel formulas without a computed value, by row (named as such, not as empty cells).

    Timestamps come back as naive wall-clock; :func:`localise` turns them into UTC once the whole frame
    (and so each meter's rows) is known.
    """
    offsets = None
    uncomputed = raw.index.isin(formulas.index) if formulas is not None else np.zeros(len(raw), bool)
    if formulas is not None:
        log.add_rows("imp.formula_no_value", label, formulas.index, formulas)
    if col.type in (INT, FLOAT):
        values, errors = parse_numbers(raw, decimal)
        if col.type == INT:
            fractional = values.notna() & (values % 1 != 0)
            errors[fractional] = "imp.not_integer"
            values[fractional] = np.nan
    elif col.type == DATE:
        values, errors = parse_dates(raw)
    elif col.type == TIMESTAMP:
        values, offsets, errors = parse_wall_times(raw)
    elif col.type == BOOL:
        values, errors = parse_bools(raw)
    else:
        values, errors = parse_texts(raw)
    for key in errors.dropna().unique():
        log.add_rows(key, label, errors.index[errors == key], raw)
    values = values.where(errors.isna())
    if col.required:
        log.add_rows("imp.required", label, raw.index[~present(raw) & ~uncomputed])
    values = _check_values(values, col, label, raw, log)
    if col.type in (INT, FLOAT):
        values = values.round().astype("Int64") if col.type == INT else values.astype("Float64")
    elif col.type == STR:
        values = values.astype("str")
    return values, offsets


def _check_values(values: pd.Series, col: Column, label: str, raw: pd.Series, log: ProblemLog) -> pd.Series:
    """Closed lists (case-insensitive, stored in the declared spelling), min/max, pattern, formulas."""
    has = values.notna()
    if col.type == STR and has.any():
        formula = has & values.str.match(r"[=+\-@]").fillna(False).astype(bool)
        formula[formula] = values[formula].map(looks_like_formula).astype(bool)
        log.add_rows("imp.formula", label, values.index[formula], raw)
        values = values.where(~formula)
        has = values.notna()
    if col.allowed is not None and has.any():
        canonical = {a.lower(): a for a in col.allowed}
        fixed = values[has].str.lower().map(canonical)
        bad = fixed.isna()
        log.add_rows("imp.not_allowed", label, fixed.index[bad], raw, allowed=list(col.allowed))
        values = values.copy()
        values[has] = fixed
    if col.min is not None:
        low = has & (values < col.min).fillna(False).astype(bool)
        log.add_rows("imp.below_min", label, values.index[low], raw, min=float(col.min))
        values = values.where(~low)
    if col.max is not None:
        high = has & (values > col.max).fillna(False).astype(bool)
        log.add_rows("imp.above_max", label, values.index[high], raw, max=float(col.max))
        values = values.where(~high)
    if col.pattern is not None and has.any():
        good = values[has].str.fullmatch(col.pattern).fillna(False).astype(bool)
        key = PATTERN_KEYS.get(col.pattern, "imp.pattern")
        rounded = values[has].map(excel_rounded).astype(bool) & ~good
        log.add_rows("imp.excel_rounded", label, rounded.index[rounded], raw)
        log.add_rows(key, label, good.index[~good & ~rounded], raw, pattern=col.pattern)
        values = values.where(~values.index.isin(good.index[~good]))
        has = values.notna()
    if col.codes is not None and has.any():  # a code list: case-insensitive, stored in capitals
        codes = datasets.CODE_LISTS[col.codes]()
        upper = values[has].str.upper()
        bad = ~upper.isin(codes)
        log.add_rows(CODE_KEYS[col.codes], label, upper.index[bad], raw)
        values = values.copy()
        values[has] = upper.where(~bad)
    return values


# ---------------------------------------------------------------------------------------- local time

def localise(wall: pd.Series, offset: pd.Series, groups: pd.Series | None = None
             ) -> tuple[pd.Series, pd.Series]:
    """Wall-clock timestamps -> UTC: (utc, status) with status "nonexistent"/"ambiguous" where that failed.

    With an offset the time is exact. Without one it is Danish local time, localised per group (meter)
    in file order: the repeated October hour is inferred from the order it appears in (the first is
    summer time), and a March time that does not exist is reported, never shifted.
    """
    utc = pd.Series(pd.NaT, index=wall.index, dtype=UTC_DTYPE)
    status = pd.Series(None, index=wall.index, dtype=object)
    exact = wall.notna() & offset.notna()
    if exact.any():
        utc[exact] = (wall[exact] - pd.to_timedelta(offset[exact], unit="min")).dt.tz_localize("UTC")
    naive = wall.notna() & offset.isna()
    if not naive.any():
        return utc, status
    ids = groups if groups is not None else pd.Series(0, index=wall.index)
    for _, part in wall[naive].groupby(ids[naive], sort=False):
        local = part.dt.tz_localize(TZ, ambiguous="NaT", nonexistent="NaT")
        unresolved = part[local.isna()]
        if not unresolved.empty:
            forced = unresolved.dt.tz_localize(TZ, ambiguous=np.ones(len(unresolved), bool), nonexistent="NaT")
            status[forced.index[forced.isna()]] = "nonexistent"
            repeated = unresolved[forced.notna()]
            # Infer each day's repeated hour on its own: several Octobers in one file are several switches.
            for _, chunk in repeated.groupby(repeated.dt.date, sort=False):
                try:
                    local[chunk.index] = chunk.dt.tz_localize(TZ, ambiguous="infer")
                except ValueError:
                    status[chunk.index] = "ambiguous"
        utc[part.index] = local.dt.tz_convert("UTC")
    return utc, status


def report_local_time(status: pd.Series, label: str, raw: pd.Series, log: ProblemLog) -> None:
    log.add_rows("imp.nonexistent_time", label, status.index[status == "nonexistent"], raw)
    log.add_rows("imp.ambiguous_time", label, status.index[status == "ambiguous"], raw)


# -------------------------------------------------------------------------------------- cross-row rules

def check_order(frame: pd.DataFrame, dataset: str, labels: Mapping[str, str], raws: Mapping[str, pd.Series],
                log: ProblemLog) -> None:
    """An interval's end comes after its start (readings, prices); an end date is not before its start."""
    for start, end, strict in ORDERED.get(dataset, ()):
        both = frame[start].notna() & frame[end].notna()
        wrong = both & ((frame[end] <= frame[start]) if strict else (frame[end] < frame[start]))
        key = "imp.end_not_after_start" if strict else "imp.end_before_start"
        for row in frame.index[wrong.fillna(False).astype(bool)]:
            log.add(key, int(row), labels[end], start=show(raws[start][row]), end=show(raws[end][row]),
                    start_column=labels[start])


def check_meter_units(frame: pd.DataFrame, labels: Mapping[str, str], log: ProblemLog) -> None:
    """A meter's unit must be one its utility is read in (datasets.METER_UNITS)."""
    both = frame["unit"].notna() & frame["utility"].notna()
    for row in frame.index[both]:
        utility, unit = frame.at[row, "utility"], frame.at[row, "unit"]
        allowed = datasets.METER_UNITS.get(utility, ())
        if unit not in allowed:
            log.add("imp.unit_for_utility", int(row), labels["unit"], unit=unit, utility=utility,
                    allowed=list(allowed))


def check_together(frame: pd.DataFrame, ds: Dataset, labels: Mapping[str, str], raws: Mapping[str, pd.Series],
                   log: ProblemLog) -> None:
    """Columns declared to be filled together (``Dataset.together``): a row that fills any of a group or its
    followers fills the whole group; each empty cell of the group is named. A cell counts as filled when it
    holds anything (a wrong value has its own problem already)."""
    for group in ds.together:
        wanted = [c for c in (*group.columns, *group.followers) if c in frame.columns]
        if not wanted:
            continue
        filled = pd.DataFrame({c: (raws[c].notna() & present(raws[c])).to_numpy(dtype=bool) for c in wanted},
                              index=frame.index)
        started = filled.any(axis=1)
        for name in group.columns:
            empty = started & ~filled[name] if name in filled.columns else started
            given = [c for c in wanted if c != name]
            for row in frame.index[empty.to_numpy(dtype=bool)]:
                log.add("imp.fill_together", int(row), labels.get(name, name), columns=list(group.columns),
                        given=[labels.get(c, c) for c in given if bool(filled.at[row, c])])


def check_key_text(frame: pd.DataFrame, ds: Dataset, labels: Mapping[str, str], raws: Mapping[str, pd.Series],
                   log: ProblemLog) -> None:
    """Ids (keys and the columns that refer to them) hold no control characters: "HOB-\nZ" would be a second
    building that reads like "HOB- Z" in one place and on two lines in another."""
    for name in ds.text_key_columns:
        values = frame[name]
        distinct = pd.Series(values.dropna().unique(), dtype="str")  # a meter's id repeats on every reading
        wrong = distinct[distinct.str.contains(_CONTROL_CHARS, regex=True)]
        if not wrong.empty:
            log.add_rows("imp.control_character", labels[name], frame.index[values.isin(wrong)], raws[name])


def check_integrity(frame: pd.DataFrame, ds: Dataset, labels: Mapping[str, str], log: ProblemLog) -> None:
    """Unique columns and the parent tree among the file's own rows (importers.integrity); the store checks
    them again against the rows it keeps."""
    for breach in integrity.breaches(frame, ds):
        log.add(breach.key, int(frame.index[breach.rows[0]]), labels[breach.column], **breach.values)


def check_duplicates(frame: pd.DataFrame, key: tuple[str, ...], raws: Mapping[str, pd.Series],
                     log: ProblemLog) -> None:
    """Natural keys are unique within a file: each repeat names its own row and the first one."""
    complete = frame[list(key)].notna().all(axis=1)
    sub = frame.loc[complete, list(key)]
    if sub.empty:
        return
    dup = sub.duplicated(keep=False)
    if not dup.any():
        return
    sub = sub[dup]
    codes = sub.groupby(list(key), sort=False).ngroup()
    first = pd.Series(sub.index, index=sub.index).groupby(codes).transform("first")
    for row in sub.index[sub.index != first.values]:
        text = ", ".join(f"{k}={show(raws[k][row])}" for k in key)
        log.add("imp.duplicate_key", int(row), None, fields=text, first=int(first[row]))


def check_references(frame: pd.DataFrame, dataset: str, labels: Mapping[str, str],
                     known_keys: Mapping[tuple[str, str], set[str]] | None, log: ProblemLog,
                     meters: pd.DataFrame | None = None) -> None:
    """Values of REFERENCES columns must exist in the target: ``known_keys`` (stored ∪ the same file).

    A target missing from ``known_keys`` is not checked (the caller did not say what exists), except
    meters, which ``meters`` can vouch for. One problem per unknown value, with its first row and count.
    """
    def known_of(target: tuple[str, str]) -> set[str] | None:
        known = None if known_keys is None else known_keys.get(target)
        if known is None and target == ("meters", "meter_id") and meters is not None:
            known = set(meters["meter_id"].dropna().astype(str))
        return None if known is None else {str(k) for k in known}

    for (ds_name, column), target in datasets.REFERENCES.items():
        if ds_name != dataset or column not in frame.columns:
            continue
        known = known_of(target)
        if known is None:
            continue
        if target[0] == dataset:  # a self-reference (parent meter) may point at a row of this file
            known |= set(frame[target[1]].dropna().astype(str))
        values = frame[column].dropna()
        unknown = values[~values.astype(str).isin(known)]
        for value, rows in unknown.groupby(unknown.astype(str), sort=False):
            log.add("imp.unknown_reference", int(rows.index[0]), labels[column], value=value,
                    dataset=target[0], target=target[1], count=len(rows))
    for (ds_name, column), target in datasets.REFERENCE_LISTS.items():
        if ds_name != dataset or column not in frame.columns:
            continue
        known = known_of(target)
        if known is None:
            continue
        for value, first, count in integrity.unknown_in_lists(frame[column], known):
            log.add("imp.unknown_reference", first, labels[column], value=value, dataset=target[0],
                    target=target[1], count=count)


# ------------------------------------------------------------------------------------------ stored rows

def check_stored(frame: pd.DataFrame, ds: Dataset, log: ProblemLog) -> None:
    """Rows as a database holds them (a backup to restore), checked by every rule an import applies to a
    row's own values: closed lists, ranges, patterns, code lists, formulas, control characters in ids, an
    interval's order, a meter's unit. ``frame`` is indexed by the row's number in its table. The rules across
    rows (keys, references, trees, overlaps) are the caller's, who sees the whole table."""
    labels = {c.name: c.name for c in ds.columns}
    raws: dict[str, pd.Series] = {}
    for col in ds.columns:
        values = frame[col.name]
        if col.type == STR:
            values = values.astype("str")
        raws[col.name] = values.astype(object)
        frame[col.name] = _check_values(values, col, col.name, raws[col.name], log)
    check_order(frame, ds.name, labels, raws, log)
    if ds.name == "meters":
        check_meter_units(frame, labels, log)
    check_together(frame, ds, labels, raws, log)
    check_key_text(frame, ds, labels, raws, log)


# ------------------------------------------------------------------------------------------ the builder

def empty_frame(ds: Dataset) -> pd.DataFrame:
    """No rows, exactly the dataset's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=DTYPES[c.type]) for c in ds.columns},
                        index=pd.Index([], dtype="int64", name="row"))


def typed_frame(table: RawTable, ds: Dataset, log: ProblemLog) -> tuple[pd.DataFrame, dict[str, str],
                                                                        dict[str, pd.Series]] | None:
    """Header check and per-column typing, timestamps localised per group in file order.

    Returns (frame indexed by file row, contract column -> file header label, column -> raw cells), or
    None when required columns are missing. Optional columns left out of the file come back all null.
    """
    mapping = match_header(table, ds.column_names, ds.required_columns, log)
    if mapping is None:
        return None
    labels = {c.name: table.header[mapping[c.name]] if c.name in mapping else c.name for c in ds.columns}
    columns: dict[str, pd.Series] = {}
    offsets: dict[str, pd.Series] = {}
    raws: dict[str, pd.Series] = {}
    for col in ds.columns:
        raw = raw_column(table, mapping.get(col.name))
        raws[col.name] = raw
        if col.name not in mapping:
            columns[col.name] = pd.Series(index=raw.index, dtype=DTYPES[col.type])
            continue
        pos = mapping[col.name]
        formulas = {row: text for (row, at), text in table.uncomputed.items() if at == pos}
        columns[col.name], off = typed_column(raw, col, labels[col.name], table.decimal, log,
                                              pd.Series(formulas, dtype=object) if formulas else None)
        if off is not None:
            offsets[col.name] = off
    frame = pd.DataFrame(columns, index=table.cells.index)
    frame.index.name = "row"
    group_cols = [k for k in ds.key if ds.column(k).type != TIMESTAMP]
    groups = frame.groupby(group_cols, sort=False, dropna=False).ngroup() if group_cols else None
    for name, off in offsets.items():
        frame[name], status = localise(columns[name], off, groups)
        report_local_time(status, labels[name], raws[name], log)
    return frame, labels, raws


def build_frame(table: RawTable, ds: Dataset, log: ProblemLog, *,
                known_keys: Mapping[tuple[str, str], set[str]] | None = None,
                meters: pd.DataFrame | None = None) -> pd.DataFrame:
    """A table file of any dataset -> its typed frame, with every contract and cross-row rule checked."""
    if table.cells.empty:
        log.add("imp.no_rows")
    typed = typed_frame(table, ds, log)
    if typed is None:
        return empty_frame(ds)
    frame, labels, raws = typed
    check_order(frame, ds.name, labels, raws, log)
    if ds.name == "meters":
        check_meter_units(frame, labels, log)
    check_together(frame, ds, labels, raws, log)
    check_key_text(frame, ds, labels, raws, log)
    check_duplicates(frame, ds.key, raws, log)
    check_integrity(frame, ds, labels, log)
    check_references(frame, ds.name, labels, known_keys, log, meters)
    return frame
