"""Who may change what. Viewing needs nothing; every write (import, undo, edit, clearing the sample data)
needs the editor role, checked on the server by :func:`require_editor` inside the write functions the Data
page calls — hiding buttons is a convenience, not the check.

Three set-ups, chosen by what is configured:

- ``oidc``: ``[auth]`` in ``.streamlit/secrets.toml`` → people log in with ``st.login`` (OpenID Connect,
  e.g. Microsoft Entra ID); their e-mail gives the role: ``[roles] editors = ["a@heg.dk", ...]``.
- ``password``: an editor password set with ``python -m heg_dash set-password`` (an scrypt hash with its
  salt in the ``meta`` table) → a small login form on the Data page.
- ``none``: neither → nobody edits in the app; the Data page says how to enable editing, and the command
  line (which needs access to the database file anyway) is the way in.

The audit log records who: the OIDC e-mail, "editor (password)", or the CLI's operating-system user.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import secrets as pysecrets

from heg_dash import config, store

PASSWORD_META_KEY = "editor_password"
MIN_PASSWORD_LENGTH = 8
# scrypt cost (RFC 7914 interactive parameters: 16 MiB, ~50 ms here).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SESSION_KEY = "_heg_editor_user"  # not a widget key: a browser cannot set it
PASSWORD_USER = "editor (password)"


class NotEditor(PermissionError):
    """A write attempted without the editor role; nothing was changed."""


# ------------------------------------------------------------------------------------------ passwords

def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$<salt hex>$<hash hex>`` with a fresh 16-byte salt."""
    salt = salt if salt is not None else pysecrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    """True when ``password`` matches the stored hash (constant-time compare); False for anything malformed."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r),
                                p=int(p), dklen=len(digest_hex) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


def set_password(password: str, user: str | None) -> None:
    """Store the editor password's hash (ValueError when it is shorter than MIN_PASSWORD_LENGTH)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    store.set_meta_value(PASSWORD_META_KEY, hash_password(password), user)


def password_hash() -> str | None:
    return store.get_meta_value(PASSWORD_META_KEY)


def cli_user() -> str:
    """Who runs the command line: the operating-system user."""
    try:
        return f"{getpass.getuser()} (CLI)"
    except (KeyError, OSError):
        return "CLI"


# ----------------------------------------------------------------------------------------------- roles

def mode() -> str:
    """"oidc", "password" or "none" (see the module docstring)."""
    if "auth" in config.secrets():
        return "oidc"
    return "password" if password_hash() else "none"


def editor_emails() -> set[str]:
    """E-mails with the editor role, from ``[roles] editors`` in the secrets (compared case-insensitively)."""
    editors = config.secrets().get("roles", {}).get("editors", [])
    return {str(e).strip().lower() for e in editors}


def _oidc_email() -> str | None:
    import streamlit as st

    try:
        if not st.user.is_logged_in:
            return None
    except (AttributeError, KeyError):  # no login configured or not in a Streamlit session
        return None
    email = st.user.get("email")
    return str(email) if email else None


def current_user() -> str | None:
    """The logged-in person as the audit log names them, or None for a viewer."""
    import streamlit as st

    if mode() == "oidc":
        return _oidc_email()
    return st.session_state.get(SESSION_KEY)


def is_editor() -> bool:
    """The editor role for this session (server-side state only)."""
    how = mode()
    if how == "oidc":
        email = _oidc_email()
        return bool(email) and email.strip().lower() in editor_emails()
    if how == "password":
        import streamlit as st

        return st.session_state.get(SESSION_KEY) == PASSWORD_USER
    return False


def require_editor() -> str:
    """The editor's name for the audit log; raises NotEditor (nothing changes) for anyone else."""
    if not is_editor():
        raise NotEditor("editing needs the editor role")
    return current_user() or PASSWORD_USER


def login_with_password(password: str) -> bool:
    """Check the editor password and remember the role in this session's server-side state."""
    import streamlit as st

    if mode() == "password" and verify_password(password, password_hash()):
        st.session_state[SESSION_KEY] = PASSWORD_USER
        return True
    return False


def logout() -> None:
    import streamlit as st

    st.session_state.pop(SESSION_KEY, None)
