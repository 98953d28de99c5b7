"""POST /v1/transfers end to end: the decision and its event commit with the posting or the hold, a
blocked transfer moves nothing, an Idempotency-Key replays, and the model in force is the registry's."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from features.definitions import FEATURE_NAMES
from fintra.settings import Settings
from serving.state import ServiceState
from tests.serving.conftest import set_thresholds


@pytest.fixture(scope="module")
def accounts(retail_accounts: list[str]) -> tuple[str, str]:
    return retail_accounts[0], retail_accounts[1]


def _db(settings: Settings) -> psycopg.Connection:
    assert settings.database_url is not None
    return psycopg.connect(settings.database_url.get_secret_value())


def _available(settings: Settings, code: str) -> Decimal:
    with _db(settings) as conn:
        return conn.execute(
            "SELECT available FROM ledger.balances JOIN ledger.accounts USING (account_id) WHERE code = %s", (code,)
        ).fetchone()[0]


def _send(client: TestClient, headers: dict[str, str], body: dict[str, Any], key: str | None = None, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/v1/transfers", json=body, headers={**headers, "Idempotency-Key": key or uuid.uuid4().hex, **extra}
    )


def test_an_approved_transfer_posts_with_its_decision(
    client: TestClient,
    full_key: dict[str, str],
    service: ServiceState,
    serving_settings: Settings,
    accounts: tuple[str, str],
) -> None:
    set_thresholds(service, review=0.99999, block=1.0, reason="tests: approve")
    payer, payee = accounts
    before = _available(serving_settings, payer)
    response = _send(
        client,
        full_key,
        {"from_account": payer, "to_account": payee, "amount": "10.25", "currency": "USD"},
        **{"X-Correlation-ID": "corr-approve-1"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["decision"], body["status"], body["correlation_id"]) == ("approve", "posted", "corr-approve-1")
    assert response.headers["x-correlation-id"] == "corr-approve-1" and body["rules"] == []
    assert all(reason["contribution"] > 0 and reason["label"] for reason in body["reasons"])
    assert _available(serving_settings, payer) == before - Decimal("10.25")
    with _db(serving_settings) as conn:
        decision = conn.execute(
            "SELECT d.decision, d.journal_id, d.model_version, d.correlation_id, j.reference_id, j.correlation_id"
            " FROM ledger.risk_decisions AS d JOIN ledger.journal_entries AS j USING (journal_id)"
            " WHERE d.decision_id = %s",
            (body["decision_id"],),
        ).fetchone()
        event = conn.execute(
            "SELECT payload ->> 'decision', correlation_id, e.seq IN (SELECT event_seq FROM ledger.outbox)"
            " FROM ledger.event_store AS e WHERE aggregate_id = %s AND event_type = 'risk.decision.made.v1'",
            (f"risk_decision:{body['decision_id']}",),
        ).fetchone()
        alerts = conn.execute(
            "SELECT count(*) FROM ledger.event_store WHERE aggregate_id = %s AND event_type <> 'risk.decision.made.v1'",
            (f"risk_decision:{body['decision_id']}",),
        ).fetchone()
    assert alerts == (0,)
    assert decision == (
        "approve",
        body["journal_id"],
        body["model"]["version"],
        "corr-approve-1",
        decision[4],
        "corr-approve-1",
    )
    assert decision[4].startswith("api:") and event == ("approve", "corr-approve-1", True)


def test_a_review_places_a_hold_and_opens_a_case(
    client: TestClient,
    full_key: dict[str, str],
    service: ServiceState,
    serving_settings: Settings,
    retail_accounts: list[str],
) -> None:
    set_thresholds(service, review=0.0, block=1.0, reason="tests: review everything")
    payer = retail_accounts[2]  # its own: the case it opens holds the account's later transfers
    before = _available(serving_settings, payer)
    response = _send(
        client,
        full_key,
        {
            "from_account": payer,
            "to_account": "SAFEGUARD-USD",
            "amount": "75.00",
            "currency": "USD",
            "counterparty_name": "Unknown Trading Co",
            "counterparty_account": "GB29NWBK60161331926819",
            "channel": "wire",
        },
    )
    assert response.status_code == 202, response.text
    body = response.json()
    assert (body["decision"], body["status"]) == ("review", "held_for_review") and body["journal_id"] is None
    assert _available(serving_settings, payer) == before - 75
    with _db(serving_settings) as conn:
        hold = conn.execute("SELECT status, amount FROM ledger.holds WHERE hold_id = %s", (body["hold_id"],)).fetchone()
        typed = conn.execute(
            "SELECT channel, counterparty_name, counterparty_account FROM ledger.holds WHERE hold_id = %s",
            (body["hold_id"],),
        ).fetchone()
        case = conn.execute(
            "SELECT status, hold_id FROM ledger.risk_cases WHERE case_id = %s", (body["case_id"],)
        ).fetchone()
        events = conn.execute(
            "SELECT event_type FROM ledger.event_store WHERE aggregate_id IN (%s, %s) ORDER BY seq",
            (f"risk_decision:{body['decision_id']}", f"risk_case:{body['case_id']}"),
        ).fetchall()
    assert hold == ("PENDING", Decimal("75")) and case == ("OPEN", body["hold_id"])
    assert typed == ("WIRE", "Unknown Trading Co", "GB29NWBK60161331926819")
    assert [e[0] for e in events] == ["risk.decision.made.v1", "risk.alert.raised.v1", "compliance.case.opened.v1"]


def test_a_blocked_transfer_moves_no_money(
    client: TestClient,
    full_key: dict[str, str],
    service: ServiceState,
    serving_settings: Settings,
    accounts: tuple[str, str],
) -> None:
    set_thresholds(service, review=0.0, block=0.0, reason="tests: block everything")
    payer, payee = accounts
    before = (_available(serving_settings, payer), _available(serving_settings, payee))
    with _db(serving_settings) as conn:
        journals = conn.execute("SELECT count(*) FROM ledger.journal_entries").fetchone()[0]
    response = _send(client, full_key, {"from_account": payer, "to_account": payee, "amount": "5", "currency": "USD"})
    assert response.status_code == 402 and response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (
        body["type"].endswith("/transfer-blocked") and body["decision"] == "block" and "nothing moved" in body["detail"]
    )
    assert (_available(serving_settings, payer), _available(serving_settings, payee)) == before
    with _db(serving_settings) as conn:
        assert conn.execute("SELECT count(*) FROM ledger.journal_entries").fetchone()[0] == journals
        assert conn.execute(
            "SELECT decision FROM ledger.risk_decisions WHERE decision_id = %s", (body["decision_id"],)
        ).fetchone() == ("block",)
        events = conn.execute(
            "SELECT event_type, payload ->> 'decision' FROM ledger.event_store WHERE aggregate_id = %s ORDER BY seq",
            (f"risk_decision:{body['decision_id']}",),
        ).fetchall()
    # a block is an alert for whoever watches the brain's (brain.alerts.v1); an approval is not
    assert events == [("risk.decision.made.v1", "block"), ("risk.alert.raised.v1", "block")]


def test_an_idempotency_key_replays_the_answer_and_refuses_another_body(
    client: TestClient,
    full_key: dict[str, str],
    service: ServiceState,
    serving_settings: Settings,
    accounts: tuple[str, str],
) -> None:
    set_thresholds(service, review=0.99999, block=1.0, reason="tests: replay")
    payer, payee = accounts
    request = {"from_account": payer, "to_account": payee, "amount": "1.10", "currency": "USD", "description": "lunch"}
    first = _send(client, full_key, request, key="replay-key-1")
    again = _send(client, full_key, request, key="replay-key-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert (first.headers["idempotent-replayed"], again.headers["idempotent-replayed"]) == ("false", "true")
    with _db(serving_settings) as conn:
        assert (
            conn.execute(
                "SELECT count(*) FROM ledger.journal_entries WHERE reference_id = 'api:operators:replay-key-1'"
            ).fetchone()[0]
            == 1
        )
    other = _send(client, full_key, {**request, "amount": "1.20"}, key="replay-key-1")
    assert other.status_code == 409 and other.json()["field"] == "Idempotency-Key"


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"amount": 12.5}, 422, "amount"),
        ({"amount": "0"}, 422, "amount"),
        ({"amount": "1.234567890123456789012"}, 422, "amount"),
        ({"amount": "3.001"}, 422, "amount"),  # finer than a cent
        ({"amount": "10000000000"}, 422, "amount"),  # more than any leg can carry
        ({"amount": "-3"}, 422, "amount"),
        ({"currency": "EUR"}, 422, "currency"),
        ({"to_account": "NO-SUCH-ACCOUNT"}, 404, "to_account"),
        ({"from_account": "NO-SUCH-ACCOUNT"}, 404, "from_account"),
        ({"surprise": 1}, 422, "surprise"),
        ({"channel": "Telepathy"}, 422, "channel"),
        ({"to_account": "SAFEGUARD-USD", "channel": "Wire"}, 422, "counterparty_name"),
        (
            {"to_account": "SAFEGUARD-USD", "counterparty_name": "Acme", "counterparty_country": "gb"},
            422,
            "counterparty_country",
        ),
    ],
)
@pytest.mark.parametrize("path", ["/v1/transfers", "/v1/score"])
def test_bad_requests_name_the_field_and_move_nothing(
    path: str,
    client: TestClient,
    full_key: dict[str, str],
    serving_settings: Settings,
    accounts: tuple[str, str],
    change: dict[str, Any],
    status: int,
    field: str,
) -> None:
    payer, payee = accounts
    before = _available(serving_settings, payer)
    body = {"from_account": payer, "to_account": payee, "amount": "3", "currency": "USD", **change}
    response = client.post(path, headers={**full_key, "Idempotency-Key": uuid.uuid4().hex}, json=body)
    assert response.status_code == status and response.json()["field"] == field, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert _available(serving_settings, payer) == before


def test_a_missing_idempotency_key_is_named(
    client: TestClient, full_key: dict[str, str], accounts: tuple[str, str]
) -> None:
    response = client.post(
        "/v1/transfers",
        headers=full_key,
        json={"from_account": accounts[0], "to_account": accounts[1], "amount": "1", "currency": "USD"},
    )
    assert response.status_code == 422 and response.json()["field"] == "Idempotency-Key"


def test_score_moves_nothing_and_explains(
    client: TestClient, full_key: dict[str, str], serving_settings: Settings, accounts: tuple[str, str]
) -> None:
    payer, payee = accounts
    before = _available(serving_settings, payer)
    response = client.post(
        "/v1/score",
        headers=full_key,
        json={"from_account": payer, "to_account": payee, "amount": "40", "currency": "USD"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert 0 <= body["score"] <= 1 and list(body["features"]) == list(FEATURE_NAMES)
    assert body["features"]["category_risk"] == 0.3 and body["decision"] in ("approve", "review", "block")
    assert _available(serving_settings, payer) == before
