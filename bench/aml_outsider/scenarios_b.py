"""Set b of the outside tester's scenarios: laundering families and benign look-alikes that set a
(`bench.aml_outsider.scenarios`) does not have, written from the public literature by a tester who did not
read the project's detection logic, then frozen (never changed because of what was or was not detected).

`generate(seed, url)` plans, for the bank at `url`, NEW customers (refs R<seed>-NNNN, never colliding with set
a's Q<seed>-NNNN) with their accounts, ordinary background life and the postings of 13 laundering families
(5 instances each) and 10 benign look-alike families (8 each); `post_all` registers them and posts it all
through the public ledger API (`Ledger.post_many` with the `ledger.movements` helpers, card authorisations as
`Ledger.hold` then `capture` or `void`, crypto purchases as `Ledger.convert`). Every onboarding and posting
falls in the base bank's 90 days from `START`. `Gen.labels` maps each instance (`family#k`) to its family,
class, customers, accounts and shape, as in set a. Every draw comes from one `random.Random(seed)` in a fixed
order (the base bank is read for the FX range only).

Laundering families and their sources:
- card_testing: Visa Payment Fraud Disruption threat reports (card-testing / enumeration attacks) and the
  PCI SSC / Visa guidance on card testing at e-commerce merchants.
- ctr_multi_account_currency: 31 CFR 1010.313 (multiple currency transactions aggregated per person per
  business day) and 1010.311 (currency of any country), FinCEN CTR FAQ; FFIEC BSA/AML manual appendix F.
- job_scam_mule: FinCEN advisory FIN-2020-A003 (imposter scams and money mule schemes, work-from-home
  "payment processing" jobs); Europol EMMA money-mule campaigns; FBI IC3 money-mule PSAs.
- romance_scam_victim_mule: FinCEN alert FIN-2023-Alert005 (pig butchering) and FIN-2020-A003 (romance
  scam victims used as unwitting mules); FBI IC3 Elder Fraud report.
- trade_based: FATF/Egmont "Trade-Based Money Laundering: Trends and Developments" (2020); FATF TBML
  typologies (2006, over-invoicing, third-party payments).
- crypto_offramp: FATF "Virtual Assets Red Flag Indicators of ML/TF" (2020); FinCEN FIN-2019-G001.
- cuckoo_smurfing: AUSTRAC financial crime guide "Cuckoo smurfing"; FATF "Professional Money Laundering"
  (2018).
- loan_back: FATF "Professional Money Laundering" (2018) and FATF/Egmont "Concealment of Beneficial
  Ownership" (2018): loan-back through a controlled company; Egmont "FIU's in action" cases.
- elder_exploitation: FinCEN advisory FIN-2022-A002 (elder financial exploitation by a trusted person);
  FinCEN Financial Trend Analysis on EFE (2024).
- mule_chain_p2p: Europol EMMA; FinCEN FIN-2020-A003; layering chains of the AMLworld patterns (Altman
  et al., NeurIPS 2023) over new accounts, ending in ATM cash or a wire abroad.
- structured_withdrawals: 31 CFR 1010.314 (structuring) and FFIEC BSA/AML manual appendix F (withdrawals
  just under the reporting threshold over several days or branches).
- shell_pass_through: FinCEN guidance FIN-2006-G014 (shell companies) and FATF/Egmont "Concealment of
  Beneficial Ownership" (2018): in-and-out wires, no payroll, rent or ordinary expenses.
- gift_card_burst: FinCEN FIN-2022-A002 red flags (sudden gift-card / prepaid purchases by a victim) and
  FTC Consumer Sentinel gift-card scam data; mules cashing out through prepaid reloads.

Benign look-alikes and where they mirror a laundering red flag:
- crowdfunding_medical: many small gifts then a large payment (GoFundMe-style medical fundraisers).
- wedding_gifts: a burst of P2P gifts over a weekend, then the venue.
- inheritance_distribution: a large one-off estate wire, then equal shares to siblings.
- emigrant_savings: a customer sells car or house and wires most of the balance to their own account abroad.
- small_business_cash_daily: cash takings almost daily, some days above USD 10,000 (CTR filed), payroll.
- reseller: marketplace payouts and many small payments, stock bought from suppliers.
- dues_organiser: an organiser collects dues or rent shares monthly and pays the venue, broker or landlord.
- tax_refund_then_spend: an IRS refund, then a spending burst and a card payoff.
- property_deposit: savings built over months, a gift from parents, an escrow wire.
- student_from_abroad: parents wire tuition and living money from abroad; the student pays rent and tuition.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

import psycopg

from bench.aml_outsider.scenarios import (
    BANKS_US,
    CARD_ISSUERS,
    CENT,
    FIRST,
    FOREIGN_BANKS,
    INSURERS,
    LAST,
    MERCHANTS,
    START,
    UTILITIES,
    Amount,
    Cust,
    Ev,
    Gen,
    money,
    rate,
)
from ledger import (
    AccountSpec,
    Counterparty,
    Fee,
    HoldRequest,
    Ledger,
    Leg,
    Movement,
    Transfer,
    ach_out,
    cash_withdrawal,
    p2p,
    p2p_out,
    wire_out,
)
from ledger.errors import LedgerError

PREFIX = "R"  # customer refs R<seed>-NNNN (set a: Q<seed>-NNNN)
DAYS = 90  # the base bank's period: every onboarding and posting falls in [START, START + DAYS)
LAST_DAY = DAYS - 1
LAUNDERING_N = 5
BENIGN_N = 8
HOLD_DAYS = 7  # card authorisations expire a week after they were placed

EXTRA_BANKS = {
    "GH": "GCB Bank",
    "MY": "Maybank",
    "KH": "ABA Bank",
    "TH": "Kasikornbank",
    "SC": "Nouvobanq Seychelles",
    "BZ": "Belize Bank International",
    "VG": "VP Bank (BVI)",
    "EE": "LHV Pank",
    "LT": "Revolut Bank UAB",
    "CO": "Bancolombia",
    "PT": "Millennium bcp",
    "KR": "KB Kookmin Bank",
    "SA": "Al Rajhi Bank",
    "IE": "Bank of Ireland",
    "ZA": "Standard Bank",
    "PK": "Habib Bank",
    "DO": "Banco Popular Dominicano",
    "JM": "National Commercial Bank Jamaica",
}
LOCAL_NAMES: dict[str, tuple[list[str], list[str]]] = {
    "NG": (["Chinedu", "Ngozi", "Tunde", "Amaka", "Emeka", "Funmi"], ["Okafor", "Adeyemi", "Balogun", "Eze", "Nwosu"]),
    "GH": (["Kwame", "Ama", "Kofi", "Akosua", "Yaw"], ["Mensah", "Owusu", "Boateng", "Asante", "Appiah"]),
    "MY": (["Ahmad", "Siti", "Wei Ming", "Nurul", "Hafiz"], ["Abdullah", "Tan", "Lim", "Rahman", "Ismail"]),
    "KH": (["Sokha", "Dara", "Chanthou", "Vanna", "Pisey"], ["Chea", "Sok", "Heng", "Kim", "Meas"]),
    "PH": (["Jose", "Maria", "Mark", "Angel", "Ramon"], ["Santos", "Reyes", "Cruz", "Bautista", "Garcia"]),
    "TR": (["Emre", "Elif", "Mehmet", "Zeynep", "Burak"], ["Yilmaz", "Kaya", "Demir", "Sahin", "Celik"]),
    "AE": (["Mohammed", "Fatima", "Omar", "Aisha", "Khalid"], ["Al Mansoori", "Haddad", "Khan", "Al Suwaidi"]),
    "HK": (["Wing", "Ka Yan", "Chi Ming", "Mei Ling", "Ho Yin"], ["Chan", "Wong", "Leung", "Cheung", "Lau"]),
    "CN": (["Wei", "Jing", "Hao", "Yu", "Xin", "Lei"], ["Wang", "Li", "Zhang", "Liu", "Chen", "Zhao"]),
    "IN": (["Arjun", "Priya", "Rohan", "Ananya", "Vikram"], ["Sharma", "Patel", "Iyer", "Reddy", "Gupta"]),
    "KR": (["Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-hyun"], ["Kim", "Lee", "Park", "Choi", "Jung"]),
    "BR": (["Joao", "Ana", "Lucas", "Beatriz", "Rafael"], ["Silva", "Santos", "Oliveira", "Souza", "Pereira"]),
    "VN": (["Minh", "Linh", "Anh", "Quang", "Thu"], ["Nguyen", "Tran", "Le", "Pham", "Hoang"]),
    "SA": (["Faisal", "Noura", "Abdullah", "Reem", "Saud"], ["Al-Harbi", "Al-Qahtani", "Al-Otaibi", "Al-Ghamdi"]),
    "MX": (["Diego", "Valeria", "Jorge", "Camila", "Luis"], ["Hernandez", "Garcia", "Martinez", "Lopez"]),
    "ZA": (["Thabo", "Lerato", "Sipho", "Naledi", "Pieter"], ["Nkosi", "Dlamini", "Botha", "Mokoena"]),
}
EXCHANGES = [
    ("Coinbase Inc", "US"),
    ("Payward Ventures Inc (Kraken)", "US"),
    ("BAM Trading Services (Binance.US)", "US"),
    ("Gemini Trust Company LLC", "US"),
    ("Foris DAX Inc (Crypto.com)", "US"),
    ("Bitstamp USA Inc", "US"),
    ("OKCoin USA Inc", "US"),
    ("Bitpanda GmbH", "AT"),
    ("Nebeus UAB", "LT"),
]
# online merchants where stolen card numbers are tested: (descriptor, MCC)
TEST_MERCHANTS = [
    ("DONATE*CHILDRENSHOPEFDN", 8398),
    ("GIVEBUTTER*ANIMALRESCUE", 8398),
    ("PAYPAL *KEYSHOPDIGITAL", 5818),
    ("SQ *ARTPRINTS ONLINE", 5999),
    ("WIX*CANDLEBOUTIQUE", 5999),
    ("STEAMGAMES.COM 4259522", 5816),
    ("SHOPIFY*SOCKCLUBSTORE", 5651),
    ("STRIPE*FASTVPNSERVICE", 4816),
    ("GOOGLE *PLAY TOPUP", 5818),
    ("NAME-CHEAP.COM", 4816),
]
# merchants where a working card is then cashed out
CASHOUT_MERCHANTS = [
    ("BESTBUY.COM 00009985", 5732),
    ("APPLE.COM/US", 5732),
    ("NEWEGG INC", 5732),
    ("GIFTCARDS.COM", 5999),
    ("STOCKX", 5661),
    ("WALMART.COM GIFTCARD", 5311),
]
GIFT_CARD_MERCHANTS = [
    ("TARGET GIFT CARD T1284", 5310),
    ("CVS/PHARMACY #04412 GC", 5912),
    ("WALGREENS #4421 GIFTCARD", 5912),
    ("BEST BUY GIFT CARDS", 5732),
    ("APPLE STORE R102", 5732),
    ("GOOGLE PLAY GIFT CARD", 5818),
    ("GREEN DOT*RELOAD", 6540),
    ("VANILLA GIFT VISA", 6540),
    ("KROGER #522 GIFT CARD", 5411),
]
HOSPITALS = [
    "Mount Sinai Hospital",
    "Cleveland Clinic",
    "MD Anderson Cancer Center",
    "Johns Hopkins Hospital",
    "Mayo Clinic",
    "Memorial Sloan Kettering",
    "Childrens Hospital of Philadelphia",
    "Cedars-Sinai Medical Center",
]
VENUES = [
    "The Grand Ballroom at Riverside",
    "Willow Creek Vineyard Events",
    "Harborview Catering Co",
    "Magnolia Estate Weddings",
    "Bella Notte Catering",
    "Oak Hill Country Club",
]
TITLE_COS = [
    "First American Title Escrow",
    "Fidelity National Title",
    "Chicago Title Company",
    "Stewart Title Guaranty",
    "Old Republic Title",
]
PENSIONS = ["CalPERS", "TIAA Retirement", "NYSTRS Pension", "Fidelity Retirement Pmt", "Vanguard Retirement"]
UNIVERSITIES_US = [
    "Columbia University Bursar",
    "University of Illinois Bursar",
    "Boston University Student Accounts",
    "Arizona State University",
    "University of Washington SFS",
    "New York University Bursar",
    "Georgia Institute of Technology",
    "University of Texas at Dallas",
]
SHELL_WORDS = ["Vertex", "Nordic", "Amber", "Sigma", "Crown", "Pioneer", "Lumen", "Quantum", "Zenith", "Harbor"]
SHELL_KINDS = ["Consulting", "Trading", "Holdings", "Logistics", "Ventures", "Solutions", "Capital"]
SHELL_SUFFIX = {
    "CY": "Ltd",
    "LV": "SIA",
    "EE": "OU",
    "HK": "Limited",
    "AE": "FZE",
    "SC": "Ltd",
    "BZ": "Ltd",
    "VG": "Inc",
    "GB": "LLP",
}
GOODS = ["ELECTRONICS", "TEXTILES", "AUTO PARTS", "USED VEHICLES", "FROZEN SEAFOOD", "COPPER CATHODES", "SOLAR PANELS"]
ONLINE_SPEND = [
    ("AMAZON MKTPLACE PMTS", 30, 400),
    ("BESTBUY 00012", 80, 900),
    ("IKEA US ONLINE", 60, 700),
    ("DELTA AIR 0062", 180, 900),
    ("WAYFAIR*4471", 50, 600),
    ("APPLE.COM/US", 30, 1300),
]


# =================================================================================================
# the plan of one seed
# =================================================================================================
class GenB(Gen):
    """Set a's plan with refs R<seed>-NNNN, reference ids r<seed>:..., and the kinds of event set b adds:
    card authorisations (hold, capture, void), outflows sized down to the funds there (capped) and crypto
    purchases."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.fx_band: dict[str, tuple[float, float]] = {"EUR": (1.06, 1.13), "GBP": (1.24, 1.32)}

    def customer(
        self,
        segment: str,
        occupation: str,
        *,
        onboarded_day: int,
        currencies: tuple[str, ...] = ("USD",),
        country: str = "US",
        name: str | None = None,
        risk: str = "LOW",
        extra: tuple[str, ...] = (),
        born: tuple[int, int] | None = None,
    ) -> Cust:
        """Set a's customer under the R prefix; `born` draws the date of birth from that range of years."""
        assert 0 <= onboarded_day <= LAST_DAY - 2, onboarded_day
        c = super().customer(
            segment,
            occupation,
            onboarded_day=onboarded_day,
            currencies=currencies,
            country=country,
            name=name,
            risk=risk,
            extra=extra,
        )
        old, new = c.ref, PREFIX + c.ref[1:]
        c.ref = new
        c.accounts = {label: new + code[len(old) :] for label, code in c.accounts.items()}
        n = len(c.accounts)
        self.account_specs[-n:] = [(new, new + code[len(old) :], cur) for _, code, cur in self.account_specs[-n:]]
        prof = self.profiles[-1]
        dob = prof.date_of_birth
        if born is not None:
            dob = date(self.rng.randint(*born), self.rng.randint(1, 12), self.rng.randint(1, 28))
        self.profiles[-1] = dataclasses.replace(prof, external_ref=new, date_of_birth=dob)
        return c

    def ref(self, tag: str) -> str:
        self.seq += 1
        return f"r{self.seed}:{tag}:{self.seq}"

    # -- set b's events ------------------------------------------------------------------------------
    def auth(
        self, acct: str, amt: Amount, when: datetime, merchant: tuple[str, int], outcome: str, after: timedelta
    ) -> None:
        """A card authorisation (a hold to card settlement), then captured, voided or left pending. Declined
        when the funds are not there (nothing posted)."""
        cur = acct.rsplit("-", 1)[1]
        key = self.ref("auth")
        req = HoldRequest(
            key,
            acct,
            f"CARD-SETTLEMENT-{cur}",
            money(amt),
            when + timedelta(days=HOLD_DAYS),
            merchant[0],
            None,
            when,
            "CARD",
            Counterparty(merchant[0]),
            None,
            merchant[1],
        )
        self.add(when, "hold", req)
        if outcome in ("capture", "void"):
            self.add(when + after, outcome, key)

    def capped(self, when: datetime, item: Movement | Transfer) -> None:
        """A payment out of a customer's account, sized down at posting time to the funds available."""
        self.add(when, "capped", item)

    def out(self, how: str, acct: str, amt: Amount, when: datetime, cp: Counterparty, desc: str | None = None) -> None:
        make = {"wire": wire_out, "ach": ach_out}.get(how)
        ref = self.ref(f"o{how[0]}")
        mv = (
            make(ref, acct, money(amt), beneficiary=cp, effective_at=when, description=desc)
            if make
            else p2p_out(ref, acct, money(amt), payee=cp, effective_at=when, description=desc)
        )
        self.capped(when, mv)

    def give(self, src: str, dst: str, amt: Amount, when: datetime, desc: str | None = None) -> None:
        self.capped(when, p2p(self.ref("gp"), src, dst, money(amt), effective_at=when, description=desc))

    def withdraw(self, acct: str, amt: Amount, when: datetime, where: str) -> None:
        self.capped(when, cash_withdrawal(self.ref("wd"), acct, money(amt), location=where, effective_at=when))

    def spend(self, acct: str, amt: Amount, when: datetime, merchant: str) -> None:
        cur = acct.rsplit("-", 1)[1]
        t = Transfer(
            self.ref("sp"),
            [Leg.debit(acct, money(amt)), Leg.credit(f"CARD-SETTLEMENT-{cur}", money(amt))],
            merchant,
            None,
            when,
            channel="CARD",
            counterparty=Counterparty(merchant),
        )
        self.capped(when, t)

    def buy_crypto(self, src: str, dst: str, amt: Amount, when: datetime) -> None:
        """Buy the coin of `dst` with up to `amt` of `src` at the market price (0.5% fee)."""
        self.add(when, "crypto", (self.ref("cx"), src, dst, money(amt)))

    def atm(self) -> str:
        city = self.rng.choice(["NYC", "NWK", "PHL", "BAL", "DC", "CLT", "ORL", "MIA"])
        return f"ATM-{city}-{self.rng.randint(100, 999)}"


