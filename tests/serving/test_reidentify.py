"""Re-identifying lake pseudonyms: an operator with `pii:read` gets the value behind each one, every call
recorded in `ledger.pii_access` with the pseudonyms asked for; anyone else gets 403; bad pseudonyms are
named."""

from __future__ import annotations

import psycopg
import pytest
from fastapi.testclient import TestClient

from fintra.pseudonyms import pseudonym
from fintra.settings import Settings
from ledger.errors import InvalidRequest
from ledger.pii import reidentify
from serving.tenants import create_tenant
from tests.serving.conftest import key

PATH = "/v1/pii/reidentify"


def _url(settings: Settings) -> str:
    assert settings.database_url is not None
    return settings.database_url.get_secret_value()


def _bearer(settings: Settings, *scopes: str, tenant: str | None = None) -> dict[str, str]:
    token = key(settings, *scopes, tenant=tenant) if tenant else key(settings, *scopes)
    return {"Authorization": f"Bearer {token}"}


def _values(settings: Settings) -> tuple[int, str, str, str]:
    """A customer and its name, and a counterparty name and account number the ledger holds."""
    with psycopg.connect(_url(settings)) as conn:
        customer_id, name = conn.execute("SELECT customer_id, full_name FROM ledger.customer_pii LIMIT 1").fetchone()
        party, account = conn.execute(
            "SELECT counterparty_name, counterparty_account FROM ledger.journal_entries"
            " WHERE counterparty_name IS NOT NULL AND counterparty_account IS NOT NULL"
            " AND counterparty_name NOT IN (SELECT full_name FROM ledger.customer_pii) LIMIT 1"
        ).fetchone()
    return customer_id, name, party, account


def test_an_operator_with_pii_read_reidentifies_and_is_recorded(client: TestClient, serving_settings: Settings) -> None:
    customer_id, name, party, account = _values(serving_settings)
    secret = serving_settings.resolved_pseudonym_key()
    asked = [pseudonym(name, secret), pseudonym(party, secret), pseudonym(account, secret), "0" * 64]
    officer = _bearer(serving_settings, "pii:read")
    response = client.post(PATH, json={"pseudonyms": asked, "purpose": "case 7 review"}, headers=officer)
    assert response.status_code == 200, response.text
    found = {(r["pseudonym"], r["field"]): r for r in response.json()["found"]}
    assert found[(asked[0], "customer_pii.full_name")]["value"] == name
    assert found[(asked[0], "customer_pii.full_name")]["customer_id"] == customer_id
    assert found[(asked[1], "journal_entries.counterparty_name")]["value"] == party
    assert found[(asked[2], "journal_entries.counterparty_account")]["value"] == account
    assert not any(p == "0" * 64 for p, _ in found)  # unknown: absent, not an error
    with psycopg.connect(_url(serving_settings)) as conn:
        actor, customers, pseudonyms = conn.execute(
            "SELECT actor, customer_ids, pseudonyms FROM ledger.pii_access WHERE purpose = 'case 7 review'"
        ).fetchone()
    assert actor == officer["Authorization"].removeprefix("Bearer fk_").split("_", 1)[0]
    assert customer_id in customers and pseudonyms == asked


def test_reidentification_needs_pii_read_and_an_operator(client: TestClient, serving_settings: Settings) -> None:
    body = {"pseudonyms": ["a" * 64], "purpose": "curious"}
    assert client.post(PATH, json=body, headers=_bearer(serving_settings, "reports:read")).status_code == 403
    with psycopg.connect(_url(serving_settings), autocommit=True) as conn:
        create_tenant(conn, "t-reid-app", "An app", "app")
    app = _bearer(serving_settings, "insights:read", tenant="t-reid-app")
    assert client.post(PATH, json=body, headers=app).status_code == 403
    with psycopg.connect(_url(serving_settings)) as conn:
        assert conn.execute("SELECT count(*) FROM ledger.pii_access WHERE purpose = 'curious'").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"pseudonyms": ["not-hex"], "purpose": "x"}, "pseudonyms.0"),  # the API names list items so
        ({"pseudonyms": [], "purpose": "x"}, "pseudonyms"),
        ({"pseudonyms": ["a" * 64], "purpose": ""}, "purpose"),
    ],
)
def test_bad_requests_name_the_field(client: TestClient, serving_settings: Settings, body: dict, field: str) -> None:
    response = client.post(PATH, json=body, headers=_bearer(serving_settings, "pii:read"))
    assert response.status_code == 422 and response.json()["field"] == field, response.text


def test_the_ledger_call_refuses_a_malformed_pseudonym_and_records_nothing(serving_settings: Settings) -> None:
    with psycopg.connect(_url(serving_settings)) as conn:
        before = conn.execute("SELECT count(*) FROM ledger.pii_access").fetchone()[0]
        with pytest.raises(InvalidRequest) as refused:
            reidentify(conn, ["a" * 64, "zz"], b"k" * 32, actor="me", purpose="test")
        assert refused.value.field == "pseudonyms[1]"
        assert conn.execute("SELECT count(*) FROM ledger.pii_access").fetchone()[0] == before
