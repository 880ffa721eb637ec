"""Import problems and warnings (heg_dash.importers). Problem.text() puts file, row and column in front."""

DA = {
    # Where a problem is; Problem.text() joins these: "heg.csv, række 14, kolonne Mængde: …"
    "imp.at_row": "række {row}",
    "imp.at_column": "kolonne {column}",
    "imp.at_feature": "objekt nr. {feature}",
    "imp.more": "… og {count} rækker mere med samme fejl",
    # The whole file
    "imp.unknown_dataset": "ukendt datasæt '{dataset}'; kendte datasæt: {known}",
    "imp.unknown_format": "ukendt format '{format}'; brug et af: {formats}",
    "imp.format_dataset": "en {format}-fil kan kun importeres som {expected}, ikke som {dataset}",
    "imp.too_large": "filen er for stor ({size} MB); den må højst fylde {limit} MB",
    "imp.empty_file": "filen er tom",
    "imp.no_rows": "filen har ingen datarækker, kun overskrifter",
    "imp.unreadable": "filen kan ikke læses som CSV, Excel eller GeoJSON – den ligner binære data "
                      "(fx et billede). Gem data som CSV eller .xlsx og prøv igen",
    "imp.mixed_encoding": "filen blander tegnsæt: linje {line} er ikke skrevet i UTF-8 som resten af filen (den "
                          "er nok redigeret i et andet program). Gem hele filen som CSV UTF-8 og prøv igen",
    "imp.unknown_encoding": "filen er hverken UTF-8, UTF-16 eller Windows-1252 (vesteuropæisk) hele vejen "
                            "igennem: linje {line} kan ikke læses. Gem filen som CSV UTF-8 og prøv igen",
    "imp.bad_utf16": "filen begynder som UTF-16, men linje {line} kan ikke læses som UTF-16. Gem filen som CSV "
                     "UTF-8 og prøv igen",
    "imp.utf16_no_bom": "filen ser ud til at være UTF-16 uden byte-rækkefølgemærke (BOM), så den kan ikke læses "
                        "sikkert. Gem den som CSV UTF-8 (eller Unicode-tekst med BOM) og prøv igen",
    "imp.old_xls": "gamle Excel-filer (.xls) kan ikke læses; gem filen som Excel-projektmappe (.xlsx) eller CSV",
    "imp.bad_xlsx": "filen kan ikke åbnes som Excel-projektmappe ({reason}); gem den igen som .xlsx eller CSV",
    "imp.bad_csv": "filen kan ikke læses som CSV ({reason})",
    "imp.internal": "uventet fejl under læsningen af filen ({error}); intet er gemt",
    # Columns
    "imp.missing_columns": "mangler kolonne(r): {columns}. Filen skal have kolonnerne: {expected}",
    "imp.unknown_columns": "ukendte kolonner: {columns}. Tilladte kolonner: {expected}",
    "imp.duplicate_column": "kolonnen står der mere end én gang i overskriften",
    "imp.unnamed_column": "kolonne nr. {position} har data, men ingen overskrift",
    "imp.extra_cells": "rækken har flere celler end de {columns} kolonner i overskriften",
    # Cells
    "imp.required": "cellen er tom, men skal udfyldes",
    "imp.not_number": "'{value}' er ikke et tal",
    "imp.not_number_comma": "'{value}' er ikke et tal: filen er semikolonsepareret, så decimaltegnet skal "
                            "være komma (fx 1234,5)",
    "imp.not_number_point": "'{value}' er ikke et tal: filen er kommasepareret, så decimaltegnet skal være "
                            "punktum (fx 1234.5)",
    "imp.not_integer": "'{value}' er ikke et helt tal",
    "imp.not_date": "'{value}' er ikke en dato; skriv ÅÅÅÅ-MM-DD (fx 2024-03-05) eller DD-MM-ÅÅÅÅ",
    "imp.impossible_date": "'{value}' findes ikke i kalenderen",
    "imp.not_timestamp": "'{value}' er ikke et tidspunkt; skriv ÅÅÅÅ-MM-DD TT:MM, evt. med tidszone "
                         "(fx 2024-03-05 14:00 eller 2024-03-05T14:00+01:00)",
    "imp.nonexistent_time": "{value} findes ikke i dansk tid: uret springer fra 02:00 til 03:00, når "
                            "sommertiden begynder",
    "imp.ambiguous_time": "{value} findes to gange i dansk tid (når sommertiden slutter), og rækkefølgen i "
                          "filen afgør ikke hvilken; skriv tidszonen (+02:00 eller +01:00)",
    "imp.not_bool": "'{value}' er hverken ja eller nej; skriv ja/nej, true/false, yes/no eller 1/0",
    "imp.number_as_text": "'{value}' er for langt til at være et tal i et regneark og kan have mistet cifre; "
                          "formatér cellen som tekst og skriv tallet igen",
    "imp.formula": "'{value}' ligner en regnearksformel; tekst må ikke begynde med =, +, - eller @ efterfulgt "
                   "af en formel",
    "imp.formula_no_value": "cellen har formlen {value}, men ingen beregnet værdi (filen er ikke gemt i Excel "
                            "efter beregningen); åbn og gem den i Excel, eller indsæt cellerne som værdier",
    "imp.not_allowed": "'{value}' er ikke en tilladt værdi; tilladt er: {allowed}",
    "imp.below_min": "{value} er mindre end det mindste tilladte ({min})",
    "imp.above_max": "{value} er større end det største tilladte ({max})",
    "imp.pattern": "'{value}' har ikke den rigtige form ({pattern})",
    "imp.pattern_gsrn": "'{value}' er ikke et GSRN-nummer (målepunkts-ID): det skal være 18 cifre",
    "imp.excel_rounded": "'{value}' er et langt nummer (et GSRN), som Excel har afrundet og vist med "
                         "eksponent, så de sidste cifre er tabt. Formatér kolonnen som Tekst i Excel (eller vælg "
                         "Tekst for kolonnen, når CSV-filen åbnes via Data → Fra tekst/CSV), skriv numrene igen og "
                         "gem",
    "imp.not_country": "'{value}' er ikke en landekode: skriv landets kode på to bogstaver efter ISO 3166-1 "
                       "(fx DK, DE, ES)",
    "imp.control_character": "'{value}' indeholder et styretegn (fx et linjeskift eller en tabulator); et id "
                             "skal stå på én linje",
    "imp.not_unique": "'{value}' står også ved {others}; hver værdi i kolonnen må kun høre til én række",
    "imp.parent_self": "'{value}' er rækken selv; en måler kan ikke være sin egen overordnede måler",
    "imp.parent_differs": "den overordnede måler '{value}' har {same} '{theirs}', men denne række har '{own}'; "
                          "en undermåler måler det samme som sin overordnede",
    "imp.parent_cycle": "de overordnede målere danner en ring ({cycle}); de skal danne et træ, ellers tælles "
                        "målerne i ringen ingen steder",
    "imp.pattern_sdg_goals": "'{value}' er ikke en liste af verdensmål: skriv numre adskilt af semikolon "
                             "(fx 4;7;13)",
    # Across cells and rows
    "imp.end_not_after_start": "slut ({end}) skal ligge efter {start_column} ({start})",
    "imp.end_before_start": "slut ({end}) ligger før {start_column} ({start})",
    "imp.unit_for_utility": "enheden '{unit}' passer ikke til forsyningen {utility}; tilladt er: {allowed}",
    "imp.duplicate_key": "samme nøgle ({fields}) som række {first}; hver nøgle må kun stå én gang i filen",
    "imp.unknown_reference": "'{value}' findes ikke i {dataset} ({target}); importér det først "
                             "(brugt i {count} række(r))",
    # Eloverblik
    "imp.elo_needs_meters": "en Eloverblik-fil kan kun læses, når målerne (meters) er kendt; importér "
                            "målerne med deres GSRN-nummer først",
    "imp.elo_unknown_gsrn": "målepunktet {value} er ikke knyttet til nogen måler ({count} række(r)); skriv "
                            "GSRN-nummeret i målerens gsrn-felt",
    "imp.elo_interval": "intervallet {start} – {end} er {minutes} minutter; Eloverblik-data skal være "
                        "kvarterer, timer eller hele døgn, måneder eller år fra midnat",
    "imp.elo_no_unit": "filen har ingen kolonne Måleenhed; mængderne er læst som {unit}",
    "imp.near_layout": "overskriften ligner {layout}, men {differences}. Den skal være: {expected}",
    "imp.near_renamed": "'{found}' skal hedde '{wanted}'",
    "imp.near_missing": "kolonnen '{wanted}' mangler",
    "imp.layout.template": "skabelonen for {dataset}",
    "imp.layout.eloverblik_web": "Eloverbliks eksport fra hjemmesiden",
    "imp.layout.eloverblik_api": "Eloverbliks CSV fra API'et",
    "imp.layout.register": "tælleraflæsninger",
    "imp.elo_unit": "enheden {unit} passer ikke til måler {meter}, som måles i {meter_unit} ({count} række(r))",
    "imp.elo_quality": "kvaliteten '{value}' kendes ikke; kendte koder: {allowed}",
    "imp.elo_a02_skipped": "{count} række(r) med kvalitet A02 (ingen måling) er sprunget over",
    "imp.elo_converted": "mængder i {unit} er omregnet til {meter_unit} for måler {meter} (× {factor})",
    # Register readings
    "imp.reg_decreasing": "tællerstanden {value} er lavere end den forrige aflæsning {previous} (række "
                          "{previous_row}); en tæller kan ikke gå baglæns – tjek aflæsningen eller om "
                          "måleren er skiftet",
    "imp.reg_single": "måler {meter} har kun én aflæsning, så forbruget kan ikke beregnes endnu",
    # GeoJSON footprints
    "imp.geo_not_json": "filen er ikke gyldig JSON: {reason}",
    "imp.geo_not_collection": "GeoJSON-filen skal være en FeatureCollection med en liste af features",
    "imp.geo_crs": "koordinatsystemet {crs} understøttes ikke; filen skal være i EPSG:4326 (længde og "
                   "bredde i grader)",
    "imp.geo_not_feature": "objektet er ikke en GeoJSON-feature",
    "imp.geo_no_building_id": "egenskaben building_id mangler",
    "imp.geo_type": "geometrien er {type}; et omrids skal være Polygon eller MultiPolygon",
    "imp.geo_invalid": "geometrien er ugyldig ({reason})",
    "imp.geo_not_degrees": "koordinaterne er ikke længde og bredde i grader; filen skal være i EPSG:4326",
    "imp.geo_bad_wkt": "'{value}' er ikke en WKT-geometri ({reason})",
    "imp.geo_duplicate": "bygning {building_id} har allerede et omrids (objekt nr. {first})",
    "imp.geo_unknown_building": "bygning {building_id} findes ikke i buildings; importér bygningen først",
}

