"""The store: every SQL statement that changes the data, and the connections, schema and derived tables.

- :mod:`~heg_dash.store.db` — short-lived connections, transactions, the data version, meta and audit log
- :mod:`~heg_dash.store.schema` — the tables of the datasets and their history, migrations
- :mod:`~heg_dash.store.setup` — create a database (empty or with the sample) on first start
- :mod:`~heg_dash.store.imports` — a file through parse, preview and one transaction (the import flow)
- :mod:`~heg_dash.store.writes`, :mod:`~heg_dash.store.plan`, :mod:`~heg_dash.store.staging` — how a write
  is staged, compared with the stored rows and checked, then stored as one batch
- :mod:`~heg_dash.store.undo`, :mod:`~heg_dash.store.transfer` — undo a batch; backup and restore
- :mod:`~heg_dash.store.rollup` — ``readings_daily``, the per-day sums every write keeps in step
- :mod:`~heg_dash.store.sample` — the deterministic sample data

The names below are the store's public write API, importable as ``from heg_dash import store``.
"""

from heg_dash.store.common import Counts, StoreRefused
from heg_dash.store.transfer import backup, restore, validate_backup
from heg_dash.store.undo import UndoResult, undo
from heg_dash.store.writes import (
    WriteResult,
    audit_event,
    batches,
    clear_sample,
    get_meta_value,
    import_context,
    preview,
    set_meta_value,
    write,
)

__all__ = ["Counts", "StoreRefused", "UndoResult", "WriteResult", "audit_event", "backup", "batches", "clear_sample",
           "get_meta_value", "import_context", "preview", "restore", "set_meta_value", "undo", "validate_backup",
           "write"]
