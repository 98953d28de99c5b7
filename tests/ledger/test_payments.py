"""Typed payment semantics: every movement of a customer's money says how it moved, with whom and where;
the helpers of `ledger.movements` set them by convention; bad values are refused naming the caller's
field and write nothing; the migration maps the metadata convention that preceded them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from importlib import resources

import psycopg
import pytest

from fintra.database import create_database
from fintra.migrations import load_migrations
from fintra.migrations import migrate as migrate_component
from ledger import (
    AccountSpec,
    AccountType,
    Channel,
    Counterparty,
    CustomerProfile,
    IdempotencyConflict,
    InvalidRequest,
    Ledger,
    Leg,
    Transfer,
    UnknownAccount,
    ach_in,
    ach_out,
    cash_deposit,
    cash_withdrawal,
    p2p,
    p2p_in,
    p2p_out,
    wire_in,
    wire_out,
)
from ledger.model import HoldRequest
from tests.ledger.helpers import counts

WHEN = datetime(2026, 2, 10, 12, tzinfo=UTC)
SG, VAULT = "SAFEGUARD-USD", "CASH-VAULT-USD"
ACME = Counterparty("Acme Trading Ltd", "GB29NWBK60161331926819", "NWBKGB2L", "GB")


@dataclass(frozen=True)
class Bank:
    alice: str
    bob: str
    alice_eur: str


@pytest.fixture(scope="module")
def bank(ledger: Ledger) -> Bank:
    """The platform's rails (safeguarding, cash vault, fees) and two customers with accounts."""
    for currency in ("USD", "EUR"):
        # the platform's rails may run negative here: these tests fund no capital
        ledger.open_account(f"SAFEGUARD-{currency}", "Safeguarding", "ASSET", currency, allow_negative=True)
        ledger.open_account(
            f"CASH-VAULT-{currency}", "Vault", "ASSET", currency, allow_negative=True, metadata={"role": "cash_vault"}
        )
    ledger.open_account("FEES-USD", "Fees", "REVENUE", "USD")
    ids = ledger.register_customers(
        [
            CustomerProfile(
                ref,
                "US",
                "teacher",
                "RETAIL",
                "LOW",
                WHEN - timedelta(days=400),
                name,
                f"{ref}@x.com",
                date(1980, 1, 1),
            )
            for ref, name in (("PAY-A", "Alice Able"), ("PAY-B", "Bob Baker"))
        ]
    )
    specs = [
        AccountSpec("PAY-A-USD", "Alice", AccountType.LIABILITY, "USD", customer_id=ids["PAY-A"]),
        AccountSpec("PAY-A-EUR", "Alice EUR", AccountType.LIABILITY, "EUR", customer_id=ids["PAY-A"]),
        AccountSpec("PAY-B-USD", "Bob", AccountType.LIABILITY, "USD", customer_id=ids["PAY-B"]),
    ]
    for result in ledger.open_accounts(specs):
        assert not isinstance(result, Exception), result
    ledger.move(cash_deposit("pay-seed-a", "PAY-A-USD", "50000", location="BR-NYC-001", effective_at=WHEN))
    ledger.move(cash_deposit("pay-seed-b", "PAY-B-USD", "5000", location="BR-NYC-001", effective_at=WHEN))
    return Bank("PAY-A-USD", "PAY-B-USD", "PAY-A-EUR")


def _row(conn: psycopg.Connection, reference: str) -> tuple:
    row = conn.execute(
        "SELECT channel, counterparty_name, counterparty_account, counterparty_institution, counterparty_country,"
        " location FROM ledger.journal_entries WHERE reference_id = %s",
        (reference,),
    ).fetchone()
    assert row is not None, reference
    return row


def _legs(conn: psycopg.Connection, reference: str) -> list[tuple[str, str, Decimal]]:
    return conn.execute(
        "SELECT a.code, e.direction, e.amount FROM ledger.entries e JOIN ledger.accounts a USING (account_id)"
        " JOIN ledger.journal_entries j USING (journal_id) WHERE j.reference_id = %s ORDER BY e.leg_no",
        (reference,),
    ).fetchall()


