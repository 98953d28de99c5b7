"""Fraud and AML typologies injected into a share of customers, each one labelled with its customer,
accounts, ledger references and time window (the ground truth alert rules and models are scored on).

- structuring: several cash deposits just under 10,000 USD within days
- money_mule: many inbound transfers from strangers, then most of it out within 48 hours
- account_takeover: a burst of large transfers to new counterparties at unusual hours
- card_testing: many tiny card authorisations within an hour, mostly voided
- round_tripping: money out to one entity and back, nearly the same amount, from a related one
- dormant_reactivation: an account quiet for months suddenly moves large sums
- watchlist_payment: payments to a watch-listed counterparty, its name spelled in variants
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from ledger.model import Transfer
from ledger.movements import Movement, cash_deposit, wire_in, wire_out
from ledger.simulator.behaviour import Behaviour, branch, party
from ledger.simulator.plan import CENT, DayPlan, Label, Wallets, log_uniform, moment
from ledger.simulator.population import SimCustomer
from ledger.simulator.reference import merchants, watchlist

TYPOLOGIES = (
    "structuring",
    "money_mule",
    "account_takeover",
    "card_testing",
    "round_tripping",
    "dormant_reactivation",
    "watchlist_payment",
)
CTR_THRESHOLD = Decimal(10000)
_SHELLS = (
    "Aurora Trade Partners",
    "Meridian Global Ventures",
    "Blue Harbor Consulting",
    "Northgate Logistics",
    "Sterling Crest Holdings",
    "Pacific Rim Imports",
    "Orion Capital Advisors",
    "Silver Birch Enterprises",
)
_STRANGERS = (
    "J. Alvarez",
    "K. Osei",
    "M. Brennan",
    "T. Nakamura",
    "R. Kowalczyk",
    "S. Haddad",
    "L. Moreau",
    "D. Petrov",
    "A. Okonkwo",
    "P. Lindqvist",
    "C. Ferreira",
    "E. Novak",
    "G. Romano",
    "H. Suzuki",
    "I. Mahlangu",
    "N. Ibrahim",
    "O. Walsh",
    "V. Rossi",
)


Step = Callable[[int, datetime, DayPlan], "bool | None"]


@dataclass(slots=True)
class Case:
    typology: str
    customer: SimCustomer
    first_day: int
    rng: random.Random
    label: Label
    # day -> steps; a step returns False when it could not act yet (it is retried the next day)
    steps: dict[int, list[Step]] = field(default_factory=dict)

    def at(self, day: int, step: Step) -> None:
        self.steps.setdefault(day, []).append(step)


class Typologies:
    def __init__(
        self,
        seed: int,
        customers: list[SimCustomer],
        behaviour: Behaviour,
        wallets: Wallets,
        days: int,
        start: datetime,
        share: float,
    ) -> None:
        self.seed = seed
        self.behaviour = behaviour
        self.wallets = wallets
        self.days = days
        self.start = start
        self.cases: list[Case] = []
        rng = random.Random(f"{seed}:typologies")
        wanted = max(len(TYPOLOGIES), round(len(customers) * share)) if share > 0 else 0
        usd = [c for c in customers if c.currency == "USD"]
        taken: set[int] = set()
        for k in range(min(wanted, len(customers))):
            typology = TYPOLOGIES[k % len(TYPOLOGIES)]
            pool = usd if typology == "structuring" and usd else customers
            candidates = [c for c in pool if c.idx not in taken]
            if not candidates:
                break
            customer = rng.choice(candidates)
            taken.add(customer.idx)
            self.cases.append(self._case(k, typology, customer))

    def _case(self, k: int, typology: str, c: SimCustomer) -> Case:
        rng = random.Random(f"{self.seed}:case:{k}")
        last = max(0, self.days - 4)
        first_day = rng.randint(min(60, last), last) if typology == "dormant_reactivation" else rng.randint(0, last)
        label = Label(f"sim{self.seed}:{typology}:{k}", typology, c, [c.account()], self.start, self.start)
        case = Case(typology, c, first_day, rng, label)
        getattr(self, f"_plan_{typology}")(case)
        return case

    @property
    def labels(self) -> list[Label]:
        return [case.label for case in self.cases]

    def plan_day(self, day: int, day_start: datetime, plan: DayPlan) -> None:
        for case in self.cases:
            for step in case.steps.pop(day, []):
                if step(day, day_start, plan) is False and day + 1 < self.days:
                    case.at(day + 1, step)

    # -- shared helpers -----------------------------------------------------------------------------
    def _send(self, case: Case, plan: DayPlan, item: Transfer | Movement, moves: list[tuple[str, Decimal]]) -> None:
        self.behaviour.transfer(plan, item, moves)
        self._mark(case, item.reference_id, "journal", item.effective_at)

    def _ref(self, case: Case) -> str:
        return f"{case.label.label_id}:{len(case.label.entries)}"

    def _mark(self, case: Case, ref: str, kind: str, at: datetime | None) -> None:
        assert at is not None
        label = case.label
        if not label.entries:
            label.window_start = label.window_end = at
        label.window_start, label.window_end = min(label.window_start, at), max(label.window_end, at)
        label.entries.append((ref, kind))

    def _wire_out(
        self,
        case: Case,
        plan: DayPlan,
        amount: Decimal,
        at: datetime,
        counterparty: str,
        extra: dict[str, object] | None = None,
    ) -> None:
        home = case.customer.account()
        wire = wire_out(self._ref(case), home, amount, beneficiary=party(counterparty), effective_at=at, metadata=extra)
        self._send(case, plan, wire, [(home, -amount)])

    def _wire_in(self, case: Case, plan: DayPlan, amount: Decimal, at: datetime, counterparty: str) -> None:
        home = case.customer.account()
        self._send(
            case,
            plan,
            wire_in(self._ref(case), home, amount, sender=party(counterparty), effective_at=at),
            [(home, amount)],
        )

    def _spendable(self, case: Case) -> Decimal:
        return max(Decimal(0), self.wallets.available.get(case.customer.account(), Decimal(0)))

    # -- the typologies -----------------------------------------------------------------------------
    def _plan_structuring(self, case: Case) -> None:
        rng, c = case.rng, case.customer
        span = rng.randint(2, 5)
        deposits = rng.randint(3, 6)
        by_day: dict[int, list[Decimal]] = {}
        for _ in range(deposits):
            day = min(self.days - 1, case.first_day + rng.randrange(span))
            by_day.setdefault(day, []).append(Decimal(rng.randint(9000, 9950)) + Decimal(rng.randrange(100)) / 100)
        case.label.details = {"deposits": deposits, "threshold_usd": str(CTR_THRESHOLD)}

        def step(amounts: list[Decimal]) -> Step:
            def run(day: int, day_start: datetime, plan: DayPlan) -> None:
                for amount in amounts:
                    at = moment(day_start, rng, 9, 17)
                    home = c.account()
                    where = rng.choice(("BRANCH", "ATM"))
                    deposit = cash_deposit(
                        self._ref(case),
                        home,
                        amount,
                        location=branch(c.city, rng.randrange(9)) if where == "BRANCH" else f"ATM{rng.randrange(9000)}",
                        effective_at=at,
                        description=f"{where} CASH DEPOSIT {c.city}",
                    )
                    self._send(case, plan, deposit, [(home, amount)])

            return run

        for day, amounts in by_day.items():
            case.at(day, step(amounts))

    def _plan_money_mule(self, case: Case) -> None:
        rng = case.rng
        senders = rng.sample(_STRANGERS, rng.randint(6, 12))
        inbound = [(s, Decimal(rng.randint(400, 3500))) for s in senders]
        total = sum((a for _, a in inbound), Decimal(0))
        share = Decimal(str(round(rng.uniform(0.8, 0.95), 2)))
        beneficiary = rng.choice(_SHELLS) + " LLC"
        case.label.details = {"inbound_senders": len(senders), "outbound_share": str(share)}

        def collect(day: int, day_start: datetime, plan: DayPlan) -> None:
            for sender, amount in inbound:
                self._wire_in(case, plan, amount, moment(day_start, rng, 0, 23), sender)

        def drain(day: int, day_start: datetime, plan: DayPlan) -> None:
            out = (total * share).quantize(CENT)
            parts = rng.randint(1, 3)
            for i in range(parts):
                piece = (
                    (out / parts).quantize(CENT) if i < parts - 1 else out - (out / parts).quantize(CENT) * (parts - 1)
                )
                self._wire_out(case, plan, piece, moment(day_start, rng, 1, 12), beneficiary)

        case.at(case.first_day, collect)
        case.at(min(self.days - 1, case.first_day + 1), drain)

    def _plan_account_takeover(self, case: Case) -> None:
        rng = case.rng
        case.label.details = {"hours": "01:00-05:00 UTC"}

        def takeover(day: int, day_start: datetime, plan: DayPlan) -> bool:
            balance = self._spendable(case)
            if balance < Decimal(200):
                return False  # nothing worth stealing yet
            drain = (balance * Decimal(str(round(rng.uniform(0.6, 0.95), 2)))).quantize(CENT)
            transfers = rng.randint(3, 7)
            at = moment(day_start, rng, 1, 3.5)
            for i in range(transfers):
                piece = (drain / transfers).quantize(CENT)
                if piece < Decimal(1):
                    break
                at += timedelta(minutes=rng.randint(3, 20))
                self._wire_out(
                    case,
                    plan,
                    piece,
                    at,
                    f"{rng.choice(_STRANGERS)} {rng.randint(100, 999)}",
                    {"new_device": True, "step": i},
                )
            return True

        case.at(case.first_day, takeover)

    def _plan_card_testing(self, case: Case) -> None:
        rng, c = case.rng, case.customer
        online = [m for m in merchants() if m.processor in ("stripe", "paypal", "shopify")]
        attempts = rng.randint(15, 35)
        case.label.details = {"authorisations": attempts}

        def test_card(day: int, day_start: datetime, plan: DayPlan) -> None:
            at = moment(day_start, rng, 0, 22)
            for i in range(attempts):
                at += timedelta(seconds=rng.randint(20, 150))
                amount = Decimal(rng.randint(50, 299)) / 100
                ref = f"{case.label.label_id}:{i}"
                auth = self.behaviour.card(
                    plan,
                    c,
                    rng.choice(online),
                    amount,
                    at,
                    ref,
                    rng,
                    outcome="VOID" if rng.random() < 0.85 else "CAPTURE",
                    capture=amount,
                    resolve_after=timedelta(minutes=rng.randint(2, 30)),
                )
                if auth is not None:
                    self._mark(case, ref, "hold", at)

        case.at(case.first_day, test_card)

    def _plan_round_tripping(self, case: Case) -> None:
        rng = case.rng
        shell = rng.choice(_SHELLS)
        out_name, back_name = f"{shell} Ltd", f"{shell.split()[0]} {rng.choice(('Trading', 'Holdings', 'Group'))} LLP"
        cycles = rng.randint(2, 3)
        case.label.details = {"cycles": cycles, "out_to": out_name, "back_from": back_name}

        def send(day: int, day_start: datetime, plan: DayPlan) -> bool:
            amount = min(Decimal(rng.randint(2000, 8000)), (self._spendable(case) * Decimal("0.8")).quantize(CENT))
            if amount < Decimal(100):
                return False
            self._wire_out(case, plan, amount, moment(day_start, rng, 9, 16), out_name)
            case.at(min(self.days - 1, day + rng.randint(1, 2)), back(amount))
            return True

        def back(amount: Decimal) -> Step:
            def run(day: int, day_start: datetime, plan: DayPlan) -> None:
                returned = (amount * Decimal(str(round(rng.uniform(0.97, 1.03), 3)))).quantize(CENT)
                self._wire_in(case, plan, returned, moment(day_start, rng, 9, 16), back_name)

            return run

        for k in range(cycles):
            case.at(min(self.days - 1, case.first_day + 3 * k), send)

    def _plan_dormant_reactivation(self, case: Case) -> None:
        rng, c = case.rng, case.customer
        c.dormant_until = case.first_day
        c.onboarded_at = min(c.onboarded_at, self.start - timedelta(days=rng.randint(150, 400)))
        inbound = Decimal(rng.randint(5000, 30000))
        sender = rng.choice(_SHELLS) + " Inc"
        case.label.details = {"dormant_since": c.onboarded_at.date().isoformat(), "inbound": str(inbound)}

        def wake(day: int, day_start: datetime, plan: DayPlan) -> None:
            self._wire_in(case, plan, inbound, moment(day_start, rng, 8, 11), sender)

        def spend(day: int, day_start: datetime, plan: DayPlan) -> None:
            out = (inbound * Decimal(str(round(rng.uniform(0.7, 0.95), 2)))).quantize(CENT)
            for piece in (out * Decimal("0.6"), out * Decimal("0.4")):
                self._wire_out(
                    case,
                    plan,
                    piece.quantize(CENT),
                    moment(day_start, rng, 12, 20),
                    f"{rng.choice(_STRANGERS)} {rng.randint(100, 999)}",
                )

        case.at(case.first_day, wake)
        case.at(min(self.days - 1, case.first_day + 1), spend)

    def _plan_watchlist_payment(self, case: Case) -> None:
        rng = case.rng
        entity = rng.choice(watchlist())
        payments = rng.randint(1, 3)
        case.label.details = {"entity_id": entity.entity_id, "listed_name": entity.name}

        def pay(day: int, day_start: datetime, plan: DayPlan) -> bool:
            name = rng.choice((entity.name, *entity.aliases, _typo(entity.name, rng)))
            amount = min(
                log_uniform(rng, Decimal(300), Decimal(5000)), (self._spendable(case) * Decimal("0.5")).quantize(CENT)
            )
            if amount < Decimal(50):
                return False
            self._wire_out(
                case,
                plan,
                amount,
                moment(day_start, rng, 8, 18),
                name,
                {"reference": rng.choice(("INVOICE", "CONSULTING", "SERVICES", "GOODS"))},
            )
            return True

        for k in range(payments):
            case.at(min(self.days - 1, case.first_day + 4 * k), pay)


def _typo(name: str, rng: random.Random) -> str:
    """A plausible misspelling: a dropped, doubled or swapped letter."""
    letters = list(name)
    i = rng.randrange(1, len(letters) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        del letters[i]
    elif kind == 1:
        letters.insert(i, letters[i])
    else:
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    return "".join(letters)


def day_start(start: datetime, day: int) -> datetime:
    return datetime.combine(start.date() + timedelta(days=day), time(0), tzinfo=UTC)
