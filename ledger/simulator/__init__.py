"""Realistic banking, card, FX and crypto activity with labelled fraud and AML typologies.

Design overview
- Holds: reference data (merchant catalogue, fictional watchlist, name lists), descriptor noise,
  market random walks, the population (customers, accounts, platform accounts), daily behaviour,
  typology injection, and the engine that drives it all through the public `ledger.Ledger` API
  (`post_many`, `hold_many`, `capture_many`, `convert_many`, ...), never by writing ledger rows itself.
- Guarantees: the same seed and arguments produce the same ledger content (every reference id and
  amount is derived from the seed); running again replays instead of posting twice; the ground truth
  (true merchants, typology labels) is written to the `sim` schema only.
- Imports: `ledger` (its public API) and `fintra`.
"""
