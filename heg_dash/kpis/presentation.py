"""Slides for the meeting-room screen: one message per slide, said in words, from the KPI contract.

Pure of Streamlit: ``build_slide`` turns the KPIs of a year (and of the year before, for the change) into a
headline and a few big numbers with status and trend. The headline is the slide's best headline from
``heg_dash.kpis.headlines`` when one is notable, else a plain sentence of where the slide's figure stands. The big
numbers carry the pages' own terms and formats (the Internationalt page's "Indrejsende", the Økonomi page's
ratios), so the screen and the pages never name one figure two ways. ``heg_dash.views.slides`` draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

from heg_dash.i18n import fmt_number, fmt_percent, t
from heg_dash.metrics.progress import trend as trend_of

# Page ids that have a slide, in the default order of a slide set.
SLIDE_IDS = ("overblik", "faciliteter", "energi", "baeredygtighed", "internationalt", "oekonomi")
CLOSE = 0.005  # within ±0.5 % of a target counts as "on the path"


@dataclass(frozen=True)
class BigNumber:
    label: str
    value: str
    status: str | None = None  # progress status, when the number has a target
    trend: str | None = None  # improving / stable / worsening against the year before


@dataclass(frozen=True)
class Slide:
    slide_id: str
    title: str
    headline: str
    numbers: tuple[BigNumber, ...]


def parse_slides(raw: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The slide ids to show, in the given order (unknown ids dropped); all slides when none are given."""
    chosen = tuple(s for s in raw if s in SLIDE_IDS)
    return chosen or SLIDE_IDS


def _get(kpi: dict | None, *path: str) -> float | None:
    node: object = kpi
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node if isinstance(node, int | float) and not isinstance(node, bool) else None


def relative_change(previous: float | None, current: float | None) -> float | None:
    """current ÷ previous − 1; None when either is missing or the previous value is 0."""
    if previous is None or current is None or previous == 0:
        return None
    return current / previous - 1


def against_target(value: float, target: float, direction: str, unit_text: str, decimals: int) -> str:
    """"6 % under målstien" / "0,9 m² over målet" — how far from the target, in words."""
    if target == 0:
        return ""
    gap = value / target - 1
    if abs(gap) < CLOSE:
        return t("slide.on_target")
    if direction == "higher":
        key = "slide.below_path" if gap < 0 else "slide.above_path"
        return t(key, pct=fmt_percent(abs(gap), 0))
    difference = fmt_number(abs(value - target), decimals, unit_text or None)
    return t("slide.over_target" if gap > 0 else "slide.under_target", diff=difference,
             target=fmt_number(target, decimals))


def change_words(change: float | None, previous_year: int, lower_is_better: bool = False) -> str:
    """"3 % mindre end 2024" — the change against last year in words (empty without a comparison)."""
    if change is None:
        return ""
    if abs(change) < CLOSE:
        return t("slide.same_as", year=previous_year)
    key = "slide.less_than" if change < 0 else "slide.more_than"
    return t(key, pct=fmt_percent(abs(change), 0), year=previous_year)


def _trend(previous: float | None, current: float | None, direction: str) -> str | None:
    result = trend_of(previous, current, direction)
    return None if result == "no_data" else result


def _join(*parts: str) -> str:
    return " — ".join(p for p in parts if p)


def build_slide(slide_id: str, kpi: dict, previous: dict | None, status_counts: dict[str, int] | None = None,
                headline: str | None = None) -> Slide | None:
    """The slide for ``slide_id`` from this year's and last year's KPIs; None when its data are missing.

    ``headline``: the slide's best headline in words, which replaces the plain sentence when given.
    """
    year = kpi["year"]
    builder = _BUILDERS.get(slide_id)
    slide = builder(kpi, previous or {}, year, status_counts or {}) if builder else None
    if slide is None or not headline:
        return slide
    return Slide(slide.slide_id, slide.title, headline, slide.numbers)


