"""Words of the measured savings of initiatives (issue 23): the section "Indsatser — virkede de?", its verdicts
and reasons, the chart, the reports' table, the command ``savings`` and the initiatives' savings columns."""

DA = {
    # The page section
    "savings.title": "Indsatser — virkede de?",
    "savings.intro": "Målt besparelse for de indsatser, der har målere og en installationsdato: forbruget efter "
                     "installationen sammenlignet med, hvad det ville have været uden indsatsen i samme vejr og på "
                     "samme slags dage. ± er usikkerheden (90 % sikkerhed).",
    "savings.until": "Målt til og med {day}.",
    "savings.empty": "Ingen indsatser måles endnu. Udfyld forsyning (utility), målere (meter_ids) og "
                     "installationsdato (installed_from) for en indsats under Data → Indsatser, så måles "
                     "besparelsen her.",
    "savings.none_in_year": "Ingen af de målte indsatser var begyndt at blive installeret i {year}. Vælg et "
                            "senere år for at se, om de virkede.",
    "savings.promised": "Lovet besparelse",
    "savings.promised_help": "Den besparelse, indsatsen lovede (expected_saving_pct), i procent af forbruget.",
    "savings.no_promise": "ikke angivet",
    "savings.measured": "Målt besparelse",
    "savings.measured_help": "Undgået forbrug i procent af den justerede basislinje, ± usikkerheden med 90 % "
                             "sikkerhed (ASHRAE Guideline 14).",
    "savings.avoided_kwh": "Undgået forbrug",
    "savings.avoided_kwh_help": "Justeret basislinje minus målt forbrug, summeret over dagene efter installationen.",
    "savings.avoided_dkk": "Sparet",
    "savings.avoided_dkk_help": "Undgåede kWh × dagens samlede pris (spot + tarif + afgift).",
    "savings.unit.dkk": "kr.",
    "savings.avoided_co2e": "Undgået CO₂e",
    "savings.avoided_co2e_help": "Kilo CO₂e: undgåede kWh × elnettets udledning time for time, som målerne "
                                 "mødte den (lokationsbaseret), ellers årets emissionsfaktor — som i "
                                 "CO₂e-regnskabet.",
    "savings.plus_minus": "{value} ± {unc}",
    "savings.facts": "Målere: {meters} · basisperiode {b_start}–{b_end} · efter installationen {r_start}–{r_end} · "
                     "resultatet bygger på {n} efter og {n_base} før installationen · undgået udledning "
                     "{co2e}.",
    "savings.model_ok": "Modellen ({kind}) opfylder ASHRAE Guideline 14: CV(RMSE) {cv} pr. måned, NMBE {nmbe}, "
                        "R² {r2}.",
    "savings.model_not_ok": "Modellen ({kind}) opfylder ikke ASHRAE Guideline 14 (højst 15 % CV(RMSE) og ±5 % "
                            "NMBE pr. måned): CV(RMSE) {cv}, NMBE {nmbe}, R² {r2}.",
    "savings.model.intercept_only": "dagtype",
    "savings.model.hdd": "graddage og dagtype",
    "savings.model.cdd": "kølegraddage og dagtype",
    "savings.model.hdd_cdd": "graddage, kølegraddage og dagtype",
    "savings.model.None": "ingen",
    # Verdicts: {measured} is "12 % ± 2 %", {promised} "8 %", {days} a count of days with its noun ("47 dage", "1 dag")
    "savings.verdict.more_than_promised": "Sparer {measured} — mere end lovet ({promised})",
    "savings.verdict.as_promised": "Sparer {measured} — som lovet ({promised})",
    "savings.verdict.less_than_promised": "Sparer {measured} — mindre end lovet ({promised})",
    "savings.verdict.saving_measured": "Sparer {measured}",
    "savings.verdict.no_measurable_change": "Ingen målbar ændring: {measured}",
    "savings.verdict.not_yet": "Kan ikke måles sikkert endnu: {days} efter installationen ({measured} "
                               "indtil nu)",
    "savings.verdict.use_increased": "Forbruget steg {measured}",
    "savings.verdict.model_untrusted": "Usikkert: modellen af basisperioden opfylder ikke ASHRAE Guideline 14 "
                                       "(målt {measured})",
    # Why there is no figure (yet)
    "savings.reason.too_short": "Kan ikke måles endnu: {days} efter installationen (der skal mindst 30 dage "
                                "med målinger til)",
    "savings.reason.not_started": "Kan ikke måles endnu: ingen dage efter installationen",
    "savings.reason.baseline_too_short": "Kan ikke måles: basisperioden er kortere end et år",
    "savings.reason.baseline_insufficient": "Kan ikke måles: kun {n} af basisperiodens {total} dage har "
                                            "målinger og vejrdata (mindst 90 % kræves)",
    "savings.reason.negative_values": "Kan ikke måles: negativt forbrug i data (nettomåling?) – tjek målingerne",
    "savings.reason.no_model": "Kan ikke måles: ingen model passer til forbruget i basisperioden",
    "savings.reason.no_baseline_use": "Kan ikke måles: modellen forventer intet forbrug efter installationen",
    "savings.reason.uncertainty_undefined": "Usikkerheden kan ikke beregnes: for få uafhængige dage i basisperioden",
    "savings.reason.unknown_meter": "Kan ikke måles: en af målerne i meter_ids findes ikke",
    "savings.reason.meter_utility_differs": "Kan ikke måles: målerne har en anden forsyning end indsatsen",
    "savings.reason.not_energy_unit": "Kan ikke måles: en af målerne aflæses ikke i kWh, MWh eller GJ",
    "savings.reason.no_price": "Prisen mangler for nogle dage efter installationen, så beløbet vises ikke",
    "savings.reason.no_emission_factor": "Emissionsfaktoren mangler, så den undgåede udledning vises ikke",
    # The chart
    "savings.chart.actual": "Målt forbrug",
    "savings.chart.baseline": "Justeret basislinje (forventet uden indsatsen)",
    "savings.chart.cumulative": "Akkumuleret besparelse",
    "savings.chart.uncertainty": "Usikkerhedsbånd (90 %)",
    "savings.chart.kwh_per_day": "kWh/dag",
    "savings.chart.kwh_per_day_axis": "kWh pr. dag (ugens gennemsnit)",
    "savings.chart.cumulative_axis": "Akkumuleret besparelse, kWh",
    "savings.chart.series": "Serie",
    "savings.chart.period": "Uge",
    "savings.chart.value": "Værdi",
    "savings.method.title": "Sådan er besparelsen målt",
    "savings.method.body": (
        "For hver indsats bygges en model af det daglige forbrug i **basisperioden** (som standard de 12 måneder før "
        "installationen) ud fra udetemperaturen (graddage med et søgt balancepunkt) og dagtypen (skoledag, weekend, "
        "lukket efter skolekalenderen), som CalTRACK beskriver det. Modellen forudsiger forbruget efter "
        "installationen for det vejr og de dage, der faktisk var: den **justerede basislinje**. Besparelsen er "
        "basislinjen minus det målte forbrug; installationsperioden tælles ikke med.\n\n"
        "Dage med under halvdelen af timerne målt tæller ikke; en dag med mindre huller skaleres op til hele døgnet. "
        "Basisperioden skal have målinger og vejrdata for mindst 90 % af dagene, og efter installationen skal der "
        "være mindst 30 dage. Modellen skal opfylde **ASHRAE Guideline 14** (CV(RMSE) højst 15 % og NMBE højst "
        "±5 % pr. måned); ellers kaldes resultatet usikkert. ± er usikkerheden med 90 % sikkerhed efter Guideline "
        "14 (med 12 måneder efter installationen rammer intervallet i simuleringer den sande besparelse i omkring "
        "85 % af tilfældene). Før et helt år efter installationen siges en besparelse, hvis interval rummer 0, at "
        "kunne måles sikkert endnu ikke.\n\n"
        "**Kroner:** undgåede kWh × dagens samlede pris (spot + tarif + afgift, eller den samlede pris). "
        "**CO₂e:** undgåede kWh × elnettets udledning, som målerne mødte den time for time (lokationsbaseret), "
        "ellers årets emissionsfaktor."),
    # Reports
    "savings.report.title": "Indsatser — målte besparelser",
    "savings.report.intro": "Indsatser med målere og installationsdato, målt til og med {day}: den lovede og den "
                            "målte besparelse (± usikkerheden med 90 % sikkerhed) og vurderingen.",
    "savings.report.none": "Ingen indsatser måles endnu.",
    "savings.report.col.initiative": "Indsats",
    "savings.report.col.promised": "Lovet",
    "savings.report.col.measured": "Målt",
    "savings.report.col.verdict": "Vurdering",
    "savings.report.sheet": "Besparelser",
    "savings.report.col.id": "ID",
    "savings.report.col.utility": "Forsyning",
    "savings.report.col.meters": "Målere",
    "savings.report.col.reporting": "Efter installationen",
    "savings.report.col.days": "Dage målt",
    "savings.report.col.promised_pct": "Lovet, %",
    "savings.report.col.measured_pct": "Målt, %",
    "savings.report.col.uncertainty_pct": "± usikkerhed (90 %), %",
    "savings.report.col.avoided_kwh": "Undgået, kWh",
    "savings.report.col.avoided_dkk": "Sparet, kr.",
    "savings.report.col.avoided_co2e_kg": "Undgået, kg CO₂e",
    "savings.report.col.guideline14": "Opfylder ASHRAE Guideline 14",
    # The command line
    "cli.help.savings": "målte besparelser af indsatser (en tabel, eller JSON med --json)",
    "cli.help.savings_initiative": "kun denne indsats (initiative_id)",
    "cli.help.savings_until": "mål til og med denne dato (ÅÅÅÅ-MM-DD); standard: den nyeste måling",
    "cli.help.savings_json": "en JSON-liste med ét objekt pr. målt indsats",
    "cli.savings.bad_date": "'{value}' er ikke en dato (ÅÅÅÅ-MM-DD)",
    "cli.savings.unknown_initiative": "indsatsen '{initiative}' findes ikke",
    "cli.savings.not_measured": "indsatsen '{initiative}' måles ikke (den mangler forsyning, målere eller "
                                "installationsdato)",
    "cli.savings.none": "ingen indsatser måles endnu",
    "cli.savings.col.initiative": "indsats",
    "cli.savings.col.avoided_kwh": "undgået kWh",
    "cli.savings.col.verdict": "vurdering",
    # The initiatives' savings columns (templates, the Data page's editor) and their import problems
    "col.initiatives.utility": "Forsyningen, hvis besparelse måles (electricity, district_heating, gas, oil); "
                               "tom: indsatsen måles ikke",
    "col.meter_ids": "Målerne, hvis forbrug indsatsen skal sænke, adskilt af semikolon (fx AAR-B-EL;AAR-A-EL)",
    "col.installed_from": "Installationen begyndte (dato); basisperioden ligger før",
    "col.installed_to": "Installationen sluttede (dato; tom: samme dag); målingen begynder dagen efter",
    "col.expected_saving_pct": "Lovet besparelse i procent af forbruget",
    "col.baseline_months": "Basisperiodens længde i måneder (standard 12)",
    "imp.pattern_meter_ids": "'{value}' er ikke en liste af målere: skriv måler-id'er adskilt af semikolon "
                             "(fx AAR-B-EL;AAR-A-EL)",
    "imp.fill_together": "tom, men {given} er udfyldt; {columns} udfyldes sammen for at måle en besparelse",
}

