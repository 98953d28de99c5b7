"""Counterparty names screened against the watch list, into tables the compliance marts read.

The matcher is `features.screening` (the one definition of a match, also used online by the API); SQL
cannot transliterate or compare sounds, so the marts read its results from `screening.counterparty_matches`
(a dbt source) instead of re-deriving them. Screening is incremental: a name is screened once per version
of the list and the matcher (`list_version`, a hash of both); when either changes, every name is screened
again. Matches are kept from `STORED_FLOOR` up, so the alert threshold stays a dbt var
(`sanctions_min_score`) that can be raised or lowered without screening again.
"""

from __future__ import annotations

import hashlib
import inspect
from dataclasses import dataclass
from typing import Any

import psycopg

import features.names
import features.screening
from features.screening import Screener, WatchListEntry, load_watchlist
from fintra.settings import get_settings

STORED_FLOOR = 0.80
BATCH = 5000

_TABLES = """
CREATE SCHEMA IF NOT EXISTS screening;
CREATE TABLE IF NOT EXISTS screening.screened_names (
    name         text        PRIMARY KEY,
    list_version text        NOT NULL,
    screened_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS screening.counterparty_matches (
    name         text    NOT NULL,
    entity_id    text    NOT NULL,
    listed_name  text    NOT NULL,
    program      text    NOT NULL,
    score        numeric NOT NULL CHECK (score > 0 AND score <= 1),
    basis        text    NOT NULL,
    list_version text    NOT NULL,
    PRIMARY KEY (name, entity_id)
);
"""
_PENDING = """
SELECT DISTINCT j.counterparty_name
  FROM ledger.journal_entries AS j
 WHERE j.counterparty_name IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM screening.screened_names AS s
                    WHERE s.name = j.counterparty_name AND s.list_version = %s)
"""


@dataclass(frozen=True, slots=True)
class ScreeningRun:
    list_version: str
    screened: int
    matches: int


def list_version(entries: list[WatchListEntry]) -> str:
    """A hash of the list's rows and the matcher's code: results of another version are screened again."""
    digest = hashlib.sha256()
    for entry in sorted(entries, key=lambda e: e.entity_id):
        digest.update(repr(entry).encode())
    for module in (features.names, features.screening):
        digest.update(inspect.getsource(module).encode())
    return digest.hexdigest()[:16]


def screen_counterparties(url: str, entries: list[WatchListEntry] | None = None) -> ScreeningRun:
    """Screen every counterparty name of the ledger not yet screened under the current list version
    (the list: `entries`, else the one the settings name, else the simulator's)."""
    entries = load_watchlist(get_settings().watchlist_path) if entries is None else entries
    version = list_version(entries)
    screener = Screener(entries)
    with psycopg.connect(url) as conn:
        with conn.transaction():
            conn.execute(_TABLES)
            # another list or matcher: every earlier result is stale
            conn.execute("DELETE FROM screening.counterparty_matches WHERE list_version <> %s", (version,))
            conn.execute("DELETE FROM screening.screened_names WHERE list_version <> %s", (version,))
        names = [row[0] for row in conn.execute(_PENDING, (version,))]
        matches = 0
        for start in range(0, len(names), BATCH):
            chunk = names[start : start + BATCH]
            found = screener.screen_many(chunk, threshold=STORED_FLOOR)
            rows: list[tuple[Any, ...]] = [
                (name, m.entity_id, m.listed_name, m.program, round(m.score, 4), m.basis, version)
                for name, hits in found.items()
                for m in hits
            ]
            with conn.transaction(), conn.cursor() as cur:
                if rows:
                    cur.executemany(
                        "INSERT INTO screening.counterparty_matches"
                        " (name, entity_id, listed_name, program, score, basis, list_version)"
                        " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (name, entity_id) DO UPDATE"
                        " SET listed_name = excluded.listed_name, score = excluded.score, basis = excluded.basis,"
                        " list_version = excluded.list_version",
                        rows,
                    )
                cur.execute(
                    "INSERT INTO screening.screened_names (name, list_version) SELECT unnest(%s::text[]), %s"
                    " ON CONFLICT (name) DO UPDATE SET list_version = excluded.list_version, screened_at = now()",
                    (chunk, version),
                )
            matches += len(rows)
    return ScreeningRun(version, len(names), matches)
