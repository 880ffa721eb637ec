"""The Energi page's period and its first question, "is the use normal?" (keys energy.range*, energy.normal*)."""

DA = {
    "energy.range": "Periode",
    "energy.range.this_week": "Denne uge",
    "energy.range.last_week": "Sidste hele uge",
    "energy.range.days_30": "Seneste 30 dage",
    "energy.range.ytd": "År til dato",
    "energy.range.year": "Hele {year}",
    "energy.range.custom": "Vælg datoer",
    "energy.range_help": "Ugerne og de 30 dage regnes fra de nyeste data ({day}), ikke fra i dag.",
    "energy.in_range": "{what}, {range}",
    "energy.week_range": "uge {week} ({range})",
    "energy.use.electricity": "Elforbrug",
    "energy.use.district_heating": "Fjernvarmeforbrug",
    "energy.use.water": "Vandforbrug",
    "energy.use.gas": "Gasforbrug",
    "energy.use.solar_pv": "Solcelleproduktion",
    "energy.expected_series": "Forventet (samme ugedag og time de 8 uger før)",
    "energy.normal.question": "Er forbruget normalt?",
    "energy.normal.yes": "Ja. {utility} i {range} var {change} det forventede ({actual} mod {expected}), inden for "
                         "grænsen for normalt forbrug (±{limit}, det dobbelte af den normale variation fra uge til "
                         "uge).",
    "energy.normal.no": "Nej. {utility} i {range} var {change} det forventede ({actual} mod {expected}) – mere end "
                        "grænsen for normalt forbrug (±{limit}, det dobbelte af den normale variation fra uge til "
                        "uge){where}.",
    "energy.normal.where": " – mest {building} {band}",
    "energy.normal.band.night": "om natten",
    "energy.normal.band.weekend": "i weekenden",
    "energy.normal.band.day": "i dagtimerne",
    "energy.normal.over": "{share} over",
    "energy.normal.under": "{share} under",
    "energy.normal.unknown": "For få uger med timedata før perioden til at sige, hvad der er normalt for {utility}.",
    "energy.normal.caption": "Forventet: medianen af samme ugedag og time i de 8 uger før perioden, uden ferie- "
                             "og lukkedage (samme grundlag som afvigelserne). Normal variation: hvor meget ugernes "
                             "forbrug plejer at svinge (±1 standardafvigelse); en forskel på højst det dobbelte er "
                             "normal.",
}

EN = {
    "energy.range": "Period",
    "energy.range.this_week": "This week",
    "energy.range.last_week": "Last full week",
    "energy.range.days_30": "Last 30 days",
    "energy.range.ytd": "Year to date",
    "energy.range.year": "All of {year}",
    "energy.range.custom": "Pick dates",
    "energy.range_help": "The weeks and the 30 days count from the newest data ({day}), not from today.",
    "energy.in_range": "{what}, {range}",
    "energy.week_range": "week {week} ({range})",
    "energy.use.electricity": "Electricity use",
    "energy.use.district_heating": "District heating use",
    "energy.use.water": "Water use",
    "energy.use.gas": "Gas use",
    "energy.use.solar_pv": "Solar PV production",
    "energy.expected_series": "Expected (same weekday and hour, the 8 weeks before)",
    "energy.normal.question": "Is the use normal?",
    "energy.normal.yes": "Yes. {utility} in {range} was {change} expected ({actual} against {expected}), within the "
                         "limit for normal use (±{limit}, twice the usual variation from week to week).",
    "energy.normal.no": "No. {utility} in {range} was {change} expected ({actual} against {expected}) – more than the "
                        "limit for normal use (±{limit}, twice the usual variation from week to week){where}.",
    "energy.normal.where": " – mostly {building} {band}",
    "energy.normal.band.night": "at night",
    "energy.normal.band.weekend": "at weekends",
    "energy.normal.band.day": "in the daytime",
    "energy.normal.over": "{share} above",
    "energy.normal.under": "{share} below",
    "energy.normal.unknown": "Too few weeks of hourly data before the period to say what is normal for {utility}.",
    "energy.normal.caption": "Expected: the median of the same weekday and hour in the 8 weeks before the period, "
                             "holidays and closed days left out (the anomalies' baseline). Usual variation: how much "
                             "the weeks' use tends to vary (±1 standard deviation); a difference of at most twice that "
                             "is normal.",
}
