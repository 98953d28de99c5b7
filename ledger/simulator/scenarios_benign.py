"""Benign look-alikes: ordinary banking that shares a shape with a laundering family, labelled with
`is_benign` so that the precision of a rule can be measured on them.

    payroll_run           a small business pays 5-40 employees by ACH on one day (looks like fan-out)
    rent_collection       a landlord collects rents then pays the mortgage (fan-in, then most of it out)
    salary_then_bills     salary in, bills out within days (rapid in-and-out to several payees)
    large_purchase        savings brought in, then one large wire to a dealer or solicitor
    family_transfers      money back and forth in a family over weeks, with a loan repaid (cycles)
    business_cash_takings daily cash takings at one branch, suppliers paid (many cash deposits)
    travel_fx             currency bought before a trip, card spending abroad, the rest converted back
    student_support       a student receives money from several relatives (fan-in from new payers)
    marketplace_seller    many small payments from buyers, then a payout (mule-like inflows)
    crypto_self_custody   coins bought and moved to the customer's own wallet (crypto outflow)
    salary_drawn_in_cash  a worker paid by ACH draws most of each pay in cash, from the first (a receipt cashed out)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from ledger.payments import Counterparty
from ledger.simulator.behaviour import branch, party
from ledger.simulator.plan import CENT, DayPlan
from ledger.simulator.population import FIAT, MAX_ONBOARDED_DAYS_BEFORE, SimCustomer
from ledger.simulator.reference import Merchant, merchants_by_category
from ledger.simulator.scenario_kit import Case, Kit, pieces, places_for, round_amount, to_multiple
from ledger.simulator.scenarios import ATM_LIMIT, Generator, population_currency
from ledger.simulator.vocabulary import EMPLOYERS, FIRST_NAMES, LANDLORDS
from ledger.simulator.vocabulary_aml import (
    CAR_DEALERS,
    CARD_ISSUERS,
    CASH_BUSINESSES,
    CRYPTO_VENUES,
    INSURERS,
    LANDLORD,
    MARKETPLACE_PAYOUTS,
    MORTGAGE_LENDERS,
    P2P_NOTES,
    PAYROLL_BUSINESSES,
    PAYROLL_PROCESSORS,
    SOLICITORS,
    TELECOMS,
    UNIVERSITIES,
    UTILITIES,
    WHOLESALERS,
    companies,
    company,
    people,
)


def _long_ago(kit: Kit, case: Case) -> datetime:
    return kit.start - timedelta(days=case.rng.randint(200, MAX_ONBOARDED_DAYS_BEFORE), hours=case.rng.randint(0, 8))


def payroll_run(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = rng.choice(("USD", "USD", "USD", "GBP", "EUR"))
    biz = kit.actors.create(
        rng, cur, "SMALL_BUSINESS", occupation=rng.choice(PAYROLL_BUSINESSES), onboarded_at=_long_ago(kit, case)
    )
    kit.involve(case, biz)
    staff: list[SimCustomer | Counterparty] = []
    for name in people(rng, p.int("employees"), {biz.name}):
        is_customer = rng.random() < p.probability("customer_employees")
        staff.append(kit.actors.pick(rng, cur, segments=("RETAIL", "STUDENT")) if is_customer else party(name))
    pay = {i: to_multiple(p.amount("pay"), rng.choice((1, 5, 25))) for i in range(len(staff))}
    runs = p.int("runs")
    first = kit.first_day(case, 14 * (runs - 1) + 2, earliest=min(10, kit.days // 3))
    while kit.day_start(first).weekday() >= 5:
        first += 1
    clients = [party(name) for name in companies(rng, 4)]
    text = f"PAYROLL {biz.name.upper()}"
    for run in range(runs):
        day = first + 14 * run
        total = sum(pay.values(), Decimal(0))
        receipts = pieces(
            to_multiple(total * Decimal(str(round(rng.uniform(1.0, 1.3), 2))), 10), rng.randint(2, 4), rng
        )
        for k, amount in enumerate(receipts):
            late = k == 0 and p.chance("client_payment")
            when = day - (rng.randint(1, 2) if late else rng.randint(3, 10))
            at = kit.time_on(max(0, when), rng, 9, 17)
            client = rng.choice(clients)
            channel = rng.choice(("WIRE", "ACH"))
            kit.when(
                case, at, lambda plan, t, a=amount, s=client, ch=channel: kit.receive(case, plan, biz, a, t, ch, s)
            )
        at = kit.time_on(day, rng, 6, 9)
        for i, employee in enumerate(staff):
            amount = (pay[i] * Decimal(str(round(rng.uniform(0.97, 1.03), 3)))).quantize(CENT)

            def pay_one(plan: DayPlan, t: datetime, a=amount, e=employee) -> bool:
                if isinstance(e, SimCustomer):
                    return kit.internal(case, plan, biz, e, a, t, "ACH", text=text)
                return kit.send(case, plan, biz, a, t, "ACH", e, text=text)

            kit.when(case, at + timedelta(seconds=i * rng.randint(1, 20)), pay_one)
    case.detail(employees=len(staff), runs=runs, payroll=str(sum(pay.values(), Decimal(0))))


def rent_collection(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = population_currency(rng)
    landlord = kit.actors.create(rng, cur, "RETAIL", occupation=LANDLORD, onboarded_at=_long_ago(kit, case))
    kit.involve(case, landlord)
    tenants: list[SimCustomer | Counterparty] = []
    for name in people(rng, p.int("tenants"), {landlord.name}):
        if rng.random() < p.probability("customer_tenants"):
            tenants.append(kit.actors.pick(rng, cur, accept=lambda c: c.rent is None))
        else:
            tenants.append(party(name))
    rents = [to_multiple(p.amount("rent"), rng.choice((5, 25, 50))) for _ in tenants]
    mortgage = to_multiple(sum(rents, Decimal(0)) * p.share("mortgage_share"), 1)
    lender = party(rng.choice(MORTGAGE_LENDERS))
    months = [d for d in range(kit.days) if kit.day_start(d).day == 1] or [0]
    channels = [rng.choice(("P2P", "ACH")) for _ in tenants]
    for first in months:
        last = first
        for tenant, rent, channel in zip(tenants, rents, channels, strict=True):
            day = first + rng.choice((0, 0, 1, 2, 3, 4))
            last = max(last, day)
            at = kit.time_on(day, rng, 7, 22)
            note = f"RENT {kit.day_start(first).strftime('%b').upper()}"

            def collect(plan: DayPlan, t: datetime, tn=tenant, a=rent, ch=channel, n=note) -> bool:
                if isinstance(tn, SimCustomer):
                    return kit.internal(case, plan, tn, landlord, a, t, ch, text=n)
                kit.receive(case, plan, landlord, a, t, ch, tn, text=n)
                return True

            kit.when(case, at, collect)
        at = kit.time_on(last + p.int("mortgage_delay"), rng, 6, 10)
        kit.when(case, at, lambda plan, t: kit.send(case, plan, landlord, mortgage, t, "ACH", lender, text="MORTGAGE"))
    case.detail(tenants=len(tenants), rents=str(sum(rents, Decimal(0))), mortgage=str(mortgage), months=len(months))


def salary_then_bills(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = population_currency(rng)
    salary = to_multiple(p.amount("salary"), 1)
    # paid only by this case (no salary of its own): the case's paydays are the customer's paydays
    c = kit.actors.create(
        rng, cur, rng.choice(("RETAIL", "PREMIUM")), onboarded_at=_long_ago(kit, case), salary=salary,
        rent=None, pay_every=10**6, pay_offset=1,
    )  # fmt: skip
    kit.involve(case, c)
    employer = party(rng.choice(EMPLOYERS))
    payees = [
        ("RENT", party(rng.choice(LANDLORDS)), (0.22, 0.35)),
        ("ELECTRIC AND GAS", party(rng.choice(UTILITIES)), (0.02, 0.05)),
        ("MOBILE", party(rng.choice(TELECOMS)), (0.01, 0.03)),
        ("INSURANCE", party(rng.choice(INSURERS)), (0.02, 0.06)),
        ("CARD PAYMENT", party(rng.choice(CARD_ISSUERS)), (0.1, 0.3)),
        ("WATER", party(rng.choice(UTILITIES)), (0.01, 0.02)),
        ("CAR LOAN", party(f"{rng.choice(CAR_DEALERS)} Finance"), (0.06, 0.12)),
        ("SAVINGS", party(c.name), (0.05, 0.2)),
    ]
    bills = payees[: p.int("bills")]
    payday = kit.first_day(case, 8) % 30
    for day in range(payday, kit.days, 30):
        at = kit.time_on(day, rng, 5, 9)
        pay = (salary * Decimal(str(round(rng.uniform(0.99, 1.01), 4)))).quantize(CENT)
        text = f"PAYROLL {employer.name.upper()}"
        kit.when(case, at, lambda plan, t, a=pay, x=text: kit.receive(case, plan, c, a, t, "ACH", employer, text=x))
        weights = [rng.uniform(*band) for *_, band in bills]
        target = salary * p.share("paid_share")
        for (what, payee, _), weight in zip(bills, weights, strict=True):
            amount = to_multiple(target * Decimal(weight / sum(weights)), 1)
            when = kit.time_on(day + p.int("bill_days"), rng, 7, 21)
            kit.when(
                case,
                when,
                lambda plan, t, a=amount, b=payee, w=what: kit.send(case, plan, c, a, t, "ACH", b, text=w),
            )
    case.detail(salary=str(salary), bills=len(bills))


def large_purchase(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    c = kit.actors.pick(rng, population_currency(rng), segments=("RETAIL", "PREMIUM"))
    kit.involve(case, c)
    price = to_multiple(p.amount("amount"), rng.choice((100, 500, 1000)))
    payee_kind = p.pick("payee")
    payee = party(rng.choice(CAR_DEALERS if payee_kind == "dealer" else SOLICITORS))
    lead = p.int("savings_days")
    first = kit.first_day(case, lead + 2)
    own = party(c.name)

    def bring_savings(plan: DayPlan, t: datetime) -> None:
        kit.fund(case, plan, c, price + Decimal(rng.randint(200, 3000)), t, "ACH", sender=own)

    kit.when(case, kit.time_on(first, rng, 8, 20), bring_savings)
    text = "VEHICLE PURCHASE" if payee_kind == "dealer" else "PROPERTY DEPOSIT"
    at = kit.time_on(first + lead, rng, 9, 16)
    kit.when(case, at, lambda plan, t: kit.send(case, plan, c, price, t, "WIRE", payee, text=text))
    case.detail(amount=str(price), payee=payee_kind, savings_days=lead)


def family_transfers(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = population_currency(rng)
    main = kit.actors.pick(rng, cur, segments=("RETAIL", "STUDENT", "PREMIUM"))
    kit.involve(case, main)
    family_name = main.name.split(" ", 1)[1]
    relatives: list[SimCustomer | Counterparty] = []
    for _ in range(p.int("relatives")):
        if rng.random() < p.probability("outside_relative"):
            relatives.append(party(f"{rng.choice(FIRST_NAMES)} {family_name}"))
        else:
            relatives.append(
                kit.actors.create(rng, cur, "RETAIL", onboarded_at=_long_ago(kit, case), last_name=family_name)
            )
    first = kit.first_day(case, min(kit.days - 1, 42))
    horizon = max(7, min(kit.days - 1 - first, 84))

    def move(
        a: SimCustomer | Counterparty, b: SimCustomer | Counterparty, amount: Decimal, at: datetime, text: str
    ) -> None:
        def act(plan: DayPlan, t: datetime) -> bool:
            if isinstance(a, SimCustomer) and isinstance(b, SimCustomer):
                kit.fund(case, plan, a, amount, t, "ACH", sender=party(a.name))
                return kit.internal(case, plan, a, b, amount, t, "P2P", text=text)
            if isinstance(a, SimCustomer):
                assert isinstance(b, Counterparty)
                return kit.send(case, plan, a, amount, t, rng.choice(("P2P", "ACH")), b, text=text)
            assert isinstance(b, SimCustomer)
            kit.receive(case, plan, b, amount, t, rng.choice(("P2P", "ACH", "WIRE")), a, text=text)
            return True

        kit.when(case, at, act)

    lender = relatives[0]
    loan = to_multiple(p.amount("loan"), 100)
    move(lender, main, loan, kit.time_on(first, rng, 9, 21), "loan")
    repayments = p.int("repayments")
    for k, piece in enumerate(pieces(loan, repayments, rng, 0.1)):
        day = first + 3 + (k + 1) * max(1, horizon // (repayments + 1))
        move(main, lender, to_multiple(piece, 1), kit.time_on(day, rng, 8, 22), "loan repayment")
    for _ in range(p.int("small")):
        other = rng.choice(relatives)
        src, dst = (main, other) if rng.random() < 0.5 else (other, main)
        amount = round_amount(p.amount("small_amount"), rng)
        move(src, dst, amount, kit.time_on(first + rng.randint(0, horizon), rng, 8, 22), rng.choice(P2P_NOTES))
    case.detail(relatives=len(relatives), loan=str(loan), repayments=repayments)


def business_cash_takings(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = rng.choice(("USD", "USD", "USD", "GBP", "EUR"))
    biz = kit.actors.create(
        rng, cur, "SMALL_BUSINESS", occupation=rng.choice(CASH_BUSINESSES), onboarded_at=_long_ago(kit, case)
    )
    kit.involve(case, biz)
    weeks = min(p.int("weeks"), max(1, kit.days // 7))
    first = kit.first_day(case, weeks * 7)
    open_days = p.int("days_per_week")
    # its own branch most days, another one nearby now and then (closer to where the day ended)
    home = kit.home_branch(biz)
    nearby = [branch(biz.city, biz.idx + i) for i in range(1, p.int("branches"))]
    suppliers = [party(name) for name in rng.sample(list(WHOLESALERS), p.int("suppliers"))]
    channel = p.pick("supplier_channel")
    for week in range(weeks):
        takings = Decimal(0)
        for d in range(7):
            day = first + week * 7 + d
            if kit.day_start(day).weekday() >= open_days:  # closed on Sunday, and Saturday too for some
                continue
            amount = to_multiple(p.amount("takings"), rng.choice((1, 5, 10)))
            takings += amount
            at = kit.time_on(day, rng, 16, 19.5) if rng.random() < 0.8 else kit.time_on(day, rng, 9, 11)
            text = f"BRANCH CASH DEPOSIT {biz.city}"
            where = rng.choice(nearby) if nearby and rng.random() < 0.3 else home
            kit.when(
                case,
                at,
                lambda plan, t, a=amount, x=text, w=where: kit.receive(
                    case, plan, biz, a, t, "CASH", location=w, text=x
                ),
            )
        day = first + week * 7 + 6
        for supplier, piece in zip(
            suppliers,
            pieces(takings * Decimal(str(round(rng.uniform(0.35, 0.6), 2))), len(suppliers), rng),
            strict=True,
        ):
            at = kit.time_on(day, rng, 8, 17)
            kit.when(
                case,
                at,
                lambda plan, t, a=piece, s=supplier: kit.send(
                    case, plan, biz, a, t, channel, s, text=f"INVOICE {s.name.upper()}"
                ),
            )
    case.detail(weeks=weeks, days_per_week=open_days, suppliers=len(suppliers), branches=1 + len(nearby))


_TRAVEL_CATEGORIES = ("restaurant", "coffee", "grocery", "transit", "fast_food", "clothing", "department_store")


def travel_fx(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    c = kit.actors.pick(rng, population_currency(rng), segments=("RETAIL", "PREMIUM", "STUDENT"))
    kit.involve(case, c)
    foreign = next((k for k in c.accounts if k in FIAT and k != c.currency), None) or rng.choice(
        [k for k in FIAT if k != c.currency]
    )
    kit.actors.add_account(c, foreign)
    place = rng.choice(places_for(foreign))
    area = {country for _, _, country in places_for(foreign)}
    pool = {}  # the destination's own brands, else brands of its currency area
    for cat in (*_TRAVEL_CATEGORIES, "hotel"):
        brands = merchants_by_category().get(cat, ())
        pool[cat] = [m for m in brands if m.country == place[2]] or [m for m in brands if m.country in area]
    trip = p.int("trip_days")
    lead = p.int("lead_days")
    first = kit.first_day(case, lead + trip + 3)
    wanted = to_multiple(p.amount("amount"), 50)
    # what the trip will hold: (day of the trip, merchant, amount, first hour, last hour)
    spending: list[tuple[int, Merchant, Decimal, float, float]] = []
    if pool["hotel"]:
        nights = Decimal(rng.randint(90, 260)) * min(trip, 7)
        spending.append((0, rng.choice(pool["hotel"]), nights, 14, 20))
    categories = [k for k in _TRAVEL_CATEGORIES if pool[k]]
    for d in range(trip):
        for _ in range(p.int("payments_per_day") if categories else 0):
            m = rng.choice(pool[rng.choice(categories)])
            value = round_amount(Decimal(rng.uniform(float(m.min_amount), float(m.max_amount))), rng)
            spending.append((d, m, value, 8, 22.5))
    back_after = trip + rng.randint(1, 3)

    def convert_back(plan: DayPlan, t: datetime) -> bool:
        rest = (kit.spendable(c, foreign) - Decimal(rng.randint(0, 20))).quantize(CENT)
        if rest < 10:
            return True
        return kit.convert(case, plan, c, foreign, c.currency, rest, t, fee_included=True) > 0

    def buy(plan: DayPlan, t: datetime) -> bool:
        amount = min(wanted, (kit.spendable(c) * Decimal("0.6")).quantize(Decimal(1)))
        if amount < 100 or kit.convert(case, plan, c, c.currency, foreign, amount, t) <= 0:
            return False  # the trip waits for the money
        arrive = kit.day_of(t) + max(1, lead)
        for d, m, value, first_hour, last_hour in spending:
            at = kit.time_on(arrive + d, rng, first_hour, last_hour)
            kit.when(case, at, lambda plan, t2, mm=m, v=value: _spend(kit, case, plan, c, mm, v, t2, foreign, place))
        kit.when(case, kit.time_on(arrive + back_after, rng, 8, 22), convert_back)
        return True

    kit.when(case, kit.time_on(first, rng, 8, 22), buy)
    case.detail(home=c.currency, foreign=foreign, wanted=str(wanted), trip_days=trip, destination=place[0])


def _spend(
    kit: Kit, case: Case, plan: DayPlan, c: SimCustomer, m: Merchant, amount: Decimal, at: datetime,
    currency: str, place: tuple[str, str, str],
) -> None:  # fmt: skip
    kit.card(case, plan, c, m, amount, at, currency=currency, city=place[0], region=place[1])


def student_support(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = population_currency(rng)
    student = kit.actors.pick(rng, cur, segments=("STUDENT",), fallback_segment="STUDENT")
    kit.involve(case, student)
    family_name = student.name.split(" ", 1)[1]
    names = people(rng, p.int("relatives"), {student.name})
    relatives = [party(f"{n.split(' ', 1)[0]} {family_name}" if rng.random() < 0.6 else n) for n in names]
    first = kit.first_day(case, 14)
    for relative in relatives:
        amount = round_amount(p.amount("amount"), rng)
        at = kit.time_on(first + rng.randint(0, 9), rng, 8, 22)
        channel = p.pick("channel")
        note = rng.choice(("school", "books", "rent", "love, mum", "for you", "gift", "help"))
        kit.when(
            case,
            at,
            lambda plan, t, a=amount, r=relative, ch=channel, n=note: kit.receive(
                case, plan, student, a, t, ch, r, text=n
            ),
        )
    if p.chance("tuition"):
        fee = to_multiple(p.amount("tuition_amount"), 10)
        school = party(rng.choice(UNIVERSITIES))

        def pay_tuition(plan: DayPlan, t: datetime) -> bool:
            amount = min(fee, (kit.free(plan, student, t) * Decimal("0.9")).quantize(CENT))
            return amount >= 50 and kit.send(case, plan, student, amount, t, "ACH", school, text="TUITION")

        kit.when(case, kit.time_on(first + rng.randint(10, 13), rng, 9, 17), pay_tuition)
    case.detail(relatives=len(relatives))


def marketplace_seller(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = population_currency(rng)
    seller = kit.actors.pick(rng, cur, segments=("RETAIL", "SMALL_BUSINESS", "STUDENT"))
    kit.involve(case, seller)
    span = p.int("days")
    first = kit.first_day(case, span + 3)
    buyers = [party(n) for n in people(rng, p.int("buyers"), {seller.name})]
    total = Decimal(0)
    for buyer in buyers:
        amount = round_amount(p.amount("amount"), rng)
        total += amount
        at = kit.time_on(first + rng.randrange(span), rng, 7, 23.9)
        note = rng.choice(("item", "order", "thanks", "shipping incl", "for the bike", "jacket", "tickets", "books"))
        kit.when(
            case, at, lambda plan, t, a=amount, b=buyer, n=note: kit.receive(case, plan, seller, a, t, "P2P", b, text=n)
        )
    if rng.random() < 0.5:  # the marketplace's own payouts for card sales, weekly
        platform = party(rng.choice(MARKETPLACE_PAYOUTS))
        for week in range(max(1, span // 7)):
            amount = round_amount(p.amount("amount") * rng.randint(2, 6), rng)
            total += amount
            at = kit.time_on(first + 7 * week + rng.randint(3, 6), rng, 4, 9)
            kit.when(case, at, lambda plan, t, a=amount: kit.receive(case, plan, seller, a, t, "ACH", platform))
    payout = (total * p.share("payout_share")).quantize(CENT)
    own = party(seller.name)
    at = kit.time_on(first + span + rng.randint(0, 2), rng, 9, 21)
    kit.when(case, at, lambda plan, t: kit.send(case, plan, seller, payout, t, "ACH", own, text="TRANSFER TO SAVINGS"))
    case.detail(buyers=len(buyers), received=str(total), payout=str(payout))


def crypto_self_custody(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    c = kit.actors.pick(rng, population_currency(rng), accept=lambda c: c.crypto_trader)
    kit.involve(case, c)
    coin = p.pick("coin")
    kit.actors.add_account(c, coin)
    first = kit.first_day(case, 8)
    wanted = to_multiple(p.amount("amount"), 10)
    owner = rng.choice((c.name, rng.choice(CRYPTO_VENUES)))

    def buy_and_hold(plan: DayPlan, t: datetime) -> bool:
        amount = min(wanted, (kit.spendable(c) * Decimal("0.7")).quantize(CENT))
        if amount < 50:
            return False
        kit.crypto_out(case, c, coin, amount, t, owner, p.hours("withdraw_delay_h"))
        return True

    kit.when(case, kit.time_on(first, rng, 0, 23), buy_and_hold)
    case.detail(coin=coin, own_wallet=owner == c.name)


def salary_drawn_in_cash(kit: Kit, case: Case) -> None:
    """A worker who lives on cash: each pay (from a large employer, or a small one through a payroll
    processor) is drawn at the ATM week by week, from the first pay the bank sees."""
    p, rng = case.params, case.rng
    cur = population_currency(rng)
    salary = to_multiple(p.amount("salary"), 1)
    every = int(p.pick("pay_every"))
    c = kit.actors.create(
        rng, cur, "RETAIL", onboarded_at=_long_ago(kit, case), salary=salary, rent=None, pay_every=10**6,
        pay_offset=1, cash_user=False,
    )  # fmt: skip
    kit.involve(case, c)
    if p.pick("employer") == "large":
        employer = party(rng.choice(EMPLOYERS))
        text = f"PAYROLL {employer.name.upper()}" if p.chance("described") else None
    else:
        employer = party(company(rng))
        text = f"{rng.choice(PAYROLL_PROCESSORS)} PAYROLL {employer.name.upper()}"
    share = p.share("cash_share")
    atm = kit.atm(rng)
    weeks = max(1, every // 7)
    # every pay whose weeks of cash fit in the run (a pay drawn only in part would not be posted whole)
    for day in range(kit.first_day(case, every + 7) % every, kit.days - 7 * (weeks - 1) - 3, every):
        at = kit.time_on(day, rng, 5, 9)
        pay = (salary * Decimal(str(round(rng.uniform(0.99, 1.01), 4)))).quantize(CENT)
        kit.when(case, at, lambda plan, t, a=pay: kit.receive(case, plan, c, a, t, "ACH", employer, text=text))
        for week in range(weeks):
            cash = to_multiple(pay * share / weeks, 20)
            where, what = (atm, f"ATM WITHDRAWAL {atm} {c.city}") if cash <= ATM_LIMIT else (
                kit.home_branch(c), f"BRANCH CASH WITHDRAWAL {c.city}")  # fmt: skip
            when = kit.time_on(day + 7 * week + rng.randint(0, 2), rng, 8, 21)
            kit.when(
                case,
                when,
                lambda plan, t, a=cash, w=where, x=what: kit.send(case, plan, c, a, t, "CASH", location=w, text=x),
            )
    case.detail(salary=str(salary), pay_every=every, cash_share=str(share), described=text is not None)


GENERATORS: dict[str, Generator] = {
    "payroll_run": payroll_run,
    "rent_collection": rent_collection,
    "salary_then_bills": salary_then_bills,
    "large_purchase": large_purchase,
    "family_transfers": family_transfers,
    "business_cash_takings": business_cash_takings,
    "travel_fx": travel_fx,
    "student_support": student_support,
    "marketplace_seller": marketplace_seller,
    "crypto_self_custody": crypto_self_custody,
    "salary_drawn_in_cash": salary_drawn_in_cash,
}
