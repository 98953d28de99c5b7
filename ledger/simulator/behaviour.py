"""Everyday banking for one customer on one day: pay, rent, bills, card spending with a daily and weekly
rhythm, P2P, cash, FX and crypto. Everything is drawn from the customer-day's own seeded stream."""

from __future__ import annotations

import random
import zlib
from datetime import datetime, timedelta
from decimal import Decimal

from ledger.fx import converted_amount
from ledger.model import ConversionRequest, Fee, HoldRequest, Leg, Transfer
from ledger.movements import Movement, ach_in, ach_out, cash_deposit, cash_withdrawal, p2p, wire_in, wire_out
from ledger.payments import Channel, Counterparty
from ledger.simulator.descriptors import descriptor
from ledger.simulator.market import Market
from ledger.simulator.plan import CENT, CardAuth, DayPlan, Wallets, log_uniform, moment
from ledger.simulator.population import CRYPTO, FIAT, SimCustomer, fees
from ledger.simulator.reference import Merchant
from ledger.simulator.vocabulary import FIRST_NAMES, LAST_NAMES, TRADING_PARTNERS
from ledger.simulator.vocabulary_aml import MORTGAGE_LENDERS

# Category: (share of card payments, first hour, last hour, weekend factor)
CARD_MIX: dict[str, tuple[float, float, float, float]] = {
    "grocery": (0.20, 8, 21, 1.4),
    "fast_food": (0.12, 11, 22, 1.1),
    "coffee": (0.11, 6.5, 11, 0.8),
    "restaurant": (0.08, 12, 22.5, 1.6),
    "fuel": (0.06, 6, 21, 1.0),
    "marketplace": (0.07, 0, 24, 1.0),
    "convenience": (0.04, 6, 23.5, 1.0),
    "pharmacy": (0.03, 9, 20, 0.9),
    "clothing": (0.03, 10, 20, 1.8),
    "ride_share": (0.04, 0, 24, 1.3),
    "food_delivery": (0.04, 17, 23, 1.3),
    "department_store": (0.02, 10, 21, 1.7),
    "discount_store": (0.02, 9, 21, 1.3),
    "home_improvement": (0.015, 8, 20, 1.8),
    "transit": (0.02, 6, 22, 0.6),
    "parking": (0.01, 8, 22, 1.0),
    "electronics": (0.008, 10, 21, 1.5),
    "cinema": (0.008, 17, 23, 2.0),
    "books": (0.005, 10, 20, 1.4),
    "pet": (0.008, 9, 20, 1.3),
    "beauty": (0.008, 10, 20, 1.4),
    "sporting_goods": (0.005, 10, 20, 1.6),
    "alcohol": (0.008, 16, 22, 1.8),
    "gaming": (0.008, 16, 24, 1.5),
    "auto": (0.005, 8, 18, 1.2),
    "wholesale_club": (0.008, 10, 20, 1.8),
    "furniture": (0.003, 10, 20, 2.0),
    "toys": (0.003, 10, 19, 1.8),
    "jewelry": (0.001, 11, 19, 1.6),
    "office_supplies": (0.003, 9, 18, 0.5),
    "education": (0.002, 9, 22, 1.0),
    "charity": (0.002, 9, 22, 1.0),
}
TRAVEL = ("airline", "hotel", "car_rental", "travel_agency")
CARD_PAYMENTS_PER_DAY = 2.4
HOLD_DAYS = 7


MINOR_UNITS = {"USD": 2, "EUR": 2, "GBP": 2, "BTC": 8, "ETH": 18}


def external_account(name: str) -> str:
    """A stable pseudo account number for an external counterparty (same name, same number)."""
    return f"EXT-{zlib.crc32(name.encode()) % 10**8:08d}"


def party(name: str) -> Counterparty:
    """An outside party with its stable pseudo account number."""
    return Counterparty(name, external_account(name))


def branch(city: str, idx: int) -> str:
    """The branch a customer banks at: one of a few per city."""
    return f"BR-{city.upper().replace(' ', '')[:6]}-{zlib.crc32(city.encode()) % 50 + idx % 3:03d}"


