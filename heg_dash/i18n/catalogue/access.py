"""Who may change what: the editor login (password or the school's OpenID Connect) on the Data page."""

DA = {
    "data.access.viewer": "Du ser data som læser. Import og rettelser kræver, at du logger ind som redaktør.",
    "data.access.login_oidc": "Log ind",
    "data.access.logged_in": "Logget ind som {user} ({role}).",
    "data.access.logged_in_password": "Logget ind som redaktør med adgangskoden.",
    "data.access.role_editor": "redaktør",
    "data.access.role_viewer": "læser",
    "data.access.logout": "Log ud",
    "data.access.password": "Redaktør-adgangskode",
    "data.access.login": "Log ind som redaktør",
    "data.access.wrong": "Forkert adgangskode.",
    "data.access.throttled": "For mange forkerte adgangskoder. Prøv igen om {seconds} sekunder.",
    "data.access.none": "Redigering er ikke slået til i appen. Sæt en redaktør-adgangskode på serveren, eller "
                        "brug kommandolinjen til import:",
    "data.access.none_oidc": "Skolens eget login (Microsoft Entra ID) kan slås til med [auth] i "
                             ".streamlit/secrets.toml – se README.",
}

EN = {
    "data.access.viewer": "You are viewing as a reader. Importing and editing need you to log in as an editor.",
    "data.access.login_oidc": "Log in",
    "data.access.logged_in": "Logged in as {user} ({role}).",
    "data.access.logged_in_password": "Logged in as editor with the password.",
    "data.access.role_editor": "editor",
    "data.access.role_viewer": "reader",
    "data.access.logout": "Log out",
    "data.access.password": "Editor password",
    "data.access.login": "Log in as editor",
    "data.access.wrong": "Wrong password.",
    "data.access.throttled": "Too many wrong passwords. Try again in {seconds} seconds.",
    "data.access.none": "Editing is not enabled in the app. Set an editor password on the server, or use the "
                        "command line to import:",
    "data.access.none_oidc": "The school's own login (Microsoft Entra ID) can be enabled with [auth] in "
                             ".streamlit/secrets.toml – see the README.",
}
