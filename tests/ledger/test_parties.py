"""Customers with separate personal data, and accounts opened in bulk for them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import psycopg
import pytest

from ledger import AccountExists, AccountSpec, CustomerProfile, InvalidRequest, Ledger, UnknownCurrency


def _profile(ref: str, name: str = "Ada Lovelace") -> CustomerProfile:
    return CustomerProfile(
        ref,
        "GB",
        "engineer",
        "RETAIL",
        "LOW",
        datetime(2025, 1, 2, tzinfo=UTC),
        name,
        f"{ref.lower()}@example.com",
        date(1990, 12, 10),
        "London",
        "ENG",
    )


def test_customers_register_once_and_keep_pii_apart(ledger: Ledger, uid: str, conn: psycopg.Connection) -> None:
    ids = ledger.register_customers([_profile(f"{uid}-1"), _profile(f"{uid}-2", "Alan Turing")])
    again = ledger.register_customers([_profile(f"{uid}-1", "Someone Else")])
    assert again == {f"{uid}-1": ids[f"{uid}-1"]}
    row = conn.execute(
        "SELECT c.country, p.full_name, p.date_of_birth FROM ledger.customers c"
        " JOIN ledger.customer_pii p USING (customer_id) WHERE c.external_ref = %s",
        (f"{uid}-1",),
    ).fetchone()
    assert row == ("GB", "Ada Lovelace", date(1990, 12, 10))  # the first registration wins
    columns = {
        r[0]
        for r in conn.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = 'ledger' AND table_name = 'customers'"
        )
    }
    assert not columns & {"full_name", "email", "date_of_birth"}


def test_open_accounts_in_bulk(ledger: Ledger, uid: str, conn: psycopg.Connection) -> None:
    cid = ledger.register_customers([_profile(f"{uid}-c")])[f"{uid}-c"]
    specs = [
        AccountSpec(f"{uid}-GBP", "Ada GBP", "LIABILITY", "GBP", customer_id=cid),
        AccountSpec(f"{uid}-BTC", "Ada BTC", "LIABILITY", "BTC", customer_id=cid, metadata={"tier": 1}),
        AccountSpec(f"{uid}-X", "bad", "LIABILITY", "XXX"),
        AccountSpec(f"{uid} bad code", "bad", "LIABILITY", "GBP"),
    ]
    first = ledger.open_accounts(specs)
    assert [type(r).__name__ for r in first] == ["Account", "Account", "UnknownCurrency", "InvalidRequest"]
    assert isinstance(first[2], UnknownCurrency) and first[2].field == "accounts[2].currency"
    assert isinstance(first[3], InvalidRequest) and first[3].field == "accounts[3].code"
    assert first[0].customer_id == cid
    second = ledger.open_accounts([specs[0], AccountSpec(f"{uid}-BTC", "Ada BTC", "LIABILITY", "ETH")])
    assert second[0] == first[0]
    assert isinstance(second[1], AccountExists)
    assert conn.execute("SELECT count(*) FROM ledger.accounts WHERE customer_id = %s", (cid,)).fetchone() == (2,)
    assert ledger.balance(f"{uid}-BTC").version == 1


def test_segments_and_ratings_in_any_spelling_unknown_ones_refused(
    ledger: Ledger, uid: str, conn: psycopg.Connection
) -> None:
    ids = ledger.register_customers(
        [
            replace(_profile(f"{uid}-s1"), segment="small business", risk_rating="medium", country="us"),
            replace(_profile(f"{uid}-s2"), segment="Business"),
            replace(_profile(f"{uid}-s3"), segment="premium"),
        ]
    )
    rows = dict(
        conn.execute(
            "SELECT external_ref, segment || '/' || risk_rating || '/' || country FROM ledger.customers"
            " WHERE customer_id = ANY(%s)",
            (list(ids.values()),),
        ).fetchall()
    )
    assert rows == {
        f"{uid}-s1": "SMALL_BUSINESS/MEDIUM/US",
        f"{uid}-s2": "SMALL_BUSINESS/LOW/GB",
        f"{uid}-s3": "PREMIUM/LOW/GB",
    }


@pytest.mark.parametrize(
    ("change", "field", "named"),
    [
        ({"segment": "wholesale"}, "segment", "'wholesale'"),
        ({"risk_rating": "extreme"}, "risk_rating", "'extreme'"),
        ({"country": "United States"}, "country", "'United States'"),
        ({"external_ref": "has space"}, "external_ref", "'has space'"),
        ({"occupation": " "}, "occupation", "required"),
    ],
)
def test_bad_profiles_are_refused_naming_the_field_and_nothing_is_written(
    ledger: Ledger, uid: str, conn: psycopg.Connection, change: dict[str, str], field: str, named: str
) -> None:
    good, bad = _profile(f"{uid}-good"), replace(_profile(f"{uid}-bad"), **change)
    with pytest.raises(InvalidRequest) as refused:
        ledger.register_customers([good, bad])
    assert refused.value.field == f"customers[1].{field}"
    assert named in str(refused.value)
    written = conn.execute(
        "SELECT count(*) FROM ledger.customers WHERE external_ref IN (%s, %s)", (f"{uid}-good", f"{uid}-bad")
    ).fetchone()
    assert written == (0,)


def test_identity_documents_are_typed_and_read_only_with_an_audit_row(
    ledger: Ledger, uid: str, conn: psycopg.Connection
) -> None:
    from ledger.pii import identities

    ada = replace(_profile(f"id-{uid}"), address_line="12 Mill Road", postal_code="N1 9GU")
    ids = ledger.register_customers([replace(ada, id_type="passport", id_number="P1234567")])
    (person,) = identities(conn, ids.values(), actor="tests", purpose="a test of the audit").values()
    assert (person.id_type, person.id_number, person.address_line) == ("PASSPORT", "P1234567", "12 Mill Road")
    audit = conn.execute(
        "SELECT actor, customer_ids FROM ledger.pii_access WHERE purpose = 'a test of the audit'"
    ).fetchall()
    assert audit == [("tests", list(ids.values()))]
    for change, field in (
        ({"id_type": "PASSPORT"}, "customers[0].id_number"),
        ({"id_number": "X1"}, "customers[0].id_type"),
        ({"id_type": "library card", "id_number": "X1"}, "customers[0].id_type"),
    ):
        with pytest.raises(InvalidRequest) as refused:
            ledger.register_customers([replace(_profile(f"id2-{uid}"), **change)])
        assert refused.value.field == field
    with pytest.raises(InvalidRequest) as no_purpose:
        identities(conn, ids.values(), actor="tests", purpose=" ")
    assert no_purpose.value.field == "purpose"
