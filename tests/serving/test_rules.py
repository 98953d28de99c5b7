"""The fast brain's hard rules through the API, with the model told to approve everything (so whatever is
held or blocked here, a rule did it): a watch-listed payee is blocked, its spelling variant held; a burst
draining the account to a new payee is held before most of the money leaves; an account under an open
case has its next transfer held; an ordinary payment to a known payee is approved with no rule; reasons
are labelled and only raise the risk; the decision row and its event carry the rules."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from fintra.settings import Settings
from serving.state import ServiceState
from tests.serving.conftest import set_thresholds


@pytest.fixture(autouse=True)
def _model_approves(service: ServiceState) -> None:
    scorer = service.models.scorer
    if scorer is None or (scorer.review_at, scorer.block_at) != (0.99999, 1.0):
        set_thresholds(service, review=0.99999, block=1.0, reason="tests: the rules decide")


def _available(settings: Settings, code: str) -> Decimal:
    assert settings.database_url is not None
    with psycopg.connect(settings.database_url.get_secret_value()) as conn:
        return conn.execute(
            "SELECT available FROM ledger.balances JOIN ledger.accounts USING (account_id) WHERE code = %s", (code,)
        ).fetchone()[0]


def _wire(client: TestClient, headers: dict[str, str], payer: str, amount: str, payee: str) -> Any:
    body = {
        "from_account": payer,
        "to_account": "SAFEGUARD-USD",
        "amount": amount,
        "currency": "USD",
        "channel": "WIRE",
        "counterparty_name": payee,
        "counterparty_account": "DE89370400440532013000",
    }
    return client.post("/v1/transfers", json=body, headers={**headers, "Idempotency-Key": uuid.uuid4().hex})


def _rules(response: Any) -> dict[str, str]:
    return {hit["rule"]: hit["outcome"] for hit in response.json()["rules"]}


def test_a_wire_to_an_exactly_listed_name_is_blocked_and_moves_nothing(
    client: TestClient, full_key: dict[str, str], serving_settings: Settings, retail_accounts: list[str]
) -> None:
    payer = retail_accounts[3]
    before = _available(serving_settings, payer)
    for name in ("Dragomir Petrenko", "KARVONEN MARITIME HOLDINGS", "Silverline Commodities FZE"):
        response = _wire(client, full_key, payer, "250.00", name)
        assert response.status_code == 402, response.text
        body = response.json()
        assert body["decision"] == "block" and _rules(response) == {"watch_list": "block"}
        assert "matches watch-listed" in body["detail"] and "nothing moved" in body["detail"]
    assert _available(serving_settings, payer) == before
    assert serving_settings.database_url is not None
    with psycopg.connect(serving_settings.database_url.get_secret_value()) as conn:
        row = conn.execute(
            "SELECT d.rules -> 0 ->> 'rule', d.rules -> 0 -> 'evidence' ->> 'entity_id',"
            " e.payload -> 'rules' -> 0 ->> 'rule' FROM ledger.risk_decisions AS d JOIN ledger.event_store AS e"
            " ON e.aggregate_id = 'risk_decision:' || d.decision_id WHERE d.decision_id = %s",
            (body["decision_id"],),
        ).fetchone()
        kept, events = conn.execute(
            "SELECT d.rules::text, array_agg(e.payload::text ORDER BY e.version) FROM ledger.risk_decisions AS d"
            " JOIN ledger.event_store AS e ON e.aggregate_id = 'risk_decision:' || d.decision_id"
            " WHERE d.decision_id = %s GROUP BY d.rules::text",
            (body["decision_id"],),
        ).fetchone()
    assert row == ("watch_list", "WL004", "watch_list")
    # the payee's name as typed stays in the database; the events (the bus, the lake) carry the listed entity
    assert "Silverline Commodities FZE" in kept and len(events) == 2  # the decision and its alert
    for payload in events:  # (the listed name is the list's, public; the typed payee is the caller's)
        assert '"payee"' not in payload and "payee '" not in payload and '"entity_id": "WL004"' in payload


def test_a_spelling_variant_of_a_listed_name_is_held_for_review(
    client: TestClient, full_key: dict[str, str], serving_settings: Settings, retail_accounts: list[str]
) -> None:
    response = _wire(client, full_key, retail_accounts[4], "180.00", "Dragomir P.")
    assert response.status_code == 202, response.text
    assert _rules(response) == {"watch_list": "review"} and response.json()["case_id"] is not None
    # the case's title and every event say which listed party, not the name as typed
    assert serving_settings.database_url is not None
    with psycopg.connect(serving_settings.database_url.get_secret_value()) as conn:
        title, events = conn.execute(
            "SELECT c.title, (SELECT array_agg(e.payload::text) FROM ledger.event_store AS e"
            " WHERE e.aggregate_id IN ('risk_decision:' || c.decision_id, 'risk_case:' || c.case_id))"
            " FROM ledger.risk_cases AS c WHERE c.case_id = %s",
            (response.json()["case_id"],),
        ).fetchone()
    assert "WL001" in title and "Dragomir P." not in title, title
    assert len(events) == 3 and not any("Dragomir P." in e for e in events), events
    # /v1/score says the same, before anything moves
    score = client.post(
        "/v1/score",
        headers=full_key,
        json={
            "from_account": retail_accounts[5],
            "to_account": "SAFEGUARD-USD",
            "amount": "180.00",
            "currency": "USD",
            "counterparty_name": "Dragomir Petrenko",
        },
    )
    assert score.status_code == 200 and score.json()["decision"] == "block", score.text
    assert score.json()["model_decision"] == "approve" and score.json()["rules"][0]["rule"] == "watch_list"


def test_a_burst_draining_the_account_to_new_payees_is_held_before_the_money_is_gone(
    client: TestClient, full_key: dict[str, str], serving_settings: Settings, retail_accounts: list[str]
) -> None:
    """19 back-to-back wires of 4.5% of the balance each, to payees never paid before: the account would be
    85% empty. The burst rule holds the sixth (27% gone in the hour: under the new-payee run's 30%, which
    would join it at exactly 5% each); the open case then holds every later one."""
    payer = retail_accounts[6]
    start = _available(serving_settings, payer)
    slice_ = (start * Decimal("0.045")).quantize(Decimal("0.01"))
    outcomes = [_wire(client, full_key, payer, str(slice_), f"Quick Cash Ltd {i}") for i in range(19)]
    statuses = [r.status_code for r in outcomes]
    assert statuses[:5] == [201] * 5 and set(statuses[5:]) == {202}, statuses
    assert _rules(outcomes[5]) == {"burst": "review"}
    assert "open_case" in _rules(outcomes[6])
    assert [bool(r.json()["journal_id"]) for r in outcomes] == [True] * 5 + [False] * 14
    reason = outcomes[5].json()["rules"][0]["reason"]
    assert reason.startswith("5 payments out in the 10 minutes before this one"), reason


def test_most_of_the_balance_to_a_new_payee_is_held(
    client: TestClient, full_key: dict[str, str], serving_settings: Settings, retail_accounts: list[str]
) -> None:
    payer = retail_accounts[7]
    amount = (_available(serving_settings, payer) * Decimal("0.9")).quantize(Decimal("0.01"))
    response = _wire(client, full_key, payer, str(amount), "Northwind Crypto Desk")
    assert response.status_code == 202, response.text
    hit = response.json()["rules"][0]
    # 90% of what is available; the rule measures against the balance with the last hour's payments, which
    # the simulated day may hold (pending card payments), so the share it names can be a little lower.
    share = re.search(r"(\d+)% of the balance leaves, to a new payee", hit["reason"])
    assert hit["rule"] == "drain_to_new_payee" and share and 80 <= int(share.group(1)) <= 90, hit["reason"]


def test_ordinary_payments_are_approved_with_no_rule_and_rising_reasons_only(
    client: TestClient, full_key: dict[str, str], retail_accounts: list[str]
) -> None:
    payer, friend = retail_accounts[8], retail_accounts[9]
    for amount, payee in (("64.20", "Greenleaf Grocers"), ("1250.00", "Maple Street Lettings"), ("18.00", None)):
        if payee is None:
            response = client.post(
                "/v1/transfers",
                json={"from_account": payer, "to_account": friend, "amount": amount, "currency": "USD"},
                headers={**full_key, "Idempotency-Key": uuid.uuid4().hex},
            )
        else:
            response = _wire(client, full_key, payer, amount, payee)
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["rules"] == [] and all(r["contribution"] > 0 and r["label"] for r in body["reasons"])