def _conversion_text(source: str, target: str) -> str:
    if target in CRYPTO:
        return f"BUY {target}"
    if source in CRYPTO:
        return f"SELL {source}"
    return f"FX {source} TO {target}"


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = pow(2.718281828459045, -lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class Behaviour:
    """Generates normal activity into day plans; `refs` makes the deterministic reference ids."""

    def __init__(self, seed: int, customers: list[SimCustomer], market: Market, wallets: Wallets) -> None:
        self.seed = seed
        self.customers = customers
        self.market = market
        self.wallets = wallets
        self._categories = list(CARD_MIX)
        self._weights = [v[0] for v in CARD_MIX.values()]

    # -- helpers ------------------------------------------------------------------------------------
    def ref(self, kind: str, c: SimCustomer, day: int, n: int) -> str:
        return f"sim{self.seed}:{kind}:{c.idx}:{day}:{n}"

    def transfer(self, plan: DayPlan, item: Transfer | Movement, moves: list[tuple[str, Decimal]]) -> None:
        """Queue a transfer or movement, moving the simulator's own balances (undone if the ledger refuses)."""
        plan.transfers.append(item)
        for code, amount in moves:
            self.wallets.move(code, amount)
        plan.undo[item.reference_id] = [(code, -amount) for code, amount in moves]

    def card(
        self,
        plan: DayPlan,
        c: SimCustomer,
        merchant: Merchant,
        amount: Decimal,
        at: datetime,
        ref: str,
        rng: random.Random,
        *,
        currency: str | None = None,
        city: str | None = None,
        region: str | None = None,
        outcome: str | None = None,
        capture: Decimal | None = None,
        resolve_after: timedelta | None = None,
    ) -> CardAuth | None:
        """Authorise a card payment (a hold to the card scheme) if the model says funds suffice."""
        account = c.account(currency)
        auth = amount
        if merchant.category in ("restaurant",):  # tip added at capture, within the authorised amount
            auth = (amount * Decimal("1.25")).quantize(CENT)
        elif merchant.category == "fuel":
            auth = max(amount, Decimal(100 if rng.random() < 0.7 else 175))
        elif merchant.category in ("hotel", "car_rental"):
            auth = (amount * Decimal("1.15")).quantize(CENT)
        if not self.wallets.can_spend(account, auth):
            return None
        if outcome is None:
            roll = rng.random()
            outcome = "VOID" if roll < 0.02 else "EXPIRE" if roll < 0.03 else "CAPTURE"
        if capture is None and outcome == "CAPTURE":
            capture = (
                (amount * Decimal(str(round(rng.uniform(1.12, 1.22), 2)))).quantize(CENT)
                if merchant.category == "restaurant"
                else amount
            )
            capture = min(capture, auth)
        if resolve_after is None:
            slow = merchant.category in ("hotel", "car_rental", "airline")
            resolve_after = (
                timedelta(hours=rng.uniform(1, 30 if not slow else 70))
                if outcome == "CAPTURE"
                else timedelta(hours=rng.uniform(0.1, 20))
            )
        settlement = f"CARD-SETTLEMENT-{c.currency if currency is None else currency}"
        expires = at + timedelta(days=HOLD_DAYS)
        text = descriptor(merchant, (city or c.city), (region or c.region), rng)
        request = HoldRequest(
            ref, account, settlement, auth, expires, text, effective_at=at, channel=Channel.CARD, mcc=merchant.mcc
        )
        self.wallets.move(account, -auth)
        card = CardAuth(
            request, c, merchant, text, outcome, None if outcome == "EXPIRE" else at + resolve_after, capture
        )
        if outcome == "CAPTURE" and rng.random() < 0.003:
            card.chargeback_at = at + timedelta(days=rng.uniform(10, 40))
        plan.auths.append(card)
        return card

    def pick_merchant(self, c: SimCustomer, category: str, rng: random.Random) -> Merchant:
        favorites = c.favorites[category]
        return favorites[0] if len(favorites) == 1 else rng.choice(favorites)

    # -- one customer-day ---------------------------------------------------------------------------
    def customer_day(self, c: SimCustomer, day: int, day_start: datetime, plan: DayPlan) -> None:
        rng = random.Random(f"{self.seed}:day:{c.idx}:{day}")
        n = 0
        weekday = day_start.weekday()
        dom = day_start.day
        home = c.account()
        cur = c.currency

        if (day + c.pay_offset) % c.pay_every == 0:
            n += 1
            at = moment(day_start, rng, 5, 9)
            amount = (c.salary * Decimal(str(round(rng.uniform(0.98, 1.02), 4)))).quantize(CENT)
            self.transfer(
                plan,
                ach_in(
                    self.ref("salary", c, day, n),
                    home,
                    amount,
                    sender=party(c.employer),
                    effective_at=at,
                    description=f"PAYROLL {c.employer.upper()}",
                ),
                [(home, amount)],
            )
        if c.rent is not None and dom == c.rent_day and self.wallets.can_spend(home, c.rent):
            n += 1
            self.transfer(
                plan,
                ach_out(
                    self.ref("rent", c, day, n),
                    home,
                    c.rent,
                    beneficiary=party(c.landlord),
                    effective_at=moment(day_start, rng, 7, 12),
                    description=f"{'MORTGAGE' if c.landlord in MORTGAGE_LENDERS else 'RENT'} {c.landlord.upper()}",
                ),
                [(home, -c.rent)],
            )
        if dom == 1 and c.monthly_fee > 0 and self.wallets.can_spend(home, c.monthly_fee):
            n += 1
            self.transfer(
                plan,
                Transfer(
                    self.ref("fee", c, day, n),
                    [Leg.debit(home, c.monthly_fee), Leg.credit(fees(cur), c.monthly_fee)],
                    "MONTHLY ACCOUNT FEE",
                    effective_at=moment(day_start, rng, 0, 2),
                    channel=Channel.FEE,
                ),
                [(home, -c.monthly_fee)],
            )
        for sub in c.subscriptions:
            if sub.day_of_month == dom:
                n += 1
                self.card(
                    plan,
                    c,
                    sub.merchant,
                    sub.amount,
                    moment(day_start, rng, 0, 6),
                    self.ref("card", c, day, n),
                    rng,
                    outcome="CAPTURE",
                    capture=sub.amount,
                    resolve_after=timedelta(hours=rng.uniform(1, 4)),
                )

        payments = _poisson(rng, CARD_PAYMENTS_PER_DAY * c.activity * (1.2 if weekday >= 5 else 0.95))
        for category in rng.choices(self._categories, self._weights, k=payments):
            n += 1
            _, first, last, weekend = CARD_MIX[category]
            if weekday >= 5 and rng.random() > weekend / 2:
                continue
            merchant = self.pick_merchant(c, category, rng)
            amount = log_uniform(rng, merchant.min_amount, merchant.max_amount)
            self.card(plan, c, merchant, amount, moment(day_start, rng, first, last), self.ref("card", c, day, n), rng)
        if rng.random() < 0.006 * c.activity:  # a trip: flight, hotel and maybe a car
            for category in rng.sample(TRAVEL, rng.randint(1, 3)):
                n += 1
                merchant = self.pick_merchant(c, category, rng)
                self.card(
                    plan,
                    c,
                    merchant,
                    log_uniform(rng, merchant.min_amount, merchant.max_amount),
                    moment(day_start, rng, 7, 23),
                    self.ref("card", c, day, n),
                    rng,
                )

        if c.friends and rng.random() < 0.09:
            friend = self.customers[rng.choice(c.friends)]
            if cur in friend.accounts and friend.dormant_until <= day:
                n += 1
                amount = Decimal(rng.choice((10, 15, 20, 25, 30, 40, 50, 60, 75, 100, 120, 150))) + (
                    Decimal(rng.randrange(100)) / 100 if rng.random() < 0.4 else 0
                )
                if self.wallets.can_spend(home, amount):
                    to = friend.account(cur)
                    self.transfer(
                        plan,
                        p2p(
                            self.ref("p2p", c, day, n),
                            home,
                            to,
                            amount,
                            effective_at=moment(day_start, rng, 8, 23),
                            description=rng.choice(
                                ("Dinner", "Rent share", "Thanks!", "Tickets", "Groceries", "Birthday gift", "Drinks")
                            ),
                        ),
                        [(home, -amount), (to, amount)],
                    )
        if c.cash_user and rng.random() < 0.08:
            n += 1
            amount = Decimal(rng.choice((20, 40, 60, 80, 100, 120, 140, 200, 300)))
            at = moment(day_start, rng, 7, 23)
            atm = f"ATM{(c.idx * 7919 + day) % 9000 + 1000}"
            if self.wallets.can_spend(home, amount + Decimal("2.50")):
                self.transfer(
                    plan,
                    cash_withdrawal(
                        self.ref("atm", c, day, n),
                        home,
                        amount,
                        location=atm,
                        effective_at=at,
                        description=f"ATM WITHDRAWAL {atm} {c.city}",
                    ),
                    [(home, -amount)],
                )
                if rng.random() < 0.3:
                    n += 1
                    fee = Decimal("2.50")
                    self.transfer(
                        plan,
                        Transfer(
                            self.ref("atmfee", c, day, n),
                            [Leg.debit(home, fee), Leg.credit(fees(cur), fee)],
                            "OUT-OF-NETWORK ATM FEE",
                            effective_at=at + timedelta(seconds=1),
                            channel=Channel.FEE,
                        ),
                        [(home, -fee)],
                    )
        if c.segment == "SMALL_BUSINESS" and rng.random() < 0.05:
            n += 1
            big = rng.random() < 0.02
            amount = log_uniform(rng, Decimal(10000 if big else 150), Decimal(25000 if big else 4000))
            self.transfer(
                plan,
                cash_deposit(
                    self.ref("cashdep", c, day, n),
                    home,
                    amount,
                    location=branch(c.city, c.idx),
                    effective_at=moment(day_start, rng, 9, 17),
                    description=f"BRANCH CASH DEPOSIT {c.city}",
                ),
                [(home, amount)],
            )
        if c.cash_user and rng.random() < 0.01:  # counter withdrawal at a branch
            n += 1
            amount = Decimal(rng.choice((300, 500, 800, 1000, 1500, 2000)))
            if self.wallets.can_spend(home, amount):
                self.transfer(
                    plan,
                    cash_withdrawal(
                        self.ref("branchwd", c, day, n),
                        home,
                        amount,
                        location=branch(c.city, c.idx),
                        effective_at=moment(day_start, rng, 9, 16.5),
                        description=f"BRANCH CASH WITHDRAWAL {c.city}",
                    ),
                    [(home, -amount)],
                )
        if c.fx_user and rng.random() < 0.035:
            n += 1
            other = next(x for x in c.accounts if x in FIAT and x != cur)
            source, target = (cur, other) if rng.random() < 0.75 else (other, cur)
            self.convert(
                plan,
                c,
                source,
                target,
                log_uniform(rng, Decimal(50), Decimal(1500)),
                moment(day_start, rng, 8, 22),
                self.ref("fx", c, day, n),
            )
        if c.crypto_trader:
            for coin in (x for x in c.accounts if x in CRYPTO):
                if rng.random() < 0.04:
                    n += 1
                    self.convert(
                        plan,
                        c,
                        cur,
                        coin,
                        log_uniform(rng, Decimal(20), Decimal(600)),
                        moment(day_start, rng, 0, 24),
                        self.ref("crypto", c, day, n),
                    )
                held = self.wallets.available.get(c.accounts[coin], Decimal(0))
                if held > 0 and rng.random() < 0.015:
                    n += 1
                    amount = (held * Decimal(str(round(rng.uniform(0.1, 0.6), 2)))).quantize(Decimal("1e-8"))
                    if amount > 0:
                        self.convert(
                            plan, c, coin, cur, amount, moment(day_start, rng, 0, 24), self.ref("crypto", c, day, n)
                        )

        self._wires(c, day, day_start, plan, rng, n)

    def _wires(self, c: SimCustomer, day: int, day_start: datetime, plan: DayPlan, rng: random.Random, n: int) -> None:
        """Ordinary wires, so that a wire alone says nothing: small businesses pay suppliers and are paid
        by clients; other customers now and then send money to, or get it from, family."""
        business = c.segment == "SMALL_BUSINESS"
        if rng.random() >= (0.06 if business else 0.004):
            return
        home = c.account()
        family = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        counterparty = rng.choice(TRADING_PARTNERS) if business else family
        inbound = rng.random() < (0.5 if business else 0.35)
        amount = log_uniform(rng, Decimal(150), Decimal(6000 if business else 2500))
        at = moment(day_start, rng, 8, 18)
        ref = self.ref("wire", c, day, n + 1)
        if inbound:
            self.transfer(
                plan, wire_in(ref, home, amount, sender=party(counterparty), effective_at=at), [(home, amount)]
            )
        elif self.wallets.can_spend(home, amount):
            wire = wire_out(ref, home, amount, beneficiary=party(counterparty), effective_at=at)
            self.transfer(plan, wire, [(home, -amount)])

    def convert(
        self,
        plan: DayPlan,
        c: SimCustomer,
        source: str,
        target: str,
        amount: Decimal,
        at: datetime,
        ref: str,
        *,
        fee_rate: Decimal = Decimal("0.005"),
    ) -> None:
        """A conversion at the market rate of the moment, with a fee in the source currency."""
        source_account, target_account = c.account(source), c.account(target)
        fee_currency_minor = Decimal("1e-8") if source in CRYPTO else CENT
        fee = max(fee_currency_minor, (amount * fee_rate).quantize(fee_currency_minor))
        if source in CRYPTO:
            fee_account = None  # crypto sales pay the fee in fiat: folded into the rate spread instead
            fee = Decimal(0)
        else:
            fee_account = fees(source)
        if not self.wallets.can_spend(source_account, amount + fee):
            return
        rate = self.market.rate(source, target, at)
        received, _ = converted_amount(amount, rate, MINOR_UNITS[target], "ROUND_HALF_EVEN")
        if received <= 0:
            return
        plan.conversions.append(
            ConversionRequest(
                ref,
                source_account,
                target_account,
                amount,
                rate,
                Fee(fee, fee_account) if fee_account else None,
                _conversion_text(source, target),
                None,
                at,
            )
        )
        self.wallets.move(source_account, -(amount + fee))
        self.wallets.move(target_account, received)
        plan.undo[ref] = [(source_account, amount + fee), (target_account, -received)]
