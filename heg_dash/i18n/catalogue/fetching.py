"""Fetching live data: the Data page's connector section and the ``fetch`` CLI."""

DA = {
    "fetch.title": "Hent data fra offentlige tjenester",
    "fetch.intro": "Hent det, der mangler, fra Energi Data Service (CO₂ i elnettet og spotpriser), Open-Meteo "
                   "(døgnmiddeltemperatur pr. campus) og Eloverblik (timeaflæsninger for målere med GSRN). "
                   "Hver hentning gemmes som én batch, der kan fortrydes under Importhistorik.",
    "fetch.source.co2": "CO₂ i elnettet (DK1)",
    "fetch.source.prices": "Spotpriser (DK1)",
    "fetch.source.weather": "Vejr (Open-Meteo)",
    "fetch.source.eloverblik": "Elmålere (Eloverblik)",
    "fetch.button": "Hent nu",
    "fetch.last": "Senest hentet: {when}",
    "fetch.never": "Aldrig hentet",
    "fetch.running": "Henter {source} …",
    "fetch.done": "Færdig",
    "fetch.failed": "Hentningen mislykkedes",
    "fetch.window": "Henter {start} – {end}",
    "fetch.editor_only": "Kun redaktører kan hente data.",
    "fetch.up_to_date": "{source}: data er opdateret – intet at hente.",
    "fetch.unchanged": "{source} {start} – {end}: {fetched} rækker hentet, intet ændret ({unchanged} uændrede).",
    "fetch.stored": "{source} {start} – {end}: {added} tilføjet, {replaced} erstattet, {unchanged} uændrede "
                    "(batch {batch}).",
    "fetch.refused": "Tjenestens svar bryder datasættets regler; intet er ændret.",
    "fetch.weather_lag": "Vejrarkivet er ca. 5 dage bagud, så de seneste dage hentes senere.",
    "fetch.elo_wrong_kind.production": "målepunkt {gsrn} sender produktion (A01), men måler {meter} er ikke et "
                                       "solcelleanlæg (solar_pv); de {rows} værdier er ikke gemt. Giv "
                                       "produktionsmålepunktet sin egen måler med forsyning solar_pv",
    "fetch.elo_wrong_kind.consumption": "målepunkt {gsrn} sender forbrug, men måler {meter} er et solcelleanlæg "
                                        "(solar_pv); de {rows} værdier er ikke gemt",
}

EN = {
    "fetch.title": "Fetch data from public services",
    "fetch.intro": "Fetch what is missing from Energi Data Service (grid CO₂ and spot prices), Open-Meteo "
                   "(daily mean temperature per campus) and Eloverblik (hourly readings for meters with a GSRN). "
                   "Each fetch is stored as one batch that can be undone under Import history.",
    "fetch.source.co2": "Grid CO₂ (DK1)",
    "fetch.source.prices": "Spot prices (DK1)",
    "fetch.source.weather": "Weather (Open-Meteo)",
    "fetch.source.eloverblik": "Electricity meters (Eloverblik)",
    "fetch.button": "Fetch now",
    "fetch.last": "Last fetched: {when}",
    "fetch.never": "Never fetched",
    "fetch.running": "Fetching {source} …",
    "fetch.done": "Done",
    "fetch.failed": "The fetch failed",
    "fetch.window": "Fetching {start} – {end}",
    "fetch.editor_only": "Only editors can fetch data.",
    "fetch.up_to_date": "{source}: the data is up to date – nothing to fetch.",
    "fetch.unchanged": "{source} {start} – {end}: {fetched} rows fetched, nothing changed ({unchanged} unchanged).",
    "fetch.stored": "{source} {start} – {end}: {added} added, {replaced} replaced, {unchanged} unchanged "
                    "(batch {batch}).",
    "fetch.refused": "The service's answer breaks the dataset's rules; nothing was changed.",
    "fetch.weather_lag": "The weather archive lags about 5 days, so the latest days are fetched later.",
    "fetch.elo_wrong_kind.production": "metering point {gsrn} sends production (A01), but meter {meter} is not a "
                                       "solar plant (solar_pv); its {rows} values were not stored. Give the "
                                       "production metering point a meter of its own with utility solar_pv",
    "fetch.elo_wrong_kind.consumption": "metering point {gsrn} sends consumption, but meter {meter} is a solar "
                                        "plant (solar_pv); its {rows} values were not stored",
}
