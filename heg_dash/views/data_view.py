"""Drawing blocks of the Data page: tables formatted in the current language, the access panel, the import
preview and problems, downloads. Text only through the catalogue; no HTML."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from heg_dash import queries
from heg_dash.datasets import BOOL, DATE, FLOAT, INT, get
from heg_dash.i18n import fmt_count, fmt_date, fmt_datetime, fmt_number, fmt_percent, t
from heg_dash.i18n.labels import removed_suffix
from heg_dash.importers import ParsedImport, export
from heg_dash.metrics import quality as quality_rules
from heg_dash.store.imports import Preview, Summary
from heg_dash.views import auth, ui

LAST_SUMMARY = "_data_last_summary"


def dataset_label(name: str) -> str:
    return f"{t('dataset.' + name)} ({name})"


# ------------------------------------------------------------------------------------------------ access

def access_panel() -> None:
    """Who is looking and how to become an editor, by the configured mode (heg_dash.auth)."""
    how = auth.mode()
    if how == "oidc":
        user = auth.current_user()
        if user is None:
            st.write(t("data.access.viewer"))
            st.button(t("data.access.login_oidc"), on_click=st.login, key="auth_login")
        else:
            role = t("data.access.role_editor") if auth.is_editor() else t("data.access.role_viewer")
            st.write(t("data.access.logged_in", user=user, role=role))
            st.button(t("data.access.logout"), on_click=st.logout, key="auth_logout")
    elif how == "password":
        if auth.is_editor():
            st.write(t("data.access.logged_in_password"))
            if st.button(t("data.access.logout"), key="auth_logout"):
                auth.logout()
                st.rerun()
        else:
            st.write(t("data.access.viewer"))
            with st.form("auth_form", border=False):
                password = st.text_input(t("data.access.password"), type="password", key="auth_password")
                if st.form_submit_button(t("data.access.login")):
                    try:
                        ok = auth.login_with_password(password)
                    except auth.LoginThrottled as wait:
                        st.error(t("data.access.throttled", seconds=fmt_number(max(1, round(wait.wait_s)))),
                                 icon=":material/timer:")
                    else:
                        if ok:
                            st.rerun()
                        st.error(t("data.access.wrong"), icon=":material/block:")
    else:
        st.write(t("data.access.none"))
        st.code("heg-dash set-password", language="bash")
        st.caption(t("data.access.none_oidc"))


def editor_needed() -> None:
    # "Log in above" only where there is something to log in to.
    st.info(t("data.needs_editor_none" if auth.mode() == "none" else "data.needs_editor"), icon=":material/lock:")
    st.code("heg-dash import DATASET FIL.csv --dry-run", language="bash")


# --------------------------------------------------------------------------------------------- tables

def overview_table(overview: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        t("data.col.dataset"): [dataset_label(n) for n in overview["dataset"]],
        t("data.col.rows"): [fmt_number(n) for n in overview["rows"]],
        t("data.col.newest"): [fmt_date(v) if v is not None and not pd.isna(v) else "–" for v in overview["newest"]],
        t("data.col.changed"): [fmt_datetime(v.tz_convert("Europe/Copenhagen")) if v is not None and not pd.isna(v)
                                else "–" for v in overview["changed"]],
        t("data.col.origin"): [t("sample.badge") if s else (t("data.own") if n else "–")
                               for s, n in zip(overview["sample"], overview["rows"], strict=True)],
        t("data.col.editable"): [t("data.yes") if e else "" for e in overview["editable"]],
    })


def batch_label(batches: pd.DataFrame, batch_id: int) -> str:
    row = batches[batches["batch_id"] == batch_id].iloc[0]
    what = t("data.all_datasets") if row["dataset"] == "*" else row["dataset"]
    return f"{batch_id} · {t('data.kind.' + row['kind'])} · {what} · {fmt_datetime(row['created'])}"


def batch_table(batches: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        t("data.col.batch"): batches["batch_id"].astype(str),
        t("data.col.when"): [fmt_datetime(v) for v in batches["created"]],
        t("data.col.kind"): [t("data.kind." + k) for k in batches["kind"]],
        t("data.col.dataset"): [t("data.all_datasets") if d == "*" else d for d in batches["dataset"]],
        t("data.col.file"): batches["file_name"].fillna("–").astype(str),
        t("data.col.user"): batches["user_name"].fillna("–").astype(str),
        t("data.col.added"): [fmt_number(v) for v in batches["rows_added"]],
        t("data.col.replaced"): [fmt_number(v) for v in batches["rows_replaced"]],
        t("data.col.removed"): [fmt_number(v) for v in batches["rows_removed"]],
        t("data.col.undone"): [fmt_datetime(v) if not pd.isna(v) else "" for v in batches["undone"]],
    })


def describe(name: str) -> pd.DataFrame:
    return export.describe_columns(get(name))


def column_config(name: str) -> dict:
    """st.data_editor column types from the declaration: closed lists as select boxes, numbers, dates."""
    config = {}
    for col in get(name).columns:
        label = col.name + ("" if col.required else " " + t("data.optional"))
        help_text = export.column_description(get(name), col)
        if col.allowed:
            config[col.name] = st.column_config.SelectboxColumn(label, options=list(col.allowed), help=help_text,
                                                                required=col.required)
        elif col.type in (INT, FLOAT):
            config[col.name] = st.column_config.NumberColumn(label, help=help_text, required=col.required,
                                                             step=1 if col.type == INT else None)
        elif col.type == DATE:
            config[col.name] = st.column_config.DateColumn(label, help=help_text, required=col.required,
                                                           format="YYYY-MM-DD")
        elif col.type == BOOL:
            config[col.name] = st.column_config.CheckboxColumn(label, help=help_text)
        else:
            config[col.name] = st.column_config.TextColumn(label, help=help_text, required=col.required)
    return config


# -------------------------------------------------------------------------------------- import feedback

def show_problems(problems: list, headline: str | None = None) -> None:
    """Every problem with file, row and column, in one error box."""
    lines = "\n".join(f"- {p.text()}" for p in problems)
    st.error((headline or t("data.problems", count=len(problems))) + ("\n\n" + lines if lines else ""),
             icon=":material/block:")


def sample_choice(checked: dict[bool, tuple[ParsedImport, Preview]], sample_rows: int) -> bool | None:
    """While the sample is stored: clear it first or keep it, each choice with what it would do (the counts of
    both previews, ``checked`` by clear_sample). None until the user chooses: a default would decide for them
    without a word. A file with problems needs no choice (the problems show, nothing can be stored)."""
    previews = {clear: preview for clear, (_, preview) in checked.items()}
    if not previews[True].ok and previews[False].ok:  # e.g. readings of the sample's own meters
        st.info(t("data.keep_sample_needed"), icon=":material/info:")
        return False
    if not previews[False].ok:  # the file's problems show in the preview either way
        return previews[True].ok

    def label(clear: bool) -> str:
        p = previews[clear]
        counts = t("data.choice_counts", added=fmt_number(p.added), replaced=fmt_number(p.replaced))
        if clear:
            return t("data.choice_clear", sample=fmt_count("rows", sample_rows), counts=counts)
        return t("data.choice_keep", counts=counts)

    return st.radio(t("data.offer_clear_question"), (True, False), index=None, format_func=label,
                    key="imp_clear_sample", help=t("data.offer_clear_help"))


def show_preview(preview: Preview) -> None:
    st.caption(t("data.detected", format=t(f"data.fmt.{preview.format}") if preview.format in
                 ("csv", "xlsx", "eloverblik", "register", "geojson") else preview.format,
                 rows=fmt_number(preview.rows_in_file)))
    if preview.problems:
        show_problems(preview.problems)
        return
    cols = st.columns(4 if preview.removed else 3)
    cols[0].metric(t("data.added"), fmt_number(preview.added))
    cols[1].metric(t("data.replaced"), fmt_number(preview.replaced))
    cols[2].metric(t("data.unchanged"), fmt_number(preview.unchanged))
    if preview.removed:
        cols[3].metric(t("data.removed"), fmt_number(preview.removed))
    for warning in preview.warnings:
        st.warning(warning.text(), icon=":material/warning:")
    st.caption(t("data.first_rows", count=fmt_count("rows", len(preview.head))))
    table, config = preview_table(preview.dataset, preview.head)
    ui.table(table, column_config=config)


def preview_table(dataset: str, head: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The preview's first rows as the user reads them: each column named in the current language with its
    unit (the file's own column name on hover), numbers and dates in the language's formats, times in Danish
    time. Returns the table and its column_config."""
    ds = get(dataset)
    declared = {c.name: c for c in ds.columns}
    out, config = {}, {}
    for name in head.columns:
        col = declared.get(name)
        heading = export.column_heading(ds, col) if col is not None else name
        while heading in out:  # two columns with one short name keep both
            heading += " "
        out[heading] = _display_values(head[name], col.type if col is not None else None)
        config[heading] = st.column_config.TextColumn(heading, help=name)
    return pd.DataFrame(out, index=head.index), config