# =================================================================================================
# helpers
# =================================================================================================
def bank_of(country: str) -> str:
    return FOREIGN_BANKS.get(country) or EXTRA_BANKS.get(country) or "Foreign Bank"


def local_name(g: GenB, country: str) -> str:
    first, last = LOCAL_NAMES.get(country, (FIRST, LAST))
    return f"{g.rng.choice(first)} {g.rng.choice(last)}"


def abroad(g: GenB, country: str, name: str | None = None) -> Counterparty:
    """An outside party abroad: a person with a local name unless `name` is given."""
    return g.outside(name or local_name(g, country), country, bank_of(country))


def company_abroad(g: GenB, country: str) -> Counterparty:
    r = g.rng
    name = f"{r.choice(SHELL_WORDS)} {r.choice(SHELL_KINDS)} {SHELL_SUFFIX.get(country, 'Ltd')}"
    return g.outside(name, country, bank_of(country))


def us_person(g: GenB) -> Counterparty:
    return g.outside(g.person_name(), "US")


def own_elsewhere(g: GenB, c: Cust) -> Counterparty:
    """The customer's own account at another US bank."""
    r = g.rng
    return Counterparty(c.name, f"{r.randint(10**8, 10**9 - 1)}", r.choice(BANKS_US), "US")


def weekday(day: int) -> int:
    return (START + timedelta(days=day)).weekday()


def business_day(g: GenB, lo: int, hi: int) -> int:
    """A Monday-Friday day in [lo, hi] (hi when there is none)."""
    days = [d for d in range(lo, hi + 1) if weekday(d) < 5]
    return g.rng.choice(days) if days else hi


def person(
    g: GenB,
    segment: str,
    occupation: str,
    onboard: int,
    until: int,
    salary: float,
    *,
    opening: tuple[float, float] = (800, 4000),
    rent: bool = True,
    born: tuple[int, int] | None = None,
    currencies: tuple[str, ...] = ("USD",),
    extra: tuple[str, ...] = (),
    country: str = "US",
    name: str | None = None,
) -> Cust:
    """A new retail customer with an opening deposit and ordinary life (salary, rent, bills, card spending)
    from the day after onboarding to `until`."""
    c = g.customer(
        segment,
        occupation,
        onboarded_day=onboard,
        born=born,
        currencies=currencies,
        extra=extra,
        country=country,
        name=name,
    )
    g.opening(c, c.accounts["USD"], g.rng.uniform(*opening), onboard + 1)
    g.retail_life(c, c.accounts["USD"], onboard + 1, min(until, DAYS), salary, rent=rent)
    return c


def business(g: GenB, occupation: str, onboard: int, revenue: float, name: str, *, processor: bool) -> Cust:
    """A new small business with opening capital and ordinary trade (receipts, suppliers, rent, utilities)."""
    c = g.customer("SMALL_BUSINESS", occupation, onboarded_day=onboard, name=name)
    acct = c.accounts["USD"]
    g.opening(c, acct, revenue * g.rng.uniform(0.5, 1.5), onboard + 1)
    g.business_life(c, acct, onboard + 1, DAYS, revenue, processor=processor)
    return c


