"""The fast brain's decisions replayed on past traffic: every outgoing customer transfer of a day decided
again as of its own time (its features from the movements before it, its payee screened, the model and
the rules of `serving.engine`), then counted against the simulator's ground truth (`sim.labels`).

This is how a policy change is judged before it is deployed: how many ordinary payments (salary spent,
rent, groceries, family transfers) would a customer have seen held, and which rule held them; how many
transfers of labelled laundering and fraud cases would have been stopped. Used by `python -m
bench.decisions` and the tests. Cases did not exist when the traffic happened, so no account is under an
open case in a replay.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

from features.online import historical_transfer, transfer_context
from features.screening import Screener
from models.risk.scorer import RiskScorer
from serving.engine import Policy, assess

# Outgoing transfers of customer accounts on one day, with the outside payee's name (null for a P2P
# between customers) and what the simulator says they were.
_DAY = """
SELECT DISTINCT ON (j.reference_id) j.reference_id, j.counterparty_name,
       l.label_id IS NOT NULL AND NOT l.is_benign AS suspicious, coalesce(l.is_benign, false) AS lookalike,
       coalesce(l.family, l.typology) AS family
  FROM ledger.journal_entries AS j
  JOIN ledger.entries AS e ON e.journal_id = j.journal_id AND e.effective_at = j.effective_at
  JOIN ledger.accounts AS a ON a.account_id = e.account_id AND a.customer_id IS NOT NULL
  LEFT JOIN sim.label_entries AS le ON le.reference_id = j.reference_id
  LEFT JOIN sim.labels AS l ON l.label_id = le.label_id
 WHERE j.effective_at >= %(start)s AND j.effective_at < %(end)s
   AND j.kind = 'TRANSFER' AND j.channel IN ('WIRE', 'ACH', 'P2P')
   AND e.direction <> a.normal_side
 ORDER BY j.reference_id, l.is_benign NULLS FIRST
"""


@dataclass
class ReplaySummary:
    day: date
    transfers: int = 0
    ordinary: int = 0
    ordinary_held: int = 0  # reviewed or blocked: a customer would have waited
    lookalikes: int = 0
    lookalikes_held: int = 0
    suspicious: int = 0
    suspicious_held: int = 0
    held_by_rule: Counter[str] = field(default_factory=Counter)  # ordinary transfers held, per rule or "model"
    lookalikes_held_by: Counter[str] = field(default_factory=Counter)
    lookalikes_by_family: dict[str, list[int]] = field(default_factory=dict)  # family -> [held, transfers]
    suspicious_by_family: dict[str, list[int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        def rate(part: int, whole: int) -> float | None:
            return round(part / whole, 4) if whole else None

        return {
            "day": self.day.isoformat(),
            "transfers": self.transfers,
            "ordinary": self.ordinary,
            "ordinary_held": self.ordinary_held,
            "false_positive_rate": rate(self.ordinary_held, self.ordinary),
            "lookalikes": self.lookalikes,
            "lookalikes_held_rate": rate(self.lookalikes_held, self.lookalikes),
            "lookalikes_held_by": dict(self.lookalikes_held_by.most_common()),
            "lookalikes_by_family": {k: f"{held}/{n}" for k, (held, n) in sorted(self.lookalikes_by_family.items())},
            "suspicious": self.suspicious,
            "suspicious_held_rate": rate(self.suspicious_held, self.suspicious),
            "ordinary_held_by": dict(self.held_by_rule.most_common()),
            "suspicious_by_family": {k: f"{held}/{n}" for k, (held, n) in sorted(self.suspicious_by_family.items())},
        }


def last_simulated_day(conn: psycopg.Connection[Any]) -> date:
    """The last day of the latest simulation in the ledger (the replay needs the simulator's labels)."""
    found = conn.execute("SELECT max(start_date + days - 1) FROM sim.runs WHERE finished_at IS NOT NULL").fetchone()
    if found is None or found[0] is None:
        raise LookupError("no finished simulation in this database: simulate first (fintra simulate)")
    return found[0]


def replay_day(
    conn: psycopg.Connection[Any], scorer: RiskScorer, screener: Screener, policy: Policy, day: date
) -> ReplaySummary:
    """Decide every outgoing customer transfer of `day` (UTC) again as of its time."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    rows = conn.execute(_DAY, {"start": start, "end": start + timedelta(days=1)}).fetchall()
    summary = ReplaySummary(day)
    for reference_id, payee, suspicious, lookalike, family in rows:
        transfer = historical_transfer(conn, reference_id)
        context = transfer_context(conn, transfer)
        _, decision = assess(context, transfer.channel, payee, scorer, screener, policy, open_case_id=None)
        held = decision.outcome != "approve"
        fired = [hit.rule for hit in decision.rules] or ["model"]
        summary.transfers += 1
        if suspicious or lookalike:
            by_family = summary.suspicious_by_family if suspicious else summary.lookalikes_by_family
            counts = by_family.setdefault(family, [0, 0])
            counts[0] += held
            counts[1] += 1
        if suspicious:
            summary.suspicious += 1
            summary.suspicious_held += held
        elif lookalike:
            summary.lookalikes += 1
            summary.lookalikes_held += held
            if held:
                summary.lookalikes_held_by.update(fired)
        else:
            summary.ordinary += 1
            summary.ordinary_held += held
            if held:
                summary.held_by_rule.update(fired)
    return summary