def test_each_helper_posts_the_conventional_entry(
    bank: Bank, ledger: Ledger, conn: psycopg.Connection, uid: str
) -> None:
    at = WHEN + timedelta(hours=1)
    cases = [
        (cash_deposit(f"{uid}-cd", bank.alice, "900", location="ATM-42", effective_at=at),
         ("CASH_DEPOSIT", None, None, None, None, "ATM-42"), [(VAULT, "DEBIT"), (bank.alice, "CREDIT")]),
        (cash_withdrawal(f"{uid}-cw", bank.alice, "200", location="BR-NYC-001", effective_at=at),
         ("CASH_WITHDRAWAL", None, None, None, None, "BR-NYC-001"), [(bank.alice, "DEBIT"), (VAULT, "CREDIT")]),
        (wire_out(f"{uid}-wo", bank.alice, "1000", beneficiary=ACME, effective_at=at),
         ("WIRE", "Acme Trading Ltd", "GB29NWBK60161331926819", "NWBKGB2L", "GB", None),
         [(bank.alice, "DEBIT"), (SG, "CREDIT")]),
        (wire_in(f"{uid}-wi", bank.alice, "1000", sender="Globex Corp", effective_at=at),
         ("WIRE", "Globex Corp", None, None, None, None), [(SG, "DEBIT"), (bank.alice, "CREDIT")]),
        (ach_in(f"{uid}-ai", bank.alice, "2500", sender=Counterparty("Initech Payroll", "021000021-99"),
                effective_at=at),
         ("ACH", "Initech Payroll", "021000021-99", None, None, None), [(SG, "DEBIT"), (bank.alice, "CREDIT")]),
        (ach_out(f"{uid}-ao", bank.alice, "1200", beneficiary="Oak Street Lettings", effective_at=at),
         ("ACH", "Oak Street Lettings", None, None, None, None), [(bank.alice, "DEBIT"), (SG, "CREDIT")]),
        (p2p(f"{uid}-pp", bank.alice, bank.bob, "45.50", effective_at=at),
         ("P2P", None, None, None, None, None), [(bank.alice, "DEBIT"), (bank.bob, "CREDIT")]),
        (p2p_in(f"{uid}-pi", bank.bob, "80", payer=Counterparty("Carol Outsider", "ext-555"), effective_at=at),
         ("P2P", "Carol Outsider", "ext-555", None, None, None), [(SG, "DEBIT"), (bank.bob, "CREDIT")]),
        (p2p_out(f"{uid}-po", bank.bob, "30", payee="Dan Outsider", effective_at=at),
         ("P2P", "Dan Outsider", None, None, None, None), [(bank.bob, "DEBIT"), (SG, "CREDIT")]),
    ]  # fmt: skip
    for movement, details, sides in cases:
        entry = ledger.move(movement)
        assert entry.channel == Channel(details[0])
        assert (entry.counterparty.name if entry.counterparty else None) == details[1]
        assert entry.location == details[5]
        assert _row(conn, movement.reference_id) == details, movement.reference_id
        assert [(code, side) for code, side, _ in _legs(conn, movement.reference_id)] == sides
        assert ledger.journal(entry.journal_id).counterparty == entry.counterparty
    assert ledger.move(cases[0][0]).replayed  # the same movement again is a replay