def pension_life(g: GenB, c: Cust, acct: str, d0: int, d1: int, monthly: float) -> None:
    """A retiree's month: Social Security (and maybe a pension), utilities, insurance, modest card spending."""
    r = g.rng
    ssa = Counterparty("SSA TREAS 310 XXSOC SEC", None, "US Treasury", "US")
    pension = Counterparty(r.choice(PENSIONS), None, r.choice(BANKS_US), "US") if r.random() < 0.6 else None
    ss_share = 1.0 if pension is None else r.uniform(0.5, 0.8)
    ss_day = r.choice([3, 10, 17, 24])
    util = r.sample(UTILITIES, 2)
    ins = Counterparty(r.choice(["AARP Medicare Supplement", "Humana Medicare", *INSURERS]), None, None, "US")
    for m in range(0, DAYS // 30 + 1):
        if d0 <= m * 30 + ss_day < d1:
            g.ach_in(acct, monthly * ss_share, g.t(m * 30 + ss_day, 6), ssa, "SOC SEC")
        if pension is not None and d0 <= m * 30 + 1 < d1:
            g.ach_in(acct, monthly * (1 - ss_share), g.t(m * 30 + 1, 6), pension, "PENSION PMT")
        for u in util:
            dd = m * 30 + r.randint(5, 25)
            if d0 + 3 <= dd < d1:
                g.ach_out(acct, r.uniform(50, 220), g.t(dd), Counterparty(u, None, None, "US"))
        if d0 + 3 <= m * 30 + 12 < d1:
            g.ach_out(acct, r.uniform(120, 380), g.t(m * 30 + 12), ins, "PREMIUM")
    daily = monthly * 0.35 / 30
    quiet = [m for m in MERCHANTS if m[1] in ("groceries", "health", "dining", "fuel")]
    for d in range(d0 + 2, d1):
        if r.random() < 0.45:
            m = r.choice(quiet)
            g.card(acct, max(3.0, min(r.uniform(m[2], m[3]), daily * 3)), g.t(d, r.randint(9, 18)), m[0])
        if r.random() < 0.05:
            g.cash_out(acct, r.choice([40, 60, 100, 200]), g.t(d, r.randint(9, 17)))


def light_life(g: GenB, acct: str, d0: int, d1: int, p: float = 0.3) -> None:
    """Little more than an opened account: a few small card payments (sized down to the funds there)."""
    r = g.rng
    for d in range(d0, min(d1, DAYS)):
        if r.random() < p:
            m = r.choice(MERCHANTS)
            g.spend(acct, max(3.0, min(r.uniform(m[2], m[3]), 45)), g.t(d), m[0])


def friends(g: GenB, k: int, before: int) -> list[Cust]:
    """`k` ordinary customers of the bank (friends, relatives) onboarded before day `before`."""
    r = g.rng
    return [
        person(g, "RETAIL", g.occupation("retail"), r.randint(0, before - 3), DAYS, r.uniform(2500, 7000))
        for _ in range(k)
    ]


def savings_in(g: GenB, c: Cust, acct: str, amount: float, day: int) -> None:
    """Savings brought over from the customer's account at another bank when the account is opened."""
    parts = g.rng.randint(1, 2)
    for p in range(parts):
        g.ach_in(acct, amount / parts, g.t(day + p, 10), own_elsewhere(g, c), "ACCOUNT TRANSFER")


def escalating(total: float, n: int, growth: float, jitter: Callable[[], float]) -> list[float]:
    """`n` amounts rising by about `growth` each time, summing to about `total`."""
    w = [growth**i * jitter() for i in range(n)]
    s = sum(w)
    return [total * x / s for x in w]


# =================================================================================================
# laundering families
# =================================================================================================
def card_testing(g: GenB) -> None:
    """Stolen card numbers tested with tiny authorisations at an online merchant, then some cashed out."""
    r = g.rng
    one = r.random() < 0.4
    a = r.randint(25, 84)
    merchants = r.sample(TEST_MERCHANTS, r.randint(1, 3) if one else 1)
    window_min = r.uniform(20, 240) if one else r.uniform(5, 360)
    t0 = g.t(a, r.randint(0, 23))
    k = 1 if one else r.randint(3, 12)
    victims = []
    auths = voids = caps = cashouts = 0
    for _ in range(k):
        c = person(
            g,
            r.choice(["RETAIL", "RETAIL", "PREMIUM", "STUDENT"]),
            g.occupation("retail"),
            r.randint(0, a - 15),
            a + r.randint(4, 20),
            r.uniform(2200, 6500),
        )
        acct = c.accounts["USD"]
        for _ in range(r.randint(20, 60) if one else r.randint(1, 4)):
            when = t0 + timedelta(minutes=r.uniform(0, window_min))
            amt = r.choice([r.uniform(0.5, 5.0), float(r.randint(1, 5)), r.choice([0.5, 1.0, 1.0, 1.99, 2.0, 4.99])])
            outcome = r.choices(["void", "capture", "pending"], [0.55, 0.35, 0.10])[0]
            g.auth(acct, amt, when, r.choice(merchants), outcome, timedelta(minutes=r.uniform(1, 180)))
            auths += 1
            voids += outcome == "void"
            caps += outcome == "capture"
        if r.random() < (0.6 if one else 0.35):
            for _ in range(r.randint(1, 2)):
                when = t0 + timedelta(minutes=window_min, hours=r.uniform(2, 72))
                g.auth(
                    acct,
                    r.uniform(150, 1800),
                    when,
                    r.choice(CASHOUT_MERCHANTS),
                    "capture",
                    timedelta(hours=r.uniform(1, 20)),
                )
                cashouts += 1
        victims.append(c)
    g.label(
        "card_testing",
        "laundering",
        victims,
        {
            "variant": "one card, dozens of auths" if one else "many cards, one merchant",
            "cards": k,
            "merchants": [m[0] for m in merchants],
            "window_minutes": round(window_min),
            "auths": auths,
            "voided": voids,
            "captured": caps,
            "cash_out_purchases": cashouts,
        },
    )


def ctr_multi_account_currency(g: GenB) -> None:
    """Cash paid into two or three of one person's accounts (USD and EUR/GBP) on one business day, each
    deposit under USD 10,000, together over it; repeated on up to three days."""
    r = g.rng
    cur = r.choice(["EUR", "EUR", "GBP"])
    lo_rate, hi_rate = g.fx_band[cur]
    biz = r.random() < 0.3
    sav = r.random() < 0.6
    o = r.randint(0, 40)
    c = g.customer(
        r.choice(["RETAIL", "PREMIUM", "SMALL_BUSINESS"]) if biz else r.choice(["RETAIL", "PREMIUM"]),
        g.occupation("biz" if biz else "retail"),
        onboarded_day=o,
        currencies=("USD", cur),
        extra=("SAV-USD",) if sav else (),
    )
    usd = c.accounts["USD"]
    g.opening(c, usd, r.uniform(1000, 6000), o + 1)
    g.retail_life(c, usd, o + 1, DAYS, r.uniform(3000, 8000))
    days = sorted({business_day(g, o + 8, 86) for _ in range(r.randint(1, 3))})
    legs = []
    for d in days:
        while True:
            plan = [("USD", usd, r.uniform(3000, 9800))]
            plan.append((cur, c.accounts[cur], r.uniform(2000, min(9000, 9900 / hi_rate))))
            if sav and r.random() < 0.7:
                plan.append(("USD", c.accounts["SAV-USD"], r.uniform(2000, 9500)))
            usd_lo = sum(x * (lo_rate if k == cur else 1) for k, _, x in plan)
            if usd_lo > 10500:
                break
        r.shuffle(plan)
        hour = r.randint(9, 11)
        for _cur, acct, x in plan:
            amt = round(x, -2) if r.random() < 0.5 else x
            g.cash_in(acct, amt, g.t(d, hour), g.branch())
            hour += r.randint(1, 3)
            legs.append((d, acct.removeprefix(c.ref + "-"), round(amt)))
    then = None
    if r.random() < 0.5:
        g.add(g.t(days[-1] + r.randint(1, 3)), "fxall", (c.accounts[cur], usd, 1.0))
        then = f"converted the {cur} to USD"
    if r.random() < 0.4:
        cp = company_abroad(g, r.choice(["HK", "AE", "TR", "CY"]))
        g.out(
            "wire", usd, sum(x for _, k, x in legs if k == "USD") * r.uniform(0.5, 0.9), g.t(min(days[-1] + 4, 88)), cp
        )
        then = (then + "; " if then else "") + f"wire abroad to {cp.country}"
    g.label(
        "ctr_multi_account_currency",
        "laundering",
        [c],
        {
            "currency": cur,
            "days": len(days),
            "deposits(day,currency,amount)": legs,
            "accounts_used": sorted({k for _, k, _ in legs}),
            "usd_equivalent_per_day_at_least": [
                round(sum(x * (lo_rate if k == cur else 1) for dd, k, x in legs if dd == d)) for d in days
            ],
            "then": then,
        },
    )


def job_scam_mule(g: GenB) -> None:
    """A newly onboarded student or jobseeker takes a 'payment processing' job: payments from victims come
    in, 80-95% is forwarded within 1-3 days each time (wire abroad, a crypto exchange, crypto on the
    platform, or another in-bank account)."""
    r = g.rng
    span = r.randint(3, 20)
    o = r.randint(5, LAST_DAY - span - 14)
    student = r.random() < 0.5
    method = r.choice(["wire_abroad", "crypto_exchange", "crypto_platform", "inbank"])
    coin = r.choice(["BTC", "ETH"])
    c = g.customer(
        "STUDENT" if student else "RETAIL",
        "student" if student else r.choice(["unemployed", "gig worker", "part-time cashier", "jobseeker"]),
        onboarded_day=o,
        born=(1998, 2006) if student else (1975, 2003),
        currencies=("USD", coin) if method == "crypto_platform" else ("USD",),
    )
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(150, 600), o + 1)
    if r.random() < 0.6:
        g.retail_life(c, acct, o + 1, DAYS, r.uniform(700, 1600), rent=False)
    else:
        light_life(g, acct, o + 2, DAYS)
    a = o + r.randint(2, 6)
    n = r.randint(4, 15)
    share = r.uniform(0.8, 0.95)
    ins: dict[int, float] = {}
    for _ in range(n):
        d = a + r.randint(0, span)
        amt = r.uniform(250, 4800)
        cp = us_person(g)
        if r.random() < 0.6:
            g.p2p_in(acct, amt, g.t(d), cp, r.choice([None, "INVOICE", "PAYMENT", "ORDER"]))
        else:
            g.ach_in(acct, amt, g.t(d), cp)
        ins[d] = ins.get(d, 0.0) + amt
    nxt = None
    if method == "inbank":
        nxt = g.customer("RETAIL", g.occupation("young"), onboarded_day=r.randint(max(0, o - 20), a))
        g.opening(nxt, nxt.accounts["USD"], r.uniform(50, 300), nxt.onboard + 1)
        light_life(g, nxt.accounts["USD"], nxt.onboard + 2, DAYS)
    dest_country = r.choice(["NG", "GH", "HK", "TR", "AE", "PH", "MY", "ZA"])
    dest = abroad(g, dest_country)
    exch = r.choice(EXCHANGES)
    outs = []
    for d, amt in sorted(ins.items()):
        fwd = amt * share * r.uniform(0.97, 1.03)
        when = g.t(d + r.randint(1, 3))
        if method == "wire_abroad":
            g.out("wire", acct, fwd, when, dest)
        elif method == "crypto_exchange":
            g.out(r.choice(["ach", "wire"]), acct, fwd, when, Counterparty(exch[0], None, None, exch[1]))
        elif method == "crypto_platform":
            g.buy_crypto(acct, c.accounts[coin], fwd, when)
        else:
            assert nxt is not None
            g.give(acct, nxt.accounts["USD"], fwd, when)
            g.out(
                "wire", nxt.accounts["USD"], fwd * r.uniform(0.9, 0.98), when + timedelta(hours=r.uniform(3, 30)), dest
            )
        outs.append(round(fwd))
    g.label(
        "job_scam_mule",
        "laundering",
        [c] + ([nxt] if nxt else []),
        {
            "payers": n,
            "span_days": span,
            "total_in": round(sum(ins.values())),
            "forward_share": round(share, 2),
            "method": method,
            "to": {
                "wire_abroad": dest_country,
                "crypto_exchange": exch[0],
                "crypto_platform": coin,
                "inbank": f"next mule then wire to {dest_country}",
            }[method],
            "forwards": outs,
            "days_since_onboarding": a - o,
        },
    )


