"""The API fuzzed statefully: schemathesis chains operations by the spec's OpenAPI links (declared ones, e.g.
a transfer held for review to its case, and those it infers: a created tenant to its keys, a key to its
revocation, a listed case to its assignment and decision), with an operator's key and with an app tenant's
key. Every response must be a documented status and content type matching its schema, never a 5xx; an app
tenant's key must never get a 2xx for an account it was not granted nor for operator work; and afterwards
the books still balance, the projection equals the journals and no account that may not go negative is.

On a copy of the serving database, so that the cases it decides and the keys it revokes touch no other
test."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from typing import Any, ClassVar

import psycopg
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fintra.settings import Settings
from pipelines.cases import cases_from_alerts
from serving.keys import OPERATOR_SCOPES, SCOPES
from serving.tenants import create_tenant, grant
from tests.ledger.helpers import overdrawn, projection_mismatches, unbalanced_currencies
from tests.serving.conftest import key, serving_client, serving_copy

DB = "t_serving_stateful"
APP, OTHER_APP = "t-stateful-app", "t-stateful-other"
# operator work: an app tenant's key gets 403 there whatever it holds (tipping off, administration)
OPERATOR_PATHS = ("/v1/cases", "/v1/reports", "/v1/tenants", "/v1/keys", "/v1/filings", "/v1/pii")
MERCHANT_CURATION = ("/v1/merchants/clusters", "/v1/merchants/changes")
APP_JOURNEYS = r"^/v1/(transfers|score|accounts/|merchants/resolve|cases/\{case_id\}(/decision)?$)"


@pytest.fixture(scope="module")
def stateful_settings(serving_settings: Settings, pg_server: str) -> Settings:
    return serving_copy(serving_settings, pg_server, DB)


@pytest.fixture(scope="module")
def stateful_client(stateful_settings: Settings) -> Iterator[TestClient]:
    with serving_client(stateful_settings) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def accounts(stateful_settings: Settings) -> dict[str, list[str]]:
    """Funded USD retail accounts of customers no alert names: one customer's granted to the fuzzed app
    tenant, five others' to a second app tenant."""
    assert stateful_settings.database_url is not None
    with psycopg.connect(stateful_settings.database_url.get_secret_value(), autocommit=True) as conn:
        # The best-funded (most of the fuzzer's amounts must be payable) whom no alert names: an alert opens
        # a case below, and a customer under review has every transfer held (202), so no link from a posted
        # transfer would be followed.
        rows = conn.execute(
            "SELECT c.external_ref, a.code FROM ledger.accounts AS a"
            " JOIN ledger.balances AS b USING (account_id) JOIN ledger.customers AS c USING (customer_id)"
            " WHERE c.segment = 'RETAIL' AND a.currency = 'USD' AND b.available > 1000"
            " AND NOT EXISTS (SELECT 1 FROM analytics.fct_aml_alerts AS f WHERE c.customer_id = ANY (f.customer_ids))"
            " ORDER BY b.available DESC, a.code LIMIT 6"
        ).fetchall()
        assert len(rows) == 6
        create_tenant(conn, APP, "Stateful app", "app")
        grant(conn, APP, customers=[rows[0][0]])
        create_tenant(conn, OTHER_APP, "Another app", "app")  # the other accounts are a second tenant's
        grant(conn, OTHER_APP, customers=[ref for ref, _ in rows[1:]])
        granted = [
            code
            for (code,) in conn.execute(
                "SELECT a.code FROM ledger.accounts AS a JOIN ledger.customers AS c USING (customer_id)"
                " WHERE c.external_ref = %s",
                (rows[0][0],),
            )
        ]
    opened = cases_from_alerts(stateful_settings.database_url.get_secret_value())  # a queue to work
    assert opened.opened + opened.known > 0
    return {"granted": granted, "others": [code for _, code in rows[1:]]}


