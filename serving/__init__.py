"""The "fast brain": a FastAPI service that scores transfers before they post and answers apps.

Design overview
- Holds: `app` (the application factory and its lifespan), `routes/` (one module per resource),
  `decisions` (score a proposed transfer, then approve / review / block it with the decision written in
  the same transaction), `insights`, `keys` (hashed API keys with scopes) and `ratelimit`, `problems`
  (RFC 9457 problem+json), `observability` (correlation ids, JSON access logs, Prometheus metrics),
  `state` (the database pools, the production model and merchant index, reloaded on promotion).
- Guarantees: nothing moves without a stored decision; an Idempotency-Key replays the original answer;
  a blocked transfer moves no money; every error names the field at fault; no personal data in logs.
- Imports: `fintra`, `ledger`, `features`, and the runtime side of `models` (registry, scorer, encoder,
  resolver); never scikit-learn, torch or `pipelines`.
"""
