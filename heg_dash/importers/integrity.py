"""Rules over the rows a dataset holds together, that no row breaks alone: unique columns and parent trees.

Pure functions over a frame of rows: the importer runs them on a file's rows (so a problem names its row at
once), the store on the table a write, an undo or a restore would leave (so a file row that clashes with a
stored row is caught too, and an undo that would close a loop is refused). The rules are declared in
``heg_dash.datasets`` (``Column.unique``, ``Dataset.tree``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from heg_dash.datasets import Dataset, split_list


@dataclass
class Breach:
    """One broken rule: ``rows`` are the positions (0-based, in the frame given) of the rows involved, the row
    to name first; ``key`` a catalogue key; ``values`` fill it."""

    key: str
    column: str
    rows: list[int]
    values: dict = field(default_factory=dict)


def breaches(frame: pd.DataFrame, ds: Dataset) -> list[Breach]:
    """Every unique column and the parent tree of ``ds`` checked on ``frame`` (its rows, any order)."""
    found: list[Breach] = []
    for col in ds.columns:
        if col.unique and col.name in frame.columns:
            found += duplicate_values(frame, ds, col.name)
    if ds.tree is not None and ds.tree.column in frame.columns:
        found += tree_breaches(frame, ds)
    return found


def _names(frame: pd.DataFrame, ds: Dataset, rows: list[int]) -> list[str]:
    key = ds.key[0]
    return [str(frame[key].iloc[r]) for r in rows]


def duplicate_values(frame: pd.DataFrame, ds: Dataset, column: str) -> list[Breach]:
    """Rows that share a value of a unique column: one breach per value, naming the other rows' keys."""
    values = frame[column].reset_index(drop=True)
    shared = values[values.notna() & values.duplicated(keep=False)]
    out = []
    for value, group in shared.groupby(shared, sort=False):
        rows = [int(r) for r in group.index]
        for row in rows:
            others = [r for r in rows if r != row]
            out.append(Breach("imp.not_unique", column, [row, *others],
                              {"value": value, "others": _names(frame, ds, others)}))
    return out


def tree_breaches(frame: pd.DataFrame, ds: Dataset) -> list[Breach]:
    """A parent that is the row itself, a parent that differs in the ``same`` columns, and loops of parents
    (each loop once, named from its first row). Parents missing altogether are the references' business."""
    assert ds.tree is not None
    key, column = ds.key[0], ds.tree.column
    ids = frame[key].astype("str").reset_index(drop=True)
    parents = frame[column].reset_index(drop=True)
    position = {value: i for i, value in enumerate(ids)}
    out: list[Breach] = []
    parent_of: dict[int, int] = {}
    for row, parent in parents.items():
        if pd.isna(parent):
            continue
        if parent == ids[row]:
            out.append(Breach("imp.parent_self", column, [int(row)], {"value": parent}))
            continue
        target = position.get(parent)
        if target is None:
            continue
        parent_of[int(row)] = target
        for same in ds.tree.same:
            own, theirs = frame[same].iloc[row], frame[same].iloc[target]
            if not (pd.isna(own) or pd.isna(theirs)) and own != theirs:
                out.append(Breach("imp.parent_differs", column, [int(row), target],
                                  {"value": parent, "same": same, "own": own, "theirs": theirs}))
    out += [Breach("imp.parent_cycle", column, loop, {"cycle": " → ".join(_names(frame, ds, [*loop, loop[0]]))})
            for loop in _loops(parent_of)]
    return out


def _loops(parent_of: dict[int, int]) -> list[list[int]]:
    """The cycles of a graph in which each node has at most one parent, each once, starting at its smallest
    node. A walk from every node, remembering where earlier walks went: linear in the number of rows."""
    state: dict[int, int] = {}  # node -> the walk that visited it
    loops = []
    for start in sorted(parent_of):
        if start in state:
            continue
        path, node = [], start
        while node is not None and node not in state:
            state[node] = start
            path.append(node)
            node = parent_of.get(node)
        if node is not None and state[node] == start:  # this walk came back to itself: a loop
            loop = path[path.index(node):]
            first = loop.index(min(loop))
            loops.append(loop[first:] + loop[:first])
    return loops


def unknown_in_lists(cells: pd.Series, known: set[str]) -> list[tuple[str, int, int]]:
    """The ids of list cells (``datasets.REFERENCE_LISTS``, split by ``datasets.split_list``) missing from
    ``known``: (id, the index of the first row naming it, how many rows name it), in the order they first appear."""
    found: dict[str, list[int]] = {}
    for row, cell in cells.dropna().items():
        for part in dict.fromkeys(split_list(cell)):
            if part not in known:
                found.setdefault(part, []).append(int(row))
    return [(value, rows[0], len(rows)) for value, rows in found.items()]
