"""Alerts of the compliance marts become cases (`ledger.cases.open_alert_cases`): after every build, each
alert not yet linked to a case is added as evidence to the open case of its customer and rule, or opens
one. A case is due `ALERT_CASE_DAYS` after the alert: the 30 calendar days a SAR may be filed in after
initial detection (31 CFR 1020.320)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg

from ledger.cases import AlertEvidence, AlertIntake, open_alert_cases

ALERT_CASE_DAYS = 30
ACTOR = "pipelines:compliance-cases"

# One case per scheme: an alert another alert holds (fct_aml_alerts.subsumed_by) is evidence of that one,
# whose details name the rules it also tripped.
_ALERTS = (
    "SELECT alert_id, rule, family, customer_id, first_at, last_at, total_amount_usd::text, account_codes,"
    " journal_ids, reference_ids,"
    " CASE WHEN cardinality(also_rules) > 0 THEN details || jsonb_build_object('also_tripped', also_rules)"
    " ELSE details END"
    " FROM analytics.fct_aml_alerts WHERE customer_id IS NOT NULL AND subsumed_by IS NULL"
)


def cases_from_alerts(url: str, *, now: datetime | None = None) -> AlertIntake:
    """Open or extend cases for every alert of the marts that no case holds yet."""
    due = (now or datetime.now(UTC)) + timedelta(days=ALERT_CASE_DAYS)
    with psycopg.connect(url) as conn:
        rows = conn.execute(f"SELECT * FROM ({_ALERTS}) AS alerts ORDER BY first_at, alert_id").fetchall()  # noqa: S608
        alerts = [
            AlertEvidence(
                alert_id=row[0],
                rule=row[1],
                family=row[2],
                customer_id=row[3],
                first_at=row[4],
                last_at=row[5],
                total_amount_usd=row[6],
                account_codes=row[7] or (),
                journal_ids=row[8] or (),
                reference_ids=row[9] or (),
                details=row[10] or {},
            )
            for row in rows
        ]
        return open_alert_cases(conn, alerts, due_at=due, actor=ACTOR)
