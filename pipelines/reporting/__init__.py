"""Regulatory reports issued from the dbt marts: one folder per report and business day, immutable.

- `catalog`: what each report holds (its query over the marts, money columns, summary figures).
- `inputs`: what a report was computed from (ledger rows up to its day, the event sequence, the code).
- `render`: deterministic CSV, Parquet and a one-page HTML summary.
- `issue`: versions under `reports/<report>/date=<date>/version=<N>/`; a regeneration that would change an issued
  report is refused unless it supersedes it with a new version; nothing is overwritten.
"""
