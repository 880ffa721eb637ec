"""Headlines in words: the figures the pages show, said as short Danish or English sentences and ranked by how
notable they are. Deterministic and free of Streamlit; the maths is ``heg_dash.metrics.notability`` (read its
docstring for the scale: multiples of the usual variation, news from NOTABLE = 2).

The rules, for a year Y (and a campus):

1. **change** — each series of ``SERIES`` (KPI contract values): its change against Y−1 measured against the
   changes of the earlier years (``notability.yearly_change``): score = |c_Y − μ| ÷ σ. Amounts are said in
   per cent as the pages' deltas are ("Elforbruget steg 5,2 % i 2025"), ratios, shares and counts as from → to
   ("Overskudsgraden faldt fra 1,9 % til 1,7 % i 2025"). A change under 1 % (or the series' floor) never counts.
2. **path** — årselever (KPI target and status) and CO₂e (the Bæredygtighed page's reduction path and status)
   when the status is off track: the gap to the path in usual years of movement (``notability.gap_score``):
   "Årselever 2025: 1.468 — 87 under målstien".
3. **crossed** — a scorecard tile (the Overblik page) whose status crossed between on track (achieved or
   on_track) and off track since Y−1, with a value from Y: ``CROSSED`` = 2.5, ``ACHIEVED`` = 3 when it reached
   its target.
4. **record** — a series at its highest or lowest in at least five years, unless the year before set the
   same record (``notability.record``): ``RECORD`` = 2.
5. **spell** — the Energi page's anomalies in Y (``queries.energy_analysis.anomalies`` over the page's period):
   a building and utility whose flagged days hold a spell that lasts, scored by its longest spell
   (``notability.spell_score``). The text gives the page's figures (days, excess kWh, first and last week) and
   says "mest om natten" / "mest i weekenderne" when more than half of the excess fell at night (22–06,
   against the night share of the 8 weeks before) or on Saturdays and Sundays.

6. **week** — the newest complete week's electricity against what was expected hour by hour, the Energi page's
   "Er forbruget normalt?" (``queries.energy_analysis.against_expected``, the same call and the same figures),
   for the year that page opens on that week (the newest complete year): score = |change| ÷ the usual weekly
   variation, so a week the page calls normal (within two usual variations) makes no headline. "Elforbrug i uge
   45 (3.–9. nov. 2025) var 19 % over det forventede — mest AAR-B Værksted Aars om natten".

One headline per topic (its best rule), best first; ties broken by rule order and key, so the ranking never
changes between runs. A year to date (partial) has only rule 5: its figures are not comparable with full years.
Each number in a headline is a ``Figure``: its value, its text exactly as the page prints it, and where the
figure comes from (``sources``), so a test can hold every headline against the pages and the KPI contract.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from heg_dash import queries
from heg_dash.i18n import fmt_number, fmt_percent, fmt_period, t
from heg_dash.kpis import common
from heg_dash.metrics import notability as nb
from heg_dash.metrics.resolution import newest_complete_year, quick_ranges
from heg_dash.queries.cache import cached

CROSSED, ACHIEVED, RECORD = 2.5, 3.0, 2.0
KIND_ORDER = ("week", "spell", "crossed", "path", "change", "record")
GOOD = ("achieved", "on_track")
MIN_RELATIVE_CHANGE = 0.01
BASELINE_DAYS = 56  # the anomaly baseline's 8 weeks, for the night share before a spell
ENERGY_YEAR = "energi?en_range=year"  # the Energi page showing the whole year (it opens on the newest week)


@dataclass(frozen=True)
class Series:
    """A KPI contract value followed by the change and record rules, and how and where its page prints it."""

    topic: str  # also the catalogue's headline.subject.<topic>
    path: str  # "section.field" in the KPI contract
    slide: str  # the slide (and page) the news belongs to
    direction: str  # "higher" or "lower" is better
    relative: bool  # a change in per cent (amounts) or from → to (ratios, shares, counts)
    decimals: int = 0
    unit: str | None = None
    share: bool = False  # 0–1, printed in per cent
    floor: float = 0.01  # the smallest usual variation (of the relative change, or in the series' unit)
    label: str = ""  # catalogue key of the page's term for the value
    page: str = ""  # the page view that prints the year's value ("energi?en_utility=district_heating")
    change_page: str = ""  # the page view that prints the change in per cent, if one does

    def text(self, value: float) -> str:
        if self.share:
            return fmt_percent(value)
        return fmt_number(value, self.decimals, self.unit)


SERIES = (
    Series("aarselever", "aarselever.value", "overblik", "higher", True, label="kpi.aarselever", page="overblik"),
    Series("m2_per_aarselev", "m2_per_aarselev.value", "faciliteter", "lower", False, 1, "m²", floor=0.1,
           label="kpi.m2_per_aarselev", page="overblik"),
    Series("electricity", "energy.electricity_kwh", "energi", "lower", True, 0, "kWh",
           label="headline.label.electricity", page=ENERGY_YEAR, change_page=ENERGY_YEAR),
    Series("heat", "energy.heat_normalised_kwh", "energi", "lower", True, 0, "kWh", label="headline.label.heat",
           page="energi?en_utility=district_heating&en_range=year"),
    Series("eui", "energy.eui_weighted_kwh_m2", "faciliteter", "lower", True, label="headline.label.eui",
           page="overblik"),
    Series("co2e", "co2e_t.total_location", "baeredygtighed", "lower", True, 0, "t", label="headline.label.co2e",
           page="baeredygtighed", change_page="baeredygtighed"),
    Series("outbound_students", "mobilities.outbound_students", "internationalt", "higher", False, floor=1,
           label="intl.outbound_students", page="internationalt"),
    Series("outbound_staff", "mobilities.outbound_staff", "internationalt", "higher", False, floor=1,
           label="intl.outbound_staff", page="internationalt"),
    Series("inbound", "mobilities.inbound", "internationalt", "higher", False, floor=1, label="intl.inbound",
           page="internationalt"),
    Series("green_travel", "mobilities.green_travel_share", "internationalt", "higher", False, share=True,
           label="intl.green_travel_share", page="internationalt"),
    Series("overskudsgrad", "economy.overskudsgrad", "oekonomi", "higher", False, 1, "%", floor=0.1,
           label="economy.ratio.overskudsgrad", page="oekonomi"),
    Series("likviditetsgrad", "economy.likviditetsgrad", "oekonomi", "higher", False, 1, "%", floor=1,
           label="economy.ratio.likviditetsgrad", page="oekonomi"),
    Series("soliditetsgrad", "economy.soliditetsgrad", "oekonomi", "higher", False, 1, "%", floor=0.5,
           label="economy.ratio.soliditetsgrad", page="oekonomi"),
    Series("cost_per_aarselev", "economy.cost_per_aarselev_dkk", "oekonomi", "lower", True, 0, "kr.",
           label="headline.label.cost_per_aarselev", page="oekonomi"),
)
# A scorecard tile's topic (so a crossing and a change of the same figure make one headline) and slide.
TILE_TOPIC = {"aarselever": "aarselever", "m2_per_aarselev": "m2_per_aarselev", "eui_weighted_kwh_m2": "eui",
              "co2e_t": "co2e", "green_travel_share": "green_travel", "overskudsgrad": "overskudsgrad",
              "likviditetsgrad": "likviditetsgrad"}
AREA_SLIDE = {"rekruttering": "overblik", "laering": "overblik", "organisation": "overblik", "omverden": "overblik",
              "faciliteter": "faciliteter", "oekonomi": "oekonomi", "internationalt": "internationalt",
              "baeredygtighed": "baeredygtighed"}


@dataclass(frozen=True)
class Figure:
    """A number in a headline: its value, its text as the page prints it, and where it comes from.

    ``sources`` name where the same figure is found: ``kpi:<year>:<section.field>`` (the KPI contract),
    ``change:<section.field>`` / ``gap:<section.field>`` (worked from the contract's values), ``tile:<year>:<key>``
    (a scorecard tile), ``anomaly:<utility>:<building>:<column>`` (the Energi page's anomaly table) and
    ``page:<page id>`` (the text appears on that page for the same year).
    """

    name: str
    value: float
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Headline:
    key: str  # "<kind>:<topic or building>", unique
    kind: str  # one of KIND_ORDER
    topic: str
    slide: str
    score: float
    text: str
    figures: tuple[Figure, ...]

    @property
    def notable(self) -> bool:
        return self.score >= nb.NOTABLE


def _get(kpi: dict | None, path: str) -> float | None:
    node: object = kpi
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return float(node) if isinstance(node, int | float) and not isinstance(node, bool) else None


def kpi_history(year: int, campus: str | None) -> dict[int, dict]:
    """{y: the KPI contract's sections (without the SDGs)} for every year with data up to ``year``."""
    from heg_dash import kpis

    return {y: {key: section(y, campus) for key, section in kpis.SECTIONS.items() if key != "sdg"}
            for y in queries.years_with_data() if y <= year}


# ----------------------------------------------------------------------------------------------- rules

def _change(series: Series, history: dict[int, dict], year: int) -> Headline | None:
    values = {y: _get(kpi, series.path) for y, kpi in history.items()}
    found = nb.yearly_change(values, year, series.relative, series.floor)
    if found is None or abs(found.change) < (MIN_RELATIVE_CHANGE if series.relative else series.floor):
        return None
    subject = t("headline.subject." + series.topic)
    verb = "rose" if found.change > 0 else "fell"
    value = Figure("value", found.value, series.text(found.value), (f"kpi:{year}:{series.path}",))
    previous = Figure("previous", found.previous, series.text(found.previous), (f"kpi:{year - 1}:{series.path}",))
    if series.relative:
        shown = (f"page:{series.change_page}",) if series.change_page else ()
        change = Figure("change", found.change, fmt_percent(abs(found.change)), (f"change:{series.path}", *shown))
        text = t(f"headline.{verb}_pct", subject=subject, change=change.text, year=year)
        figures = (change,)
    else:
        value = Figure("value", found.value, value.text, (*value.sources, f"page:{series.page}"))
        text = t(f"headline.{verb}_level", subject=subject, previous=previous.text, value=value.text, year=year)
        figures = (previous, value)
    return Headline(f"change:{series.topic}", "change", series.topic, series.slide, found.score, text, figures)


def _record(series: Series, history: dict[int, dict], year: int) -> Headline | None:
    values = {y: _get(kpi, series.path) for y, kpi in history.items()}
    kind = nb.record(values, year)
    if kind is None:
        return None
    value = Figure("value", values[year], series.text(values[year]),
                   (f"kpi:{year}:{series.path}", f"page:{series.page}"))
    years = sum(1 for v in values.values() if v is not None)
    text = t(f"headline.record_{kind}", label=t(series.label), year=year, value=value.text, years=years)
    return Headline(f"record:{series.topic}", "record", series.topic, series.slide, RECORD, text, (value,))


def _path(topic: str, label: str, slide: str, values: dict[int, float | None], year: int, target: float | None,
          status: str, series: Series, sources: tuple[str, ...]) -> Headline | None:
    value = values.get(year)
    if value is None or target is None or status in GOOD or status == "no_data":
        return None
    score = nb.gap_score(values, year, target)
    if score is None:
        return None
    gap = value - target
    shown = Figure("value", value, series.text(value), (f"kpi:{year}:{series.path}", f"page:{series.page}"))
    gap_figure = Figure("gap", abs(gap), series.text(abs(gap)), sources)
    key = "headline.above_path" if gap > 0 else "headline.below_path"
    text = t(key, label=label, year=year, value=shown.text, gap=gap_figure.text)
    return Headline(f"path:{topic}", "path", topic, slide, score, text, (shown, gap_figure))


def _paths(history: dict[int, dict], year: int, campus: str | None) -> list[Headline]:
    from heg_dash.kpis import sustainability

    by_topic = {s.topic: s for s in SERIES}
    found = []
    kpi = history.get(year, {})
    aarselever = {y: _get(k, "aarselever.value") for y, k in history.items()}
    found.append(_path("aarselever", t("kpi.aarselever"), "overblik", aarselever, year,
                       _get(kpi, "aarselever.target"), (kpi.get("aarselever") or {}).get("status", "no_data"),
                       by_topic["aarselever"], ("gap:aarselever",)))
    if campus is None:
        co2e = sustainability.co2e_overview(year, campus)
        if co2e.get("ledger") is not None and not co2e["partial"]:
            totals = {y: _get(k, "co2e_t.total_location") for y, k in history.items()}
            found.append(_path("co2e", t("headline.label.co2e"), "baeredygtighed", totals, year,
                               co2e.get("path_value"), co2e.get("status", "no_data"), by_topic["co2e"],
                               ("gap:co2e_t.total_location",)))
    return [h for h in found if h is not None]


def _tile_text(tile: common.Tile) -> str:
    """A tile's value as the Overblik page prints it (short units with the number)."""
    unit = tile.unit if len(tile.unit) <= 3 else None
    return fmt_number(tile.value, tile.decimals, unit)


def _crossings(year: int, campus: str | None, lang: str) -> list[Headline]:
    from heg_dash.kpis import scorecard

    before = {tile.key: tile for area in scorecard.scorecard(year - 1, campus, lang) for tile in area.tiles}
    found = []
    for area in scorecard.scorecard(year, campus, lang):
        for tile in area.tiles:
            old = before.get(tile.key)
            if (old is None or tile.value is None or tile.value_year != year or "no_data" in (tile.status, old.status)
                    or (tile.status in GOOD) == (old.status in GOOD)):
                continue
            if tile.status == "achieved":
                key, score = "headline.achieved_now", ACHIEVED
            else:
                key, score = ("headline.on_track_now", CROSSED) if tile.status in GOOD else (
                    "headline.off_track_now", CROSSED)
            value = Figure("value", tile.value, _tile_text(tile), (f"tile:{year}:{tile.key}", "page:overblik"))
            topic = TILE_TOPIC.get(tile.key, tile.key)
            text = t(key, label=tile.label, year=year, value=value.text)
            found.append(Headline(f"crossed:{topic}", "crossed", topic, AREA_SLIDE.get(tile.focus_area, "overblik"),
                                  score, text, (value,)))
    return found


def _weeks(first: dt.date, last: dt.date) -> str:
    start, end = nb.iso_weeks(first, last)
    return t("headline.week", week=start) if start == end else t("headline.weeks", first=start, last=end)


def _when(utility: str, building: str, rows, campus: str | None) -> str | None:
    """"night" or "weekend" when more than half of the excess on the flagged days fell there, else None."""
    from heg_dash.queries import energy as qe
    from heg_dash.queries import energy_analysis as qa

    days = sorted(rows["day"])
    use, expected = float(rows["kwh"].sum()), float(rows["expected_kwh"].sum())
    first, last = days[0], days[-1]
    hourly = qe.hourly_by_building(utility, first, last, campus, building)
    before = qe.hourly_by_building(utility, first - dt.timedelta(days=BASELINE_DAYS), first - dt.timedelta(days=1),
                                   campus, building)
    share = nb.night_share(before, qa.skip_days())
    on_days, at_night = nb.night_use(hourly, days)
    hourly_enough = len(hourly) >= 20 * len(days)  # day or month readings say nothing of the hours
    if hourly_enough and share is not None and on_days > 0:
        night = nb.excess_share(on_days, expected, at_night, share * expected)
        if night is not None and night > 0.5:
            return "night"
    weekend = rows[[d.weekday() >= 5 for d in rows["day"]]]
    part = nb.excess_share(use, expected, float(weekend["kwh"].sum()), float(weekend["expected_kwh"].sum()))
    return "weekend" if part is not None and part > 0.5 else None


def _spells(year: int, campus: str | None) -> list[Headline]:
    from heg_dash.queries import energy as qe
    from heg_dash.queries import energy_analysis as qa

    period = qe.view_period(year, None, None)
    if period is None:
        return []
    found_days = qa.anomalies(*period, campus, None)
    if found_days.empty:
        return []
    names = dict(zip(*[queries.table("buildings")[c] for c in ("building_id", "name")], strict=True))
    found = []
    for row in qa.anomaly_summary(found_days).itertuples():
        rows = found_days[(found_days["utility"] == row.utility) & (found_days["building_id"] == row.building_id)]
        lasting = nb.spells(rows["day"])
        if not lasting:
            continue
        where = f"anomaly:{row.utility}:{row.building_id}"
        excess = Figure("excess_kwh", float(row.excess), fmt_number(row.excess, 0, "kWh"),
                        (f"{where}:excess", f"page:{ENERGY_YEAR}"))
        days = Figure("days", float(row.days), fmt_number(row.days), (f"{where}:days", f"page:{ENERGY_YEAR}"))
        text = t("headline.spell", building=names.get(row.building_id, row.building_id), excess=excess.text,
                 utility=t(f"headline.utility.{row.utility}"), days=days.text, weeks=_weeks(row.first, row.last))
        when = _when(row.utility, row.building_id, rows, campus)
        if when:
            text = f"{text} — {t('headline.when.' + when)}"
        score = nb.spell_score(max(s.days for s in lasting))
        found.append(Headline(f"spell:{row.utility}:{row.building_id}", "spell", f"{row.utility}:{row.building_id}",
                              "energi", score, text, (excess, days)))
    return found


def newest_week(year: int) -> tuple[dt.date, dt.date] | None:
    """The newest complete week (Monday to Sunday) when the Energi page opens ``year`` on it, else None."""
    first_data, last_data = queries.reading_span()
    if last_data is None or year != newest_complete_year(last_data):
        return None
    return quick_ranges(last_data, last_data.year, first_data)["last_week"]


def week_headline(first: dt.date, last: dt.date, campus: str | None) -> Headline | None:
    """The week's electricity against what was expected, in the Energi page's figures and words (rule 6)."""
    from heg_dash.queries import energy_analysis as qa

    against = qa.against_expected("electricity", first, last, campus, None)
    if against is None or against.change is None or not against.usual or against.normal is None:
        return None
    score = abs(against.change) / against.usual
    if against.normal:  # the page's "normal" (|change| ≤ 2 usual variations) is never news, even at exactly 2
        score = min(score, nb.NOTABLE - 1e-9)
    period = fmt_period(first, last)
    share = fmt_percent(abs(against.change), 0)
    change = Figure("change", abs(against.change), share, ("week:change", "page:energi"))
    week = Figure("week", float(first.isocalendar().week), period, ("week:period", "page:energi"))
    text = t("headline.week_use", utility=t("energy.use.electricity"), range=period,
             change=t("energy.normal.over" if against.change >= 0 else "energy.normal.under", share=share))
    if against.building and not against.normal:
        names = dict(zip(*[queries.table("buildings")[c] for c in ("building_id", "name")], strict=True))
        text = f"{text} — " + t("headline.week_where", building=f"{against.building} {names.get(against.building, '')}"
                                .strip(), band=t(f"energy.normal.band.{against.band}"))
    return Headline("week:electricity", "week", "week:electricity", "energi", score, text, (week, change))


# ---------------------------------------------------------------------------------------------- ranking

def rank(candidates: list[Headline]) -> list[Headline]:
    """Best first; one per topic (its best rule); ties by rule order, then key."""
    ordered = sorted(candidates, key=lambda h: (-round(h.score, 9), KIND_ORDER.index(h.kind), h.key))
    seen: set[str] = set()
    out = []
    for headline in ordered:
        if headline.topic not in seen:
            seen.add(headline.topic)
            out.append(headline)
    return out


@cached
def candidates(year: int, campus: str | None = None, lang: str = "da") -> list[Headline]:
    """Every headline the rules find for ``year``, notable or not, ranked (``lang`` keys the texts' language)."""
    found = _spells(year, campus)
    week = newest_week(year)
    if week is not None:
        found += [h for h in (week_headline(*week, campus),) if h is not None]
    if not common.partial_year(year):
        history = kpi_history(year, campus)
        for series in SERIES:
            found += [h for h in (_change(series, history, year), _record(series, history, year)) if h is not None]
        found += _paths(history, year, campus)
        found += _crossings(year, campus, lang)
    return rank(found)


def headlines(year: int, campus: str | None = None, lang: str = "da") -> list[Headline]:
    """The notable headlines of ``year`` (score ≥ NOTABLE), best first; the texts in the current language."""
    return [h for h in candidates(year, campus, lang) if h.notable]


def best_for_slide(found: list[Headline], slide: str) -> Headline | None:
    """The slide's best headline among ``found`` (already ranked), or None."""
    return next((h for h in found if h.slide == slide), None)
