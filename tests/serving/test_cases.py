"""A case's whole life through the API and the CLI: a held transfer opens it; it is listed, read with its
evidence, assigned, commented and decided; closing it captures (release) or voids (refuse) the hold; an
unattended hold expiring reopens it as overdue; every step is an event and an audit row naming who. The
compliance marts' alerts become cases, one open case per customer and rule."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from fintra.settings import Settings
from ledger import Ledger
from pipelines.cases import cases_from_alerts
from serving.state import ServiceState
from tests.serving.conftest import key, set_thresholds

FINTRA = str(Path(sys.executable).with_name("fintra"))


def _url(settings: Settings) -> str:
    assert settings.database_url is not None
    return settings.database_url.get_secret_value()


def _available(settings: Settings, code: str) -> Decimal:
    with psycopg.connect(_url(settings)) as conn:
        return conn.execute(
            "SELECT available FROM ledger.balances JOIN ledger.accounts USING (account_id) WHERE code = %s", (code,)
        ).fetchone()[0]


def _held(client: TestClient, headers: dict[str, str], payer: str, amount: str = "40.00") -> dict[str, Any]:
    response = client.post(
        "/v1/transfers",
        json={
            "from_account": payer,
            "to_account": "SAFEGUARD-USD",
            "amount": amount,
            "currency": "USD",
            "counterparty_name": "Harbor Lights Imports",
        },
        headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert response.status_code == 202, response.text
    return response.json()


def _events(settings: Settings, case_id: int) -> list[str]:
    with psycopg.connect(_url(settings)) as conn:
        rows = conn.execute(
            "SELECT event_type FROM ledger.event_store WHERE aggregate_id = %s ORDER BY version",
            (f"risk_case:{case_id}",),
        ).fetchall()
    return [row[0] for row in rows]


@pytest.fixture(scope="module")
def officer(serving_settings: Settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {key(serving_settings, 'cases:read', 'cases:write')}"}


@pytest.fixture(autouse=True)
def _model_reviews(service: ServiceState) -> None:
    set_thresholds(service, review=0.0, block=1.0, reason="tests: every transfer goes to a case")


def test_a_held_transfer_is_worked_and_released(
    client: TestClient,
    full_key: dict[str, str],
    officer: dict[str, str],
    serving_settings: Settings,
    retail_accounts: list[str],
) -> None:
    payer = retail_accounts[10]
    before = _available(serving_settings, payer)
    held = _held(client, full_key, payer)
    case_id = held["case_id"]
    assert _available(serving_settings, payer) == before - 40

    listed = client.get("/v1/cases", params={"status": ["OPEN", "IN_REVIEW"], "limit": 500}, headers=officer).json()
    assert case_id in [c["case_id"] for c in listed["cases"]]
    detail = client.get(f"/v1/cases/{case_id}", headers=officer).json()
    assert detail["case"]["status"] == "OPEN" and detail["case"]["account"] == payer
    kinds = {(e["kind"], e["ref"]) for e in detail["evidence"]}
    assert {("decision", str(held["decision_id"])), ("hold", str(held["hold_id"])), ("account", payer)} <= kinds

    assigned = client.post(f"/v1/cases/{case_id}/assign", json={"assignee": "aml/jane"}, headers=officer)
    assert assigned.status_code == 200 and assigned.json()["case"]["status"] == "IN_REVIEW"
    noted = client.post(f"/v1/cases/{case_id}/comments", json={"body": "called the customer"}, headers=officer)
    assert noted.status_code == 201 and noted.json()["notes"][-1]["body"] == "called the customer"

    vague = client.post(f"/v1/cases/{case_id}/decision", json={"disposition": "FALSE_POSITIVE"}, headers=officer)
    assert vague.status_code == 422 and vague.json()["field"] == "release", vague.text
    closed = client.post(
        f"/v1/cases/{case_id}/decision",
        json={"disposition": "FALSE_POSITIVE", "release": True, "note": "customer confirmed the payee"},
        headers=officer,
    )
    assert closed.status_code == 200, closed.text
    case = closed.json()["case"]
    assert (case["status"], case["disposition"], case["hold_outcome"]) == ("CLOSED", "FALSE_POSITIVE", "CAPTURED")
    assert _available(serving_settings, payer) == before - 40  # the held money moved, once
    with psycopg.connect(_url(serving_settings)) as conn:
        hold = conn.execute("SELECT status FROM ledger.holds WHERE hold_id = %s", (held["hold_id"],)).fetchone()
        posted = conn.execute(
            "SELECT 1 FROM ledger.journal_entries WHERE journal_id = (SELECT capture_journal_id FROM ledger.holds"
            " WHERE hold_id = %s)",
            (held["hold_id"],),
        ).fetchone()
    assert hold == ("CAPTURED",) and posted == (1,)
    assert _events(serving_settings, case_id) == [
        "compliance.case.opened.v1",
        "compliance.case.assigned.v1",
        "compliance.case.commented.v1",
        "compliance.case.decided.v1",
    ]
    audit = closed.json()["audit"]
    assert [a["action"] for a in audit] == ["opened", "assigned", "commented", "decided"]
    assert all(a["actor"] and a["at"] for a in audit)
    again = client.post(
        f"/v1/cases/{case_id}/decision", json={"disposition": "SAR_FILED", "release": False}, headers=officer
    )
    assert again.status_code == 409 and again.json()["code"] == "case_closed"


def test_refusing_voids_the_hold_and_frees_the_account(
    client: TestClient,
    full_key: dict[str, str],
    officer: dict[str, str],
    service: ServiceState,
    serving_settings: Settings,
    retail_accounts: list[str],
) -> None:
    payer = retail_accounts[11]
    before = _available(serving_settings, payer)
    held = _held(client, full_key, payer, "55.00")
    # while the case is open, the account's next transfer waits too, whatever the model says
    set_thresholds(service, review=0.99999, block=1.0, reason="tests: the model approves")
    waiting = _held(client, full_key, payer, "5.00")
    assert [r["rule"] for r in waiting["rules"]] == ["open_case"]
    for case_id, disposition in ((held["case_id"], "SAR_FILED"), (waiting["case_id"], "CUSTOMER_CONTACTED")):
        response = client.post(
            f"/v1/cases/{case_id}/decision", json={"disposition": disposition, "release": False}, headers=officer
        )
        assert response.status_code == 200 and response.json()["case"]["hold_outcome"] == "VOIDED", response.text
    assert _available(serving_settings, payer) == before
    free = client.post(
        "/v1/transfers",
        json={"from_account": payer, "to_account": retail_accounts[10], "amount": "5.00", "currency": "USD"},
        headers={**full_key, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert free.status_code == 201 and free.json()["rules"] == [], free.text


def test_an_unattended_hold_expiring_reopens_its_case_as_overdue(
    client: TestClient,
    full_key: dict[str, str],
    officer: dict[str, str],
    serving_settings: Settings,
    retail_accounts: list[str],
) -> None:
    held = _held(client, full_key, retail_accounts[12], "12.00")
    case_id = held["case_id"]
    client.post(f"/v1/cases/{case_id}/assign", json={"assignee": "aml/away-on-leave"}, headers=officer)
    with Ledger(_url(serving_settings), pool_size=1) as ledger:
        assert ledger.expire_holds(datetime.now(UTC) + timedelta(days=8)) >= 1
    case = client.get(f"/v1/cases/{case_id}", headers=officer).json()["case"]
    assert (case["status"], case["overdue"], case["hold_outcome"]) == ("OPEN", True, "EXPIRED")
    assert _events(serving_settings, case_id)[-1] == "compliance.case.overdue.v1"
    overdue = client.get("/v1/cases", params={"overdue": True, "limit": 500}, headers=officer).json()["cases"]
    assert case_id in [c["case_id"] for c in overdue]
    # nothing is held any more: the decision closes the case without releasing anything
    wrong = client.post(
        f"/v1/cases/{case_id}/decision", json={"disposition": "CUSTOMER_CONTACTED", "release": True}, headers=officer
    )
    assert wrong.status_code == 422 and wrong.json()["field"] == "release"
    right = client.post(f"/v1/cases/{case_id}/decision", json={"disposition": "CUSTOMER_CONTACTED"}, headers=officer)
    assert right.status_code == 200 and right.json()["case"]["hold_outcome"] == "EXPIRED"


def test_cases_need_their_scopes_and_name_what_is_wrong(
    client: TestClient, serving_settings: Settings, officer: dict[str, str]
) -> None:
    reader = {"Authorization": f"Bearer {key(serving_settings, 'cases:read')}"}
    scorer = {"Authorization": f"Bearer {key(serving_settings, 'score')}"}
    assert client.get("/v1/cases", headers=scorer).status_code == 403
    assert client.get("/v1/cases", headers=reader).status_code == 200
    denied = client.post("/v1/cases/1/comments", json={"body": "x"}, headers=reader)
    assert denied.status_code == 403
    missing = client.get("/v1/cases/999999999", headers=officer)
    assert missing.status_code == 404 and missing.json()["field"] == "case_id"
    bad = client.post("/v1/cases/1/decision", json={"disposition": "MAYBE"}, headers=officer)
    assert bad.status_code == 422 and bad.json()["field"] == "disposition"


def test_alerts_become_cases_one_per_customer_and_rule(serving_settings: Settings) -> None:
    url = _url(serving_settings)
    cases_from_alerts(url)
    again = cases_from_alerts(url)  # every alert is linked by now: nothing new
    assert (again.opened, again.added) == (0, 0) and again.known > 0
    with psycopg.connect(url) as conn:
        alerts = conn.execute("SELECT count(*) FROM analytics.rpt_structuring_alerts").fetchone()[0]
        pairs = conn.execute(
            "SELECT count(*), count(DISTINCT (customer_id, rule)) FROM ledger.risk_cases"
            " WHERE source = 'alert' AND status <> 'CLOSED'"
        ).fetchone()
        linked = conn.execute(
            "SELECT count(*), count(DISTINCT l.ref) FROM ledger.case_links AS l"
            " JOIN ledger.risk_cases AS c USING (case_id) WHERE l.kind = 'alert' AND c.source = 'alert'"
        ).fetchone()
        held = conn.execute(
            "SELECT count(*) FROM ledger.case_links AS l JOIN analytics.fct_aml_alerts AS a ON a.alert_id = l.ref"
            " WHERE l.kind = 'alert' AND a.subsumed_by IS NOT NULL"
        ).fetchone()[0]
    assert alerts > 0 and pairs[0] == pairs[1] > 0  # one open case per customer and rule
    assert linked == (again.known, again.known)  # each alert in exactly one case
    assert held == 0  # an alert another alert holds is that one's evidence, not a case of its own


def test_the_cli_works_the_queue(
    client: TestClient, full_key: dict[str, str], serving_settings: Settings, retail_accounts: list[str]
) -> None:
    held = _held(client, full_key, retail_accounts[13], "9.00")
    case_id = str(held["case_id"])
    env = {
        **os.environ,
        "FINTRA_DATABASE_URL": _url(serving_settings),
        "FINTRA_HOME": str(serving_settings.home),
        "COLUMNS": "200",
    }

    def fintra(*args: str) -> str:
        done = subprocess.run([FINTRA, "cases", *args], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    assert case_id in fintra("ls", "--limit", "1000")
    fintra("assign", case_id, "aml/ravi", "--as", "ravi")
    fintra("comment", case_id, "payee checked against the invoice", "--as", "ravi")
    shown = fintra("show", case_id)
    assert "IN_REVIEW" in shown and "payee checked against the invoice" in shown and "ravi" in shown
    assert (
        "case 999999999"
        in subprocess.run(
            [FINTRA, "cases", "show", "999999999"], env=env, capture_output=True, text=True, timeout=120
        ).stdout
    )
    closed = fintra("decide", case_id, "false_positive", "--release", "--as", "ravi")
    assert "FALSE_POSITIVE" in closed and "captured" in closed


def test_cases_past_the_sar_deadline_are_flagged_in_the_daily_report(serving_settings: Settings) -> None:
    from pipelines.reporting.catalog import REPORTS
    from pipelines.reporting.issue import report_rows

    url = _url(serving_settings)
    cases_from_alerts(url)
    today = datetime.now(UTC).date()
    with psycopg.connect(url) as conn:
        late, decided, recent = (
            row[0]
            for row in conn.execute(
                "SELECT case_id FROM ledger.risk_cases WHERE source = 'alert' AND status <> 'CLOSED'"
                " ORDER BY case_id LIMIT 3"
            ).fetchall()
        )
        # detected 40 and 35 days ago (the second decided yesterday, in time or not), and 10 days ago
        for case_id, days in ((late, 40), (decided, 35), (recent, 10)):
            conn.execute(
                "UPDATE ledger.risk_cases SET opened_at = now() - make_interval(days => %s) WHERE case_id = %s",
                (days, case_id),
            )
        conn.execute(
            "UPDATE ledger.risk_cases SET status = 'CLOSED', disposition = 'SAR_FILED',"
            " closed_at = now() - interval '1 day' WHERE case_id = %s",
            (decided,),
        )
        conn.commit()
        flagged = {r["case_id"]: r for r in report_rows(conn, REPORTS["sar_deadlines"], today).to_pylist()}
        before = report_rows(conn, REPORTS["sar_deadlines"], today - timedelta(days=3)).to_pylist()
    assert late in flagged and decided not in flagged and recent not in flagged
    assert flagged[late]["days_overdue"] == 10 and flagged[late]["status"] in ("OPEN", "IN_REVIEW")
    # three days ago the decided case was still open and already late: that day's report named it
    assert {r["case_id"] for r in before} >= {late, decided}
