"""Which known layout a header that matches none of them comes closest to, and what differs.

A readings file may be the contract's template (``meter_id, start, end, value``), one of Eloverblik's exports
or register reads. A header that is none of them exactly but close to one (a column renamed by hand, one
left out, ``Fra-dato`` for ``Fra_dato``) gets a message that names the layout and each difference, instead of
a list of the template's columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from heg_dash.datasets import get as get_dataset
from heg_dash.importers import eloverblik, register

CLOSE = 0.75  # similarity of two normalised names (difflib's ratio) that reads as a misspelling


@dataclass(frozen=True)
class Layout:
    name: str  # the dataset (its template) or a key of the catalogue's imp.layout.<name>
    columns: tuple[str, ...]  # in the layout's own spelling
    required: tuple[str, ...]


def matches(header: list[str], layout: Layout) -> bool:
    """Every required column of the layout is in the header (by :func:`_key`)."""
    keys = {_key(h) for h in header}
    return all(_key(c) in keys for c in layout.required)


def problem_values(miss: NearMiss) -> dict[str, object]:
    """The values of the message imp.near_layout: the layout's name and its columns, and the differences."""
    from heg_dash.i18n import t

    differences = [t("imp.near_renamed", found=found, wanted=wanted) for found, wanted in miss.renamed]
    differences += [t("imp.near_missing", wanted=wanted) for wanted in miss.missing]
    name = miss.layout.name
    layout = t("imp.layout." + name) if name.startswith("eloverblik") or name == "register" else \
        t("imp.layout.template", dataset=name)
    return {"layout": layout, "differences": "; ".join(differences),
            "expected": ";".join(miss.layout.columns) if miss.layout.name.startswith("eloverblik")
            else ", ".join(miss.layout.columns)}


def layouts(dataset: str) -> list[Layout]:
    """The layouts a file for ``dataset`` may come in."""
    ds = get_dataset(dataset)
    own = Layout(dataset, tuple(ds.column_names), tuple(ds.required_columns))
    if dataset != "readings":
        return [own]
    return [own,
            *(Layout(name, tuple(cols), tuple(cols[:4])) for name, cols in eloverblik.LAYOUTS.items()),
            Layout("register", register.HEADER, register.HEADER)]


@dataclass(frozen=True)
class NearMiss:
    layout: Layout
    renamed: list[tuple[str, str]]  # (the file's name, the layout's name)
    missing: list[str]  # required columns of the layout with no counterpart in the file


def _key(name: str) -> str:
    """A name compared without case, spaces, underscores and hyphens, Eloverblik's spellings as one."""
    return eloverblik.normalise(eloverblik.ALIASES.get(eloverblik.normalise(name), name))


def nearest(header: list[str], dataset: str) -> NearMiss | None:
    """The layout the header is closest to when it is close to one and yet not it: at least half of the
    layout's required columns are in the file, exactly or misspelt, and some are not exactly."""
    names = [h for h in header if h.strip()]
    best: tuple[float, NearMiss] | None = None
    for layout in layouts(dataset):
        renamed, missing, found = [], [], 0
        for wanted in layout.required:
            key = _key(wanted)
            if any(_key(h) == key for h in names):
                found += 1
                continue
            scored = [(SequenceMatcher(None, _key(h), key).ratio(), h) for h in names]
            score, closest = max(scored, default=(0.0, ""))
            if score >= CLOSE:
                renamed.append((closest, wanted))
                found += 1
            else:
                missing.append(wanted)
        share = found / len(layout.required)
        if (renamed or missing) and share >= 0.5 and (best is None or share > best[0]):
            best = (share, NearMiss(layout, renamed, missing))
    return None if best is None else best[1]