def test_post_many_takes_movements_beside_transfers(
    bank: Bank, ledger: Ledger, conn: psycopg.Connection, uid: str
) -> None:
    result = ledger.post_many(
        [
            wire_out(f"{uid}-1", bank.alice, "10", beneficiary=ACME, effective_at=WHEN),
            Transfer(f"{uid}-2", [Leg.debit(bank.alice, "5"), Leg.credit(bank.bob, "5")], channel="p2p"),
            wire_out(f"{uid}-3", "NO-SUCH-ACCOUNT", "10", beneficiary=ACME),
            Transfer(f"{uid}-4", [Leg.debit(bank.alice, "5"), Leg.credit(bank.bob, "5")], channel="Telepathy"),
        ]
    )
    assert result.posted == 2
    assert [(r.index, r.error.field) for r in result.rejected] == [
        (2, "transfers[2].account"),
        (3, "transfers[3].channel"),
    ]
    assert isinstance(result.rejected[0].error, UnknownAccount)
    assert _row(conn, f"{uid}-2")[0] == "P2P"


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"channel": "WIRES", "counterparty": ACME}, "channel", "unknown channel"),
        ({}, "channel", "channel is required"),
        ({"channel": "WIRE"}, "counterparty", "counterparty is required for WIRE"),
        ({"channel": "ACH", "counterparty": Counterparty(" ")}, "counterparty.name", "must not be empty"),
        ({"channel": "WIRE", "counterparty": Counterparty("Acme", country="gb")}, "counterparty.country", "ISO 3166"),
        ({"channel": "WIRE", "counterparty": Counterparty("Ac\x00me")}, "counterparty.name", "control"),
        (
            {"channel": "WIRE", "counterparty": Counterparty("Acme", account="12;DROP")},
            "counterparty.account",
            "letters",
        ),
        ({"channel": "WIRE", "counterparty": Counterparty("x" * 201)}, "counterparty.name", "longer than 200"),
        ({"channel": "CASH_DEPOSIT", "location": "\u202eATM"}, "location", "control"),
        ({"metadata": {"Channel": "Wirez"}}, "metadata.Channel", "unknown channel"),
        ({"metadata": {"channel": "wire"}}, "counterparty", "counterparty is required"),
        ({"metadata": {"channel": "wire", "counterparty_account": "123"}}, "metadata.counterparty_account", "name"),
        ({"channel": "P2P"}, "counterparty", "outside the platform"),
    ],
)
def test_bad_payment_details_are_refused_naming_the_field_and_write_nothing(
    bank: Bank, ledger: Ledger, conn: psycopg.Connection, uid: str, kwargs: dict, field: str, message: str
) -> None:
    before = counts(conn)
    with pytest.raises(InvalidRequest) as refused:
        ledger.post(f"{uid}-bad", [Leg.debit(bank.alice, "1"), Leg.credit("SAFEGUARD-USD", "1")], **kwargs)
    assert refused.value.field == field
    assert message in refused.value.detail
    assert counts(conn) == before


def test_the_metadata_convention_is_read_whatever_its_spelling(
    bank: Bank, ledger: Ledger, conn: psycopg.Connection, uid: str
) -> None:
    """`{"Channel": "Wire"}` used to drop a movement out of every rule; now it is a wire."""
    out = [Leg.debit(bank.alice, "75"), Leg.credit("SAFEGUARD-USD", "75")]
    ledger.post(
        f"{uid}-a", out, metadata={"Channel": "Wire", "Counterparty Name": "Acme", "counterparty-country": "fr"}
    )
    assert _row(conn, f"{uid}-a") == ("WIRE", "Acme", None, None, "FR", None)
    vault_in = [Leg.debit("CASH-VAULT-USD", "60"), Leg.credit(bank.alice, "60")]
    ledger.post(f"{uid}-b", vault_in, metadata={"channel": "branch", "branch": "BR-7"})
    vault_out = [Leg.debit(bank.alice, "60"), Leg.credit("CASH-VAULT-USD", "60")]
    ledger.post(f"{uid}-c", vault_out, metadata={"channel": "ATM", "atm_id": 4411})
    assert _row(conn, f"{uid}-b")[0::5] == ("CASH_DEPOSIT", "BR-7")
    assert _row(conn, f"{uid}-c")[0::5] == ("CASH_WITHDRAWAL", "4411")
    # the platform's own bookkeeping needs no channel
    ledger.post(f"{uid}-d", [Leg.debit("CASH-VAULT-USD", "1"), Leg.credit("SAFEGUARD-USD", "1")])
    assert _row(conn, f"{uid}-d")[0] == "INTERNAL"


def test_payment_details_are_part_of_the_idempotency_fingerprint(bank: Bank, ledger: Ledger, uid: str) -> None:
    first = ledger.move(wire_out(f"{uid}-w", bank.alice, "20", beneficiary=ACME, effective_at=WHEN))
    again = ledger.move(wire_out(f"{uid}-w", bank.alice, "20", beneficiary=ACME, effective_at=WHEN))
    assert again.replayed and again.journal_id == first.journal_id
    with pytest.raises(IdempotencyConflict):
        ledger.move(wire_out(f"{uid}-w", bank.alice, "20", beneficiary="Someone Else", effective_at=WHEN))
    with pytest.raises(IdempotencyConflict):
        ledger.move(ach_out(f"{uid}-w", bank.alice, "20", beneficiary=ACME, effective_at=WHEN))


