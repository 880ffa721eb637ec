"""Import, the pure part: file bytes -> a typed frame that follows the dataset's contract, plus problems.

No database and no Streamlit here; the caller stores ``ParsedImport.frame`` only when ``problems`` is empty.

- ``frame`` has exactly the dataset's columns (optional ones null when absent) and is indexed by the row
  number the user sees (CSV: header = row 1; Excel: the sheet's row; GeoJSON: the feature number).
  dtypes: text ``str``, int ``Int64``, float ``Float64``, bool ``boolean``, date ``datetime64[us]`` (naive
  midnight), timestamp ``datetime64[us, UTC]``.
- ``fmt`` chooses the interpretation (auto|csv|xlsx|eloverblik|register|geojson); whether the bytes are an
  Excel workbook or text is always sniffed from the content, whatever the file name says.
- ``parse_file`` never raises: anything unexpected becomes a problem ("imp.internal").
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import PurePath

import pandas as pd
import pyarrow as pa

from heg_dash import datasets
from heg_dash.datasets import Dataset
from heg_dash.importers import layouts
from heg_dash.importers.eloverblik import is_eloverblik, parse_eloverblik
from heg_dash.importers.eloverblik_fast import parse_eloverblik_fast
from heg_dash.importers.geojson import check_wkt_column, parse_geojson
from heg_dash.importers.problems import Problem, ProblemLog
from heg_dash.importers.read import ReadError, container, read_csv, read_xlsx
from heg_dash.importers.register import is_register, parse_register
from heg_dash.importers.validate import build_frame, empty_frame

__all__ = ["FORMATS", "ParsedImport", "Problem", "parse_file"]

FORMATS = ("auto", "csv", "xlsx", "eloverblik", "register", "geojson")
# Formats that only make sense for one dataset.
FORMAT_DATASET = {"eloverblik": "readings", "register": "readings", "geojson": "building_footprints"}
GEOJSON_SUFFIXES = (".geojson", ".json")


@dataclass
class ParsedImport:
    """What a file holds for a dataset: the typed frame, its problems (any -> store nothing), warnings."""

    dataset: str
    file: str
    format: str  # the detected format: csv|xlsx|eloverblik|register|geojson
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows_in_file: int = 0
    # The file's SHA-256, computed in the background after the parse (importers.apply.read_upload); None: not
    # from a file.
    digest: Future[str] | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def sha256(self) -> str | None:
        """The file's SHA-256 as hex (waits for the background hash), or None when there is no file."""
        return None if self.digest is None else self.digest.result()


def parse_file(dataset: str, filename: str, content: bytes, fmt: str = "auto", *,
               meters: pd.DataFrame | None = None,
               known_keys: Mapping[tuple[str, str], set[str]] | None = None,
               max_bytes: int | None = None) -> ParsedImport:
    """Parse and validate one file for ``dataset``; see the module docstring for what comes back.

    ``meters`` (meter_id, gsrn, unit, utility) maps Eloverblik GSRNs and vouches for meter ids;
    ``known_keys`` maps each REFERENCES target (dataset, column) to the keys that exist (stored ∪ this
    file; a target left out is not checked); ``max_bytes`` refuses larger files before reading them.
    """
    log = ProblemLog(filename)
    try:
        ds = datasets.get(dataset)
    except KeyError:
        log.add("imp.unknown_dataset", dataset=dataset, known=list(datasets.DATASETS))
        return ParsedImport(dataset, filename, fmt, pd.DataFrame(), log.problems, log.warnings, 0)
    detected, frame, rows = (fmt if fmt in FORMATS[1:] else "csv"), None, 0
    try:
        detected, frame, rows = _parse(ds, filename, content, fmt, log, meters, known_keys, max_bytes)
    except ReadError as exc:
        log.add(exc.key, **exc.values)
    except Exception as exc:  # the contract: never raise, whatever the bytes
        log.add("imp.internal", error=f"{type(exc).__name__}: {exc}"[:300])
    if frame is None:
        frame = empty_frame(ds)
    return ParsedImport(dataset, filename, detected, frame[ds.column_names], log.problems, log.warnings, rows)


def _size(n: int) -> float:
    """Bytes as MB with three significant digits (1234567 -> 1.23; 100 -> 0.0001)."""
    return float(f"{n / 1_000_000:.3g}")