def _overview(kpi: dict, prev: dict, year: int, counts: dict[str, int]) -> Slide | None:
    value, target = _get(kpi, "aarselever", "value"), _get(kpi, "aarselever", "target")
    if value is None and not counts:
        return None
    total = sum(counts.values())
    good = counts.get("achieved", 0) + counts.get("on_track", 0)
    headline = t("slide.overview_headline", good=good, total=total, year=year) if total else t("slide.no_goals")
    numbers = []
    if value is not None:
        numbers.append(BigNumber(
            t("kpi.aarselever"), fmt_number(value), kpi["aarselever"].get("status"),
            _trend(_get(prev, "aarselever", "value"), value, "higher"),
        ))
        if target is not None:
            numbers.append(BigNumber(t("economy.path_in", year=year), fmt_number(target)))
    m2 = _get(kpi, "m2_per_aarselev", "value")
    if m2 is not None:
        numbers.append(BigNumber(t("kpi.m2_per_aarselev"), fmt_number(m2, 1, "m²"),
                                 kpi["m2_per_aarselev"].get("status"),
                                 _trend(_get(prev, "m2_per_aarselev", "value"), m2, "lower")))
    return Slide("overblik", t("page.overblik"), headline, tuple(numbers))


def _facilities(kpi: dict, prev: dict, year: int, counts: dict[str, int]) -> Slide | None:
    m2, target = _get(kpi, "m2_per_aarselev", "value"), _get(kpi, "m2_per_aarselev", "target")
    if m2 is None:
        return None
    words = against_target(m2, target, "lower", "m²", 1) if target is not None else ""
    headline = _join(t("slide.m2_headline", year=year, value=fmt_number(m2, 1)), words)
    numbers = [BigNumber(t("kpi.m2_per_aarselev"), fmt_number(m2, 1, "m²"), kpi["m2_per_aarselev"].get("status"),
                         _trend(_get(prev, "m2_per_aarselev", "value"), m2, "lower"))]
    eui = _get(kpi, "energy", "eui_weighted_kwh_m2")
    if eui is not None:
        numbers.append(BigNumber(t("energy.tile.eui"), fmt_number(eui, 0), None,
                                 _trend(_get(prev, "energy", "eui_weighted_kwh_m2"), eui, "lower")))
    return Slide("faciliteter", t("page.faciliteter"), headline, tuple(numbers))


def _energy(kpi: dict, prev: dict, year: int, counts: dict[str, int]) -> Slide | None:
    electricity = _get(kpi, "energy", "electricity_kwh")
    heat = _get(kpi, "energy", "heat_normalised_kwh")
    if electricity is None and heat is None:
        return None
    lead = electricity if electricity is not None else heat
    lead_key = "electricity_kwh" if electricity is not None else "heat_normalised_kwh"
    change = relative_change(_get(prev, "energy", lead_key), lead)
    label = t("slide.electricity") if electricity is not None else t("energy.normalised")
    headline = _join(t("slide.energy_headline", what=label, year=year, value=fmt_number(lead / 1000, 0, "MWh")),
                     change_words(change, year - 1))
    numbers = []
    for key, text_key in (("electricity_kwh", "energy.utility.electricity"),
                          ("heat_normalised_kwh", "energy.normalised"), ("pv_kwh", "energy.utility.solar_pv")):
        value = _get(kpi, "energy", key)
        if value is not None:
            better = "higher" if key == "pv_kwh" else "lower"
            numbers.append(BigNumber(t(text_key), fmt_number(value / 1000, 0, "MWh"), None,
                                     _trend(_get(prev, "energy", key), value, better)))
    water = _get(kpi, "energy", "water_m3")
    if water is not None:
        numbers.append(BigNumber(t("energy.utility.water"), fmt_number(water, 0, "m³"), None,
                                 _trend(_get(prev, "energy", "water_m3"), water, "lower")))
    return Slide("energi", t("page.energi"), headline, tuple(numbers))


def _sustainability(kpi: dict, prev: dict, year: int, counts: dict[str, int]) -> Slide | None:
    total = _get(kpi, "co2e_t", "total_location")
    if total is None:
        return None
    change = relative_change(_get(prev, "co2e_t", "total_location"), total)
    headline = _join(t("slide.co2e_headline", year=year, value=fmt_number(total, 0)), change_words(change, year - 1))
    numbers = [BigNumber(t("sustain.kpi.total"), fmt_number(total, 0, "t"), None,
                         _trend(_get(prev, "co2e_t", "total_location"), total, "lower"))]
    for scope in ("scope1", "scope2_location", "scope3"):
        value = _get(kpi, "co2e_t", scope)
        if value is not None:
            numbers.append(BigNumber(t("sustain.kpi." + scope), fmt_number(value, 1, "t")))
    sdg = kpi.get("sdg") or []
    if sdg:
        good = sum(1 for goal in sdg if goal.get("status") in ("achieved", "on_track"))
        measured = sum(1 for goal in sdg if goal.get("status") != "no_data")
        numbers.append(BigNumber(t("slide.sdg_on_track"), f"{good} / {measured}"))
    return Slide("baeredygtighed", t("page.baeredygtighed"), headline, tuple(numbers))