def test_kinds_carry_their_channel(bank: Bank, ledger: Ledger, conn: psycopg.Connection, uid: str) -> None:
    ledger.open_account("CARD-SETTLEMENT-USD", "Scheme", "LIABILITY", "USD", allow_negative=True)
    hold = ledger.hold(
        f"{uid}-auth", bank.alice, "CARD-SETTLEMENT-USD", "12.50", WHEN + timedelta(days=7),
        description="SQ *BLUE BOTTLE 0231", effective_at=WHEN, channel="CARD", mcc=5814,
    )  # fmt: skip
    assert (hold.channel, hold.mcc) == (Channel.CARD, 5814)
    captured = ledger.capture(hold.hold_id, "11.00", effective_at=WHEN + timedelta(hours=2))
    assert captured.channel is Channel.CARD
    reversed_ = ledger.reverse(
        captured.journal_id, f"{uid}-chargeback", "dispute", effective_at=WHEN + timedelta(days=1)
    )
    assert reversed_.channel is Channel.CARD
    wire = ledger.move(wire_out(f"{uid}-wire", bank.alice, "15", beneficiary=ACME, effective_at=WHEN))
    back = ledger.reverse(wire.journal_id, f"{uid}-recall", "recalled", effective_at=WHEN + timedelta(hours=1))
    assert (back.channel, back.counterparty) == (Channel.WIRE, ACME)
    fx = ledger.convert(f"{uid}-fx", bank.alice, bank.alice_eur, "100", "0.92", effective_at=WHEN)
    assert fx.channel is Channel.FX
    with pytest.raises(InvalidRequest) as refused:
        ledger.hold(
            f"{uid}-auth2",
            bank.alice,
            "CARD-SETTLEMENT-USD",
            "1",
            WHEN + timedelta(days=1),
            effective_at=WHEN,
            channel="CARD",
            mcc=12345,
        )
    assert refused.value.field == "mcc"
    many = ledger.hold_many(
        [
            HoldRequest(
                f"{uid}-auth3", bank.alice, "CARD-SETTLEMENT-USD", "1", WHEN + timedelta(days=1), effective_at=WHEN
            )
        ]
    )
    assert many.rejected[0].error.field == "holds[0].channel"
    row = conn.execute("SELECT channel, mcc FROM ledger.holds WHERE hold_id = %s", (hold.hold_id,)).fetchone()
    assert row == ("CARD", 5814)


@pytest.fixture
def legacy_url(pg_server: str) -> Iterator[str]:
    """A database at the ledger schema before typed payment semantics (migrations 0001-0007)."""
    url = create_database(pg_server, "t_payments_legacy", drop_existing=True)
    migrations = [m for m in load_migrations(resources.files("ledger").joinpath("migrations")) if m.version < 8]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE public.fintra_schema_migrations (component text NOT NULL, version integer NOT NULL,"
            " name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),"
            " PRIMARY KEY (component, version))"
        )
        for m in migrations:
            with conn.transaction():
                conn.execute(m.sql)
                conn.execute(
                    "INSERT INTO public.fintra_schema_migrations (component, version, name, checksum)"
                    " VALUES ('ledger', %s, %s, %s)",
                    (m.version, m.name, m.checksum),
                )
    yield url


