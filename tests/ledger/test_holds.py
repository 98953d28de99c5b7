"""Holds: reserve, capture (partial), void, expire, and their errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import psycopg
import pytest

from ledger import (
    AccountType,
    HoldExpired,
    HoldNotFound,
    HoldNotPending,
    HoldStatus,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidAmount,
    InvalidRequest,
    JournalKind,
    Ledger,
    Leg,
    UnknownAccount,
)
from tests.ledger.helpers import counts, projection_mismatches

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
D = Decimal


@pytest.fixture
def card(ledger: Ledger, uid: str) -> dict[str, str]:
    codes = {"cash": f"{uid}-CASH", "cust": f"{uid}-CUST", "settle": f"{uid}-SETTLE"}
    ledger.open_account(codes["cash"], "Cash", AccountType.ASSET, "USD")
    ledger.open_account(codes["cust"], "Customer", AccountType.LIABILITY, "USD")
    ledger.open_account(codes["settle"], "Card settlement", AccountType.LIABILITY, "USD")
    ledger.post(f"{uid}-dep", [Leg.debit(codes["cash"], "100"), Leg.credit(codes["cust"], "100")], effective_at=T0)
    return codes


def test_hold_reserves_and_partial_capture_releases_the_rest(
    ledger: Ledger, uid: str, card: dict[str, str], conn: psycopg.Connection
) -> None:
    hold = ledger.hold(
        f"{uid}-auth",
        card["cust"],
        card["settle"],
        "60.00",
        T0 + timedelta(days=7),
        description="COFFEE",
        effective_at=T0 + timedelta(hours=1),
    )
    assert hold.status is HoldStatus.PENDING and hold.amount == D("60")
    bal = ledger.balance(card["cust"])
    assert (bal.posted, bal.held, bal.available) == (D("100"), D("60"), D("40"))
    with pytest.raises(InsufficientFunds):
        ledger.post(f"{uid}-spend", [Leg.debit(card["cust"], "41"), Leg.credit(card["cash"], "41")])

    entry = ledger.capture(hold.hold_id, "45.50", effective_at=T0 + timedelta(days=1))
    assert entry.kind is JournalKind.CAPTURE
    assert [(leg.account, leg.amount) for leg in entry.legs] == [(card["cust"], D("45.5")), (card["settle"], D("45.5"))]
    bal = ledger.balance(card["cust"])
    assert (bal.posted, bal.held, bal.available) == (D("54.5"), D("0"), D("54.5"))
    assert ledger.balance(card["settle"]).posted == D("45.5")
    captured = ledger.get_hold(hold.hold_id)
    assert captured.status is HoldStatus.CAPTURED and captured.captured_amount == D("45.5")
    assert captured.capture_journal_id == entry.journal_id
    # Replaying the capture returns the same entry; a different amount is refused.
    assert ledger.capture(hold.hold_id, "45.50").journal_id == entry.journal_id
    assert ledger.capture(hold.hold_id).replayed
    with pytest.raises(HoldNotPending):
        ledger.capture(hold.hold_id, "10")
    # Historical balance: the hold counted while pending, not before or after.
    assert ledger.balance(card["cust"], as_of=T0 + timedelta(hours=2)).held == D("60")
    assert ledger.balance(card["cust"], as_of=T0 + timedelta(days=2)).held == 0
    assert projection_mismatches(conn) == []


def test_void_and_expiry_release_without_posting(
    ledger: Ledger, uid: str, card: dict[str, str], conn: psycopg.Connection
) -> None:
    a = ledger.hold(f"{uid}-a", card["cust"], card["settle"], "30", T0 + timedelta(days=1), effective_at=T0)
    b = ledger.hold(f"{uid}-b", card["cust"], card["settle"], "20", T0 + timedelta(days=2), effective_at=T0)
    c = ledger.hold(f"{uid}-c", card["cust"], card["settle"], "10", T0 + timedelta(days=30), effective_at=T0)
    assert ledger.balance(card["cust"]).available == D("40")
    entries_before = counts(conn)["entries"]

    voided = ledger.void(a.hold_id, effective_at=T0 + timedelta(hours=3))
    assert voided.status is HoldStatus.VOIDED
    assert ledger.void(a.hold_id).replayed
    with pytest.raises(HoldNotPending):
        ledger.capture(a.hold_id)

    assert ledger.expire_holds(T0 + timedelta(days=3)) >= 1
    expired = ledger.get_hold(b.hold_id)
    assert expired.status is HoldStatus.EXPIRED and expired.resolved_at == b.expires_at
    assert ledger.get_hold(c.hold_id).status is HoldStatus.PENDING
    assert ledger.balance(card["cust"]).available == D("90")
    assert counts(conn)["entries"] == entries_before
    with pytest.raises(HoldNotPending):
        ledger.void(b.hold_id)
    assert projection_mismatches(conn) == []


def test_hold_errors(ledger: Ledger, uid: str, card: dict[str, str], conn: psycopg.Connection) -> None:
    before = counts(conn)
    with pytest.raises(InsufficientFunds) as err:
        ledger.hold(f"{uid}-big", card["cust"], card["settle"], "100.01", T0 + timedelta(days=1), effective_at=T0)
    assert err.value.field == "from_account"
    with pytest.raises(InvalidRequest) as err:
        ledger.hold(f"{uid}-late", card["cust"], card["settle"], "1", T0, effective_at=T0)
    assert err.value.field == "expires_at"
    with pytest.raises(InvalidAmount) as err:
        ledger.hold(f"{uid}-zero", card["cust"], card["settle"], "0", T0 + timedelta(days=1), effective_at=T0)
    assert err.value.field == "amount"
    with pytest.raises(HoldNotFound):
        ledger.capture(10**12)
    assert counts(conn) == before

    hold = ledger.hold(f"{uid}-h", card["cust"], card["settle"], "10", T0 + timedelta(days=1), effective_at=T0)
    assert ledger.hold(f"{uid}-h", card["cust"], card["settle"], "10", T0 + timedelta(days=1), effective_at=T0).replayed
    with pytest.raises(IdempotencyConflict):
        ledger.hold(f"{uid}-h", card["cust"], card["settle"], "11", T0 + timedelta(days=1), effective_at=T0)
    with pytest.raises(InvalidAmount) as err:
        ledger.capture(hold.hold_id, "10.01", effective_at=T0 + timedelta(hours=1))
    assert err.value.field == "amount"
    with pytest.raises(HoldExpired):
        ledger.capture(hold.hold_id, effective_at=T0 + timedelta(days=2))
    assert ledger.get_hold(hold.hold_id).status is HoldStatus.PENDING


def test_batch_holds_captures_and_voids_judge_each_item(
    ledger: Ledger, uid: str, card: dict[str, str], conn: psycopg.Connection
) -> None:
    from ledger import CaptureRequest, HoldRequest

    exp = T0 + timedelta(days=5)

    def req(ref, amount):
        return HoldRequest(
            f"{uid}-{ref}",
            card["cust"],
            card["settle"],
            amount,
            exp,
            effective_at=T0,
        )

    placed = ledger.hold_many(
        [
            req("a", "40"),
            req("b", "70"),
            req("c", "50"),
            req("a", "40"),
            req("a", "41"),
            HoldRequest(f"{uid}-d", "NOPE", card["settle"], "1", exp, effective_at=T0),
        ]
    )
    assert placed.posted == 2 and placed.replayed == 1
    assert [(r.index, type(r.error)) for r in placed.rejected] == [
        (1, InsufficientFunds),
        (4, IdempotencyConflict),
        (5, UnknownAccount),
    ]
    assert placed.rejected[2].error.field == "holds[5].from_account"
    a, _, c, a_again, _, _ = placed.ids
    assert a == a_again and ledger.balance(card["cust"]).available == D("10")

    captured = ledger.capture_many(
        [
            CaptureRequest(a, "39.99", T0 + timedelta(hours=1)),
            CaptureRequest(a, "39.99", T0 + timedelta(hours=1)),  # same capture twice in one batch: a replay
            CaptureRequest(c, "60", T0 + timedelta(hours=1)),  # more than held
            CaptureRequest(10**12),
        ]
    )
    assert captured.posted == 1 and captured.replayed == 1 and captured.ids[0] == captured.ids[1]
    assert [(r.index, type(r.error), r.error.field) for r in captured.rejected] == [
        (2, InvalidAmount, "captures[2].amount"),
        (3, HoldNotFound, "captures[3].hold_id"),
    ]
    voided = ledger.void_many([c, c, a])
    assert voided.posted == 1 and voided.replayed == 1
    assert [(r.index, type(r.error)) for r in voided.rejected] == [(2, HoldNotPending)]
    bal = ledger.balance(card["cust"])
    assert (bal.posted, bal.held, bal.available) == (D("60.01"), D("0"), D("60.01"))
    assert projection_mismatches(conn) == []
