"""Every chart with its text alternative, in one place: pages call ``chart`` instead of ``st.altair_chart`` or
``st.vega_lite_chart``.

The chart's accessible name is a one-sentence summary (what it shows and its headline figure; Vega puts the
spec's ``description`` on the chart's container as ``aria-label`` with the role ``graphics-document``), its
marks are left out of the accessibility tree (a screen reader would read hundreds of unnamed shapes), and its
data are a table behind a toggle below it, drawn only when the toggle is on.
"""

from __future__ import annotations

import hashlib
import json

import altair as alt
import streamlit as st

from heg_dash.charts import describe, finished_spec, for_streamlit
from heg_dash.i18n import get_language, t
from heg_dash.views import ui


def accessible_spec(chart: alt.TopLevelMixin | dict, title: str, summary: str | None = None) -> dict:
    """The finished spec with its summary as ``description``, ARIA off for its marks and guides, and its labels in
    an ink that reads (a chart's own label colours win)."""
    spec = chart if isinstance(chart, dict) else for_streamlit(finished_spec(chart))
    sentence = summary or _summary(spec, title)
    config = spec.get("config", {})
    labels = {part: {**style, **config.get(part, {})} for part, style in describe.LABEL_CONFIG.items()}
    return {**_quiet_marks(spec), "description": sentence, "config": {**config, **labels, "aria": False}}


# Summaries already made, by the chart's content (see _summary); emptied when full.
_SUMMARIES: dict[bytes, str] = {}
SUMMARY_MEMO_SIZE = 1024


def _summary(spec: dict, title: str) -> str:
    """``describe.summary``, remembered by the chart's content: making it reads every dataset of the chart (Arrow
    bytes back into a frame), and on every run that took Bæredygtighed's three savings charts a tenth of a
    second for the same three sentences."""
    key = _fingerprint(spec, title)
    sentence = _SUMMARIES.get(key)
    if sentence is None:
        if len(_SUMMARIES) >= SUMMARY_MEMO_SIZE:
            _SUMMARIES.clear()
        sentence = _SUMMARIES[key] = describe.summary(spec, title)
    return sentence


def _fingerprint(spec: dict, title: str) -> bytes:
    """What the summary depends on: the language, the title, the spec and its data. A table goes as its Arrow
    bytes; rows that stay a list (GeoJSON features) by their dataset's name, which Altair makes from their content
    (and the world map from its extent)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{get_language()}\x1f{title}\x1f".encode())
    digest.update(json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True, default=str).encode())
    for name, rows in sorted((spec.get("datasets") or {}).items()):
        digest.update(f"\x1f{name}\x1f".encode())
        if isinstance(rows, bytes):
            digest.update(rows)
    return digest.digest()


def _quiet_marks(node: dict) -> dict:
    """A copy of a (sub)spec with ``aria: false`` on every mark, so the marks leave the accessibility tree (the
    config's ``aria`` only quiets the guides); data are shared, not copied."""
    out = dict(node)
    mark = node.get("mark")
    if isinstance(mark, str):
        out["mark"] = {"type": mark, "aria": False}
    elif isinstance(mark, dict):
        out["mark"] = {**mark, "aria": False}
        for overlay in ("point", "line"):  # a line's points and an area's line are marks of their own
            if mark.get(overlay) not in (None, False, "transparent"):
                extra = mark[overlay] if isinstance(mark[overlay], dict) else {}
                out["mark"][overlay] = {**extra, "aria": False}
    for key in ("layer", "hconcat", "vconcat", "concat"):
        if isinstance(node.get(key), list):
            out[key] = [_quiet_marks(part) for part in node[key]]
    if isinstance(node.get("spec"), dict):
        out["spec"] = _quiet_marks(node["spec"])
    return out


def chart(chart: alt.TopLevelMixin | dict, title: str, summary: str | None = None, *, table: bool = True,
          where: object = None, key: str | None = None, **options: object) -> None:
    """Draw ``chart`` (an Altair chart or a finished Vega-Lite spec) as wide as its column, named by ``summary``
    (or a sentence made from its data and ``title``), with its data as a table behind a toggle when ``table``.
    ``where`` is a container or column to draw in (default: the current one); ``key`` tells apart two charts of
    one title on a page; ``options`` go to Streamlit."""
    target = where if where is not None else st
    spec = accessible_spec(chart, title, summary)
    target.vega_lite_chart(spec=spec, **{"width": "stretch", **options})
    if table and describe.has_data(spec):
        # A toggle, not an expander: an expander's table is drawn (and made) while closed; this one is made and
        # drawn when asked for.
        box_key = table_key(title, key)
        box = target.container(key=box_key)
        if box.toggle(t("chart.table_toggle"), key=f"{box_key}_on"):
            with box:
                ui.table(describe.data_table(spec))


TABLE_KEY_PREFIX = "chart_table_"


def table_key(title: str, key: str | None = None) -> str:
    """The key of a chart's table toggle: from its title (and ``key`` where a page has two charts of one title,
    e.g. a map per campus), so it stays with the chart from run to run; not from its data, so the table stays
    open when the year changes."""
    return TABLE_KEY_PREFIX + hashlib.sha1(f"{title}\x1f{key or ''}".encode()).hexdigest()[:12]
