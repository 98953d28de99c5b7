"""Filing-ready documents that name people: the CTR with identities and the SAR draft of a case decided
SAR_FILED. Both are refused without `pii:read`, served with it, and every access is recorded."""

from __future__ import annotations

from datetime import datetime, timedelta

import psycopg
import pytest
from fastapi.testclient import TestClient

from fintra.settings import Settings
from pipelines.cases import cases_from_alerts
from serving.state import ServiceState
from tests.serving.conftest import key, set_thresholds


def _url(settings: Settings) -> str:
    assert settings.database_url is not None
    return settings.database_url.get_secret_value()


def _bearer(settings: Settings, *scopes: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key(settings, *scopes)}"}


def _accesses(settings: Settings, purpose: str) -> list[tuple[str, list[int]]]:
    with psycopg.connect(_url(settings)) as conn:
        rows = conn.execute(
            "SELECT actor, customer_ids FROM ledger.pii_access WHERE purpose = %s ORDER BY access_id", (purpose,)
        ).fetchall()
    return [(row[0], row[1]) for row in rows]


def _key_id(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer fk_").split("_", 1)[0]


def test_a_ctr_with_identities_needs_pii_read_and_is_audited(client: TestClient, serving_settings: Settings) -> None:
    with psycopg.connect(_url(serving_settings)) as conn:
        day, customers = conn.execute(
            "SELECT business_date, array_agg(DISTINCT customer_id ORDER BY customer_id) FROM analytics.rpt_ctr"
            " GROUP BY business_date ORDER BY count(*) DESC, business_date LIMIT 1"
        ).fetchone()
    path = f"/v1/filings/ctr/{day.isoformat()}"
    reports_only = _bearer(serving_settings, "reports:read")
    refused = client.get(path, headers=reports_only)
    assert refused.status_code == 403 and "pii:read" in refused.json()["detail"]
    assert _accesses(serving_settings, f"CTR filing {day.isoformat()}") == []

    officer = _bearer(serving_settings, "reports:read", "pii:read")
    served = client.get(path, headers=officer)
    assert served.status_code == 200, served.text
    filings = served.json()["filings"]
    assert sorted({f["customer_id"] for f in filings}) == customers
    for filing in filings:
        person = filing["person"]
        assert person["full_name"] and person["date_of_birth"] and person["country"]
        assert person["address_line"] and person["postal_code"] and person["id_type"] and person["id_number"]
        assert float(filing["total_amount_usd"]) > float(filing["threshold_usd"])
    assert _accesses(serving_settings, f"CTR filing {day.isoformat()}") == [(_key_id(officer), customers)]
    # the pseudonymised report is still what the lake serves; a day without CTRs names nobody
    empty = client.get("/v1/filings/ctr/2001-01-01", headers=officer)
    assert empty.status_code == 200 and empty.json()["filings"] == []


@pytest.mark.parametrize("bad", ["2026-13-01", "0001-01-01", "yesterday"])
def test_a_bad_ctr_date_is_named(client: TestClient, serving_settings: Settings, bad: str) -> None:
    response = client.get(f"/v1/filings/ctr/{bad}", headers=_bearer(serving_settings, "reports:read", "pii:read"))
    assert response.status_code == 422 and response.json()["field"] == "date", response.text


def test_a_sar_draft_from_a_case_decided_sar(client: TestClient, serving_settings: Settings) -> None:
    cases_from_alerts(_url(serving_settings))
    officer = _bearer(serving_settings, "cases:read", "cases:write", "pii:read")
    listed = client.get("/v1/cases", params={"status": "OPEN", "limit": 500}, headers=officer).json()["cases"]
    # the newest alert case on money moved (other tests move some cases' detection back in time; a
    # card-testing alert names authorisations, which are holds, and no journal)
    case = max(
        (c for c in listed if c["source"] == "alert" and not c["rule"].startswith("CARD_TESTING")),
        key=lambda c: (c["opened_at"], c["case_id"]),
    )
    case_id = case["case_id"]
    early = client.get(f"/v1/cases/{case_id}/sar", headers=officer)
    assert early.status_code == 409 and early.json()["code"] == "not_a_sar"
    decided = client.post(
        f"/v1/cases/{case_id}/decision",
        json={"disposition": "SAR_FILED", "note": "pattern confirmed with the account history"},
        headers=officer,
    )
    assert decided.status_code == 200, decided.text

    reader = _bearer(serving_settings, "cases:read")
    assert client.get(f"/v1/cases/{case_id}/sar", headers=reader).status_code == 403
    draft = client.get(f"/v1/cases/{case_id}/sar", headers=officer)
    assert draft.status_code == 200, draft.text
    sar = draft.json()
    (subject,) = [s for s in sar["subjects"] if s["customer_id"] == case["customer_id"]]
    assert subject["full_name"] and subject["date_of_birth"] and subject["id_number"]
    assert sar["alerts"] and all(a["rule"] == case["rule"] for a in sar["alerts"])
    assert sar["rules"] == [case["rule"]] and sar["journal_ids"] and sar["accounts"]
    opened = datetime.fromisoformat(case["opened_at"])
    assert datetime.fromisoformat(sar["filing_deadline"]) == opened + timedelta(days=30)
    assert sar["overdue"] is False and 28 <= sar["days_left"] <= 30
    start, end = (datetime.fromisoformat(sar["activity_window"][k]) for k in ("start", "end"))
    assert start <= end and subject["full_name"] in sar["narrative"] and case["rule"] in sar["narrative"]
    assert sar["notes"][0]["body"] == "pattern confirmed with the account history"
    accesses = _accesses(serving_settings, f"SAR draft for case {case_id}")
    assert len(accesses) == 1 and case["customer_id"] in accesses[0][1]


def test_a_sar_draft_of_a_refused_transfer_names_it(
    client: TestClient,
    service: ServiceState,
    serving_settings: Settings,
    full_key: dict[str, str],
    retail_accounts: list[str],
) -> None:
    set_thresholds(service, review=0.0, block=1.0, reason="tests: hold for review")
    held = client.post(
        "/v1/transfers",
        json={
            "from_account": retail_accounts[5],
            "to_account": "SAFEGUARD-USD",
            "amount": "310.00",
            "currency": "USD",
            "counterparty_name": "Orchid Bay Trading",
        },
        headers={**full_key, "Idempotency-Key": "sar-draft-held-1"},
    ).json()
    officer = _bearer(serving_settings, "cases:read", "cases:write", "pii:read")
    decided = client.post(
        f"/v1/cases/{held['case_id']}/decision", json={"disposition": "SAR_FILED", "release": False}, headers=officer
    )
    assert decided.status_code == 200 and decided.json()["case"]["hold_outcome"] == "VOIDED"
    sar = client.get(f"/v1/cases/{held['case_id']}/sar", headers=officer).json()
    assert sar["held_transfer"]["amount"] == "310" and sar["held_transfer"]["counterparty"] == "Orchid Bay Trading"
    assert "a WIRE of 310 USD to Orchid Bay Trading held for review" in sar["narrative"]
    assert sar["accounts"] == [retail_accounts[5]] and sar["subjects"][0]["full_name"] in sar["narrative"]
