"""Words of the Bæredygtighed page, the CO₂e tile and the 17 SDGs (names generated from metrics.sdg.GOALS)."""

from heg_dash.metrics.sdg import GOALS

DA = {
    "sustain.tile.co2e": "CO₂e i alt (t)",
    "sustain.tile.co2e_ytd": "CO₂e i alt (t, år til dato)",
}

EN = {
    "sustain.tile.co2e": "Total CO₂e (t)",
    "sustain.tile.co2e_ytd": "Total CO₂e (t, year to date)",
}

DA.update({f"sustain.sdg.goal.{g.number}": g.name_da for g in GOALS})
EN.update({f"sustain.sdg.goal.{g.number}": g.name_en for g in GOALS})
