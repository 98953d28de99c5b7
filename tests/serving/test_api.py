"""The rest of the API: keys and scopes, rate limits, merchants, accounts, reports, health, metrics, the
model reloading on promotion, logs without personal data, and the whole OpenAPI spec fuzzed."""

from __future__ import annotations

import logging
import re
import time
from datetime import date

import psycopg
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from fintra.lake import Lake
from fintra.settings import Settings
from serving.app import create_app
from serving.keys import revoke_key
from serving.state import ServiceState
from tests.serving.conftest import key, set_thresholds


@pytest.fixture(scope="module")
def customer(serving_settings: Settings) -> str:
    assert serving_settings.database_url is not None
    with psycopg.connect(serving_settings.database_url.get_secret_value()) as conn:
        return conn.execute(
            "SELECT a.code FROM ledger.accounts AS a JOIN ledger.holds AS h ON h.from_account_id = a.account_id"
            " WHERE a.customer_id IS NOT NULL GROUP BY a.code ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]


def test_keys_and_scopes(client: TestClient, serving_settings: Settings, customer: str) -> None:
    path = f"/v1/accounts/{customer}/balance"
    missing = client.get(path)
    assert (
        missing.status_code == 401
        and missing.headers["www-authenticate"] == "Bearer"
        and missing.json()["field"] == "Authorization"
    )
    assert client.get(path, headers={"Authorization": "Bearer fk_nope"}).status_code == 401
    reports_only = {"Authorization": f"Bearer {key(serving_settings, 'reports:read')}"}
    forbidden = client.get(path, headers=reports_only)
    assert forbidden.status_code == 403 and "insights:read" in forbidden.json()["detail"]
    assert client.get("/v1/reports", headers=reports_only).status_code == 200
    token = key(serving_settings, "insights:read")
    assert serving_settings.database_url is not None
    with psycopg.connect(serving_settings.database_url.get_secret_value(), autocommit=True) as conn:
        assert revoke_key(conn, token.split("_")[1])
    assert client.get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_key_over_its_rate_gets_429_with_retry_after(
    client: TestClient, serving_settings: Settings, customer: str
) -> None:
    slow = {"Authorization": f"Bearer {key(serving_settings, 'insights:read', rate=2)}"}
    codes = [client.get(f"/v1/accounts/{customer}/balance", headers=slow).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    limited = client.get(f"/v1/accounts/{customer}/balance", headers=slow)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert limited.json()["type"].endswith("/rate-limited")


def test_a_rate_holds_across_serving_processes(
    client: TestClient, service: ServiceState, serving_settings: Settings, customer: str
) -> None:
    """Two processes (each its own state: its own local buckets) share the key's bucket in PostgreSQL: a key
    of 4 a minute gets 4 answers in all, not 4 from each."""
    slow = {"Authorization": f"Bearer {key(serving_settings, 'insights:read', rate=4)}"}
    other_state = ServiceState(serving_settings)
    try:
        with TestClient(create_app(state=other_state)) as other:
            codes = [
                (client if i % 2 else other).get(f"/v1/accounts/{customer}/balance", headers=slow).status_code
                for i in range(6)
            ]
    finally:
        other_state.close()
    assert codes == [200, 200, 200, 200, 429, 429], codes


def test_the_api_docs_work_offline(client: TestClient) -> None:
    """/docs and /redoc load their scripts and styles from the service itself (no CDN), and each of them
    is served; the pages are counted under their own route."""
    for page in ("/docs", "/redoc"):
        html = client.get(page)
        assert html.status_code == 200 and "text/html" in html.headers["content-type"]
        assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html.text)
        assert any(a.endswith(".js") for a in assets), assets
        assert not re.search(r"https?://|cdn", html.text.replace("http://testserver", "")), html.text
        for asset in assets:
            served = client.get(asset)
            assert served.status_code == 200 and len(served.content) > 1000, asset
    assert client.get("/openapi.json").status_code == 200
    assert 'route="/docs"' in client.get("/metrics").text


def test_merchants_balance_and_insights(client: TestClient, full_key: dict[str, str], customer: str) -> None:
    resolved = client.post(
        "/v1/merchants/resolve",
        headers=full_key,
        json={"descriptors": ["TST* SHAKE SHACK 1234 NEW YORK NY", "OUT-OF-NETWORK ATM FEE"]},
    )
    assert resolved.status_code == 200, resolved.text
    first, second = resolved.json()["results"]
    assert (first["status"], first["name"], first["category"]) == ("resolved", "Shake Shack", "restaurant")
    assert second["status"] == "unknown" and second["merchant_id"] is None
    assert (first["processor"], first["store_id"], first["location"]) == ("toast", "1234", "NEW YORK NY")
    for bad in ([""], ["   "], ["x" * 201], ["STARBUCKS\x00#12"], ["TAB\tINSIDE"], []):
        refused = client.post("/v1/merchants/resolve", headers=full_key, json={"descriptors": bad})
        assert refused.status_code == 422, (bad, refused.text)
        assert refused.json()["field"].startswith("descriptors"), refused.text
    balance = client.get(f"/v1/accounts/{customer}/balance", headers=full_key).json()
    assert (
        set(balance) == {"account", "currency", "posted", "held", "available", "version"} and "." in balance["posted"]
    ) or balance["posted"].isdigit()
    insights = client.get(
        f"/v1/accounts/{customer}/insights", params={"as_of": "2026-04-04", "months": 2}, headers=full_key
    )
    assert insights.status_code == 200, insights.text
    body = insights.json()
    assert body["spending_by_category"] and all(c["category"] and c["label"] for c in body["spending_by_category"])
    assert abs(sum(c["share"] for c in body["spending_by_category"]) - 1) < 0.01
    assert all(re.fullmatch(r"-?\d+\.\d\d", c["amount"]) for c in body["spending_by_category"])  # USD: cents
    assert body["window_ends_at"] == "requested" and body["until"].startswith("2026-04-04T23:59:59")
    # without as_of: up to the account's latest movement, not today (the data may be from any time)
    latest = client.get(f"/v1/accounts/{customer}/insights", headers=full_key).json()
    assert latest["window_ends_at"] == "latest_movement" and latest["monthly_cash_flow"], latest
    assert [m["month"] for m in body["monthly_cash_flow"]] == ["2026-03", "2026-04"][: len(body["monthly_cash_flow"])]
    assert body["merchant_resolution"] == "available"
    assert client.get("/v1/accounts/NO-SUCH/insights", headers=full_key).status_code == 404


def test_reports_are_listed_and_served(
    client: TestClient, full_key: dict[str, str], serving_settings: Settings
) -> None:
    from pipelines.reporting.catalog import REPORTS
    from pipelines.reporting.issue import issue_range

    assert serving_settings.database_url is not None
    url = serving_settings.database_url.get_secret_value()
    key = serving_settings.resolved_pseudonym_key()
    issue_range(
        url, Lake(serving_settings.resolved_lake_url), REPORTS["trial_balance"], [date(2026, 3, 10)], pseudonym_key=key
    )
    listing = client.get("/v1/reports", headers=full_key).json()["reports"]
    assert {"report": "trial_balance", "days": ["2026-03-10"]} in listing
    found = client.get("/v1/reports/trial_balance/2026-03-10", headers=full_key).json()
    assert found["versions"] == [1] and found["manifest"]["rows"] > 0
    csv = client.get(found["files"]["report.csv"], headers=full_key)
    assert (
        csv.status_code == 200
        and csv.text.startswith("business_date,currency,")
        and csv.headers["content-type"].startswith("text/csv")
    )
    assert client.get("/v1/reports/trial_balance/2026-03-11", headers=full_key).status_code == 404
    assert client.get("/v1/reports/trial_balance/2026-03-10/files/secrets.txt", headers=full_key).status_code == 404


def test_health_readiness_metrics_and_correlation(client: TestClient, full_key: dict[str, str], customer: str) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"
    echoed = client.get(f"/v1/accounts/{customer}/balance", headers={**full_key, "X-Correlation-ID": "trace-123"})
    assert echoed.headers["x-correlation-id"] == "trace-123"
    made = client.get("/healthz", headers={"X-Correlation-ID": "bad id with spaces"}).headers["x-correlation-id"]
    assert made != "bad id with spaces" and len(made) == 36
    metrics = client.get("/metrics").text
    assert 'fintra_http_requests_total{method="GET",route="/v1/accounts/{code}/balance",status="200"}' in metrics
    assert "fintra_model_version" in metrics and "fintra_http_request_seconds_bucket" in metrics


def test_access_logs_carry_no_personal_data(
    client: TestClient, full_key: dict[str, str], customer: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="serving.access"):
        client.get(f"/v1/accounts/{customer}/insights", headers={**full_key, "X-Correlation-ID": "log-1"})
    records = [r for r in caplog.records if r.name == "serving.access"]
    assert records and records[-1].fields["route"] == "/v1/accounts/{code}/insights"  # type: ignore[attr-defined]
    assert all(customer not in r.getMessage() and customer not in str(getattr(r, "fields", "")) for r in records)


def test_a_promoted_model_is_picked_up_without_a_restart(serving_settings: Settings) -> None:
    quick = serving_settings.model_copy(update={"model_reload_seconds": 0.2})
    state = ServiceState(quick)
    try:
        with TestClient(create_app(state=state)) as fresh:
            before = fresh.get("/readyz").json()["checks"]["risk_model"]
            promoted = set_thresholds(
                state_for_registry := ServiceState(quick), review=0.9, block=0.99, reason="tests: reload"
            )
            state_for_registry.close()
            deadline = time.monotonic() + 10
            while fresh.get("/readyz").json()["checks"]["risk_model"] != f"v{promoted}" and time.monotonic() < deadline:
                time.sleep(0.1)
            assert before != f"v{promoted}" and fresh.get("/readyz").json()["checks"]["risk_model"] == f"v{promoted}"
    finally:
        state.close()


@pytest.fixture(scope="module")
def app_key(serving_settings: Settings, customer: str) -> dict[str, str]:
    """A key of an app tenant granted one customer (the account `customer`'s owner), with every app scope."""
    from serving.keys import OPERATOR_SCOPES, SCOPES
    from serving.tenants import create_tenant, grant

    assert serving_settings.database_url is not None
    with psycopg.connect(serving_settings.database_url.get_secret_value(), autocommit=True) as conn:
        owner = conn.execute(
            "SELECT c.external_ref FROM ledger.accounts a JOIN ledger.customers c USING (customer_id)"
            " WHERE a.code = %s",
            (customer,),
        ).fetchone()[0]
        create_tenant(conn, "t-fuzzed-app", "Fuzzed app", "app")
        grant(conn, "t-fuzzed-app", customers=[owner])
    scopes = [scope for scope in SCOPES if scope not in OPERATOR_SCOPES]
    return {"Authorization": f"Bearer {key(serving_settings, *scopes, tenant='t-fuzzed-app')}"}


@pytest.mark.parametrize(("who", "examples"), [("operator", 25), ("app", 10)])
def test_the_openapi_spec_holds_under_fuzzing(
    client: TestClient, full_key: dict[str, str], app_key: dict[str, str], who: str, examples: int
) -> None:
    """Every operation of the published spec, generated requests (valid and invalid ones) with an operator's
    key and with an app tenant's key (404 for what is not its own, 403 for operator work): never a 5xx,
    and every response has a documented status and content type and matches its schema."""
    headers = full_key if who == "operator" else app_key
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
    api = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 11

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def exercise(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=checks)

        exercise()


def test_bad_input_found_by_security_review_is_a_4xx_naming_the_field(
    client: TestClient, full_key: dict[str, str], customer: str
) -> None:
    """Cases a reviewer found answering 500: a NUL character in text, a date far outside the calendar."""
    for field in ("description", "counterparty_name", "counterparty_account"):
        body = {
            "from_account": customer,
            "to_account": "SAFEGUARD-USD",
            "amount": "1.00",
            "currency": "USD",
            "counterparty_name": "Acme Ltd",
            field: "a\x00b",
        }
        answer = client.post("/v1/transfers", json=body, headers={**full_key, "Idempotency-Key": f"nul-{field}"})
        assert answer.status_code == 422 and answer.json()["field"] == field, answer.text
    for as_of in ("0001-01-01", "9999-12-31"):
        answer = client.get(f"/v1/accounts/{customer}/insights", params={"as_of": as_of}, headers=full_key)
        assert answer.status_code == 422 and answer.json()["field"] == "as_of", answer.text
    big = client.post(
        "/v1/transfers",
        json={
            "from_account": customer,
            "to_account": "SAFEGUARD-USD",
            "amount": "10000000000",
            "currency": "USD",
            "counterparty_name": "Acme Ltd",
        },
        headers={**full_key, "Idempotency-Key": "too-big"},
    )
    assert big.status_code == 422 and big.json()["field"] == "amount"
    # found by the stateful fuzzing: a body that is not text was a 400 no operation documents
    for path in ("/v1/transfers", "/v1/score", "/v1/merchants/resolve"):
        garbled = client.post(
            path,
            content=b"\xa3\x9b\x06|",
            headers={**full_key, "Idempotency-Key": "garbled", "Content-Type": "application/json"},
        )
        assert garbled.status_code == 422 and garbled.json()["field"] == "body", garbled.text