def _display_values(values: pd.Series, kind: str | None) -> list[str]:
    if isinstance(values.dtype, pd.DatetimeTZDtype):  # "27.10.2024 02:00 +01:00": the offset tells DST's hours apart
        local = values.dt.tz_convert("Europe/Copenhagen")
        return ["–" if pd.isna(v) else f"{fmt_date(v, 'short')} {v:%H:%M} {v.isoformat()[-6:]}" for v in local]
    if kind == INT:
        return [fmt_number(v) for v in values]
    if kind == FLOAT:
        return [fmt_number(v, _decimals(v)) for v in values]
    if kind == DATE:
        return [fmt_date(v, "short") if not pd.isna(v) else "–" for v in values]
    if kind == BOOL:
        return ["–" if pd.isna(v) else t("data.yes") if v else t("data.no") for v in values]
    return ["–" if pd.isna(v) else str(v) for v in values]


def _decimals(value: object) -> int:
    """As many decimals as the value has, up to four (0,25 stays 0,25; 1540353.0 shows 1.540.353)."""
    try:
        text = f"{float(value):.4f}".rstrip("0")
    except (TypeError, ValueError):
        return 0
    return len(text.split(".")[1]) if "." in text else 0


def remember_summary(summary: Summary, where: str) -> None:
    """Keep a write's summary for the rerun that follows it (the page reruns to show the new state)."""
    st.session_state[LAST_SUMMARY + where] = summary


