"""Data in and out on the command line: import, batches, undo, export, template, backup, restore,
set-password and clear-sample.

Exit codes (DESIGN.md): 0 and a summary on success; 2 on bad input with every problem listed (file, row,
column) and nothing stored changed; 1 on other failures. Messages are Danish unless HEG_DASH_LANG=en.
The CLI works while the app runs: short-lived connections that wait for the lock, and every write bumps
the data version the app's cache is keyed by.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from heg_dash import store
from heg_dash.cli.common import EXIT_BAD_INPUT, EXIT_OK, BadInput, json_value, table_lines
from heg_dash.cli.common import print_problems as _print_problems
from heg_dash.datasets import DATASETS
from heg_dash.i18n import fmt_number, t
from heg_dash.i18n.labels import removed_suffix
from heg_dash.importers import FORMATS, export
from heg_dash.importers.read import MappedFile, read_file
from heg_dash.store import db
from heg_dash.store import imports as importing
from heg_dash.views import auth

TIMEZONE = "Europe/Copenhagen"


def _print_warnings(warnings: list) -> None:
    for warning in warnings:
        print(t("data.cli.warning", text=warning.text()))


def _sample_hint() -> None:
    left = sorted(db.sample_datasets())
    if left:
        print(t("data.cli.sample_left", datasets=", ".join(left)))


def cmd_import(args: argparse.Namespace) -> int:
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
            return EXIT_BAD_INPUT
        _print_warnings(pv.warnings)
        print(t("data.cli.dry_run", dataset=args.dataset, file=path.name, format=pv.format, added=pv.added,
                replaced=pv.replaced, unchanged=pv.unchanged, removed=removed_suffix(pv.removed)))
        return EXIT_OK
    try:
        summary = importing.apply(parsed, replace=args.replace, user=auth.cli_user(), file_name=path.name,
                                  sha256=parsed.digest, clear_sample=args.clear_sample)
    except store.StoreRefused as exc:
        print(t("data.cli.problems", file=path.name, count=len(exc.problems)), file=sys.stderr)
        _print_problems(exc.problems)
        return EXIT_BAD_INPUT
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
    return EXIT_OK


def _local(value: object) -> str:
    """A stored UTC time as Danish local time with its offset: 2026-12-06 23:02:54+01:00."""
    import pandas as pd

    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return stamp.tz_convert(TIMEZONE).isoformat(sep=" ", timespec="seconds")


def cmd_batches(args: argparse.Namespace) -> int:
    frame = store.batches()
    rows = [{
        "id": int(r.batch_id), "dataset": r.dataset, "kind": r.kind, "file_name": json_value(r.file_name),
        "sha256": json_value(r.sha256), "user": json_value(r.user_name),
        "created_at": _local(r.created_at), "rows_added": int(r.rows_added),
        "rows_replaced": int(r.rows_replaced), "rows_unchanged": int(r.rows_unchanged),
        "rows_removed": int(r.rows_removed), "undone_at": _local(r.undone_at) or None, "note": json_value(r.note),
    } for r in frame.itertuples(index=False)]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        print(t("cli.batches.none"))
        return EXIT_OK
    header = [t(f"cli.batches.{c}") for c in ("id", "when", "kind", "dataset", "added", "replaced", "removed",
                                               "user", "file")]
    body = [[str(r["id"]), r["created_at"], t("data.kind." + r["kind"]) if r["kind"] else "",
             t("data.all_datasets") if r["dataset"] == "*" else r["dataset"], fmt_number(r["rows_added"]),
             fmt_number(r["rows_replaced"]), fmt_number(r["rows_removed"]), r["user"] or "",
             (r["file_name"] or "") + (f" {t('data.cli.undone')}" if r["undone_at"] else "")]
            for r in rows]
    for line in table_lines(header, body, right={0, 4, 5, 6}):
        print(line)
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    try:
        result = importing.undo(args.batch_id, auth.cli_user())
    except store.StoreRefused as exc:
        raise BadInput(exc.text()) from exc
    print(t("data.cli.undone_summary", batch=result.batch_id, removed=result.removed, restored=result.restored))
    return EXIT_OK


def _out_format(out: str, allowed: tuple[str, ...]) -> str:
    suffix = Path(out).suffix.lower().lstrip(".")
    if suffix not in allowed:
        raise BadInput(t("data.cli.out_format", file=out, formats=", ".join("." + a for a in allowed)))
    return suffix


def cmd_export(args: argparse.Namespace) -> int:
    fmt = _out_format(args.out, ("csv", "xlsx"))
    from heg_dash import queries  # Streamlit comes with it: only the commands that read tables pay for it

    ds = DATASETS[args.dataset]
    frame = queries.table(args.dataset)
    data = export.to_csv(ds, frame) if fmt == "csv" else export.to_xlsx(ds, frame)
    Path(args.out).write_bytes(data)
    print(t("data.cli.exported", dataset=args.dataset, rows=len(frame), file=args.out))
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    fmt = _out_format(args.out, ("csv", "xlsx"))
    ds = DATASETS[args.dataset]
    Path(args.out).write_bytes(export.template_csv(ds) if fmt == "csv" else export.template_xlsx(ds))
    print(t("data.cli.template", dataset=args.dataset, file=args.out))
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    if Path(args.out).exists() and not args.force:
        raise BadInput(t("cli.backup.exists", file=args.out))
    out = store.backup(args.out)
    print(t("data.cli.backup", file=out, size=round(out.stat().st_size / 1_000_000, 1)))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    try:
        counts = store.restore(args.file, auth.cli_user())
    except store.StoreRefused as exc:
        raise BadInput(exc.text()) from exc
    print(t("data.cli.restored", file=args.file, rows=sum(counts.values())))
    return EXIT_OK


def _read_password() -> str:
    """Without echo at a terminal (asked twice); the first line of stdin otherwise (scripts, tests)."""
    if sys.stdin.isatty():
        first = getpass.getpass(t("data.cli.password_prompt"))
        if getpass.getpass(t("data.cli.password_again")) != first:
            raise BadInput(t("data.cli.password_mismatch"))
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_set_password(args: argparse.Namespace) -> int:
    password = _read_password()
    try:
        auth.set_password(password, auth.cli_user())
    except ValueError as exc:
        raise BadInput(t("data.cli.password_short", length=auth.MIN_PASSWORD_LENGTH)) from exc
    print(t("data.cli.password_set"))
    return EXIT_OK


def cmd_clear_sample(args: argparse.Namespace) -> int:
    batch = store.clear_sample(auth.cli_user())
    print(t("data.cli.no_sample") if batch is None else t("data.cli.cleared", batch=batch))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    names = list(DATASETS)
    p = sub.add_parser("import", help=t("cli.help.import"))
    p.add_argument("dataset", choices=names)
    p.add_argument("file")
    p.add_argument("--format", choices=FORMATS, default="auto")
    p.add_argument("--replace", action="store_true", help=t("cli.help.replace"))
    p.add_argument("--dry-run", action="store_true", help=t("cli.help.dry_run"))
    p.add_argument("--clear-sample", action="store_true", help=t("cli.help.clear_sample_first"))
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("batches", help=t("cli.help.batches"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(func=cmd_batches)

    p = sub.add_parser("undo", help=t("cli.help.undo"))
    p.add_argument("batch_id", type=int)
    p.set_defaults(func=cmd_undo)

    p = sub.add_parser("export", help=t("cli.help.export"))
    p.add_argument("dataset", choices=names)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("template", help=t("cli.help.template"))
    p.add_argument("dataset", choices=names)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("backup", help=t("cli.help.backup"))
    p.add_argument("--out", required=True)
    p.add_argument("--force", action="store_true", help=t("cli.help.backup_force"))
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help=t("cli.help.restore"))
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("set-password", help=t("cli.help.set_password"))
    p.set_defaults(func=cmd_set_password)

    p = sub.add_parser("clear-sample", help=t("cli.help.clear_sample"))
    p.set_defaults(func=cmd_clear_sample)
