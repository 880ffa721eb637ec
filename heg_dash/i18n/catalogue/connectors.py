"""The connectors' messages (heg_dash.connectors) and the fetch's notes (heg_dash.fetching)."""

DA = {
    "conn.nothing_changed": "Intet er ændret.",
    "conn.not_reached": "{service} kunne ikke nås ({host}): tjek netværksforbindelsen. {nothing}",
    "conn.timeout": "{service} svarede ikke inden for {seconds} s ({where}). {nothing}",
    "conn.failed": "forespørgslen til {service} mislykkedes ({where}): {error}. {nothing}",
    "conn.busy": "{service} svarede HTTP {status} {reason} på {path} efter {attempts} forsøg (travl eller nede); "
                 "prøv igen senere. {nothing}",
    "conn.http": "{service} svarede HTTP {status} {reason} på {path}{detail}. {nothing}",
    "conn.not_json": "{service} sendte et svar på {path}, som ikke er gyldig JSON (indholdstype {content_type}). "
                     "{nothing}",
    "conn.shape": "{service} sendte et uventet svar: {what}. {nothing}",
    "conn.service_error": "{service}: {reason}. {nothing}",
    "conn.same_page": "{service} sendte de samme {count} {dataset}-rækker igen for side {page} (forskydning "
                      "{offset} af {total}); hentningen er stoppet. {nothing}",
    "conn.too_many_pages": "{service} skulle bruge mere end {pages} sider til {dataset} ({got} af {total} rækker); "
                           "hentningen er stoppet. {nothing}",
    "conn.no_token": "Der er ingen Eloverblik-token: sæt HEG_DASH_ELOVERBLIK_TOKEN, eller skriv refresh_token "
                     "under [eloverblik] i .streamlit/secrets.toml (tokenet oprettes på eloverblik.dk under "
                     "'Datadeling'). {nothing}",
    "conn.token_refused": "Eloverblik afviste tokenet (HTTP {status}); det kan være udløbet eller tilbagekaldt: "
                          "opret et nyt på eloverblik.dk. {nothing}",
    "conn.note.no_reading": "{count} interval(ler) uden måling (A02) er udeladt",
    "conn.note.outside": "{count} punkt(er) uden for deres periode er udeladt",
    "conn.note.point_failed": "målepunkt {gsrn} fejlede: {why}",
    "conn.note.no_co2": "{count} time(r) uden CO2PerkWh er udeladt",
    "conn.note.incomplete_hour": "den nyeste time ({hour} UTC) er ufuldstændig og er udeladt",
    "conn.note.no_temperature": "{count} dag(e) uden temperatur er udeladt (arkivet er ca. 5 dage bagud)",
    "fetch.note.weather_ends": "vejret slutter {day}: Open-Meteos arkiv er ca. {days} dage bagud",
    "fetch.note.recent_co2": "{count} nye time(r) fra CO2Emis (foreløbige, til de er deklareret)",
    "fetch.note.no_gsrn": "ingen måler har et GSRN: knyt målerne til Eloverblik i datasættet meters",
    "fetch.note.not_kwh": "målere, der ikke måles i kWh eller MWh, er udeladt: {meters}",
    "fetch.unknown_source": "ukendt kilde {source!r}: brug en af {sources}",
    "fetch.end_before_start": "slutdatoen {end} ligger før startdatoen {start}",
    "fetch.gsrn_twice": "samme GSRN ved mere end én måler: {gsrns}",
}

EN = {
    "conn.nothing_changed": "Nothing was changed.",
    "conn.not_reached": "{service} could not be reached ({host}): check the network connection. {nothing}",
    "conn.timeout": "{service} did not answer within {seconds} s ({where}). {nothing}",
    "conn.failed": "{service} request failed ({where}): {error}. {nothing}",
    "conn.busy": "{service} answered HTTP {status} {reason} to {path} after {attempts} attempts (busy or down); "
                 "try again later. {nothing}",
    "conn.http": "{service} answered HTTP {status} {reason} to {path}{detail}. {nothing}",
    "conn.not_json": "{service} sent an answer to {path} that is not valid JSON (content type {content_type}). "
                     "{nothing}",
    "conn.shape": "{service} sent an unexpected answer: {what}. {nothing}",
    "conn.service_error": "{service}: {reason}. {nothing}",
    "conn.same_page": "{service} sent the same {count} {dataset} records again for page {page} (offset {offset} "
                      "of {total}); the fetch stopped. {nothing}",
    "conn.too_many_pages": "{service} needed more than {pages} pages for {dataset} ({got} of {total} records); "
                           "the fetch stopped. {nothing}",
    "conn.no_token": "No Eloverblik refresh token: set HEG_DASH_ELOVERBLIK_TOKEN or put refresh_token under "
                     "[eloverblik] in .streamlit/secrets.toml (create the token on eloverblik.dk under "
                     "'Datadeling'). {nothing}",
    "conn.token_refused": "Eloverblik refused the refresh token (HTTP {status}); it may have expired or been "
                          "revoked: create a new one on eloverblik.dk. {nothing}",
    "conn.note.no_reading": "{count} interval(s) without a reading (A02) left out",
    "conn.note.outside": "{count} point(s) outside their period left out",
    "conn.note.point_failed": "metering point {gsrn} failed: {why}",
    "conn.note.no_co2": "{count} hour(s) without CO2PerkWh left out",
    "conn.note.incomplete_hour": "the newest hour ({hour} UTC) is incomplete and was left out",
    "conn.note.no_temperature": "{count} day(s) without a temperature left out (the archive lags about 5 days)",
    "fetch.note.weather_ends": "weather ends {day}: the Open-Meteo archive lags about {days} days",
    "fetch.note.recent_co2": "{count} recent hour(s) from CO2Emis (provisional until declared)",
    "fetch.note.no_gsrn": "no meter has a GSRN: link meters to Eloverblik in the meters dataset",
    "fetch.note.not_kwh": "meters not counted in kWh or MWh left out: {meters}",
    "fetch.unknown_source": "unknown source {source!r}: one of {sources}",
    "fetch.end_before_start": "end {end} is before start {start}",
    "fetch.gsrn_twice": "GSRN on more than one meter: {gsrns}",
}