def romance_scam_victim_mule(g: GenB) -> None:
    """An older customer with years of savings, in a romance / pig-butchering scam: receives wires from other
    victims and sends wires (their money and their savings) to 1-3 foreign individuals over weeks."""
    r = g.rng
    o = r.randint(0, 8)
    c = g.customer(
        r.choice(["RETAIL", "PREMIUM"]),
        r.choice(["retired", "retired teacher", "retired nurse", "widow", "retired engineer"]),
        onboarded_day=o,
        born=(1944, 1962),
    )
    acct = c.accounts["USD"]
    savings = r.uniform(40000, 250000)
    savings_in(g, c, acct, savings, o + 1)
    pension_life(g, c, acct, o + 1, DAYS, r.uniform(1800, 4200))
    a = r.randint(18, 55)
    end = min(a + r.randint(3, 8) * 7, 86)
    countries = r.sample(["NG", "GH", "MY", "TR", "AE", "PH", "KH", "HK", "ZA"], r.randint(1, 3))
    lovers = [abroad(g, ctry) for ctry in countries]
    mules_in = [g.outside(g.person_name(), r.choice(["US", "US", "CA", "GB"])) for _ in range(r.randint(2, 5))]
    wires_in = wires_out = 0
    total_in = total_out = 0.0
    for cp in mules_in:
        for _ in range(r.randint(1, 2)):
            d = r.randint(a, end - 2)
            amt = r.uniform(3000, 40000)
            if cp.country == "US" and r.random() < 0.3:
                g.ach_in(acct, amt, g.t(d), cp)
            else:
                g.wire_in(acct, amt, g.t(d), cp)
            fwd = amt * r.uniform(0.9, 1.0)
            g.out("wire", acct, fwd, g.t(min(d + r.randint(1, 5), end)), r.choice(lovers))
            wires_in += 1
            wires_out += 1
            total_in += amt
            total_out += fwd
    own = savings * r.uniform(0.3, 0.7)
    n_own = r.randint(2, 6)
    for amt in escalating(own, n_own, r.uniform(1.0, 1.5), lambda: r.uniform(0.8, 1.2)):
        g.out(
            "wire", acct, amt, g.t(r.randint(a, end)), r.choice(lovers), r.choice([None, "GIFT", "LOAN", "CUSTOMS FEE"])
        )
        wires_out += 1
        total_out += amt
    g.label(
        "romance_scam_victim_mule",
        "laundering",
        [c],
        {
            "savings": round(savings),
            "weeks": round((end - a) / 7, 1),
            "foreign_beneficiaries": [f"{x.name} {x.country}" for x in lovers],
            "inbound_senders": len(mules_in),
            "wires_in": wires_in,
            "wires_out": wires_out,
            "total_in": round(total_in),
            "total_out_planned": round(total_out),
        },
    )


def trade_based(g: GenB) -> None:
    """An import/export business receives large wires from foreign buyers and pays a different foreign
    supplier most of each, several cycles a month, far above its declared turnover (over-invoicing)."""
    r = g.rng
    occ = r.choice(
        [
            "import/export trader",
            "used car exporter",
            "electronics wholesaler",
            "textile importer",
            "agricultural commodities trader",
            "auto parts distributor",
        ]
    )
    o = r.randint(0, 15)
    revenue = r.uniform(12000, 60000)
    c = business(
        g, occ, o, revenue, f"{r.choice(LAST)} {r.choice(['Trading', 'Global Imports', 'Export'])} LLC", processor=False
    )
    acct = c.accounts["USD"]
    buyers = [company_abroad(g, r.choice(["AE", "HK", "PA", "TR", "CO", "MX", "NG"])) for _ in range(r.randint(1, 3))]
    suppliers = [
        company_abroad(g, r.choice(["CN", "HK", "AE", "IN", "VN", "TR", "MY"])) for _ in range(r.randint(1, 2))
    ]
    per_month = r.randint(2, 5)
    a = r.randint(15, 40)
    goods = r.choice(GOODS)
    cycles = []
    d = a
    while d <= 82:
        amt = revenue * r.uniform(1.5, 6)
        if r.random() < 0.5:
            amt = round(amt, -3)
        inv = r.randint(1000, 9999)
        g.wire_in(acct, amt, g.t(d), r.choice(buyers), f"INV {inv} {goods}")
        lag = r.randint(1, 6)
        g.out("wire", acct, amt * r.uniform(0.85, 0.98), g.t(d + lag), r.choice(suppliers), f"PO {inv + 7} {goods}")
        cycles.append((d, round(amt), lag))
        d += max(2, round(30 / per_month * r.uniform(0.6, 1.4)))
    g.label(
        "trade_based",
        "laundering",
        [c],
        {
            "declared_monthly_revenue": round(revenue),
            "goods": goods,
            "cycles(day,amount_in,lag_days)": cycles,
            "buyers": [f"{b.name} {b.country}" for b in buyers],
            "suppliers": [f"{s.name} {s.country}" for s in suppliers],
        },
    )


def crypto_offramp(g: GenB) -> None:
    """Cash deposits and P2P from several people, then out to a crypto exchange (or bought as crypto on the
    platform) within 24-72 hours, 1-4 cycles of 3k-40k."""
    r = g.rng
    platform = r.random() < 0.35
    coin = r.choice(["BTC", "ETH"])
    o = r.randint(0, 50)
    young = r.random() < 0.5
    c = person(
        g,
        r.choice(["RETAIL", "STUDENT"]) if young else "RETAIL",
        g.occupation("young" if young else "retail"),
        o,
        DAYS,
        r.uniform(1500, 5000),
        opening=(200, 2500),
        rent=not young,
        currencies=("USD", coin) if platform else ("USD",),
    )
    acct = c.accounts["USD"]
    exch = r.choice(EXCHANGES)
    cycles = []
    d = o + r.randint(3, 12)
    for _ in range(r.randint(1, 4)):
        if d > 80:
            break
        target = r.uniform(3000, 40000)
        got = 0.0
        span = r.randint(0, 3)
        while got < target:
            amt = min(r.uniform(1500, 9500) if r.random() < 0.5 else r.uniform(200, 4000), target - got + 200)
            when = g.t(d + r.randint(0, span))
            if amt > 1500 and r.random() < 0.5:
                g.cash_in(acct, amt, when)
            else:
                g.p2p_in(acct, amt, when, us_person(g))
            got += amt
        out_when = g.t(d + span) + timedelta(hours=r.uniform(24, 72))
        share = r.uniform(0.85, 0.99)
        if platform:
            g.buy_crypto(acct, c.accounts[coin], got * share, out_when)
        else:
            parts = r.randint(1, 2)
            for p in range(parts):
                g.out(
                    r.choice(["ach", "wire"]),
                    acct,
                    got * share / parts,
                    out_when + timedelta(hours=p * r.uniform(1, 12)),
                    Counterparty(exch[0], None, None, exch[1]),
                )
        cycles.append((d, round(got), round(share, 2)))
        d = d + span + r.randint(6, 20)
    g.label(
        "crypto_offramp",
        "laundering",
        [c],
        {"to": f"{coin} on the platform" if platform else exch[0], "cycles(day,in,out_share)": cycles},
    )


def cuckoo_smurfing(g: GenB) -> None:
    """Third parties pay cash (under USD 10,000 each, at several branches) into the accounts of unrelated
    customers who expect a transfer of the same value; the recipients then wire it abroad."""
    r = g.rng
    a = r.randint(25, 78)
    k = r.randint(2, 6)
    recips = []
    per = []
    for _ in range(k):
        c = person(
            g,
            r.choice(["RETAIL", "PREMIUM", "STUDENT"]),
            g.occupation("retail"),
            r.randint(0, a - 10),
            DAYS,
            r.uniform(2500, 7000),
        )
        acct = c.accounts["USD"]
        expected = r.uniform(8000, 60000)
        got = 0.0
        n = 0
        while got < expected - 500:
            amt = min(r.uniform(3000, 9500), expected - got)
            amt = round(amt, -2) if r.random() < 0.6 else amt
            g.cash_in(acct, max(amt, 500), g.t(a + r.randint(0, 3), r.randint(9, 16)), g.branch())
            got += max(amt, 500)
            n += 1
        purpose = r.choice(["tuition", "property", "family", "supplier"])
        ctry = r.choice(["GB", "AU", "CA", "IN", "CN", "HK", "PH", "VN", "AE"])
        cp = (
            abroad(g, ctry, c.name)
            if purpose == "family"
            else g.outside(
                {
                    "tuition": f"University of {r.choice(['Sydney', 'Toronto', 'Manchester', 'Hong Kong'])}",
                    "property": f"{r.choice(SHELL_WORDS)} Property Development {SHELL_SUFFIX.get(ctry, 'Ltd')}",
                    "supplier": f"{r.choice(SHELL_WORDS)} Manufacturing {SHELL_SUFFIX.get(ctry, 'Ltd')}",
                }[purpose],
                ctry,
                bank_of(ctry),
            )
        )
        share = r.uniform(0.6, 1.0)
        g.out("wire", acct, got * share, g.t(a + 3 + r.randint(1, 7)), cp)
        recips.append(c)
        per.append({"cash": round(got), "deposits": n, "wired_share": round(share, 2), "to": f"{purpose} {ctry}"})
    g.label("cuckoo_smurfing", "laundering", recips, {"recipients": k, "per_recipient": per, "day": a})


def loan_back(g: GenB) -> None:
    """A person pays illicit funds into a company they control in several transfers; the company 'lends' it
    back to them through 2-4 hops (in-bank companies or an offshore lender)."""
    r = g.rng
    a = r.randint(12, 40)
    p = person(
        g,
        r.choice(["RETAIL", "PREMIUM"]),
        r.choice(["real estate developer", "car dealer", "restaurant owner", "consultant", "contractor"]),
        r.randint(0, a - 8),
        DAYS,
        r.uniform(4000, 9000),
    )
    pa = p.accounts["USD"]
    last = p.name.split()[-1]
    co = business(
        g,
        "holding company",
        r.randint(0, a - 5),
        r.uniform(2000, 8000),
        f"{last} {r.choice(['Holdings', 'Capital Partners', 'Investments'])} LLC",
        processor=False,
    )
    ca = co.accounts["USD"]
    total = r.uniform(40000, 250000)
    src = r.choice(["cash", "offshore", "mixed"])
    got = 0.0
    while got < total:
        d = a + r.randint(0, 10)
        if src == "cash" or (src == "mixed" and r.random() < 0.5):
            amt = r.uniform(4000, 9800)
            g.cash_in(pa, amt, g.t(d), g.branch())
        else:
            amt = r.uniform(15000, 80000)
            g.wire_in(pa, amt, g.t(d), own_offshore(g, p))
        got += amt
    fund_n = r.randint(3, 6)
    funded = got * r.uniform(0.8, 0.95)
    for i in range(fund_n):
        g.give(
            pa,
            ca,
            funded / fund_n * r.uniform(0.9, 1.1),
            g.t(a + 11 + i * r.randint(1, 3)),
            r.choice(["CAPITAL CONTRIBUTION", "SHAREHOLDER LOAN", "INVESTMENT", None]),
        )
    hops = r.randint(2, 4)
    mids: list[Cust] = []
    route: list[Cust | Counterparty] = [co]
    for _ in range(hops - 1):
        if r.random() < 0.5:
            m = business(
                g,
                "finance company",
                r.randint(0, a),
                r.uniform(2000, 6000),
                f"{r.choice(SHELL_WORDS)} {r.choice(['Finance', 'Lending', 'Credit'])} LLC",
                processor=False,
            )
            mids.append(m)
            route.append(m)
        else:
            route.append(company_abroad(g, r.choice(["CY", "VG", "BZ", "SC", "LV", "AE", "GB"])))
    route.append(p)
    amt = funded * r.uniform(0.9, 0.98)
    when = g.t(a + 11 + fund_n * 3 + r.randint(1, 4))
    path = []
    for i in range(hops):
        s, t = route[i], route[i + 1]
        desc = "LOAN DISBURSEMENT" if t is p else r.choice(["LOAN", "INTERCOMPANY LOAN", "NOTE PURCHASE"])
        if isinstance(s, Cust) and isinstance(t, Cust):
            g.give(s.accounts["USD"], t.accounts["USD"], amt, when, desc)
            path.append("p2p")
        elif isinstance(s, Cust) and isinstance(t, Counterparty):
            g.out("wire", s.accounts["USD"], amt, when, t, desc)
            path.append(f"wire out {t.country}")
        elif isinstance(s, Counterparty) and isinstance(t, Cust):
            g.wire_in(t.accounts["USD"], amt, when, s, desc)
            path.append(f"wire in {s.country}")
        else:
            path.append("offshore to offshore")
        amt *= r.uniform(0.97, 1.0)
        when += timedelta(days=r.uniform(1, 5))
    lender = route[-2]
    repay = []
    if isinstance(lender, Counterparty):
        day = (when - START).days + 10
        while day <= 88:
            g.out("wire", pa, amt * r.uniform(0.01, 0.02), g.t(day), lender, "LOAN REPAYMENT")
            repay.append(day)
            day += 30
    use = None
    if r.random() < 0.6 and when < START + timedelta(days=85):
        use = r.choice(TITLE_COS)
        g.out(
            "wire",
            pa,
            amt * r.uniform(0.6, 0.95),
            when + timedelta(days=r.uniform(1, 3)),
            Counterparty(use, None, None, "US"),
        )
    g.label(
        "loan_back",
        "laundering",
        [p, co, *mids],
        {
            "source": src,
            "placed": round(got),
            "funding_transfers": fund_n,
            "hops_back": hops,
            "path": path,
            "repayments_days": repay,
            "then": f"wire to {use}" if use else None,
        },
    )


