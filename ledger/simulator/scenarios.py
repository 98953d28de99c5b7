"""Laundering and fraud scenarios around cash, mules, dormant accounts, FX, cards and names.

Each generator plans one case from its family's parameters (`scenario_params`, tune, holdout or holdout2
ranges): it picks or onboards the actors at once and schedules the case's steps. The shapes follow the public
literature (FFIEC BSA/AML Manual appendices F and G, FinCEN FIN-2014-A005 funnel accounts and
FIN-2020-A003 money mules, card-testing vendor notes); the eight transfer-graph patterns of AMLSim and
AMLworld and the layering chain are in `scenarios_graph`.

    structuring           cash deposits under the CTR threshold over business days, summing above it
    cash_rapid_outflow    cash in (out of area), most of it out within days by wire, P2P, crypto or cash
    receipt_cashed_out    a loan, savings or a payer's money received, then drawn in cash within days
    smurfing              several customers deposit or receive below thresholds and pass it to one party
    money_mule            many outside payers into a (new) account, most of it out within days
    dormant_reactivation  a long-quiet account moves a large inflow on, or is drained
    fx_round_trip         conversions between receipt and payout (fiat loop, other currency, crypto)
    card_testing          tiny authorisations on one card within minutes, mostly voided
    card_testing_merchant tiny authorisations on several customers' cards at one merchant
    account_takeover      a burst of payments to new payees draining the account
    watchlist_payment     payments to a listed party, its name spelled as listed or not
    round_tripping        money out to one party and back from a related one
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from ledger.movements import ach_in, cash_withdrawal
from ledger.payments import Counterparty
from ledger.simulator.behaviour import branch, external_account, party
from ledger.simulator.name_variants import plain, typo, word_order
from ledger.simulator.plan import CENT, DayPlan
from ledger.simulator.population import CRYPTO, MAX_ONBOARDED_DAYS_BEFORE, SimCustomer
from ledger.simulator.reference import Merchant, merchants, watchlist
from ledger.simulator.scenario_kit import PASS_ON, Action, Actors, Case, Kit, pieces, round_amount, to_multiple
from ledger.simulator.vocabulary_aml import (
    CONSUMER_LENDERS,
    CRYPTO_VENUES,
    P2P_NOTES,
    TRANSIT_CITIES,
    WATCHLIST_ROMANISATIONS,
    WATCHLIST_SCRIPTS,
    company,
    people,
    person,
)

CTR_THRESHOLD = Decimal(10000)
ATM_LIMIT = Decimal(1000)  # what one ATM withdrawal pays out at most; more is drawn at a branch counter
Generator = Callable[[Kit, Case], None]


def population_currency(rng: random.Random) -> str:
    return rng.choices(("USD", "EUR", "GBP"), (0.7, 0.18, 0.12))[0]


def outside_party(rng: random.Random, company_share: float = 0.5) -> Counterparty:
    return party(company(rng) if rng.random() < company_share else person(rng))


def _cash_out_of_area(kit: Kit, c: SimCustomer, rng: random.Random, cities: int) -> list[tuple[str, str]]:
    """Branches (and an ATM now and then) in other cities than the customer's own, with their city."""
    spots = []
    for city, _, _ in kit.other_cities(c, rng, cities):
        spots.append((branch(city, rng.randrange(3)), city))
        if rng.random() < 0.3:
            spots.append((kit.atm(rng), city))
    return spots or [(kit.atm(rng), c.city)]


def _person_for_cash(kit: Kit, case: Case, currency: str, first: int, opened_before: tuple[int, int]) -> SimCustomer:
    """The case's person: a customer of the population, or (by the split's `account` weights) one who opened an
    account that many days before the case's first day."""
    rng = case.rng
    if case.params.pick("account") == "new":
        days = rng.randint(*opened_before)
        onboarded = kit.day_start(first) - timedelta(days=days, hours=rng.randint(-8, 0))
        c = kit.actors.create(rng, currency, rng.choice(("RETAIL", "RETAIL", "STUDENT")), onboarded_at=onboarded)
    else:
        c = kit.actors.pick(rng, currency, segments=("RETAIL", "STUDENT", "PREMIUM"))
    kit.involve(case, c)
    return c


