"""A chart's text alternative, read from its finished Vega-Lite spec: its data as a table (the encoded fields,
headed by their axis or tooltip titles) and a one-sentence summary (what it shows and its headline figure).

Generic on purpose, so every chart gets one without code of its own; a page can still pass its own sentence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from heg_dash.i18n import fmt_number, t

_NOT_DATA = {"geometry", "type", "id", "bbox"}  # GeoJSON keys beside a feature's properties
# Axis, legend and title text: Streamlit's chart theme draws them in #808495, 3.7:1 on white (WCAG asks 4.5).
LABEL_INK = "#4D5260"
LABEL_CONFIG = {part: {"labelColor": LABEL_INK, "titleColor": LABEL_INK} for part in ("axis", "legend", "header")}
LABEL_CONFIG["title"] = {"color": LABEL_INK, "subtitleColor": LABEL_INK}


@dataclass(frozen=True)
class Fields:
    """What the encodings say: field → title, and the measure, category and series fields when there are."""

    titles: dict[str, str]
    measure: str | None
    category: str | None
    series: str | None


def _walk(node: object) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _column(field: str) -> str:
    return field.removeprefix("properties.")


def fields(spec: dict) -> Fields:
    titles: dict[str, str] = {}
    measure = category = series = None
    shade = first_tip = None  # a quantitative colour (a map's measure) and the first tooltip field
    for node in _walk({k: v for k, v in spec.items() if k not in ("datasets", "data")}):
        field = node.get("field")
        if isinstance(field, str) and field:
            title = node.get("title")
            if not isinstance(title, str) and isinstance(node.get("axis"), dict):
                title = node["axis"].get("title")
            if isinstance(title, str) and title and titles.get(_column(field)) in (None, _column(field)):
                titles[_column(field)] = title
            titles.setdefault(_column(field), _column(field))
        encoding = node.get("encoding")
        if not isinstance(encoding, dict):
            continue
        x, y, colour = (encoding.get(c) if isinstance(encoding.get(c), dict) else {} for c in ("x", "y", "color"))
        for value, other in ((y, x), (x, y)):
            if measure is None and value.get("type") == "quantitative" and value.get("field"):
                measure = _column(value["field"])
                category = _column(other["field"]) if other.get("field") else None
        if series is None and colour.get("type") == "nominal" and colour.get("field"):
            series = _column(colour["field"])
        if shade is None and colour.get("type") == "quantitative" and colour.get("field"):
            shade = _column(colour["field"])
        tips = encoding.get("tooltip")
        if first_tip is None and isinstance(tips, list) and tips and isinstance(tips[0], dict):
            first_tip = _column(tips[0].get("field") or "") or None
    if measure is None and shade is not None:
        measure, category = shade, first_tip
    return Fields(titles, measure, category, series)


def _frame(rows: object) -> pd.DataFrame | None:
    if isinstance(rows, bytes):
        return pa.RecordBatchStreamReader(rows).read_pandas()
    if isinstance(rows, list) and rows and isinstance(rows[0], dict):
        if rows[0].get("type") == "Feature":
            return pd.DataFrame([r.get("properties") or {} for r in rows])
        return pd.DataFrame([{k: v for k, v in r.items() if k not in _NOT_DATA} for r in rows])
    return None


def _datasets(spec: dict) -> Iterator[pd.DataFrame]:
    for rows in (spec.get("datasets") or {}).values():
        if (frame := _frame(rows)) is not None:
            yield frame
    for node in _walk({k: v for k, v in spec.items() if k != "datasets"}):
        data = node.get("data")
        if isinstance(data, dict) and (frame := _frame(data.get("values"))) is not None:
            yield frame


def has_data(spec: dict) -> bool:
    """Whether the chart has data for a table, without reading it (``data_table`` converts every dataset)."""
    if not fields(spec).titles:
        return False
    if any(rows for rows in (spec.get("datasets") or {}).values()):
        return True
    return any(isinstance(node.get("data"), dict) and node["data"].get("values")
               for node in _walk({k: v for k, v in spec.items() if k != "datasets"}))


def data_table(spec: dict) -> pd.DataFrame:
    """The chart's data: of its datasets the one that carries most of the encoded fields (the background of a
    map carries none), only those columns, headed by their titles."""
    found = fields(spec)
    best, best_score = pd.DataFrame(), (0, 0)
    for frame in _datasets(spec):
        score = (sum(c in found.titles for c in frame.columns), len(frame))
        if score > best_score:
            best, best_score = frame, score
    keep = [c for c in found.titles if c in best.columns]
    titled = [c for c in keep if found.titles[c] != c]
    keep = titled or keep  # a field without a title is the raw twin of a titled one (a tooltip's text)
    if not keep:
        return best
    table = best[keep].rename(columns=found.titles)
    table = table.loc[:, ~table.columns.duplicated()]
    return table.assign(**{name: _formatted(table[name]) for name in table.columns
                           if pd.api.types.is_numeric_dtype(table[name])})


def _formatted(column: pd.Series) -> list[str]:
    """Numbers as the UI writes them (1.318,1 in Danish): whole numbers and big ones without decimals."""
    values = pd.to_numeric(column, errors="coerce")
    finite = values.dropna()
    whole = bool(len(finite)) and (finite % 1 == 0).all()
    if whole and finite.between(1900, 2100).all():  # years: 2025, not 2.025
        return [str(int(v)) if pd.notna(v) else fmt_number(None) for v in values]
    decimals = 0 if whole or finite.abs().max() >= 100 else 1 if finite.abs().max() >= 1 else 2
    return [fmt_number(v, decimals) if pd.notna(v) else fmt_number(None) for v in values]


def _number(value: float) -> str:
    return fmt_number(value, 0 if abs(value) >= 100 or float(value).is_integer() else 1)


def _at(row: pd.Series, found: Fields) -> str:
    parts = [str(row[c]) for c in (found.category, found.series) if c and c in row.index and pd.notna(row[c])]
    return ", ".join(p.removesuffix("T00:00:00") for p in parts)


def summary(spec: dict, title: str) -> str:
    """One sentence: the title, the measure, and its latest and highest value (categories in order: years,
    dates) or its highest and lowest (unordered categories), each with where it is."""
    found = fields(spec)
    own = spec.get("title")
    own = own.get("text") if isinstance(own, dict) else own
    if isinstance(own, str) and own and own != title:
        title = f"{title} ({own})"
    frame = None
    for candidate in _datasets(spec):
        if found.measure in candidate.columns and (frame is None or len(candidate) > len(frame)):
            frame = candidate
    if frame is None:
        table = data_table(spec)
        return t("chart.summary.items", title=title, n=fmt_number(len(table))) if len(table) else \
            t("chart.summary.empty", title=title)
    values = pd.to_numeric(frame[found.measure], errors="coerce")
    frame = frame.assign(_value=values).dropna(subset=["_value"])
    if found.series in frame.columns and not frame.empty:  # the first series: the actual values, not the target
        frame = frame[frame[found.series] == frame[found.series].iloc[0]]
    if frame.empty:
        return t("chart.summary.empty", title=title)
    measure = found.titles.get(found.measure, found.measure)
    high, low = frame.loc[frame["_value"].idxmax()], frame.loc[frame["_value"].idxmin()]
    ordered = found.category in frame.columns and (
        pd.api.types.is_numeric_dtype(frame[found.category]) or pd.api.types.is_datetime64_any_dtype(
            frame[found.category]) or _looks_like_dates(frame[found.category]))
    if ordered:
        last = frame.sort_values(found.category, kind="stable").iloc[-1]
        return t("chart.summary.ordered", title=title, measure=measure, latest=_number(last["_value"]),
                 latest_at=_at(last, found), high=_number(high["_value"]), high_at=_at(high, found))
    return t("chart.summary.unordered", title=title, measure=measure, high=_number(high["_value"]),
             high_at=_at(high, found), low=_number(low["_value"]), low_at=_at(low, found), n=fmt_number(len(frame)))


def _looks_like_dates(column: pd.Series) -> bool:
    sample = column.dropna().astype(str).head(5)
    return bool(len(sample)) and sample.str.match(r"^\d{4}(-\d{2})?").all()
