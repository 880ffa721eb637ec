"""The sample's school: årselever per area and campus, the accounts, partners and exchanges, the strategy's
focus areas, indicators, initiatives and targets, and the buildings' footprints."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from pyproj import Transformer
from shapely import affinity
from shapely.geometry import Polygon

from heg_dash.datasets import DATASETS
from heg_dash.store.sample import savings
from heg_dash.store.sample.base import (
    CAMPUSES,
    COMPLETE_YEARS,
    LAST_DAY,
    buildings_master,
    random_for,
)

_AREA_SHARES = {"eud": 0.44, "eux": 0.11, "hhx": 0.16, "htx": 0.11, "amu": 0.18}


_CAMPUS_SHARES = {"HOB": 0.62, "AAR": 0.38}


AARSELEVER = {2019: 1262.0, 2020: 1240.0, 2021: 1285.0, 2022: 1318.1, 2023: 1384.0, 2024: 1431.0, 2025: 1468.0}


def activity() -> pd.DataFrame:
    """Årselever per year, campus and area; the cells of a year sum exactly to its total (0.1 precision)."""
    rows = []
    for year, total in AARSELEVER.items():
        cells = [(c, a, cs * as_) for c, cs in _CAMPUS_SHARES.items() for a, as_ in _AREA_SHARES.items()]
        values = [round(total * share, 1) for *_, share in cells]
        values[-1] = round(total - sum(values[:-1]), 1)
        rows += [(year, c, a, v) for (c, a, _), v in zip(cells, values, strict=True)]
    return pd.DataFrame(rows, columns=["year", "campus_id", "education_area", "aarselever"])


def finance() -> pd.DataFrame:
    rows = []
    for year, aarselever in AARSELEVER.items():
        revenue = round(aarselever * 131_500 * (1.02 ** (year - 2019)), -3)
        costs = {
            "cost_teaching": 0.605, "cost_marketing": 0.012, "cost_admin": 0.118,
            "cost_buildings": 0.148, "cost_other": 0.093,
        }
        margin = {2019: 0.021, 2020: 0.012, 2021: 0.018, 2022: -0.004, 2023: 0.015, 2024: 0.019, 2025: 0.017}[year]
        cost_total = revenue * (1 - margin)
        items = {k: round(cost_total * v / sum(costs.values()), -3) for k, v in costs.items()}
        items["revenue"] = revenue
        items["result"] = revenue - sum(v for k, v in items.items() if k.startswith("cost_"))
        items["total_assets"] = round(revenue * 1.32, -3)
        items["equity"] = round(items["total_assets"] * (0.22 + 0.006 * (year - 2019)), -3)
        items["current_assets"] = round(revenue * 0.24, -3)
        items["short_term_debt"] = round(revenue * (0.19 if year != 2022 else 0.25), -3)
        items["long_term_debt"] = round(items["total_assets"] * 0.48, -3)
        items["tangible_fixed_assets"] = round(items["total_assets"] - items["current_assets"], -3)
        rows += [(year, item, float(amount)) for item, amount in items.items()]
    return pd.DataFrame(rows, columns=["year", "item", "amount_dkk"])


# Partner cities: (partner_id, name, kind, country, city, lat, lon, since)
_PARTNERS = [
    ("P01", "Colegio Técnico Barcelona", "school", "ES", "Barcelona", 41.3874, 2.1686, 2016),
    ("P02", "Berufskolleg Kiel", "school", "DE", "Kiel", 54.3233, 10.1228, 2014),
    ("P03", "ROC Friese Poort", "school", "NL", "Leeuwarden", 53.2012, 5.7999, 2018),
    ("P04", "Lycée Professionnel Rennes", "school", "FR", "Rennes", 48.1173, -1.6778, 2017),
    ("P05", "Istituto Tecnico Bologna", "school", "IT", "Bologna", 44.4949, 11.3426, 2019),
    ("P06", "Malta College of Arts, Science and Technology", "school", "MT", "Paola", 35.8728, 14.5075, 2015),
    ("P07", "Stadin ammattiopisto", "school", "FI", "Helsinki", 60.1699, 24.9384, 2018),
    ("P08", "Göteborgs tekniska gymnasium", "school", "SE", "Göteborg", 57.7089, 11.9746, 2013),
    ("P09", "Tallinn Polytechnic School", "school", "EE", "Tallinn", 59.4370, 24.7536, 2020),
    ("P10", "Dublin Technical College", "school", "IE", "Dublin", 53.3498, -6.2603, 2019),
    ("P11", "Escola Profissional Lisboa", "school", "PT", "Lisboa", 38.7223, -9.1393, 2021),
    ("P12", "Kraków Vocational Centre", "school", "PL", "Kraków", 50.0647, 19.9450, 2022),
    ("P13", "Oslo fagskole", "school", "NO", "Oslo", 59.9139, 10.7522, 2016),
    ("P14", "Hochschule Flensburg", "university", "DE", "Flensburg", 54.7937, 9.4470, 2020),
    ("P15", "Tianjin Vocational Institute", "school", "CN", "Tianjin", 39.3434, 117.3616, 2019),
    ("P16", "Himmerland Maskinfabrik", "company", "DK", "Hobro", 56.6420, 9.8000, 2010),
    ("P17", "Aars Stålindustri", "company", "DK", "Aars", 56.8000, 9.5100, 2012),
    ("P18", "Vesthimmerlands Kommune", "public", "DK", "Aars", 56.8030, 9.5180, 2008),
    ("P19", "Mariagerfjord Kommune", "public", "DK", "Hobro", 56.6380, 9.7930, 2008),
    ("P20", "Nordjysk Elektro A/S", "company", "DK", "Aalborg", 57.0488, 9.9217, 2015),
    ("P21", "Hotel Valencia Mar", "company", "ES", "Valencia", 39.4699, -0.3763, 2018),
    ("P22", "Autohaus München", "company", "DE", "München", 48.1351, 11.5820, 2019),
    ("P23", "Aalborg Universitet", "university", "DK", "Aalborg", 57.0151, 9.9861, 2017),
    ("P24", "Byggefirmaet Himmerland", "company", "DK", "Hobro", 56.6300, 9.8100, 2011),
]


def partners() -> pd.DataFrame:
    return pd.DataFrame(_PARTNERS, columns=["partner_id", "name", "kind", "country", "city", "lat", "lon", "since"])


def exchanges() -> pd.DataFrame:
    """About 60–150 mobilities a year; a dip in 2020–21; mostly Europe, mostly Erasmus+."""
    rng = random_for(20)
    abroad = [p for p in _PARTNERS if p[3] != "DK"]
    weights = np.array([5, 6, 3, 3, 4, 4, 2, 3, 2, 2, 2, 2, 3, 2, 1, 0, 0, 0, 0, 0, 3, 3, 0, 0][: len(abroad)], float)
    weights = weights[: len(abroad)] + 0.5
    weights /= weights.sum()
    per_year = {2019: 118, 2020: 34, 2021: 52, 2022: 96, 2023: 122, 2024: 134, 2025: 141, 2026: 118}
    rows = []
    n = 0
    for year, count in per_year.items():
        last_month = 10 if year == LAST_DAY.year else 12
        for _ in range(count):
            p = abroad[rng.choice(len(abroad), p=weights)]
            n += 1
            direction = "out" if rng.random() < 0.8 else "in"
            participant = "student" if rng.random() < 0.78 else "staff"
            programme = "PIU" if (participant == "student" and rng.random() < 0.22) else (
                "Nordplus" if p[3] in ("SE", "NO", "FI", "EE") and rng.random() < 0.5 else "Erasmus+")
            if p[3] == "CN":
                programme = "other"
            month = int(rng.integers(1, last_month + 1))
            start = dt.date(year, month, int(rng.integers(1, 28)))
            if participant == "staff":
                days = int(rng.integers(3, 8))
            elif programme == "PIU" or rng.random() < 0.2:
                days = int(rng.integers(90, 180))
            else:
                days = int(rng.integers(14, 36))
            end = min(start + dt.timedelta(days=days - 1), dt.date(year + 1, 6, 30))
            participants = 1 if programme == "PIU" else int(rng.integers(1, 9 if participant == "student" else 3))
            near = p[3] in ("DE", "SE", "NO", "NL")
            travel_mode = (rng.choice(["train", "bus", "car"]) if near else
                           ("air" if rng.random() < 0.85 else "mixed"))
            green = bool(travel_mode in ("train", "bus") or (travel_mode == "mixed" and rng.random() < 0.5))
            area = rng.choice(["eud", "eux", "hhx", "htx"], p=[0.45, 0.2, 0.2, 0.15])
            campus = "HOB" if rng.random() < 0.64 else "AAR"
            rows.append((f"EX{year}-{n:04d}", direction, participant, programme, str(area), campus, p[1], p[3], p[4],
                         p[5], p[6], start, end, participants, str(travel_mode), green, None))
    frame = pd.DataFrame(rows, columns=DATASETS["exchanges"].column_names)
    frame["activity"] = frame["activity"].astype("str")
    frame["activity"] = None
    return frame


_FOCUS_AREAS = [
    ("laering", "Læring",
     "Den enkelte indfrier sit fulde læringspotentiale og får en stærk karakterdannelse og dannelse gennem "
     "innovativ individuel læring i praksis",
     "Every student reaches their full learning potential through innovative, individual, practice-based learning"),
    ("rekruttering", "Rekruttering",
     "HEG vil opfylde behovet for kvalificeret arbejdskraft ved at være førstevalget for individuel praksisnær "
     "læring og udvikling",
     "First choice for individual, practice-near learning, meeting the need for skilled labour"),
    ("organisation", "Organisation",
     "Vi vil være en engageret og kompetent organisation med stærke samarbejdsrelationer og fokus på målene",
     "An engaged, competent organisation with strong collaboration, focused on the goals"),
    ("faciliteter", "Faciliteter",
     "HEG's faciliteter skal bestå af moderne og inspirerende bæredygtige rammer, der effektivt skaber optimale "
     "vilkår for læring og trivsel",
     "Modern, inspiring, sustainable facilities that efficiently create optimal conditions for learning and "
     "well-being"),
    ("omverden", "Omverden",
     "I et tæt samspil mellem virksomheder og samfund bidrager HEG til at forme fremtidens arbejdsmarked ved at "
     "tilbyde innovative uddannelser og træne kompetencer",
     "Shaping tomorrow's labour market in close interplay with companies and society"),
    ("oekonomi", "Økonomi",
     "HEG skal drive en økonomisk bæredygtig skole med en solid økonomisk base og effektiv ressourceudnyttelse, "
     "der understøtter vores elevers læring og trivsel",
     "An economically sustainable school with a solid base and efficient use of resources"),
    ("internationalt", "Internationalt",
     "HEG vil skabe et internationalt læringsmiljø, der fremmer interkulturel forståelse og globalt udsyn for "
     "elever og medarbejdere",
     "An international learning environment that builds intercultural understanding and global outlook"),
    ("baeredygtighed", "Bæredygtighed",
     "HEG vil være en bæredygtig uddannelsesinstitution, der tager ansvar for eksempelvis ligestilling, klima og "
     "miljø og bidrager væsentligt til en positiv udvikling",
     "A sustainable institution taking responsibility for e.g. equality, climate and environment"),
]


def focus_areas() -> pd.DataFrame:
    frame = pd.DataFrame(_FOCUS_AREAS, columns=["key", "name_da", "goal_da", "goal_en"])
    frame["source"] = "Strategi 2028"
    return frame


# indicator_id, focus_area, sdg_goal, sdg_target, name, unit, direction, baseline year/value, target year/value,
# values 2019..2025
_INDICATORS = [
    ("gennemfoersel_eud", "laering", 4, "4.3", "Gennemførelse på eud", "%", "higher", 2021, 88.0, 2028, 95.0,
     [87.5, 88.4, 88.0, 90.1, 92.0, 92.6, 93.1]),
    ("trivsel", "laering", 4, "4.a", "Elevtrivsel (ETU, 1–5)", "point", "higher", 2021, 3.9, 2028, 4.2,
     [3.85, 3.80, 3.90, 3.92, 3.95, 3.97, 4.0]),
    ("medarbejdere", "organisation", None, None, "Medarbejdere (årsværk)", "årsværk", "higher", 2022, 219, 2028, 250,
     [205, 208, 212, 219, 230, 236, 240]),
    ("sygefravaer", "organisation", 8, "8.8", "Sygefravær pr. medarbejder", "dage", "lower", 2021, 9.8, 2028, 7.0,
     [9.1, 8.7, 9.8, 10.2, 9.4, 9.1, 9.3]),
    ("kvinder_teknisk", "baeredygtighed", 5, "5.5", "Kvinder på tekniske uddannelser", "%", "higher", 2021, 14.0,
     2028, 25.0, [13.0, 13.5, 14.0, 14.8, 15.9, 16.4, 17.2]),
    ("vedvarende_andel", "baeredygtighed", 7, "7.2", "Egen solcellestrøm af elforbruget", "%", "higher", 2021, 1.5,
     2028, 8.0, [0.0, 0.0, 1.5, 2.2, 2.4, 2.5, 2.6]),
    ("laerepladser", "omverden", 8, "8.6", "Elever med læreplads (eud)", "%", "higher", 2021, 71.0, 2028, 85.0,
     [70.0, 68.0, 71.0, 74.0, 77.5, 79.0, 80.2]),
    ("affaldssortering", "baeredygtighed", 12, "12.5", "Sorteret affald", "%", "higher", 2021, 38.0, 2028, 70.0,
     [30.0, 33.0, 38.0, 41.0, 44.0, 43.0, 42.5]),
    # The school's own yearly figure, as its sample ledger (location-based) gives it ÷ årselever.
    ("co2e_pr_aarselev", "baeredygtighed", 13, "13.2", "CO₂e pr. årselev", "kg", "lower", 2019, 688.6, 2028, 167.0,
     [688.6, 564.2, 482.3, 440.3, 419.7, 348.3, 309.6]),
    ("partnerskaber", "omverden", 17, "17.17", "Aktive partnerskaber", "partnerskaber", "higher", 2021, 18, 2028, 30,
     [14, 15, 18, 19, 21, 23, 24]),
    ("internationale_partnere", "internationalt", 17, "17.16", "Internationale partnerskoler", "skoler", "higher",
     2021, 11, 2028, 18, [9, 10, 11, 12, 13, 14, 15]),
    # Students with a stay abroad is no indicator here: Internationalt computes it from the exchanges, and a
    # typed-in figure beside it would be a second number for one metric (a target row gives it its tile).
]


# The names in English (the optional name_en column): an English page shows them, Danish where none is given.
_INDICATOR_NAMES_EN = {
    "gennemfoersel_eud": "Completion in VET (eud)", "trivsel": "Student well-being (ETU, 1–5)",
    "medarbejdere": "Staff (full-time equivalents)", "sygefravaer": "Sick leave per employee",
    "kvinder_teknisk": "Women in technical programmes", "vedvarende_andel": "Own solar power of electricity use",
    "laerepladser": "Students with an apprenticeship (VET)", "affaldssortering": "Sorted waste",
    "co2e_pr_aarselev": "CO₂e per full-time student", "partnerskaber": "Active partnerships",
    "internationale_partnere": "International partner schools",
}
_INITIATIVE_TITLES_EN = {
    "I01": "Solar panels on every roof", "I02": "Night setback of ventilation", "I03": "Campus Hobro Harbour",
    "I04": "Waste sorting in the canteens", "I05": "More women in technical trades",
    "I06": "Green travel policy for exchanges", "I07": "Talent track and elite sport",
    "I08": "Apprenticeship outreach team", "I09": "Energy management ISO 50001",
    "I10": "Erasmus+ accreditation 2021–2027", "I11": "Digital resource management",
    "I12": "LED lighting in workshops", "I13": "Daylight control of the lighting in Workshop Aars",
    "I14": "Timer control of the ventilation in Main Building Aars",
    "I15": "New door seals on the canteen's cold rooms",
}


def indicators() -> tuple[pd.DataFrame, pd.DataFrame]:
    meta_rows, value_rows = [], []
    for ind_id, area, goal, target, name, unit, direction, by, bv, ty, tv, values in _INDICATORS:
        meta_rows.append((ind_id, area, goal, target, name, unit, direction, by, float(bv), ty, float(tv)))
        value_rows += [(ind_id, year, float(v)) for year, v in zip(COMPLETE_YEARS, values, strict=True)]
    columns = [c for c in DATASETS["indicators"].column_names if c != "name_en"]
    meta = pd.DataFrame(meta_rows, columns=columns)
    meta["name_en"] = meta["indicator_id"].map(_INDICATOR_NAMES_EN)
    meta = meta[DATASETS["indicators"].column_names]
    meta["sdg_goal"] = meta["sdg_goal"].astype("Int64")
    return meta, pd.DataFrame(value_rows, columns=["indicator_id", "year", "value"])


def initiatives() -> pd.DataFrame:
    rows = [
        ("I01", "Solceller på alle tage", "Driftschef", "active", "2021-04-01", None, "baeredygtighed", "7;13"),
        ("I02", "Natsænkning af ventilation", "Driftschef", "done", "2022-09-01", "2023-03-31", "faciliteter", "7;13"),
        ("I03", "Campus Hobro Havn", "Direktion", "active", "2024-01-01", "2028-08-01", "faciliteter", "4;9;11"),
        ("I04", "Affaldssortering i kantinerne", "Bæredygtighedskoordinator", "active", "2023-01-15", None,
         "baeredygtighed", "12"),
        ("I05", "Flere kvinder i tekniske fag", "Uddannelseschef eud", "active", "2022-08-01", None, "rekruttering",
         "5;4"),
        ("I06", "Grøn rejsepolitik for udveksling", "International koordinator", "active", "2023-08-01", None,
         "internationalt", "13;17"),
        ("I07", "Talentspor og eliteidræt", "Uddannelseschef", "active", "2022-08-01", None, "laering", "4"),
        ("I08", "Praktikpladsopsøgende team", "Praktikcenter", "active", "2021-01-01", None, "omverden", "8"),
        ("I09", "Energiledelse ISO 50001", "Driftschef", "planned", "2027-01-01", "2027-12-31", "faciliteter", "7"),
        ("I10", "Erasmus+ akkreditering 2021–2027", "International koordinator", "active", "2021-01-01",
         "2027-12-31", "internationalt", "4;17"),
        ("I11", "Digital ressourcestyring", "Økonomichef", "done", "2020-01-01", "2021-12-31", "oekonomi", None),
        ("I12", "LED-belysning i værksteder", "Driftschef", "stopped", "2020-03-01", "2020-12-31", "faciliteter",
         "7"),
    ]
    frame = pd.DataFrame(rows, columns=["initiative_id", "title", "owner", "status", "start_date", "end_date",
                                        "focus_area", "sdg_goals"])
    for col in ("start_date", "end_date"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    # The three measured ones (store.sample.savings); the others are not measured (no savings columns).
    frame = pd.concat([frame, savings.initiatives()], ignore_index=True)
    frame["title_en"] = frame["initiative_id"].map(_INITIATIVE_TITLES_EN)
    return frame[DATASETS["initiatives"].column_names]


def targets(m2_baseline: float) -> pd.DataFrame:
    rows = [
        ("aarselever", 1800.0, 2028, "higher", 2023, 1384.0, 0.05, "Strategi 2028"),
        ("m2_per_aarselev", 25.0, 2028, "lower", 2023, round(m2_baseline, 2), None, "Strategi 2028"),
        ("co2e_t", 300.0, 2028, "lower", 2019, 869.0, None, "eksempel"),  # −65 % on the sample's 2019 ledger
        ("eui_weighted_kwh_m2", 110.0, 2028, "lower", 2019, 167.0, None, "eksempel"),  # the sample's 2019 EUI (166.6)
        ("green_travel_share", 0.4, 2028, "higher", 2022, 0.2, None, "eksempel"),
        ("stay_abroad_share", 0.3, 2028, "higher", 2021, 0.1, None, "eksempel"),
        ("overskudsgrad", 2.0, 2028, "higher", 2022, -0.4, None, "eksempel"),
    ]
    return pd.DataFrame(rows, columns=DATASETS["targets"].column_names)


def footprints() -> pd.DataFrame:
    """Rectangles near each campus point, sized heated area ÷ floors (HOB-D's is deliberately 35 % small)."""
    to_utm = Transformer.from_crs(4326, 25832, always_xy=True)
    to_wgs = Transformer.from_crs(25832, 4326, always_xy=True)
    campuses = CAMPUSES.set_index("campus_id")
    rows = []
    for b in buildings_master().itertuples():
        cx, cy = to_utm.transform(campuses.loc[b.campus_id, "lon"], campuses.loc[b.campus_id, "lat"])
        area = b.heated_area_m2 / b.floors * (0.65 if b.building_id == "HOB-D" else 1.0)
        width = (area / 1.8) ** 0.5
        length = area / width
        x0, y0 = cx + b.dx, cy + b.dy
        rect = Polygon([(x0, y0), (x0 + length, y0), (x0 + length, y0 + width), (x0, y0 + width)])
        rect = affinity.rotate(rect, 12 if b.campus_id == "HOB" else -8, origin="centroid")
        lon, lat = to_wgs.transform(*rect.exterior.coords.xy)
        rows.append((b.building_id, Polygon(zip(lon, lat, strict=True)).wkt))
    return pd.DataFrame(rows, columns=["building_id", "geometry_wkt"])