def _international(kpi: dict, prev: dict, year: int, counts: dict[str, int]) -> Slide | None:
    mob = kpi.get("mobilities")
    if not isinstance(mob, dict):
        return None
    outbound = sum(v for k, v in mob.items() if k.startswith("outbound") and isinstance(v, int))
    share = _get(kpi, "mobilities", "green_travel_share")
    headline = t("slide.mobility_headline", year=year, count=fmt_number(outbound))
    if share is not None:
        headline = _join(headline, t("slide.green_share", pct=fmt_percent(share, 0)))
    prev_out = sum(v for k, v in (prev.get("mobilities") or {}).items() if k.startswith("outbound")
                   and isinstance(v, int)) or None
    numbers = [
        BigNumber(t("intl.outbound_students"), fmt_number(_get(kpi, "mobilities", "outbound_students")),
                  None, _trend(prev_out, outbound, "higher")),
        BigNumber(t("intl.outbound_staff"), fmt_number(_get(kpi, "mobilities", "outbound_staff"))),
        BigNumber(t("intl.inbound"), fmt_number(_get(kpi, "mobilities", "inbound"))),
    ]
    if share is not None:
        numbers.append(BigNumber(t("intl.green_travel_share"), fmt_percent(share), None,
                                 _trend(_get(prev, "mobilities", "green_travel_share"), share, "higher")))
    return Slide("internationalt", t("page.internationalt"), headline, tuple(numbers))


def _economy(kpi: dict, prev: dict, year: int, counts: dict[str, int]) -> Slide | None:
    margin = _get(kpi, "economy", "overskudsgrad")
    if margin is None:
        return None
    headline = t("slide.economy_headline", year=year, value=fmt_number(margin, 1, "%"),
                 result=fmt_number((_get(kpi, "economy", "result_dkk") or 0) / 1e6, 1))
    result = _get(kpi, "economy", "result_dkk")
    numbers = []
    if result is not None:
        numbers.append(BigNumber(t("economy.item.result"), fmt_number(result / 1e6, 1, t("economy.unit.mio")), None,
                                 _trend(_get(prev, "economy", "result_dkk"), result, "higher")))
    numbers.append(BigNumber(t("economy.ratio.overskudsgrad"), fmt_number(margin, 1, "%"), None,
                             _trend(_get(prev, "economy", "overskudsgrad"), margin, "higher")))
    for key in ("likviditetsgrad", "soliditetsgrad"):
        value = _get(kpi, "economy", key)
        if value is not None:
            numbers.append(BigNumber(t("economy.ratio." + key), fmt_number(value, 1, "%")))
    return Slide("oekonomi", t("page.oekonomi"), headline, tuple(numbers))


_BUILDERS = {
    "overblik": _overview,
    "faciliteter": _facilities,
    "energi": _energy,
    "baeredygtighed": _sustainability,
    "internationalt": _international,
    "oekonomi": _economy,
}


SCREENS = ((1920, 1080), (1280, 720), (3840, 2160))  # the screen sizes a slide is made for and previewed at


def kiosk_link(page_url: str | None, params: dict[str, str], page_id: str = "praesentation",
               fallback: str = "http://localhost:8501") -> str:
    """The absolute link a TV's browser opens: scheme, host and the app's path from ``page_url`` (the address
    the composer page was opened at, as ``st.context.url`` gives it, the page's own path left off), then the
    kiosk's query, every value URL-encoded. ``fallback`` when the browser has not said where it is."""
    from urllib.parse import urlencode, urlsplit

    base = (page_url or "").split("?", 1)[0].split("#", 1)[0].rstrip("/")
    if base.endswith("/" + page_id):
        base = base[: -len(page_id) - 1]
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        base = fallback
    return f"{base}/?{urlencode(params, safe=',')}"
