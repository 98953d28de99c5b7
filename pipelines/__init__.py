"""The lake path: ledger tables into Hive-partitioned Parquet (and, next, the Dagster code location).

Design overview
- Holds: `pipelines.extract` (table specs, set-based extraction through ADBC into Arrow, exact types,
  pseudonymisation) on top of `fintra.lake` (partition writes that swap in only when complete).
- Guarantees: a partition in the lake equals its source rows exactly (decimal128(38,18) money,
  timestamp[us, UTC]); rewriting a partition replaces it whole; personal data only as keyed pseudonyms.
- Imports: everything above it (`fintra`, `ledger`); nothing imports `pipelines`.
"""