def _machine(
    client: TestClient, headers: dict[str, str], payers: list[str], payees: list[str], granted: set[str] | None
) -> type:
    """The spec's state machine calling the app with `headers`; transfers and scores pay from `payers` to
    `payees` in USD (so that links from a posted or held transfer are followed); `granted`: the app
    tenant's accounts (None for an operator), checked on every response."""

    def only_its_own(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
        if granted is None or response.status_code >= 300:
            return None
        path = case.formatted_path
        assert not path.startswith(OPERATOR_PATHS + MERCHANT_CURATION), f"an app key got {response.status_code}"
        code = (case.path_parameters or {}).get("code")
        if code is None and isinstance(case.body, dict) and path in ("/v1/transfers", "/v1/score"):
            code = case.body.get("from_account")
        assert code is None or code in granted, f"an app key got {response.status_code} for account {code!r}"
        return None

    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
        only_its_own,
    ]
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    if granted is not None:
        # an app's journeys: move money, read its accounts, and the links a held transfer offers (a case,
        # which an app may not see); its 403s on the rest of the API are the stateless fuzzing's
        schema = schema.include(path_regex=APP_JOURNEYS)
    base = schema.as_state_machine()

    class Machine(base):  # type: ignore[valid-type, misc]
        calls: ClassVar[list[tuple[str, int]]] = []

        def before_call(self, case: schemathesis.Case) -> None:
            if case.formatted_path in ("/v1/transfers", "/v1/score") and isinstance(case.body, dict):
                case.body = {
                    **case.body,
                    "from_account": random.choice(payers),
                    "to_account": random.choice(payees),
                    "currency": "USD",
                }
                if "counterparty_name" not in case.body:  # a wire or ACH names its payee: P2P instead
                    case.body["channel"] = "P2P"

        def after_call(self, response: Any, case: schemathesis.Case) -> None:
            Machine.calls.append((f"{case.method} {case.operation.path}", response.status_code))

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(self, response: Any, case: schemathesis.Case, **kwargs: Any) -> None:
            case.validate_response(response, checks=checks)

    return Machine


@pytest.mark.parametrize(("who", "examples"), [("operator", 100), ("app", 100)])
def test_linked_operations_hold_under_stateful_fuzzing(
    stateful_client: TestClient,
    stateful_settings: Settings,
    accounts: dict[str, list[str]],
    who: str,
    examples: int,
) -> None:
    granted, others = accounts["granted"], accounts["others"]
    if who == "operator":
        token = key(stateful_settings)
        machine = _machine(stateful_client, {"Authorization": f"Bearer {token}"}, others, granted, None)
    else:
        scopes = [scope for scope in SCOPES if scope not in OPERATOR_SCOPES]
        token = key(stateful_settings, *scopes, tenant=APP)
        # mostly its own accounts, sometimes the other tenant's (which must answer 404)
        payers = granted * 3 + others[:1]
        machine = _machine(stateful_client, {"Authorization": f"Bearer {token}"}, payers, others, set(granted))
    transitions = [name for name in dir(machine) if "_PayerBalance_" in name or "_ReviewCase_" in name]
    assert transitions, "the spec's declared links are not in the state machine"
    for _ in range(3):
        try:
            machine.run(
                settings=settings(
                    derandomize=True,
                    max_examples=examples,
                    stateful_step_count=8,
                    deadline=None,
                    database=None,
                    suppress_health_check=list(HealthCheck),
                )
            )
            break
        except FlakyStrategyDefinition:
            # The API's state moved between a scenario and its replay (a payer drained, a case closed), so
            # a link had nothing to follow the second time: not a failure of the API (schemathesis' own
            # runner counts it so too); run more scenarios. A failed check is never swallowed.
            continue
    answered = {call for call in machine.calls if call[1] < 300}
    # the links were followed: money moved, and the paying account was read after it
    seen = Counter(machine.calls)
    assert ("POST /v1/transfers", 201) in answered, seen
    assert answered & {("GET /v1/accounts/{code}/balance", 200), ("GET /v1/accounts/{code}/insights", 200)}, seen
    if who == "operator":  # and cases listed were opened and worked
        assert {("GET /v1/cases/{case_id}", 200), ("POST /v1/cases/{case_id}/comments", 201)} <= answered, seen
    assert stateful_settings.database_url is not None
    with psycopg.connect(stateful_settings.database_url.get_secret_value()) as conn:
        assert unbalanced_currencies(conn) == []
        assert projection_mismatches(conn) == []
        assert overdrawn(conn) == []
