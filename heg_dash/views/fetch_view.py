"""The Data page's connector section: a fetch button per source (editors) and the last fetch (everyone).

The page never waits on the network to draw: a service is asked only when an editor presses a button.
"""

from __future__ import annotations

import streamlit as st

from heg_dash import queries
from heg_dash.connectors import fetching
from heg_dash.i18n import fmt_datetime, t
from heg_dash.importers.problems import Problem
from heg_dash.views import auth


def editor_fetch(source: str) -> fetching.FetchResult:
    """The Data page's fetch: editors only (checked here, on the server), then the query caches are cleared."""
    user = auth.require_editor()
    try:
        return fetching.fetch(source, user=user)
    finally:
        queries.clear()

def last_fetch_text(source: str) -> str:
    """"Last fetched: <local time>" or "Never fetched"."""
    when = fetching.last_fetch(source)
    if when is None:
        return t("fetch.never")
    return t("fetch.last", when=fmt_datetime(when.tz_convert("Europe/Copenhagen").to_pydatetime()))


def _run(source: str) -> None:
    label = t(f"fetch.source.{source}")
    with st.status(t("fetch.running", source=label), expanded=True) as status:
        try:
            result = editor_fetch(source)
        except (fetching.ConnectorError, fetching.FetchArgumentError) as exc:
            status.update(label=t("fetch.failed"), state="error")
            st.error(str(exc), icon=":material/block:")
            return
        except fetching.StoreRefused as exc:
            status.update(label=t("fetch.failed"), state="error")
            st.error(t("fetch.refused"), icon=":material/block:")
            st.dataframe([{"problem": p.text()} for p in exc.problems if isinstance(p, Problem)], hide_index=True)
            return
        for line in fetching.summary_lines(result):
            st.write(line)
        status.update(label=f"{label}: {t('fetch.done')}", state="complete")


def connector_panel(editor: bool) -> None:
    """One box per source: its name, the time of its last fetch and, for editors, a fetch button."""
    st.subheader(t("fetch.title"))
    st.caption(t("fetch.intro"))
    pressed, slots = None, {}
    for col, source in zip(st.columns(len(fetching.SOURCES)), fetching.SOURCES, strict=True):
        with col, st.container(border=True):
            st.markdown(f"**{t(f'fetch.source.{source}')}**")
            slots[source] = st.empty()  # refilled after a fetch, so it shows this fetch's time
            slots[source].caption(last_fetch_text(source))
            if source == "weather":
                st.caption(t("fetch.weather_lag"))
            if editor and st.button(t("fetch.button"), key=f"fetch_{source}"):
                pressed = source
    if not editor:
        st.caption(t("fetch.editor_only"))
    if pressed:
        _run(pressed)
        slots[pressed].caption(last_fetch_text(pressed))
