"""Data: what is stored and how good it is (everyone); import, edit, undo (editors); templates and exports."""

import streamlit as st

from heg_dash.datasets import DATASETS
from heg_dash.i18n import fmt_count, t
from heg_dash.importers import FORMATS
from heg_dash.queries import data as data_queries
from heg_dash.store import StoreRefused
from heg_dash.views import auth, data_flow, data_view, fetch_view, ui

f = ui.view()
ui.page_header(t("data.title"), list(DATASETS))
st.caption(t("data.intro"))

# ------------------------------------------------------------------------------------------ who may edit
with st.container(border=True):
    data_view.access_panel()
editor = auth.is_editor()

overview = data_queries.dataset_overview()
tab_stored, tab_import, tab_edit, tab_batches, tab_files, tab_quality = st.tabs([
    t("data.tab.stored"), t("data.tab.import"), t("data.tab.edit"), t("data.tab.batches"), t("data.tab.files"),
    t("data.tab.quality"),
], key="data_tab", on_change="rerun")  # tabs that track state: the quality scan runs only when its tab is open

with tab_stored:
    if overview["rows"].sum() == 0:
        ui.empty_state(["campuses", "buildings", "meters", "readings"])
    ui.summary_table(data_view.overview_table(overview))
    if overview["sample"].any():
        st.caption(t("data.sample_note"))
        if editor and st.button(t("data.clear_sample"), key="data_clear_sample"):
            batch = data_flow.clear_sample()
            st.success(t("data.cleared", batch=batch) if batch else t("data.no_sample"))

with tab_import:
    if not editor:
        data_view.editor_needed()
    else:
        data_view.show_last_summary("import")
        dataset = st.selectbox(t("data.dataset"), list(DATASETS), format_func=data_view.dataset_label,
                               key="imp_dataset")
        fmt = st.selectbox(t("data.format"), FORMATS, format_func=lambda v: t(f"data.fmt.{v}"), key="imp_format")
        st.caption(t("data.upload_explained"))  # Streamlit's drop zone speaks English only
        upload = st.file_uploader(t("data.upload"), type=data_flow.UPLOAD_TYPES, key="imp_file",
                                  help=t("data.upload_help"))
        replace = st.checkbox(t("data.replace_readings" if dataset == "readings" else "data.replace"),
                              key="imp_replace")
        if upload is not None:
            content = upload.getvalue()
            # While the sample is stored, both choices are spelled out with their counts; none is taken silently.
            choices = (True, False) if overview["sample"].any() else (False,)
            checked = {clear: data_flow.check_upload(dataset, upload.name, content, fmt, replace=replace,
                                                     clear_sample=clear) for clear in choices}
            clear = False
            if len(checked) == 2:
                clear = data_view.sample_choice(checked, int(overview.loc[overview["sample"], "rows"].sum()))
                if clear is None:
                    st.stop()
            parsed, preview = checked[clear]
            data_view.show_preview(preview)
            if preview.ok and preview.changes and st.button(
                    t("data.confirm", rows=fmt_count("rows", preview.added + preview.replaced + preview.unchanged)),
                    type="primary",
                    key="imp_confirm"):
                try:
                    summary = data_flow.import_upload(parsed, replace=replace, clear_sample=clear)
                except StoreRefused as exc:
                    data_view.show_problems(exc.problems or [], exc.text())
                else:
                    data_view.remember_summary(summary, "import")
                    st.rerun()
            elif preview.ok and not preview.changes:
                st.info(t("data.nothing_new"))

    # ------------------------------------------------------------------------- connectors (issue 7)
    st.divider()
    fetch_view.connector_panel(editor)

with tab_edit:
    if not editor:
        data_view.editor_needed()
    else:
        name = st.selectbox(t("data.dataset"), data_flow.EDITABLE, format_func=data_view.dataset_label,
                            key="edit_dataset")
        data_view.show_last_summary("edit")
        table = data_flow.editable_table(name)
        st.caption(t("data.edit_help"))
        edited = ui.table_editor(table, num_rows="dynamic", column_config=data_view.column_config(name),
                                 key=f"edit_{name}")
        if st.button(t("data.save"), type="primary", key="edit_save"):
            try:
                parsed, summary = data_flow.save_edits(name, edited, t("data.edit_label"))
            except StoreRefused as exc:
                data_view.show_problems(exc.problems or [], exc.text())
            else:
                if summary is None:
                    data_view.show_problems(parsed.problems)
                else:
                    data_view.remember_summary(summary, "edit")
                    st.rerun()

with tab_batches:
    batches = data_queries.batch_list()
    st.dataframe(data_view.batch_table(batches), hide_index=True, width="stretch")
    if editor:
        undoable = batches[batches["undone"].isna()]["batch_id"].tolist()
        if undoable:
            chosen = st.selectbox(t("data.undo_which"), undoable, key="undo_batch",
                                  format_func=lambda b: data_view.batch_label(batches, b))
            if st.button(t("data.undo"), key="undo_go"):
                try:
                    result = data_flow.undo_batch(int(chosen))
                except StoreRefused as exc:
                    st.error(exc.text(), icon=":material/block:")
                else:
                    st.success(t("data.undone", batch=result.batch_id, removed=fmt_count("rows", result.removed),
                                 restored=fmt_count("rows", result.restored)))
    else:
        st.caption(t("data.undo_needs_editor"))

with tab_files:
    name = st.selectbox(t("data.dataset"), list(DATASETS), format_func=data_view.dataset_label, key="files_dataset")
    data_view.download_buttons(name)
    ui.summary_table(data_view.describe(name))

with tab_quality:
    if tab_quality.open:
        quality = data_queries.meter_quality(f.campus)
        if quality.empty:
            ui.empty_state(["meters", "readings"])
        else:
            data_view.quality_summary(quality)
            st.dataframe(data_view.quality_table(quality), hide_index=True, width="stretch")
            st.caption(data_view.quality_rules_text())
