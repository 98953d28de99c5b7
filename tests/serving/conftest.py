"""The API against a real database (a copy of the compliance ledger), the lake with its trained risk model
and merchant index, and real API keys."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from fintra.database import clone_database
from fintra.settings import Settings
from models.registry import Registry
from serving.app import create_app
from serving.keys import SCOPES, create_key
from serving.state import ServiceState
from serving.tenants import OPERATORS


@pytest.fixture(scope="session")
def service(serving_settings: Settings) -> Iterator[ServiceState]:
    state = ServiceState(serving_settings)
    yield state
    state.close()


@pytest.fixture(scope="session")
def client(service: ServiceState) -> Iterator[TestClient]:
    with TestClient(create_app(state=service)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def retail_accounts(serving_settings: Settings) -> list[str]:
    """USD accounts of fourteen retail customers (one each) with funds; tests take their own, so that a case one
    test opens does not hold another test's transfers."""
    assert serving_settings.database_url is not None
    with psycopg.connect(serving_settings.database_url.get_secret_value()) as conn:
        rows = conn.execute(
            "SELECT DISTINCT ON (c.customer_id) a.code FROM ledger.accounts AS a"
            " JOIN ledger.balances AS b USING (account_id) JOIN ledger.customers AS c USING (customer_id)"
            " WHERE c.segment = 'RETAIL' AND a.currency = 'USD' AND b.available > 2000"
            " ORDER BY c.customer_id, a.code LIMIT 14"
        ).fetchall()
    assert len(rows) == 14
    return [row[0] for row in rows]


@contextmanager
def serving_client(settings: Settings) -> Iterator[TestClient]:
    """The API of a service of its own on `settings`, closed afterwards."""
    state = ServiceState(settings)
    try:
        with TestClient(create_app(state=state)) as test_client:
            yield test_client
    finally:
        state.close()


def serving_copy(serving_settings: Settings, pg_server: str, name: str) -> Settings:
    """Settings of the serving platform on `name`, a copy of its database, for a module whose writes or
    outages must touch no other test (the lake, models and merchant index are shared, read-only)."""
    # a database is copied only while nobody is connected to it: the session's service lets go of its
    # pooled connections here, and its pools replace them on their next use
    for attempt in range(5):
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 't_serving'")
        try:
            url = clone_database(pg_server, "t_serving", name)
            break
        except psycopg.errors.ObjectInUse:
            if attempt == 4:
                raise
            time.sleep(0.2)
    return serving_settings.model_copy(update={"database_url": SecretStr(url)})


def key(settings: Settings, *scopes: str, rate: int = 100_000, tenant: str = OPERATORS) -> str:
    """A key of `tenant` (an operator tenant unless told: every power, no grant needed)."""
    assert settings.database_url is not None
    with psycopg.connect(settings.database_url.get_secret_value(), autocommit=True) as conn:
        return create_key(conn, "tests", list(scopes or SCOPES), rate, tenant_id=tenant)


@pytest.fixture(scope="session")
def full_key(serving_settings: Settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {key(serving_settings)}"}


def set_thresholds(service: ServiceState, review: float, block: float, reason: str) -> int:
    """Serve the production risk model again with other decision thresholds (a new, forced version)."""
    registry: Registry = service.registry
    current = registry.get("risk")
    card = {**current.card, "thresholds": {"review": review, "block": block}}
    version = registry.register("risk", registry.model_bytes(current), card, registry.holdout(current))
    registry.promote("risk", version.version, lambda v, h: 0.0, metric="pr_auc", force_reason=reason)
    service.reload()
    assert service.models.scorer is not None and service.models.scorer.version == version.version
    return version.version
