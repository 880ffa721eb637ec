"""requests-based clients that fetch external data and return DataFrames in a dataset's column shape.

They never write to the database; the caller validates and stores what they return.

- ``energidataservice``: ``fetch_grid_co2`` (DeclarationGridEmission, 125 %), ``fetch_grid_co2_recent``
  (CO2Emis 5-minute values averaged to hours) and ``fetch_spot_prices`` (Elspotprices / DayAheadPrices).
- ``openmeteo``: ``fetch_daily_mean_temp`` (the archive's daily mean temperature per campus).
- ``eloverblik``: ``fetch_timeseries`` (Customer API readings per GSRN) and ``access_token``.
- ``http``: the shared ``session()`` factory (retries, Retry-After, pacing, timeouts) and ``ConnectorError``.
"""
