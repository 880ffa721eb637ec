"""Status and trend in words with a symbol (status is never shown by colour alone); no Streamlit here,
so pages, slides and reports all say it the same way."""

from __future__ import annotations

from heg_dash.i18n import t

STATUS_SYMBOL = {"achieved": "✔", "on_track": "▲", "acceleration_needed": "◆", "limited_progress": "▼",
                 "deterioration": "✖", "no_data": "–"}
TREND_SYMBOL = {"improving": "↗", "stable": "→", "worsening": "↘", "no_data": "·"}


def status_label(status: str | None) -> str:
    """"▲ På rette spor": the status's symbol and word (unknown or missing → no data)."""
    status = status if status in STATUS_SYMBOL else "no_data"
    return f"{STATUS_SYMBOL[status]} {t('status.' + status)}"


def trend_label(trend: str | None) -> str:
    """"↗ bedre end året før": the trend's arrow and words."""
    trend = trend if trend in TREND_SYMBOL else "no_data"
    return f"{TREND_SYMBOL[trend]} {t('trend.' + trend)}"


def removed_suffix(removed: int) -> str:
    """" (3 gemte rækker, som filen ikke har, fjernes)" after an import's counts, or nothing when none go."""
    from heg_dash.i18n import fmt_number

    return t("data.removed_suffix", removed=fmt_number(removed)) if removed else ""