EN = {
    "imp.at_row": "row {row}",
    "imp.at_column": "column {column}",
    "imp.at_feature": "feature no. {feature}",
    "imp.more": "… and {count} more rows with the same problem",
    "imp.unknown_dataset": "unknown dataset '{dataset}'; known datasets: {known}",
    "imp.unknown_format": "unknown format '{format}'; use one of: {formats}",
    "imp.format_dataset": "a {format} file can only be imported as {expected}, not as {dataset}",
    "imp.too_large": "the file is too large ({size} MB); the limit is {limit} MB",
    "imp.empty_file": "the file is empty",
    "imp.no_rows": "the file has no data rows, only headers",
    "imp.unreadable": "the file cannot be read as CSV, Excel or GeoJSON – it looks like binary data "
                      "(an image, for example). Save the data as CSV or .xlsx and try again",
    "imp.mixed_encoding": "the file mixes character encodings: line {line} is not UTF-8 like the rest of the "
                          "file (probably edited in another program). Save the whole file as CSV UTF-8 and try again",
    "imp.unknown_encoding": "the file is not UTF-8, UTF-16 or Windows-1252 (Western European) all through: line "
                            "{line} cannot be read. Save the file as CSV UTF-8 and try again",
    "imp.bad_utf16": "the file starts as UTF-16, but line {line} cannot be read as UTF-16. Save the file as CSV "
                     "UTF-8 and try again",
    "imp.utf16_no_bom": "the file looks like UTF-16 without a byte order mark (BOM), so it cannot be read safely. "
                        "Save it as CSV UTF-8 (or Unicode text with a BOM) and try again",
    "imp.old_xls": "old Excel files (.xls) cannot be read; save the file as an Excel workbook (.xlsx) or CSV",
    "imp.bad_xlsx": "the file cannot be opened as an Excel workbook ({reason}); save it again as .xlsx or CSV",
    "imp.bad_csv": "the file cannot be read as CSV ({reason})",
    "imp.internal": "unexpected error while reading the file ({error}); nothing was stored",
    "imp.missing_columns": "missing column(s): {columns}. The file must have the columns: {expected}",
    "imp.unknown_columns": "unknown columns: {columns}. Allowed columns: {expected}",
    "imp.duplicate_column": "the column appears more than once in the header",
    "imp.unnamed_column": "column no. {position} has data but no header",
    "imp.extra_cells": "the row has more cells than the {columns} columns in the header",
    "imp.required": "the cell is empty but must be filled in",
    "imp.not_number": "'{value}' is not a number",
    "imp.not_number_comma": "'{value}' is not a number: the file is semicolon-separated, so the decimal mark "
                            "must be a comma (e.g. 1234,5)",
    "imp.not_number_point": "'{value}' is not a number: the file is comma-separated, so the decimal mark must "
                            "be a point (e.g. 1234.5)",
    "imp.not_integer": "'{value}' is not a whole number",
    "imp.not_date": "'{value}' is not a date; write YYYY-MM-DD (e.g. 2024-03-05) or DD-MM-YYYY",
    "imp.impossible_date": "'{value}' does not exist in the calendar",
    "imp.not_timestamp": "'{value}' is not a time; write YYYY-MM-DD HH:MM, optionally with a time zone "
                         "(e.g. 2024-03-05 14:00 or 2024-03-05T14:00+01:00)",
    "imp.nonexistent_time": "{value} does not exist in Danish time: clocks jump from 02:00 to 03:00 when "
                            "summer time begins",
    "imp.ambiguous_time": "{value} occurs twice in Danish time (when summer time ends) and the order in the "
                          "file does not tell which; write the time zone (+02:00 or +01:00)",
    "imp.not_bool": "'{value}' is neither yes nor no; write yes/no, true/false, ja/nej or 1/0",
    "imp.number_as_text": "'{value}' is too long to be a number in a spreadsheet and may have lost digits; "
                          "format the cell as text and type the number again",
    "imp.formula": "'{value}' looks like a spreadsheet formula; text must not start with =, +, - or @ "
                   "followed by a formula",
    "imp.formula_no_value": "the cell holds the formula {value} but no computed value (the file was not saved in "
                            "Excel after calculating); open and save it in Excel, or paste the cells as values",
    "imp.not_allowed": "'{value}' is not an allowed value; allowed: {allowed}",
    "imp.below_min": "{value} is below the smallest allowed value ({min})",
    "imp.above_max": "{value} is above the largest allowed value ({max})",
    "imp.pattern": "'{value}' does not have the right form ({pattern})",
    "imp.pattern_gsrn": "'{value}' is not a GSRN (metering point ID): it must be 18 digits",
    "imp.excel_rounded": "'{value}' is a long number (a GSRN) that Excel rounded and shows with an exponent, so "
                         "its last digits are lost. Format the column as Text in Excel (or choose Text for the "
                         "column when opening the CSV via Data → From Text/CSV), type the numbers again and save",
    "imp.not_country": "'{value}' is not a country code: write the country's two-letter ISO 3166-1 code "
                       "(e.g. DK, DE, ES)",
    "imp.control_character": "'{value}' holds a control character (a line break or a tab, for example); an id "
                             "must be on one line",
    "imp.not_unique": "'{value}' is also given to {others}; each value in this column belongs to one row only",
    "imp.parent_self": "'{value}' is the row itself; a meter cannot be its own parent meter",
    "imp.parent_differs": "the parent meter '{value}' has {same} '{theirs}', but this row has '{own}'; a sub-meter "
                          "measures the same as its parent",
    "imp.parent_cycle": "the parent meters form a loop ({cycle}); they must form a tree, or the meters in the "
                        "loop are counted nowhere",
    "imp.pattern_sdg_goals": "'{value}' is not a list of SDGs: write numbers separated by semicolons "
                             "(e.g. 4;7;13)",
    "imp.end_not_after_start": "the end ({end}) must come after {start_column} ({start})",
    "imp.end_before_start": "the end ({end}) comes before {start_column} ({start})",
    "imp.unit_for_utility": "the unit '{unit}' does not fit the utility {utility}; allowed: {allowed}",
    "imp.duplicate_key": "same key ({fields}) as row {first}; each key may appear only once in the file",
    "imp.unknown_reference": "'{value}' does not exist in {dataset} ({target}); import it first "
                             "(used in {count} row(s))",
    "imp.elo_needs_meters": "an Eloverblik file can only be read when the meters are known; import the meters "
                            "with their GSRN first",
    "imp.elo_unknown_gsrn": "the metering point {value} is not linked to any meter ({count} row(s)); enter the "
                            "GSRN in the meter's gsrn field",
    "imp.elo_interval": "the interval {start} – {end} is {minutes} minutes; Eloverblik data must be quarter "
                        "hours, hours, or whole days, months or years from midnight",
    "imp.elo_no_unit": "the file has no Måleenhed column; the quantities are read as {unit}",
    "imp.near_layout": "the header looks like {layout}, but {differences}. It should be: {expected}",
    "imp.near_renamed": "'{found}' should be '{wanted}'",
    "imp.near_missing": "the column '{wanted}' is missing",
    "imp.layout.template": "the template for {dataset}",
    "imp.layout.eloverblik_web": "Eloverblik's export from its website",
    "imp.layout.eloverblik_api": "Eloverblik's CSV from its API",
    "imp.layout.register": "register reads",
    "imp.elo_unit": "the unit {unit} does not fit meter {meter}, which is read in {meter_unit} ({count} row(s))",
    "imp.elo_quality": "the quality '{value}' is unknown; known codes: {allowed}",
    "imp.elo_a02_skipped": "{count} row(s) with quality A02 (no reading) were skipped",
    "imp.elo_converted": "quantities in {unit} were converted to {meter_unit} for meter {meter} (× {factor})",
    "imp.reg_decreasing": "the register value {value} is lower than the previous reading {previous} (row "
                          "{previous_row}); a counter cannot go backwards – check the reading or whether the "
                          "meter was replaced",
    "imp.reg_single": "meter {meter} has only one reading, so its use cannot be computed yet",
    "imp.geo_not_json": "the file is not valid JSON: {reason}",
    "imp.geo_not_collection": "the GeoJSON file must be a FeatureCollection with a list of features",
    "imp.geo_crs": "the coordinate system {crs} is not supported; the file must be in EPSG:4326 (longitude "
                   "and latitude in degrees)",
    "imp.geo_not_feature": "the object is not a GeoJSON feature",
    "imp.geo_no_building_id": "the property building_id is missing",
    "imp.geo_type": "the geometry is a {type}; a footprint must be a Polygon or MultiPolygon",
    "imp.geo_invalid": "the geometry is invalid ({reason})",
    "imp.geo_not_degrees": "the coordinates are not longitude and latitude in degrees; the file must be in "
                           "EPSG:4326",
    "imp.geo_bad_wkt": "'{value}' is not a WKT geometry ({reason})",
    "imp.geo_duplicate": "building {building_id} already has a footprint (feature no. {first})",
    "imp.geo_unknown_building": "building {building_id} does not exist in buildings; import the building first",
}