EN = {
    "savings.title": "Initiatives — did they work?",
    "savings.intro": "Measured savings of the initiatives that have meters and an installation date: the use after "
                     "the installation compared with what it would have been without the initiative, in the same "
                     "weather and on the same kinds of days. ± is the uncertainty (90% confidence).",
    "savings.until": "Measured up to and including {day}.",
    "savings.empty": "No initiative is measured yet. Fill in the utility, meters (meter_ids) and installation date "
                     "(installed_from) of an initiative under Data → Initiatives, and its saving is measured here.",
    "savings.none_in_year": "None of the measured initiatives had begun to be installed in {year}. Choose a later "
                            "year to see whether they worked.",
    "savings.promised": "Promised saving",
    "savings.promised_help": "The saving the initiative promised (expected_saving_pct), as a share of the use.",
    "savings.no_promise": "not given",
    "savings.measured": "Measured saving",
    "savings.measured_help": "Avoided use as a share of the adjusted baseline, ± the uncertainty at 90% "
                             "confidence (ASHRAE Guideline 14).",
    "savings.avoided_kwh": "Avoided use",
    "savings.avoided_kwh_help": "Adjusted baseline minus measured use, summed over the days after the installation.",
    "savings.avoided_dkk": "Saved",
    "savings.avoided_dkk_help": "Avoided kWh × the day's complete price (spot + tariff + tax).",
    "savings.unit.dkk": "DKK",
    "savings.avoided_co2e": "Avoided CO₂e",
    "savings.avoided_co2e_help": "Kilograms of CO₂e: avoided kWh × the grid's intensity hour by hour as the "
                                 "meters met it (location-based), else the year's emission factor — as in the "
                                 "CO₂e accounts.",
    "savings.plus_minus": "{value} ± {unc}",
    "savings.facts": "Meters: {meters} · baseline {b_start}–{b_end} · after the installation {r_start}–{r_end} · "
                     "the result rests on {n} after and {n_base} before the installation · emissions "
                     "avoided {co2e}.",
    "savings.model_ok": "The model ({kind}) meets ASHRAE Guideline 14: CV(RMSE) {cv} per month, NMBE {nmbe}, "
                        "R² {r2}.",
    "savings.model_not_ok": "The model ({kind}) does not meet ASHRAE Guideline 14 (at most 15% CV(RMSE) and ±5% "
                            "NMBE per month): CV(RMSE) {cv}, NMBE {nmbe}, R² {r2}.",
    "savings.model.intercept_only": "day type",
    "savings.model.hdd": "heating degree days and day type",
    "savings.model.cdd": "cooling degree days and day type",
    "savings.model.hdd_cdd": "heating and cooling degree days and day type",
    "savings.model.None": "none",
    "savings.verdict.more_than_promised": "Saves {measured} — more than promised ({promised})",
    "savings.verdict.as_promised": "Saves {measured} — as promised ({promised})",
    "savings.verdict.less_than_promised": "Saves {measured} — less than promised ({promised})",
    "savings.verdict.saving_measured": "Saves {measured}",
    "savings.verdict.no_measurable_change": "No measurable change: {measured}",
    "savings.verdict.not_yet": "Cannot be measured reliably yet: {days} after the installation ({measured} "
                               "so far)",
    "savings.verdict.use_increased": "Use went up {measured}",
    "savings.verdict.model_untrusted": "Uncertain: the baseline model does not meet ASHRAE Guideline 14 "
                                       "(measured {measured})",
    "savings.reason.too_short": "Cannot be measured yet: {days} after the installation (at least 30 days of "
                                "readings are needed)",
    "savings.reason.not_started": "Cannot be measured yet: no days after the installation",
    "savings.reason.baseline_too_short": "Cannot be measured: the baseline is shorter than a year",
    "savings.reason.baseline_insufficient": "Cannot be measured: only {n} of the baseline's {total} days have "
                                            "readings and weather (at least 90% are needed)",
    "savings.reason.negative_values": "Cannot be measured: negative use in the data (net metering?) – check the "
                                      "readings",
    "savings.reason.no_model": "Cannot be measured: no model fits the use in the baseline",
    "savings.reason.no_baseline_use": "Cannot be measured: the model expects no use after the installation",
    "savings.reason.uncertainty_undefined": "The uncertainty cannot be computed: too few independent days in the "
                                            "baseline",
    "savings.reason.unknown_meter": "Cannot be measured: one of the meters in meter_ids does not exist",
    "savings.reason.meter_utility_differs": "Cannot be measured: the meters measure another utility than the "
                                            "initiative's",
    "savings.reason.not_energy_unit": "Cannot be measured: one of the meters is not read in kWh, MWh or GJ",
    "savings.reason.no_price": "Prices are missing for some days after the installation, so the amount is not shown",
    "savings.reason.no_emission_factor": "The emission factor is missing, so the avoided emissions are not shown",
    "savings.chart.actual": "Measured use",
    "savings.chart.baseline": "Adjusted baseline (expected without the initiative)",
    "savings.chart.cumulative": "Cumulative saving",
    "savings.chart.uncertainty": "Uncertainty band (90%)",
    "savings.chart.kwh_per_day": "kWh/day",
    "savings.chart.kwh_per_day_axis": "kWh per day (weekly mean)",
    "savings.chart.cumulative_axis": "Cumulative saving, kWh",
    "savings.chart.series": "Series",
    "savings.chart.period": "Week",
    "savings.chart.value": "Value",
    "savings.method.title": "How the saving is measured",
    "savings.method.body": (
        "For each initiative a model of the daily use in the **baseline** (by default the 12 months before the "
        "installation) is fitted on the outdoor temperature (degree days with a searched balance point) and the day "
        "type (school day, weekend, closed by the school calendar), as CalTRACK describes it. The model predicts "
        "the use after the installation for the weather and days there actually were: the **adjusted baseline**. "
        "The saving is the baseline minus the measured use; the installation period is left out.\n\n"
        "Days with under half their hours measured do not count; a day with smaller gaps is scaled up to the whole "
        "day. The baseline needs readings and weather on at least 90% of its days, and there must be at least 30 "
        "days after the installation. The model must meet **ASHRAE Guideline 14** (CV(RMSE) at most 15% and NMBE "
        "at most ±5% per month); otherwise the result is called uncertain. ± is the uncertainty at 90% confidence "
        "as Guideline 14 states it (with 12 months after the installation the interval holds the true saving in "
        "about 85% of simulated cases). Before a full year after the installation, a saving whose interval holds "
        "0 cannot be measured reliably yet.\n\n"
        "**Money:** avoided kWh × the day's complete price (spot + tariff + tax, or the all-in price). **CO₂e:** "
        "avoided kWh × the grid's intensity as the meters met it hour by hour (location-based), else the year's "
        "emission factor."),
    "savings.report.title": "Initiatives — measured savings",
    "savings.report.intro": "Initiatives with meters and an installation date, measured up to and including {day}: "
                            "the promised and the measured saving (± the uncertainty at 90% confidence) and the "
                            "verdict.",
    "savings.report.none": "No initiative is measured yet.",
    "savings.report.col.initiative": "Initiative",
    "savings.report.col.promised": "Promised",
    "savings.report.col.measured": "Measured",
    "savings.report.col.verdict": "Verdict",
    "savings.report.sheet": "Savings",
    "savings.report.col.id": "ID",
    "savings.report.col.utility": "Utility",
    "savings.report.col.meters": "Meters",
    "savings.report.col.reporting": "After the installation",
    "savings.report.col.days": "Days measured",
    "savings.report.col.promised_pct": "Promised, %",
    "savings.report.col.measured_pct": "Measured, %",
    "savings.report.col.uncertainty_pct": "± uncertainty (90%), %",
    "savings.report.col.avoided_kwh": "Avoided, kWh",
    "savings.report.col.avoided_dkk": "Saved, DKK",
    "savings.report.col.avoided_co2e_kg": "Avoided, kg CO₂e",
    "savings.report.col.guideline14": "Meets ASHRAE Guideline 14",
    "cli.help.savings": "measured savings of initiatives (a table, or JSON with --json)",
    "cli.help.savings_initiative": "only this initiative (initiative_id)",
    "cli.help.savings_until": "measure up to and including this date (YYYY-MM-DD); default: the newest reading",
    "cli.help.savings_json": "a JSON list with one object per measured initiative",
    "cli.savings.bad_date": "'{value}' is not a date (YYYY-MM-DD)",
    "cli.savings.unknown_initiative": "the initiative '{initiative}' does not exist",
    "cli.savings.not_measured": "the initiative '{initiative}' is not measured (it lacks a utility, meters or an "
                                "installation date)",
    "cli.savings.none": "no initiative is measured yet",
    "cli.savings.col.initiative": "initiative",
    "cli.savings.col.avoided_kwh": "avoided kWh",
    "cli.savings.col.verdict": "verdict",
    "col.initiatives.utility": "The utility whose saving is measured (electricity, district_heating, gas, oil); "
                               "empty: the initiative is not measured",
    "col.meter_ids": "The meters whose use the initiative should lower, separated by semicolons "
                     "(e.g. AAR-B-EL;AAR-A-EL)",
    "col.installed_from": "The installation began (date); the baseline lies before it",
    "col.installed_to": "The installation ended (date; empty: the same day); measuring starts the day after",
    "col.expected_saving_pct": "Promised saving as a share of the use, in per cent",
    "col.baseline_months": "The baseline's length in months (default 12)",
    "imp.pattern_meter_ids": "'{value}' is not a list of meters: write meter ids separated by semicolons "
                             "(e.g. AAR-B-EL;AAR-A-EL)",
    "imp.fill_together": "empty, but {given} is filled in; {columns} are filled in together to measure a saving",
}
