"""Settings from environment variables and ``.streamlit/secrets.toml``; paths the app and CLI share."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"
TIMEZONE = "Europe/Copenhagen"
PRICE_AREA = "DK1"


class SettingError(ValueError):
    """An environment setting that cannot be used; the message names the variable and what it takes
    (``kind``: "number" or "size", for a message in the user's language)."""

    def __init__(self, name: str, raw: str, kind: str) -> None:
        wanted = {"number": "give a number", "size": "give a size such as 512MB or 2GB"}[kind]
        super().__init__(f"{name}={raw!r}: {wanted}")
        self.name, self.raw, self.kind = name, raw, kind


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError:
        raise SettingError(name, raw, "number") from None


@dataclass(frozen=True)
class Settings:
    db: str
    eds_url: str
    openmeteo_url: str
    eloverblik_url: str
    # Normal-year heating degree days (base 17 °C); Danish sources use roughly 2,900–3,100.
    normal_degree_days: float
    hot_water_share: float
    max_import_mb: float
    lock_timeout_s: float
    # DuckDB's memory limit per open database; bigger sorts and windows spill to a temporary file instead.
    duckdb_memory: str
    # A failing page raises on (Streamlit shows the traceback) instead of a short message with a reference:
    # for developers and the tests, never for the school's users.
    show_errors: bool = False
    # Whom the accessibility statement names for feedback: an address (shown as a mail link) or a role.
    accessibility_contact: str = ""

    @property
    def db_path(self) -> Path:
        return Path(self.db)


def settings() -> Settings:
    """Read the settings now (cheap; tests change the environment between calls)."""
    return Settings(
        db=os.environ.get("HEG_DASH_DB") or str(DATA_DIR / "heg.duckdb"),
        eds_url=os.environ.get("HEG_DASH_EDS_URL", "https://api.energidataservice.dk").rstrip("/"),
        openmeteo_url=os.environ.get("HEG_DASH_OPENMETEO_URL", "https://archive-api.open-meteo.com").rstrip("/"),
        eloverblik_url=os.environ.get("HEG_DASH_ELOVERBLIK_URL", "https://api.eloverblik.dk").rstrip("/"),
        normal_degree_days=_float_env("HEG_DASH_NORMAL_DEGREE_DAYS", 2906.0),
        hot_water_share=_float_env("HEG_DASH_HOT_WATER_SHARE", 0.25),
        max_import_mb=_float_env("HEG_DASH_MAX_IMPORT_MB", 200.0),
        lock_timeout_s=_float_env("HEG_DASH_LOCK_TIMEOUT_S", 15.0),
        duckdb_memory=_memory_env("HEG_DASH_DUCKDB_MEMORY", "512MB"),
        show_errors=os.environ.get("HEG_DASH_SHOW_ERRORS", "").strip().lower() in ("1", "true", "yes"),
        accessibility_contact=os.environ.get("HEG_DASH_A11Y_CONTACT", "").strip(),
    )


def _memory_env(name: str, default: str) -> str:
    """A DuckDB memory size such as ``512MB`` or ``2GB``; anything else is refused with the variable named."""
    raw = (os.environ.get(name) or default).strip()
    if not re.fullmatch(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", raw, flags=re.IGNORECASE):
        raise SettingError(name, raw, "size")
    return raw


def secrets() -> dict:
    """The parsed secrets file ({} when there is none). Never logged, never stored in the database."""
    path = Path(os.environ.get("HEG_DASH_SECRETS", SECRETS_FILE))
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def eloverblik_refresh_token() -> str | None:
    """The Eloverblik refresh token: env var first, then ``[eloverblik] refresh_token`` in secrets."""
    return os.environ.get("HEG_DASH_ELOVERBLIK_TOKEN") or secrets().get("eloverblik", {}).get("refresh_token")
