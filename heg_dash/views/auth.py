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
import threading
import time
from dataclasses import dataclass

from heg_dash import config, store

PASSWORD_META_KEY = "editor_password"
MIN_PASSWORD_LENGTH = 8
# scrypt cost (RFC 7914 interactive parameters: 16 MiB, ~50 ms here).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SESSION_KEY = "_heg_editor_user"  # not a widget key: a browser cannot set it
PASSWORD_USER = "editor (password)"
LOGIN_SESSION_KEY = "_heg_login_session"  # a random id per browser session, for the back-off
FREE_TRIES = 5  # wrong passwords before each further try waits
MAX_WAIT_S = 900.0


class NotEditor(PermissionError):
    """A write attempted without the editor role; nothing was changed."""


class LoginThrottled(PermissionError):
    """Too many wrong passwords from this session or address: no password is checked for ``wait_s`` more
    seconds (guessing gains nothing meanwhile)."""

    def __init__(self, wait_s: float) -> None:
        super().__init__(f"try again in {wait_s:.0f} s")
        self.wait_s = wait_s


def backoff_s(failures: int) -> float:
    """How long a login waits after ``failures`` wrong passwords in a row: nothing for the first
    FREE_TRIES, then 2, 4, 8 … seconds, at most MAX_WAIT_S."""
    return 0.0 if failures < FREE_TRIES else min(2.0 ** (failures - FREE_TRIES + 1), MAX_WAIT_S)


@dataclass
class _Failures:
    count: int = 0
    wait_until: float = 0.0


class LoginThrottle:
    """Wrong passwords counted per key (the browser session and the client's address), in this process:
    each key waits :func:`backoff_s` after its latest failure. A right password clears the keys."""

    def __init__(self, clock=time.monotonic) -> None:
        self.clock = clock
        self._failures: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def wait_s(self, keys: list[str]) -> float:
        now = self.clock()
        with self._lock:
            return max([0.0] + [f.wait_until - now for k in keys if (f := self._failures.get(k))])

    def failed(self, keys: list[str]) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                entry = self._failures.setdefault(key, _Failures())
                entry.count += 1
                entry.wait_until = now + backoff_s(entry.count)

    def succeeded(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


THROTTLE = LoginThrottle()


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


def _login_keys() -> list[str]:
    """What the back-off counts by: this browser session, and the client's address when Streamlit knows it."""
    import streamlit as st

    session = st.session_state.setdefault(LOGIN_SESSION_KEY, pysecrets.token_hex(8))
    keys = [f"session:{session}"]
    try:
        address = st.context.ip_address
    except Exception:  # no request behind this run (AppTest, a bare script)
        address = None
    if address:
        keys.append(f"address:{address}")
    return keys


def login_with_password(password: str) -> bool:
    """Check the editor password and remember the role in this session's server-side state.

    After FREE_TRIES wrong passwords from this session or address, each further try waits longer
    (:func:`backoff_s`): until then LoginThrottled is raised and no password is checked. Every wrong
    password is recorded in the audit log with the address it came from.
    """
    import streamlit as st

    keys = _login_keys()
    wait = THROTTLE.wait_s(keys)
    if wait > 0:
        raise LoginThrottled(wait)
    if mode() == "password" and verify_password(password, password_hash()):
        THROTTLE.succeeded(keys)
        st.session_state[SESSION_KEY] = PASSWORD_USER
        return True
    THROTTLE.failed(keys)
    store.audit_event(None, "login_failed", ", ".join(k for k in keys if k.startswith("address:")) or None)
    return False


def logout() -> None:
    import streamlit as st

    st.session_state.pop(SESSION_KEY, None)
