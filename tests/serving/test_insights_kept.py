"""Insights kept per account: `fintra run`'s precomputation serves the API's reads until the account moves
again or another merchant index is served; then a read computes and keeps them anew. What is served kept is
what the request would have computed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

import psycopg
import pytest
from fastapi.testclient import TestClient

from fintra.settings import Settings
from ledger import Counterparty, p2p_out
from models.merchants.resolve import Resolution
from serving.insights import account_insights, precompute_insights
from serving.state import ServiceState
from serving.views import ViewStore


@pytest.fixture(scope="module")
def accounts(serving_settings: Settings) -> list[tuple[str, int]]:
    """Retail customers' USD accounts with card payments, from the end of the list (tests that take accounts
    of their own take them from its start)."""
    assert serving_settings.database_url is not None
    with psycopg.connect(serving_settings.database_url.get_secret_value()) as conn:
        return conn.execute(
            "SELECT a.code, a.account_id FROM ledger.accounts AS a JOIN ledger.customers AS c USING (customer_id)"
            " JOIN ledger.balances AS b USING (account_id)"
            " WHERE c.segment = 'RETAIL' AND a.currency = 'USD' AND b.available > 100"
            " AND EXISTS (SELECT 1 FROM ledger.holds AS h WHERE h.from_account_id = a.account_id)"
            " ORDER BY c.customer_id DESC LIMIT 4"
        ).fetchall()


def test_precomputed_insights_serve_until_the_account_moves(
    client: TestClient,
    service: ServiceState,
    full_key: dict[str, str],
    accounts: list[tuple[str, int]],
    redis_server: str,
) -> None:
    (code, account_id), others = accounts[0], [c for c, _ in accounts[1:]]
    url = service.settings.database_url.get_secret_value()  # type: ignore[union-attr]
    resolver = service.models.resolver
    # as `fintra run` does for every customer account (tests/pipelines/test_run.py), here for a few
    neighbours = [code, *others]
    with psycopg.connect(url) as conn:
        computed, _ = precompute_insights(conn, resolver, codes=neighbours)
        kept_rows = conn.execute(
            "SELECT count(*) FROM serving.account_insights AS i JOIN ledger.accounts AS a USING (account_id)"
            " WHERE i.months = 3 AND a.code = ANY(%s)",
            (neighbours,),
        ).fetchone()[0]
    assert computed == kept_rows == len(neighbours)
    path = f"/v1/accounts/{code}/insights"
    first = client.get(path, headers=full_key)
    assert first.status_code == 200, first.text
    assert first.headers["X-Read-Source"] == "precomputed"
    assert first.json()["spending_by_category"] and first.json()["window_ends_at"] == "latest_movement"
    # a second precomputation finds every kept row current and computes nothing; given a read store, it
    # keeps them there too, at the account's balance version (served from there while the views are fresh:
    # tests/serving/test_views.py)
    store = ViewStore(redis_server)
    with psycopg.connect(url) as conn:
        assert precompute_insights(conn, resolver, codes=neighbours, store=store) == (0, len(neighbours))
        version = conn.execute("SELECT version FROM ledger.balances WHERE account_id = %s", (account_id,)).fetchone()
    kept = store.redis.hgetall(f"view:insights:{code}:3")
    store.close()
    payload, served = json.loads(kept["payload"]), first.json()
    assert int(kept["version"]) == version[0]
    for part in ("spending_by_category", "monthly_cash_flow", "recurring_payments", "unusual_transactions"):
        assert len(payload[part]) == len(served[part]), part
    assert payload["spending_by_category"] == served["spending_by_category"]
    assert payload["monthly_cash_flow"] == served["monthly_cash_flow"]
    assert datetime.fromisoformat(payload["until"]) == datetime.fromisoformat(served["until"])
    with psycopg.connect(url) as conn:
        conn.execute("DELETE FROM serving.account_insights WHERE account_id = %s", (account_id,))
    computed_now = client.get(path, headers=full_key)
    assert computed_now.headers["X-Read-Source"] == "computed" and computed_now.json() == first.json()

    # the account moves: the next read computes (and sees the payment), the one after is served kept
    moved_at = first.json()["until"]
    service.ledger.move(
        p2p_out("kept-insights-1", code, Decimal("61.25"), payee=Counterparty("Kept Insights Test Payee"),
                effective_at=datetime.fromisoformat(moved_at) + timedelta(minutes=5))
    )  # fmt: skip
    fresh = client.get(path, headers=full_key)
    assert fresh.headers["X-Read-Source"] == "computed"
    assert fresh.json()["until"] > moved_at
    again = client.get(path, headers=full_key)
    assert again.headers["X-Read-Source"] == "precomputed" and again.json() == fresh.json()
    # a posting back-dated before the latest movement leaves the latest movement as it was: still computed
    service.ledger.move(
        p2p_out("kept-insights-2", code, Decimal("17.40"), payee=Counterparty("Kept Insights Back-dated Payee"),
                effective_at=datetime.fromisoformat(moved_at) - timedelta(days=2))
    )  # fmt: skip
    back_dated = client.get(path, headers=full_key)
    assert back_dated.headers["X-Read-Source"] == "computed" and back_dated.json()["until"] == fresh.json()["until"]
    assert back_dated.json() != fresh.json()  # the back-dated payment is in this window's cash flow
    # another window, or a day asked for, is computed for the request
    assert client.get(path, params={"months": 2}, headers=full_key).headers["X-Read-Source"] == "computed"
    dated = client.get(path, params={"as_of": moved_at[:10]}, headers=full_key)
    assert dated.headers["X-Read-Source"] == "computed" and dated.json()["window_ends_at"] == "requested"


def test_card_descriptors_are_resolved_once_per_merchant_index(
    service: ServiceState, accounts: list[tuple[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Insights resolve a card descriptor once per merchant index (model and catalogue version): a daily run
    over accounts that moved resolves their new card payments, not their three months again."""
    resolver = service.models.resolver
    assert resolver is not None and resolver.version is not None
    account_id = accounts[-1][1]
    url = service.settings.database_url.get_secret_value()  # type: ignore[union-attr]
    asked: list[list[str]] = []
    resolve_many = resolver.resolve_many

    def counted(descriptors: Sequence[str]) -> list[Resolution]:
        asked.append(list(descriptors))
        return resolve_many(descriptors)

    monkeypatch.setattr(resolver, "resolve_many", counted)
    key = {"model": resolver.version, "catalogue": resolver.catalogue_version}
    placed = (
        "SELECT count(*) FROM serving.merchant_resolutions"
        " WHERE model_version = %(model)s AND catalogue_version = %(catalogue)s"
    )
    with psycopg.connect(url) as conn:
        conn.execute("DELETE FROM serving.merchant_resolutions")
        first = account_insights(conn, account_id, "USD", resolver, months=3)
        assert len(asked) == 1 and conn.execute(placed, key).fetchone()[0] == len(set(asked[0])) > 0
        # computed again: every descriptor read back, none resolved, the same insights
        assert account_insights(conn, account_id, "USD", resolver, months=3) == first and len(asked) == 1
        # what is kept is what serves (a category changed in the kept rows shows; put back after)
        top = next(c["category"] for c in first["spending_by_category"] if c["category"] != "unresolved")
        conn.execute("UPDATE serving.merchant_resolutions SET category = 'kept_test' WHERE category = %s", (top,))
        spending = account_insights(conn, account_id, "USD", resolver, months=3)["spending_by_category"]
        conn.execute("UPDATE serving.merchant_resolutions SET category = %s WHERE category = 'kept_test'", (top,))
        assert "kept_test" in {c["category"] for c in spending} and top not in {c["category"] for c in spending}
        # another catalogue version (analysts' changes) resolves them anew
        monkeypatch.setattr(resolver, "catalogue_version", resolver.catalogue_version + 1)
        assert account_insights(conn, account_id, "USD", resolver, months=3) == first and len(asked) == 2
