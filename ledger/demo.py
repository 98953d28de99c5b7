"""The ledger part of `make demo`: a small bank's first week, posted through the public API.

Every reference id and timestamp is fixed, so running the demo again replays instead of posting twice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rich.console import Console
from rich.table import Table

from ledger.client import Ledger
from ledger.errors import InsufficientFunds
from ledger.model import AccountType, Fee, Leg, Transfer
from ledger.money import canonical
from ledger.schema import migrate

DAY0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

ACCOUNTS = [
    ("DEMO-BANK-SAFEGUARD-USD", "Safeguarding bank account", AccountType.ASSET, "USD"),
    ("DEMO-BANK-SAFEGUARD-EUR", "Safeguarding bank account", AccountType.ASSET, "EUR"),
    ("DEMO-EQUITY-USD", "Founders' capital", AccountType.EQUITY, "USD"),
    ("DEMO-FEES-USD", "Fee revenue", AccountType.REVENUE, "USD"),
    ("DEMO-CARD-SETTLEMENT-USD", "Card scheme settlement", AccountType.LIABILITY, "USD"),
    ("DEMO-CUST-ALICE-USD", "Alice (USD)", AccountType.LIABILITY, "USD"),
    ("DEMO-CUST-ALICE-EUR", "Alice (EUR)", AccountType.LIABILITY, "EUR"),
    ("DEMO-CUST-BOB-USD", "Bob (USD)", AccountType.LIABILITY, "USD"),
]


def run_demo(url: str, console: Console) -> None:
    applied = migrate(url)
    console.print(f"[bold]ledger schema[/bold]: {len(applied)} migration(s) applied")
    with Ledger(url, pool_size=2) as ledger:
        for code, name, type_, currency in ACCOUNTS:
            ledger.open_account(code, name, type_, currency)
        console.print(f"[bold]accounts[/bold]: {len(ACCOUNTS)} open (FX clearing accounts open on first use)")

        ledger.post(
            "demo:capital",
            [Leg.debit("DEMO-BANK-SAFEGUARD-USD", "250000"), Leg.credit("DEMO-EQUITY-USD", "250000")],
            "Founders' capital",
            effective_at=DAY0,
        )
        batch = ledger.post_many(
            [
                Transfer(
                    "demo:salary:alice",
                    [Leg.debit("DEMO-BANK-SAFEGUARD-USD", "4200.00"), Leg.credit("DEMO-CUST-ALICE-USD", "4200.00")],
                    "Salary ACME Corp",
                    effective_at=DAY0 + timedelta(hours=1),
                ),
                Transfer(
                    "demo:salary:bob",
                    [Leg.debit("DEMO-BANK-SAFEGUARD-USD", "3100.50"), Leg.credit("DEMO-CUST-BOB-USD", "3100.50")],
                    "Salary Globex",
                    effective_at=DAY0 + timedelta(hours=1),
                ),
                Transfer(
                    "demo:p2p:alice-bob",
                    [Leg.debit("DEMO-CUST-ALICE-USD", "75.25"), Leg.credit("DEMO-CUST-BOB-USD", "75.25")],
                    "Dinner split",
                    effective_at=DAY0 + timedelta(days=1),
                ),
                Transfer(
                    "demo:fee:alice",
                    [Leg.debit("DEMO-CUST-ALICE-USD", "1.00"), Leg.credit("DEMO-FEES-USD", "1.00")],
                    "Monthly fee",
                    effective_at=DAY0 + timedelta(days=1),
                ),
            ]
        )
        console.print(f"[bold]post_many[/bold]: {batch.posted} posted, {batch.replayed} replayed")

        hold = ledger.hold(
            "demo:card:bob:coffee",
            "DEMO-CUST-BOB-USD",
            "DEMO-CARD-SETTLEMENT-USD",
            "12.00",
            DAY0 + timedelta(days=9),
            description="BLUE BOTTLE COFFEE SF",
            effective_at=DAY0 + timedelta(days=2),
        )
        captured = ledger.capture(hold.hold_id, "9.75", effective_at=DAY0 + timedelta(days=3))
        console.print(f"[bold]card[/bold]: authorised 12.00, captured {canonical(captured.legs[0].amount)}")

        fx = ledger.convert(
            "demo:fx:alice",
            "DEMO-CUST-ALICE-USD",
            "DEMO-CUST-ALICE-EUR",
            "1000.00",
            "0.9137",
            fee=Fee("2.50", "DEMO-FEES-USD"),
            effective_at=DAY0 + timedelta(days=4),
        )
        console.print(
            f"[bold]fx[/bold]: 1000.00 USD → {fx.metadata['fx']['target_amount']} EUR at 0.9137, fee 2.50 USD"
        )

        refund = ledger.reverse(
            captured.journal_id, "demo:refund:bob:coffee", "merchant refund", effective_at=DAY0 + timedelta(days=5)
        )
        console.print(f"[bold]reversal[/bold]: journal {refund.journal_id} reverses {refund.reverses_journal_id}")

        try:
            ledger.post(
                "demo:overdraft:bob",
                [Leg.debit("DEMO-CUST-BOB-USD", "99999.00"), Leg.credit("DEMO-CUST-ALICE-USD", "99999.00")],
                effective_at=DAY0 + timedelta(days=6),
            )
        except InsufficientFunds as exc:
            console.print(f"[bold]refused[/bold]: {exc.detail}")

        table = Table("account", "currency", "posted", "held", "available", title="Balances")
        for code, *_ in [*ACCOUNTS, ("FX-CLEARING-EUR",)]:
            bal = ledger.balance(code)
            table.add_row(code, bal.currency, canonical(bal.posted), canonical(bal.held), canonical(bal.available))
        console.print(table)
    console.print("Inspect: fintra ledger statement DEMO-CUST-ALICE-USD --start 2026-01-01 --end 2026-02-01")