def _deposit_text(location: str, city: str) -> str:
    return f"ATM CASH DEPOSIT {location}" if location.startswith("ATM") else f"BRANCH CASH DEPOSIT {city}"


def _pay_out(
    kit: Kit,
    case: Case,
    c: SimCustomer,
    amount: Decimal,
    at: datetime,
    channel: str,
    beneficiary: Counterparty,
    *,
    coin: str | None = None,
) -> None:
    """One outflow of a case at `at` on `channel` (CRYPTO buys coins and withdraws them later; CASH is taken
    out at a branch in another city)."""
    rng = case.rng
    if channel == "CRYPTO":
        assert coin is not None
        owner = rng.choice((rng.choice(CRYPTO_VENUES), beneficiary.name))
        kit.crypto_out(case, c, coin, amount, at, owner, timedelta(hours=rng.uniform(2, 40)))
        return
    if channel == "CASH":
        city = kit.other_cities(c, rng, 1)[0][0]
        where = branch(city, rng.randrange(3))

        def withdraw(plan: DayPlan, t: datetime) -> bool:
            text = f"BRANCH CASH WITHDRAWAL {city}"
            return kit.send(case, plan, c, amount, t, "CASH", location=where, text=text, min_share=PASS_ON)

        kit.when(case, at, withdraw)
        return
    text = rng.choice(P2P_NOTES) if channel == "P2P" else None
    kit.when(
        case, at, lambda plan, t: kit.send(case, plan, c, amount, t, channel, beneficiary, text=text, min_share=PASS_ON)
    )


def _coin_for(case: Case, c: SimCustomer) -> str:
    """A coin for a crypto outflow, its wallet opened with the customer's accounts (planning time)."""
    coin = next((k for k in c.accounts if k in CRYPTO), None) or case.rng.choice(CRYPTO)
    Actors.add_account(c, coin)
    return coin


