"""What every part of the store's write side shares: the refusal, the counts, and a few SQL pieces."""

from __future__ import annotations

from dataclasses import dataclass, field

from heg_dash.datasets import Dataset
from heg_dash.i18n import t
from heg_dash.store.db import q

INTERVAL_DATASETS = ("readings",)  # datasets whose rows are intervals [start, end) per meter


CLEAR_SAMPLE_DATASET = "*"  # import_batches.dataset of a batch that spans every dataset


class StoreRefused(Exception):
    """A write the store refuses, with nothing changed: ``key`` is a catalogue key, ``values`` fill it.

    ``problems`` carries row-level problems (importers.Problem) when the refusal is about the file's rows.
    """

    def __init__(self, key: str, problems: list | None = None, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values
        self.problems = problems or []

    def text(self) -> str:
        return t(self.key, **{k: _fmt(v) for k, v in self.values.items()})


def _fmt(value: object) -> str:
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass
class Counts:
    """What a write does, counted in the file's rows: added + replaced + unchanged = the rows of the file.

    ``replaced``: file rows that take the place of stored rows (the same key; for readings, stored intervals
    they overlap, however many). ``removed``: stored rows that go without a file row in their place (the rows
    a ``--replace`` leaves out). Every stored row that goes is kept in history for undo.
    """

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    removed: int = 0
    warnings: list = field(default_factory=list)  # importers.Problem, about the store's state

    @property
    def changes(self) -> bool:
        return bool(self.added or self.replaced or self.removed)


def sample_filter(alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return (f"{prefix}batch_id NOT IN (SELECT batch_id FROM import_batches "
            "WHERE kind = 'sample' AND undone_at IS NULL)")


def key_join(ds: Dataset, a: str, b: str) -> str:
    return " AND ".join(f"{a}.{q(k)} = {b}.{q(k)}" for k in ds.key)
