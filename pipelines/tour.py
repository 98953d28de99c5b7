"""The demo's API tour: the real service on 127.0.0.1 with a fresh key, a few transfers scored and decided,
an idempotent replay, merchant resolution and an account's insights, printed as they happen."""

from __future__ import annotations

import logging
import socket
import threading
import time
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import psycopg
import uvicorn
from rich.console import Console

from fintra.settings import Settings
from serving.app import create_app
from serving.keys import SCOPES, create_key
from serving.schema import migrate
from serving.tenants import OPERATORS

DESCRIPTORS = ("SQ *BLUE BOTTLE COFFEE #0412 OAKLAND CA", "AMZN Mktp US*2K3L45 Amzn.com/bill WA", "PAYROLL ACME CORP")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def funded_accounts(url: str, count: int = 2) -> list[str]:
    """The `count` USD customer accounts with the most available funds (more than 1,000 each)."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT a.code FROM ledger.accounts AS a JOIN ledger.balances AS b USING (account_id)"
            " WHERE a.customer_id IS NOT NULL AND a.currency = 'USD' AND b.available > 1000"
            " ORDER BY b.available DESC LIMIT %s",
            (count,),
        ).fetchall()
    if len(rows) < count:
        raise LookupError(f"the ledger has fewer than {count} USD customers with more than 1,000 to move")
    return [row[0] for row in rows]


def _decision(console: Console, what: str, response: httpx.Response) -> None:
    body: dict[str, Any] = response.json()
    said = [f"{r['rule']}: {r['reason']}" for r in body.get("rules", [])]
    said += [f"{r['label']} (+{r['contribution']:.4f})" for r in body.get("reasons", [])]
    console.print(
        f"[bold]{what}[/bold]: HTTP {response.status_code} {body.get('decision', body.get('title'))}"
        f" score {body.get('score', 0):.4f} (model v{body.get('model', {}).get('version')})"
        f" journal {body.get('journal_id')} hold {body.get('hold_id')}; why: {'; '.join(said) or 'nothing unusual'}"
    )


def api_tour(url: str, settings: Settings, console: Console, *, as_of: date) -> None:
    migrate(url)
    with psycopg.connect(url, autocommit=True) as conn:
        token = create_key(conn, "demo", list(SCOPES), 6000, tenant_id=OPERATORS)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    # The tour narrates each call itself: the server's start-up lines and access log (JSON on stderr, for
    # a deployment's log pipeline) would interleave with it on the terminal. Restored in `finally`.
    quieted = {name: logging.getLogger(name).level for name in ("uvicorn.error", "serving.access")}
    for name in quieted:
        logging.getLogger(name).setLevel(logging.WARNING)
    thread = threading.Thread(target=server.run, name="api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.1)
    try:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as api:
            ready = api.get("/readyz").json()
            console.print(f"API on http://127.0.0.1:{port}: {ready['checks']}")
            if not ready["ready"]:
                console.print("[yellow]the API is not ready (see checks): no transfers sent[/yellow]")
                return
            payer, payee = funded_accounts(url)
            p2p = {
                "from_account": payer,
                "to_account": payee,
                "amount": "25.00",
                "currency": "USD",
                "description": "dinner",
            }
            key = uuid.uuid4().hex
            _decision(
                console,
                f"P2P {payer} → {payee} 25.00 USD",
                api.post("/v1/transfers", json=p2p, headers={"Idempotency-Key": key}),
            )
            again = api.post("/v1/transfers", json=p2p, headers={"Idempotency-Key": key})
            console.print(
                f"same Idempotency-Key again: HTTP {again.status_code},"
                f" Idempotent-Replayed: {again.headers['idempotent-replayed']}"
            )
            balance = api.get(f"/v1/accounts/{payer}/balance").json()
            wire = {
                "from_account": payer,
                "to_account": "SAFEGUARD-USD",
                "amount": str((Decimal(balance["available"]) * Decimal("0.9")).quantize(Decimal("0.01"))),
                "currency": "USD",
                "counterparty_name": "Dragomir Petrenco",
                "description": "consulting",
            }
            _decision(
                console,
                "wire of 90% of the balance to a watch-listed name's alias",
                api.post("/v1/transfers", json=wire, headers={"Idempotency-Key": uuid.uuid4().hex}),
            )
            resolved = api.post("/v1/merchants/resolve", json={"descriptors": list(DESCRIPTORS)}).json()["results"]
            for r in resolved:
                console.print(
                    f"resolve {r['descriptor']!r}: {r['status']} {r['name'] or ''} {r['category'] or ''}"
                    f" ({r['confidence']})"
                )
            insights = api.get(
                f"/v1/accounts/{payer}/insights", params={"as_of": as_of.isoformat(), "months": 3}
            ).json()
            top = ", ".join(f"{c['category']} {c['amount']}" for c in insights["spending_by_category"][:4])
            console.print(
                f"insights for {payer}: top spending {top}; {len(insights['recurring_payments'])} recurring payments"
            )
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        for name, level in quieted.items():
            logging.getLogger(name).setLevel(level)