# -- cash --------------------------------------------------------------------------------------------------
def structuring(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    c = kit.actors.pick(rng, "USD", segments=("RETAIL", "PREMIUM", "SMALL_BUSINESS"))
    kit.involve(case, c)
    span = p.int("business_days")
    days = kit.business_days(kit.first_day(case, span * 7 // 5 + 2), span)
    amounts: list[Decimal] = []
    while len(amounts) < p.int("deposits") or sum(amounts) <= CTR_THRESHOLD:
        step = rng.choice((1, 10, 50, 100))
        amounts.append(min(to_multiple(p.amount("amount"), step), Decimal("9990")))
    spots = [(branch(c.city, c.idx + i), c.city) for i in range(3)] + [
        (branch(city, rng.randrange(3)), city) for city, _, _ in kit.other_cities(c, rng, 3)
    ]
    chosen: list[tuple[str, str]] = []
    for _ in range(p.int("locations")):
        spot = (kit.atm(rng), c.city) if rng.random() < p.probability("atm") else rng.choice(spots)
        if spot not in chosen:
            chosen.append(spot)
    for i, amount in enumerate(amounts):
        day = days[i] if i < len(days) else rng.choice(days)
        where, city = chosen[i % len(chosen)] if i < len(chosen) else rng.choice(chosen)
        at = kit.time_on(day, rng, *((6, 23) if where.startswith("ATM") else (9, 17)))
        text = _deposit_text(where, city)
        kit.when(
            case,
            at,
            lambda plan, t, a=amount, w=where, x=text: kit.receive(case, plan, c, a, t, "CASH", location=w, text=x),
        )
    case.detail(
        deposits=len(amounts),
        total=str(sum(amounts)),
        largest=str(max(amounts)),
        smallest=str(min(amounts)),
        locations=len(chosen),
        business_days=span,
    )


def cash_rapid_outflow(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = p.pick("currency")
    deposit_days = p.int("deposit_days")
    first = kit.first_day(case, deposit_days + 6)
    c = _person_for_cash(kit, case, cur, first, (3, 20))
    spots = _cash_out_of_area(kit, c, rng, p.int("cities"))
    deposits = p.int("deposits")
    amounts = [to_multiple(p.amount("amount"), rng.choice((10, 20, 50))) for _ in range(deposits)]
    times = sorted(kit.time_on(first + rng.randrange(deposit_days), rng, 9, 18) for _ in range(deposits))
    for amount, at in zip(amounts, times, strict=True):
        where, city = rng.choice(spots)
        text = _deposit_text(where, city)
        kit.when(
            case,
            at,
            lambda plan, t, a=amount, w=where, x=text: kit.receive(case, plan, c, a, t, "CASH", location=w, text=x),
        )
    total = sum(amounts, Decimal(0))
    out = (total * p.share("out_share")).quantize(CENT)
    parts = p.int("out_parts")
    start_out = times[-1] + p.hours("out_delay_h")
    beneficiaries = [outside_party(rng) for _ in range(min(parts, 2))]
    channels = []
    for i, piece in enumerate(pieces(out, parts, rng)):
        channel = p.pick("out_channel")
        channels.append(channel)
        coin = _coin_for(case, c) if channel == "CRYPTO" else None
        at = start_out + timedelta(minutes=i * rng.randint(10, 360))
        _pay_out(kit, case, c, piece, at, channel, beneficiaries[i % len(beneficiaries)], coin=coin)
    case.detail(
        deposits=deposits,
        deposited=str(total),
        out=str(out),
        out_channels=sorted(set(channels)),
        delay_hours=round((start_out - times[-1]).total_seconds() / 3600, 1),
        new_account=c.idx >= kit.actors.size,
    )


def receipt_cashed_out(kit: Kit, case: Case) -> None:
    """A consumer loan, savings brought over or a payer's money, then drawn in cash at ATMs and branches (some
    abroad) within days: a traveller's funds before leaving for a conflict zone (FATF, "Emerging Terrorist
    Financing Risks", 2015), a bust-out emptying the account."""
    p, rng = case.params, case.rng
    cur = p.pick("currency")
    parts = p.int("withdrawals")
    # after the receipt: the first withdrawal's delay, then the gaps between withdrawals
    delays = [p.hours("first_delay_h")] + [p.hours("gap_h") for _ in range(parts - 1)]
    first = kit.first_day(case, sum(delays, timedelta()).days + 2)
    c = _person_for_cash(kit, case, cur, first, (5, 40))
    received = to_multiple(p.amount("amount"), rng.choice((1, 50, 100)))
    source = p.pick("source")
    if source == "lender":
        sender = party(rng.choice(CONSUMER_LENDERS))
        text = rng.choice(("LOAN PROCEEDS", "PERSONAL LOAN DISBURSEMENT", None))
    elif source == "own":
        sender = party(c.name)  # the customer's own savings at another bank
        text = rng.choice(("TRANSFER FROM SAVINGS", "TRANSFER", None))
    else:
        sender = outside_party(rng, company_share=0.2)
        text = None
    channel = "P2P" if source == "person" and rng.random() < 0.6 else p.pick("in_channel")
    if channel == "P2P":
        text = rng.choice(P2P_NOTES)
    at = kit.time_on(first, rng, 7, 20)
    kit.when(case, at, lambda plan, t, x=text: kit.receive(case, plan, c, received, t, channel, sender, text=x))
    abroad = rng.sample(TRANSIT_CITIES, 2) if p.chance("abroad") else []
    at_home = [c.city] + [city for city, _, _ in kit.other_cities(c, rng, 2)]
    when, drawn, cities = at, Decimal(0), set()
    for piece, delay in zip(pieces((received * p.share("out_share")).quantize(CENT), parts, rng), delays, strict=True):
        when += delay
        city = rng.choice(abroad) if abroad and rng.random() < 0.6 else rng.choice(at_home)
        atm = piece <= ATM_LIMIT and rng.random() < p.probability("atm")
        where = kit.atm(rng) if atm else branch(city, rng.randrange(3))
        what = f"ATM WITHDRAWAL {where} {city}" if atm else f"BRANCH CASH WITHDRAWAL {city}"
        piece = to_multiple(piece, 20 if atm else 10)
        kit.when(
            case,
            when,
            lambda plan, t, a=piece, w=where, x=what: kit.send(
                case, plan, c, a, t, "CASH", location=w, text=x, min_share=PASS_ON
            ),
        )
        drawn += piece
        cities.add(city)
    case.detail(
        received=str(received),
        source=source,
        channel=channel,
        drawn=str(drawn),
        withdrawals=parts,
        cities=sorted(cities),
        days=round((when - at).total_seconds() / 86400, 1),
        new_account=c.idx >= kit.actors.size,
    )


def smurfing(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = p.pick("currency")
    deposit_days = p.int("deposit_days")
    first = kit.first_day(case, deposit_days + 6)
    to_customer = p.pick("beneficiary") == "customer"
    beneficiary: SimCustomer | Counterparty = (
        kit.actors.pick(rng, cur) if to_customer else outside_party(rng, company_share=0.4)
    )
    smurfs = kit.actors.pick_many(rng, p.int("smurfs"), cur, segments=("RETAIL", "STUDENT"))
    shared = p.chance("same_branch")
    meeting_city = beneficiary.city if isinstance(beneficiary, SimCustomer) else smurfs[0].city
    meeting = branch(meeting_city, rng.randrange(3))
    meeting_at = kit.time_on(first, rng, 10, 15)
    kit.involve(case, *smurfs)
    if isinstance(beneficiary, SimCustomer):
        kit.involve(case, beneficiary)
    channels = set()
    for smurf in smurfs:
        amount = to_multiple(p.amount("amount"), rng.choice((10, 50, 100)))
        channel = p.pick("in_channel")
        channels.add(channel)
        if shared and channel == "CASH":
            at, where = meeting_at + timedelta(minutes=rng.randint(0, 50)), meeting
        else:
            at = kit.time_on(first + rng.randrange(deposit_days), rng, 8, 19)
            where = kit.atm(rng) if rng.random() < 0.3 else branch(smurf.city, smurf.idx + rng.randrange(3))
        forward = (amount * p.share("forward_share")).quantize(CENT)
        delay = p.hours("forward_delay_h")
        out_channel = p.pick("out_channel")

        def arrive(
            plan: DayPlan, t: datetime, s=smurf, a=amount, ch=channel, w=where, f=forward, d=delay, o=out_channel
        ):
            if ch == "CASH":
                kit.receive(case, plan, s, a, t, "CASH", location=w, text=_deposit_text(w, s.city))
            else:
                kit.receive(case, plan, s, a, t, ch, kit.person(rng), text=rng.choice(P2P_NOTES))

            def pass_on(plan: DayPlan, t2: datetime) -> bool:
                if isinstance(beneficiary, SimCustomer):
                    note = rng.choice(P2P_NOTES)
                    return kit.internal(case, plan, s, beneficiary, f, t2, "P2P", text=note, min_share=PASS_ON)
                return kit.send(case, plan, s, f, t2, o, beneficiary, min_share=PASS_ON)

            kit.when(case, t + d, pass_on)

        kit.when(case, at, arrive)
    case.detail(
        smurfs=len(smurfs),
        in_channels=sorted(channels),
        beneficiary="customer" if isinstance(beneficiary, SimCustomer) else "outside",
        same_branch=shared,
    )


# -- mules ---------------------------------------------------------------------------------------------------
def money_mule(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = p.pick("currency")
    collect = p.int("collect_days")
    first = kit.first_day(case, collect + 6)
    if p.pick("account") == "new":
        onboarded = kit.day_start(first) - timedelta(days=p.int("onboarded_days"), hours=rng.randint(0, 10))
        segment = rng.choice(("RETAIL", "STUDENT"))
        mule = kit.actors.create(rng, cur, segment, onboarded_at=onboarded)
    else:
        mule = kit.actors.pick(rng, cur, segments=("RETAIL", "STUDENT"))
    kit.involve(case, mule)
    payers = [party(name) for name in people(rng, p.int("payers"), {mule.name})]
    times = sorted(kit.time_on(first + rng.randrange(collect), rng, 7, 23.5) for _ in payers)
    total = Decimal(0)
    channels = set()
    for payer, at in zip(payers, times, strict=True):
        amount = round_amount(p.amount("amount"), rng)
        channel = p.pick("in_channel")
        channels.add(channel)
        total += amount
        note = rng.choice(P2P_NOTES) if channel == "P2P" else None
        kit.when(
            case,
            at,
            lambda plan, t, a=amount, s=payer, ch=channel, n=note: kit.receive(case, plan, mule, a, t, ch, s, text=n),
        )
    out = (total * p.share("out_share")).quantize(CENT)
    start_out = times[-1] + p.hours("out_delay_h")
    count = p.int("beneficiaries")
    out_channels = []
    for i, piece in enumerate(pieces(out, count, rng)):
        channel = p.pick("out_channel")
        out_channels.append(channel)
        coin = _coin_for(case, mule) if channel == "CRYPTO" else None
        at = start_out + timedelta(minutes=i * rng.randint(5, 240))
        _pay_out(kit, case, mule, piece, at, channel, outside_party(rng, 0.6), coin=coin)
    case.detail(
        payers=len(payers),
        received=str(total),
        out=str(out),
        in_channels=sorted(channels),
        out_channels=sorted(set(out_channels)),
        delay_hours=round((start_out - times[-1]).total_seconds() / 3600, 1),
        new_account=mule.idx >= kit.actors.size,
    )


# -- dormant accounts ----------------------------------------------------------------------------------------
def dormant_reactivation(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    c = kit.actors.pick(rng, population_currency(rng), segments=("RETAIL", "PREMIUM", "STUDENT"))
    kit.involve(case, c)
    first = kit.first_day(case, 8)
    gap = p.int("gap_days")
    wake = kit.time_on(first, rng, 7, 22)
    last_active = wake - timedelta(days=gap, hours=rng.randint(1, 6))
    c.dormant_until = kit.days  # the account moves only for this case from now on
    # onboarded before going quiet, but no earlier than the population's oldest customers (the lake's
    # partitions and the platform's capital start there)
    earliest = kit.start - timedelta(days=MAX_ONBOARDED_DAYS_BEFORE)
    c.onboarded_at = min(c.onboarded_at, max(earliest, last_active - timedelta(days=rng.randint(30, 900))))
    mode = p.pick("mode")
    savings = to_multiple(p.amount("savings"), 100) if mode == "drain" else None
    home = c.account()

    def last_movements(plan: DayPlan, t: datetime) -> None:
        """The customer's own last movements before going quiet (not part of the case)."""
        if savings is not None:
            own = ach_in(
                kit.ref(c, t, "ach"), home, savings, sender=party(c.name), effective_at=t,
                description="TRANSFER FROM SAVINGS",
            )  # fmt: skip
            kit.behaviour.transfer(plan, own, [(home, savings)])
        amount = Decimal(rng.choice((40, 60, 100, 200)))
        if kit.wallets.can_spend(home, amount):
            atm, at = kit.atm(rng), t + timedelta(minutes=rng.randint(30, 600))
            cash = cash_withdrawal(
                kit.ref(c, at, "atm"), home, amount, location=atm, effective_at=at,
                description=f"ATM WITHDRAWAL {atm} {c.city}",
            )  # fmt: skip
            kit.behaviour.transfer(plan, cash, [(home, -amount)])

    kit.when(case, last_active, last_movements)
    out_channel_of = [p.pick("out_channel") for _ in range(8)]
    parts = p.int("out_parts")
    share = p.share("out_share")
    delay = p.hours("out_delay_h")
    if mode == "inflow":
        amount = to_multiple(p.amount("amount"), rng.choice((1, 100, 1000)))
        sender = outside_party(rng, 0.7)
        kit.when(case, wake, lambda plan, t: kit.receive(case, plan, c, amount, t, rng.choice(("WIRE", "ACH")), sender))
        out_total = (amount * share).quantize(CENT)
        out_start = wake + delay
    else:
        out_total = None
        out_start = wake
    coin = _coin_for(case, c) if "CRYPTO" in out_channel_of[:parts] else None

    def move_out(plan: DayPlan, t: datetime) -> bool:
        total = out_total if out_total is not None else (kit.free(plan, c, t) * share).quantize(CENT)
        if total < 50 or not kit.wallets.can_spend(home, total):
            return False
        at = t
        for i, piece in enumerate(pieces(total, parts, rng)):
            channel = out_channel_of[i % len(out_channel_of)]
            _pay_out(kit, case, c, piece, at, channel, outside_party(rng, 0.4), coin=coin)
            at += timedelta(minutes=rng.randint(10, 60 * 14))
        return True

    kit.when(case, out_start, move_out)
    case.detail(
        mode=mode,
        dormant_days=gap,
        last_activity_at=last_active.isoformat(),
        out_parts=parts,
        out_channels=sorted(set(out_channel_of[:parts])),
    )


# -- conversions ---------------------------------------------------------------------------------------------
def fx_round_trip(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    home = p.pick("home")
    c = kit.actors.pick(rng, home, segments=("RETAIL", "PREMIUM", "SMALL_BUSINESS"))
    kit.involve(case, c)
    variant = p.pick("variant")
    other = p.pick("other")
    if other == home:
        other = "EUR" if home != "EUR" else "USD"
    target = p.pick("coin") if variant == "crypto_loop" else other
    kit.actors.add_account(c, target)
    amount = to_multiple(p.amount("amount"), rng.choice((1, 100, 500)))
    first = kit.first_day(case, 8)
    t0 = kit.time_on(first, rng, 8, 16)
    sender, beneficiary = outside_party(rng, 0.7), outside_party(rng, 0.7)
    in_channel, out_channel = p.pick("in_channel"), p.pick("out_channel")
    kit.when(case, t0, lambda plan, t: kit.receive(case, plan, c, amount, t, in_channel, sender))
    gap = lambda: p.hours("step_h")  # noqa: E731

    def next_day(t: datetime) -> datetime:
        return max(t + gap(), kit.day_start(kit.day_of(t) + 1) + timedelta(hours=rng.uniform(8, 17)))

    def payout(cur: str, value: Decimal) -> Callable[[DayPlan, datetime], bool]:
        return lambda plan, t: kit.send(case, plan, c, value, t, out_channel, beneficiary, currency=cur)

    def first_leg(plan: DayPlan, t: datetime) -> bool:
        got = kit.convert(case, plan, c, home, target, (amount * Decimal("0.99")).quantize(CENT), t)
        if got <= 0:
            return False
        if variant == "in_convert_out":
            kit.when(case, next_day(t), payout(target, (got * Decimal("0.995")).quantize(CENT)))
            return True
        back_at = t + gap()

        def second_leg(plan: DayPlan, t2: datetime) -> bool:
            back = kit.convert(case, plan, c, target, home, got, t2, fee_included=True)
            if back <= 0:
                return False
            kit.when(case, next_day(t2), payout(home, (back * Decimal("0.99")).quantize(CENT)))
            return True

        kit.when(case, back_at, second_leg)
        return True

    kit.when(case, t0 + gap(), first_leg)
    case.detail(variant=variant, home=home, via=target, amount=str(amount))


# -- cards ---------------------------------------------------------------------------------------------------
def _online_merchants() -> list[Merchant]:
    return [
        m
        for m in merchants()
        if m.processor in ("stripe", "paypal", "shopify")
        and m.category not in ("restaurant", "fuel", "hotel", "car_rental")
    ]


def card_testing(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    c = kit.actors.pick(rng, population_currency(rng))
    kit.involve(case, c)
    shops = rng.sample(_online_merchants(), p.int("merchants"))
    attempts, void = p.int("attempts"), p.real("void")
    first = kit.first_day(case, 2)
    at0 = kit.time_on(first, rng, 0, 22)

    gaps = [p.int("gap_s") for _ in range(attempts)]
    amounts = [p.amount("amount") for _ in range(attempts)]

    def test(plan: DayPlan, t: datetime) -> bool:
        # A tester's run is the pattern: wait for a day the card can take every authorisation (a few
        # dollars each, held until voided or captured) rather than post a fragment of it.
        if kit.free(plan, c, t) < sum(amounts):
            return False
        at = t
        for gap, amount in zip(gaps, amounts, strict=True):
            at += timedelta(seconds=gap)
            kit.card(
                case,
                plan,
                c,
                rng.choice(shops),
                amount,
                at,
                outcome="VOID" if rng.random() < void else "CAPTURE",
                capture=amount,
                resolve_after=timedelta(minutes=rng.randint(2, 30)),
            )
        return True

    kit.when(case, at0, test)
    case.detail(authorisations=attempts, merchants=len(shops), void_share=round(void, 2))


def card_testing_merchant(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    shop = rng.choice(_online_merchants())
    cards = [kit.actors.pick(rng, population_currency(rng)) for _ in range(p.int("cards"))]
    window = timedelta(minutes=p.int("window_min"))
    first = kit.first_day(case, 2)
    at0 = kit.time_on(first, rng, 0, 21)
    void = p.real("void")

    def test(plan: DayPlan, t: datetime) -> None:
        for c in cards:
            for _ in range(rng.choice((1, 1, 2, 3))):
                at = t + timedelta(seconds=rng.randint(0, int(window.total_seconds())))
                amount = p.amount("amount")
                kit.card(
                    case,
                    plan,
                    c,
                    shop,
                    amount,
                    at,
                    outcome="VOID" if rng.random() < void else "CAPTURE",
                    capture=amount,
                    resolve_after=timedelta(minutes=rng.randint(2, 45)),
                )

    kit.when(case, at0, test)
    case.detail(merchant_id=shop.merchant_id, cards=len(cards), window_minutes=int(window.total_seconds() // 60))


# -- takeover, names, round trips ----------------------------------------------------------------------------
def account_takeover(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    c = kit.actors.pick(rng, population_currency(rng), segments=("RETAIL", "PREMIUM"))
    kit.involve(case, c)
    first = kit.first_day(case, 3)
    transfers, drain, probe = p.int("transfers"), p.share("drain"), p.chance("probe")
    hour = p.real("hour")
    payees = [party(name) for name in people(rng, transfers + 1, {c.name})]
    channels = [p.pick("channel") for _ in range(transfers + 1)]

    def takeover(plan: DayPlan, t: datetime) -> bool:
        balance = kit.free(plan, c, t)
        if balance < Decimal(200):
            return False  # nothing worth stealing yet
        at = t
        if probe:
            kit.send(case, plan, c, Decimal(rng.randint(1, 5)), at, channels[-1], payees[-1])
            at += timedelta(minutes=rng.randint(5, 40))
        for piece, payee, channel in zip(
            pieces((balance * drain).quantize(CENT), transfers, rng), payees, channels, strict=False
        ):
            kit.send(case, plan, c, piece, at, channel, payee)
            at += timedelta(minutes=p.int("gap_min"))
        return True

    kit.when(case, kit.day_start(first) + timedelta(hours=hour), takeover)
    case.detail(transfers=transfers, hour=round(hour, 1), drain=str(drain), probe=probe)


def watchlist_payment(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    c = kit.actors.pick(rng, population_currency(rng), segments=("RETAIL", "PREMIUM", "SMALL_BUSINESS"))
    kit.involve(case, c)
    entity = rng.choice(watchlist())
    known = {plain(n) for n in (entity.name, *entity.aliases)}
    payments = p.int("payments")
    day = kit.first_day(case, 3)
    spellings = []
    for _ in range(payments):
        how = p.pick("spelling")
        if how == "listed":
            name = entity.name
        elif how == "alias":
            name = rng.choice(entity.aliases)
        else:
            for _ in range(20):
                if how == "typo":
                    name = typo(entity.name, rng)
                elif how == "word_order":
                    name = word_order(entity.name, entity.entity_type, rng)
                elif how == "script":
                    name = rng.choice(WATCHLIST_SCRIPTS[entity.entity_id])
                else:
                    name = rng.choice(WATCHLIST_ROMANISATIONS[entity.entity_id])
                if plain(name) not in known:
                    break
        spellings.append((how, name))
        channel = p.pick("channel")
        wanted = p.amount("amount")
        # the entity keeps its account whatever the spelling of its name
        beneficiary = Counterparty(name, external_account(entity.name))

        def pay(plan: DayPlan, t: datetime, w=wanted, b=beneficiary, ch=channel) -> bool:
            amount = min(w, (kit.free(plan, c, t) * Decimal("0.6")).quantize(CENT))
            if amount < Decimal(50):
                return False
            text = rng.choice(("INVOICE", "CONSULTING", "SERVICES", "GOODS", None))
            return kit.send(case, plan, c, to_multiple(amount, 1), t, ch, b, text=f"{text} {b.name}" if text else None)

        kit.when(case, kit.time_on(day, rng, 8, 18), pay)
        day += p.int("gap_days")
    case.detail(
        entity_id=entity.entity_id,
        listed_name=entity.name,
        spellings=[how for how, _ in spellings],
        names=[name for _, name in spellings],
    )


def round_tripping(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    c = kit.actors.pick(rng, population_currency(rng), segments=("RETAIL", "PREMIUM", "SMALL_BUSINESS"))
    kit.involve(case, c)
    core = company(rng).rsplit(" ", 2)[0]
    out_to = party(f"{core} {rng.choice(('Ltd', 'Limited', 'SA', 'BV'))}")
    related = rng.choice((f"{core} {rng.choice(('Trading', 'Holdings', 'Group'))} LLP", person(rng)))
    back_from = party(related)
    cycles = p.int("cycles")
    # drawn up front so that the case starts early enough for its last return to land inside the run (a trip whose
    # money never comes back is no round trip)
    gaps = [p.int("cycle_days") for _ in range(cycles)]
    backs = [p.int("back_days") for _ in range(cycles)]
    day = kit.first_day(case, sum(gaps[:-1]) + max(backs) + 1)
    channel = p.pick("channel")

    def send_then_back(back_days: int) -> Action:
        def send(plan: DayPlan, t: datetime) -> bool:
            amount = min(p.amount("amount"), (kit.free(plan, c, t) * Decimal("0.8")).quantize(CENT))
            amount = to_multiple(amount, rng.choice((1, 10, 100))) if amount >= 100 else amount
            if amount < Decimal(100) or not kit.send(case, plan, c, amount, t, channel, out_to):
                return False
            back = (amount * p.share("returned")).quantize(CENT)
            when = kit.time_on(kit.day_of(t) + back_days, rng, 9, 16)
            kit.when(case, when, lambda plan, t2: kit.receive(case, plan, c, back, t2, channel, back_from))
            return True

        return send

    for gap, back_days in zip(gaps, backs, strict=True):
        kit.when(case, kit.time_on(day, rng, 9, 16), send_then_back(back_days))
        day += gap
    case.detail(cycles=cycles, out_to=out_to.name, back_from=back_from.name, channel=channel)


GENERATORS: dict[str, Generator] = {
    "structuring": structuring,
    "cash_rapid_outflow": cash_rapid_outflow,
    "receipt_cashed_out": receipt_cashed_out,
    "smurfing": smurfing,
    "money_mule": money_mule,
    "dormant_reactivation": dormant_reactivation,
    "fx_round_trip": fx_round_trip,
    "card_testing": card_testing,
    "card_testing_merchant": card_testing_merchant,
    "account_takeover": account_takeover,
    "watchlist_payment": watchlist_payment,
    "round_tripping": round_tripping,
}
