"""The outside tester's scenarios: laundering families and benign look-alikes, seeded, posted through
the public ledger API (the `ledger.movements` helpers, `Ledger.post` with channel CARD, `Ledger.convert`).

`generate(seed, url)` plans, for the bank at `url`, NEW customers (refs Q<seed>-NNNN) with their accounts
and the postings of 15 laundering families (5 instances each) and 10 benign look-alike families (8 each)
with randomised shapes; `post_all` registers them and posts it all. `Gen.labels` maps each instance
(`family#k`) to its family, class, customers, accounts and shape. The shapes were written from FATF
typologies, the AMLworld patterns (Altman et al. 2023) and FinCEN advisories, without reading the
project's detection logic.

Every draw comes from one `random.Random(seed)` in a fixed order: a seed always plans the same cases
(given the same base bank, whose watch list the watch-list family reads).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from typing import Any

import psycopg

from ledger import (
    AccountSpec,
    Counterparty,
    CustomerProfile,
    Ledger,
    Leg,
    Transfer,
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
from ledger.errors import LedgerError

START = datetime(2026, 1, 1, tzinfo=UTC)  # the base bank's first simulated day (90 days)
CENT = Decimal("0.01")
Amount = float | Decimal
LAUNDERING_N = 5
BENIGN_N = 8

FIRST = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Carlos",
    "Maria",
    "Jose",
    "Ana",
    "Luis",
    "Sofia",
    "Wei",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Raj",
    "Priya",
    "Ahmed",
    "Fatima",
    "Olga",
    "Ivan",
    "Kwame",
    "Amara",
    "Lars",
    "Ingrid",
    "Pierre",
    "Camille",
    "Mateo",
    "Lucia",
    "Chen",
    "Aisha",
    "Omar",
    "Elena",
    "Dmitri",
    "Nadia",
    "Tomasz",
    "Agnieszka",
    "Giovanni",
    "Chiara",
    "Daniel",
    "Grace",
    "Samuel",
    "Hannah",
    "Kevin",
    "Laura",
    "Brian",
    "Emily",
]
LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Kowalski",
    "Novak",
    "Rossi",
    "Mueller",
    "Dubois",
    "Okafor",
    "Mensah",
    "Patel",
    "Sharma",
    "Khan",
    "Tanaka",
    "Sato",
    "Kim",
    "Park",
    "Chen",
    "Wang",
    "Ivanova",
    "Petrov",
    "Haddad",
    "Costa",
    "Silva",
]
CITIES = [
    ("New York", "NY"),
    ("Chicago", "IL"),
    ("Houston", "TX"),
    ("Phoenix", "AZ"),
    ("Denver", "CO"),
    ("Seattle", "WA"),
    ("Miami", "FL"),
    ("Atlanta", "GA"),
    ("Boston", "MA"),
    ("Dallas", "TX"),
    ("San Jose", "CA"),
    ("Newark", "NJ"),
]
BANKS_US = [
    "Chase",
    "Bank of America",
    "Wells Fargo",
    "Citibank",
    "US Bank",
    "PNC Bank",
    "Capital One",
    "TD Bank",
    "Ally Bank",
    "Navy Federal CU",
    "Truist",
    "Regions Bank",
]
FOREIGN_BANKS = {
    "HK": "HSBC Hong Kong",
    "AE": "Emirates NBD",
    "TR": "Garanti BBVA",
    "PA": "Banco General",
    "CN": "Bank of China",
    "CY": "Bank of Cyprus",
    "GB": "Barclays",
    "MX": "BBVA Mexico",
    "LV": "Rietumu Banka",
    "SG": "DBS Bank",
    "RU": "Tinkoff Bank",
    "NG": "Zenith Bank",
    "IN": "ICICI Bank",
    "PH": "BDO Unibank",
    "PL": "PKO Bank Polski",
    "VN": "Vietcombank",
    "DE": "Deutsche Bank",
    "CA": "RBC Royal Bank",
    "AU": "Commonwealth Bank",
    "NL": "ING Bank",
    "FR": "BNP Paribas",
    "ES": "Santander",
    "IT": "UniCredit",
    "KE": "Equity Bank",
    "BR": "Itau",
}
SHELLS = [
    "Golden Bridge Trading Ltd",
    "Apex Global Logistics FZE",
    "Pacific Rim Consulting Ltd",
    "Orion Star Import Export",
    "Meridian Holdings Group",
    "Silkway General Trading LLC",
    "Baltic Amber Resources",
    "Crescent Tech Solutions",
    "Evergreen Commodities SA",
    "Nordwind Handels GmbH",
    "Lucky Dragon Enterprises",
    "Atlas Prime Investments",
    "Blue Ocean Ventures Ltd",
    "Sunrise Electronics HK",
]
MERCHANTS = [
    ("WHOLEFDS MKT #10234", "groceries", 40, 180),
    ("TRADER JOE'S #552", "groceries", 25, 120),
    ("SHELL OIL 57442", "fuel", 30, 80),
    ("AMAZON MKTPLACE PMTS", "shopping", 15, 150),
    ("TARGET 00012345", "shopping", 20, 160),
    ("UBER *TRIP", "transport", 12, 45),
    ("STARBUCKS STORE 0918", "dining", 5, 18),
    ("CHIPOTLE 1123", "dining", 11, 30),
    ("NETFLIX.COM", "subscription", 15, 23),
    ("SPOTIFY USA", "subscription", 11, 17),
    ("CVS/PHARMACY #0921", "health", 8, 70),
    ("HOME DEPOT #4410", "home", 30, 260),
    ("COSTCO WHSE #0112", "groceries", 80, 320),
    ("DOORDASH*THAI BASIL", "dining", 22, 65),
]
UTILITIES = [
    "Con Edison",
    "Pacific Gas and Electric",
    "Duke Energy",
    "Comcast Xfinity",
    "Verizon Wireless",
    "AT&T Mobility",
    "T-Mobile",
    "City Water Dept",
    "Spectrum Internet",
]
INSURERS = ["State Farm Insurance", "GEICO", "Progressive Insurance", "Allstate", "Liberty Mutual"]
CARD_ISSUERS = [
    "Chase Card Services",
    "Capital One Card Pmt",
    "Citi Card Payment",
    "Amex Epayment",
    "Discover Card Pmt",
]
MORTGAGE = [
    "Wells Fargo Home Mortgage",
    "Rocket Mortgage",
    "Mr. Cooper",
    "Chase Home Lending",
    "PennyMac Loan Services",
    "US Bank Home Mortgage",
    "Freedom Mortgage",
]
AUTO_LENDERS = [
    "Ally Auto Finance",
    "Toyota Financial Services",
    "Capital One Auto Finance",
    "Santander Consumer USA",
    "Honda Financial Services",
    "Chase Auto",
]
EMPLOYERS = [
    "Acme Logistics Inc",
    "Northwind Health System",
    "Globex Corporation",
    "Initech LLC",
    "Riverside School District",
    "Summit Engineering Group",
    "Bluebird Retail Co",
    "Pinnacle Software",
    "Metro Transit Authority",
    "Harborview Hospital",
    "Oakridge Manufacturing",
    "Evergreen Bank Corp",
]
UNIVERSITIES = [
    ("University of Edinburgh", "GB", "GBP"),
    ("King's College London", "GB", "GBP"),
    ("McGill University", "CA", "USD"),
    ("University of Melbourne", "AU", "USD"),
    ("Technical University of Munich", "DE", "EUR"),
    ("University of Amsterdam", "NL", "EUR"),
    ("Trinity College Dublin", "IE", "EUR"),
    ("University of Toronto", "CA", "USD"),
]
BRANCH_CITIES = ["NYC", "CHICAGO", "HOUSTON", "DENVER", "MIAMI", "ATLANTA", "DALLAS", "NEWARK", "BOSTON", "PHOENIX"]


def money(x: float | Decimal) -> Decimal:
    """`x` in cents, half to even."""
    return Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_EVEN)


@dataclass
class Cust:
    """A new customer of the scenarios (ref Q<seed>-NNNN) and its accounts."""

    ref: str
    name: str
    segment: str
    occupation: str
    country: str
    accounts: dict[str, str] = field(default_factory=dict)  # label -> code
    city: tuple[str, str] = ("New York", "NY")
    onboard: int = 0
    funded: float = 0.0


@dataclass(order=True)
class Ev:
    """One planned posting, ordered by time then by the order it was planned in."""

    when: datetime
    seq: int
    kind: str = field(compare=False)  # move | card | fx | fxall | drain
    data: Any = field(compare=False)


class Gen:
    """The plan of one seed: customers, accounts, dated events and labels, every draw from one RNG."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.n = 0
        self.custs: list[Cust] = []
        self.profiles: list[CustomerProfile] = []
        self.account_specs: list[tuple[str, str, str]] = []  # (customer ref, code, currency)
        self.events: list[Ev] = []
        self.seq = 0
        self.labels: dict[str, dict[str, Any]] = {}
        self.watchlist: list[tuple[str, str, str, str, list[str]]] = []  # id, name, type, country, aliases

    # -- people ------------------------------------------------------------------------------------
    def person_name(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def outside(self, name: str | None = None, country: str = "US", bank: str | None = None) -> Counterparty:
        r = self.rng
        name = name or self.person_name()
        if country == "US":
            acct = f"{r.randint(10**8, 10**9 - 1)}-{r.randint(1000, 99999999)}"
            inst = bank or r.choice(BANKS_US)
        else:
            acct = f"{country}{r.randint(10, 99)}{r.randint(10**13, 10**14 - 1)}{r.randint(1000, 9999)}"
            inst = bank or FOREIGN_BANKS.get(country, "Foreign Bank")
        return Counterparty(name, acct, inst, country)

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
    ) -> Cust:
        r = self.rng
        self.n += 1
        ref = f"Q{self.seed}-{self.n:04d}"
        name = name or self.person_name()
        city = r.choice(CITIES)
        c = Cust(ref, name, segment, occupation, country, city=city, onboard=onboarded_day)
        when = START + timedelta(days=onboarded_day, hours=r.randint(9, 17), minutes=r.randint(0, 59))
        first, _, last = name.partition(" ")
        self.profiles.append(
            CustomerProfile(
                ref,
                country,
                occupation,
                segment,
                risk,
                when,
                name,
                f"{first.lower()}.{last.lower().replace(' ', '')}{r.randint(1, 999)}@example.com",
                date(r.randint(1955, 2004), r.randint(1, 12), r.randint(1, 28)),
                city[0],
                city[1],
                f"{r.randint(1, 9999)} {r.choice(['Oak', 'Maple', 'Main', 'Cedar', 'Elm', 'Park'])} St",
                f"{r.randint(10000, 99999)}",
                "DRIVERS_LICENSE",
                f"D{r.randint(10**7, 10**8 - 1)}",
            )
        )
        for cur in currencies:
            code = f"{ref}-{cur}"
            c.accounts[cur] = code
            self.account_specs.append((ref, code, cur))
        for label in extra:  # second account in a currency, e.g. "SAV-USD"
            code = f"{ref}-{label}"
            c.accounts[label] = code
            self.account_specs.append((ref, code, label.rsplit("-", 1)[1]))
        self.custs.append(c)
        return c

    # -- events ------------------------------------------------------------------------------------
    def t(self, day: float, hour: int | None = None) -> datetime:
        r = self.rng
        base = START + timedelta(days=int(day // 1))
        if hour is None:
            hour = r.randint(8, 19)
        return base + timedelta(hours=hour, minutes=r.randint(0, 59), seconds=r.randint(0, 59))

    def ref(self, tag: str) -> str:
        self.seq += 1
        return f"q{self.seed}:{tag}:{self.seq}"

    def add(self, when: datetime, kind: str, data: Any) -> None:
        self.seq += 1
        self.events.append(Ev(when, self.seq, kind, data))

    def cash_in(self, acct: str, amt: Amount, when: datetime, branch: str | None = None) -> None:
        branch = branch or self.branch()
        self.add(when, "move", cash_deposit(self.ref("cd"), acct, money(amt), location=branch, effective_at=when))

    def cash_out(self, acct: str, amt: Amount, when: datetime, where: str | None = None) -> None:
        where = where or f"ATM-{self.rng.choice(BRANCH_CITIES)}-{self.rng.randint(100, 999)}"
        self.add(when, "move", cash_withdrawal(self.ref("cw"), acct, money(amt), location=where, effective_at=when))

    def branch(self) -> str:
        return f"BR-{self.rng.choice(BRANCH_CITIES)}-{self.rng.randint(1, 60):03d}"

    def wire_in(self, acct: str, amt: Amount, when: datetime, cp: Counterparty, desc: str | None = None) -> None:
        self.add(
            when, "move", wire_in(self.ref("wi"), acct, money(amt), sender=cp, effective_at=when, description=desc)
        )

    def wire_out(self, acct: str, amt: Amount, when: datetime, cp: Counterparty, desc: str | None = None) -> None:
        self.add(
            when,
            "move",
            wire_out(self.ref("wo"), acct, money(amt), beneficiary=cp, effective_at=when, description=desc),
        )

    def ach_in(self, acct: str, amt: Amount, when: datetime, cp: Counterparty, desc: str | None = None) -> None:
        self.add(when, "move", ach_in(self.ref("ai"), acct, money(amt), sender=cp, effective_at=when, description=desc))

    def ach_out(self, acct: str, amt: Amount, when: datetime, cp: Counterparty, desc: str | None = None) -> None:
        self.add(
            when, "move", ach_out(self.ref("ao"), acct, money(amt), beneficiary=cp, effective_at=when, description=desc)
        )

    def p2p(self, a: str, b: str, amt: Amount, when: datetime, desc: str | None = None) -> None:
        self.add(when, "move", p2p(self.ref("pp"), a, b, money(amt), effective_at=when, description=desc))

    def p2p_in(self, acct: str, amt: Amount, when: datetime, cp: Counterparty, desc: str | None = None) -> None:
        self.add(when, "move", p2p_in(self.ref("pi"), acct, money(amt), payer=cp, effective_at=when, description=desc))

    def p2p_out(self, acct: str, amt: Amount, when: datetime, cp: Counterparty, desc: str | None = None) -> None:
        self.add(when, "move", p2p_out(self.ref("po"), acct, money(amt), payee=cp, effective_at=when, description=desc))

    def card(self, acct: str, amt: Amount, when: datetime, merchant: str) -> None:
        cur = acct.rsplit("-", 1)[1]
        self.add(
            when,
            "card",
            Transfer(
                self.ref("card"),
                [Leg.debit(acct, money(amt)), Leg.credit(f"CARD-SETTLEMENT-{cur}", money(amt))],
                merchant,
                None,
                when,
                channel="CARD",
                counterparty=Counterparty(merchant),
            ),
        )

    def fx(self, src: str, dst: str, amt: Amount, when: datetime) -> None:
        self.add(when, "fx", (self.ref("fx"), src, dst, money(amt)))

    def drain(self, acct: str, share: float, when: datetime, how: str, cp: Counterparty) -> None:
        """Move `share` of the account's available balance at posting time out via `how`."""
        self.add(when, "drain", (acct, share, how, cp))

    def send(self, how: str, acct: str, amt: Amount, when: datetime, cp: Counterparty) -> None:
        {"wire": self.wire_out, "ach": self.ach_out, "p2p": self.p2p_out}[how](acct, amt, when, cp)

    # -- ordinary life (background) ----------------------------------------------------------------
    def opening(self, c: Cust, acct: str, amt: Amount, day: float) -> None:
        day = max(day, c.onboard + 1)
        self.ach_in(
            acct, amt, self.t(day), Counterparty(c.name, None, self.rng.choice(BANKS_US), "US"), "OPENING DEPOSIT"
        )

    def retail_life(
        self,
        c: Cust,
        acct: str,
        d0: int,
        d1: int,
        salary: float,
        *,
        rent: bool = True,
        cash: bool = True,
        employer: str | None = None,
        spend_share: float = 0.55,
    ) -> None:
        """Salary (ACH, biweekly or monthly), rent, utilities, card spending, occasional ATM cash."""
        r = self.rng
        d0 = max(d0, c.onboard + 1)
        employer = employer or r.choice(EMPLOYERS)
        every = r.choice([14, 30])
        pay = salary * every / 30
        emp = Counterparty(employer, f"{r.randint(10**8, 10**9 - 1)}", r.choice(BANKS_US), "US")
        first = d0 + r.randint(0, 3)
        d = first
        while d < d1:
            self.ach_in(acct, money(pay * r.uniform(0.97, 1.03)), self.t(d, 6), emp, f"PAYROLL {employer.upper()}")
            d += every
        landlord = Counterparty(
            r.choice(
                [
                    "Oak Street Holdings",
                    "Greystar Residential",
                    "Equity Residential",
                    "Harbor Point Rentals",
                    "Avalon Communities",
                ]
            ),
            None,
            None,
            "US",
        )
        util = r.sample(UTILITIES, 2)
        for m in range(d0 // 30, d1 // 30 + 1):
            if rent and d0 + 3 <= m * 30 + 2 < d1:
                self.ach_out(acct, money(salary * r.uniform(0.22, 0.3)), self.t(m * 30 + 2), landlord)
            for u in util:
                dd = m * 30 + r.randint(5, 25)
                if d0 + 5 <= dd < d1:
                    self.ach_out(acct, money(r.uniform(40, 160)), self.t(dd), Counterparty(u, None, None, "US"))
        # card spending
        budget_per_day = salary * spend_share * 0.5 / 30
        for d in range(d0 + 2, d1):
            if r.random() < 0.6:
                m = r.choice(MERCHANTS)
                amt = min(r.uniform(m[2], m[3]), budget_per_day * 3)
                self.card(acct, max(3, amt), self.t(d), m[0])
            if cash and r.random() < 0.04:
                self.cash_out(acct, r.choice([40, 60, 100, 200]), self.t(d))

    def business_life(
        self, c: Cust, acct: str, d0: int, d1: int, monthly_revenue: float, *, processor: bool = True
    ) -> None:
        """Daily card-processor payouts or client ACH receipts, suppliers, rent, utilities, taxes."""
        r = self.rng
        d0 = max(d0, c.onboard + 1)
        proc = Counterparty(
            r.choice(["Square Inc", "Stripe Payments", "Clover Merchant Services", "Toast Payouts"]), None, None, "US"
        )
        for d in range(d0, d1):
            if processor and (START + timedelta(days=d)).weekday() < 6:
                self.ach_in(
                    acct,
                    money(monthly_revenue / 26 * r.uniform(0.6, 1.4)),
                    self.t(d, 7),
                    proc,
                    f"{proc.name.upper()} PAYOUT",
                )
        if not processor:
            clients = [
                Counterparty(
                    f"{r.choice(LAST)} {r.choice(['Corp', 'LLC', 'Partners', 'Inc'])}", None, r.choice(BANKS_US), "US"
                )
                for _ in range(r.randint(4, 10))
            ]
            for m in range(d0 // 30, d1 // 30 + 1):
                for cl in clients:
                    dd = m * 30 + r.randint(0, 29)
                    if d0 <= dd < d1:
                        self.ach_in(acct, money(monthly_revenue / len(clients) * r.uniform(0.7, 1.3)), self.t(dd), cl)
        suppliers = [
            Counterparty(
                f"{r.choice(LAST)} {r.choice(['Supply Co', 'Wholesale', 'Distributors'])}",
                None,
                r.choice(BANKS_US),
                "US",
            )
            for _ in range(r.randint(2, 5))
        ]
        for w in range(d0 // 7 + 1, d1 // 7):
            s = r.choice(suppliers)
            self.ach_out(acct, money(monthly_revenue * r.uniform(0.05, 0.09)), self.t(w * 7 + r.randint(0, 4)), s)
        for m in range(d0 // 30 + 1, d1 // 30 + 1):
            if m * 30 + 1 < d1:
                self.ach_out(
                    acct,
                    money(monthly_revenue * r.uniform(0.06, 0.1)),
                    self.t(m * 30 + 1),
                    Counterparty(f"{r.choice(LAST)} Commercial Properties", None, None, "US"),
                )
                self.ach_out(
                    acct,
                    money(r.uniform(150, 700)),
                    self.t(m * 30 + r.randint(8, 20)),
                    Counterparty(r.choice(UTILITIES), None, None, "US"),
                )

    # -- labels ------------------------------------------------------------------------------------
    def label(self, fam: str, cls: str, custs: list[Cust], shape: dict[str, Any]) -> None:
        k = sum(1 for v in self.labels.values() if v["family"] == fam) + 1
        self.labels[f"{fam}#{k}"] = {
            "family": fam,
            "class": cls,
            "customers": [c.ref for c in custs],
            "accounts": [a for c in custs for a in c.accounts.values()],
            "shape": shape,
        }

    def anchor(self, lo: int = 15, hi: int = 105) -> int:
        return self.rng.randint(lo, hi)

    def occupation(self, kind: str) -> str:
        return self.rng.choice(
            {
                "retail": [
                    "warehouse worker",
                    "nurse",
                    "teacher",
                    "sales associate",
                    "electrician",
                    "accountant",
                    "truck driver",
                    "software developer",
                    "chef",
                    "barber",
                    "real estate agent",
                ],
                "young": ["student", "delivery driver", "retail clerk", "barista", "gig worker"],
                "biz": [
                    "restaurant owner",
                    "construction contractor",
                    "import/export trader",
                    "car dealer",
                    "convenience store owner",
                    "consultant",
                ],
            }[kind]
        )


# =================================================================================================
# laundering families
# =================================================================================================
def structuring(g: Gen) -> None:
    r = g.rng
    a = g.anchor(20, 100)
    c = g.customer(
        "RETAIL",
        g.occupation("retail"),
        onboarded_day=a - r.randint(40, 300),
        extra=("SAV-USD",) if r.random() < 0.4 else (),
    )
    acct = c.accounts["USD"]
    d0 = a - r.randint(25, 60)
    g.opening(c, acct, r.uniform(500, 3000), d0)
    g.retail_life(c, acct, d0, a + 20, r.uniform(2500, 5000))
    n = r.randint(3, 9)
    span = r.randint(2, 7)
    branches = [g.branch() for _ in range(r.randint(1, 4))]
    deps = []
    for _ in range(n):
        amt = r.choice([r.uniform(7000, 9950), r.choice([9000, 9500, 9800, 9900, 8500]), r.uniform(8800, 9990)])
        if r.random() < 0.5:
            amt = round(amt, -2)
        day = a + r.randint(0, span - 1)
        target = c.accounts.get("SAV-USD") if ("SAV-USD" in c.accounts and r.random() < 0.4) else acct
        g.cash_in(target, amt, g.t(day, r.randint(9, 16)), r.choice(branches))
        deps.append((day - a, round(amt, 2)))
    out = None
    if r.random() < 0.6:
        share = r.uniform(0.5, 0.85)
        cp = g.outside(r.choice(SHELLS), r.choice(["HK", "AE", "TR", "MX", "PA"]))
        # from the main account only what it received (deposits into savings stay)
        g.drain(acct, share, g.t(a + span + r.randint(1, 6)), "wire", cp)
        out = f"then wire {share:.0%} of the main account's balance to {cp.name} ({cp.country})"
    g.label(
        "structuring",
        "laundering",
        [c],
        {
            "deposits(day,amount)": sorted(deps),
            "branches": len(branches),
            "span_days": span,
            "total": round(sum(x for _, x in deps)),
            "accounts": len(c.accounts),
            "then": out,
        },
    )


def smurfing(g: Gen) -> None:
    r = g.rng
    a = g.anchor(20, 100)
    k = r.randint(3, 7)
    internal = r.random() < 0.5
    smurfs = []
    bene_c = None
    if internal:
        bene_c = g.customer("RETAIL", g.occupation("biz"), onboarded_day=a - r.randint(10, 90))
        g.opening(bene_c, bene_c.accounts["USD"], r.uniform(200, 1500), a - r.randint(5, 30))
    bene = g.outside(r.choice([*SHELLS, g.person_name()]), r.choice(["US", "MX", "HK", "CO", "TR"]))
    how_out = r.choice(["wire", "ach", "p2p"]) if bene.country == "US" else "wire"
    totals = []
    for _ in range(k):
        s = g.customer(r.choice(["RETAIL", "STUDENT"]), g.occupation("young"), onboarded_day=a - r.randint(5, 120))
        acct = s.accounts["USD"]
        g.opening(s, acct, r.uniform(50, 400), a - r.randint(3, 20))
        smurfs.append(s)
        tot = 0.0
        for _ in range(r.randint(1, 3)):
            amt = r.uniform(800, 3800)
            when = g.t(a + r.randint(0, 3), r.randint(9, 16))
            if r.random() < 0.6:
                g.cash_in(acct, amt, when)
            else:
                g.p2p_in(acct, amt, when, g.outside())
            tot += amt
        send = tot * r.uniform(0.85, 0.99)
        when = g.t(a + r.randint(4, 6))
        if internal:
            g.p2p(acct, bene_c.accounts["USD"], send, when)
        else:
            g.send(how_out, acct, send, when, bene)
        totals.append(round(send))
    custs = smurfs + ([bene_c] if bene_c else [])
    if internal:
        out = g.outside(r.choice(SHELLS), r.choice(["HK", "AE", "CN", "MX"]))
        g.drain(bene_c.accounts["USD"], r.uniform(0.85, 0.98), g.t(a + r.randint(7, 9)), "wire", out)
    g.label(
        "smurfing",
        "laundering",
        custs,
        {
            "smurfs": k,
            "beneficiary": "in-bank customer then wire abroad"
            if internal
            else f"outside {bene.name} ({bene.country}) via {how_out}",
            "per_smurf_sent": totals,
            "window_days": "0-6",
        },
    )


def cash_rapid_out(g: Gen) -> None:
    r = g.rng
    a = g.anchor(20, 100)
    biz = r.random() < 0.4
    c = g.customer(
        "SMALL_BUSINESS" if biz else "RETAIL",
        g.occupation("biz" if biz else "retail"),
        onboarded_day=a - r.randint(20, 400),
    )
    acct = c.accounts["USD"]
    d0 = a - r.randint(20, 60)
    g.opening(c, acct, r.uniform(500, 3000), d0)
    if biz:
        g.business_life(c, acct, d0, a + 10, r.uniform(8000, 20000))
    else:
        g.retail_life(c, acct, d0, a + 10, r.uniform(2500, 5000))
    n = r.randint(1, 4)
    amts = [r.uniform(4000, 25000) for _ in range(n)]
    while sum(amts) < 8000:
        amts = [r.uniform(4000, 25000) for _ in range(n)]
    total = 0.0
    for amt in amts:
        g.cash_in(acct, amt, g.t(a + r.randint(0, 2), r.randint(9, 15)))
        total += amt
    share = r.uniform(0.75, 0.97)
    delay = r.randint(0, 3)
    cp = g.outside(r.choice(SHELLS), r.choice(["HK", "AE", "TR", "PA", "CN", "CY"]))
    parts = r.randint(1, 3)
    for p in range(parts):
        g.wire_out(acct, total * share / parts, g.t(a + 2 + delay, 16 + p), cp)
    g.label(
        "cash_rapid_out",
        "laundering",
        [c],
        {
            "cash_deposits": n,
            "cash_total": round(total),
            "out_share": round(share, 2),
            "out_wires": parts,
            "delay_days_after_last_deposit": f"<= {2 + delay}",
            "to": f"{cp.name} {cp.country}",
        },
    )


def funnel(g: Gen) -> None:
    r = g.rng
    a = g.anchor(20, 100)
    c = g.customer(r.choice(["STUDENT", "RETAIL"]), g.occupation("young"), onboarded_day=a - r.randint(3, 40))
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(20, 300), a - r.randint(1, 3))
    n = r.randint(6, 20)
    span = r.randint(3, 14)
    total = 0.0
    ins = []
    for _ in range(n):
        amt = r.uniform(200, 3000)
        day = a + r.randint(0, span)
        cp = g.outside(country=r.choice(["US"] * 4 + ["GB", "CA"]))
        how = r.choice(["p2p", "ach", "wire"]) if cp.country == "US" else "wire"
        {"p2p": g.p2p_in, "ach": g.ach_in, "wire": g.wire_in}[how](acct, amt, g.t(day), cp)
        ins.append((day, amt))
        total += amt
    bene = [
        g.outside(r.choice([*SHELLS, g.person_name()]), r.choice(["NG", "HK", "AE", "MX", "US"]))
        for _ in range(r.randint(1, 2))
    ]
    share = r.uniform(0.7, 0.95)
    lag = r.randint(1, 4)
    # sweep every `lag` days what arrived since the last sweep
    day = a + lag
    ins.sort()
    swept = 0.0
    while day <= a + span + lag:
        arrived = sum(x for d, x in ins if d < day) - swept
        if arrived > 100:
            amt = arrived * share
            if r.random() < 0.2 and amt < 1000:
                g.cash_out(acct, round(amt, -1), g.t(day))
            else:
                b = r.choice(bene)
                g.send("wire" if b.country != "US" else r.choice(["wire", "p2p"]), acct, amt, g.t(day), b)
            swept += arrived
        day += lag
    g.label(
        "funnel_mule",
        "laundering",
        [c],
        {
            "payers": n,
            "span_days": span,
            "total_in": round(total),
            "out_share": round(share, 2),
            "sweep_every_days": lag,
            "beneficiaries": [f"{b.name} {b.country}" for b in bene],
        },
    )


def _funded_inbank(
    g: Gen, n: int, a: int, amount_lo: float, amount_hi: float, segs: tuple[str, ...] = ("RETAIL",)
) -> list[Cust]:
    """New in-bank customers funded shortly before day a (cash, ACH from own account or wire in)."""
    r = g.rng
    out = []
    for _ in range(n):
        c = g.customer(
            r.choice(segs), g.occupation(r.choice(["retail", "young", "biz"])), onboarded_day=a - r.randint(10, 200)
        )
        acct = c.accounts["USD"]
        amt = r.uniform(amount_lo, amount_hi)
        how = r.choice(["ach", "wire", "cash"])
        when = g.t(a - r.randint(1, 6))
        c.funded = amt
        if how == "ach":
            g.ach_in(acct, amt, when, Counterparty(c.name, None, r.choice(BANKS_US), "US"))
        elif how == "wire":
            g.wire_in(acct, amt, when, g.outside(r.choice(SHELLS), r.choice(["HK", "AE", "GB", "CY"])))
        else:
            for part in range(r.randint(1, 2)):
                g.cash_in(acct, amt / 2 if part else amt, when)
        out.append(c)
    return out


def fan_out(g: Gen) -> None:
    r = g.rng
    a = g.anchor(20, 100)
    hub = g.customer(r.choice(["RETAIL", "SMALL_BUSINESS"]), g.occupation("biz"), onboarded_day=a - r.randint(10, 150))
    acct = hub.accounts["USD"]
    g.opening(hub, acct, r.uniform(200, 2000), a - r.randint(5, 20))
    total = 0.0
    t_in = g.t(a, 9)
    for i in range(r.randint(1, 2)):
        amt = r.uniform(30000, 150000)
        g.wire_in(
            acct, amt, t_in - timedelta(minutes=i), g.outside(r.choice(SHELLS), r.choice(["HK", "AE", "CY", "GB"]))
        )
        total += amt
    k = r.randint(5, 15)
    inbank = r.randint(0, k // 2)
    recips = [g.customer("RETAIL", g.occupation("young"), onboarded_day=a - r.randint(5, 200)) for _ in range(inbank)]
    weights = [r.uniform(0.5, 1.5) for _ in range(k)]
    share = r.uniform(0.8, 0.98)
    span = r.randint(1, 3)
    for i in range(k):
        amt = total * share * weights[i] / sum(weights)
        when = t_in + timedelta(hours=r.uniform(1, 24 * span))
        if i < inbank:
            g.p2p(acct, recips[i].accounts["USD"], amt, when)
        else:
            g.send(r.choice(["wire", "ach", "p2p"]), acct, amt, when, g.outside(country="US"))
    g.label(
        "fan_out",
        "laundering",
        [hub, *recips],
        {
            "inflow": round(total),
            "recipients": k,
            "in_bank_recipients": inbank,
            "share_out": round(share, 2),
            "span_days": span,
        },
    )


def fan_in(g: Gen) -> None:
    r = g.rng
    a = g.anchor(20, 100)
    hub = g.customer("RETAIL", g.occupation(r.choice(["retail", "young"])), onboarded_day=a - r.randint(10, 150))
    acct = hub.accounts["USD"]
    g.opening(hub, acct, r.uniform(100, 1500), a - r.randint(5, 20))
    k = r.randint(5, 15)
    inbank = r.randint(0, k // 2 + 1)
    senders = _funded_inbank(g, inbank, a, 2000, 12000)
    span = r.randint(1, 4)
    total = 0.0
    for i in range(k):
        amt = r.uniform(1500, 9500)
        when = g.t(a + r.randint(0, span))
        if i < inbank:
            amt = senders[i].funded * r.uniform(0.5, 0.95)
            g.p2p(senders[i].accounts["USD"], acct, amt, when)
        else:
            cp = g.outside(country=r.choice(["US", "US", "GB", "CA"]))
            (g.wire_in if cp.country != "US" or r.random() < 0.4 else r.choice([g.ach_in, g.p2p_in]))(
                acct, amt, when, cp
            )
        total += amt
    out = g.outside(r.choice(SHELLS), r.choice(["HK", "AE", "TR", "CN"]))
    share = r.uniform(0.8, 0.97)
    g.drain(acct, share, g.t(a + span + r.randint(1, 3)), "wire", out)
    g.label(
        "fan_in",
        "laundering",
        [hub, *senders],
        {
            "senders": k,
            "in_bank_senders": inbank,
            "total_in": round(total),
            "span_days": span,
            "then": f"wire {share:.0%} to {out.country}",
        },
    )


def cycle(g: Gen) -> None:
    r = g.rng
    a = g.anchor(20, 100)
    n = r.randint(3, 6)
    nodes = _funded_inbank(g, 1, a, 20000, 100000, segs=("RETAIL", "SMALL_BUSINESS"))
    nodes += [
        g.customer(r.choice(["RETAIL", "SMALL_BUSINESS"]), g.occupation("biz"), onboarded_day=a - r.randint(5, 200))
        for _ in range(n - 1)
    ]
    amt = nodes[0].funded * r.uniform(0.7, 0.95)
    when = g.t(a, 10)
    hops = []
    for i in range(n):
        src, dst = nodes[i], nodes[(i + 1) % n]
        g.p2p(
            src.accounts["USD"],
            dst.accounts["USD"],
            amt,
            when,
            r.choice(["INVOICE", "CONSULTING FEE", "LOAN", "SERVICES", None]),
        )
        hops.append(round(amt))
        amt *= r.uniform(0.95, 0.995)
        when = when + timedelta(hours=r.uniform(2, 30))
    # duration_h is approximate: measured to one step past the last hop, from a fresh draw of the first hop's
    # hour (that draw is kept: a seed must plan the same cases)
    g.label(
        "cycle",
        "laundering",
        nodes,
        {"length": n, "hop_amounts": hops, "duration_h": round((when - g.t(a, 10)).total_seconds() / 3600)},
    )


def scatter_gather(g: Gen) -> None:
    r = g.rng
    a = g.anchor(20, 100)
    src = _funded_inbank(g, 1, a, 40000, 150000)[0]
    k = r.randint(3, 8)
    mids = [g.customer("RETAIL", g.occupation("young"), onboarded_day=a - r.randint(5, 200)) for _ in range(k)]
    sink = g.customer(r.choice(["RETAIL", "SMALL_BUSINESS"]), g.occupation("biz"), onboarded_day=a - r.randint(5, 200))
    base = r.uniform(3000, 4900) * k
    for m in mids:
        amt = base / k * r.uniform(0.8, 1.2)
        g.p2p(src.accounts["USD"], m.accounts["USD"], amt, g.t(a, r.randint(9, 13)))
        g.p2p(m.accounts["USD"], sink.accounts["USD"], amt * r.uniform(0.9, 0.99), g.t(a + r.randint(1, 3)))
    out = g.outside(r.choice(SHELLS), r.choice(["HK", "AE", "CY"]))
    g.drain(sink.accounts["USD"], r.uniform(0.85, 0.98), g.t(a + 4 + r.randint(0, 2)), "wire", out)
    g.label(
        "scatter_gather",
        "laundering",
        [src, *mids, sink],
        {"intermediaries": k, "amount": round(base), "then": "sink wires out"},
    )


def gather_scatter(g: Gen) -> None:
    r = g.rng
    a = g.anchor(20, 100)
    k = r.randint(3, 8)
    m = r.randint(3, 8)
    srcs = _funded_inbank(g, k, a, 4000, 15000)
    hub = g.customer(r.choice(["RETAIL", "SMALL_BUSINESS"]), g.occupation("biz"), onboarded_day=a - r.randint(5, 200))
    total = 0.0
    for s in srcs:
        amt = r.uniform(3000, 3900)
        g.p2p(s.accounts["USD"], hub.accounts["USD"], amt, g.t(a + r.randint(0, 1)))
        total += amt
    inbank = r.randint(0, m)
    dsts = [g.customer("RETAIL", g.occupation("young"), onboarded_day=a - r.randint(5, 200)) for _ in range(inbank)]
    share = r.uniform(0.85, 0.98)
    for i in range(m):
        amt = total * share / m
        when = g.t(a + 2 + r.randint(0, 2))
        if i < inbank:
            g.p2p(hub.accounts["USD"], dsts[i].accounts["USD"], amt, when)
        else:
            g.send(r.choice(["wire", "ach"]), hub.accounts["USD"], amt, when, g.outside(country=r.choice(["US", "MX"])))
    g.label(
        "gather_scatter",
        "laundering",
        [*srcs, hub, *dsts],
        {"sources": k, "destinations": m, "in_bank_destinations": inbank, "total": round(total)},
    )


def bipartite(g: Gen) -> None:
    r = g.rng
    a = g.anchor(20, 100)
    ns, nr = r.randint(2, 5), r.randint(2, 5)
    senders = _funded_inbank(g, ns, a, 20000, 60000)
    recv = [
        g.customer(r.choice(["RETAIL", "SMALL_BUSINESS"]), g.occupation("biz"), onboarded_day=a - r.randint(5, 200))
        for _ in range(nr)
    ]
    edges = 0
    for s in senders:
        picks = r.sample(recv, r.randint(2, nr))
        for rc in picks:
            g.p2p(
                s.accounts["USD"],
                rc.accounts["USD"],
                s.funded * r.uniform(0.6, 0.95) / len(picks),
                g.t(a + r.randint(0, 3)),
            )
            edges += 1
    for rc in recv:
        if r.random() < 0.6:
            g.drain(
                rc.accounts["USD"],
                r.uniform(0.8, 0.97),
                g.t(a + 5 + r.randint(0, 2)),
                "wire",
                g.outside(r.choice(SHELLS), r.choice(["HK", "AE", "CY", "GB"])),
            )
    g.label("bipartite", "laundering", senders + recv, {"senders": ns, "receivers": nr, "edges": edges})


def stack_chain(g: Gen) -> None:
    r = g.rng
    a = g.anchor(20, 100)
    hops = r.randint(2, 5)
    nodes = [
        g.customer(
            r.choice(["RETAIL", "SMALL_BUSINESS", "STUDENT"]),
            g.occupation(r.choice(["young", "biz"])),
            onboarded_day=a - r.randint(5, 200),
        )
        for _ in range(hops + 1)
    ]
    amt = r.uniform(20000, 200000)
    when = g.t(a, r.randint(8, 12))
    g.wire_in(nodes[0].accounts["USD"], amt, when, g.outside(r.choice(SHELLS), r.choice(["HK", "CY", "AE", "LV"])))
    amounts = [round(amt)]
    total_h = r.uniform(6, 46)
    for i in range(hops):
        amt *= r.uniform(0.92, 0.995)
        when = when + timedelta(hours=total_h / (hops + 1) * r.uniform(0.6, 1.4))
        g.p2p(nodes[i].accounts["USD"], nodes[i + 1].accounts["USD"], amt, when)
        amounts.append(round(amt))
    amt *= r.uniform(0.92, 0.995)
    when = when + timedelta(hours=total_h / (hops + 1))
    g.wire_out(nodes[-1].accounts["USD"], amt, when, g.outside(r.choice(SHELLS), r.choice(["HK", "AE", "PA", "TR"])))
    g.label(
        "stack_chain",
        "laundering",
        nodes,
        {"hops_in_bank": hops, "amounts": [*amounts, round(amt)], "hours": round(total_h)},
    )


def dormant(g: Gen) -> None:
    r = g.rng
    a = g.anchor(60, 110)
    c = g.customer(r.choice(["RETAIL", "PREMIUM"]), g.occupation("retail"), onboarded_day=a - r.randint(400, 1500))
    acct = c.accounts["USD"]
    quiet = r.randint(95, 200)
    d1 = a - quiet
    d0 = d1 - r.randint(60, 150)
    g.opening(c, acct, r.uniform(3000, 30000), d0)
    g.retail_life(c, acct, d0, d1, r.uniform(3000, 6000), cash=False, spend_share=0.4)
    mode = r.choice(["in_out", "drain"])
    if mode == "in_out":
        n = r.randint(2, 8)
        tot = 0.0
        for _ in range(n):
            amt = r.uniform(5000, 40000)
            g.wire_in(
                acct,
                amt,
                g.t(a + r.randint(0, 5)),
                g.outside(r.choice([*SHELLS, g.person_name()]), r.choice(["US", "HK", "GB", "AE"])),
            )
            tot += amt
        g.drain(
            acct,
            r.uniform(0.8, 0.97),
            g.t(a + 6 + r.randint(0, 3)),
            r.choice(["wire", "ach"]),
            g.outside(r.choice(SHELLS), r.choice(["HK", "AE", "TR", "US"])),
        )
        shape = f"{n} inbound wires totalling {round(tot)} then most out"
    else:
        parts = r.randint(1, 3)
        cp = g.outside(r.choice([*SHELLS, g.person_name()]), r.choice(["HK", "AE", "NG", "RU", "US"]))
        for p in range(parts):
            g.drain(
                acct, 0.97 / (parts - p), g.t(a + p), "wire" if cp.country != "US" else r.choice(["wire", "p2p"]), cp
            )
        shape = f"drain of the prior balance in {parts} transfers to {cp.country}"
    g.label("dormant", "laundering", [c], {"quiet_days": quiet, "prior_activity_days": d1 - d0, "mode": shape})


def fx_round_trip(g: Gen) -> None:
    r = g.rng
    a = g.anchor(15, 80)  # ticks exist only for the base period
    mid = r.choice(["EUR", "EUR", "GBP"])
    c = g.customer(
        r.choice(["RETAIL", "PREMIUM", "SMALL_BUSINESS"]),
        g.occupation(r.choice(["retail", "biz"])),
        onboarded_day=a - r.randint(20, 300),
        currencies=("USD", mid),
    )
    usd = c.accounts["USD"]
    g.opening(c, usd, r.uniform(500, 5000), a - r.randint(10, 30))
    amt = r.uniform(20000, 150000)
    g.wire_in(usd, amt, g.t(a, 10), g.outside(r.choice(SHELLS), r.choice(["HK", "CY", "AE", "GB", "LV"])))
    # a second draw of the same hour, not the wire's own time (kept: a seed must plan the same cases); the
    # hours in the label are counted from it, so they can be off by up to one hour
    t_in = g.t(a, 10)
    t1 = t_in + timedelta(hours=r.uniform(1, 60))
    g.fx(usd, c.accounts[mid], amt * r.uniform(0.95, 1.0), t1)
    splits = r.randint(1, 2)
    t2 = t1 + timedelta(hours=r.uniform(1, 72))
    for s in range(splits):
        g.add(t2 + timedelta(hours=s * r.uniform(0.5, 6)), "fxall", (c.accounts[mid], usd, 1.0 / (splits - s)))
    t3 = t2 + timedelta(hours=r.uniform(7, 48))
    g.drain(usd, r.uniform(0.85, 0.97), t3, "wire", g.outside(r.choice(SHELLS), r.choice(["HK", "AE", "TR"])))

    def h(x: datetime) -> int:
        return round((x - t_in).total_seconds() / 3600)

    g.label(
        "fx_round_trip",
        "laundering",
        [c],
        {
            "via": mid,
            "amount": round(amt),
            "hours_after_wire_in(fx_out,fx_back,wire_out)": [h(t1), h(t2), h(t3)],
            "back_conversions": splits,
        },
    )


def account_takeover(g: Gen) -> None:
    r = g.rng
    a = g.anchor(40, 110)
    c = g.customer(r.choice(["RETAIL", "PREMIUM"]), g.occupation("retail"), onboarded_day=a - r.randint(300, 2000))
    acct = c.accounts["USD"]
    d0 = a - r.randint(60, 120)
    g.opening(c, acct, r.uniform(5000, 40000), d0)
    g.retail_life(c, acct, d0, a, r.uniform(3000, 7000))
    hour = r.choice([1, 2, 3, 4, 23, 13])
    when = g.t(a, hour)
    if r.random() < 0.5:
        g.p2p_out(acct, r.uniform(1, 5), when, g.outside())
    parts = r.randint(2, 4)
    payees = [
        g.outside(r.choice([g.person_name(), r.choice(SHELLS)]), r.choice(["US", "US", "GB", "NG", "RO"]))
        for _ in range(r.randint(1, parts))
    ]
    total_share = r.uniform(0.85, 1.0)
    for p in range(parts):
        when = when + timedelta(minutes=r.randint(3, 240))
        cp = payees[p % len(payees)]
        how = "wire" if cp.country != "US" else r.choice(["wire", "ach", "p2p"])
        g.drain(acct, total_share / (parts - p) if p < parts - 1 else total_share, when, how, cp)
    g.label(
        "account_takeover",
        "laundering",
        [c],
        {"payments": parts, "new_payees": len(payees), "share_drained": round(total_share, 2), "hour": hour},
    )


CYRILLIC = {
    "Dragomir Petrenko": "Драгомир Петренко",
    "Mikhail Zhdanovich": "Михаил Жданович",
    "Anatoly Voskresensky": "Анатолий Воскресенский",
}
ARABIC = {"Yusuf Al-Marzani": "يوسف المرزاني", "Farid Qasemi": "فريد قاسمي"}
TRANSLIT = {
    "Dragomir Petrenko": ["Dragomyr Petrenko", "Drahomir Petrenko"],
    "Mikhail Zhdanovich": ["Mihail Jdanovich", "Mikhail Shdanovitch", "Mikhayil Zhdanovych"],
    "Anatoly Voskresensky": ["Anatolii Voskresenskii", "Anatoliy Voskresenskiy"],
    "Yusuf Al-Marzani": ["Youssef El Marzani", "Yusef Al Marzany"],
    "Farid Qasemi": ["Fareed Kasemi", "Farid Qassimi", "Fried Qasemi"],
    "Lucia Benedetti-Ramos": ["Lucía Benedetti Ramos", "Lucia Ramos Benedetti"],
}


def name_variant(g: Gen, name: str, etype: str) -> tuple[str, str]:
    r = g.rng
    opts = []
    if name in CYRILLIC:
        opts.append(("cyrillic", CYRILLIC[name]))
    if name in ARABIC:
        opts.append(("arabic", ARABIC[name]))
    if name in TRANSLIT:
        opts.append(("transliteration", r.choice(TRANSLIT[name])))
    toks = name.replace("-", " ").split()
    if etype == "INDIVIDUAL":
        opts.append(("token_order", f"{toks[-1].upper()}, {' '.join(toks[:-1])}"))
        opts.append(("token_order", " ".join(reversed(toks))))
    else:
        suff = {"LLC": "L.L.C.", "SA": "S.A.", "Co": "Company Ltd", "FZE": "F.Z.E."}
        opts.append(("suffix", " ".join(suff.get(t, t) for t in toks)))
        opts.append(("spacing", name.replace(" ", "", 1)))
    # one-letter typo
    i = r.randint(1, len(name) - 2)
    opts.append(
        (
            "typo",
            name[:i] + name[i + 1] + name[i] + name[i + 2 :]
            if name[i] != " " and name[i + 1] != " "
            else name[:i] + name[i] * 2 + name[i + 1 :],
        )
    )
    opts.append(("case_punct", name.upper().replace("-", " ").replace(".", "")))
    return r.choice(opts)


def watchlist(g: Gen) -> None:
    r = g.rng
    a = g.anchor(20, 100)
    wid, name, etype, country, aliases = r.choice(g.watchlist)
    kind, variant = name_variant(g, name, etype)
    tries = 0
    while (variant in aliases or variant == name) and tries < 10:
        kind, variant = name_variant(g, name, etype)
        tries += 1
    c = g.customer(
        r.choice(["RETAIL", "SMALL_BUSINESS"]),
        g.occupation(r.choice(["retail", "biz"])),
        onboarded_day=a - r.randint(30, 400),
    )
    acct = c.accounts["USD"]
    d0 = a - r.randint(20, 60)
    g.opening(c, acct, r.uniform(15000, 40000), d0)
    g.retail_life(c, acct, d0, a + 15, r.uniform(3000, 6000))
    cp = Counterparty(variant, f"{country}{r.randint(10**10, 10**11 - 1)}", FOREIGN_BANKS.get(country), country)
    direction = r.choice(["out", "in", "both"])
    n = r.randint(1, 3)
    for i in range(n):
        when = g.t(a + i * r.randint(1, 5))
        amt = r.uniform(1500, 9000)
        if direction in ("in", "both"):
            g.wire_in(acct, amt, when, cp)
        if direction in ("out", "both"):
            g.wire_out(acct, amt * 0.9, when + timedelta(hours=2), cp)
    g.label(
        "watchlist_variant",
        "laundering",
        [c],
        {"entry": f"{wid} {name}", "variant": variant, "variant_kind": kind, "direction": direction, "payments": n},
    )


# =================================================================================================
# benign look-alikes
# =================================================================================================
def payroll(g: Gen) -> None:
    r = g.rng
    occ = r.choice(
        [
            "restaurant owner",
            "dental practice",
            "construction contractor",
            "software agency",
            "landscaping company",
            "auto repair shop",
            "accounting firm",
            "home care agency",
        ]
    )
    c = g.customer(
        "SMALL_BUSINESS",
        occ,
        onboarded_day=-r.randint(300, 2500),
        name=f"{r.choice(LAST)} {r.choice(['Holdings', 'Services', 'Group', 'Partners'])} LLC",
    )
    acct = c.accounts["USD"]
    n = r.randint(10, 60)
    pay = [r.uniform(1400, 4200) for _ in range(n)]
    freq = r.choice([14, 15, 30])
    run_total = sum(pay)
    monthly_payroll = run_total * 30 / freq
    d0 = r.randint(-60, -20)
    d1 = r.randint(95, 115)
    g.opening(c, acct, monthly_payroll * r.uniform(1.5, 2.5), d0 - 2)
    g.business_life(c, acct, d0, d1, monthly_payroll * r.uniform(2.0, 2.4), processor=r.random() < 0.5)
    emps = [g.outside(g.person_name(), "US") for _ in range(n)]
    via = r.choice(["ach", "ach", "ach", "p2p"])  # small firms sometimes pay staff via Zelle
    d = d0 + freq
    runs = 0
    while d < d1:
        when = g.t(d, r.randint(5, 9))
        for e, p in zip(emps, pay, strict=True):
            amt = p * r.uniform(0.93, 1.08)
            (g.ach_out if via == "ach" else g.p2p_out)(acct, amt, when + timedelta(seconds=r.randint(0, 600)), e)
        g.ach_out(
            acct,
            run_total * r.uniform(0.18, 0.25),
            g.t(d + 1),
            Counterparty("IRS EFTPS", None, None, "US"),
            "FEDERAL TAX DEPOSIT",
        )
        d += freq
        runs += 1
    g.label(
        "payroll",
        "benign",
        [c],
        {"employees": n, "every_days": freq, "runs": runs, "via": via, "run_total": round(run_total)},
    )


def landlord(g: Gen) -> None:
    r = g.rng
    c = g.customer(
        r.choice(["RETAIL", "PREMIUM"]),
        r.choice(["nurse", "engineer", "property investor", "teacher", "landlord", "pharmacist"]),
        onboarded_day=-r.randint(300, 2500),
    )
    acct = c.accounts["USD"]
    d0 = r.randint(-90, -45)
    d1 = r.randint(95, 118)
    g.opening(c, acct, r.uniform(3000, 15000), d0 - 2)
    g.retail_life(c, acct, d0, d1, r.uniform(3500, 8000), rent=False)
    k = r.randint(2, 6)
    tenants = [
        (g.outside(g.person_name(), "US"), r.uniform(900, 2800), r.choice(["wire", "ach", "p2p"])) for _ in range(k)
    ]
    bank = Counterparty(r.choice(MORTGAGE), f"{r.randint(10**9, 10**10 - 1)}", None, "US")
    months = 0
    for m in range(d0 // 30 + 1, d1 // 30 + 1):
        if m * 30 + 8 >= d1:
            break
        got = 0.0
        for cp, rent, how in tenants:
            dd = m * 30 + r.randint(0, 4)
            {"wire": g.wire_in, "ach": g.ach_in, "p2p": g.p2p_in}[how](acct, rent, g.t(dd), cp, "RENT")
            got += rent
        g.ach_out(acct, got * r.uniform(0.6, 0.95), g.t(m * 30 + 5 + r.randint(0, 3)), bank, "MORTGAGE PAYMENT")
        months += 1
    g.label(
        "landlord_mortgage",
        "benign",
        [c],
        {
            "tenants": k,
            "months": months,
            "channels": sorted({h for _, _, h in tenants}),
            "rent_total": round(sum(x for _, x, _ in tenants)),
        },
    )


def salary_bills(g: Gen) -> None:
    r = g.rng
    c = g.customer(
        r.choice(["RETAIL", "RETAIL", "PREMIUM"]), g.occupation("retail"), onboarded_day=-r.randint(200, 2500)
    )
    acct = c.accounts["USD"]
    d0 = r.randint(-60, -20)
    d1 = r.randint(95, 118)
    sal = r.uniform(2500, 9000)
    g.opening(c, acct, r.uniform(300, 2000), d0 - 1)
    emp = Counterparty(r.choice(EMPLOYERS), None, r.choice(BANKS_US), "US")
    payday = r.randint(0, 29)
    months = 0
    for m in range(d0 // 30 + 1, d1 // 30 + 1):
        pd = m * 30 + payday
        if not d0 <= pd < d1 - 7:
            continue
        g.ach_in(acct, sal, g.t(pd, 5), emp, f"PAYROLL {emp.name.upper()}")
        spent = 0.0
        bills = [
            ("rent", Counterparty("Greystar Residential", None, None, "US"), r.uniform(0.25, 0.35)),
            ("utility", Counterparty(r.choice(UTILITIES), None, None, "US"), r.uniform(0.02, 0.04)),
            (
                "phone",
                Counterparty(r.choice(["Verizon Wireless", "AT&T Mobility", "T-Mobile"]), None, None, "US"),
                r.uniform(0.01, 0.03),
            ),
            ("insurance", Counterparty(r.choice(INSURERS), None, None, "US"), r.uniform(0.03, 0.06)),
            ("card", Counterparty(r.choice(CARD_ISSUERS), None, None, "US"), r.uniform(0.15, 0.3)),
            ("car loan", Counterparty(r.choice(AUTO_LENDERS), None, None, "US"), r.uniform(0.0, 0.1)),
        ]
        for name, cp, share in bills:
            if share < 0.01:
                continue
            g.ach_out(acct, sal * share, g.t(pd + r.randint(0, 6)), cp, name.upper())
            spent += sal * share
        for _ in range(r.randint(5, 12)):
            mer = r.choice(MERCHANTS)
            amt = r.uniform(mer[2], mer[3])
            if spent + amt > sal * 0.95:
                break
            g.card(acct, amt, g.t(pd + r.randint(0, 6)), mer[0])
            spent += amt
        months += 1
    g.label("salary_bills", "benign", [c], {"salary": round(sal), "months": months, "spent_within_week": "80-95%"})


def large_purchase(g: Gen) -> None:
    r = g.rng
    c = g.customer(
        r.choice(["RETAIL", "PREMIUM"]),
        g.occupation("retail"),
        onboarded_day=-r.randint(200, 2500),
        extra=("SAV-USD",) if r.random() < 0.5 else (),
    )
    acct = c.accounts["USD"]
    d0 = r.randint(-90, -40)
    a = r.randint(20, 105)
    savings = r.uniform(20000, 90000)
    sav = c.accounts.get("SAV-USD", acct)
    g.opening(c, sav, savings, d0 - 1)
    if sav != acct:
        g.opening(c, acct, r.uniform(1000, 4000), d0 - 1)
    g.retail_life(c, acct, d0, a + 20, r.uniform(3500, 8000), spend_share=0.4)
    what = r.choice(["car", "house deposit", "boat", "home renovation"])
    price = savings * r.uniform(0.6, 0.95)
    if sav != acct:
        g.p2p(sav, acct, price, g.t(a - r.randint(0, 2), 9), "TRANSFER TO CHECKING")
    payee = {
        "car": Counterparty(
            f"{r.choice(['Toyota', 'Honda', 'Ford', 'Subaru'])} of {r.choice(CITIES)[0]}",
            None,
            r.choice(BANKS_US),
            "US",
        ),
        "house deposit": Counterparty(
            r.choice(["First American Title Escrow", "Fidelity National Title", "Chicago Title Company"]),
            None,
            None,
            "US",
        ),
        "boat": Counterparty("MarineMax", None, None, "US"),
        "home renovation": Counterparty(f"{r.choice(LAST)} Builders Inc", None, None, "US"),
    }[what]
    g.send(r.choice(["wire", "ach"]), acct, price, g.t(a, 11), payee)
    g.label(
        "large_purchase",
        "benign",
        [c],
        {"what": what, "price": round(price), "savings": round(savings), "via_savings_account": sav != acct},
    )


def family_transfers(g: Gen) -> None:
    r = g.rng
    country = r.choice(["MX", "IN", "PH", "PL", "VN", "NG", "GB", "CO", "KE"])
    c = g.customer(r.choice(["RETAIL", "PREMIUM"]), g.occupation("retail"), onboarded_day=-r.randint(200, 2500))
    acct = c.accounts["USD"]
    d0 = r.randint(-90, -40)
    d1 = r.randint(95, 118)
    sal = r.uniform(4000, 9000)
    g.opening(c, acct, r.uniform(2000, 8000), d0 - 1)
    g.retail_life(c, acct, d0, d1, sal, spend_share=0.35)
    last = c.name.split()[-1]
    kids = [g.outside(f"{r.choice(FIRST)} {last}", country) for _ in range(r.randint(1, 3))]
    monthly = sal * r.uniform(0.08, 0.25)
    day = r.randint(1, 25)
    for m in range(d0 // 30 + 1, d1 // 30 + 1):
        for k in kids:
            dd = m * 30 + day + r.randint(0, 2)
            if d0 < dd < d1:
                g.send(r.choice(["wire", "p2p"]), acct, monthly / len(kids) * r.uniform(0.9, 1.1), g.t(dd), k)
    # sibling split: siblings in the bank share a parent's bill
    sibs = []
    if r.random() < 0.6:
        for _ in range(r.randint(1, 3)):
            s = g.customer(
                "RETAIL", g.occupation("retail"), onboarded_day=-r.randint(100, 2000), name=f"{r.choice(FIRST)} {last}"
            )
            g.opening(s, s.accounts["USD"], r.uniform(2000, 6000), d0 - 1)
            g.retail_life(s, s.accounts["USD"], d0, d1, r.uniform(3000, 6000), spend_share=0.4)
            sibs.append(s)
        care = Counterparty(
            r.choice(["Sunrise Senior Living", "Brookdale Senior Living", "Home Instead"]), None, None, "US"
        )
        for m in range(d0 // 30 + 1, d1 // 30 + 1):
            dd = m * 30 + r.randint(3, 8)
            if not d0 + 5 < dd < d1 - 3:
                continue
            bill = r.uniform(2500, 6000)
            share = bill / (len(sibs) + 1)
            for s in sibs:
                g.p2p(s.accounts["USD"], acct, share, g.t(dd - r.randint(0, 2)), "Mom's care")
            g.ach_out(acct, bill, g.t(dd + 1), care)
    g.label(
        "family_transfers",
        "benign",
        [c, *sibs],
        {"children_abroad": len(kids), "country": country, "monthly": round(monthly), "siblings_in_bank": len(sibs)},
    )


def freelancer(g: Gen) -> None:
    r = g.rng
    c = g.customer(
        r.choice(["RETAIL", "SMALL_BUSINESS", "PREMIUM"]),
        r.choice(
            [
                "graphic designer",
                "software consultant",
                "copywriter",
                "photographer",
                "management consultant",
                "translator",
                "web developer",
            ]
        ),
        onboarded_day=-r.randint(200, 2500),
    )
    acct = c.accounts["USD"]
    d0 = r.randint(-90, -40)
    d1 = r.randint(95, 118)
    g.opening(c, acct, r.uniform(2000, 10000), d0 - 1)
    k = r.randint(3, 8)
    clients = []
    for _ in range(k):
        ctry = r.choice(["US", "US", "US", "GB", "DE", "CA"])
        cp = g.outside(f"{r.choice(LAST)} {r.choice(['Media', 'Labs', 'Studio', 'Corp', 'GmbH', 'Ltd'])}", ctry)
        clients.append((cp, r.uniform(1000, 8000), "wire" if ctry != "US" else r.choice(["ach", "wire"])))
    income = sum(x for _, x, _ in clients)
    for m in range(d0 // 30 + 1, d1 // 30 + 1):
        for cp, fee, how in clients:
            dd = m * 30 + r.randint(0, 20)
            if d0 < dd < d1:
                (g.wire_in if how == "wire" else g.ach_in)(
                    acct, fee * r.uniform(0.8, 1.2), g.t(dd), cp, f"INVOICE {r.randint(1000, 9999)}"
                )
        base = m * 30
        if d0 < base + 25 < d1:
            g.ach_out(
                acct,
                income * r.uniform(0.2, 0.3),
                g.t(base + 25),
                Counterparty(c.name, None, "Ally Bank", "US"),
                "TRANSFER TO SAVINGS",
            )
            g.ach_out(
                acct, r.uniform(1500, 3500), g.t(base + 1 + 30), Counterparty("Greystar Residential", None, None, "US")
            )
        if m % 3 == 0 and d0 < base + 15 < d1:
            g.ach_out(
                acct,
                income * r.uniform(0.5, 0.8),
                g.t(base + 15),
                Counterparty("IRS USATAXPYMT", None, None, "US"),
                "ESTIMATED TAX",
            )
    for d in range(d0 + 2, d1):
        if r.random() < 0.5:
            mer = r.choice([*MERCHANTS, ("ADOBE *CREATIVE CLD", "software", 55, 90), ("WEWORK", "office", 300, 600)])
            g.card(acct, r.uniform(mer[2], mer[3]), g.t(d), mer[0])
    g.label(
        "freelancer",
        "benign",
        [c],
        {
            "clients": k,
            "monthly_income": round(income),
            "foreign_clients": sum(1 for cp, _, _ in clients if cp.country != "US"),
        },
    )


def shop_cash(g: Gen) -> None:
    r = g.rng
    occ = r.choice(
        ["convenience store", "cafe", "laundromat", "food truck", "nail salon", "bodega", "hair salon", "pizzeria"]
    )
    c = g.customer(
        "SMALL_BUSINESS", f"{occ} owner", onboarded_day=-r.randint(300, 2500), name=f"{r.choice(LAST)}'s {occ.title()}"
    )
    acct = c.accounts["USD"]
    d0 = r.randint(-60, -20)
    d1 = r.randint(90, 115)
    level = r.uniform(700, 3200)
    g.opening(c, acct, r.uniform(3000, 10000), d0 - 1)
    home_city = r.choice(BRANCH_CITIES)
    branch = f"BR-{home_city}-{r.randint(1, 60):03d}"
    other = f"BR-{home_city}-{r.randint(1, 60):03d}"  # the other branch near the shop
    deps = []
    for d in range(d0, d1):
        wd = (START + timedelta(days=d)).weekday()
        if wd == 6 or (wd == 5 and r.random() < 0.5):
            continue
        amt = level * r.lognormvariate(0, 0.35) * (1.4 if wd == 4 else 1.0)
        amt = min(amt, 6500)
        g.cash_in(acct, amt, g.t(d, r.randint(16, 19)), branch if r.random() < 0.85 else other)
        deps.append(amt)
    monthly = level * 24
    g.business_life(c, acct, d0, d1, monthly * 0.5, processor=True)
    for m in range(d0 // 30 + 1, d1 // 30 + 1):
        if d0 < m * 30 + 10 < d1:
            g.ach_out(
                acct,
                monthly * r.uniform(0.2, 0.35),
                g.t(m * 30 + 10),
                Counterparty(c.name.split("'")[0] + " (owner draw)", None, r.choice(BANKS_US), "US"),
                "OWNER DRAW",
            )
    g.label(
        "shop_cash_takings",
        "benign",
        [c],
        {
            "business": occ,
            "deposits": len(deps),
            "mean": round(sum(deps) / len(deps)),
            "max": round(max(deps)),
            "days_2k_5k": sum(1 for x in deps if 2000 <= x <= 5000),
        },
    )


def car_sale(g: Gen) -> None:
    r = g.rng
    c = g.customer(r.choice(["RETAIL", "PREMIUM"]), g.occupation("retail"), onboarded_day=-r.randint(200, 2500))
    acct = c.accounts["USD"]
    d0 = r.randint(-60, -20)
    a = r.randint(15, 105)
    g.opening(c, acct, r.uniform(1000, 5000), d0 - 1)
    g.retail_life(c, acct, d0, a + 20, r.uniform(3000, 7000))
    price = r.uniform(8000, 35000)
    buyer = g.outside(g.person_name(), "US")
    how = r.choice(["p2p", "p2p", "wire", "ach"])
    {"p2p": g.p2p_in, "wire": g.wire_in, "ach": g.ach_in}[how](acct, price, g.t(a), buyer, "2017 HONDA CIVIC")
    payoff = price * r.uniform(0.6, 1.0)
    g.ach_out(
        acct, payoff, g.t(a + r.randint(1, 7)), Counterparty(r.choice(AUTO_LENDERS), None, None, "US"), "LOAN PAYOFF"
    )
    g.label("car_sale", "benign", [c], {"price": round(price), "via": how, "payoff": round(payoff)})


def tuition(g: Gen) -> None:
    r = g.rng
    uni, ctry, cur = r.choice(UNIVERSITIES)
    currencies = ("USD",) if cur == "USD" else ("USD", cur)
    c = g.customer(
        r.choice(["RETAIL", "PREMIUM"]),
        g.occupation("retail"),
        onboarded_day=-r.randint(200, 2500),
        currencies=currencies,
    )
    acct = c.accounts["USD"]
    d0 = r.randint(-90, -30)
    a = r.randint(15, 80)
    fee = r.uniform(10000, 40000)
    g.opening(c, acct, fee * r.uniform(1.1, 1.6), d0 - 1)
    g.retail_life(c, acct, d0, a + 25, r.uniform(5000, 10000), spend_share=0.4)
    school = Counterparty(uni, f"{ctry}{r.randint(10**12, 10**13 - 1)}", None, ctry)
    parts = r.randint(1, 2)
    for p in range(parts):
        when = g.t(a + p * r.randint(10, 20), 11)
        if cur != "USD":
            g.fx(acct, c.accounts[cur], fee / parts, when)
            g.drain(c.accounts[cur], 0.999, when + timedelta(hours=1), "wire", school)
        else:
            g.wire_out(acct, fee / parts, when, school, f"TUITION {r.randint(100000, 999999)}")
    student = g.outside(f"{r.choice(FIRST)} {c.name.split()[-1]}", ctry)
    for m in range(a // 30, a // 30 + 2):
        g.send("wire", acct, r.uniform(400, 1200), g.t(m * 30 + 20), student)
    g.label("tuition_abroad", "benign", [c], {"school": uni, "fee": round(fee), "currency": cur, "payments": parts})


def savings_moved(g: Gen) -> None:
    r = g.rng
    c = g.customer(r.choice(["RETAIL", "PREMIUM"]), g.occupation("retail"), onboarded_day=-r.randint(600, 3000))
    acct = c.accounts["USD"]
    a = r.randint(30, 115)
    quiet = r.randint(100, 220)
    d1 = a - quiet
    d0 = d1 - r.randint(60, 200)
    g.opening(c, acct, r.uniform(10000, 80000), d0)
    own = Counterparty(c.name, f"{r.randint(10**8, 10**9 - 1)}-{r.randint(1000, 9999999)}", r.choice(BANKS_US), "US")
    for d in range(d0 + 15, d1, 30):
        g.ach_in(acct, r.uniform(300, 3000), g.t(d), own, "TRANSFER FROM CHECKING")
    dest = Counterparty(
        c.name,
        f"{r.randint(10**8, 10**9 - 1)}",
        r.choice(["Ally Bank", "Marcus by Goldman Sachs", "Capital One 360", "Discover Bank"]),
        "US",
    )
    g.drain(acct, 1.0, g.t(a), "ach", dest)
    g.label("savings_moved_after_quiet", "benign", [c], {"quiet_days": quiet, "to": f"own account {dest.institution}"})


LAUNDERING = [
    structuring,
    smurfing,
    cash_rapid_out,
    funnel,
    fan_out,
    fan_in,
    cycle,
    scatter_gather,
    gather_scatter,
    bipartite,
    stack_chain,
    dormant,
    fx_round_trip,
    account_takeover,
    watchlist,
]
BENIGN = [
    payroll,
    landlord,
    salary_bills,
    large_purchase,
    family_transfers,
    freelancer,
    shop_cash,
    car_sale,
    tuition,
    savings_moved,
]


# =================================================================================================
# posting
# =================================================================================================
def rate(ledger: Ledger, src: str, dst: str, when: datetime) -> Decimal:
    """The customer rate src -> dst at `when`: the bank's price ticks with a 0.5% spread (fixed rates where
    no tick exists)."""

    def usd(cur: str) -> Decimal:
        if cur == "USD":
            return Decimal(1)
        p = ledger.price_at(f"{cur}/USD", when)
        return Decimal(p) if p is not None else Decimal("1.08" if cur == "EUR" else "1.27")

    spread = Decimal("0.995")
    return (usd(src) / usd(dst) * spread).quantize(Decimal("0.000001"))


def post_all(g: Gen, url: str) -> dict[str, Any]:
    """Register the customers, open their accounts and post every event in time order through the public
    ledger API. Conversions and drains are sized from the balance at posting time. Returns the number
    posted and a line per refused posting."""
    refused: list[str] = []
    counts: dict[str, int] = defaultdict(int)
    with Ledger(url, pool_size=2) as ledger:
        # the platform keeps its safeguarding account topped up (internal bookkeeping, before anything below)
        first = min(e.when for e in g.events) - timedelta(days=1)
        for cur in ("USD", "EUR", "GBP"):
            ledger.post(
                f"q{g.seed}:safeguard-topup:{cur}",
                [Leg.debit(f"SAFEGUARD-{cur}", "5000000"), Leg.credit(f"OPERATING-{cur}", "5000000")],
                "Safeguarding top-up",
                None,
                first,
                channel="INTERNAL",
            )
        ids = ledger.register_customers(g.profiles)
        res = ledger.open_accounts(
            [AccountSpec(code, f"{code}", "LIABILITY", cur, customer_id=ids[ref]) for ref, code, cur in g.account_specs]
        )
        for x in res:
            if isinstance(x, Exception):
                raise x
        batch: list[Any] = []

        def flush() -> None:
            if not batch:
                return
            result = ledger.post_many(batch)
            for rej in result.rejected:
                refused.append(f"{batch[rej.index].reference_id}: {type(rej.error).__name__} {rej.error}")
            counts["posted"] += result.posted
            batch.clear()

        for ev in sorted(g.events):
            if ev.kind in ("move", "card"):
                batch.append(ev.data)
                if len(batch) >= 500:
                    flush()
                continue
            flush()
            try:
                if ev.kind == "fx":
                    ref, src, dst, amt = ev.data
                    bal = ledger.balance(src).available
                    amt = min(amt, money(bal))
                    ledger.convert(ref, src, dst, amt, rate(ledger, src[-3:], dst[-3:], ev.when), effective_at=ev.when)
                elif ev.kind == "fxall":
                    src, dst, share = ev.data
                    amt = money(ledger.balance(src).available * Decimal(str(share)))
                    if amt > 0:
                        ledger.convert(
                            g.ref("fx"), src, dst, amt, rate(ledger, src[-3:], dst[-3:], ev.when), effective_at=ev.when
                        )
                elif ev.kind == "drain":
                    acct, share, how, cp = ev.data
                    amt = (ledger.balance(acct).available * Decimal(str(share))).quantize(CENT, rounding=ROUND_DOWN)
                    if amt > 0:
                        mk = {"wire": wire_out, "ach": ach_out}.get(how)
                        mv = (
                            mk(g.ref("dr"), acct, amt, beneficiary=cp, effective_at=ev.when)
                            if mk
                            else p2p_out(g.ref("dr"), acct, amt, payee=cp, effective_at=ev.when)
                        )
                        ledger.move(mv)
                counts["posted"] += 1
            except LedgerError as exc:
                refused.append(f"{ev.kind} {ev.data}: {type(exc).__name__} {exc}")
        flush()
    return {"posted": counts["posted"], "refused": refused}


def generate(seed: int, url: str) -> Gen:
    """Plan the cases of `seed` for the bank at `url` (read for its watch list only; nothing is posted)."""
    g = Gen(seed)
    with psycopg.connect(url) as conn:
        g.watchlist = [
            (w, n, t, c, list(a or []))
            for w, n, t, c, a in conn.execute(
                "SELECT entity_id, name, entity_type, country, aliases FROM sim.watchlist ORDER BY entity_id"
            )
        ]
    for fam in LAUNDERING:
        for _ in range(LAUNDERING_N):
            fam(g)
    for fam in BENIGN:
        for _ in range(BENIGN_N):
            fam(g)
    return g
