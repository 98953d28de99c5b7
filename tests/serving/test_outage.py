"""The database restarting or down under the API: a connection the server dropped is replaced before a
request uses it (no 5xx after a restart), and while the database refuses connections each request is
answered 503 with Retry-After at once, not after the pool's 30 s; when it is back, the next requests
succeed (not after the pools' reconnection back-off).

On a copy of the serving database, so that taking it down touches no other test."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient

from fintra.settings import Settings
from tests.serving.conftest import key, serving_client, serving_copy

DB = "t_serving_outage"


@pytest.fixture(scope="module")
def outage_settings(serving_settings: Settings, pg_server: str) -> Settings:
    return serving_copy(serving_settings, pg_server, DB)  # the session's pools reconnecting is tested too


@pytest.fixture(scope="module")
def outage_client(outage_settings: Settings) -> Iterator[TestClient]:
    with serving_client(outage_settings) as test_client:
        yield test_client


def _admin(pg_server: str) -> psycopg.Connection:
    return psycopg.connect(pg_server, autocommit=True)


def _drop_connections(pg_server: str) -> int:
    with _admin(pg_server) as conn:
        return conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s", (DB,)
        ).fetchone()[0]


def _requests(client: TestClient, headers: dict[str, str], payer: str, payee: str) -> list[int]:
    balance = client.get(f"/v1/accounts/{payer}/balance", headers=headers)
    transfer = client.post(
        "/v1/transfers",
        json={"from_account": payer, "to_account": payee, "amount": "1.00", "currency": "USD"},
        headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
    )
    score = client.post(
        "/v1/score",
        json={"from_account": payer, "to_account": payee, "amount": "1.00", "currency": "USD"},
        headers=headers,
    )
    return [balance.status_code, transfer.status_code, score.status_code]


def test_a_restart_and_an_outage_answer_no_500(
    outage_client: TestClient, outage_settings: Settings, pg_server: str, retail_accounts: list[str]
) -> None:
    headers = {"Authorization": f"Bearer {key(outage_settings)}"}
    payer, payee = retail_accounts[-1], retail_accounts[-2]
    first = _requests(outage_client, headers, payer, payee)
    assert first[0] == 200 and all(code < 500 for code in first), first  # every pool holds a connection now

    # a restart: every connection the pools hold is dropped by the server
    assert _drop_connections(pg_server) > 0
    time.sleep(0.5)  # a restart takes longer than this (fintra.pools tests connections idle for 0.25 s)
    after_restart = _requests(outage_client, headers, payer, payee)
    assert after_restart[0] == 200 and all(code < 500 for code in after_restart), after_restart

    # down: the database refuses connections
    with _admin(pg_server) as conn:
        conn.execute(f"ALTER DATABASE {DB} WITH ALLOW_CONNECTIONS false")
    try:
        _drop_connections(pg_server)
        started = time.monotonic()
        down = outage_client.get(f"/v1/accounts/{payer}/balance", headers=headers)
        waited = time.monotonic() - started
        assert down.status_code == 503, down.text
        assert down.json()["type"].endswith("/database-unavailable") and down.headers["retry-after"] == "1"
        assert down.json()["correlation_id"] == down.headers["x-correlation-id"]
        assert waited < 10, waited  # the pool's wait (db_wait_seconds), not its 30 s default
        transfer = outage_client.post(
            "/v1/transfers",
            json={"from_account": payer, "to_account": payee, "amount": "1.00", "currency": "USD"},
            headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
        )
        assert transfer.status_code == 503, transfer.text
        time.sleep(4)  # psycopg_pool's own back-off would by now be waiting seconds between attempts
    finally:
        with _admin(pg_server) as conn:
            conn.execute(f"ALTER DATABASE {DB} WITH ALLOW_CONNECTIONS true")
    # back: each pool tries again within RECONNECT_DELAY_MAX, shorter than a request's wait, so the
    # first requests after it are served
    back = _requests(outage_client, headers, payer, payee)
    assert back[0] == 200 and all(code < 500 for code in back), back
