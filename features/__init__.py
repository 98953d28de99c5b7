"""Features of a proposed outgoing transfer, computed the same way offline and online.

Design overview
- Holds: `movements` (ledger legs -> one row per movement on a customer account: flow, channel,
  counterparty, USD value), `definitions` (the feature list; the window statistics over a movement
  history in polars; `finish`, the numpy function both paths use to turn statistics into features),
  `offline` (every historical transfer from the lake, point in time, into `features/transfers/date=...`)
  and `online` (one transfer from PostgreSQL, its statistics in one SQL statement, for scoring before
  it posts).
- Guarantees: a feature of a transfer at time t uses only movements strictly before t; the online and
  offline values of the same transfer are equal (to 1e-9, tested on hundreds of transfers).
- Imports: `fintra`, and `ledger` for schema names only; never `models`, `serving` or `pipelines`.
"""

from features.definitions import FEATURE_NAMES, FEATURES, Feature

__all__ = ["FEATURES", "FEATURE_NAMES", "Feature"]
