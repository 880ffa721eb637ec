"""Words of the Bæredygtighed page, the CO₂e tile and the 17 SDGs (names generated from metrics.sdg.GOALS)."""

from heg_dash.metrics.sdg import GOALS

DA = {
    "sustain.title": "Bæredygtighed {year}",
    "sustain.tile.co2e": "CO₂e i alt",
    "sustain.tile.co2e_ytd": "CO₂e i alt, år til dato",
    "sustain.co2e.title": "CO₂e-regnskab",
    "sustain.co2e.none": "Der er ingen målinger, rejser eller emissionsfaktorer at beregne CO₂e for i {year}. "
                         "Vælg et andet år, eller indlæs data på siden Data.",
    "sustain.co2e.ytd": "År til dato: data til og med {day}. Tallene sammenlignes med samme periode i {previous}.",
    "sustain.co2e.vs_year": "{change} mod {year}",
    "sustain.co2e.vs_same_period": "{change} mod samme periode {year}",
    "sustain.kpi.total": "CO₂e i alt (lokationsbaseret)",
    "sustain.kpi.total_help": "Scope 1 + scope 2 (lokationsbaseret) + scope 3, i tons CO₂e.",
    "sustain.kpi.scope1": "Scope 1 – egen forbrænding",
    "sustain.kpi.scope1_help": "Naturgas og olie: forbruget i målerens enhed × årets emissionsfaktor.",
    "sustain.kpi.scope2_location": "Scope 2 – lokationsbaseret",
    "sustain.kpi.scope2_location_help": "El time for time × elnettets CO₂e-intensitet i DK1 (deklarationen, "
                                        "125 %-metoden) plus fjernvarme × dens faktor.",
    "sustain.kpi.scope2_market": "Scope 2 – markedsbaseret",
    "sustain.kpi.scope2_market_help": "Årets elforbrug × den markedsbaserede faktor (restmiks) plus fjernvarme.",
    "sustain.kpi.scope3": "Scope 3 – rejser og vand",
    "sustain.kpi.scope3_help": "Tjenesterejser ved udveksling (udrejser) og vandforsyning.",
    "sustain.kpi.total_market": "CO₂e i alt (markedsbaseret)",
    "sustain.kpi.total_market_help": "Scope 1 + scope 2 (markedsbaseret) + scope 3.",
    "sustain.kpi.per_aarselev": "CO₂e pr. årselev",
    "sustain.kpi.per_aarselev_help": "CO₂e i alt (lokationsbaseret) i kg divideret med årets årselever.",
    "sustain.kpi.per_m2": "CO₂e pr. m²",
    "sustain.kpi.per_m2_help": "CO₂e i alt (lokationsbaseret) i kg divideret med opvarmet areal i brug.",
    "sustain.target.text": "**Reduktionsmål:** højst {value} i {year} – {reduction} under {baseline} i "
                           "{baseline_year} (lokationsbaseret).",
    "sustain.target.path": "Stien mod målet kræver højst {value} i {year}.",
    "sustain.target.partial": "Året er ikke slut: det sammenlignes med samme periode sidste år, ikke med "
                              "helårsmålet.",
    "sustain.target.campus": "Reduktionsmålet gælder hele skolen; vælg «Alle campusser» for at se status mod målet.",
    "sustain.breakdown": "Opdel efter",
    "sustain.breakdown.source": "Kilde",
    "sustain.breakdown.scope": "Scope",
    "sustain.breakdown.campus": "Campus",
    "sustain.method": "Scope 2-metode",
    "sustain.method.location": "Lokationsbaseret",
    "sustain.method.market": "Markedsbaseret",
    "sustain.chart.title": "CO₂e pr. år",
    "sustain.chart.tonnes": "Tons CO₂e",
    "sustain.chart.path": "Sti mod reduktionsmålet",
    "sustain.chart.indicator_path": "Sti fra basisår til mål",
    "sustain.chart.ytd_year": "{year} (år til dato)",
    "sustain.chart.caption_path": "Den stiplede linje er stien fra basisåret til målet med samme årlige "
                                  "reduktion, som status måles imod.",
    "sustain.chart.caption_ytd": "{year} er år til dato (til og med {day}) og vises lysere.",
    "sustain.note.coarse": "Elmålere med kun døgn- eller månedsværdier i året: {meters}. Deres lokationsbaserede "
                           "CO₂e er beregnet med periodens gennemsnitlige netintensitet, da forbruget time for "
                           "time ikke kendes.",
    "sustain.note.hours": "{hours} af årets {total} timer med elforbrug har ingen timeværdi for elnettets "
                          "CO₂e-intensitet. For dem er årets faktor brugt: {factor} kg CO₂e/{unit} "
                          "(emissionsfaktor for el, lokationsbaseret, {year}).",
    "sustain.note.unconverted": "{source} målt i {unit} er ikke regnet med: {reason}.",
    "sustain.note.no_factor": "der er ingen emissionsfaktor",
    "sustain.note.unit": "faktoren er pr. {unit}, og enheden kan ikke omregnes uden brændværdi",
    "sustain.note.trips": "{trips} af {total} udrejser har en transportform uden emissionsfaktor og er ikke "
                          "regnet med.",
    "sustain.ledger.title": "Regnskab {year} ({method})",
    "sustain.ledger.download": "Hent regnskabet (CSV)",
    "sustain.method_notes.title": "Metode og kilder",
    "sustain.method_notes.body": (
        "- **Scope 1** – egen forbrænding: naturgas og olie, forbruget i målerens egen enhed (gas i Nm³, olie i "
        "liter) × årets emissionsfaktor i samme enhed.\n"
        "- **Scope 2, el, lokationsbaseret** – forbruget time for time × elnettets CO₂e-intensitet i DK1 for "
        "samme time (Energi Data Service, miljødeklarationen efter 125 %-metoden; har en time flere kilder, "
        "vinder deklarationen over CO2Emis, som vinder over importerede værdier). Timer uden intensitet får årets "
        "faktor for el (lokationsbaseret), og antallet af timer vises.\n"
        "- **Scope 2, el, markedsbaseret** – årets forbrug × årets markedsbaserede faktor (restmiks).\n"
        "- **Scope 2, fjernvarme** – forbruget i kWh × fjernvarmens faktor (dens markedsbaserede række i det "
        "markedsbaserede regnskab, hvis den findes).\n"
        "- **Scope 3, tjenesterejser** – kun udrejser (gæsters rejser er ikke skolens): 2 × den enkelte rejses "
        "storcirkelafstand fra campus (geodætisk på WGS84) × deltagere × transportformens faktor pr. personkm.\n"
        "- **Scope 3, vand** – vandforsyning og spildevand (kategori 1): m³ × vandets faktor.\n"
        "- Egen solcellestrøm modregnes ikke. Faktorerne er data med kilde og år og kan rettes på siden Data; "
        "mangler et år, bruges det nærmeste tidligere år. Undermålere tælles ikke to gange."
    ),
    "sustain.source.gas": "Naturgas",
    "sustain.source.oil": "Olie",
    "sustain.source.electricity": "El",
    "sustain.source.district_heating": "Fjernvarme",
    "sustain.source.water": "Vand",
    "sustain.source.travel_air": "Rejser: fly",
    "sustain.source.travel_train": "Rejser: tog",
    "sustain.source.travel_bus": "Rejser: bus",
    "sustain.source.travel_car": "Rejser: bil",
    "sustain.source.travel_mixed": "Rejser: blandet",
    "sustain.scope": "Scope {scope}",
    "sustain.col.scope": "Scope",
    "sustain.col.source": "Kilde",
    "sustain.col.campus": "Campus",
    "sustain.col.quantity": "Mængde",
    "sustain.col.factor": "Faktor",
    "sustain.col.factor_source": "Faktorens kilde (år)",
    "sustain.col.tonnes": "CO₂e",
    "sustain.col.method": "Metode",
    "sustain.col.year": "År",
    "sustain.col.initiative": "Initiativ",
    "sustain.col.owner": "Ansvarlig",
    "sustain.col.status": "Status",
    "sustain.col.period": "Periode",
    "sustain.col.focus_area": "Fokusområde",
    "sustain.initiative.planned": "Planlagt",
    "sustain.initiative.active": "I gang",
    "sustain.initiative.done": "Gennemført",
    "sustain.initiative.stopped": "Stoppet",
    "sustain.initiative.ongoing": "løbende",
    "sustain.sdg.title": "Verdensmålene",
    "sustain.sdg.intro": "Status og udvikling for hvert af FN's 17 verdensmål ud fra skolens indikatorer (seneste "
                         "værdi til og med {year}). Et mål vurderes ud fra sine to svageste indikatorer.",
    "sustain.sdg.school_wide": "Verdensmålene gælder hele skolen, også når en campus er valgt.",
    "sustain.sdg.count": "{n} indikatorer",
    "sustain.sdg.count_one": "1 indikator",
    "sustain.sdg.count_none": "Ingen indikatorer endnu",
    "sustain.sdg.show": "Vis mål",
    "sustain.sdg.pick": "Vis detaljer for verdensmål",
    "sustain.sdg.goal_title": "Verdensmål {n}: {name}",
    "sustain.sdg.goal_rollup": "{trend} · status ud fra {n} indikatorer med data",
    "sustain.sdg.indicators": "Indikatorer",
    "sustain.sdg.no_indicators": "Skolen har endnu ingen indikatorer for dette verdensmål.",
    "sustain.sdg.indicator_meta": "Fokusområde: {focus} · delmål {target}",
    "sustain.sdg.latest": "Seneste værdi: **{value}** ({year})",
    "sustain.sdg.baseline_target": "Basis {baseline_year}: {baseline} · mål {target_year}: {target}",
    "sustain.sdg.initiatives": "Initiativer",
    "sustain.sdg.no_initiatives": "Ingen initiativer er knyttet til dette verdensmål.",
    "sustain.sdg.focus_areas": "Fokusområder i Strategi 2028, som målet understøtter",
    "sustain.sdg.no_focus_areas": "Ingen fokusområder er knyttet til dette verdensmål endnu.",
    "sustain.factor_source.grid": "Elnettets timeværdier (Energinet, {area})",
}

