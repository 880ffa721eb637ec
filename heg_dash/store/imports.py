"""Import, the store side: a parsed file -> preview -> one transaction; undo; in-place edits.

The flow every entry point (the Data page, the CLI) follows: :func:`read_upload` parses and validates
the bytes against the declaration with the store's meters and keys (stored ∪ the same file) → a file
with problems stops there → :func:`preview` counts what would be added, replaced and left unchanged
(computed in a transaction that is rolled back) → :func:`apply` writes it as one batch in one
transaction (heg_dash.store has the rules). In-place edits of small datasets go through the same path:
:func:`parse_table` validates the edited table like a file and :func:`apply` replaces the dataset with it.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from heg_dash import config, store
from heg_dash.datasets import get as get_dataset
from heg_dash.importers import ParsedImport, parse_file
from heg_dash.importers.export import cell_text
from heg_dash.importers.problems import ProblemLog
from heg_dash.importers.read import RawTable
from heg_dash.importers.validate import build_frame
from heg_dash.store import StoreRefused, UndoResult, db

__all__ = ["Preview", "StoreRefused", "Summary", "UndoResult", "apply", "parse_table", "preview", "read_upload",
           "sha256", "undo"]

PREVIEW_ROWS = 20
# Hashes an upload once it is parsed: hashlib releases the GIL for big buffers, so on a second core the
# digest is ready by the time the store records the batch.
_HASHER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="heg-sha256")


@dataclass
class Preview:
    """What an import would do: counts, problems (any -> nothing can be stored), warnings, first rows."""

    dataset: str
    file: str
    format: str
    rows_in_file: int
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    removed: int = 0  # stored rows that would go without a file row in their place (--replace)
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    head: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changes(self) -> bool:
        return bool(self.added or self.replaced or self.removed)


@dataclass
class Summary:
    """What an import did. ``batch_id`` is None when nothing changed (no batch is recorded then)."""

    dataset: str
    batch_id: int | None
    added: int
    replaced: int
    unchanged: int
    cleared_batch_id: int | None = None
    warnings: list = field(default_factory=list)
    removed: int = 0


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def max_bytes() -> int:
    return int(config.settings().max_import_mb * 1_000_000)


def read_upload(dataset: str, filename: str, content: bytes, fmt: str = "auto", *, exclude_sample: bool = False,
                path: str | Path | None = None) -> ParsedImport:
    """Parse and validate a file for ``dataset`` against what is stored (meters for GSRNs, referenced keys),
    with the configured size limit. ``exclude_sample``: as if the sample data were cleared first.

    The file's SHA-256 is then computed in the background (``ParsedImport.sha256``): a store stages and checks
    the rows on one core meanwhile, where beside the parser the hash would take a core from Arrow's reader."""
    meters, known = None, None
    if dataset in db.DATASETS:
        with db.connect(path) as con:
            meters, known = store.import_context(con, dataset, exclude_sample=exclude_sample)
    parsed = parse_file(dataset, filename, content, fmt, meters=meters, known_keys=known, max_bytes=max_bytes())
    parsed.digest = _HASHER.submit(sha256, content)
    return parsed


def preview(parsed: ParsedImport, replace: bool = False, *, clear_sample: bool = False,
            path: str | Path | None = None) -> Preview:
    """Counts added / replaced / unchanged, warnings and the first rows; never changes the store."""
    result = Preview(parsed.dataset, parsed.file, parsed.format, parsed.rows_in_file,
                     problems=list(parsed.problems), warnings=list(parsed.warnings),
                     head=parsed.frame.head(PREVIEW_ROWS))
    if parsed.problems:
        return result
    counts, problems = store.preview(parsed.dataset, parsed.frame, replace=replace, clear_sample=clear_sample,
                                     file=parsed.file, path=path)
    result.problems += problems
    result.warnings += counts.warnings
    if not problems:
        result.added, result.replaced, result.unchanged, result.removed = (
            counts.added, counts.replaced, counts.unchanged, counts.removed)
    return result


def apply(parsed: ParsedImport, *, replace: bool = False, user: str | None, file_name: str | None,
          sha256: str | Future[str] | None, clear_sample: bool = False, kind: str = "import",
          path: str | Path | None = None) -> Summary:
    """Store a parsed file as one batch in one transaction; StoreRefused (nothing changed) on any problem.

    ``sha256``: the file's hash, or ``ParsedImport.digest`` (still being computed), which the store waits for
    only when it records the batch.

    Re-importing the same file changes nothing and records no batch (the audit log notes the attempt).
    ``clear_sample`` first moves all sample data out as its own undoable batch, in the same transaction.
    """
    if parsed.problems:
        raise StoreRefused("data.refused_rows", problems=list(parsed.problems))
    result = store.write(parsed.dataset, parsed.frame, replace=replace, user=user, kind=kind, file_name=file_name,
                         sha256=sha256, clear_sample=clear_sample, path=path)
    c = result.counts
    return Summary(parsed.dataset, result.batch_id, c.added, c.replaced, c.unchanged, result.cleared_batch_id,
                   list(parsed.warnings) + c.warnings, c.removed)


def undo(batch_id: int, user: str | None, path: str | Path | None = None) -> UndoResult:
    """Restore exactly the state before ``batch_id`` (see heg_dash.store.undo for when it is refused)."""
    return store.undo(batch_id, user, path)


def parse_table(dataset: str, table: pd.DataFrame, label: str, *, path: str | Path | None = None) -> ParsedImport:
    """An edited table (the Data page's st.data_editor) validated exactly like an imported file.

    Rows are numbered 1, 2, … as the editor shows them; cells are turned into the export's text first so
    every rule (types, closed lists, formulas, keys, references) applies unchanged.
    """
    ds = get_dataset(dataset)
    body = table.reset_index(drop=True)
    cells = pd.DataFrame({
        i: pd.Series([cell_text(v, col, ".") if col.name in body.columns else None for v in
                      (body[col.name].tolist() if col.name in body.columns else [None] * len(body))],
                     dtype=object)
        for i, col in enumerate(ds.columns)
    })
    cells.index = pd.RangeIndex(1, len(body) + 1)
    cells = cells[~cells.isna().all(axis=1)]  # a blank row the editor added is no row
    raw = RawTable(ds.column_names, 0, cells.astype(object).where(cells.notna(), None), ".", "csv")
    log = ProblemLog(label)
    with db.connect(path) as con:
        meters, known = store.import_context(con, dataset)
    frame = build_frame(raw, ds, log, known_keys=known, meters=meters)
    return ParsedImport(dataset, label, "table", frame[ds.column_names], log.problems, log.warnings, len(cells))
