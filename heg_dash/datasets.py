"""One declaration per dataset: the single source for the schema, import, validation, templates and docs.

The columns and closed lists follow the import contract in DESIGN.md exactly; a filled template of a
dataset imports back as it is. Column descriptions live in the i18n catalogue under ``col.<name>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Column types understood by the schema, the parsers and the validators.
STR, INT, FLOAT, DATE, TIMESTAMP, BOOL = "str", "int", "float", "date", "timestamp", "bool"

SQL_TYPES = {
    STR: "VARCHAR",
    INT: "BIGINT",
    FLOAT: "DOUBLE",
    DATE: "DATE",
    TIMESTAMP: "TIMESTAMPTZ",
    BOOL: "BOOLEAN",
}

UTILITIES = ("electricity", "district_heating", "water", "gas", "oil", "solar_pv")
EDUCATION_AREAS = ("eud", "eux", "hhx", "htx", "amu", "other")
ENERGY_LABELS = ("A2020", "A2015", "A2010", "B", "C", "D", "E", "F", "G")
BUILDING_USES = ("teaching", "workshop", "office", "sports", "canteen", "storage", "housing", "other")
FINANCE_ITEMS = (
    "revenue", "result", "equity", "total_assets", "current_assets", "short_term_debt",
    "long_term_debt", "tangible_fixed_assets", "cost_teaching", "cost_marketing", "cost_admin",
    "cost_buildings", "cost_other",
)
COST_ITEMS = ("cost_teaching", "cost_marketing", "cost_admin", "cost_buildings", "cost_other")
FOCUS_AREA_KEYS = (
    "laering", "rekruttering", "organisation", "faciliteter", "omverden", "oekonomi",
    "internationalt", "baeredygtighed",
)
# Units a meter of each utility may be read in (DESIGN.md, meters).
METER_UNITS = {
    "electricity": ("kWh", "MWh"),
    "solar_pv": ("kWh", "MWh"),
    "district_heating": ("kWh", "MWh", "GJ"),
    "water": ("m3",),
    "gas": ("Nm3", "kWh"),
    "oil": ("l",),
}
# Factor that turns one unit into kWh (water and volumes have none).
KWH_PER_UNIT = {"kWh": 1.0, "MWh": 1000.0, "GJ": 1 / 0.0036}
# Utilities whose measured savings an initiative can have (issue 23): energy a meter buys.
SAVINGS_UTILITIES = ("electricity", "district_heating", "gas", "oil")
# How a cell holds a list of ids (initiatives.meter_ids: "HOB-A-EL;HOB-B-EL").
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = True
    allowed: tuple[str, ...] | None = None
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    pattern: str | None = None  # a regular expression the text must match in full
    codes: str | None = None  # a closed list too long to write out, by name: "country" (CODE_LISTS)
    unique: bool = False  # no two stored rows share a value (a GSRN belongs to one meter)


@dataclass(frozen=True)
class Tree:
    """A column that names another row of the same dataset as its parent (a sub-meter's main meter).

    The parent exists, is not the row itself, agrees on the ``same`` columns (a sub-meter measures the same
    utility), and following parents never comes back to a row (no cycle): otherwise every total that counts
    only the meters without a parent silently loses the whole loop.
    """

    column: str
    same: tuple[str, ...] = ()


@dataclass(frozen=True)
class Together:
    """Optional ``columns`` that a row fills all or none of; ``followers`` may be filled only with them."""

    columns: tuple[str, ...]
    followers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dataset:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    file_format: str = "table"  # "table" (CSV/Excel) or "geojson"
    editable: bool = False  # small datasets edited in place on the Data page
    time_key: str | None = None  # readings-like datasets: the column --replace bounds by period
    extra_sql: tuple[str, ...] = field(default_factory=tuple)  # stored columns not in the contract
    # (start column, end column, end must be strictly later): an interval ends after it starts, an end
    # date is not before its start date.
    ordered: tuple[tuple[str, str, bool], ...] = ()
    tree: Tree | None = None
    # Optional columns filled together: when any column of a group (or of its followers) has a value in a row,
    # every column of the group must have one (an initiative measured for savings needs utility, meters and
    # the installation date; its installation end, promise and baseline length mean nothing without them).
    together: tuple[Together, ...] = ()

    @property
    def table(self) -> str:
        return self.name

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def text_key_columns(self) -> list[str]:
        """Text columns that hold keys, this dataset's or another's: no control characters allowed there (a
        newline in an id makes a second id that looks the same)."""
        referring = {column for (name, column) in (*REFERENCES, *REFERENCE_LISTS) if name == self.name}
        return [c.name for c in self.columns if c.type == STR and (c.name in self.key or c.name in referring)]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _c(name: str, type_: str = STR, **kw) -> Column:
    return Column(name, type_, **kw)


# ids separated by LIST_SEPARATOR, none of them empty ("A;B" or "A; B", not "A;;B" or "A;")
METER_IDS_PATTERN = r"\s*[^;\s][^;]*(;\s*[^;\s][^;]*)*"
_LAT = dict(min=-90.0, max=90.0)
_LON = dict(min=-180.0, max=180.0)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset("campuses", ("campus_id",), (
            _c("campus_id"), _c("name"), _c("address"),
            _c("lat", FLOAT, **_LAT), _c("lon", FLOAT, **_LON),
        ), editable=True),
        Dataset("buildings", ("building_id",), (
            _c("building_id"), _c("campus_id"), _c("name"),
            _c("use", allowed=BUILDING_USES),
            _c("year_built", INT, min=1600, max=2100),
            _c("heated_area_m2", FLOAT, unit="m²", min=0),
            _c("floors", INT, required=False, min=1, max=100),
            _c("energy_label", allowed=ENERGY_LABELS),
            _c("status", allowed=("in_use", "planned", "sold")),
            _c("in_use_from", DATE),
            _c("in_use_to", DATE, required=False),
        ), ordered=(("in_use_from", "in_use_to", False),)),
        Dataset("building_footprints", ("building_id",), (
            _c("building_id"), _c("geometry_wkt"),
        ), file_format="geojson"),
        Dataset("meters", ("meter_id",), (
            _c("meter_id"), _c("building_id"),
            _c("utility", allowed=UTILITIES),
            _c("unit", allowed=("kWh", "MWh", "GJ", "m3", "Nm3", "l")),
            _c("gsrn", required=False, pattern=r"\d{18}", unique=True),
            _c("parent_meter_id", required=False),
        ), tree=Tree("parent_meter_id", same=("utility",))),
        Dataset("readings", ("meter_id", "start"), (
            _c("meter_id"), _c("start", TIMESTAMP), _c("end", TIMESTAMP),
            _c("value", FLOAT, min=0),
            _c("quality", required=False, allowed=("measured", "estimated")),
        ), time_key="start", ordered=(("start", "end", True),)),
        Dataset("weather", ("campus_id", "date"), (
            _c("campus_id"), _c("date", DATE), _c("mean_temp_c", FLOAT, unit="°C", min=-60, max=60),
        )),
        Dataset("calendar", ("date",), (
            _c("date", DATE), _c("kind", allowed=("holiday", "closed", "exam", "event")),
            _c("name", required=False),
        ), editable=True),
        Dataset("emission_factors", ("utility", "year", "method"), (
            _c("utility", allowed=(
                "electricity", "district_heating", "gas", "oil", "water", "travel_air",
                "travel_train", "travel_bus", "travel_car", "travel_mixed",
            )),
            _c("year", INT, min=1990, max=2100),
            _c("kg_co2e_per_unit", FLOAT, min=0),
            _c("unit", allowed=("kWh", "MWh", "m3", "Nm3", "l", "pkm")),
            _c("method", allowed=("location", "market")),
            _c("source"),
        ), editable=True),
        Dataset("grid_co2", ("price_area", "start"), (
            _c("start", TIMESTAMP), _c("price_area", allowed=("DK1", "DK2")),
            _c("g_co2e_per_kwh", FLOAT, unit="g/kWh", min=0),
            _c("source", required=False, allowed=("declaration", "co2emis", "import")),
        ), time_key="start"),
        Dataset("energy_prices", ("utility", "kind", "start"), (
            _c("utility", allowed=UTILITIES), _c("start", TIMESTAMP), _c("end", TIMESTAMP),
            _c("dkk_per_unit", FLOAT), _c("unit", allowed=("kWh", "MWh", "GJ", "m3", "Nm3", "l")),
            _c("kind", allowed=("spot", "tariff", "tax", "all_in")), _c("source"),
        ), time_key="start", ordered=(("start", "end", True),)),
        Dataset("benchmarks", ("use", "utility"), (
            _c("use", allowed=BUILDING_USES), _c("utility", allowed=UTILITIES),
            _c("kwh_per_m2", FLOAT, unit="kWh/m²", min=0), _c("source"),
        )),
        Dataset("activity", ("year", "campus_id", "education_area"), (
            _c("year", INT, min=1990, max=2100), _c("campus_id"),
            _c("education_area", allowed=EDUCATION_AREAS),
            _c("aarselever", FLOAT, min=0),
        )),
        Dataset("finance", ("year", "item"), (
            _c("year", INT, min=1990, max=2100), _c("item", allowed=FINANCE_ITEMS),
            _c("amount_dkk", FLOAT, unit="DKK"),
        )),
        Dataset("exchanges", ("exchange_id",), (
            _c("exchange_id"), _c("direction", allowed=("out", "in")),
            _c("participant", allowed=("student", "staff")),
            _c("programme", allowed=("Erasmus+", "PIU", "Nordplus", "other")),
            _c("education_area", allowed=EDUCATION_AREAS), _c("campus_id"), _c("partner"),
            _c("country", codes="country"), _c("city"),
            _c("lat", FLOAT, **_LAT), _c("lon", FLOAT, **_LON),
            _c("start_date", DATE), _c("end_date", DATE),
            _c("participants", INT, min=1),
            _c("travel_mode", allowed=("air", "train", "bus", "car", "mixed")),
            _c("green_travel", BOOL),
            _c("activity", required=False, allowed=(
                "short_term", "erasmus_pro", "competition", "job_shadowing", "teaching", "course", "other",
            )),
        ), ordered=(("start_date", "end_date", False),)),
        Dataset("partners", ("partner_id",), (
            _c("partner_id"), _c("name"),
            _c("kind", allowed=("company", "school", "university", "public", "other")),
            _c("country", codes="country"), _c("city"),
            _c("lat", FLOAT, **_LAT), _c("lon", FLOAT, **_LON), _c("since", INT, min=1900, max=2100),
        ), editable=True),
        Dataset("focus_areas", ("key",), (
            _c("key", allowed=FOCUS_AREA_KEYS), _c("name_da"), _c("goal_da"), _c("goal_en"), _c("source"),
        ), editable=True),
        Dataset("initiatives", ("initiative_id",), (
            _c("initiative_id"), _c("title"), _c("title_en", required=False), _c("owner"),
            _c("status", allowed=("planned", "active", "done", "stopped")),
            _c("start_date", DATE), _c("end_date", DATE, required=False),
            _c("focus_area", allowed=FOCUS_AREA_KEYS),
            _c("sdg_goals", required=False, pattern=r"\d{1,2}(;\d{1,2})*"),
            # Measured savings (issue 23): the meters whose use the initiative should lower, the installation
            # period (left out of both baseline and reporting period), the promised saving, the baseline length.
            _c("utility", required=False, allowed=SAVINGS_UTILITIES),
            _c("meter_ids", required=False, pattern=METER_IDS_PATTERN),
            _c("installed_from", DATE, required=False),
            _c("installed_to", DATE, required=False),
            _c("expected_saving_pct", FLOAT, required=False, unit="%", min=0, max=100),
            _c("baseline_months", INT, required=False, min=12, max=60),
        ), editable=True, ordered=(("start_date", "end_date", False), ("installed_from", "installed_to", False)),
            together=(Together(("utility", "meter_ids", "installed_from"),
                               ("installed_to", "expected_saving_pct", "baseline_months")),)),
        Dataset("indicators", ("indicator_id",), (
            _c("indicator_id"), _c("focus_area", allowed=FOCUS_AREA_KEYS),
            _c("sdg_goal", INT, required=False, min=1, max=17),
            _c("sdg_target", required=False), _c("name"), _c("name_en", required=False), _c("unit"),
            _c("direction", allowed=("higher", "lower")),
            _c("baseline_year", INT, min=1990, max=2100), _c("baseline_value", FLOAT),
            _c("target_year", INT, min=1990, max=2100), _c("target_value", FLOAT),
        ), editable=True),
        Dataset("indicator_values", ("indicator_id", "year"), (
            _c("indicator_id"), _c("year", INT, min=1990, max=2100), _c("value", FLOAT),
        ), editable=True),
        Dataset("targets", ("key",), (
            _c("key"), _c("value", FLOAT), _c("year", INT, min=1990, max=2100),
            _c("direction", allowed=("higher", "lower")),
            _c("baseline_year", INT, min=1990, max=2100), _c("baseline_value", FLOAT),
            _c("annual_rate", FLOAT, required=False),
            _c("source", allowed=("Strategi 2028", "eksempel")),
        ), editable=True),
    )
}

# Foreign keys checked on import: (dataset, column) -> (dataset it refers to, its key column).
REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("buildings", "campus_id"): ("campuses", "campus_id"),
    ("building_footprints", "building_id"): ("buildings", "building_id"),
    ("meters", "building_id"): ("buildings", "building_id"),
    ("meters", "parent_meter_id"): ("meters", "meter_id"),
    ("readings", "meter_id"): ("meters", "meter_id"),
    ("weather", "campus_id"): ("campuses", "campus_id"),
    ("activity", "campus_id"): ("campuses", "campus_id"),
    ("exchanges", "campus_id"): ("campuses", "campus_id"),
    ("indicator_values", "indicator_id"): ("indicators", "indicator_id"),
}


# Columns holding a list of references (ids separated by LIST_SEPARATOR, spaces around each id ignored), each
# id checked like a REFERENCES value: (dataset, column) -> (dataset it refers to, its key column).
REFERENCE_LISTS: dict[tuple[str, str], tuple[str, str]] = {
    ("initiatives", "meter_ids"): ("meters", "meter_id"),
}


def split_list(text: object) -> list[str]:
    """The ids of a list cell ("A; B" -> ["A", "B"]); a missing cell has none. Empty parts are dropped."""
    if text is None or not isinstance(text, str):
        return []
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes: babel's territories (CLDR) of two letters, without CLDR's groupings and
    placeholders (EU, EZ, UN, QO, ZZ, the pseudo-regions XA, XB) and the codes ISO only reserves (AC, CP, CQ,
    DG, EA, IC, TA). XK (Kosovo) stays: the European Commission, and so Erasmus+, uses it."""
    from babel import Locale

    not_countries = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
    return frozenset(code for code in Locale("en").territories
                     if len(code) == 2 and code.isalpha() and code not in not_countries)


# Closed lists too long to write into a declaration, by the name a Column's ``codes`` gives.
CODE_LISTS = {"country": country_codes}


def get(name: str) -> Dataset:
    """The declaration of a dataset; KeyError names the unknown dataset."""
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}") from None