EN = {
    "sustain.title": "Sustainability {year}",
    "sustain.tile.co2e": "Total CO₂e",
    "sustain.tile.co2e_ytd": "Total CO₂e, year to date",
    "sustain.co2e.title": "CO₂e accounts",
    "sustain.co2e.none": "There are no readings, trips or emission factors to compute CO₂e from in {year}. Choose "
                         "another year, or import data on the Data page.",
    "sustain.co2e.ytd": "Year to date: data up to {day}. Figures are compared with the same period of {previous}.",
    "sustain.co2e.vs_year": "{change} on {year}",
    "sustain.co2e.vs_same_period": "{change} on the same period of {year}",
    "sustain.kpi.total": "Total CO₂e (location-based)",
    "sustain.kpi.total_help": "Scope 1 + scope 2 (location-based) + scope 3, in tonnes CO₂e.",
    "sustain.kpi.scope1": "Scope 1 – own combustion",
    "sustain.kpi.scope1_help": "Natural gas and oil: use in the meter's unit × the year's emission factor.",
    "sustain.kpi.scope2_location": "Scope 2 – location-based",
    "sustain.kpi.scope2_location_help": "Electricity hour by hour × the DK1 grid's CO₂e intensity (the declaration, "
                                        "125 % method) plus district heating × its factor.",
    "sustain.kpi.scope2_market": "Scope 2 – market-based",
    "sustain.kpi.scope2_market_help": "The year's electricity × the market-based factor (residual mix) plus "
                                      "district heating.",
    "sustain.kpi.scope3": "Scope 3 – travel and water",
    "sustain.kpi.scope3_help": "Business travel on exchanges (outbound) and water supply.",
    "sustain.kpi.total_market": "Total CO₂e (market-based)",
    "sustain.kpi.total_market_help": "Scope 1 + scope 2 (market-based) + scope 3.",
    "sustain.kpi.per_aarselev": "CO₂e per årselev",
    "sustain.kpi.per_aarselev_help": "Total CO₂e (location-based) in kg divided by the year's årselever (FTE "
                                     "students).",
    "sustain.kpi.per_m2": "CO₂e per m²",
    "sustain.kpi.per_m2_help": "Total CO₂e (location-based) in kg divided by the heated area in use.",
    "sustain.target.text": "**Reduction target:** at most {value} in {year} – {reduction} below {baseline} in "
                           "{baseline_year} (location-based).",
    "sustain.target.path": "The path to the target asks for at most {value} in {year}.",
    "sustain.target.partial": "The year is not over: it is compared with the same period last year, not with the "
                              "full-year target.",
    "sustain.target.campus": "The reduction target is the school's; choose “All campuses” to see the status "
                             "against it.",
    "sustain.breakdown": "Break down by",
    "sustain.breakdown.source": "Source",
    "sustain.breakdown.scope": "Scope",
    "sustain.breakdown.campus": "Campus",
    "sustain.method": "Scope 2 method",
    "sustain.method.location": "Location-based",
    "sustain.method.market": "Market-based",
    "sustain.chart.title": "CO₂e per year",
    "sustain.chart.tonnes": "Tonnes CO₂e",
    "sustain.chart.path": "Path to the reduction target",
    "sustain.chart.indicator_path": "Path from baseline to target",
    "sustain.chart.ytd_year": "{year} (year to date)",
    "sustain.chart.caption_path": "The dashed line is the path from the baseline year to the target at the same "
                                  "yearly reduction that the status is measured against.",
    "sustain.chart.caption_ytd": "{year} is year to date (up to {day}) and drawn lighter.",
    "sustain.note.coarse": "Electricity meters with only daily or monthly values in the year: {meters}. Their "
                           "location-based CO₂e uses the period's average grid intensity, as their use hour by "
                           "hour is not known.",
    "sustain.note.hours": "{hours} of the year's {total} hours with electricity use have no hourly grid CO₂e "
                          "intensity. For those the year's factor is used: {factor} kg CO₂e/{unit} "
                          "(electricity emission factor, location-based, {year}).",
    "sustain.note.unconverted": "{source} metered in {unit} is not counted: {reason}.",
    "sustain.note.no_factor": "there is no emission factor",
    "sustain.note.unit": "the factor is per {unit}, and the unit cannot be converted without a calorific value",
    "sustain.note.trips": "{trips} of {total} outbound trips have a travel mode without an emission factor and are "
                          "not counted.",
    "sustain.ledger.title": "Accounts {year} ({method})",
    "sustain.ledger.download": "Download the accounts (CSV)",
    "sustain.method_notes.title": "Method and sources",
    "sustain.method_notes.body": (
        "- **Scope 1** – own combustion: natural gas and oil, use in the meter's own unit (gas in Nm³, oil in "
        "litres) × the year's emission factor in the same unit.\n"
        "- **Scope 2, electricity, location-based** – use hour by hour × the DK1 grid's CO₂e intensity in the same "
        "hour (Energi Data Service, the environmental declaration by the 125 % method; when an hour has several "
        "sources, the declaration wins over CO2Emis, which wins over imported values). Hours without an intensity "
        "take the year's electricity factor (location-based), and their number is shown.\n"
        "- **Scope 2, electricity, market-based** – the year's use × the year's market-based factor (residual mix).\n"
        "- **Scope 2, district heating** – use in kWh × the district-heating factor (its market-based row in the "
        "market-based accounts when there is one).\n"
        "- **Scope 3, business travel** – outbound trips only (guests' travel is not the school's): 2 × each trip's "
        "great-circle distance from the campus (geodesic on WGS84) × participants × the travel mode's factor per "
        "passenger-km.\n"
        "- **Scope 3, water** – water supply and wastewater (category 1): m³ × the water factor.\n"
        "- Own solar power is not netted. Factors are data with a source and a year and can be edited on the Data "
        "page; when a year is missing, the nearest earlier year is used. Sub-meters are not counted twice."
    ),
    "sustain.source.gas": "Natural gas",
    "sustain.source.oil": "Oil",
    "sustain.source.electricity": "Electricity",
    "sustain.source.district_heating": "District heating",
    "sustain.source.water": "Water",
    "sustain.source.travel_air": "Travel: air",
    "sustain.source.travel_train": "Travel: train",
    "sustain.source.travel_bus": "Travel: bus",
    "sustain.source.travel_car": "Travel: car",
    "sustain.source.travel_mixed": "Travel: mixed",
    "sustain.scope": "Scope {scope}",
    "sustain.col.scope": "Scope",
    "sustain.col.source": "Source",
    "sustain.col.campus": "Campus",
    "sustain.col.quantity": "Quantity",
    "sustain.col.factor": "Factor",
    "sustain.col.factor_source": "Factor source (year)",
    "sustain.col.tonnes": "CO₂e",
    "sustain.col.method": "Method",
    "sustain.col.year": "Year",
    "sustain.col.initiative": "Initiative",
    "sustain.col.owner": "Owner",
    "sustain.col.status": "Status",
    "sustain.col.period": "Period",
    "sustain.col.focus_area": "Focus area",
    "sustain.initiative.planned": "Planned",
    "sustain.initiative.active": "Active",
    "sustain.initiative.done": "Done",
    "sustain.initiative.stopped": "Stopped",
    "sustain.initiative.ongoing": "ongoing",
    "sustain.sdg.title": "The Sustainable Development Goals",
    "sustain.sdg.intro": "Status and trend for each of the UN's 17 goals from the school's indicators (latest value "
                         "up to {year}). A goal is judged by its two weakest indicators.",
    "sustain.sdg.school_wide": "The goals are the school's as a whole, also when a campus is chosen.",
    "sustain.sdg.count": "{n} indicators",
    "sustain.sdg.count_one": "1 indicator",
    "sustain.sdg.count_none": "No indicators yet",
    "sustain.sdg.show": "Show goal",
    "sustain.sdg.pick": "Show details for goal",
    "sustain.sdg.goal_title": "Goal {n}: {name}",
    "sustain.sdg.goal_rollup": "{trend} · status from {n} indicators with data",
    "sustain.sdg.indicators": "Indicators",
    "sustain.sdg.no_indicators": "The school has no indicators for this goal yet.",
    "sustain.sdg.indicator_meta": "Focus area: {focus} · target {target}",
    "sustain.sdg.latest": "Latest value: **{value}** ({year})",
    "sustain.sdg.baseline_target": "Baseline {baseline_year}: {baseline} · target {target_year}: {target}",
    "sustain.sdg.initiatives": "Initiatives",
    "sustain.sdg.no_initiatives": "No initiatives are linked to this goal.",
    "sustain.sdg.focus_areas": "Strategy 2028 focus areas the goal serves",
    "sustain.sdg.no_focus_areas": "No focus areas are linked to this goal yet.",
    "sustain.factor_source.grid": "The grid's hourly intensity (Energinet, {area})",
}

DA.update({f"sustain.sdg.goal.{g.number}": g.name_da for g in GOALS})
EN.update({f"sustain.sdg.goal.{g.number}": g.name_en for g in GOALS})
