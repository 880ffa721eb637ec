"""Data in and out on the command line: import, batches, undo, export, template, backup, restore,
set-password and clear-sample (registered in cli.COMMANDS).

Exit codes (DESIGN.md): 0 and a summary on success; 2 on bad input with every problem listed (file, row,
column) and nothing stored changed; 1 on other failures. Messages are Danish unless HEG_DASH_LANG=en.
The CLI works while the app runs: short-lived connections that wait for the lock, and every write bumps
the data version the app's cache is keyed by.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from heg_dash import auth, cli, db, i18n, store
from heg_dash.datasets import DATASETS
from heg_dash.i18n import t
from heg_dash.importers import FORMATS, export
from heg_dash.importers import apply as importing
from heg_dash.importers.read import MappedFile, read_file
from heg_dash.labels import removed_suffix

BadInput = cli.BadInput


def _language() -> None:
    i18n.set_language(os.environ.get("HEG_DASH_LANG", "da"))


def _print_problems(problems: list) -> None:
    for problem in problems:
        print(f"  {problem.text()}", file=sys.stderr)


def _print_warnings(warnings: list) -> None:
    for warning in warnings:
        print(t("data.cli.warning", text=warning.text()))


def _sample_hint() -> None:
    left = sorted(db.sample_datasets())
    if left:
        print(t("data.cli.sample_left", datasets=", ".join(left)))


def cmd_import(args: argparse.Namespace) -> int:
    _language()
    path = Path(args.file)
    if not path.is_file():
        raise BadInput(t("data.cli.no_file", file=args.file))
    content = read_file(path)
    with db.session():  # one connection for reading the context and writing: the file is opened once
        return _import(args, path, content)


def _import(args: argparse.Namespace, path: Path, content: bytes | MappedFile) -> int:
    """Parse, then preview (--dry-run) or store the file; the exit code."""
    parsed = importing.read_upload(args.dataset, path.name, content, args.format, exclude_sample=args.clear_sample)
    if args.dry_run:
        pv = importing.preview(parsed, args.replace, clear_sample=args.clear_sample)
        if pv.problems:
            print(t("data.cli.problems", file=path.name, count=len(pv.problems)), file=sys.stderr)
            _print_problems(pv.problems)
            return cli.EXIT_BAD_INPUT
        _print_warnings(pv.warnings)
        print(t("data.cli.dry_run", dataset=args.dataset, file=path.name, format=pv.format, added=pv.added,
                replaced=pv.replaced, unchanged=pv.unchanged, removed=removed_suffix(pv.removed)))
        return cli.EXIT_OK
    try:
        summary = importing.apply(parsed, replace=args.replace, user=auth.cli_user(), file_name=path.name,
                                  sha256=parsed.digest, clear_sample=args.clear_sample)
    except store.StoreRefused as exc:
        print(t("data.cli.problems", file=path.name, count=len(exc.problems)), file=sys.stderr)
        _print_problems(exc.problems)
        return cli.EXIT_BAD_INPUT
    _print_warnings(summary.warnings)
    if summary.cleared_batch_id is not None:
        print(t("data.cli.cleared", batch=summary.cleared_batch_id))
    if summary.batch_id is None:
        print(t("data.cli.unchanged", dataset=args.dataset, file=path.name, unchanged=summary.unchanged))
    else:
        print(t("data.cli.imported", dataset=args.dataset, file=path.name, added=summary.added,
                replaced=summary.replaced, unchanged=summary.unchanged, removed=removed_suffix(summary.removed),
                batch=summary.batch_id))
    _sample_hint()
    return cli.EXIT_OK


def _json_value(value: object) -> object:
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
        if isinstance(value, pd.Timestamp):
            return value.isoformat()
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        return value.item()
    return value


def cmd_batches(args: argparse.Namespace) -> int:
    _language()
    frame = store.batches()
    rows = [{
        "id": int(r.batch_id), "dataset": r.dataset, "kind": r.kind, "file_name": _json_value(r.file_name),
        "sha256": _json_value(r.sha256), "user": _json_value(r.user_name),
        "created_at": _json_value(r.created_at), "rows_added": int(r.rows_added),
        "rows_replaced": int(r.rows_replaced), "rows_unchanged": int(r.rows_unchanged),
        "rows_removed": int(r.rows_removed), "undone_at": _json_value(r.undone_at), "note": _json_value(r.note),
    } for r in frame.itertuples(index=False)]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return cli.EXIT_OK
    for r in rows:
        state = t("data.cli.undone") if r["undone_at"] else ""
        print(f"{r['id']:>5}  {r['created_at'][:19]}  {r['kind']:<12} {r['dataset']:<20} "
              f"+{r['rows_added']:<8} ~{r['rows_replaced']:<8} -{r['rows_removed']:<8} "
              f"{r['user'] or ''}  {r['file_name'] or ''} {state}")
    return cli.EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    _language()
    try:
        result = importing.undo(args.batch_id, auth.cli_user())
    except store.StoreRefused as exc:
        raise BadInput(exc.text()) from exc
    print(t("data.cli.undone_summary", batch=result.batch_id, removed=result.removed, restored=result.restored))
    return cli.EXIT_OK


def _out_format(out: str, allowed: tuple[str, ...]) -> str:
    suffix = Path(out).suffix.lower().lstrip(".")
    if suffix not in allowed:
        raise BadInput(t("data.cli.out_format", file=out, formats=", ".join("." + a for a in allowed)))
    return suffix


def cmd_export(args: argparse.Namespace) -> int:
    _language()
    fmt = _out_format(args.out, ("csv", "xlsx"))
    from heg_dash import queries  # Streamlit comes with it: only the commands that read tables pay for it

    ds = DATASETS[args.dataset]
    frame = queries.table(args.dataset)
    data = export.to_csv(ds, frame) if fmt == "csv" else export.to_xlsx(ds, frame)
    Path(args.out).write_bytes(data)
    print(t("data.cli.exported", dataset=args.dataset, rows=len(frame), file=args.out))
    return cli.EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    _language()
    fmt = _out_format(args.out, ("csv", "xlsx"))
    ds = DATASETS[args.dataset]
    Path(args.out).write_bytes(export.template_csv(ds) if fmt == "csv" else export.template_xlsx(ds))
    print(t("data.cli.template", dataset=args.dataset, file=args.out))
    return cli.EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    _language()
    out = store.backup(args.out)
    print(t("data.cli.backup", file=out, size=round(out.stat().st_size / 1_000_000, 1)))
    return cli.EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    _language()
    try:
        counts = store.restore(args.file, auth.cli_user())
    except store.StoreRefused as exc:
        raise BadInput(exc.text()) from exc
    print(t("data.cli.restored", file=args.file, rows=sum(counts.values())))
    return cli.EXIT_OK


def _read_password() -> str:
    """Without echo at a terminal (asked twice); the first line of stdin otherwise (scripts, tests)."""
    if sys.stdin.isatty():
        first = getpass.getpass(t("data.cli.password_prompt"))
        if getpass.getpass(t("data.cli.password_again")) != first:
            raise BadInput(t("data.cli.password_mismatch"))
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_set_password(args: argparse.Namespace) -> int:
    _language()
    password = _read_password()
    try:
        auth.set_password(password, auth.cli_user())
    except ValueError as exc:
        raise BadInput(t("data.cli.password_short", length=auth.MIN_PASSWORD_LENGTH)) from exc
    print(t("data.cli.password_set"))
    return cli.EXIT_OK


def cmd_clear_sample(args: argparse.Namespace) -> int:
    _language()
    batch = store.clear_sample(auth.cli_user())
    print(t("data.cli.no_sample") if batch is None else t("data.cli.cleared", batch=batch))
    return cli.EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    names = list(DATASETS)
    p = sub.add_parser("import", help="import a file into a dataset (validated; one undoable batch)")
    p.add_argument("dataset", choices=names)
    p.add_argument("file")
    p.add_argument("--format", choices=FORMATS, default="auto")
    p.add_argument("--replace", action="store_true",
                   help="replace the whole dataset (readings: the meters and period in the file)")
    p.add_argument("--dry-run", action="store_true", help="validate and preview only; store nothing")
    p.add_argument("--clear-sample", action="store_true", help="clear the sample data first (same transaction)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("batches", help="import history, newest first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_batches)

    p = sub.add_parser("undo", help="undo a batch (refused if a later batch touched the same rows)")
    p.add_argument("batch_id", type=int)
    p.set_defaults(func=cmd_undo)

    p = sub.add_parser("export", help="export a dataset to .csv or .xlsx")
    p.add_argument("dataset", choices=names)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("template", help="an empty import template (.csv, or .xlsx with column descriptions)")
    p.add_argument("dataset", choices=names)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("backup", help="a consistent copy of the database")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the database's contents with a backup (validated first)")
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("set-password", help="set the editor password (read without echo)")
    p.set_defaults(func=cmd_set_password)

    p = sub.add_parser("clear-sample", help="remove the sample data as one undoable batch")
    p.set_defaults(func=cmd_clear_sample)


cli.COMMANDS.append(register)
