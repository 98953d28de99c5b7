"""Property tests: after any sequence of ledger operations, the books balance, the projection equals
the recomputation from entries and holds, held + available = posted, and nothing is overdrawn."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import psycopg
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from ledger import AccountType, Fee, Ledger, LedgerError, Leg, Transfer
from tests.ledger.helpers import overdrawn, projection_mismatches, unbalanced_currencies

CUSTOMERS = 3
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("400"), places=2)
customer = st.integers(min_value=0, max_value=CUSTOMERS - 1)


class LedgerMachine(RuleBasedStateMachine):
    ledger: Ledger
    url: str

    @initialize()
    def open_books(self) -> None:
        self.p = uuid.uuid4().hex[:8]
        self.now = datetime(2026, 5, 1, tzinfo=UTC)
        self.n = 0
        self.cash, self.fees, self.settle = f"{self.p}-CASH", f"{self.p}-FEES", f"{self.p}-SETTLE"
        self.eur = f"{self.p}-EUR"
        self.custs = [f"{self.p}-C{i}" for i in range(CUSTOMERS)]
        self.ledger.open_account(self.cash, "Cash", AccountType.ASSET, "USD")
        self.ledger.open_account(self.fees, "Fees", AccountType.REVENUE, "USD")
        self.ledger.open_account(self.settle, "Settlement", AccountType.LIABILITY, "USD")
        self.ledger.open_account(self.eur, "Customer EUR", AccountType.LIABILITY, "EUR")
        for code in self.custs:
            self.ledger.open_account(code, code, AccountType.LIABILITY, "USD")
            self._try(
                lambda code=code: self.ledger.post(self._ref(), [Leg.debit(self.cash, "300"), Leg.credit(code, "300")])
            )
        self.pending: list[int] = []
        self.journals: list[int] = []

    def _ref(self) -> str:
        self.n += 1
        return f"{self.p}-{self.n}"

    def _try(self, op):
        try:
            return op()
        except LedgerError:
            return None

    @rule(src=customer, dst=customer, amount=amounts)
    def transfer(self, src: int, dst: int, amount: Decimal) -> None:
        legs = [Leg.debit(self.custs[src], amount), Leg.credit(self.custs[dst] if src != dst else self.settle, amount)]
        entry = self._try(lambda: self.ledger.post(self._ref(), legs, effective_at=self.now))
        if entry is not None:
            self.journals.append(entry.journal_id)

    @rule(items=st.lists(st.tuples(customer, amounts), min_size=1, max_size=6))
    def batch(self, items: list[tuple[int, Decimal]]) -> None:
        transfers = [
            Transfer(self._ref(), [Leg.debit(self.custs[c], a), Leg.credit(self.fees, a)], effective_at=self.now)
            for c, a in items
        ]
        result = self.ledger.post_many(transfers)
        self.journals += [j for j in result.journal_ids if j is not None]

    @rule(src=customer, amount=amounts, days=st.integers(min_value=1, max_value=5))
    def hold(self, src: int, amount: Decimal, days: int) -> None:
        hold = self._try(
            lambda: self.ledger.hold(
                self._ref(),
                self.custs[src],
                self.settle,
                amount,
                self.now + timedelta(days=days),
                effective_at=self.now,
            )
        )
        if hold is not None:
            self.pending.append(hold.hold_id)

    @precondition(lambda self: self.pending)
    @rule(data=st.data(), fraction=st.sampled_from(["1", "0.5", "0.01"]))
    def capture(self, data: st.DataObject, fraction: str) -> None:
        hold_id = data.draw(st.sampled_from(self.pending))
        hold = self.ledger.get_hold(hold_id)
        amount = max(Decimal("0.01"), (hold.amount * Decimal(fraction)).quantize(Decimal("0.01")))
        entry = self._try(lambda: self.ledger.capture(hold_id, amount, effective_at=self.now))
        if entry is not None:
            self.journals.append(entry.journal_id)
        self.pending.remove(hold_id)

    @precondition(lambda self: self.pending)
    @rule(data=st.data())
    def void(self, data: st.DataObject) -> None:
        hold_id = data.draw(st.sampled_from(self.pending))
        self._try(lambda: self.ledger.void(hold_id, effective_at=self.now))
        self.pending.remove(hold_id)

    @rule(hours=st.integers(min_value=1, max_value=72))
    def time_passes(self, hours: int) -> None:
        self.now += timedelta(hours=hours)
        self.ledger.expire_holds(self.now)
        self.pending = [h for h in self.pending if self.ledger.get_hold(h).status.value == "PENDING"]

    @precondition(lambda self: self.journals)
    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        journal_id = data.draw(st.sampled_from(self.journals))
        self._try(lambda: self.ledger.reverse(journal_id, self._ref(), "property test", effective_at=self.now))

    @rule(src=customer, amount=amounts, rate=st.decimals(min_value=Decimal("0.5"), max_value=Decimal("1.5"), places=5))
    def convert(self, src: int, amount: Decimal, rate: Decimal) -> None:
        self._try(
            lambda: self.ledger.convert(
                self._ref(), self.custs[src], self.eur, amount, rate, fee=Fee("0.10", self.fees), effective_at=self.now
            )
        )

    @invariant()
    def books_hold(self) -> None:
        with psycopg.connect(self.url) as conn:
            assert unbalanced_currencies(conn) == []
            assert projection_mismatches(conn) == []
            assert overdrawn(conn) == []


def test_ledger_invariants_hold_after_any_sequence(ledger: Ledger, db_url: str) -> None:
    LedgerMachine.ledger = ledger
    LedgerMachine.url = db_url
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