def show_last_summary(where: str) -> None:
    summary = st.session_state.pop(LAST_SUMMARY + where, None)
    if summary is not None:
        show_summary(summary)


def show_summary(summary: Summary) -> None:
    if summary.cleared_batch_id is not None:
        st.success(t("data.cleared", batch=summary.cleared_batch_id))
    if summary.batch_id is None:
        st.info(t("data.nothing_new"))
    else:
        st.success(t("data.imported", added=fmt_count("rows", summary.added), replaced=fmt_number(summary.replaced),
                     unchanged=fmt_number(summary.unchanged), removed=removed_suffix(summary.removed),
                     batch=summary.batch_id))


# ------------------------------------------------------------------------------------------- downloads

def download_buttons(name: str) -> None:
    """Templates (CSV, Excel with descriptions) and exports (generated only when clicked)."""
    ds = get(name)
    cols = st.columns(4)
    cols[0].download_button(t("data.template_csv"), export.template_csv(ds), f"skabelon_{name}.csv", "text/csv",
                            key=f"dl_tpl_csv_{name}")
    cols[1].download_button(t("data.template_xlsx"), export.template_xlsx(ds), f"skabelon_{name}.xlsx",
                            key=f"dl_tpl_xlsx_{name}")
    cols[2].download_button(t("data.export_csv"), lambda: export.to_csv(ds, queries.table(name)),
                            export.export_name(name, "csv"), "text/csv", key=f"dl_csv_{name}")
    cols[3].download_button(t("data.export_xlsx"), lambda: export.to_xlsx(ds, queries.table(name)),
                            export.export_name(name, "xlsx"), key=f"dl_xlsx_{name}")


# ---------------------------------------------------------------------------------------------- quality

def _issue_label(issues: tuple[str, ...]) -> str:
    if not issues:
        return "✔ " + t("data.issue.ok")
    return "◆ " + ", ".join(t("data.issue." + i) for i in issues)


def quality_summary(quality: pd.DataFrame) -> None:
    flagged = sum(1 for i in quality["issues"] if i)
    cols = st.columns(3)
    cols[0].metric(t("data.q.meters"), fmt_number(len(quality)))
    cols[1].metric(t("data.q.flagged"), fmt_number(flagged))
    last = quality["last"].dropna()
    cols[2].metric(t("data.q.newest"), fmt_date(last.max().date(), "short") if not last.empty else "–")


def quality_table(quality: pd.DataFrame) -> pd.DataFrame:
    def day(v: object) -> str:
        return fmt_date(v.date(), "short") if v is not None and not pd.isna(v) else "–"

    return pd.DataFrame({
        t("data.q.meter"): quality["meter_id"],
        t("data.q.utility"): [t("data.utility." + u) for u in quality["utility"]],
        t("data.q.status"): [_issue_label(i) for i in quality["issues"]],
        t("data.q.first"): [day(v) for v in quality["first"]],
        t("data.q.last"): [day(v) for v in quality["last"]],
        t("data.q.rows"): [fmt_number(v) for v in quality["rows"]],
        t("data.q.coverage"): [fmt_percent(v) for v in quality["coverage"]],
        t("data.q.gaps"): [fmt_number(v) for v in quality["gaps"]],
        t("data.q.gap_hours"): [fmt_number(v) for v in quality["gap_hours"]],
        t("data.q.overlaps"): [fmt_number(v) for v in quality["overlaps"]],
        t("data.q.flat"): [fmt_number(v) for v in quality["flat_rows"]],
        t("data.q.outliers"): [fmt_number(v) for v in quality["outliers"]],
    })


def quality_rules_text() -> str:
    return t("data.quality_rules", k=fmt_number(quality_rules.OUTLIER_IQR_K), flat=quality_rules.FLAT_RUN_ROWS,
             stale=quality_rules.STALE_DAYS)