def _check_bytes(content: bytes, max_bytes: int | None) -> None:
    if max_bytes is not None and len(content) > max_bytes:
        raise ReadError("imp.too_large", size=_size(len(content)), limit=_size(max_bytes))
    start = 3 if content.startswith(b"\xef\xbb\xbf") else 0
    # Only all-whitespace content is empty; look at its beginning first (no copy of a big file).
    if not content[start:start + 4096].strip() and not content[start:].strip():
        raise ReadError("imp.empty_file")


def _parse(ds: Dataset, filename: str, content: bytes, fmt: str, log: ProblemLog,
           meters: pd.DataFrame | None, known_keys: Mapping[tuple[str, str], set[str]] | None,
           max_bytes: int | None) -> tuple[str, pd.DataFrame, int]:
    """Detect, read and validate: (detected format, frame, data rows in the file)."""
    if fmt not in FORMATS:
        raise ReadError("imp.unknown_format", format=fmt, formats=list(FORMATS))
    _check_bytes(content, max_bytes)
    kind = container(content)
    if kind == "xls":
        raise ReadError("imp.old_xls")
    suffix = PurePath(filename).suffix.lower()
    if fmt == "geojson" or (fmt == "auto" and kind != "xlsx" and (kind == "json" or suffix in GEOJSON_SUFFIXES)):
        _require_dataset("geojson", ds)
        frame, rows = parse_geojson(content, log, known_keys)
        return "geojson", frame, rows

    if kind == "text" and fmt in ("auto", "eloverblik") and ds.name == FORMAT_DATASET["eloverblik"]:
        fast = _eloverblik_fast(content, meters, log)
        if fast is not None:
            return "eloverblik", *fast
    table = read_xlsx(content, ds.name) if kind == "xlsx" else read_csv(content)
    detected = fmt
    if fmt == "auto":
        detected = ("eloverblik" if is_eloverblik(table.header)
                    else "register" if is_register(table.header) else table.source)
    elif fmt in ("csv", "xlsx"):
        detected = table.source
    rows = len(table.cells)
    _refuse_near_miss(table.header, ds, detected, log)
    if detected == "eloverblik":
        _require_dataset(detected, ds)
        return detected, parse_eloverblik(table, log, meters), rows
    if detected == "register":
        _require_dataset(detected, ds)
        return detected, parse_register(table, log, known_keys=known_keys, meters=meters), rows
    frame = build_frame(table, ds, log, known_keys=known_keys, meters=meters)
    if ds.name == "building_footprints" and not frame.empty:
        frame = check_wkt_column(frame, log)
    return detected, frame, rows


def _eloverblik_fast(content: bytes, meters: pd.DataFrame | None, log: ProblemLog
                     ) -> tuple[pd.DataFrame, int] | None:
    """The fast path for a big, regular Eloverblik export (importers.eloverblik_fast): the same frame and
    warnings as the careful path, or None and the careful path reads the file and names its problems.
    Whatever goes wrong in the fast path only sends the file down the careful path."""
    try:
        fast = parse_eloverblik_fast(content, meters, log)
    except Exception:  # never a different answer: the careful path decides
        fast = None
    if fast is None:
        pa.default_memory_pool().release_unused()  # the text read so far, before the careful path reads it
    return fast


def _refuse_near_miss(header: list[str], ds: Dataset, detected: str, log: ProblemLog) -> None:
    """A header close to a known layout but not it: a ReadError that names the layout and what differs."""
    wanted = [lay for lay in layouts.layouts(ds.name)
              if (lay.name.startswith("eloverblik") if detected == "eloverblik" else lay.name == ds.name)
              or detected == "register" and lay.name == "register"]
    if any(layouts.matches(header, lay) for lay in wanted):
        return
    miss = layouts.nearest(header, ds.name)
    # The template with columns only left out keeps the plain "missing columns" message.
    if miss is None or (miss.layout.name == ds.name and not miss.renamed):
        return
    if detected in ("csv", "xlsx") or miss.layout in wanted:
        raise ReadError("imp.near_layout", **layouts.problem_values(miss))


def _require_dataset(fmt: str, ds: Dataset) -> None:
    """Eloverblik and register files are readings; GeoJSON is footprints."""
    if FORMAT_DATASET[fmt] != ds.name:
        raise ReadError("imp.format_dataset", format=fmt, dataset=ds.name, expected=FORMAT_DATASET[fmt])
