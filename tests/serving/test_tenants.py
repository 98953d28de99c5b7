"""Object-level authorisation: every key belongs to a tenant; an app tenant acts only on the customers and
accounts granted to it, everything else answers as if it did not exist; idempotency keys are the tenant's
own; revocations reach every worker within a second; failed sign-ins are throttled."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient

import serving.state as state_module
from fintra.settings import Settings
from pipelines.tour import free_port
from serving.keys import create_key, revoke_key
from serving.signins import SignInThrottle
from serving.state import ServiceState
from serving.tenants import TenantError, create_tenant, grant, revoke_grants
from tests.serving.conftest import key

APP_SCOPES = ("transfers:write", "score", "insights:read", "reports:read", "cases:read")
PER_REQUEST = ("detail", "context", "correlation_id", "instance")  # what names the request, not the account


def _url(settings: Settings) -> str:
    assert settings.database_url is not None
    return settings.database_url.get_secret_value()


@pytest.fixture(scope="module")
def two_apps(serving_settings: Settings) -> dict[str, dict[str, str]]:
    """Tenants A and B, each granted one retail customer; per tenant its account, customer and key."""
    with psycopg.connect(_url(serving_settings), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT DISTINCT ON (c.customer_id) a.code, c.external_ref FROM ledger.accounts a"
            " JOIN ledger.balances b USING (account_id) JOIN ledger.customers c USING (customer_id)"
            " WHERE c.segment = 'RETAIL' AND a.currency = 'USD' AND b.available > 500"
            " ORDER BY c.customer_id DESC, a.code LIMIT 2"
        ).fetchall()
        apps = {}
        for name, (account, customer) in zip(("a", "b"), rows, strict=True):
            tenant = f"t-app-{name}-{uuid.uuid4().hex[:6]}"
            create_tenant(conn, tenant, f"App {name.upper()}", "app")
            grant(conn, tenant, customers=[customer])
            token = create_key(conn, f"app {name}", list(APP_SCOPES), 100_000, tenant_id=tenant)
            apps[name] = {"tenant": tenant, "account": account, "customer": customer, "key": token}
    return apps


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _transfer(payer: str, amount: str = "3.00") -> dict[str, str]:
    return {
        "from_account": payer,
        "to_account": "SAFEGUARD-USD",
        "amount": amount,
        "currency": "USD",
        "counterparty_name": "Greenfield Utilities",
    }


def _within_a_second(refused: Callable[[], bool]) -> bool:
    """Whether `refused()` holds within one second of now (polled; the bound the issue sets)."""
    deadline = time.monotonic() + 1.0
    while not refused():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _available(settings: Settings, code: str) -> Decimal:
    with psycopg.connect(_url(settings)) as conn:
        return conn.execute(
            "SELECT available FROM ledger.balances JOIN ledger.accounts USING (account_id) WHERE code = %s", (code,)
        ).fetchone()[0]


def test_an_app_tenant_reads_and_moves_only_what_it_was_granted(
    client: TestClient, serving_settings: Settings, two_apps: dict[str, dict[str, str]], full_key: dict[str, str]
) -> None:
    a, b = two_apps["a"], two_apps["b"]
    mine = client.get(f"/v1/accounts/{a['account']}/balance", headers=_auth(a["key"]))
    assert mine.status_code == 200, mine.text
    nowhere = client.get("/v1/accounts/NO-SUCH-ACCOUNT/balance", headers=_auth(a["key"]))
    for code in (b["account"], "SAFEGUARD-USD"):
        theirs = client.get(f"/v1/accounts/{code}/balance", headers=_auth(a["key"]))
        assert theirs.status_code == 404, code
        # exactly what an account that does not exist gets: the code's existence does not leak
        assert {k: v for k, v in theirs.json().items() if k not in PER_REQUEST} == {
            k: v for k, v in nowhere.json().items() if k not in PER_REQUEST
        }
        assert client.get(f"/v1/accounts/{code}/insights", headers=_auth(a["key"])).status_code == 404
    before = _available(serving_settings, b["account"])
    debit = client.post(
        "/v1/transfers", json=_transfer(b["account"]), headers={**_auth(a["key"]), "Idempotency-Key": uuid.uuid4().hex}
    )
    assert debit.status_code == 404 and debit.json()["field"] == "from_account"
    assert _available(serving_settings, b["account"]) == before  # nothing held, nothing posted
    scored = client.post("/v1/score", json=_transfer(b["account"]), headers=_auth(a["key"]))
    assert scored.status_code == 404 and scored.json()["field"] == "from_account"
    assert client.post("/v1/score", json=_transfer(a["account"]), headers=_auth(a["key"])).status_code == 200
    # compliance work is the operators': an app sees neither cases nor reports, whatever its scopes
    assert client.get("/v1/cases", headers=_auth(a["key"])).status_code == 403
    assert client.get("/v1/reports", headers=_auth(a["key"])).status_code == 403
    # an operator key reaches everything
    assert client.get(f"/v1/accounts/{b['account']}/balance", headers=full_key).status_code == 200
    assert client.get("/v1/accounts/SAFEGUARD-USD/balance", headers=full_key).status_code == 200


def test_idempotency_keys_are_the_tenants_own(client: TestClient, two_apps: dict[str, dict[str, str]]) -> None:
    a, b = two_apps["a"], two_apps["b"]
    shared = f"order-{uuid.uuid4().hex}"
    first = client.post(
        "/v1/transfers", json=_transfer(a["account"]), headers={**_auth(a["key"]), "Idempotency-Key": shared}
    )
    assert first.status_code in (201, 202, 402), first.text
    again = client.post(
        "/v1/transfers", json=_transfer(a["account"]), headers={**_auth(a["key"]), "Idempotency-Key": shared}
    )
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()
    # B sending the same key and A's body learns nothing of A's answer, nor blocks its own key
    probe = client.post(
        "/v1/transfers", json=_transfer(a["account"]), headers={**_auth(b["key"]), "Idempotency-Key": shared}
    )
    assert probe.status_code == 404 and probe.headers.get("idempotent-replayed") != "true"
    own = client.post(
        "/v1/transfers", json=_transfer(b["account"]), headers={**_auth(b["key"]), "Idempotency-Key": shared}
    )
    assert own.status_code in (201, 202, 402) and own.headers["idempotent-replayed"] == "false", own.text


def test_a_withdrawn_grant_applies_within_a_second(
    client: TestClient, serving_settings: Settings, two_apps: dict[str, dict[str, str]]
) -> None:
    with psycopg.connect(_url(serving_settings), autocommit=True) as conn:
        tenant = f"t-short-{uuid.uuid4().hex[:6]}"
        create_tenant(conn, tenant, "Short-lived app", "app")
        grant(conn, tenant, accounts=[two_apps["a"]["account"]])
        token = create_key(conn, "short", ["insights:read"], 100_000, tenant_id=tenant)
        path = f"/v1/accounts/{two_apps['a']['account']}/balance"
        assert client.get(path, headers=_auth(token)).status_code == 200
        assert revoke_grants(conn, tenant, accounts=[two_apps["a"]["account"]]) == 1
    assert _within_a_second(lambda: client.get(path, headers=_auth(token)).status_code == 404)


def test_tenant_and_grant_mistakes_are_refused_naming_the_field(serving_settings: Settings) -> None:
    with psycopg.connect(_url(serving_settings), autocommit=True) as conn:
        with pytest.raises(TenantError, match=r"^tenant:"):
            create_tenant(conn, "Not Valid!", "x", "app")
        with pytest.raises(TenantError, match=r"^kind:"):
            create_tenant(conn, "t-kind", "x", "superuser")
        with pytest.raises(TenantError, match=r"^tenant: no tenant"):
            grant(conn, "t-missing", customers=["C1"])
        create_tenant(conn, "t-mistakes", "Mistakes", "app")
        with pytest.raises(TenantError, match=r"^customers: no such customer 'NOPE-1'"):
            grant(conn, "t-mistakes", customers=["NOPE-1"])
        with pytest.raises(TenantError, match=r"^tenant: 'operators' is an operator tenant"):
            grant(conn, "operators", accounts=["SAFEGUARD-USD"])
        with pytest.raises(ValueError, match="pii:read is for operator tenants"):
            create_key(conn, "x", ["pii:read"], 10, tenant_id="t-mistakes")
        with pytest.raises(TenantError, match=r"^tenant: no tenant"):
            create_key(conn, "x", ["score"], 10, tenant_id="t-missing")


@pytest.fixture
def strict_throttle(service: ServiceState) -> Iterator[SignInThrottle]:
    """The service's sign-in throttle, strict for one test (restored after)."""
    kept = service.signins
    service.signins = SignInThrottle(per_address=6, per_key=3, window=60)
    yield service.signins
    service.signins = kept


