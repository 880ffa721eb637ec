"""The Data page's import: the upload box, the choice about the sample data, who may import."""

DA = {
    "col.name_en": "Navn på engelsk (valgfrit; vises på engelsk, ellers det danske navn)",
    "col.title_en": "Titel på engelsk (valgfri; vises på engelsk, ellers den danske titel)",
    "data.upload": "Vælg en fil",
    "data.upload_explained": "Træk filen ind i feltet herunder, eller klik på knappen **Browse files** (feltets "
                             "egen tekst er på engelsk): højst 200 MB, som CSV, TXT, XLSX, GeoJSON eller JSON. "
                             "Intet gemmes, før du har set forhåndsvisningen og trykket Importér.",
    "data.upload_help": "CSV (komma eller semikolon), Excel (.xlsx), Eloverblik-eksporten som den er, "
                        "tælleraflæsninger eller GeoJSON. Hent en skabelon under Skabeloner og eksport.",
    "data.offer_clear_question": "Databasen har stadig eksempeldata. Hvad skal der ske med dem?",
    "data.choice_clear": "Ryd eksempeldata først (anbefales ved første import af egne data): {sample} "
                         "eksempeldata fjernes i alle datasæt; fra filen {counts}",
    "data.choice_keep": "Behold eksempeldata: fra filen {counts}, blandet med eksempeltallene",
    "data.choice_counts": "tilføjes {added}, erstattes {replaced}",
    "data.keep_sample_needed": "Eksempeldata beholdes ved denne import: filen henviser til data, der kun findes i "
                               "eksempeldata (fx deres målere eller bygninger), så de kan ikke ryddes først.",
    "data.offer_clear_help": "Alle eksempeldata fjernes i samme transaktion som importen, så egne og "
                             "illustrative tal aldrig blandes. Det kan fortrydes under Importhistorik.",
    "data.needs_editor": "Import og rettelser kræver redaktør-rollen (log ind ovenfor). Fra kommandolinjen:",
    "data.needs_editor_none": "Import og rettelser kræver redaktør-rollen, og redigering er ikke slået til endnu: "
                              "øverst på siden står, hvordan den slås til. Indtil da kan data importeres fra "
                              "kommandolinjen på serveren:",
}

EN = {
    "col.name_en": "Name in English (optional; shown in English, else the Danish name)",
    "col.title_en": "Title in English (optional; shown in English, else the Danish title)",
    "data.upload": "Choose a file",
    "data.upload_explained": "Drag the file into the box below, or click **Browse files**: at most 200 MB, as CSV, "
                             "TXT, XLSX, GeoJSON or JSON. Nothing is stored until you have seen the preview and "
                             "pressed Import.",
    "data.upload_help": "CSV (comma or semicolon), Excel (.xlsx), the Eloverblik export as it is, register "
                        "readings or GeoJSON. Get a template under Templates and export.",
    "data.offer_clear_question": "The database still holds sample data. What should happen to them?",
    "data.choice_clear": "Clear the sample data first (recommended on the first import of your own data): {sample} "
                         "of sample data are removed from every dataset; from the file {counts}",
    "data.choice_keep": "Keep the sample data: from the file {counts}, mixed with the sample figures",
    "data.choice_counts": "{added} added, {replaced} replaced",
    "data.keep_sample_needed": "The sample data stay for this import: the file refers to data that exist only in the "
                               "sample (its meters or buildings, say), so they cannot be cleared first.",
    "data.offer_clear_help": "All sample data are removed in the same transaction as the import, so your own and "
                             "illustrative figures never mix. It can be undone under Import history.",
    "data.needs_editor": "Importing and editing need the editor role (log in above). From the command line:",
    "data.needs_editor_none": "Importing and editing need the editor role, and editing is not enabled yet: the top "
                              "of this page says how to enable it. Until then, data can be imported from the "
                              "command line on the server:",
}
