"""``heg-dash migrate --from data/heg.duckdb --to postgresql://…``: a school's store copied to the other engine (or
back) with its whole history, checked by row counts (every table) and by the KPI contract (``kpis --json`` of every
year with data for the whole school, and of each campus for the newest year, the same on both sides)."""

from __future__ import annotations

import argparse
import math

from heg_dash import store
from heg_dash.cli.common import EXIT_FAILURE, EXIT_OK, BadInput, error, note
from heg_dash.i18n import fmt_number, t
from heg_dash.store import db
from heg_dash.store.migrate import migrate

# Two engines sum floating-point numbers in their own order: the last of 16 digits may differ.
REL_TOLERANCE = 1e-9


def differences(a: object, b: object, path: str = "") -> list[str]:
    """Where two KPI objects differ (floats within ``REL_TOLERANCE`` count as equal): "path: a ≠ b" each."""
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return [f"{path or 'keys'}: {list(a)} ≠ {list(b)}"]
        return [d for key in a for d in differences(a[key], b[key], f"{path}.{key}" if path else str(key))]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{path}[{i}]")]
    if isinstance(a, float) and isinstance(b, float):
        same = math.isclose(a, b, rel_tol=REL_TOLERANCE, abs_tol=1e-12) or (math.isnan(a) and math.isnan(b))
        return [] if same else [f"{path}: {a!r} ≠ {b!r}"]
    return [] if type(a) is type(b) and a == b else [f"{path}: {a!r} ≠ {b!r}"]


def kpi_runs(store_target: str) -> list[tuple[int, str | None]]:
    """(year, campus) pairs to compare: every year with data for the whole school, each campus in the newest."""
    from heg_dash import queries

    with db.using(store_target), db.session():
        years = queries.years_with_data()
        campuses = sorted(queries.table("campuses")["campus_id"])
    runs: list[tuple[int, str | None]] = [(year, None) for year in years]
    if years:
        runs += [(years[-1], campus) for campus in campuses]
    return runs


def compare_kpis(source: str, target: str) -> tuple[list[tuple[int, str | None]], list[str], tuple | None]:
    """(the runs compared, the differences of the first run that differs, that run)."""
    from heg_dash import kpis

    runs = kpi_runs(source)
    for year, campus in runs:
        with db.using(source):
            before = kpis.compute(year, campus)
        with db.using(target):
            after = kpis.compute(year, campus)
        found = differences(before, after)
        if found:
            return runs, found, (year, campus)
    return runs, [], None


def cmd_migrate(args: argparse.Namespace) -> int:
    source, target = str(db.target(args.source)), str(db.target(args.target))
    note(t("engines.cli.copying", source=db.describe(source), target=db.describe(target)))
    try:
        counts = migrate(source, target, force=args.force)
    except store.StoreRefused as exc:
        raise BadInput(exc.text()) from exc
    print(t("engines.cli.copied", rows=fmt_number(sum(counts.values())), tables=len(counts)))
    runs, found, run = compare_kpis(source, target)
    if found:
        year, campus = run
        error(t("engines.cli.kpis_differ", year=year, campus=campus or t("engines.cli.school"),
                differences="; ".join(found[:5]), target=db.describe(target)))
        return EXIT_FAILURE
    years = sorted({year for year, _ in runs})
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else ", ".join(map(str, years)) or "–"
    print(t("engines.cli.kpis_same", years=span, runs=len(runs)))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help=t("cli.help.migrate"))
    p.add_argument("--from", dest="source", required=True, help=t("cli.help.migrate_from"))
    p.add_argument("--to", dest="target", required=True, help=t("cli.help.migrate_to"))
    p.add_argument("--force", action="store_true", help=t("cli.help.migrate_force"))
    p.set_defaults(func=cmd_migrate)
