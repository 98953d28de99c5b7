"""Who banks here: the platform's own accounts and a seeded population of customers with habits."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from ledger.accounts import AccountSpec
from ledger.fx import clearing_account_spec
from ledger.model import AccountType
from ledger.parties import CustomerProfile
from ledger.simulator.reference import Merchant, merchants_by_category
from ledger.simulator.vocabulary import EMPLOYERS, FIRST_NAMES, LANDLORDS, LAST_NAMES, OCCUPATIONS, PLACES
from ledger.simulator.vocabulary_aml import MORTGAGE_LENDERS

FIAT = ("USD", "EUR", "GBP")
CRYPTO = ("BTC", "ETH")
HOME_CURRENCY = {"US": "USD", "GB": "GBP"}  # every other country here uses EUR
CENT = Decimal("0.01")
MAX_ONBOARDED_DAYS_BEFORE = 1500  # the oldest customers joined about four years before the first simulated day

_HOUSING = LANDLORDS + LANDLORDS + MORTGAGE_LENDERS
"""Who a customer pays for housing each month: about a quarter pay a mortgage lender, the rest rent."""


def safeguarding(currency: str) -> str:
    return f"SAFEGUARD-{currency}" if currency in FIAT else f"CRYPTO-CUSTODY-{currency}"


def cash_vault(currency: str) -> str:
    return f"CASH-VAULT-{currency}"


def fees(currency: str) -> str:
    return f"FEES-{currency}"


def card_settlement(currency: str) -> str:
    return f"CARD-SETTLEMENT-{currency}"


def equity(currency: str) -> str:
    return f"EQUITY-{currency}"


def operating(currency: str) -> str:
    return f"OPERATING-{currency}"


def platform_accounts() -> list[AccountSpec]:
    """The platform's books: safeguarding and custody, its own operating bank account, cash vaults, fee
    revenue, card settlement, capital, and one FX clearing account per currency."""
    role = lambda r: {"role": r}  # noqa: E731
    specs: list[AccountSpec] = []
    for c in FIAT:
        specs += [
            AccountSpec(
                safeguarding(c), f"Safeguarding bank account {c}", AccountType.ASSET, c, metadata=role("safeguarding")
            ),
            AccountSpec(
                operating(c),
                f"Operating bank account (own funds) {c}",
                AccountType.ASSET,
                c,
                metadata=role("operating"),
            ),
            AccountSpec(cash_vault(c), f"Cash vault {c}", AccountType.ASSET, c, metadata=role("cash_vault")),
            AccountSpec(fees(c), f"Fee revenue {c}", AccountType.REVENUE, c, metadata=role("fee_revenue")),
            AccountSpec(
                card_settlement(c),
                f"Card scheme settlement {c}",
                AccountType.LIABILITY,
                c,
                allow_negative=True,
                metadata=role("card_settlement"),
            ),
            AccountSpec(equity(c), f"Share capital {c}", AccountType.EQUITY, c, metadata=role("equity")),
        ]
    for c in CRYPTO:
        specs.append(
            AccountSpec(safeguarding(c), f"Crypto custody {c}", AccountType.ASSET, c, metadata=role("crypto_custody"))
        )
    specs += [clearing_account_spec(c) for c in (*FIAT, *CRYPTO)]
    return specs


# Capital paid into the operating (own funds) account before the first customer arrives; it floats the
# cash vaults and tops up safeguarding.
CAPITAL = {"USD": Decimal("900000000"), "EUR": Decimal("400000000"), "GBP": Decimal("300000000")}
VAULT_FLOAT = {"USD": Decimal("50000000"), "EUR": Decimal("20000000"), "GBP": Decimal("20000000")}
# Like an e-money firm, the platform reconciles safeguarding every day at the close: the segregated
# account is brought to what customers are owed plus this buffer, from or back to its own funds.
SAFEGUARDING_BUFFER = Decimal("0.005")


@dataclass(slots=True)
class Subscription:
    merchant: Merchant
    day_of_month: int
    amount: Decimal


@dataclass(slots=True)
class SimCustomer:
    idx: int
    ref: str
    name: str
    country: str
    city: str
    region: str
    currency: str
    accounts: dict[str, str]
    segment: str
    risk_rating: str
    onboarded_at: datetime
    salary: Decimal
    pay_every: int  # days between paychecks (14 or 30)
    pay_offset: int
    employer: str
    rent: Decimal | None
    rent_day: int
    landlord: str
    activity: float
    cash_user: bool
    crypto_trader: bool
    fx_user: bool
    monthly_fee: Decimal
    subscriptions: list[Subscription] = field(default_factory=list)
    favorites: dict[str, list[Merchant]] = field(default_factory=dict)
    friends: list[int] = field(default_factory=list)
    dormant_until: int = -1  # no own activity before this day (dormancy typology)

    def account(self, currency: str | None = None) -> str:
        return self.accounts[currency or self.currency]


def _merchants_for(country: str) -> dict[str, list[Merchant]]:
    """Brands a customer in `country` plausibly uses: local ones, plus US brands that trade everywhere."""
    local = {"US"} if country == "US" else {country, "US"} | ({"GB"} if country == "IE" else set())
    if country not in ("US", "GB"):
        local |= {"DE", "FR", "ES", "NL", "IT", "SE", "DK", "IE"}
    chosen: dict[str, list[Merchant]] = {}
    for category, items in merchants_by_category().items():
        picked = [m for m in items if m.country in local] or list(items)
        chosen[category] = picked
    return chosen


def build_customer(seed: int, idx: int, n_customers: int, start: date) -> SimCustomer:
    rng = random.Random(f"{seed}:customer:{idx}")
    roll = rng.random()
    city, region, country = (
        rng.choice([p for p in PLACES if p[2] == "US"])
        if roll < 0.7
        else rng.choice([p for p in PLACES if p[2] == "GB"])
        if roll < 0.82
        else rng.choice([p for p in PLACES if p[2] not in ("US", "GB")])
    )
    currency = HOME_CURRENCY.get(country, "EUR")
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    segment = rng.choices(("RETAIL", "PREMIUM", "STUDENT", "SMALL_BUSINESS"), (0.62, 0.13, 0.13, 0.12))[0]
    ref = f"S{seed}-C{idx:06d}"
    currencies = [currency]
    fx_user = rng.random() < 0.22
    if fx_user:
        currencies.append(rng.choice([c for c in FIAT if c != currency]))
    crypto_trader = rng.random() < 0.15
    if crypto_trader:
        currencies += rng.sample(CRYPTO, rng.choice((1, 1, 2)))
    accounts = {c: f"{ref}-{c}" for c in currencies}
    annual = Decimal(rng.lognormvariate(10.9, 0.45)).quantize(Decimal(1))
    if segment == "STUDENT":
        annual = (annual / 4).quantize(Decimal(1))
    pay_every = rng.choice((14, 30, 30))
    salary = (annual * pay_every / 365).quantize(CENT)
    favorites_pool = _merchants_for(country)
    favorites = {cat: rng.sample(items, min(len(items), rng.randint(2, 5))) for cat, items in favorites_pool.items()}
    subs_pool = [
        m
        for cat in ("streaming", "music_streaming", "software", "fitness", "telecom", "insurance")
        for m in favorites_pool.get(cat, [])
    ]
    subscriptions = [
        Subscription(
            m, rng.randint(1, 28), Decimal(rng.uniform(float(m.min_amount), float(m.max_amount))).quantize(CENT)
        )
        for m in rng.sample(subs_pool, min(len(subs_pool), rng.randint(1, 5)))
    ]
    onboard_days_before = rng.randint(30, MAX_ONBOARDED_DAYS_BEFORE)
    return SimCustomer(
        idx=idx,
        ref=ref,
        name=name,
        country=country,
        city=city,
        region=region,
        currency=currency,
        accounts=accounts,
        segment=segment,
        risk_rating=rng.choices(("LOW", "MEDIUM", "HIGH"), (0.8, 0.17, 0.03))[0],
        onboarded_at=datetime.combine(start - timedelta(days=onboard_days_before), time(10), tzinfo=UTC)
        + timedelta(minutes=rng.randrange(480)),
        salary=salary,
        pay_every=pay_every,
        pay_offset=rng.randrange(pay_every),
        employer=rng.choice(EMPLOYERS),
        rent=(annual * Decimal(rng.uniform(0.2, 0.33)) / 12).quantize(CENT) if rng.random() < 0.7 else None,
        rent_day=rng.randint(1, 5),
        landlord=rng.choice(_HOUSING),  # a landlord's agent, or a mortgage lender for a home owner
        activity=rng.lognormvariate(0, 0.35),
        cash_user=rng.random() < (0.6 if segment == "SMALL_BUSINESS" else 0.3),
        crypto_trader=crypto_trader,
        fx_user=fx_user,
        monthly_fee=Decimal("9.99") if segment == "PREMIUM" else Decimal("0"),
        subscriptions=subscriptions,
        favorites=favorites,
        friends=sorted({rng.randrange(n_customers) for _ in range(rng.randint(2, 6))} - {idx}),
    )


def profile(c: SimCustomer, seed: int) -> CustomerProfile:
    rng = random.Random(f"{seed}:pii:{c.idx}")
    first, last = c.name.split(" ", 1)
    birth = date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
    return CustomerProfile(
        external_ref=c.ref,
        country=c.country,
        occupation="student" if c.segment == "STUDENT" else rng.choice(OCCUPATIONS),
        segment=c.segment,
        risk_rating=c.risk_rating,
        onboarded_at=c.onboarded_at,
        full_name=c.name,
        email=f"{first.lower()}.{last.lower()}{c.idx}@example.{'com' if c.country == 'US' else 'net'}",
        date_of_birth=birth,
        city=c.city.title(),
        region=c.region,
        # drawn after everything above, so that adding them changed none of it
        address_line=f"{rng.randint(1, 2400)} {rng.choice(STREETS)}",
        postal_code=_postal_code(c.country, rng),
        id_type=rng.choice(("DRIVERS_LICENSE", "PASSPORT")) if c.country == "US" else "PASSPORT",
        id_number="".join(rng.choices("ABCDEFGHJKLMNPRSTUVWXYZ", k=1)) + f"{rng.randrange(10**8):08d}",
    )


STREETS = (
    "Main Street",
    "Oak Avenue",
    "High Street",
    "Station Road",
    "Church Lane",
    "Mill Road",
    "Park Avenue",
    "Elm Street",
    "Victoria Road",
    "Bahnhofstrasse",
    "Rue de la Paix",
    "Calle Mayor",
    "Via Roma",
)


def _postal_code(country: str, rng: random.Random) -> str:
    """A postal code in the country's shape (fictional)."""
    if country == "US":
        return f"{rng.randrange(10000, 99999)}"
    if country == "GB":
        outward = f"{rng.choice('BEGLMNS')}{rng.randint(1, 20)}"
        return f"{outward} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}"
    return f"{rng.randrange(10000, 99999)}"


def customer_accounts(c: SimCustomer, customer_id: int) -> list[AccountSpec]:
    return [
        AccountSpec(
            code,
            f"{c.ref} {currency}",
            AccountType.LIABILITY,
            currency,
            customer_id=customer_id,
            metadata={"product": "crypto_wallet" if currency in CRYPTO else "current_account"},
        )
        for currency, code in c.accounts.items()
    ]
