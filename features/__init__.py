"""Features of a proposed outgoing transfer, computed the same way offline and online.

Design overview
- Holds: `movements` (ledger legs -> one row per movement on a customer account: flow, channel,
  counterparty, USD value; the same builder for lake rows and PostgreSQL rows), `definitions` (the
  feature list and the one function that computes it from a movement history), `offline` (every
  historical transfer from the lake, point in time, into `features/transfers/date=...`) and `online`
  (one proposed transfer from PostgreSQL, for scoring before it posts).
- Guarantees: a feature of a transfer at time t uses only movements strictly before t; the online and
  offline values of the same transfer are equal (to 1e-9, tested on hundreds of transfers).
- Imports: `fintra`, and `ledger` for schema names only; never `models`, `serving` or `pipelines`.
"""

from features.definitions import FEATURE_NAMES, FEATURES, Feature

__all__ = ["FEATURES", "FEATURE_NAMES", "Feature"]