def own_offshore(g: GenB, c: Cust) -> Counterparty:
    ctry = g.rng.choice(["AE", "CY", "PA", "HK", "CH"])
    return Counterparty(c.name, f"{ctry}{g.rng.randint(10**12, 10**13 - 1)}", bank_of(ctry), ctry)


def elder_exploitation(g: GenB) -> None:
    """A trusted person (caregiver, new 'friend') drains an elderly customer's savings over 2-6 weeks: a
    new payee with escalating P2P/ACH payments and cash withdrawals, 50-90% of the balance."""
    r = g.rng
    o = r.randint(0, 6)
    c = g.customer(
        "RETAIL", r.choice(["retired", "retired homemaker", "retired machinist"]), onboarded_day=o, born=(1930, 1950)
    )
    acct = c.accounts["USD"]
    savings = r.uniform(30000, 200000)
    savings_in(g, c, acct, savings, o + 1)
    pension_life(g, c, acct, o + 1, DAYS, r.uniform(1500, 3500))
    a = r.randint(20, 50)
    weeks = r.randint(2, 6)
    end = min(a + weeks * 7, 88)
    inbank = r.random() < 0.4
    role = r.choice(["caregiver", "friend", "neighbour", "new partner"])
    taker = None
    if inbank:
        taker = person(
            g,
            "RETAIL",
            r.choice(["home health aide", "caregiver", "unemployed"]),
            r.randint(0, a - 5),
            DAYS,
            r.uniform(1800, 3200),
            rent=True,
        )
        payee: Counterparty | None = None
    else:
        payee = us_person(g)
    share = r.uniform(0.5, 0.9)
    per_week = r.randint(2, 4)
    n = max(3, (end - a) * per_week // 7)
    amounts = escalating(savings * share, n, r.uniform(1.1, 1.35), lambda: r.uniform(0.8, 1.2))
    cash_n = pay_n = 0
    for i, amt in enumerate(amounts):
        d = a + round(i * (end - a) / n)
        if r.random() < 0.35:
            if amt < 800:
                g.withdraw(acct, round(amt, -1), g.t(d), g.atm())
            else:
                g.withdraw(acct, round(min(amt, 9500), -1), g.t(d, r.randint(10, 15)), g.branch())
            cash_n += 1
        elif taker is not None:
            g.give(acct, taker.accounts["USD"], amt, g.t(d), r.choice([None, "HELP", "LOAN", "GROCERIES", "THANK YOU"]))
            pay_n += 1
        else:
            assert payee is not None
            g.out("p2p" if amt < 2500 else "ach", acct, amt, g.t(d), payee, r.choice([None, "HELP", "LOAN"]))
            pay_n += 1
    g.label(
        "elder_exploitation",
        "laundering",
        [c] + ([taker] if taker else []),
        {
            "taker": f"{role} ({'in-bank' if inbank else 'outside'})",
            "savings": round(savings),
            "drain_share_planned": round(share, 2),
            "payments": pay_n,
            "cash_withdrawals": cash_n,
            "first_last": [round(amounts[0]), round(amounts[-1])],
            "days": [a, end],
        },
    )


def mule_chain_p2p(g: GenB) -> None:
    """Fraud proceeds pass through 3-6 newly opened in-bank accounts by P2P within hours, each keeping 1-10%,
    and leave as ATM/branch cash or a wire abroad."""
    r = g.rng
    n = r.randint(3, 6)
    a = r.randint(22, 82)
    mules = []
    for _ in range(n):
        m = g.customer(
            r.choice(["RETAIL", "STUDENT"]),
            g.occupation("young"),
            onboarded_day=max(0, a - r.randint(1, 20)),
            born=(1990, 2006),
        )
        g.opening(m, m.accounts["USD"], r.uniform(25, 250), m.onboard + 1)
        light_life(g, m.accounts["USD"], m.onboard + 2, DAYS, 0.2)
        mules.append(m)
    first = mules[0].accounts["USD"]
    total = r.uniform(5000, 50000)
    n_in = r.randint(1, 4)
    t0 = g.t(a, r.randint(8, 14))
    for i in range(n_in):
        cp = g.outside(r.choice([g.person_name(), f"{r.choice(LAST)} {r.choice(['LLC', 'Inc', 'Corp'])}"]), "US")
        how = r.choice([g.wire_in, g.ach_in, g.p2p_in])
        how(first, total / n_in, t0 + timedelta(minutes=i * r.randint(1, 90)), cp)
    amt = total
    when = t0 + timedelta(hours=2)
    hops = []
    for i in range(n - 1):
        amt *= r.uniform(0.90, 0.99)
        when += timedelta(hours=r.uniform(0.5, 8))
        g.give(mules[i].accounts["USD"], mules[i + 1].accounts["USD"], amt, when)
        hops.append(round(amt))
    last = mules[-1].accounts["USD"]
    ending = r.choice(["cash", "wire"])
    out = amt * r.uniform(0.9, 0.99)
    if ending == "cash":
        pieces = []
        left = out
        while left > 50 and len(pieces) < 40:
            x = min(left, r.choice([r.uniform(300, 1000), r.uniform(2000, 9500)]))
            pieces.append(x)
            left -= x
        t = when + timedelta(hours=r.uniform(0.5, 6))
        spread_h = r.uniform(24, 72)  # cashed out over one to three days
        for i, x in enumerate(pieces):
            where = g.atm() if x <= 1000 else g.branch()
            g.withdraw(last, round(x, -1), t + timedelta(hours=spread_h * i / len(pieces)), where)
        detail = f"{len(pieces)} cash withdrawals over {round(spread_h)} h"
    else:
        ctry = r.choice(["NG", "HK", "AE", "TR", "MX", "RO", "UA"])
        g.out("wire", last, out, when + timedelta(hours=r.uniform(0.5, 10)), abroad(g, ctry))
        detail = f"wire to {ctry}"
    g.label(
        "mule_chain_p2p",
        "laundering",
        mules,
        {"accounts": n, "in": round(total), "inbound_payments": n_in, "hop_amounts": hops, "end": detail},
    )


def structured_withdrawals(g: GenB) -> None:
    """After a large inflow, cash taken out in 3-10 withdrawals of USD 7,000-9,900 over days, at several
    branches."""
    r = g.rng
    o = r.randint(0, 30)
    biz = r.random() < 0.4
    if biz:
        c = business(
            g,
            r.choice(["construction contractor", "car dealer", "scrap metal dealer", "restaurant owner"]),
            o,
            r.uniform(15000, 50000),
            f"{r.choice(LAST)} {r.choice(['Contracting', 'Motors', 'Metals', 'Grill'])} LLC",
            processor=r.random() < 0.5,
        )
    else:
        c = person(g, r.choice(["RETAIL", "PREMIUM"]), g.occupation("retail"), o, DAYS, r.uniform(3000, 8000))
    acct = c.accounts["USD"]
    n = r.randint(3, 10)
    a = r.randint(o + 10, 80)
    source = r.choice(["wire_abroad", "ach_business", "title_company", "p2p_many"])
    need = n * 9600 * r.uniform(1.05, 1.4)
    if source == "wire_abroad":
        g.wire_in(acct, need, g.t(a - r.randint(1, 4)), company_abroad(g, r.choice(["HK", "AE", "PA", "MX", "CO"])))
    elif source == "ach_business":
        cp = Counterparty(
            f"{r.choice(LAST)} {r.choice(['Builders', 'Logistics', 'Supply'])} Inc", None, r.choice(BANKS_US), "US"
        )
        k = r.randint(1, 3)
        for i in range(k):
            g.ach_in(acct, need / k, g.t(a - 1 - i * r.randint(1, 3)), cp, "INVOICE")
    elif source == "title_company":
        g.wire_in(
            acct, need, g.t(a - r.randint(1, 5)), Counterparty(r.choice(TITLE_COS), None, None, "US"), "SALE PROCEEDS"
        )
    else:
        per = need / r.randint(4, 10)
        got = 0.0
        while got < need:
            g.p2p_in(acct, per, g.t(a - r.randint(1, 4)), us_person(g))
            got += per
    span = r.randint(2, 10)
    branches = [g.branch() for _ in range(r.randint(1, 4))]
    wds = []
    for _ in range(n):
        x = r.choice([r.uniform(7000, 9900), r.choice([9000, 9500, 9800, 9900, 8000])])
        x = round(x, -2) if r.random() < 0.5 else x
        d = min(a + r.randint(0, span), 88)
        g.withdraw(acct, x, g.t(d, r.randint(9, 16)), r.choice(branches))
        wds.append((d - a, round(x)))
    g.label(
        "structured_withdrawals",
        "laundering",
        [c],
        {"source": source, "withdrawals(day,amount)": sorted(wds), "span_days": span, "branches": len(branches)},
    )


def shell_pass_through(g: GenB) -> None:
    """A company with no payroll, rent or ordinary expenses whose account only passes wires from foreign
    companies on to other foreign companies within days, leaving a balance near zero."""
    r = g.rng
    o = r.randint(0, 30)
    c = g.customer(
        "SMALL_BUSINESS",
        r.choice(["consulting", "general trading", "holding company", "logistics services"]),
        onboarded_day=o,
        name=f"{r.choice(SHELL_WORDS)} {r.choice(SHELL_KINDS)} LLC",
    )
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(1000, 5000), o + 1)
    agent = Counterparty(
        r.choice(["Northwest Registered Agent", "Harbor Compliance", "CT Corporation"]), None, None, "US"
    )
    for m in range(0, DAYS // 30 + 1):
        d = m * 30 + r.randint(3, 20)
        if o + 2 <= d <= LAST_DAY:
            g.ach_out(acct, r.uniform(100, 450), g.t(d), agent, "SERVICE FEE")
    countries = ["CY", "LV", "EE", "HK", "AE", "SC", "BZ", "VG", "GB"]
    senders = [company_abroad(g, r.choice(countries)) for _ in range(r.randint(2, 5))]
    receivers = [company_abroad(g, r.choice(countries)) for _ in range(r.randint(2, 5))]
    n = r.randint(4, 12)
    a = r.randint(o + 5, 60)
    step = max(1.0, (86 - a) / n)
    flows = []
    for i in range(n):
        d = min(a + round(i * step), 85)
        amt = r.uniform(15000, 250000)
        amt = round(amt, -3) if r.random() < 0.6 else amt
        g.wire_in(acct, amt, g.t(d), r.choice(senders), r.choice([None, "CONSULTING SERVICES", "AGREEMENT", "INVOICE"]))
        share = r.uniform(0.95, 0.998)
        parts = r.randint(1, 2)
        for _ in range(parts):
            g.out("wire", acct, amt * share / parts, g.t(d + r.randint(0, 3)), r.choice(receivers), "PAYMENT")
        flows.append((d, round(amt), round(share, 3)))
    g.label(
        "shell_pass_through",
        "laundering",
        [c],
        {"cycles(day,amount,out_share)": flows, "senders": len(senders), "receivers": len(receivers)},
    )


def gift_card_burst(g: GenB) -> None:
    """A burst of gift-card / prepaid purchases within 1-3 days: a scam victim told to pay in gift cards, or
    a mule turning incoming P2P into prepaid value."""
    r = g.rng
    mule = r.random() < 0.4
    a = r.randint(20, 84)
    if mule:
        c = person(
            g,
            r.choice(["RETAIL", "STUDENT"]),
            g.occupation("young"),
            r.randint(0, a - 5),
            DAYS,
            r.uniform(900, 2200),
            rent=False,
            opening=(100, 600),
        )
    else:
        c = g.customer(
            "RETAIL",
            r.choice(["retired", "nurse", "teacher", "office manager"]),
            onboarded_day=r.randint(0, a - 15),
            born=(1940, 1972),
        )
        savings_in(g, c, c.accounts["USD"], r.uniform(8000, 60000), c.onboard + 1)
        if r.random() < 0.5:
            pension_life(g, c, c.accounts["USD"], c.onboard + 1, DAYS, r.uniform(1800, 3500))
        else:
            g.retail_life(c, c.accounts["USD"], c.onboard + 1, DAYS, r.uniform(3000, 6000))
    acct = c.accounts["USD"]
    total = r.uniform(2000, 9000)
    if mule:
        got = 0.0
        while got < total:
            x = r.uniform(200, 1500)
            g.p2p_in(acct, x, g.t(a - r.randint(0, 2)), us_person(g))
            got += x
    shops = r.sample(GIFT_CARD_MERCHANTS, r.randint(2, 6))
    span = r.randint(1, 3)
    spent = 0.0
    buys = 0
    while spent < total and buys < 25:
        face = r.choice([100, 200, 250, 500, 500, 300])
        fee = r.choice([0, 4.95, 5.95, 6.95])
        when = g.t(min(a + r.randint(0, span - 1), 88), r.randint(9, 21))
        g.auth(acct, face + fee, when, r.choice(shops), "capture", timedelta(minutes=r.uniform(1, 30)))
        spent += face + fee
        buys += 1
    g.label(
        "gift_card_burst",
        "laundering",
        [c],
        {"variant": "mule cash-out" if mule else "scam victim", "purchases": buys, "total": round(spent), "days": span},
    )


# =================================================================================================
# benign look-alikes
# =================================================================================================
def crowdfunding_medical(g: GenB) -> None:
    r = g.rng
    a = r.randint(20, 60)
    c = person(
        g,
        r.choice(["RETAIL", "RETAIL", "PREMIUM"]),
        g.occupation("retail"),
        r.randint(0, a - 10),
        DAYS,
        r.uniform(2500, 6000),
    )
    acct = c.accounts["USD"]
    span = r.randint(7, 21)
    n = r.randint(10, 60)
    got = 0.0
    platform = r.random() < 0.3
    near = friends(g, r.randint(0, 3), a)
    for i in range(n):
        amt = float(r.choice([20, 25, 25, 50, 50, 50, 100, 100, 150, 200, 250, 500]))
        if r.random() < 0.2:
            amt += r.choice([0.0, 5.0, 10.0])
        when = g.t(a + r.randint(0, span), r.randint(7, 22))
        note = r.choice([None, "get well", "for treatment", "love you", "prayers"])
        if i < len(near):
            g.give(near[i].accounts["USD"], acct, amt, when, note)
        else:
            g.p2p_in(acct, amt, when, us_person(g), note)
        got += amt
    if platform:
        gfm = Counterparty("GoFundMe Inc", None, "Wells Fargo", "US")
        for w in range(0, span // 7 + 1):
            x = r.uniform(500, 6000)
            g.ach_in(acct, x, g.t(a + w * 7 + r.randint(1, 6), 6), gfm, "GOFUNDME PAYOUT")
            got += x
    hosp = Counterparty(r.choice(HOSPITALS), None, None, "US")
    parts = r.randint(1, 3)
    share = r.uniform(0.5, 0.9)
    for p in range(parts):
        d = min(a + span + r.randint(1, 10) + p * r.randint(0, 5), 88)
        g.out(r.choice(["ach", "ach", "wire"]), acct, got * share / parts, g.t(d), hosp, "PATIENT ACCOUNT")
    g.label(
        "crowdfunding_medical",
        "benign",
        [c, *near],
        {
            "gifts": n,
            "in_bank_donors": len(near),
            "span_days": span,
            "raised": round(got),
            "platform_payouts": platform,
            "paid_to": hosp.name,
            "share": round(share, 2),
        },
    )


def wedding_gifts(g: GenB) -> None:
    r = g.rng
    sat = r.choice([d for d in range(20, 80) if weekday(d) == 5])
    bill = r.uniform(5000, 25000)
    c = person(
        g,
        r.choice(["RETAIL", "PREMIUM"]),
        g.occupation("retail"),
        r.randint(0, sat - 15),
        DAYS,
        r.uniform(3500, 8000),
        born=(1985, 2000),
        opening=(bill * 1.1, bill * 1.6),  # the couple saved for it
    )
    acct = c.accounts["USD"]
    n = r.randint(15, 40)
    got = 0.0
    guests = friends(g, r.randint(0, 5), sat - 1)
    for i in range(n):
        amt = float(r.choice([50, 75, 100, 100, 150, 200, 200, 250, 300, 500, 1000]))
        when = g.t(sat + r.randint(-1, 2), r.randint(8, 23))
        note = r.choice([None, "Congrats!", "wedding gift", "Mazel tov", "Happy wedding"])
        if i < len(guests):
            g.give(guests[i].accounts["USD"], acct, amt, when, note)
        else:
            g.p2p_in(acct, amt, when, us_person(g), note)
        got += amt
    venue = Counterparty(r.choice(VENUES), None, r.choice(BANKS_US), "US")
    g.out(r.choice(["ach", "wire"]), acct, bill, g.t(sat + r.randint(1, 9)), venue, "FINAL BALANCE")
    for _ in range(r.randint(2, 6)):
        m = r.choice(ONLINE_SPEND)
        g.spend(acct, r.uniform(m[1], m[2]), g.t(min(sat + r.randint(2, 14), 88)), m[0])
    g.label(
        "wedding_gifts",
        "benign",
        [c, *guests],
        {
            "gifts": n,
            "in_bank_guests": len(guests),
            "gift_total": round(got),
            "venue_bill": round(bill),
            "saturday": sat,
        },
    )


def inheritance_distribution(g: GenB) -> None:
    r = g.rng
    a = r.randint(15, 80)
    c = person(
        g,
        r.choice(["RETAIL", "PREMIUM"]),
        g.occupation("retail"),
        r.randint(0, a - 10),
        DAYS,
        r.uniform(3500, 9000),
        born=(1955, 1982),
    )
    acct = c.accounts["USD"]
    last = c.name.split()[-1]
    total = r.uniform(50000, 600000)
    firm = r.choice(
        [
            f"Law Offices of {r.choice(LAST)} PLLC",
            f"{r.choice(LAST)} & {r.choice(LAST)} LLP IOLA",
            f"Estate of {r.choice(FIRST)} {last}",
        ]
    )
    g.wire_in(
        acct,
        total,
        g.t(a),
        Counterparty(firm, None, r.choice(BANKS_US), "US"),
        f"ESTATE OF {r.choice(FIRST).upper()} {last.upper()} DISTRIBUTION",
    )
    k = r.randint(2, 5)
    share = total / (k + 1)
    sibs: list[Cust] = []
    paid = []
    for _ in range(k):
        name = f"{r.choice(FIRST)} {last}"
        when = g.t(min(a + r.randint(1, 10), 88))
        if r.random() < 0.3:
            s = person(g, "RETAIL", g.occupation("retail"), r.randint(0, a - 5), DAYS, r.uniform(3000, 7000), name=name)
            g.give(acct, s.accounts["USD"], share, when, "INHERITANCE SHARE")
            sibs.append(s)
            paid.append("in-bank")
        elif r.random() < 0.2:
            ctry = r.choice(["CA", "GB", "DE", "AU", "MX"])
            g.out("wire", acct, share, when, g.outside(name, ctry, bank_of(ctry)), "INHERITANCE SHARE")
            paid.append(f"wire {ctry}")
        else:
            g.out(r.choice(["wire", "ach"]), acct, share, when, g.outside(name, "US"), "INHERITANCE SHARE")
            paid.append("US")
    g.label(
        "inheritance_distribution",
        "benign",
        [c, *sibs],
        {"estate_wire": round(total), "siblings": k, "share": round(share), "paid": paid},
    )


def emigrant_savings(g: GenB) -> None:
    r = g.rng
    o = r.randint(0, 3)
    a = r.randint(40, 80)
    c = g.customer(r.choice(["RETAIL", "PREMIUM"]), g.occupation("retail"), onboarded_day=o)
    acct = c.accounts["USD"]
    savings_in(g, c, acct, r.uniform(10000, 80000), o + 1)
    g.retail_life(c, acct, o + 1, a, r.uniform(3500, 9000))  # life here ends when they leave
    sold = []
    if r.random() < 0.7:
        price = r.uniform(8000, 40000)
        buyer = r.choice(
            [
                us_person(g),
                Counterparty("CarMax Auto Superstores", None, "Truist", "US"),
                Counterparty("Carvana LLC", None, "JPMorgan Chase", "US"),
            ]
        )
        (g.p2p_in if buyer.name not in ("CarMax Auto Superstores", "Carvana LLC") and price < 15000 else g.ach_in)(
            acct, price, g.t(a - r.randint(2, 10)), buyer, "VEHICLE SALE"
        )
        sold.append(("car", round(price)))
    if r.random() < 0.5 or not sold:
        price = r.uniform(60000, 450000)
        g.wire_in(
            acct,
            price,
            g.t(a - r.randint(1, 6)),
            Counterparty(r.choice(TITLE_COS), None, None, "US"),
            "SELLER PROCEEDS",
        )
        sold.append(("house", round(price)))
    ctry = r.choice(["CA", "GB", "DE", "PT", "ES", "MX", "AU", "IN", "PL", "IE"])
    own = Counterparty(c.name, f"{ctry}{r.randint(10**14, 10**15 - 1)}", bank_of(ctry), ctry)
    parts = r.randint(1, 3)
    share = r.uniform(0.8, 0.98)
    for p in range(parts):
        g.drain(
            acct,
            (share / parts) / (1 - p * share / parts),  # equal parts, `share` of the balance in all
            g.t(min(a + 1 + p * r.randint(1, 4), 88)),
            "wire",
            own,
        )
    g.label(
        "emigrant_savings",
        "benign",
        [c],
        {"sold": sold, "to": f"own account {own.institution} {ctry}", "wires": parts, "share": round(share, 2)},
    )


def small_business_cash_daily(g: GenB) -> None:
    r = g.rng
    occ = r.choice(["restaurant", "laundromat", "bar and grill", "grocery store", "car wash", "taqueria", "deli"])
    level = r.uniform(2000, 5000)
    c = business(
        g, f"{occ} owner", r.randint(0, 5), level * 26 * 0.4, f"{r.choice(LAST)}'s {occ.title()}", processor=True
    )
    acct = c.accounts["USD"]
    branch = g.branch()
    deps = []
    for d in range(c.onboard + 1, DAYS):
        wd = weekday(d)
        if wd == 6 or r.random() < 0.1:
            continue
        amt = level * r.lognormvariate(0, 0.3) * (1.35 if wd in (4, 5) else 1.0)
        if r.random() < 0.12:
            amt = r.uniform(8000, 12000)
        g.cash_in(acct, amt, g.t(d, r.randint(16, 20)), branch)
        deps.append(amt)
    staff = [g.outside(g.person_name(), "US") for _ in range(r.randint(5, 20))]
    wages = [r.uniform(900, 2200) for _ in staff]
    d = c.onboard + r.randint(10, 14)
    runs = 0
    while d < DAYS:
        for e, w in zip(staff, wages, strict=True):
            g.out("ach", acct, w * r.uniform(0.9, 1.1), g.t(d, 6), e, "PAYROLL")
        d += 14
        runs += 1
    tax = Counterparty(
        r.choice(["NYS Dept of Taxation", "Texas Comptroller", "Illinois Dept of Revenue", "Florida Dept of Revenue"]),
        None,
        None,
        "US",
    )
    for m in range(1, DAYS // 30 + 1):
        g.out(
            "ach", acct, sum(deps) / max(1, len(deps)) * 26 * r.uniform(0.05, 0.08), g.t(m * 30 - 10), tax, "SALES TAX"
        )
    g.label(
        "small_business_cash_daily",
        "benign",
        [c],
        {
            "business": occ,
            "deposits": len(deps),
            "median": round(sorted(deps)[len(deps) // 2]),
            "days_over_8k": sum(1 for x in deps if x >= 8000),
            "days_over_10k": sum(1 for x in deps if x > 10000),
            "staff": len(staff),
            "payroll_runs": runs,
        },
    )


def reseller(g: GenB) -> None:
    r = g.rng
    o = r.randint(0, 20)
    c = person(
        g,
        r.choice(["RETAIL", "SMALL_BUSINESS"]),
        r.choice(["online reseller", "vintage clothing seller", "sneaker reseller", "Etsy jewelry maker"]),
        o,
        DAYS,
        r.uniform(1500, 4000),
    )
    acct = c.accounts["USD"]
    markets = [
        Counterparty(x, None, None, "US")
        for x in r.sample(
            ["eBay Inc", "Etsy Inc", "Amazon.com Services LLC", "Poshmark Inc", "Mercari Inc", "StockX LLC"],
            r.randint(1, 3),
        )
    ]
    payouts = 0
    got = 0.0
    for d in range(o + 3, DAYS):
        for mk in markets:
            if r.random() < 0.35:
                x = r.uniform(40, 900)
                g.ach_in(acct, x, g.t(d, 5), mk, f"{mk.name.split()[0].upper()} PAYOUT")
                payouts += 1
                got += x
    buyers = r.randint(10, 40)
    for _ in range(buyers):
        x = r.uniform(15, 300)
        g.p2p_in(
            acct,
            x,
            g.t(r.randint(o + 3, LAST_DAY)),
            us_person(g),
            r.choice([None, "for the jacket", "shoes", "order", "thanks!"]),
        )
        got += x
    suppliers = [
        Counterparty(x, None, None, "US")
        for x in r.sample(["Alibaba.com", "Uline", "Liquidation.com", "Goodwill Outlet", "Faire Wholesale"], 2)
    ]
    for w in range(o // 7 + 1, DAYS // 7):
        g.out(
            r.choice(["ach", "ach", "wire"]),
            acct,
            got / max(1, DAYS - o) * 7 * r.uniform(0.25, 0.5),
            g.t(w * 7 + r.randint(0, 5)),
            r.choice(suppliers),
            "STOCK",
        )
        for _ in range(r.randint(1, 4)):
            g.spend(
                acct,
                r.uniform(8, 90),
                g.t(w * 7 + r.randint(0, 6)),
                r.choice(["USPS PO 3652", "PIRATESHIP", "THE UPS STORE 4412"]),
            )
    g.label(
        "reseller",
        "benign",
        [c],
        {"marketplaces": [m.name for m in markets], "payouts": payouts, "p2p_buyers": buyers, "income": round(got)},
    )


def dues_organiser(g: GenB) -> None:
    r = g.rng
    kind = r.choice(["investment_club", "roommates", "sports_team"])
    o = r.randint(0, 10)
    c = person(
        g,
        r.choice(["RETAIL", "PREMIUM"]),
        g.occupation("retail"),
        o,
        DAYS,
        r.uniform(3000, 8000),
        rent=kind != "roommates",
    )
    acct = c.accounts["USD"]
    n = {"investment_club": r.randint(5, 15), "roommates": r.randint(2, 4), "sports_team": r.randint(8, 15)}[kind]
    dues = {
        "investment_club": r.choice([50, 100, 200, 250, 500]),
        "roommates": r.uniform(600, 1500),
        "sports_team": r.choice([30, 40, 60, 100, 150]),
    }[kind]
    members: list[Cust | Counterparty] = []
    inbank: list[Cust] = []
    for _ in range(n):
        if r.random() < 0.3:
            m = person(
                g,
                "RETAIL",
                g.occupation("retail"),
                r.randint(0, 10),
                DAYS,
                r.uniform(2500, 6000),
                rent=kind != "roommates",
            )
            members.append(m)
            inbank.append(m)
        else:
            members.append(us_person(g))
    payee = {
        "investment_club": Counterparty(
            r.choice(["Charles Schwab & Co", "Fidelity Brokerage Services", "Vanguard Brokerage"]), None, None, "US"
        ),
        "roommates": Counterparty(
            r.choice(["Greystar Residential", "Equity Residential", "AvalonBay Communities"]), None, None, "US"
        ),
        "sports_team": Counterparty(
            r.choice(["City Parks & Recreation", "ZogSports LLC", "Adult Soccer League LLC"]), None, None, "US"
        ),
    }[kind]
    months = 0
    for mo in range(0, DAYS // 30):
        day = mo * 30 + r.randint(1, 5)
        if day <= max([o] + [m.onboard for m in inbank]) + 3:
            continue
        got = 0.0
        for mem in members:
            when = g.t(day + r.randint(-1, 3))
            if isinstance(mem, Cust):
                g.give(mem.accounts["USD"], acct, dues, when, kind.replace("_", " ").upper())
            else:
                g.p2p_in(acct, dues, when, mem, r.choice([None, "dues", "rent share", "monthly"]))
            got += dues
        total = got + (dues if kind == "roommates" else 0)
        g.out("ach", acct, total * r.uniform(0.9, 1.0), g.t(min(day + r.randint(4, 7), 88)), payee)
        months += 1
    g.label(
        "dues_organiser",
        "benign",
        [c, *inbank],
        {
            "kind": kind,
            "members": n,
            "in_bank_members": len(inbank),
            "dues": round(dues),
            "months": months,
            "pays": payee.name,
        },
    )


def tax_refund_then_spend(g: GenB) -> None:
    r = g.rng
    a = r.randint(35, 80)
    c = person(
        g,
        r.choice(["RETAIL", "RETAIL", "STUDENT"]),
        g.occupation("retail"),
        r.randint(0, a - 10),
        DAYS,
        r.uniform(2500, 6000),
    )
    acct = c.accounts["USD"]
    refund = r.uniform(1500, 12000)
    g.ach_in(acct, refund, g.t(a, 5), Counterparty("IRS TREAS 310", None, "US Treasury", "US"), "TAX REF")
    state = None
    if r.random() < 0.5:
        state = r.uniform(200, 2000)
        g.ach_in(
            acct,
            state,
            g.t(min(a + r.randint(1, 8), 88), 5),
            Counterparty(
                r.choice(["NYS DTF PIT REFUND", "CA FTB TAX REFUND", "IL DEPT OF REVENUE", "GA DEPT OF REVENUE"]),
                None,
                None,
                "US",
            ),
            "TAX REFUND",
        )
    buys = r.randint(3, 10)
    for _ in range(buys):
        m = r.choice(ONLINE_SPEND)
        g.spend(acct, r.uniform(m[1], m[2]), g.t(min(a + r.randint(0, 14), 88)), m[0])
    g.out(
        "ach",
        acct,
        refund * r.uniform(0.3, 0.6),
        g.t(min(a + r.randint(1, 7), 88)),
        Counterparty(r.choice(CARD_ISSUERS), None, None, "US"),
        "PAYMENT",
    )
    if r.random() < 0.4:
        g.out(
            "ach",
            acct,
            refund * r.uniform(0.1, 0.3),
            g.t(min(a + r.randint(2, 10), 88)),
            own_elsewhere(g, c),
            "TRANSFER TO SAVINGS",
        )
    g.label(
        "tax_refund_then_spend",
        "benign",
        [c],
        {"refund": round(refund), "state_refund": round(state) if state else None, "purchases": buys},
    )


def property_deposit(g: GenB) -> None:
    r = g.rng
    o = r.randint(0, 8)
    a = r.randint(45, 85)
    c = person(
        g,
        r.choice(["RETAIL", "PREMIUM"]),
        g.occupation("retail"),
        o,
        DAYS,
        r.uniform(5000, 12000),
        extra=("SAV-USD",),
        born=(1975, 1996),
    )
    acct, sav = c.accounts["USD"], c.accounts["SAV-USD"]
    g.ach_in(sav, r.uniform(20000, 100000), g.t(o + 1, 10), own_elsewhere(g, c), "ACCOUNT TRANSFER")
    monthly = r.uniform(500, 3000)
    for m in range(0, DAYS // 30 + 1):
        d = m * 30 + r.randint(3, 8)
        if o + 4 <= d < a:
            g.give(acct, sav, monthly, g.t(d), "TRANSFER TO SAVINGS")
    gift = None
    if r.random() < 0.5:
        gift = r.uniform(5000, 50000)
        ctry = r.choice(["US", "US", "US", "IN", "CN", "GB", "MX"])
        parent = g.outside(f"{r.choice(FIRST)} {c.name.split()[-1]}", ctry, None if ctry == "US" else bank_of(ctry))
        g.wire_in(sav, gift, g.t(a - r.randint(2, 10)), parent, "GIFT FOR HOME PURCHASE")
    if r.random() < 0.4:
        g.ach_in(
            sav,
            r.uniform(5000, 40000),
            g.t(a - r.randint(1, 6)),
            Counterparty(c.name, None, r.choice(["Fidelity Brokerage", "Charles Schwab", "Vanguard"]), "US"),
            "BROKERAGE WITHDRAWAL",
        )
    title = Counterparty(r.choice(TITLE_COS), None, None, "US")
    earnest = r.uniform(2000, 10000)
    g.out("wire", sav, earnest, g.t(max(o + 5, a - r.randint(10, 30))), title, "EARNEST MONEY")
    g.drain(sav, r.uniform(0.7, 0.98), g.t(a, 11), "wire", title)
    g.label(
        "property_deposit",
        "benign",
        [c],
        {
            "monthly_saving": round(monthly),
            "parents_gift": round(gift) if gift else None,
            "earnest": round(earnest),
            "closing_day": a,
        },
    )


def student_from_abroad(g: GenB) -> None:
    r = g.rng
    ctry = r.choice(["CN", "IN", "KR", "NG", "BR", "VN", "SA", "MX", "TR"])
    first, lasts = LOCAL_NAMES[ctry]
    last = r.choice(lasts)
    o = r.randint(0, 10)
    c = g.customer(
        "STUDENT", "student", onboarded_day=o, country=ctry, name=f"{r.choice(first)} {last}", born=(1999, 2006)
    )
    acct = c.accounts["USD"]
    parent = g.outside(f"{r.choice(first)} {last}", ctry, bank_of(ctry))
    living = r.uniform(1500, 4500)
    tuition = r.uniform(10000, 30000)
    g.wire_in(acct, tuition + living, g.t(o + 1), parent, "TUITION AND LIVING")
    uni = Counterparty(r.choice(UNIVERSITIES_US), None, None, "US")
    g.out(r.choice(["ach", "wire"]), acct, tuition, g.t(o + r.randint(2, 6)), uni, "TUITION")
    day = r.randint(1, 10)
    for m in range(1, DAYS // 30 + 1):
        d = m * 30 + day
        if d < DAYS:
            g.wire_in(acct, living * r.uniform(0.9, 1.1), g.t(d), parent, "LIVING EXPENSES")
    landlord = Counterparty(
        r.choice(["Campus Apartments LLC", "American Campus Communities", "Greystar Residential"]), None, None, "US"
    )
    rent = living * r.uniform(0.35, 0.55)
    for m in range(0, DAYS // 30 + 1):
        d = m * 30 + 3
        if o + 3 <= d < DAYS:
            g.out("ach", acct, rent, g.t(d), landlord, "RENT")
    for d in range(o + 2, DAYS):
        if r.random() < 0.6:
            mm = r.choice(MERCHANTS)
            g.spend(acct, r.uniform(mm[2], mm[3]) * 0.7, g.t(d), mm[0])
        if r.random() < 0.04:
            g.withdraw(acct, r.choice([40, 60, 100, 200]), g.t(d), g.atm())
    g.label(
        "student_from_abroad",
        "benign",
        [c],
        {"country": ctry, "tuition": round(tuition), "monthly": round(living), "rent": round(rent)},
    )


LAUNDERING = [
    card_testing,
    ctr_multi_account_currency,
    job_scam_mule,
    romance_scam_victim_mule,
    trade_based,
    crypto_offramp,
    cuckoo_smurfing,
    loan_back,
    elder_exploitation,
    mule_chain_p2p,
    structured_withdrawals,
    shell_pass_through,
    gift_card_burst,
]
BENIGN = [
    crowdfunding_medical,
    wedding_gifts,
    inheritance_distribution,
    emigrant_savings,
    small_business_cash_daily,
    reseller,
    dues_organiser,
    tax_refund_then_spend,
    property_deposit,
    student_from_abroad,
]


# =================================================================================================
# checks and posting
# =================================================================================================
def touched(ev: Ev) -> list[str]:
    """The customer accounts an event moves money on (for the date checks)."""
    d = ev.data
    if isinstance(d, Movement):
        return [d.account] + ([d.to_account] if d.to_account else [])
    if isinstance(d, Transfer):
        return [leg.account for leg in d.legs]
    if isinstance(d, HoldRequest):
        return [d.from_account]
    if ev.kind in ("fx", "crypto"):
        return [d[1], d[2]]
    if ev.kind in ("fxall", "drain"):
        return [d[0]]
    return []


def check(g: GenB) -> None:
    """Every posting in the base bank's period and after its customers' onboarding."""
    end = START + timedelta(days=DAYS)
    onboarded = {code: p.onboarded_at for p in g.profiles for ref, code, _ in g.account_specs if ref == p.external_ref}
    for ev in g.events:
        if not START <= ev.when < end:
            raise AssertionError(f"event {ev.kind} at {ev.when} outside the base period")
        for acct in touched(ev):
            if acct in onboarded and ev.when <= onboarded[acct]:
                raise AssertionError(f"event {ev.kind} at {ev.when} on {acct} before onboarding {onboarded[acct]}")


def fx_band(url: str) -> dict[str, tuple[float, float]]:
    """The lowest and highest EUR/USD and GBP/USD price in the base period (to plan USD equivalents)."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT split_part(symbol, '/', 1), min(price), max(price) FROM ledger.ticks"
            " WHERE symbol IN ('EUR/USD', 'GBP/USD') AND ts >= %s AND ts < %s GROUP BY 1",
            (START, START + timedelta(days=DAYS)),
        ).fetchall()
    return {cur: (float(lo), float(hi)) for cur, lo, hi in rows}


def generate(seed: int, url: str) -> Gen:
    """Plan set b's cases of `seed` for the bank at `url` (read for its FX range only; nothing is posted)."""
    g = GenB(seed)
    g.fx_band.update(fx_band(url))
    for fam in LAUNDERING:
        for _ in range(LAUNDERING_N):
            fam(g)
    for fam in BENIGN:
        for _ in range(BENIGN_N):
            fam(g)
    check(g)
    return g


def _floor(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_DOWN)


def _sized(item: Movement | Transfer, available: Decimal) -> Movement | Transfer | None:
    """`item` with its amount cut to `available` (None when less than a dollar is there)."""
    planned = Decimal(str(item.amount)) if isinstance(item, Movement) else Decimal(str(item.legs[0].amount))
    amt = min(planned, _floor(available))
    if amt < 1:
        return None
    if amt == planned:
        return item
    if isinstance(item, Movement):
        return dataclasses.replace(item, amount=amt)
    return dataclasses.replace(item, legs=[dataclasses.replace(leg, amount=amt) for leg in item.legs])


def _source(item: Movement | Transfer) -> str:
    return item.account if isinstance(item, Movement) else item.legs[0].account


def post_one(ledger: Ledger, g: GenB, ev: Ev, holds: dict[str, int]) -> int:
    """Post one event that needs the ledger's state (balance, hold id); how many postings it made."""
    if ev.kind == "capped":
        item = _sized(ev.data, ledger.balance(_source(ev.data)).available)
        if item is None:
            return 0
        ledger.post_many([item]).raise_first()
        return 1
    if ev.kind == "hold":
        req: HoldRequest = ev.data
        if ledger.balance(req.from_account).available < Decimal(str(req.amount)):
            return 0  # declined: an authorisation the funds do not cover never reaches the ledger
        res = ledger.hold_many([req])
        res.raise_first()
        hold_id = res.ids[0]
        assert hold_id is not None
        holds[req.reference_id] = hold_id
        return 1
    if ev.kind in ("capture", "void"):
        hold_id = holds.get(ev.data)
        if hold_id is None:
            return 0
        if ev.kind == "capture":
            ledger.capture(hold_id, effective_at=ev.when)
        else:
            ledger.void(hold_id, effective_at=ev.when)
        return 1
    if ev.kind == "crypto":
        ref, src, dst, planned = ev.data
        amt = min(planned, _floor(ledger.balance(src).available / Decimal("1.005")))
        coin = dst.rsplit("-", 1)[1]
        price = ledger.price_at(f"{coin}/USD", ev.when)
        if amt < 1 or price is None:
            return 0
        fee = Fee(money(amt * Decimal("0.005")), "FEES-USD")
        ledger.convert(ref, src, dst, amt, (Decimal(1) / price).quantize(Decimal("1e-14")), fee, effective_at=ev.when)
        return 1
    if ev.kind == "fxall":
        src, dst, share = ev.data
        amt = _floor(ledger.balance(src).available * Decimal(str(share)))
        if amt <= 0:
            return 0
        ledger.convert(g.ref("fx"), src, dst, amt, rate(ledger, src[-3:], dst[-3:], ev.when), effective_at=ev.when)
        return 1
    if ev.kind == "drain":
        acct, share, how, cp = ev.data
        amt = _floor(ledger.balance(acct).available * Decimal(str(share)))
        if amt <= 0:
            return 0
        mk = {"wire": wire_out, "ach": ach_out}.get(how)
        ref = g.ref("dr")
        mv = (
            mk(ref, acct, amt, beneficiary=cp, effective_at=ev.when)
            if mk
            else p2p_out(ref, acct, amt, payee=cp, effective_at=ev.when)
        )
        ledger.move(mv)
        return 1
    raise ValueError(f"unknown event kind {ev.kind}")


def post_all(g: Gen, url: str) -> dict[str, Any]:
    """Register the customers, open their accounts and post every event in time order through the public
    ledger API. Outflows marked capped, crypto purchases and drains are sized from the balance at posting
    time; an authorisation the funds do not cover is declined (not posted). Returns the number posted, a
    line per refused posting and how many planned postings were skipped (declined or nothing to move)."""
    assert isinstance(g, GenB)
    refused: list[str] = []
    posted = skipped = 0
    holds: dict[str, int] = {}
    with Ledger(url, pool_size=2) as ledger:
        # the platform keeps its safeguarding account topped up (internal bookkeeping, before anything below)
        for cur in ("USD", "EUR", "GBP"):
            ledger.post(
                f"r{g.seed}:safeguard-topup:{cur}",
                [Leg.debit(f"SAFEGUARD-{cur}", "20000000"), Leg.credit(f"OPERATING-{cur}", "20000000")],
                "Safeguarding top-up",
                None,
                START + timedelta(minutes=1),
                channel="INTERNAL",
            )
        ids = ledger.register_customers(g.profiles)
        opened = ledger.open_accounts(
            [AccountSpec(code, code, "LIABILITY", cur, customer_id=ids[ref]) for ref, code, cur in g.account_specs]
        )
        for x in opened:
            if isinstance(x, Exception):
                raise x
        batch: list[Movement | Transfer] = []

        def flush() -> None:
            nonlocal posted
            if not batch:
                return
            result = ledger.post_many(batch)
            for rej in result.rejected:
                refused.append(f"{batch[rej.index].reference_id}: {type(rej.error).__name__} {rej.error}")
            posted += result.posted
            batch.clear()

        for ev in sorted(g.events):
            if ev.kind in ("move", "card"):
                batch.append(ev.data)
                if len(batch) >= 500:
                    flush()
                continue
            flush()
            try:
                n = post_one(ledger, g, ev, holds)
            except LedgerError as exc:
                refused.append(f"{ev.kind} {ev.data}: {type(exc).__name__} {exc}")
                continue
            posted += n
            skipped += n == 0
        flush()
    return {"posted": posted, "refused": refused, "skipped": skipped}
