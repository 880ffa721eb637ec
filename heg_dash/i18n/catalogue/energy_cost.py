"""The Økonomi page's energy cost section."""

DA = {
    "energycost.title": "Energiomkostning {year}",
    "energycost.total": "Energiomkostning i alt",
    "energycost.per_aarselev": "Energiomkostning pr. årselev",
    "energycost.per_m2": "Energiomkostning pr. m² opvarmet areal",
    "energycost.caption": "Forbrug × de priser, der gjaldt time for time (spot + nettarif + afgift, eller en "
                          "samlet pris) for el, fjernvarme, gas og olie; delt med årets årselever og med det "
                          "opvarmede areal i brug. Prissat andel af forbruget: {share}.",
    "energycost.none": "Ingen energiomkostning for {year}: der mangler forbrug eller priser.",
}

EN = {
    "energycost.title": "Energy cost {year}",
    "energycost.total": "Energy cost in total",
    "energycost.per_aarselev": "Energy cost per årselev",
    "energycost.per_m2": "Energy cost per heated m²",
    "energycost.caption": "Use × the prices in force hour by hour (spot + grid tariff + tax, or an all-in price) "
                          "for electricity, district heating, gas and oil; divided by the year's årselever and "
                          "by the heated area in use. Priced share of the use: {share}.",
    "energycost.none": "No energy cost for {year}: use or prices are missing.",
}
