"""Laundering cases and benign look-alikes posted through the ledger's public API, their shapes drawn by
hypothesis: sizes, amounts, delays, hop counts, channels and name variants vary from example to example.
Written from the AML literature (FATF/FinCEN red flags, the AMLworld patterns), apart from the
simulator's generators. Each builder returns the case: family, benign or not, and its references."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from ledger import (
    AccountSpec,
    AccountType,
    CaptureRequest,
    Counterparty,
    CustomerProfile,
    HoldRequest,
    Ledger,
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

CENT = Decimal("0.01")
# Spellings of watch-listed names the list does not carry as aliases (features.screening's families).
LISTED_VARIANTS = (
    "Драгомир Петренко",
    "PETRENKO, Dragomir",
    "Dragomir Petrenkko",
    "Youssef El-Marzani",
    "يوسف المرزاني",
    "Михаил Жданович",
    "Anatolii Voskresenskii",
    "Karvonen Maritime Holdings Limited",
    "Silverline Commodities F.Z.E.",
    "Fareed Kasemi",
)
# Billers as a household's bank statement names them: catalogue brands, aliases, and names with a biller's word.
BILLERS = (
    "Verizon Wireless", "Con Ed", "GEICO", "Comcast Xfinity", "State Farm", "Netflix", "Duke Energy",
    "Riverside Water Authority", "Harbor Mutual Insurance", "Zenith Card Services", "Summit Auto Loans",
    "Northgate Fitness Club",
)  # fmt: skip
FAMILIES = (
    "structuring",
    "cash_rapid_outflow",
    "smurfing",
    "money_mule",
    "fan_out",
    "fan_in",
    "cycle",
    "scatter_gather",
    "gather_scatter",
    "bipartite",
    "stack",
    "random",
    "layering_chain",
    "dormant_reactivation",
    "fx_round_trip",
    "card_testing",
    "card_testing_merchant",
    "stored_value_burst",
    "account_takeover",
    "watchlist_payment",
    "receipt_cashed_out",
    "kiting",
    "ghost_payroll",
    "cash_front",
    "loan_diversion",
    "export_control",
    "tax_refunds",
    "prize_claims",
    "private_atm",
    "embezzlement",
)
LOOKALIKES = (
    "payroll_run",
    "rent_collection",
    "salary_then_bills",
    "large_purchase",
    "family_transfers",
    "estate_shares",
    "salary_drawn_in_cash",
    "commission_splits",
    "atm_operator",
    "expenses_reimbursed",
)


@dataclass
class Case:
    family: str
    benign: bool
    references: list[str] = field(default_factory=list)
    holds: list[str] = field(default_factory=list)


class Bank:
    """Posts cases into a ledger: new customers with accounts, movements with unique references."""

    def __init__(self, ledger: Ledger, data: st.DataObject, start: datetime, tag: str) -> None:
        self.ledger = ledger
        self.data = data
        self.start = start
        self.tag = tag
        self._n = itertools.count()

    def draw(self, strategy: st.SearchStrategy, label: str) -> object:
        return self.data.draw(strategy, label=label)

    def amount(self, low: int, high: int, label: str) -> Decimal:
        cents = self.draw(st.integers(low * 100, high * 100), label)
        return Decimal(cents) / 100

    def ref(self) -> str:
        return f"{self.tag}-{next(self._n)}"

    def customers(self, count: int, segment: str = "RETAIL", occupation: str = "employee") -> list[str]:
        """New customers, each with a USD account funded by nothing; their account codes."""
        refs = [f"{self.tag}-K{next(self._n)}" for _ in range(count)]
        profiles = [
            CustomerProfile(
                ref, "US", occupation, segment, "LOW", self.start - timedelta(days=400), f"Person {ref}",
                f"{ref}@x.org", date(1985, 5, 5),
            )
            for ref in refs
        ]  # fmt: skip
        ids = self.ledger.register_customers(profiles)
        specs = [AccountSpec(f"{r}-USD", r, AccountType.LIABILITY, "USD", customer_id=ids[r]) for r in refs]
        for result in self.ledger.open_accounts(specs):
            assert not isinstance(result, Exception), result
        return [s.code for s in specs]

    def party(self, label: str) -> Counterparty:
        n = next(self._n)
        return Counterparty(f"{label} {self.tag} {n}", f"XX{n:04d}{self.tag}")

    def post(self, case: Case, *movements: Movement) -> None:
        result = self.ledger.post_many(list(movements))
        result.raise_first()
        case.references += [m.reference_id for m in movements]

    def at(self, day: float) -> datetime:
        return self.start + timedelta(days=day)


def hours(bank: Bank, low: float, high: float, label: str) -> timedelta:
    return timedelta(minutes=bank.draw(st.integers(int(low * 60), int(high * 60)), label))


def _structuring(bank: Bank) -> Case:
    case, (account,) = Case("structuring", False), bank.customers(1)
    pieces = bank.draw(st.integers(2, 6), "pieces")
    band = bank.draw(st.sampled_from([(8000, 9950), (3000, 7000)]), "band")
    total = Decimal(0)
    day = 0.0
    while total <= 10000 or pieces > 0:
        amount = bank.amount(*band, "piece")
        where = bank.draw(st.sampled_from(["BR-A-1", "BR-B-2", "ATM-77", "BR-C-3"]), "where")
        bank.post(case, cash_deposit(bank.ref(), account, amount, location=where, effective_at=bank.at(day + 0.4)))
        total += amount
        pieces -= 1
        day += bank.draw(st.floats(0, 1.5), "gap")
    return case


def _cash_rapid_outflow(bank: Bank) -> Case:
    case, (account,) = Case("cash_rapid_outflow", False), bank.customers(1)
    cash = Decimal(0)
    for i in range(bank.draw(st.integers(2, 5), "deposits")):
        amount = bank.amount(1500, 4000, "cash")
        bank.post(case, cash_deposit(bank.ref(), account, amount, location="BR-X-9", effective_at=bank.at(i * 0.8)))
        cash += amount
    out = (cash * Decimal(bank.draw(st.sampled_from(["0.8", "0.9", "0.95"]), "share"))).quantize(CENT)
    when = bank.at(3.5) + hours(bank, 0, 48, "delay")
    exit_ = bank.draw(st.sampled_from(["wire", "p2p", "cash"]), "exit")
    move = (
        cash_withdrawal(bank.ref(), account, out, location="ATM-FAR-1", effective_at=when)
        if exit_ == "cash"
        else wire_out(bank.ref(), account, out, beneficiary=bank.party("Dest"), effective_at=when)
    )
    bank.post(case, move)
    return case


def _smurfing(bank: Bank) -> Case:
    case = Case("smurfing", False)
    smurfs = bank.customers(bank.draw(st.integers(3, 8), "smurfs"))
    internal = bank.draw(st.booleans(), "internal beneficiary")
    target = bank.customers(1)[0] if internal else None
    beneficiary = bank.party("Consolidator")
    for i, account in enumerate(smurfs):
        amount = bank.amount(2000, 9500, "smurf cash")
        at = bank.at(i * 0.6)
        bank.post(case, cash_deposit(bank.ref(), account, amount, location=f"BR-{i}", effective_at=at))
        forward = (amount * Decimal("0.97")).quantize(CENT)
        later = at + hours(bank, 1, 40, "hold")
        move = (
            p2p(bank.ref(), account, target, forward, effective_at=later)
            if target
            else wire_out(bank.ref(), account, forward, beneficiary=beneficiary, effective_at=later)
        )
        bank.post(case, move)
    return case


def _mule(bank: Bank) -> Case:
    case, (account,) = Case("money_mule", False), bank.customers(1, "STUDENT", "student")
    total, at = Decimal(0), bank.at(0)
    for _ in range(bank.draw(st.integers(4, 14), "victims")):
        amount = bank.amount(500, 3000, "victim")
        at += hours(bank, 0.5, 30, "spacing")
        channel = bank.draw(st.sampled_from(["p2p", "wire"]), "in channel")
        payer = bank.party("Victim")
        move = (
            p2p_in(bank.ref(), account, amount, payer=payer, effective_at=at)
            if channel == "p2p"
            else wire_in(bank.ref(), account, amount, sender=payer, effective_at=at)
        )
        bank.post(case, move)
        total += amount
    out = total * Decimal(bank.draw(st.sampled_from(["0.85", "0.9", "0.95"]), "forwarded"))
    parts = bank.draw(st.integers(1, 3), "parts")
    for _ in range(parts):
        piece = (out / parts).quantize(CENT)
        at += hours(bank, 1, 36, "drain delay")
        bank.post(case, wire_out(bank.ref(), account, piece, beneficiary=bank.party("Crypto OTC"), effective_at=at))
    return case


def _fan_out(bank: Bank) -> Case:
    case, (hub,) = Case("fan_out", False), bank.customers(1)
    total = bank.amount(8000, 40000, "total")
    bank.post(case, wire_in(bank.ref(), hub, total, sender=bank.party("Origin"), effective_at=bank.at(0)))
    legs = bank.draw(st.integers(4, 12), "degree")
    piece = (total * Decimal("0.95") / legs).quantize(CENT)
    for _ in range(legs):
        at = bank.at(0) + hours(bank, 1, 60, "spread")
        bank.post(case, wire_out(bank.ref(), hub, piece, beneficiary=bank.party("Payee"), effective_at=at))
    return case


def _fan_in(bank: Bank) -> Case:
    case, (hub,) = Case("fan_in", False), bank.customers(1)
    for _ in range(bank.draw(st.integers(5, 14), "degree")):
        at = bank.at(0) + hours(bank, 0, 96, "spread")
        amount = bank.amount(600, 3000, "piece")
        bank.post(case, wire_in(bank.ref(), hub, amount, sender=bank.party("Feeder"), effective_at=at))
    return case


def _chain(bank: Bank, family: str, hops: int, keep: tuple[float, float], gap: tuple[float, float]) -> Case:
    """Money through `hops` customers in a row, each keeping most of it, from and to outside parties."""
    case = Case(family, False)
    accounts = bank.customers(hops)
    amount = bank.amount(6000, 30000, "start")
    at = bank.at(0)
    bank.post(case, wire_in(bank.ref(), accounts[0], amount, sender=bank.party("Source"), effective_at=at))
    for a, b in itertools.pairwise(accounts):
        amount = (amount * Decimal(str(round(bank.draw(st.floats(*keep), "keep"), 3)))).quantize(CENT)
        at += hours(bank, *gap, "hop")
        if bank.draw(st.booleans(), "on_us_wire"):
            # a transfer between two customers posted as a wire out and a wire in, naming each other's
            # account codes (in another spelling), as a bank's wire system would
            spelt = b.lower().replace("-", " ")
            out = wire_out(bank.ref(), a, amount, beneficiary=Counterparty(f"Person {b}", spelt), effective_at=at)
            back = wire_in(bank.ref(), b, amount, sender=Counterparty(f"Person {a}", a), effective_at=at)
            bank.post(case, out, back)
        else:
            bank.post(case, p2p(bank.ref(), a, b, amount, effective_at=at))
    amount = (amount * Decimal("0.97")).quantize(CENT)
    at += hours(bank, *gap, "exit")
    bank.post(case, wire_out(bank.ref(), accounts[-1], amount, beneficiary=bank.party("Sink"), effective_at=at))
    return case


def _cycle(bank: Bank) -> Case:
    case = Case("cycle", False)
    accounts = bank.customers(bank.draw(st.integers(3, 6), "length"))
    seed = bank.amount(5000, 20000, "seed")
    bank.post(case, cash_deposit(bank.ref(), accounts[0], seed, location="BR-SEED", effective_at=bank.at(0)))
    amount, at = seed, bank.at(0.2)
    for a, b in [*itertools.pairwise(accounts), (accounts[-1], accounts[0])]:
        amount = (amount * Decimal(str(round(bank.draw(st.floats(0.85, 0.99), "keep"), 3)))).quantize(CENT)
        at += hours(bank, 2, 96, "hop")
        bank.post(case, p2p(bank.ref(), a, b, amount, effective_at=at))
    return case


def _scatter_gather(bank: Bank, family: str = "scatter_gather") -> Case:
    case = Case(family, False)
    origin, *middle = bank.customers(1 + bank.draw(st.integers(3, 8), "intermediaries"))
    beneficiary = bank.customers(1)[0]
    total = bank.amount(10000, 40000, "total")
    bank.post(case, wire_in(bank.ref(), origin, total, sender=bank.party("Origin"), effective_at=bank.at(0)))
    piece = (total * Decimal("0.95") / len(middle)).quantize(CENT)
    for m in middle:
        at = bank.at(0.5) + hours(bank, 0, 36, "scatter")
        bank.post(case, p2p(bank.ref(), origin, m, piece, effective_at=at))
        forward = (piece * Decimal("0.9")).quantize(CENT)
        bank.post(case, p2p(bank.ref(), m, beneficiary, forward, effective_at=at + hours(bank, 2, 72, "gather")))
    return case


def _gather_scatter(bank: Bank) -> Case:
    case, (hub,) = Case("gather_scatter", False), bank.customers(1)
    total = Decimal(0)
    for _ in range(bank.draw(st.integers(3, 8), "senders")):
        amount = bank.amount(1500, 6000, "in")
        bank.post(
            case,
            wire_in(
                bank.ref(), hub, amount, sender=bank.party("In"), effective_at=bank.at(0) + hours(bank, 0, 48, "t")
            ),
        )
        total += amount
    outs = bank.draw(st.integers(3, 8), "receivers")
    piece = (total * Decimal("0.9") / outs).quantize(CENT)
    for _ in range(outs):
        at = bank.at(2.5) + hours(bank, 0, 48, "t")
        bank.post(case, wire_out(bank.ref(), hub, piece, beneficiary=bank.party("Out"), effective_at=at))
    return case


def _bipartite(bank: Bank, family: str = "bipartite") -> Case:
    case = Case(family, False)
    senders = bank.customers(bank.draw(st.integers(2, 4), "senders"))
    receivers = [bank.party("Receiver") for _ in range(bank.draw(st.integers(2, 4), "receivers"))]
    for s in senders:
        bank.post(case, wire_in(bank.ref(), s, Decimal(10500), sender=bank.party("Funding"), effective_at=bank.at(0)))
        for r in receivers:
            amount = bank.amount(800, 2500, "edge")
            at = bank.at(0.5) + hours(bank, 0, 96, "t")
            bank.post(case, wire_out(bank.ref(), s, amount, beneficiary=r, effective_at=at))
    return case


def _stack(bank: Bank) -> Case:
    """Two all-to-all layers: origins -> middle customers -> outside receivers."""
    case = Case("stack", False)
    origins = bank.customers(2)
    middle = bank.customers(bank.draw(st.integers(2, 3), "middle"))
    receivers = [bank.party("Layer3") for _ in range(2)]
    for o in origins:
        bank.post(case, wire_in(bank.ref(), o, Decimal(12000), sender=bank.party("Funding"), effective_at=bank.at(0)))
        for m in middle:
            bank.post(case, p2p(bank.ref(), o, m, Decimal(3000), effective_at=bank.at(0.5) + hours(bank, 0, 24, "t")))
    for m in middle:
        for r in receivers:
            at = bank.at(2) + hours(bank, 0, 24, "t")
            bank.post(case, wire_out(bank.ref(), m, Decimal(2800), beneficiary=r, effective_at=at))
    return case


def _random(bank: Bank) -> Case:
    return _chain(bank, "random", bank.draw(st.integers(3, 6), "walk"), (0.9, 1.0), (0.5, 20))


def _layering(bank: Bank) -> Case:
    return _chain(bank, "layering_chain", bank.draw(st.integers(2, 5), "hops"), (0.85, 0.99), (0.5, 18))


def _dormant(bank: Bank) -> Case:
    case, (account,) = Case("dormant_reactivation", False), bank.customers(1)
    gap = bank.draw(st.integers(60, 365), "dormant days")
    # the opening deposit, then the last movement before the silence: history, not part of the case
    opened = bank.at(-gap - bank.draw(st.integers(10, 400), "opened before"))
    bank.ledger.move(ach_in(bank.ref(), account, Decimal(100), sender=bank.party("Own"), effective_at=opened))
    savings = bank.amount(8000, 30000, "savings")
    bank.ledger.move(
        ach_in(bank.ref(), account, savings, sender=bank.party("Old employer"), effective_at=bank.at(-gap))
    )
    if bank.draw(st.booleans(), "passes money through"):
        amount = bank.amount(5000, 40000, "inflow")
        bank.post(case, wire_in(bank.ref(), account, amount, sender=bank.party("Stranger"), effective_at=bank.at(0)))
        for _ in range(2):
            out = (amount * Decimal("0.45")).quantize(CENT)
            at = bank.at(0) + hours(bank, 2, 100, "out")
            bank.post(case, wire_out(bank.ref(), account, out, beneficiary=bank.party("Away"), effective_at=at))
    else:  # drains what it held
        drains = bank.draw(st.integers(2, 5), "drains")
        piece = (savings * Decimal("0.9") / drains).quantize(CENT)
        for _ in range(drains):
            at = bank.at(0) + hours(bank, 0, 72, "drain")
            bank.post(case, wire_out(bank.ref(), account, piece, beneficiary=bank.party("Away"), effective_at=at))
    return case


def _fx_round_trip(bank: Bank) -> Case:
    case = Case("fx_round_trip", False)
    (usd,) = bank.customers(1)
    eur = usd.replace("-USD", "-EUR")
    owner = bank.ledger.account(usd).customer_id
    result = bank.ledger.open_accounts([AccountSpec(eur, eur, AccountType.LIABILITY, "EUR", customer_id=owner)])
    assert not isinstance(result[0], Exception), result[0]
    amount = bank.amount(5000, 30000, "in")
    bank.post(case, wire_in(bank.ref(), usd, amount, sender=bank.party("Source"), effective_at=bank.at(0)))
    rate = Decimal("0.92")
    converted = (amount * Decimal("0.98")).quantize(CENT)
    first = bank.ref()
    bank.ledger.convert(first, usd, eur, converted, rate, effective_at=bank.at(0) + hours(bank, 1, 20, "fx1"))
    back_eur = (converted * rate).quantize(CENT)
    second = bank.ref()
    back_rate = Decimal("1.08")
    bank.ledger.convert(second, eur, usd, back_eur, back_rate, effective_at=bank.at(1) + hours(bank, 1, 60, "fx2"))
    case.references += [first, second]
    out = (back_eur * back_rate * Decimal("0.95")).quantize(CENT)
    bank.post(case, wire_out(bank.ref(), usd, out, beneficiary=bank.party("Dest"), effective_at=bank.at(4.5)))
    return case


def _card_holds(bank: Bank, case: Case, accounts: list[str], count: int, merchant: str) -> None:
    requests, voids = [], []
    at = bank.at(0.3)
    for i in range(count):
        account = accounts[i % len(accounts)]
        at += timedelta(seconds=bank.draw(st.integers(10, 240), "gap"))
        amount = bank.amount(0, 2, "tiny") + CENT
        ref = bank.ref()
        requests.append(
            HoldRequest(ref, account, "CARD-SETTLEMENT-USD", amount, at + timedelta(days=7), f"{merchant} #{i % 7:04d}",
                        effective_at=at, channel="CARD", mcc=5999)
        )  # fmt: skip
    placed = bank.ledger.hold_many(requests)
    placed.raise_first()
    voids = [hold_id for hold_id in placed.ids[: int(len(requests) * 0.8)] if hold_id is not None]
    bank.ledger.void_many(voids, effective_at=at + timedelta(minutes=30))
    case.holds += [r.reference_id for r in requests]


def _card_testing(bank: Bank) -> Case:
    case = Case("card_testing", False)
    accounts = bank.customers(1)
    bank.post(case, ach_in(bank.ref(), accounts[0], Decimal(500), sender=bank.party("Pay"), effective_at=bank.at(0)))
    case.references.clear()
    _card_holds(bank, case, accounts, bank.draw(st.integers(10, 30), "tries"), "WEBSHOP ALPHA")
    return case


def _card_testing_merchant(bank: Bank) -> Case:
    case = Case("card_testing_merchant", False)
    accounts = bank.customers(bank.draw(st.integers(4, 9), "cards"))
    for a in accounts:
        bank.ledger.move(ach_in(bank.ref(), a, Decimal(300), sender=bank.party("Pay"), effective_at=bank.at(0)))
    _card_holds(bank, case, accounts, len(accounts) + bank.draw(st.integers(0, 6), "extra"), "DONATE GIVEFAST")
    return case


GIFT_CARDS = ("TARGET GIFT CARD", "VANILLA GIFT VISA", "BEST BUY GIFT CARDS", "GOOGLEPLAY RELOAD", "PREPAID CARD KIOSK")
SHOPS_SELLING_CARDS = ("APPLE STORE R102", "CVS/PHARMACY #0441", "WALGREENS #7731", "KROGER #522")


def _stored_value(bank: Bank) -> Case:
    """A scam victim told to pay in gift cards: a stack bought within a day or two, some named as gift cards on
    the descriptor, some at shops that sell them beside everything else (a card's face value, perhaps plus an
    activation fee)."""
    case, (account,) = Case("stored_value_burst", False), bank.customers(1)
    bank.ledger.move(ach_in(bank.ref(), account, Decimal(9000), sender=bank.party("Pension"), effective_at=bank.at(-5)))
    named = bank.draw(st.integers(2, 4), "named cards")
    at = bank.at(0.4)
    requests = []
    for i in range(named + bank.draw(st.integers(3, 5), "cards at shops")):
        at += hours(bank, 0.1, 5, "between purchases")
        face = Decimal(bank.draw(st.sampled_from([200, 250, 300, 500]), "face value"))
        fee = Decimal(bank.draw(st.sampled_from(["0", "3.95", "4.95", "6.95"]), "activation fee"))
        merchant = bank.draw(st.sampled_from(GIFT_CARDS if i < named else SHOPS_SELLING_CARDS), "merchant")
        requests.append(
            HoldRequest(bank.ref(), account, "CARD-SETTLEMENT-USD", face + fee, at + timedelta(days=7), merchant,
                        effective_at=at, channel="CARD", mcc=5999)
        )  # fmt: skip
    placed = bank.ledger.hold_many(requests)
    placed.raise_first()
    captured = bank.ledger.capture_many(
        [CaptureRequest(hold_id, effective_at=at + timedelta(hours=1)) for hold_id in placed.ids if hold_id is not None]
    )
    captured.raise_first()
    case.holds += [r.reference_id for r in requests]
    return case


TAKEOVER_PAYEES = (
    ("Jordan Reyes", "US"),
    ("Apex Global Holdings LLC", "US"),
    ("Ionut Popescu", "RO"),
    ("Chidi Eze", "GB"),
)


def _takeover(bank: Bank) -> Case:
    """Someone else in the account: two transfers within hours to two new payees, or three or four to one (a
    person or a shell company, at home or abroad: split under a transfer limit), taking most of the savings."""
    case, (account,) = Case("account_takeover", False), bank.customers(1)
    savings = bank.amount(6000, 40000, "savings")
    bank.ledger.move(ach_in(bank.ref(), account, savings, sender=bank.party("Employer"), effective_at=bank.at(-20)))
    parts = bank.draw(st.integers(2, 4), "transfers")
    chosen = bank.draw(
        st.lists(st.sampled_from(TAKEOVER_PAYEES), min_size=2 if parts == 2 else 1, max_size=2 if parts == 2 else 1,
                 unique=True),
        "payees",
    )  # fmt: skip
    payees = [Counterparty(name, f"XX{bank.ref()}", country=country) for name, country in chosen]
    taken = (savings * Decimal(bank.draw(st.sampled_from(["0.85", "0.92", "1"]), "share taken"))).quantize(CENT)
    piece = (taken / parts).quantize(CENT, rounding="ROUND_DOWN")
    at = bank.at(0) + hours(bank, 0, 20, "hour")
    for p in range(parts):
        at += hours(bank, 0.05, 1.4 if parts == 2 else 3, "between transfers")
        payee = payees[p % len(payees)]
        if payee.country != "US" or bank.draw(st.booleans(), "by wire"):
            move = wire_out(bank.ref(), account, piece, beneficiary=payee, effective_at=at)
        else:
            move = p2p_out(bank.ref(), account, piece, payee=payee, effective_at=at)
        bank.post(case, move)
    return case


def _watchlist(bank: Bank) -> Case:
    case, (account,) = Case("watchlist_payment", False), bank.customers(1)
    bank.ledger.move(ach_in(bank.ref(), account, Decimal(6000), sender=bank.party("Pay"), effective_at=bank.at(0)))
    name = bank.draw(st.sampled_from(LISTED_VARIANTS), "listed name variant")
    amount = bank.amount(200, 4000, "payment")
    bank.post(case, wire_out(bank.ref(), account, amount, beneficiary=Counterparty(name), effective_at=bank.at(1)))
    return case


def _receipt_cashed_out(bank: Bank) -> Case:
    """A loan or savings brought over from the customer's own account elsewhere, then drawn in cash at branches
    within days (a traveller's funds before leaving, a bust-out): far beyond the little cash drawn before."""
    case, (account,) = Case("receipt_cashed_out", False), bank.customers(1)
    pay = ach_in(bank.ref(), account, Decimal(1500), sender=bank.party("Employer"), effective_at=bank.at(-55),
                 description="PAYROLL")  # fmt: skip
    bank.ledger.move(pay)
    for k in range(bank.draw(st.integers(0, 2), "cash drawn before")):
        habit = bank.amount(40, 200, "habit")
        when = bank.at(-50 + 20 * k)
        bank.ledger.move(cash_withdrawal(bank.ref(), account, habit, location="ATM-H-1", effective_at=when))
    received = bank.amount(5000, 15000, "received")
    holder = account.removesuffix("-USD")
    sender = bank.draw(
        st.sampled_from([bank.party("Quick Lend Finance"), Counterparty(f"Person {holder}", f"XX{bank.ref()}")]),
        "lender or own savings",
    )
    memo = bank.draw(st.sampled_from(["LOAN PROCEEDS", "TRANSFER", None]), "memo")
    bank.post(case, ach_in(bank.ref(), account, received, sender=sender, effective_at=bank.at(0), description=memo))
    share = Decimal(bank.draw(st.sampled_from(["0.35", "0.6", "0.9"]), "share drawn"))
    pieces = bank.draw(st.integers(2, 5), "withdrawals")
    piece = (received * share / pieces).quantize(CENT)
    day = bank.draw(st.floats(0.5, 14), "first withdrawal")
    for _ in range(pieces):
        where = bank.draw(st.sampled_from(["BR-A-1", "BR-B-2", "BR-C-3", "ATM-77"]), "where")
        bank.post(case, cash_withdrawal(bank.ref(), account, piece, location=where, effective_at=bank.at(day)))
        day += bank.draw(st.floats(0.1, 1.5), "gap")
    return case


def _own_accounts(bank: Bank, account: str, count: int) -> list[Counterparty]:
    """Accounts in the customer's own name (`Person <ref>`, as `Bank.customers` names it) at other banks."""
    name = f"Person {account.removesuffix('-USD')}"
    return [Counterparty(name, f"OWN{next(bank._n):04d}{bank.tag}", f"Bank {k}", "US") for k in range(count)]


def _kiting(bank: Bank) -> Case:
    """ACH credits from the customer's own accounts at two other banks, each sent on to the other within hours,
    rising each round (FFIEC, ACH and cheque kiting)."""
    segment = bank.draw(st.sampled_from(["RETAIL", "SMALL_BUSINESS"]), "segment")
    case, (account,) = Case("kiting", False), bank.customers(1, segment, "contractor")
    own = _own_accounts(bank, account, 2)
    amount = bank.amount(3000, 6000, "first credit")
    growth = Decimal(bank.draw(st.sampled_from(["1.05", "1.15", "1.3"]), "growth"))
    day = 0.0
    for k in range(bank.draw(st.integers(4, 9), "rounds")):
        at = bank.at(day) + hours(bank, 0, 4, "credit hour")
        bank.post(case, ach_in(bank.ref(), account, amount, sender=own[k % 2], effective_at=at))
        share = Decimal(bank.draw(st.sampled_from(["0.92", "0.97", "1"]), "sent on"))
        send = bank.draw(st.sampled_from([ach_out, wire_out]), "out channel")
        later = at + hours(bank, 1, 30, "sent after")
        sent = (amount * share).quantize(CENT)
        bank.post(case, send(bank.ref(), account, sent, beneficiary=own[(k + 1) % 2], effective_at=later))
        amount = (amount * growth).quantize(CENT)
        day += bank.draw(st.integers(1, 3), "days between rounds")
    return case


def _ghost_payroll(bank: Bank) -> Case:
    """Ghost employees on an outside employer's payroll pass each pay to the payroll clerk who created them: by P2P,
    by ACH to the clerk's account elsewhere, or drawn in cash the clerk pays in (ACFE payroll schemes)."""
    case = Case("ghost_payroll", False)
    clerk, *ghosts = bank.customers(1 + bank.draw(st.integers(2, 4), "ghosts"))
    employer = f"Metro Building Services {bank.tag} Inc"
    clerk_elsewhere = _own_accounts(bank, clerk, 1)[0]
    for run in range(bank.draw(st.integers(2, 3), "pays")):
        payday = bank.at(14 * run) + hours(bank, 5, 7, "payday")
        payer = Counterparty(employer, f"EMP{run}{bank.tag}")
        clerk_pay = bank.amount(2500, 4000, "clerk pay")
        bank.post(case, ach_in(bank.ref(), clerk, clerk_pay, sender=payer, effective_at=payday))
        for ghost in ghosts:
            pay = bank.amount(1200, 2600, "ghost pay")
            bank.post(case, ach_in(bank.ref(), ghost, pay, sender=payer, effective_at=payday, description="PAYROLL"))
            way = bank.draw(st.sampled_from(["p2p", "ach", "cash"]), "way")
            passed = (pay * Decimal(bank.draw(st.sampled_from(["0.85", "0.95", "1"]), "share passed"))).quantize(CENT)
            later = payday + hours(bank, 2, 40, "passed after")
            if way == "p2p":
                bank.post(case, p2p(bank.ref(), ghost, clerk, passed, effective_at=later))
            elif way == "ach":
                bank.post(case, ach_out(bank.ref(), ghost, passed, beneficiary=clerk_elsewhere, effective_at=later))
            else:
                bank.post(case, cash_withdrawal(bank.ref(), ghost, passed, location="ATM-9", effective_at=later))
                paid_in = later + hours(bank, 20, 72, "paid in after")
                deposit = (passed * Decimal("0.9")).quantize(CENT)
                bank.post(case, cash_deposit(bank.ref(), clerk, deposit, location="BR-C-3", effective_at=paid_in))
    return case


def _cash_front(bank: Bank) -> Case:
    """A car wash taking cards banks several times its card sales in cash at a few branches and wires most of it
    to one company (FFIEC cash-intensive businesses; FATF front businesses)."""
    case, (front,) = Case("cash_front", False), bank.customers(1, "SMALL_BUSINESS", "car wash owner")
    ratio = Decimal(bank.draw(st.sampled_from(["3.5", "5", "7"]), "cash to card"))
    processor = Counterparty("Square Inc", f"SQ{bank.tag}")
    card = Decimal(0)
    for day in range(0, 21, 3):
        amount = bank.amount(1500, 3000, "card payout")
        at = bank.at(day) + hours(bank, 6, 8, "payout")
        bank.post(case, ach_in(bank.ref(), front, amount, sender=processor, effective_at=at))
        card += amount
    cash, day = Decimal(0), 0
    while cash < card * ratio:
        amount = bank.amount(4000, 9800, "cash deposit")
        where = bank.draw(st.sampled_from(["BR-A-1", "BR-B-2", "BR-C-3"]), "branch")
        at = bank.at(day % 21) + hours(bank, 9, 16, "banked")
        bank.post(case, cash_deposit(bank.ref(), front, amount, location=where, effective_at=at))
        cash += amount
        day += 1
    name = bank.draw(st.sampled_from(["Pacific Trading Co Ltd", "Andes Ventures LLC"]), "paid to")
    dest = Counterparty(name, f"DST{bank.tag}", None, bank.draw(st.sampled_from(["HK", "US", "MX"]), "country"))
    piece = (cash * Decimal(bank.draw(st.sampled_from(["0.5", "0.6", "0.75"]), "wired on")) / 3).quantize(CENT)
    for k in range(3):
        at = bank.at(21 + k) + hours(bank, 9, 15, "wired")
        bank.post(case, wire_out(bank.ref(), front, piece, beneficiary=dest, effective_at=at))
    return case


def _loan_diversion(bank: Bank) -> Case:
    """A new shell with no takings gets a disaster loan or a relief grant and moves most of it within days to its
    owner's account (relief-loan fraud; loan proceeds used for unexpected purposes)."""
    case = Case("loan_diversion", False)
    (shell,) = bank.customers(1, "SMALL_BUSINESS", bank.draw(st.sampled_from(["trucking", "event planning"]), "trade"))
    (owner,) = bank.customers(1)
    memo = bank.draw(st.sampled_from(["EIDL LOAN DISBURSEMENT", "SMALL BUSINESS RELIEF GRANT", "PPP LOAN"]), "memo")
    loan = bank.amount(12000, 150000, "loan")
    at = bank.at(0) + hours(bank, 5, 8, "disbursed")
    lender = Counterparty("SBA DISASTER LOAN SERVICE", f"SBA{bank.tag}")
    bank.post(case, ach_in(bank.ref(), shell, loan, sender=lender, effective_at=at, description=memo))
    moved = loan * Decimal(bank.draw(st.sampled_from(["0.5", "0.7", "0.9"]), "moved"))
    pieces = bank.draw(st.integers(1, 3), "pieces")
    for _ in range(pieces):
        at += hours(bank, 2, 60, "moved after")
        bank.post(case, p2p(bank.ref(), shell, owner, (moved / pieces).quantize(CENT), effective_at=at))
    return case


def _export_control(bank: Bank) -> Case:
    """Front companies in transshipment countries prepay a US electronics distributor (FinCEN/BIS alerts on export
    control evasion)."""
    occupation = bank.draw(st.sampled_from(["electronic components distributor", "aircraft parts broker"]), "trade")
    case, (dealer,) = Case("export_control", False), bank.customers(1, "SMALL_BUSINESS", occupation)
    day = 0.0
    for _ in range(bank.draw(st.integers(2, 5), "prepayments")):
        country = bank.draw(st.sampled_from(["TR", "AE", "KZ", "AM", "GE", "KG", "HK"]), "front country")
        n = next(bank._n)
        front = Counterparty(f"Mikroskhema {country} {n} LLC", f"FR{n}{bank.tag}", None, country)
        amount = bank.amount(30000, 200000, "prepayment")
        bank.post(case, wire_in(bank.ref(), dealer, amount, sender=front, effective_at=bank.at(day)))
        day += bank.draw(st.integers(2, 20), "days between")
    return case


def _tax_refunds(bank: Bank) -> Case:
    """Tax refunds of returns filed in other people's names paid into one account, two or more by the IRS, and
    drawn in cash within a day or two (stolen-identity refund fraud; NACHA: a refund goes to the taxpayer's account)."""
    case = Case("tax_refunds", False)
    (account,) = bank.customers(1, "RETAIL", bank.draw(st.sampled_from(["cashier", "student", "driver"]), "job"))
    state = bank.draw(
        st.sampled_from([("NYS DTF PIT", "NYS DTF PIT REFUND"), ("GA DEPT OF REVENUE", "GA TAX RFD")]), "state"
    )
    refunds = bank.draw(st.integers(3, 8), "refunds")
    days = sorted(bank.draw(st.lists(st.integers(0, 55), min_size=refunds, max_size=refunds), "days"))
    for k, day in enumerate(days):
        # the first two from the IRS, the others from the IRS, a state or a refund-transfer bank
        payer = "irs" if k < 2 else bank.draw(st.sampled_from(["irs", "state", "transfer"]), "payer")
        amount = bank.amount(400, 6000, "refund")
        victim = bank.draw(st.sampled_from(["", " MARIA LOPEZ", " JAMES O NEIL", " T NGUYEN"]), "name on it")
        sender, memo = {
            "irs": (Counterparty("IRS TREAS 310", None, "US Treasury", "US"), f"TAX REF{victim}"),
            "state": (Counterparty(state[0], None, None, "US"), state[1]),
            "transfer": (Counterparty("SBTPG LLC", None, None, "US"), f"TAX REFUND TRANSFER{victim}"),
        }[payer]
        at = bank.at(day) + hours(bank, 3, 8, "paid")
        bank.post(case, ach_in(bank.ref(), account, amount, sender=sender, effective_at=at, description=memo))
        drawn = (amount * Decimal(bank.draw(st.sampled_from(["0.6", "0.85", "0.95"]), "drawn"))).quantize(CENT)
        at += hours(bank, 2, 40, "drawn after")
        bank.post(case, cash_withdrawal(bank.ref(), account, drawn, location="ATM-NYC-7", effective_at=at))
    return case


def _prize_claims(bank: Bank) -> Case:
    """A person paid prize after prize by a state lottery, by cheque or transfer (ten-percenting: winning tickets
    bought for cash from their winners)."""
    case, (account,) = Case("prize_claims", False), bank.customers(1, "RETAIL", "convenience store clerk")
    name = bank.draw(st.sampled_from(["GEORGIA LOTTERY CORP", "NEW YORK STATE LOTTERY", "FLORIDA LOTTERY"]), "lottery")
    claims = bank.draw(st.integers(3, 9), "claims")
    for day in sorted(bank.draw(st.lists(st.integers(0, 85), min_size=claims, max_size=claims), "days")):
        prize = bank.amount(1000, 25000, "prize")
        memo = bank.draw(st.sampled_from(["PRIZE CLAIM 4411", "MOBILE CHECK DEPOSIT", "PRIZE PAYMENT"]), "memo")
        at = bank.at(day) + hours(bank, 9, 17, "paid")
        move = ach_in if bank.draw(st.booleans(), "by ACH") else wire_in
        bank.post(case, move(bank.ref(), account, prize, sender=Counterparty(name, None, None, "US"), effective_at=at,
                             description=memo))  # fmt: skip
    return case


def _private_atm(bank: Bank) -> Case:
    """A private ATM operator paid settlements every day for machines it draws little or no vault cash for, the
    money wired on to a related company (FFIEC, independent ATM owners or operators: ATMs filled with illicit cash)."""
    occupation = bank.draw(st.sampled_from(["ATM operator", "amusement machine operator"]), "trade")
    case, (operator,) = Case("private_atm", False), bank.customers(1, "SMALL_BUSINESS", occupation)
    name = bank.draw(
        st.sampled_from(["Switch Commerce Inc", "Columbus Data Services", "Elan ATM Settlement"]), "processor"
    )
    processor = Counterparty(name, f"PR{bank.tag}")
    token_cash = bank.draw(st.booleans(), "token vault cash")
    related = Counterparty("Midway Holdings LLC", f"RL{bank.tag}")
    settled = Decimal(0)
    for day in range(45):
        amount = bank.amount(3000, 15000, "settled")
        at = bank.at(day) + hours(bank, 5, 7, "paid")
        bank.post(
            case, ach_in(bank.ref(), operator, amount, sender=processor, effective_at=at, description="ATM SETTLEMENT")
        )
        settled += amount
        if token_cash and day % 10 == 5:
            at = bank.at(day) + hours(bank, 9, 15, "drawn")
            bank.post(case, cash_withdrawal(bank.ref(), operator, bank.amount(1000, 3000, "vault"), location="BR-A-1",
                                            effective_at=at))  # fmt: skip
        if day % 10 == 9:
            at = bank.at(day) + hours(bank, 10, 15, "wired")
            on = (settled * Decimal("0.6")).quantize(CENT)
            bank.post(case, wire_out(bank.ref(), operator, on, beneficiary=related, effective_at=at))
            settled = Decimal(0)
    return case


def _paid_by_employer(bank: Bank, account: str, employer: str, pay: Decimal, case: Case | None = None) -> None:
    """A salary by ACH every two weeks for 60 days ("PAYROLL <EMPLOYER>")."""
    for run in range(5):
        at, payroll = bank.at(14 * run), Counterparty(employer, "PAY1")
        movement = ach_in(bank.ref(), account, pay, sender=payroll, effective_at=at, description=f"PAYROLL {employer}")
        if case is None:
            bank.ledger.move(movement)
        else:
            bank.post(case, movement)


def _embezzlement(bank: Bank) -> Case:
    """A bookkeeper writes its employer's cheques and "vendor" payments to itself, more and more often, beside its
    pay (ACFE occupational fraud: billing and cheque schemes)."""
    case = Case("embezzlement", False)
    (clerk,) = bank.customers(1, "RETAIL", bank.draw(st.sampled_from(["bookkeeper", "office manager"]), "job"))
    employer = bank.draw(st.sampled_from(["Baker Family Dental PC", "St. Anne Parish", "Ortiz & Lee CPAs"]), "employer")
    pay = bank.amount(1400, 3400, "pay")
    _paid_by_employer(bank, clerk, employer, pay)
    day, taken, payments = 2.0, Decimal(0), 0
    while taken < pay * 6 or payments < 6:  # beyond its pay of the 60 days (five pays), a few days apart
        amount = bank.amount(800, 3000, "taken")
        memo = bank.draw(st.sampled_from(["VENDOR PMT", "REIMBURSEMENT", "MOBILE CHECK DEPOSIT", "PETTY CASH"]), "memo")
        at = bank.at(day) + hours(bank, 9, 16, "paid")
        account = Counterparty(employer, f"OP{bank.tag}")  # its operating account, not the payroll one
        bank.post(case, ach_in(bank.ref(), clerk, amount, sender=account, effective_at=at, description=memo))
        taken, payments = taken + amount, payments + 1
        day += bank.draw(st.integers(2, 5), "days apart")
    return case


# -- benign look-alikes ----------------------------------------------------------------------------------------------
def _payroll(bank: Bank) -> Case:
    case = Case("payroll_run", True)
    (business,) = bank.customers(1, "SMALL_BUSINESS", "restaurant owner")
    for run in range(bank.draw(st.integers(1, 2), "runs")):
        pays = [bank.amount(1200, 4500, "pay") for _ in range(bank.draw(st.integers(5, 25), "employees"))]
        # the month's takings arrive from clients before the run
        takings = (sum(pays, Decimal(0)) * Decimal("1.3")).quantize(CENT)
        paid_in = bank.at(14 * run) + hours(bank, 0, 20, "client paid")
        bank.post(case, ach_in(bank.ref(), business, takings, sender=bank.party("Client"), effective_at=paid_in))
        for pay in pays:
            at = bank.at(1 + 14 * run) + timedelta(seconds=bank.draw(st.integers(0, 600), "t"))
            bank.post(case, ach_out(bank.ref(), business, pay, beneficiary=bank.party("Employee"), effective_at=at))
    return case


def _shop_takings(bank: Bank) -> Case:
    """A cash business banks its takings at its branch most days and pays its wholesalers every week, the
    first week included, by wire or ACH."""
    case = Case("business_cash_takings", True)
    (shop,) = bank.customers(1, "SMALL_BUSINESS", "convenience store owner")
    wholesalers = [bank.party(label) for label in ("Wholesale Foods", "Beverage Distributors", "Cash & Carry")]
    suppliers = wholesalers[: bank.draw(st.integers(2, 3), "suppliers")]
    channel = bank.draw(st.sampled_from([wire_out, ach_out]), "channel")
    for week in range(bank.draw(st.integers(2, 3), "weeks")):
        takings = Decimal(0)
        for day in range(bank.draw(st.integers(5, 7), "open days")):
            amount = bank.amount(1500, 6000, "takings")
            at = bank.at(7 * week + day) + hours(bank, 16, 20, "banked")
            bank.post(case, cash_deposit(bank.ref(), shop, amount, location="BR-SHOP-1", effective_at=at))
            takings += amount
        share = Decimal(bank.draw(st.sampled_from(["0.4", "0.5", "0.6"]), "paid to suppliers"))
        for supplier in suppliers:
            piece = (takings * share / len(suppliers)).quantize(CENT)
            at = bank.at(7 * week + 6) + hours(bank, 8, 12, "invoice paid")
            bank.post(case, channel(bank.ref(), shop, piece, beneficiary=supplier, effective_at=at))
    return case


def _rent_collection(bank: Bank) -> Case:
    case = Case("rent_collection", True)
    (landlord,) = bank.customers(1, "RETAIL", "landlord")
    bank.ledger.move(
        ach_in(bank.ref(), landlord, Decimal(3000), sender=bank.party("Salary"), effective_at=bank.at(-20))
    )
    tenants = bank.draw(st.integers(2, 6), "tenants")
    rents = Decimal(0)
    for _i in range(tenants):
        rent = bank.amount(900, 2200, "rent")
        at = bank.at(0) + hours(bank, 0, 72, "paid")
        bank.post(case, ach_in(bank.ref(), landlord, rent, sender=bank.party("Tenant"), effective_at=at))
        rents += rent
    share = Decimal(bank.draw(st.sampled_from(["0.5", "0.6", "0.7"]), "mortgage share"))
    mortgage = (rents * share).quantize(CENT)
    bank.post(
        case, ach_out(bank.ref(), landlord, mortgage, beneficiary=bank.party("Mortgage Bank"), effective_at=bank.at(4))
    )
    return case


def _salary_then_bills(bank: Bank) -> Case:
    """Pay day, then rent and the month's bills to billers known by name (the merchant catalogue's, or with a
    biller's word), shares drawn evenly enough that no one payment dominates."""
    case, (account,) = Case("salary_then_bills", True), bank.customers(1)
    salary = bank.amount(3000, 12000, "salary")
    described = bank.draw(st.booleans(), "described")
    bank.post(
        case,
        ach_in(bank.ref(), account, salary, sender=bank.party("Employer"), effective_at=bank.at(0),
               description="PAYROLL" if described else None),
    )  # fmt: skip
    rent = (salary * Decimal(bank.draw(st.sampled_from(["0.2", "0.3", "0.4"]), "rent share"))).quantize(CENT)
    bank.post(
        case,
        ach_out(bank.ref(), account, rent, beneficiary=bank.party("Ann Landlord"), effective_at=bank.at(1),
                description="RENT" if described else None),
    )  # fmt: skip
    billers = bank.draw(st.lists(st.sampled_from(BILLERS), min_size=4, max_size=8, unique=True), "billers")
    for biller in billers:
        amount = (salary * Decimal(bank.draw(st.sampled_from(["0.03", "0.06", "0.1"]), "bill share"))).quantize(CENT)
        at = bank.at(1) + hours(bank, 0, 96, "bill day")
        bank.post(case, ach_out(bank.ref(), account, amount, beneficiary=Counterparty(biller, None), effective_at=at))
    return case


def _large_purchase(bank: Bank) -> Case:
    case, (account,) = Case("large_purchase", True), bank.customers(1)
    savings = bank.amount(20000, 60000, "savings")
    bank.ledger.move(ach_in(bank.ref(), account, savings, sender=bank.party("Employer"), effective_at=bank.at(-30)))
    price = (savings * Decimal(bank.draw(st.sampled_from(["0.6", "0.8", "0.95"]), "share"))).quantize(CENT)
    bank.post(case, wire_out(bank.ref(), account, price, beneficiary=bank.party("Car Dealer"), effective_at=bank.at(0)))
    return case


def _family_transfers(bank: Bank) -> Case:
    case = Case("family_transfers", True)
    parent, child = bank.customers(2)
    bank.ledger.move(ach_in(bank.ref(), parent, Decimal(9000), sender=bank.party("Pension"), effective_at=bank.at(-10)))
    bank.ledger.move(ach_in(bank.ref(), child, Decimal(2500), sender=bank.party("Wages"), effective_at=bank.at(-10)))
    loan = bank.amount(300, 3000, "loan")
    bank.post(case, p2p(bank.ref(), parent, child, loan, effective_at=bank.at(0)))
    for k in range(bank.draw(st.integers(1, 3), "repayments")):
        back = (loan / 3).quantize(CENT)
        bank.post(case, p2p(bank.ref(), child, parent, back, effective_at=bank.at(7 * (k + 1))))
    return case


def _salary_drawn_in_cash(bank: Bank) -> Case:
    """A salary (from a small employer, its memo saying so or not) drawn at the ATM every week, month after
    month, well over 1,500 and a quarter of it within three weeks: its income, not a receipt cashed out, even
    in the first month, before it has a habit."""
    case, (account,) = Case("salary_drawn_in_cash", True), bank.customers(1)
    salary = bank.amount(5000, 9000, "salary")
    weekly = (salary * Decimal(bank.draw(st.sampled_from(["0.15", "0.18", "0.22"]), "weekly share"))).quantize(CENT)
    employer = bank.party("Employer")
    described = bank.draw(st.booleans(), "described")
    for month in (-60, -30, 0):
        pay = ach_in(bank.ref(), account, salary, sender=employer, effective_at=bank.at(month),
                     description="PAYROLL" if described else None)  # fmt: skip
        cash = [
            cash_withdrawal(bank.ref(), account, weekly, location="ATM-H-1",
                            effective_at=bank.at(month + 1 + 7 * week) + hours(bank, 0, 48, "cash day"))
            for week in range(4)
        ]  # fmt: skip
        bank.post(case, pay, *cash)
    return case


SURNAMES = ("Okafor", "Lindqvist", "Moreau", "Castillo", "Brennan", "Takahashi")
FIRST_NAMES = ("Amara", "Elena", "Hannah", "Mateo", "Olga", "Grace", "Wei", "Tomas")


def _estate_shares(bank: Bank) -> Case:
    """An executor divides an estate: the estate's wire from a law firm, then a share to each sibling (people
    who share the family name) within days, by wire or ACH."""
    case, (account,) = Case("estate_shares", True), bank.customers(1)
    bank.ledger.move(
        ach_in(bank.ref(), account, Decimal(4000), sender=bank.party("Employer"), effective_at=bank.at(-30))
    )
    estate = bank.amount(60000, 500000, "estate")
    family = bank.draw(st.sampled_from(SURNAMES), "family name")
    firm = Counterparty("Harlow & Pike LLP IOLA", f"XX{bank.ref()}", country="US")
    bank.post(case, wire_in(bank.ref(), account, estate, sender=firm, effective_at=bank.at(0)))
    siblings = bank.draw(st.integers(2, 4), "siblings")
    share = (estate / (siblings + 1)).quantize(CENT)
    names = bank.draw(
        st.lists(st.sampled_from(FIRST_NAMES), min_size=siblings, max_size=siblings, unique=True), "names"
    )
    at = bank.at(1)
    for first in names:
        at += hours(bank, 0.2, 30, "between shares")
        sibling = Counterparty(f"{first} {family}", f"XX{bank.ref()}", country="US")
        move = bank.draw(st.sampled_from([wire_out, ach_out]), "rail")
        bank.post(case, move(bank.ref(), account, share, beneficiary=sibling, effective_at=at))
    return case


def _commission_splits(bank: Bank) -> Case:
    """A realty paid a commission by a title company splits it within days with agents new to it (its declared
    trade: `commission_agency_occupation_phrases`)."""
    case = Case("commission_splits", True)
    (realty,) = bank.customers(1, "SMALL_BUSINESS", "real estate brokerage")
    bank.ledger.move(
        ach_in(bank.ref(), realty, Decimal(60000), sender=bank.party("Operating Funds"), effective_at=bank.at(-30))
    )
    commission = bank.amount(9000, 30000, "commission")
    title = Counterparty(bank.draw(st.sampled_from(["First American Title", "Old Republic Title"]), "title"), "TT1")
    bank.post(case, wire_in(bank.ref(), realty, commission, sender=title, effective_at=bank.at(0)))
    agents = bank.draw(st.integers(4, 6), "agents")
    for _ in range(agents):
        at = bank.at(0) + hours(bank, 20, 96, "split paid")
        piece = (commission * Decimal("0.7") / agents).quantize(CENT)
        bank.post(case, ach_out(bank.ref(), realty, piece, beneficiary=bank.party("Agent"), effective_at=at))
    return case


def _home_sale_then_purchase(bank: Bank) -> Case:
    """A home sold (the proceeds wired by a title company) and the next one bought within days through another
    title or escrow company, a little drawn at the ATM the same day: the price is spent, not moved on."""
    case, (account,) = Case("home_sale_then_purchase", True), bank.customers(1)
    bank.ledger.move(
        ach_in(bank.ref(), account, Decimal(5000), sender=bank.party("Employer"), effective_at=bank.at(-30))
    )
    proceeds = bank.amount(120000, 900000, "proceeds")
    seller_agent = Counterparty(bank.draw(st.sampled_from(["Doma Title", "Stewart Title Guaranty"]), "seller's"), "TS1")
    bank.post(case, wire_in(bank.ref(), account, proceeds, sender=seller_agent, effective_at=bank.at(0)))
    buyer_agent = Counterparty(
        bank.draw(st.sampled_from(["Chicago Title Company", "First American Title Escrow"]), "buyer's"), "TB1"
    )
    price = (proceeds * Decimal(bank.draw(st.sampled_from(["0.65", "0.8", "0.95"]), "down share"))).quantize(CENT)
    at = bank.at(0) + hours(bank, 24, 90, "closing")
    bank.post(case, wire_out(bank.ref(), account, price, beneficiary=buyer_agent, effective_at=at))
    bank.post(case, cash_withdrawal(bank.ref(), account, Decimal(400), location="ATM-H-2", effective_at=at))
    return case


def _insurance_claim_repair(bank: Bank) -> Case:
    """A homeowner pays a restoration firm after a fire, and the insurer settles the claim days later with about as
    much: an organisation paying its own business, not the money sent coming back."""
    case, (account,) = Case("insurance_claim_repair", True), bank.customers(1)
    bank.ledger.move(
        ach_in(bank.ref(), account, Decimal(30000), sender=bank.party("Employer"), effective_at=bank.at(-30))
    )
    repair = bank.amount(2500, 25000, "repair")
    restorer = Counterparty(bank.draw(st.sampled_from(["Servpro of Austin", "Paul Davis Restoration"]), "firm"), "RS1")
    bank.post(case, ach_out(bank.ref(), account, repair, beneficiary=restorer, effective_at=bank.at(0),
                            description="INVOICE 2231 FIRE RESTORATION"))  # fmt: skip
    insurer = Counterparty(
        bank.draw(st.sampled_from(["Hanover Insurance Group", "Cypress Mutual Insurance"]), "insurer"), "IN1"
    )
    paid = (repair * Decimal(bank.draw(st.sampled_from(["0.8", "0.95", "1.05"]), "settled share"))).quantize(CENT)
    at = bank.at(0) + hours(bank, 48, 240, "settled")
    bank.post(case, ach_in(bank.ref(), account, paid, sender=insurer, effective_at=at, description="CLAIM SETTLEMENT"))
    return case


def _atm_operator(bank: Bank) -> Case:
    """An ATM operator draws the vault cash its machines will dispense every few days (above the reporting
    threshold, at its branch) and is paid it back by its processor the day after the machines dispense it."""
    case, (operator,) = Case("atm_operator", True), bank.customers(1, "SMALL_BUSINESS", "ATM operator")
    daily = bank.amount(5000, 15000, "dispensed a day")
    every = bank.draw(st.sampled_from([3, 7]), "load every")
    bank.ledger.move(ach_in(bank.ref(), operator, daily * 30, sender=bank.party("Working Capital Bank"),
                            effective_at=bank.at(-5)))  # fmt: skip
    processor = Counterparty(
        bank.draw(st.sampled_from(["Cardtronics USA Inc", "Switch Commerce Inc"]), "processor"), "PX1"
    )
    for day in range(45):
        if day % every == 0:
            need = (daily * every * Decimal(bank.draw(st.sampled_from(["0.9", "1", "1.15"]), "load"))).quantize(CENT)
            at = bank.at(day) + hours(bank, 8, 10, "loaded")
            bank.post(case, cash_withdrawal(bank.ref(), operator, need, location="BR-A-1", effective_at=at))
        dispensed = (daily * Decimal(bank.draw(st.sampled_from(["0.7", "1", "1.2"]), "dispensed"))).quantize(CENT)
        at = bank.at(day + 1) + hours(bank, 5, 7, "settled")
        bank.post(
            case,
            ach_in(bank.ref(), operator, dispensed, sender=processor, effective_at=at, description="ATM SETTLEMENT"),
        )
    return case


def _expenses_reimbursed(bank: Bank) -> Case:
    """A consultant's employer reimburses each trip's expenses a week or two after it, well within its pay."""
    case, (consultant,) = Case("expenses_reimbursed", True), bank.customers(1, "RETAIL", "management consultant")
    employer = "Stone Consulting Group"
    pay = bank.amount(3000, 6000, "pay")
    _paid_by_employer(bank, consultant, employer, pay, case)
    day = 1.0
    while day < 56:
        spent = (pay * Decimal(bank.draw(st.sampled_from(["0.1", "0.2", "0.3"]), "a trip's share of pay"))).quantize(
            CENT
        )
        at = bank.at(day + bank.draw(st.integers(5, 12), "reimbursed after"))
        bank.post(case, ach_in(bank.ref(), consultant, spent, sender=Counterparty(employer, "EXP1"), effective_at=at,
                               description="EXPENSE REIMB"))  # fmt: skip
        day += bank.draw(st.integers(6, 14), "next trip")
    return case


BUILDERS: dict[str, Callable[[Bank], Case]] = {
    "structuring": _structuring,
    "cash_rapid_outflow": _cash_rapid_outflow,
    "smurfing": _smurfing,
    "money_mule": _mule,
    "fan_out": _fan_out,
    "fan_in": _fan_in,
    "cycle": _cycle,
    "scatter_gather": _scatter_gather,
    "gather_scatter": _gather_scatter,
    "bipartite": _bipartite,
    "stack": _stack,
    "random": _random,
    "layering_chain": _layering,
    "dormant_reactivation": _dormant,
    "fx_round_trip": _fx_round_trip,
    "card_testing": _card_testing,
    "card_testing_merchant": _card_testing_merchant,
    "stored_value_burst": _stored_value,
    "account_takeover": _takeover,
    "watchlist_payment": _watchlist,
    "receipt_cashed_out": _receipt_cashed_out,
    "kiting": _kiting,
    "ghost_payroll": _ghost_payroll,
    "cash_front": _cash_front,
    "loan_diversion": _loan_diversion,
    "export_control": _export_control,
    "tax_refunds": _tax_refunds,
    "prize_claims": _prize_claims,
    "private_atm": _private_atm,
    "embezzlement": _embezzlement,
    "payroll_run": _payroll,
    "business_cash_takings": _shop_takings,
    "rent_collection": _rent_collection,
    "salary_then_bills": _salary_then_bills,
    "large_purchase": _large_purchase,
    "family_transfers": _family_transfers,
    "estate_shares": _estate_shares,
    "salary_drawn_in_cash": _salary_drawn_in_cash,
    "commission_splits": _commission_splits,
    "home_sale_then_purchase": _home_sale_then_purchase,
    "insurance_claim_repair": _insurance_claim_repair,
    "atm_operator": _atm_operator,
    "expenses_reimbursed": _expenses_reimbursed,
}


def utc(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC)