def test_failed_sign_ins_are_throttled_per_key_and_address(
    client: TestClient, serving_settings: Settings, strict_throttle: SignInThrottle
) -> None:
    token = key(serving_settings, "insights:read")
    key_id = token.split("_")[1]
    wrong = f"fk_{key_id}_{'x' * 43}"
    codes = [client.get("/v1/accounts/X/balance", headers=_auth(wrong)).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    # the key's own secret waits too, before any lookup: throttled guesses learn nothing
    limited = client.get("/v1/accounts/SAFEGUARD-USD/balance", headers=_auth(token))
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert limited.json()["field"] == "Authorization"
    # other key ids from the same address, up to the address's limit
    others = [
        client.get("/v1/accounts/X/balance", headers=_auth(f"fk_{uuid.uuid4().hex[:12]}_{'y' * 43}")).status_code
        for _ in range(4)
    ]
    assert others == [401, 401, 401, 429]  # 3 + 3 failures from this address, then its limit of 6


def test_the_cache_of_tokens_is_bounded(service: ServiceState, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state_module, "KEY_CACHE_SIZE", 50)
    for _ in range(120):
        assert service.principal(f"fk_{uuid.uuid4().hex[:12]}_{uuid.uuid4().hex}") is None
    assert len(service._keys) <= 50


def test_a_revoked_key_is_refused_by_every_worker_within_a_second(serving_settings: Settings, tmp_path: Path) -> None:
    token = key(serving_settings, "insights:read")
    port = free_port()
    env = {
        **os.environ,
        "FINTRA_HOME": str(serving_settings.home),
        "FINTRA_DATABASE_URL": _url(serving_settings),
        "FINTRA_LAKE_URL": serving_settings.resolved_lake_url,
        "FINTRA_LOG_LEVEL": "WARNING",
    }
    fintra = Path(sys.executable).with_name("fintra")
    with (
        (tmp_path / "serve.log").open("w") as log,
        subprocess.Popen(
            [str(fintra), "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        ) as server,
    ):
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            with httpx.Client(base_url=base, timeout=10) as http:
                while time.monotonic() < deadline:
                    try:
                        if http.get("/readyz").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    time.sleep(0.5)
                else:
                    pytest.fail((tmp_path / "serve.log").read_text()[-2000:])
                for _ in range(40):  # new connections: the kernel spreads them over both workers, which cache it
                    with httpx.Client(base_url=base, timeout=10) as fresh:
                        response = fresh.get("/v1/accounts/SAFEGUARD-USD/balance", headers=_auth(token))
                        assert response.status_code == 200
                with psycopg.connect(_url(serving_settings), autocommit=True) as conn:
                    assert revoke_key(conn, token.split("_")[1])

                seen: list[int] = []

                def all_refused() -> bool:  # ten new connections, spread over both workers
                    path = f"{base}/v1/accounts/SAFEGUARD-USD/balance"
                    codes = [httpx.get(path, headers=_auth(token)).status_code for _ in range(10)]
                    seen.extend(codes)
                    return all(code in (401, 429) for code in codes)

                assert _within_a_second(all_refused)
                after = []
                for _ in range(40):
                    with httpx.Client(base_url=base, timeout=10) as fresh:
                        after.append(fresh.get("/v1/accounts/SAFEGUARD-USD/balance", headers=_auth(token)).status_code)
                # refused by both workers (401), and after a few refusals of one key id throttled as failed
                # sign-ins (429): how many 401s come before the throttle depends on how fast the polls ran
                assert 401 in seen + after and set(after) <= {401, 429}, (seen, after)
        finally:
            server.terminate()
            server.wait(timeout=30)


def test_the_cli_creates_tenants_grants_and_keys_all_or_nothing(
    serving_settings: Settings, two_apps: dict[str, dict[str, str]]
) -> None:
    env = {**os.environ, "FINTRA_DATABASE_URL": _url(serving_settings), "FINTRA_HOME": str(serving_settings.home)}
    env["COLUMNS"] = "200"
    fintra = str(Path(sys.executable).with_name("fintra"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([fintra, *args], env=env, capture_output=True, text=True, timeout=120)

    tenant = f"t-cli-{uuid.uuid4().hex[:6]}"
    assert run("tenant", "create", tenant, "--name", "CLI app").returncode == 0
    customer = two_apps["a"]["customer"]
    refused = run("tenant", "grant", tenant, "--customers", f"{customer},NOPE-9")
    assert refused.returncode == 2 and "no such customer 'NOPE-9'" in refused.stdout + refused.stderr
    # personal data is for operators: the key is refused, and the grant asked with it is not made either
    pii = run("apikey", "create", "--name", "x", "--tenant", tenant, "--customers", customer, "--scopes", "pii:read")
    assert pii.returncode == 2 and "pii:read is for operator tenants" in pii.stdout + pii.stderr
    listed = run("tenant", "list")
    assert listed.returncode == 0
    assert any(tenant in line and " 0 " in line for line in listed.stdout.splitlines()), listed.stdout
    made = run("apikey", "create", "--name", "x", "--tenant", tenant, "--customers", customer, "--scopes", "score")
    assert made.returncode == 0 and made.stdout.strip().splitlines()[-1].startswith("fk_")
    assert "1 grant(s) withdrawn" in run("tenant", "revoke", tenant, "--customers", customer).stdout


def test_operators_administer_tenants_grants_and_keys_over_the_api(
    client: TestClient, serving_settings: Settings, two_apps: dict[str, dict[str, str]]
) -> None:
    admin = _auth(key(serving_settings, "tenants:admin"))
    assert client.get("/v1/tenants", headers=_auth(key(serving_settings, "reports:read"))).status_code == 403
    assert client.get("/v1/tenants", headers=_auth(two_apps["a"]["key"])).status_code == 403
    tenant = f"t-api-{uuid.uuid4().hex[:6]}"
    made = client.post("/v1/tenants", json={"tenant_id": tenant, "name": "Budget app"}, headers=admin)
    assert made.status_code == 201 and made.json()["kind"] == "app", made.text
    again = client.post("/v1/tenants", json={"tenant_id": tenant, "name": "Other", "kind": "operator"}, headers=admin)
    assert again.status_code == 422 and again.json()["field"] == "tenant", again.text

    customer, account = two_apps["b"]["customer"], two_apps["b"]["account"]
    granted = client.post(f"/v1/tenants/{tenant}/grants", json={"customers": [customer]}, headers=admin)
    assert granted.status_code == 200 and granted.json()["changed"] == 1, granted.text
    listed = {t["tenant_id"]: t for t in client.get("/v1/tenants", headers=admin).json()}
    assert listed[tenant]["customers"] == 1

    made_key = client.post(
        f"/v1/tenants/{tenant}/keys", json={"name": "app key", "scopes": ["insights:read"]}, headers=admin
    )
    assert made_key.status_code == 201, made_key.text
    app = _auth(made_key.json()["token"])
    assert client.get(f"/v1/accounts/{account}/balance", headers=app).status_code == 200
    assert client.get(f"/v1/accounts/{two_apps['a']['account']}/balance", headers=app).status_code == 404

    withdrawn = client.post(f"/v1/tenants/{tenant}/grants/revoke", json={"customers": [customer]}, headers=admin)
    assert withdrawn.status_code == 200 and withdrawn.json()["changed"] == 1
    assert _within_a_second(lambda: client.get(f"/v1/accounts/{account}/balance", headers=app).status_code == 404)
    gone = client.delete(f"/v1/keys/{made_key.json()['key_id']}", headers=admin)
    assert gone.status_code == 204
    assert _within_a_second(lambda: client.get(f"/v1/accounts/{account}/balance", headers=app).status_code == 401)
    assert client.delete(f"/v1/keys/{made_key.json()['key_id']}", headers=admin).status_code == 404

    # mistakes, each named: an app may not hold operator scopes; unknown tenants and customers
    operator_scope = client.post(
        f"/v1/tenants/{tenant}/keys", json={"name": "x", "scopes": ["tenants:admin"]}, headers=admin
    )
    assert operator_scope.status_code == 422 and operator_scope.json()["field"] == "scopes", operator_scope.text
    nobody = client.post("/v1/tenants/t-nobody-here/grants", json={"customers": [customer]}, headers=admin)
    assert nobody.status_code == 404 and nobody.json()["field"] == "tenant_id", nobody.text
    unknown = client.post(f"/v1/tenants/{tenant}/grants", json={"customers": ["NO-SUCH-REF"]}, headers=admin)
    assert unknown.status_code == 422 and unknown.json()["field"] == "customers", unknown.text
