"""The data platform's pipelines: the Dagster code location and what its assets call.

Design overview
- Holds: `pipelines.extract` (table specs, set-based extraction through ADBC into Arrow, exact types,
  pseudonymisation) on top of `fintra.lake`; `pipelines.transform` (the dbt project run with a profile
  generated from the settings, its manifest parsed on demand); `pipelines.reporting` (regulatory reports
  issued from the marts as immutable, hashed versions); `pipelines.assets` (ledger tables, raw lake
  tables, dbt models and reports as assets) wired in `pipelines.definitions`.
- Guarantees: a lake partition equals its source rows exactly (decimal128(38,18) money,
  timestamp[us, UTC]) and is replaced whole; personal data only as keyed pseudonyms; an issued report is
  never overwritten, only superseded by a new version.
- Imports: everything above it (`fintra`, `ledger`); nothing imports `pipelines`.
"""
