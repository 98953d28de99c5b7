"""What scenario generators are built from: a `Case` (one labelled scenario and its scheduled steps), the
`Actors` who take part (picked from the population or onboarded for the scenario), and the `Kit` of
money movements through the ledger's typed helpers, each one recorded in the case's label.

Steps run inside `Typologies.plan_day`, after the population's own activity of the day, and move the
simulator's balance model like everything else (a step that cannot act yet returns False and is tried
again the next day). A node of a transfer graph is a customer (`SimCustomer`) or an outside party
(`Counterparty` with a stable account identifier): money between two outside parties is invisible to
the bank and leaves no entry.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from ledger.model import Leg, Transfer
from ledger.movements import (
    Movement,
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
from ledger.payments import Channel, Counterparty
from ledger.simulator.behaviour import MINOR_UNITS, Behaviour, branch, party
from ledger.simulator.plan import CENT, CardAuth, DayPlan, Label, Wallets
from ledger.simulator.population import (
    CRYPTO,
    FIAT,
    HOME_CURRENCY,
    SimCustomer,
    _merchants_for,
    build_customer,
    safeguarding,
)
from ledger.simulator.reference import Merchant
from ledger.simulator.scenario_params import Params
from ledger.simulator.vocabulary import PLACES
from ledger.simulator.vocabulary_aml import company, person, wallet_address

Node = SimCustomer | Counterparty
FX_FEE = Decimal("0.005")  # the fee rate of `Behaviour.convert`
PASS_ON = Decimal("0.8")  # an account passing money on sends what it still holds, if most of it
_LAST = datetime.max.replace(tzinfo=UTC)
_KINDS_IN = {"CASH": "cashdep", "WIRE": "wire", "ACH": "ach", "P2P": "p2p"}
_KINDS_OUT = {"WIRE": "wire", "ACH": "ach", "P2P": "p2p"}
Step = Callable[[int, datetime, DayPlan], "bool | None"]
Action = Callable[[DayPlan, datetime], "bool | None"]


@dataclass(slots=True)
class Case:
    """One injected scenario: its label (ground truth) and its steps by day."""

    key: int
    family: str
    rng: random.Random
    params: Params
    label: Label
    steps: dict[int, list[Step]] = field(default_factory=dict)
    # Why the case was not posted whole (a step left for after the run's end, a payment the customer could
    # not afford): the label says so, and recall is scored on whole cases only.
    unfinished: list[str] = field(default_factory=list)

    def at(self, day: int, step: Step) -> None:
        self.steps.setdefault(day, []).append(step)

    def detail(self, **values: object) -> None:
        self.label.details.update(values)


def currency_of(country: str) -> str:
    return HOME_CURRENCY.get(country, "EUR")


def places_for(currency: str) -> list[tuple[str, str, str]]:
    return [p for p in PLACES if currency_of(p[2]) == currency]


class Actors:
    """Customers taking part in scenarios: each population customer in at most one case, and customers
    onboarded for a scenario (appended to the population, registered with the others)."""

    def __init__(self, seed: int, population: Sequence[SimCustomer], start: datetime) -> None:
        self.seed = seed
        self.population = population
        self.size = len(population)
        self.start = start
        self.created: list[SimCustomer] = []
        self.taken: set[int] = set()
        self.occupations: dict[int, str] = {}
        self.by_currency: dict[str, list[int]] = {}
        for c in population:
            self.by_currency.setdefault(c.currency, []).append(c.idx)

    def pick(
        self,
        rng: random.Random,
        currency: str,
        *,
        segments: Sequence[str] | None = None,
        accept: Callable[[SimCustomer], bool] | None = None,
        fallback_segment: str = "RETAIL",
    ) -> SimCustomer:
        """A population customer not yet in a case (onboarding a new one when none fits)."""

        def fits(c: SimCustomer) -> bool:
            return (
                c.idx not in self.taken
                and (segments is None or c.segment in segments)
                and (accept is None or accept(c))
            )

        pool = self.by_currency.get(currency, [])
        for _ in range(min(60, 3 * len(pool))):
            c = self.population[rng.choice(pool)]
            if fits(c):
                self.taken.add(c.idx)
                return c
        left = [i for i in pool if fits(self.population[i])]
        if left:
            c = self.population[rng.choice(left)]
            self.taken.add(c.idx)
            return c
        return self.create(rng, currency, segments[0] if segments else fallback_segment)

    def pick_many(self, rng: random.Random, count: int, currency: str, **kwargs: object) -> list[SimCustomer]:
        return [self.pick(rng, currency, **kwargs) for _ in range(count)]  # type: ignore[arg-type]

    def create(
        self,
        rng: random.Random,
        currency: str,
        segment: str,
        *,
        occupation: str | None = None,
        onboarded_at: datetime | None = None,
        last_name: str | None = None,
        salary: Decimal | None = None,
        city: tuple[str, str, str] | None = None,
        **overrides: object,
    ) -> SimCustomer:
        """A customer onboarded for a scenario, with a realistic profile; inactive before onboarding."""
        idx = self.size + len(self.created)
        base = build_customer(self.seed, idx, self.size, self.start.date())
        place = city or (
            (base.city, base.region, base.country)
            if base.currency == currency
            else rng.choice(places_for(currency) or [p for p in PLACES if p[2] == "US"])
        )
        others = [k for k in base.accounts if k not in (base.currency, currency)]
        accounts = {currency: f"{base.ref}-{currency}"} | {k: f"{base.ref}-{k}" for k in others}
        name = base.name if last_name is None else f"{base.name.split(' ', 1)[0]} {last_name}"
        pay = base.salary if salary is None else salary
        if salary is None and (segment == "STUDENT") != (base.segment == "STUDENT"):
            pay = (base.salary / 4 if segment == "STUDENT" else base.salary * 4).quantize(CENT)
        fields: dict[str, object] = {
            "name": name,
            "city": place[0],
            "region": place[1],
            "country": place[2],
            "currency": currency,
            "accounts": accounts,
            "segment": segment,
            "salary": pay,
            "rent": None if segment == "SMALL_BUSINESS" or occupation == "landlord" else base.rent,
            "fx_user": base.fx_user and any(k in FIAT for k in others),
            "crypto_trader": base.crypto_trader and any(k in CRYPTO for k in others),
            "monthly_fee": Decimal("9.99") if segment == "PREMIUM" else Decimal(0),
        }
        if place[2] != base.country:
            fields["favorites"] = {
                cat: rng.sample(items, min(len(items), rng.randint(2, 5)))
                for cat, items in _merchants_for(place[2]).items()
            }
        fields.update(overrides)
        c = replace(base, **fields)  # type: ignore[arg-type]
        if onboarded_at is not None:
            c.onboarded_at = onboarded_at
            if onboarded_at >= self.start:
                c.dormant_until = (onboarded_at - self.start).days + 1
        self.created.append(c)
        self.taken.add(idx)
        if occupation is not None:
            self.occupations[idx] = occupation
        return c

    @staticmethod
    def add_account(c: SimCustomer, currency: str) -> str:
        """Open another currency account for a scenario (only while planning, before accounts are opened)."""
        return c.accounts.setdefault(currency, f"{c.ref}-{currency}")


class Kit:
    """Money movements for scenarios, through the ledger's typed helpers, each recorded in the case's label."""

    def __init__(
        self,
        seed: int,
        split: str,
        behaviour: Behaviour,
        wallets: Wallets,
        actors: Actors,
        days: int,
        start: datetime,
    ) -> None:
        self.seed = seed
        self.split = split
        self.behaviour = behaviour
        self.wallets = wallets
        self.actors = actors
        self.days = days
        self.start = start
        self.counters: dict[tuple[int, int], int] = {}
        self.today = 0  # the day being planned (steps never land on a day already planned)
        self.sent = Decimal(0)  # what the last payment moved
        self._indexed: tuple[DayPlan | None, int, int] = (None, 0, 0)
        self._inflows: dict[str, list[tuple[datetime, Decimal]]] = {}

    # -- time ---------------------------------------------------------------------------------------
    def day_of(self, at: datetime) -> int:
        return (at - self.start).days

    def day_start(self, day: int) -> datetime:
        return datetime.combine(self.start.date() + timedelta(days=day), time(0), tzinfo=UTC)

    def time_on(self, day: int, rng: random.Random, first_hour: float, last_hour: float) -> datetime:
        seconds = int(rng.uniform(first_hour, last_hour) * 3600)
        return self.day_start(day) + timedelta(seconds=min(max(seconds, 0), 86399))

    def first_day(self, case: Case, span_days: int, earliest: int = 0) -> int:
        """A start day that leaves `span_days` for the scenario to play out when the run is long enough."""
        last = max(0, self.days - 1 - span_days)
        return case.rng.randint(min(earliest, last), last)

    def business_days(self, first: int, count: int) -> list[int]:
        found, day = [], first
        while len(found) < count:
            if self.day_start(day).weekday() < 5:
                found.append(day)
            day += 1
        return found

    def when(self, case: Case, at: datetime, action: Action) -> None:
        """Run `action` on the day of `at` (at that time; a retry keeps the time of day)."""
        scheduled = max(self.today, self.day_of(at))

        def step(day: int, _: datetime, plan: DayPlan) -> bool | None:
            return action(plan, at + timedelta(days=day - scheduled))

        case.at(scheduled, step)

    # -- labels -------------------------------------------------------------------------------------
    def ref(self, c: SimCustomer, at: datetime, kind: str) -> str:
        """A reference shaped like the population's own (`sim<seed>:<kind>:<customer>:<day>:<n>`), so that
        nothing in the ledger says which entries belong to a scenario; n starts above any day's own count."""
        key = (c.idx, self.day_of(at))
        n = self.counters[key] = self.counters.get(key, 100) + 1
        return f"sim{self.seed}:{kind}:{c.idx}:{key[1]}:{n}"

    def involve(self, case: Case, *nodes: Node) -> None:
        label = case.label
        for node in nodes:
            if isinstance(node, SimCustomer) and all(c.idx != node.idx for c in label.customers):
                label.customers.append(node)

    def mark(self, case: Case, ref: str, kind: str, at: datetime, accounts: Sequence[str] = ()) -> None:
        label = case.label
        if not label.entries:
            label.window_start = label.window_end = at
        label.window_start, label.window_end = min(label.window_start, at), max(label.window_end, at)
        label.entries.append((ref, kind))
        for code in accounts:
            if code not in label.accounts:
                label.accounts.append(code)

    def _queue(self, case: Case, plan: DayPlan, item: Transfer | Movement, moves: list[tuple[str, Decimal]]) -> None:
        self.behaviour.transfer(plan, item, moves)
        assert item.effective_at is not None
        self.mark(case, item.reference_id, "journal", item.effective_at, [code for code, _ in moves])

    # -- balances -----------------------------------------------------------------------------------
    def spendable(self, c: SimCustomer, currency: str | None = None) -> Decimal:
        return max(Decimal(0), self.wallets.available.get(c.account(currency), Decimal(0)))

    def free(self, plan: DayPlan, c: SimCustomer, at: datetime, currency: str | None = None) -> Decimal:
        """What the customer's account can pay out at `at` on the day being planned (see `afford`)."""
        code = c.account(currency)
        return max(Decimal(0), self.wallets.available.get(code, Decimal(0)) - self._arriving(plan, code, at))

    def afford(
        self, plan: DayPlan, code: str, amount: Decimal, at: datetime, min_share: Decimal | None = None
    ) -> Decimal:
        """What of `amount` the account can pay at `at` (0: nothing). The balance model counts the whole
        day, but the ledger posts a day's transfers in time order and its conversions after them: money
        arriving later that day, or by a conversion that day, cannot pay for this."""
        self.sent = Decimal(0)
        if amount <= 0:
            return Decimal(0)
        free = self.wallets.available.get(code, Decimal(0)) - self._arriving(plan, code, at)
        if free >= amount:
            self.sent = amount
        elif min_share is not None and free > 0 and free >= amount * min_share:
            self.sent = free.quantize(CENT, rounding="ROUND_DOWN")
        return self.sent

    def _arriving(self, plan: DayPlan, code: str, at: datetime) -> Decimal:
        if self._indexed[0] is not plan:
            self._indexed = (plan, 0, 0)
            self._inflows = {}
        _, done_transfers, done_conversions = self._indexed
        for item in plan.transfers[done_transfers:]:
            if isinstance(item, Movement) and item.effective_at is not None:
                to = item.to_account if item.to_account is not None else item.account if item.inbound else None
                if to is not None:
                    self._inflows.setdefault(to, []).append((item.effective_at, Decimal(item.amount)))
        for request in plan.conversions[done_conversions:]:
            undo = plan.undo.get(request.reference_id)
            if undo is not None:  # a conversion reaches the ledger after every transfer of its day
                self._inflows.setdefault(request.to_account, []).append((_LAST, -undo[1][1]))
        self._indexed = (plan, len(plan.transfers), len(plan.conversions))
        return sum((amount for when, amount in self._inflows.get(code, ()) if when > at), Decimal(0))

    # -- places -------------------------------------------------------------------------------------
    @staticmethod
    def atm(rng: random.Random) -> str:
        return f"ATM{rng.randint(1000, 9999)}"

    @staticmethod
    def home_branch(c: SimCustomer) -> str:
        return branch(c.city, c.idx)

    @staticmethod
    def other_cities(c: SimCustomer, rng: random.Random, count: int) -> list[tuple[str, str, str]]:
        """Cities of the customer's country (or currency area) other than its own, for out-of-area cash."""
        pool = [p for p in places_for(c.currency) if p[0] != c.city] or [p for p in PLACES if p[0] != c.city]
        return rng.sample(pool, min(count, len(pool)))

    # -- outside parties ----------------------------------------------------------------------------
    @staticmethod
    def person(rng: random.Random) -> Counterparty:
        return party(person(rng))

    @staticmethod
    def company(rng: random.Random) -> Counterparty:
        return party(company(rng))

    # -- movements ----------------------------------------------------------------------------------
    def receive(
        self,
        case: Case,
        plan: DayPlan,
        c: SimCustomer,
        amount: Decimal,
        at: datetime,
        channel: str,
        sender: Counterparty | None = None,
        *,
        location: str | None = None,
        text: str | None = None,
        currency: str | None = None,
    ) -> None:
        """Money from outside into a customer's account: CASH (a deposit), WIRE, ACH or P2P."""
        home = c.account(currency)
        ref = self.ref(c, at, _KINDS_IN[channel])
        self.involve(case, c)
        if channel == "CASH":
            item = cash_deposit(
                ref, home, amount, location=location or self.home_branch(c), effective_at=at, description=text
            )
        else:
            assert sender is not None
            make = {"WIRE": wire_in, "ACH": ach_in}.get(channel)
            item = (
                make(ref, home, amount, sender=sender, effective_at=at, description=text)
                if make is not None
                else p2p_in(ref, home, amount, payer=sender, effective_at=at, description=text)
            )
        self._queue(case, plan, item, [(home, amount)])

    def send(
        self,
        case: Case,
        plan: DayPlan,
        c: SimCustomer,
        amount: Decimal,
        at: datetime,
        channel: str,
        beneficiary: Counterparty | None = None,
        *,
        location: str | None = None,
        text: str | None = None,
        currency: str | None = None,
        min_share: Decimal | None = None,
    ) -> bool:
        """Money out of a customer's account: CASH (a withdrawal), WIRE, ACH or P2P; False without funds.
        With `min_share`, what is there is sent when it is at least that share of `amount` (`sent` says
        how much): a customer passing money on does not top it up from its own pocket."""
        home = c.account(currency)
        amount = self.afford(plan, home, amount, at, min_share)
        if amount <= 0:
            return False
        where = location or self.home_branch(c)
        kind = ("atm" if where.startswith("ATM") else "branchwd") if channel == "CASH" else _KINDS_OUT[channel]
        ref = self.ref(c, at, kind)
        self.involve(case, c)
        if channel == "CASH":
            item = cash_withdrawal(ref, home, amount, location=where, effective_at=at, description=text)
        else:
            assert beneficiary is not None
            make = {"WIRE": wire_out, "ACH": ach_out}.get(channel)
            item = (
                make(ref, home, amount, beneficiary=beneficiary, effective_at=at, description=text)
                if make is not None
                else p2p_out(ref, home, amount, payee=beneficiary, effective_at=at, description=text)
            )
        self._queue(case, plan, item, [(home, -amount)])
        return True

    def internal(
        self,
        case: Case,
        plan: DayPlan,
        a: SimCustomer,
        b: SimCustomer,
        amount: Decimal,
        at: datetime,
        channel: str = "P2P",
        *,
        text: str | None = None,
        currency: str | None = None,
        min_share: Decimal | None = None,
    ) -> bool:
        """Customer to customer: one P2P entry, or for WIRE/ACH the on-us pair (out of one account naming
        the other as beneficiary, into the other naming the payer)."""
        cur = currency or a.currency
        src, dst = a.account(cur), b.account(cur)
        amount = self.afford(plan, src, amount, at, min_share)
        if amount <= 0:
            return False
        self.involve(case, a, b)
        if channel == "P2P":
            item = p2p(self.ref(a, at, "p2p"), src, dst, amount, effective_at=at, description=text)
            self._queue(case, plan, item, [(src, -amount), (dst, amount)])
            return True
        make_out, make_in = (wire_out, wire_in) if channel == "WIRE" else (ach_out, ach_in)
        kind = _KINDS_OUT[channel]
        out = make_out(
            self.ref(a, at, kind), src, amount, beneficiary=Counterparty(b.name, dst), effective_at=at, description=text
        )
        self._queue(case, plan, out, [(src, -amount)])
        landed = at + timedelta(seconds=case.rng.randint(5, 900))
        arrive = make_in(
            self.ref(b, landed, kind),
            dst,
            amount,
            sender=Counterparty(a.name, src),
            effective_at=landed,
            description=text,
        )
        self._queue(case, plan, arrive, [(dst, amount)])
        return True

    def pay(
        self,
        case: Case,
        plan: DayPlan,
        src: Node,
        dst: Node,
        amount: Decimal,
        at: datetime,
        *,
        text: str | None = None,
        min_share: Decimal | None = None,
    ) -> bool:
        """One edge of a transfer graph, on the channel the case's parameters give for its kind of edge."""
        p = case.params
        self.sent = amount
        if isinstance(src, SimCustomer) and isinstance(dst, SimCustomer):
            channel = p.pick("internal_channel")
            return self.internal(case, plan, src, dst, amount, at, channel, text=text, min_share=min_share)
        if isinstance(src, SimCustomer):
            assert isinstance(dst, Counterparty)
            return self.send(case, plan, src, amount, at, p.pick("out_channel"), dst, text=text, min_share=min_share)
        if isinstance(dst, SimCustomer):
            key = "in_channel" if "in_channel" in p.values else "out_channel"
            self.receive(case, plan, dst, amount, at, p.pick(key), src, text=text)
        return True  # between two outside parties: the bank sees nothing

    def fund(
        self,
        case: Case,
        plan: DayPlan,
        c: SimCustomer,
        amount: Decimal,
        at: datetime,
        how: str,
        sender: Counterparty | None = None,
    ) -> None:
        """If the customer's balance cannot cover `amount`, the shortfall (and a little more) arrives first:
        in cash or from an outside party (placement), or from `sender` (the customer's own savings)."""
        rng = case.rng
        arrive = max(
            self.day_start(self.day_of(at)) + timedelta(minutes=1), at - timedelta(minutes=rng.randint(20, 300))
        )
        short = amount - self.free(plan, c, arrive)
        if short <= 0:
            return
        top = to_multiple(short * Decimal(str(round(rng.uniform(1.02, 1.2), 3))), 10, up=True)
        if how == "CASH" and top >= 9000:
            how = "WIRE"
        if how == "CASH":
            self.receive(case, plan, c, top, arrive, "CASH", location=self.home_branch(c))
        else:
            sender = sender or (self.person(rng) if how == "P2P" else self.company(rng))
            self.receive(case, plan, c, top, arrive, how, sender)
        case.label.details["top_ups"] = int(str(case.label.details.get("top_ups", 0))) + 1

    def convert(
        self,
        case: Case,
        plan: DayPlan,
        c: SimCustomer,
        source: str,
        target: str,
        amount: Decimal,
        at: datetime,
        *,
        fee_included: bool = False,
    ) -> Decimal:
        """A conversion at the market rate; returns what arrived in `target` (0 when funds fall short).
        `fee_included`: `amount` is all the customer spends, the platform's fee (on fiat) included."""
        if fee_included and source not in CRYPTO:
            amount = (amount / (1 + FX_FEE)).quantize(CENT, rounding="ROUND_DOWN") - CENT
        ref = self.ref(c, at, "crypto" if source in CRYPTO or target in CRYPTO else "fx")
        self.behaviour.convert(plan, c, source, target, amount, at, ref)
        undo = plan.undo.get(ref)
        if undo is None:
            return Decimal(0)
        self.involve(case, c)
        self.mark(case, ref, "journal", at, [c.account(source), c.account(target)])
        return -undo[1][1]

    def crypto_withdraw(
        self, case: Case, plan: DayPlan, c: SimCustomer, coin: str, quantity: Decimal, at: datetime, owner: str
    ) -> bool:
        """Coins leave custody for an outside wallet (`owner` names it; the address is stable per owner)."""
        account = c.account(coin)
        quantity = quantity.quantize(Decimal(1).scaleb(-min(MINOR_UNITS[coin], 8)), rounding="ROUND_DOWN")
        if quantity <= 0 or self.afford(plan, account, quantity, at) <= 0:
            return False
        address = wallet_address(owner, coin)
        item = Transfer(
            self.ref(c, at, "crypto"),
            [Leg.debit(account, quantity), Leg.credit(safeguarding(coin), quantity)],
            f"{coin} WITHDRAWAL TO {address[:14]}",
            None,
            at,
            Channel.CRYPTO,
            Counterparty(owner, address),
        )
        self.involve(case, c)
        self._queue(case, plan, item, [(account, -quantity)])
        return True

    def crypto_out(
        self,
        case: Case,
        c: SimCustomer,
        coin: str,
        amount: Decimal,
        at: datetime,
        owner: str,
        delay: timedelta,
    ) -> None:
        """Buy `coin` for `amount` of the home currency at `at`, then send the coins to an outside wallet
        after `delay` (never the same day: a day's conversions reach the ledger after its transfers)."""

        def buy(plan: DayPlan, when: datetime) -> bool:
            # what the account still holds, if most of the amount (conversions come after the day's transfers)
            spend = min(amount, (self.spendable(c) / (1 + FX_FEE)).quantize(CENT, rounding="ROUND_DOWN"))
            if spend < amount * PASS_ON:
                return False
            got = self.convert(case, plan, c, c.currency, coin, spend, when)
            if got <= 0:
                return False
            out = max(when + delay, self.day_start(self.day_of(when) + 1) + timedelta(minutes=case.rng.randint(5, 600)))
            self.when(case, out, lambda plan, t: self.crypto_withdraw(case, plan, c, coin, got, t, owner))
            return True

        self.when(case, at, buy)

    def card(
        self,
        case: Case,
        plan: DayPlan,
        c: SimCustomer,
        merchant: Merchant,
        amount: Decimal,
        at: datetime,
        **kwargs: object,
    ) -> CardAuth | None:
        ref = self.ref(c, at, "card")
        auth = self.behaviour.card(plan, c, merchant, amount, at, ref, case.rng, **kwargs)  # type: ignore[arg-type]
        if auth is not None:
            self.involve(case, c)
            self.mark(case, ref, "hold", at, [auth.request.from_account])
            case.label.cards.append(auth)
        else:
            case.unfinished.append(f"card authorisation {ref} not affordable")
        return auth


def pieces(total: Decimal, count: int, rng: random.Random, spread: float = 0.35) -> list[Decimal]:
    """`total` cut into `count` uneven pieces to the cent that add up exactly."""
    if count <= 1:
        return [total]
    weights = [rng.uniform(1 - spread, 1 + spread) for _ in range(count)]
    scale = sum(weights)
    parts = [(total * Decimal(w / scale)).quantize(CENT) for w in weights[:-1]]
    return [*parts, total - sum(parts, Decimal(0))]


def round_amount(amount: Decimal, rng: random.Random) -> Decimal:
    """People often send round sums: to the ten or hundred, sometimes to the cent."""
    roll = rng.random()
    if roll < 0.4 and amount >= 200:
        return to_multiple(amount, 100 if amount >= 1000 else 10)
    if roll < 0.7:
        return amount.quantize(Decimal(1))
    return amount.quantize(CENT)


def to_multiple(amount: Decimal, step: int, *, up: bool = False) -> Decimal:
    """`amount` to a multiple of `step` (nearest, or up)."""
    units = (amount / step).quantize(Decimal(1), rounding="ROUND_CEILING" if up else "ROUND_HALF_EVEN")
    return max(Decimal(step), units * step)
