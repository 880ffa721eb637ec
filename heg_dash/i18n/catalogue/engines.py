"""The second engine's words: ``migrate`` between DuckDB and PostgreSQL, and the server's errors."""

DA = {
    "cli.help.migrate": "kopiér en skoles data med hele historikken fra én database til en anden (DuckDB-fil eller "
                        "postgresql://…), kontrolleret med rækketal og nøgletallene",
    "cli.help.migrate_from": "databasen, der kopieres fra (en DuckDB-fil eller en postgresql://-URL)",
    "cli.help.migrate_to": "databasen, der kopieres til (en DuckDB-fil eller en postgresql://-URL)",
    "cli.help.migrate_force": "erstat en database, der har importerede data",
    "engines.cli.copying": "kopierer {source} til {target} …",
    "engines.cli.copied": "kopierede {rows} rækker i {tables} tabeller; rækketallet er det samme i begge databaser",
    "engines.cli.kpis_same": "nøgletallene er de samme i begge databaser for {years} ({runs} beregninger)",
    "engines.cli.kpis_differ": "nøgletallene afviger for {year} ({campus}): {differences}; kopien i {target} "
                               "skal undersøges",
    "engines.cli.school": "hele skolen",
    "engines.migrate_same": "kilde og mål er den samme database ({store})",
    "engines.migrate_has_data": "{store} har importerede data; brug --force for at erstatte dem (tag en "
                                "sikkerhedskopi først: heg-dash backup --out FIL)",
    "engines.migrate_counts": "rækketallet afviger efter kopieringen i {tables}; intet er gemt",
    "engines.migrate_no_store": "{store} har ingen HEG Dashboard-database",
    "engines.unreachable": "databaseserveren svarer ikke: {reason}",
    "engines.missing": "databasen findes ikke: {reason}",
}

EN = {
    "cli.help.migrate": "copy a school's data with its whole history from one database to another (a DuckDB file "
                        "or postgresql://…), checked by row counts and the key figures",
    "cli.help.migrate_from": "the database to copy from (a DuckDB file or a postgresql:// URL)",
    "cli.help.migrate_to": "the database to copy to (a DuckDB file or a postgresql:// URL)",
    "cli.help.migrate_force": "replace a database that holds imported data",
    "engines.cli.copying": "copying {source} to {target} …",
    "engines.cli.copied": "copied {rows} rows in {tables} tables; the row counts are the same in both databases",
    "engines.cli.kpis_same": "the key figures are the same in both databases for {years} ({runs} computations)",
    "engines.cli.kpis_differ": "the key figures differ for {year} ({campus}): {differences}; the copy in {target} "
                               "needs looking into",
    "engines.cli.school": "the whole school",
    "engines.migrate_same": "source and target are the same database ({store})",
    "engines.migrate_has_data": "{store} holds imported data; use --force to replace it (take a backup first: "
                                "heg-dash backup --out FILE)",
    "engines.migrate_counts": "the row counts differ after the copy in {tables}; nothing was stored",
    "engines.migrate_no_store": "{store} holds no HEG Dashboard database",
    "engines.unreachable": "the database server does not answer: {reason}",
    "engines.missing": "the database does not exist: {reason}",
}
