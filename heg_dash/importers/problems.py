"""A problem with an imported file, pointing at its place (file, row, column), and the log that collects them:
at most ``MAX_EXAMPLES`` examples per column and rule, the rest counted. Texts through the catalogue."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
from babel import numbers as babel_numbers

from heg_dash import i18n

MAX_EXAMPLES = 20  # problems shown per column and rule; the rest are counted


_CONTROL_CHARS = r"[\x00-\x1f\x7f]"  # a newline or a tab inside an id makes a second id that looks the same


@dataclass
class Problem:
    """One thing wrong, pointing at the place: file, user-visible row (or None), the file's column name."""

    file: str
    row: int | None
    column: str | None
    key: str
    values: dict = field(default_factory=dict)

    def text(self) -> str:
        """The message in the current language, prefixed with file, row and column.

        DA: "heg.csv, række 14, kolonne Mængde: 'abc' er ikke et tal"; GeoJSON: "omrids.geojson, objekt nr. 3: …".
        """
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(i18n.t("imp.at_row", row=self.row))
        if self.column:
            where.append(i18n.t("imp.at_column", column=self.column))
        if "feature" in self.values:  # GeoJSON: the feature's number in the file, counting from 1
            where.append(i18n.t("imp.at_feature", feature=self.values["feature"]))
        message = i18n.t(self.key, **{k: _fmt_value(k, v) for k, v in self.values.items()})
        return f"{', '.join(where)}: {message}" if where else message


def _fmt_value(name: str, value: object) -> str:
    """Counts get thousands separators (1.234); other numbers the local decimal mark only (0,5; 1600)."""
    locale = i18n.LOCALES[i18n.get_language()]
    if name == "count" and isinstance(value, int):
        return babel_numbers.format_decimal(value, format="#,##0", locale=locale)
    if isinstance(value, float):
        return babel_numbers.format_decimal(value, format="0.######", locale=locale)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str):  # a control character shown, not obeyed: "HOB-\nZ" stays on one line
        return re.sub(_CONTROL_CHARS, lambda m: repr(m.group())[1:-1], value)
    return str(value)


class ProblemLog:
    """Collects problems and warnings; at most ``cap`` examples per (column, rule), the rest counted."""

    def __init__(self, file: str, cap: int = MAX_EXAMPLES) -> None:
        self.file = file
        self.cap = cap
        self._buckets: dict[tuple[str | None, str], list[Problem]] = {}
        self._more: dict[tuple[str | None, str], int] = {}
        self.warnings: list[Problem] = []

    def add(self, key: str, row: int | None = None, column: str | None = None, /, **values: object) -> None:
        bucket = self._buckets.setdefault((column, key), [])
        if len(bucket) < self.cap:
            bucket.append(Problem(self.file, row, column, key, values))
        else:
            self._more[(column, key)] = self._more.get((column, key), 0) + 1

    def add_rows(self, key: str, column: str | None, rows: Iterable[int], raw: pd.Series | None = None, /,
                 **values: object) -> None:
        """The same problem on many rows; ``raw`` (the cells, indexed by row) gives each row's ``value``."""
        rows = list(rows)
        room = max(0, self.cap - len(self._buckets.get((column, key), [])))
        for row in rows[:room]:
            extra = {"value": show(raw[row])} if raw is not None else {}
            self.add(key, int(row), column, **extra, **values)
        if len(rows) > room:
            self._buckets.setdefault((column, key), [])
            self._more[(column, key)] = self._more.get((column, key), 0) + len(rows) - room

    def warn(self, key: str, row: int | None = None, column: str | None = None, /, **values: object) -> None:
        self.warnings.append(Problem(self.file, row, column, key, values))

    @property
    def problems(self) -> list[Problem]:
        """All problems, each capped rule followed by "… and N more rows"."""
        out: list[Problem] = []
        for bucket, examples in self._buckets.items():
            out.extend(examples)
            if self._more.get(bucket):
                out.append(Problem(self.file, None, bucket[0], "imp.more", {"count": self._more[bucket]}))
        return out


def is_missing(v: object) -> bool:
    """None, NaN (pandas' filler for short rows), NaT or blank text."""
    if v is None or v is pd.NaT:
        return True
    return (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


def show(v: object) -> str:
    """A cell as the user would read it in a message."""
    if is_missing(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    return str(v).strip()
