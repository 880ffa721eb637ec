"""Import templates: the description sheet of each dataset's columns, their types and rules."""

DA = {
    "data.desc.column": "Kolonne",
    "data.desc.description": "Beskrivelse",
    "data.desc.type": "Type",
    "data.desc.unit": "Enhed",
    "data.desc.required": "Skal udfyldes",
    "data.desc.allowed": "Tilladte værdier",
    "data.desc.note": "Udfyld arket '{sheet}' (én række pr. post) og importér filen som den er. Datoer som "
                      "ÅÅÅÅ-MM-DD; tidspunkter uden tidszone læses som dansk tid.",
    "data.type.str": "tekst",
    "data.type.int": "helt tal",
    "data.type.float": "tal",
    "data.type.date": "dato",
    "data.type.timestamp": "tidspunkt",
    "data.type.bool": "ja/nej",
}

EN = {
    "data.desc.column": "Column",
    "data.desc.description": "Description",
    "data.desc.type": "Type",
    "data.desc.unit": "Unit",
    "data.desc.required": "Required",
    "data.desc.allowed": "Allowed values",
    "data.desc.note": "Fill in the sheet '{sheet}' (one row per record) and import the file as it is. Dates as "
                      "YYYY-MM-DD; times without a time zone are read as Danish time.",
    "data.type.str": "text",
    "data.type.int": "whole number",
    "data.type.float": "number",
    "data.type.date": "date",
    "data.type.timestamp": "time",
    "data.type.bool": "yes/no",
}
