"""Accessibility: the charts' text alternatives and the accessibility statement (tilgængelighedserklæring)."""

DA = {
    "page.tilgaengelighed": "Tilgængelighed",
    "chart.table_toggle": "Vis data som tabel",
    "chart.summary.ordered": "{title} – {measure}: senest {latest} ({latest_at}), højst {high} ({high_at}).",
    "chart.summary.unordered": "{title} – {measure}: højst {high} ({high_at}), lavest {low} ({low_at}), "
                               "{n} værdier i alt.",
    "chart.summary.items": "{title}: {n} elementer, se tabellen under diagrammet.",
    "chart.summary.empty": "{title}: ingen data.",
    "a11y.title": "Tilgængelighedserklæring",
    "a11y.intro": "HEG – Himmerlands Erhvervs- og Gymnasieuddannelser er en offentlig institution og skal gøre sine "
                  "hjemmesider og apps tilgængelige efter lov om tilgængelighed af offentlige organers websteder og "
                  "mobilapplikationer. Erklæringen gælder HEG Dashboard og følger standarden WCAG 2.1, niveau AA "
                  "(EN 301 549).",
    "a11y.status_title": "Overholdelse",
    "a11y.status": "HEG Dashboard overholder **delvist** WCAG 2.1 AA. Det, der ikke er opfyldt, står nedenfor.",
    "a11y.met_title": "Det er opfyldt",
    "a11y.met": "- Siden er på dansk eller engelsk, og browserens sprog (`<html lang>`) følger det valgte sprog.\n"
                "- Hvert diagram har en sætning, der siger, hvad det viser, og dets nøgletal (læses op af "
                "skærmlæsere), og dets data kan vises som tabel under diagrammet.\n"
                "- Status vises aldrig kun med farve: der står altid et symbol og et ord ved (fx «▲ På rette "
                "spor»), og farverne kan skelnes ved rød-grøn farveblindhed.\n"
                "- Tekst, statusmærker og diagramtekster har en kontrast på mindst 4,5:1 mod baggrunden.\n"
                "- Alle filtre, faner, knapper og Data-sidens import kan bruges med tastaturet alene (Tab, Enter, "
                "mellemrum).\n"
                "- De små kurver i nøgletallenes felter siger udviklingen i ord for skærmlæsere (fra hvilket år og "
                "tal til hvilket).\n"
                "- Hver side kontrolleres automatisk i en rigtig browser med axe-core, på dansk og engelsk.",
    "a11y.not_met_title": "Det er ikke opfyldt, og hvorfor",
    "a11y.not_met": "- **Kort og diagrammer** kan ikke udforskes punkt for punkt med skærmlæser; hvert har i stedet "
                    "en sætning med det vigtigste tal og sine data som tabel.\n"
                    "- **Overskrifternes niveauer** springer enkelte steder et niveau over (fra sidens titel til "
                    "afsnit); det ændrer ikke rækkefølgen, men er en anbefaling, vi endnu ikke følger.\n"
                    "- **PDF- og Excel-rapporterne** er ikke gennemgået for tilgængelighed endnu.",
    "a11y.contact_title": "Kontakt og feedback",
    "a11y.contact": "Oplever du problemer med tilgængeligheden, eller har du brug for indholdet i en anden form, så "
                    "skriv til {contact}. Vi svarer inden for 14 dage.",
    "a11y.complaint_title": "Klage",
    "a11y.complaint": "Er du ikke tilfreds med svaret, kan du klage til Digitaliseringsstyrelsen, der fører tilsyn "
                      "med tilgængeligheden af offentlige organers websteder og apps (digst.dk).",
    "a11y.prepared": "Erklæringen er udarbejdet på grundlag af automatiske test (axe-core i Chromium) og manuel "
                     "gennemgang med tastatur. Den gennemgås, når appen ændres.",
    "a11y.contact_default": "HEG's IT-afdeling",
}

EN = {
    "page.tilgaengelighed": "Accessibility",
    "chart.table_toggle": "Show the data as a table",
    "chart.summary.ordered": "{title} – {measure}: latest {latest} ({latest_at}), highest {high} ({high_at}).",
    "chart.summary.unordered": "{title} – {measure}: highest {high} ({high_at}), lowest {low} ({low_at}), "
                               "{n} values in all.",
    "chart.summary.items": "{title}: {n} items, see the table below the chart.",
    "chart.summary.empty": "{title}: no data.",
    "a11y.title": "Accessibility statement",
    "a11y.intro": "HEG – Himmerlands Erhvervs- og Gymnasieuddannelser is a public institution and must make its "
                  "websites and apps accessible under the Danish act on the accessibility of public sector bodies' "
                  "websites and mobile applications. This statement covers HEG Dashboard and follows WCAG 2.1, "
                  "level AA (EN 301 549).",
    "a11y.status_title": "Compliance status",
    "a11y.status": "HEG Dashboard is **partially** compliant with WCAG 2.1 AA. What is not met is listed below.",
    "a11y.met_title": "What is met",
    "a11y.met": "- The page is in Danish or English, and the browser's language (`<html lang>`) follows the chosen "
                "language.\n"
                "- Every chart has a sentence saying what it shows and its headline figure (read out by screen "
                "readers), and its data can be shown as a table below the chart.\n"
                "- Status is never shown by colour alone: a symbol and a word always go with it (e.g. “▲ On "
                "track”), and the colours stay distinguishable with red-green colour blindness.\n"
                "- Text, status badges and chart labels have a contrast of at least 4.5:1 against their "
                "background.\n"
                "- Every filter, tab, button and the Data page's import work with the keyboard alone (Tab, Enter, "
                "Space).\n"
                "- The small curves in the key-figure tiles say the trend in words for screen readers (from which "
                "year and figure to which).\n"
                "- Every page is checked automatically in a real browser with axe-core, in Danish and English.",
    "a11y.not_met_title": "What is not met, and why",
    "a11y.not_met": "- **Maps and charts** cannot be explored point by point with a screen reader; instead each has "
                    "a sentence with its headline figure and its data as a table.\n"
                    "- **Heading levels** skip one level in places (from the page title to a section); the order "
                    "is right, but it is a recommendation we do not follow yet.\n"
                    "- **The PDF and Excel reports** have not been reviewed for accessibility yet.",
    "a11y.contact_title": "Contact and feedback",
    "a11y.contact": "If you meet an accessibility problem, or need the content in another form, write to {contact}. "
                    "We answer within 14 days.",
    "a11y.complaint_title": "Complaints",
    "a11y.complaint": "If you are not satisfied with the answer, you can complain to the Agency for Digital "
                      "Government (Digitaliseringsstyrelsen), which supervises the accessibility of public bodies' "
                      "websites and apps (digst.dk).",
    "a11y.prepared": "The statement is based on automated tests (axe-core in Chromium) and a manual keyboard "
                     "review. It is reviewed when the app changes.",
    "a11y.contact_default": "HEG's IT department",
}