def test_the_migration_maps_the_metadata_that_preceded_typed_fields(legacy_url: str) -> None:
    with psycopg.connect(legacy_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO ledger.customers (external_ref, country, occupation, segment, risk_rating, onboarded_at)"
            " VALUES ('L1', 'US', 'x', 'RETAIL', 'LOW', now()), ('L2', 'US', 'x', 'RETAIL', 'LOW', now())"
        )
        conn.execute(
            "INSERT INTO ledger.accounts (code, name, type, currency, metadata, customer_id) VALUES"
            " ('SAFE', 's', 'ASSET', 'USD', '{}', NULL),"
            " ('VAULT', 'v', 'ASSET', 'USD', '{\"role\": \"cash_vault\"}', NULL),"
            " ('L1-USD', 'a', 'LIABILITY', 'USD', '{}', 1), ('L2-USD', 'b', 'LIABILITY', 'USD', '{}', 2),"
            " ('L1-BTC', 'c', 'LIABILITY', 'BTC', '{}', 1), ('CLR-USD', 'u', 'ASSET', 'USD', '{}', NULL),"
            " ('CLR-BTC', 'w', 'ASSET', 'BTC', '{}', NULL)"
        )
        conn.execute("SELECT ledger.ensure_monthly_partitions('entries', '2026-01-01', '2026-01-01')")
        rows = [  # reference, kind, metadata, legs (account, direction, amount, currency)
            ("wire", "TRANSFER", {"channel": "wire", "counterparty_name": "Acme", "counterparty_account": "EXT-1"},
             [("L1-USD", "DEBIT", 10, "USD"), ("SAFE", "CREDIT", 10, "USD")]),
            ("cased", "TRANSFER", {"Channel": " Wire ", "counterparty_country": "fr"},
             [("L1-USD", "DEBIT", 1, "USD"), ("SAFE", "CREDIT", 1, "USD")]),
            ("atm", "TRANSFER", {"channel": "atm", "atm_id": "ATM9"},
             [("L1-USD", "DEBIT", 20, "USD"), ("VAULT", "CREDIT", 20, "USD")]),
            ("branch", "TRANSFER", {"channel": "branch"},
             [("VAULT", "DEBIT", 30, "USD"), ("L1-USD", "CREDIT", 30, "USD")]),
            ("bare-cash", "TRANSFER", {}, [("VAULT", "DEBIT", 5, "USD"), ("L2-USD", "CREDIT", 5, "USD")]),
            ("bare-p2p", "TRANSFER", {}, [("L1-USD", "DEBIT", 3, "USD"), ("L2-USD", "CREDIT", 3, "USD")]),
            ("settle", "TRANSFER", {"channel": "settlement"},
             [("SAFE", "DEBIT", 7, "USD"), ("VAULT", "CREDIT", 7, "USD")]),
            ("odd", "TRANSFER", {"channel": "pigeon"}, [("L1-USD", "DEBIT", 1, "USD"), ("SAFE", "CREDIT", 1, "USD")]),
            ("crypto", "CONVERSION", {}, [("L1-USD", "DEBIT", 4, "USD"), ("CLR-USD", "CREDIT", 4, "USD"),
                                          ("CLR-BTC", "DEBIT", 1, "BTC"), ("L1-BTC", "CREDIT", 1, "BTC")]),
        ]  # fmt: skip
        ids = {}
        for n, (reference, kind, metadata, legs) in enumerate(rows, start=1):
            with conn.transaction():
                ids[reference] = conn.execute(
                    "INSERT INTO ledger.journal_entries (reference_id, kind, metadata, content_hash, effective_at)"
                    " VALUES (%s, %s, %s, '\\x00', '2026-01-05') RETURNING journal_id",
                    (reference, kind, json.dumps(metadata)),
                ).fetchone()[0]
                for leg_no, (code, direction, amount, currency) in enumerate(legs, start=1):
                    conn.execute(
                        "INSERT INTO ledger.entries (journal_id, leg_no, account_id, direction, amount, currency,"
                        " effective_at) SELECT %s, %s, account_id, %s, %s, %s, '2026-01-05' FROM ledger.accounts"
                        " WHERE code = %s",
                        (ids[reference], leg_no, direction, amount, currency, code),
                    )
            assert n == len(ids)
        conn.execute(
            "INSERT INTO ledger.journal_entries (reference_id, kind, metadata, content_hash, effective_at,"
            " reverses_journal_id) VALUES ('undo-wire', 'REVERSAL', '{}', '\\x00', '2026-01-05', %s)",
            (ids["wire"],),
        )
    migrate_component(legacy_url, "ledger", "ledger")
    with psycopg.connect(legacy_url) as conn:
        mapped = dict(
            (r[0], r[1:])
            for r in conn.execute(
                "SELECT reference_id, channel, counterparty_name, counterparty_account, counterparty_country, location"
                " FROM ledger.journal_entries"
            )
        )
    assert mapped == {
        "wire": ("WIRE", "Acme", "EXT-1", None, None),
        "cased": ("WIRE", None, None, "FR", None),
        "atm": ("CASH_WITHDRAWAL", None, None, None, "ATM9"),
        "branch": ("CASH_DEPOSIT", None, None, None, None),
        "bare-cash": ("CASH_DEPOSIT", None, None, None, None),
        "bare-p2p": ("P2P", None, None, None, None),
        "settle": ("INTERNAL", None, None, None, None),
        "odd": ("INTERNAL", None, None, None, None),
        "crypto": ("CRYPTO", None, None, None, None),
        "undo-wire": ("WIRE", None, None, None, None),
    }
