"""A digest of ledger content that ignores surrogate ids and write times: equal digests mean the same
journal entries (references, legs, amounts, business times) and the same holds."""

from __future__ import annotations

from typing import Any

import psycopg

_FINGERPRINT = """
SELECT encode(sha256(convert_to(coalesce(string_agg(line, E'\\n' ORDER BY line), ''), 'UTF8')), 'hex')
  FROM (
    SELECT concat_ws('|', 'J', j.reference_id, j.kind, j.effective_at, e.leg_no, a.code, e.direction,
                     trim_scale(e.amount)) AS line
      FROM ledger.journal_entries j
      JOIN ledger.entries e ON e.journal_id = j.journal_id AND e.effective_at = j.effective_at
      JOIN ledger.accounts a ON a.account_id = e.account_id
    UNION ALL
    SELECT concat_ws('|', 'H', h.reference_id, fa.code, ta.code, trim_scale(h.amount), h.status, h.effective_at,
                     h.expires_at, trim_scale(h.captured_amount))
      FROM ledger.holds h
      JOIN ledger.accounts fa ON fa.account_id = h.from_account_id
      JOIN ledger.accounts ta ON ta.account_id = h.to_account_id
  ) AS lines
"""


def content_fingerprint(conn: psycopg.Connection[Any]) -> str:
    row = conn.execute(_FINGERPRINT).fetchone()
    assert row is not None
    return str(row[0])
