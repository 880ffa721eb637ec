"""The Data page's flow, testable without a browser: every write checks the editor role on the server.

Each write function here starts with ``auth.require_editor()`` — the page hides buttons from viewers,
but this is the check that counts: a viewer's session reaching a write gets NotEditor and nothing
changes. After a write the query caches are cleared so the page (and every other page) shows the new
data at once.
"""

from __future__ import annotations

import pandas as pd

from heg_dash import queries, store
from heg_dash.datasets import DATASETS, get
from heg_dash.importers import ParsedImport
from heg_dash.store import UndoResult
from heg_dash.store import imports as importing
from heg_dash.store.imports import Preview, Summary
from heg_dash.views import auth

EDITABLE = tuple(name for name, ds in DATASETS.items() if ds.editable)
UPLOAD_TYPES = ["csv", "txt", "xlsx", "geojson", "json"]


def check_upload(dataset: str, filename: str, content: bytes, fmt: str = "auto", *, replace: bool = False,
                 clear_sample: bool = False) -> tuple[ParsedImport, Preview]:
    """Upload → detected format → validation → preview (nothing stored). Editors only: the preview
    briefly takes the write lock."""
    auth.require_editor()
    parsed = importing.read_upload(dataset, filename, content, fmt, exclude_sample=clear_sample)
    return parsed, importing.preview(parsed, replace, clear_sample=clear_sample)


def import_upload(parsed: ParsedImport, *, replace: bool = False, clear_sample: bool = False) -> Summary:
    """Confirm: store the checked file as one batch in one transaction (StoreRefused: nothing changed).
    The file's digest travels with ``parsed``."""
    user = auth.require_editor()
    summary = importing.apply(parsed, replace=replace, user=user, file_name=parsed.file,
                              sha256=parsed.digest, clear_sample=clear_sample)
    queries.clear()
    return summary


def editable_table(dataset: str) -> pd.DataFrame:
    """A small dataset as the editor shows it: the declared columns, dates as dates."""
    if dataset not in EDITABLE:
        raise ValueError(f"{dataset} is not edited in place")
    ds = get(dataset)
    frame = queries.table(dataset).copy()
    for col in ds.columns:
        if col.type == "date":
            frame[col.name] = pd.to_datetime(frame[col.name]).dt.date
    return frame.reset_index(drop=True)


def save_edits(dataset: str, table: pd.DataFrame, label: str) -> tuple[ParsedImport, Summary | None]:
    """The edited table through the import's validation, then stored as the dataset's new contents
    (a batch of kind "edit": unchanged rows stay, changed and deleted rows go to history, undoable).
    Returns (parsed, None) when the table has problems."""
    user = auth.require_editor()
    if dataset not in EDITABLE:
        raise ValueError(f"{dataset} is not edited in place")
    parsed = importing.parse_table(dataset, table, label)
    if parsed.problems:
        return parsed, None
    summary = importing.apply(parsed, replace=True, user=user, file_name=None, sha256=None, kind="edit")
    queries.clear()
    return parsed, summary


def undo_batch(batch_id: int) -> UndoResult:
    """Undo a batch (StoreRefused when a later batch touched its rows)."""
    user = auth.require_editor()
    result = importing.undo(batch_id, user)
    queries.clear()
    return result


def clear_sample() -> int | None:
    """Remove all sample data as one undoable batch."""
    user = auth.require_editor()
    batch = store.clear_sample(user)
    queries.clear()
    return batch
