"""Independent recomputations the tests compare the ledger against (plain SQL over the base tables)."""

from __future__ import annotations

from decimal import Decimal

import psycopg


def unbalanced_currencies(conn: psycopg.Connection) -> list[tuple[str, Decimal, Decimal]]:
    """Currencies where total debits differ from total credits (must be empty)."""
    return conn.execute(
        """
        SELECT currency, sum(amount) FILTER (WHERE direction = 'DEBIT'), sum(amount) FILTER (WHERE direction = 'CREDIT')
          FROM ledger.entries GROUP BY currency
        HAVING sum(CASE WHEN direction = 'DEBIT' THEN amount ELSE -amount END) <> 0
        """
    ).fetchall()


def projection_mismatches(conn: psycopg.Connection) -> list[tuple]:
    """Accounts whose projected posted/held/first movement differ from a recomputation from entries and
    holds."""
    return conn.execute(
        """
        WITH posted AS (
            SELECT e.account_id,
                   sum(CASE WHEN e.direction = a.normal_side THEN e.amount ELSE -e.amount END) AS posted,
                   min(e.effective_at) AS first_at
              FROM ledger.entries e JOIN ledger.accounts a USING (account_id) GROUP BY e.account_id
        ), held AS (
            SELECT a.account_id, sum(h.amount) AS held
              FROM ledger.holds h
              JOIN ledger.accounts a
                ON (a.normal_side = 'CREDIT' AND a.account_id = h.from_account_id)
                OR (a.normal_side = 'DEBIT' AND a.account_id = h.to_account_id)
             WHERE h.status = 'PENDING' GROUP BY a.account_id
        )
        SELECT b.account_id, b.posted, coalesce(p.posted, 0), b.held, coalesce(h.held, 0), b.available,
               b.first_movement_at, p.first_at
          FROM ledger.balances b
          LEFT JOIN posted p USING (account_id)
          LEFT JOIN held h USING (account_id)
         WHERE b.posted <> coalesce(p.posted, 0) OR b.held <> coalesce(h.held, 0)
            OR b.available <> b.posted - b.held OR b.first_movement_at IS DISTINCT FROM p.first_at
        """
    ).fetchall()


def overdrawn(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT account_id, available FROM ledger.balances WHERE NOT allow_negative AND available < 0"
    ).fetchall()


def counts(conn: psycopg.Connection) -> dict[str, int]:
    """Row counts of every ledger table a write touches (to prove a refused write wrote nothing)."""
    tables = ["journal_entries", "entries", "holds", "event_store", "outbox"]
    row = conn.execute("SELECT " + ", ".join(f"(SELECT count(*) FROM ledger.{t})" for t in tables)).fetchone()
    assert row is not None
    return dict(zip(tables, row, strict=True))


def versions(conn: psycopg.Connection) -> dict[int, int]:
    return dict(conn.execute("SELECT account_id, version FROM ledger.balances").fetchall())
