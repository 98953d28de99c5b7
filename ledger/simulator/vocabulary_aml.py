"""Words the scenarios build outside parties from: companies, payees of everyday bills, crypto venues, and
the spellings of watch-listed names the list itself does not carry (no real persons or companies).

Laundering and benign scenarios draw from the same pools (a company name says nothing about the case it
appears in), and outside people are named from the population's own first and last names.
"""

from __future__ import annotations

import random
import zlib

from ledger.simulator.vocabulary import FIRST_NAMES, LAST_NAMES

# Company names are `<core> <activity> <legal form>`; the same generator names clients, suppliers and the
# counterparties of laundering cases.
COMPANY_CORES = (
    "Aurora", "Meridian", "Blue Harbor", "Northgate", "Sterling Crest", "Pacific Rim", "Orion", "Silver Birch",
    "Redwood", "Summit", "Keystone", "Granite", "Harborview", "Lakeside", "Ironwood", "Bright Path", "Crescent",
    "Evergreen", "Falcon", "Golden Gate", "Highland", "Juniper", "Kingsbridge", "Lighthouse", "Maple Leaf",
    "Nordic", "Oakridge", "Pinnacle", "Quantum", "Riverbend", "Seaside", "Trident", "Unity", "Vanguard",
    "Westbrook", "Zenith", "Atlas", "Beacon", "Cedar", "Delta", "Eastwind", "Frontier", "Horizon", "Liberty",
)  # fmt: skip
COMPANY_ACTIVITIES = (
    "Trading", "Logistics", "Consulting", "Imports", "Holdings", "Ventures", "Supplies", "Distribution",
    "Services", "Solutions", "Capital", "Global", "Partners", "Group", "Enterprises", "Textiles", "Electronics",
    "Foods", "Construction", "Marketing",
)  # fmt: skip
LEGAL_FORMS = ("LLC", "Inc", "Ltd", "Corp", "LLP", "GmbH", "SA", "BV", "Co", "Limited")

UTILITIES = (
    "City Power & Light", "Metro Water Utility", "National Grid", "Consolidated Gas", "Green Energy Supply",
    "Thames Water", "EDF Energy", "Octopus Energy",
)  # fmt: skip
TELECOMS = ("Verizon Wireless", "AT&T Mobility", "T-Mobile", "Vodafone", "EE Limited", "Orange", "Comcast Xfinity")
INSURERS = ("State Farm", "Allstate", "GEICO", "Progressive", "Aviva", "AXA Insurance", "Allianz", "Direct Line")
CARD_ISSUERS = (
    "Chase Card Services", "Capital One Card", "Citi Cards", "Amex Card Payment", "Barclaycard", "Discover Card",
)  # fmt: skip
MORTGAGE_LENDERS = (
    "Wells Fargo Home Mortgage", "Rocket Mortgage", "Quicken Loans", "Nationwide Building Society",
    "Halifax Mortgages", "US Bank Home Mortgage", "Santander Mortgages", "Deutsche Bank Baufinanzierung",
)  # fmt: skip
CONSUMER_LENDERS = (
    "Quick Lend Finance", "Upstart Personal Loans", "LendingClub Bank", "SoFi Personal Loan", "Avant Loans",
    "Zopa Bank", "Novuna Personal Finance", "Oportun Financial", "Cashper Kredit",
)  # fmt: skip
# Where a traveller to a conflict zone draws the rest of its money (FATF 2015: near the Turkish-Syrian border)
TRANSIT_CITIES = ("Istanbul", "Gaziantep", "Sanliurfa", "Antakya", "Kilis", "Erbil", "Beirut", "Amman")
PAYROLL_PROCESSORS = ("GUSTO", "ADP", "PAYCHEX", "QUICKBOOKS", "RIPPLING")
CAR_DEALERS = (
    "Sunset Toyota", "Lakeside Honda", "Metro Ford", "Riverside BMW", "Northway Volkswagen", "Summit Hyundai",
    "Premier Audi", "Coastal Subaru", "Autohaus Becker", "Arnold Clark Motors",
)  # fmt: skip
SOLICITORS = (
    "First American Title", "Fidelity National Title", "Chicago Title Escrow", "Harper & Lowe Solicitors",
    "Bennett Conveyancing", "Stewart Title Co", "Old Republic Title", "Notariat Hoffmann",
)  # fmt: skip
UNIVERSITIES = ("State University Bursar", "City College Tuition", "University of Manchester Fees", "Tech Institute")
MARKETPLACE_PAYOUTS = ("Etsy Payments", "eBay Payouts", "Amazon Seller Payments", "Shopify Payments", "Vinted Payouts")
WHOLESALERS = (
    "Sysco Foods", "US Foods", "Restaurant Depot", "Costco Business Center", "Booker Wholesale", "Metro Cash & Carry",
    "Coca-Cola Bottling", "PepsiCo Distribution", "Bimbo Bakeries",
)  # fmt: skip
CRYPTO_VENUES = ("Coinbase", "Kraken", "Bitstamp", "Gemini", "Binance", "OKX", "Bitfinex", "Ledger wallet")
CASH_BUSINESSES = (
    "restaurant owner", "convenience store owner", "hair salon owner", "food truck operator", "laundromat owner",
    "car wash owner", "bar owner", "market stall trader",
)  # fmt: skip
PAYROLL_BUSINESSES = (
    "small business owner", "construction contractor", "restaurant owner", "dental practice owner",
    "landscaping contractor", "cleaning company owner", "auto repair shop owner", "IT services owner",
)  # fmt: skip
LANDLORD = "landlord"

# P2P notes: the same notes appear on benign and laundering payments.
P2P_NOTES = (
    "thanks", "for you", "rent", "loan", "gift", "invoice", "dinner", "payback", "deposit", "tickets", "car",
    "help", "school", "family", "see you soon", "as agreed", "share", "bills",
)  # fmt: skip

# Watch-listed names as they might be typed by a payer who has them from another script or another
# romanisation (none of these spellings is on the list). Tune cases use typos and word order instead.
WATCHLIST_SCRIPTS: dict[str, tuple[str, ...]] = {
    "WL001": ("Драгомир Петренко", "Петренко Драгомир"),
    "WL002": ("Карвонен Маритайм Холдингс", "Καρβόνεν Μαριτάιμ Χόλντινγκς"),
    "WL003": ("يوسف المرزاني", "يوسف المرزانی"),
    "WL004": ("سيلفرلاين للسلع م.م.ح", "سيلفرلاين كوموديتيز"),
    "WL005": ("Ортега-Ванс Трейдинг СА",),
    "WL006": ("Михаил Жданович", "Міхаіл Ждановіч"),
    "WL007": ("블루 랜턴 익스체인지", "블루랜턴 거래소"),
    "WL008": ("فرید قاسمی", "فريد قاسمي"),
    "WL009": ("نوفاتيرا للشحن", "شركة نوفاتيرا للشحن"),
    "WL010": ("Лусия Бенедетти-Рамос",),
    "WL011": ("ООО Голдкрест Прешес Металс", "Голдкрест Драгоценные Металлы"),
    "WL012": ("Анатолий Воскресенский", "Воскресенский Анатолий"),
}
WATCHLIST_ROMANISATIONS: dict[str, tuple[str, ...]] = {
    "WL001": ("Dragomyr Petrenko", "Drahomir Petrenko", "Dragomir Petrenka"),
    "WL002": ("Karvonen Maritaim Kholdings", "Karvonen Meritaim Holdings"),
    "WL003": ("Youssef El Marzani", "Yousuf Al Marzaani", "Jusuf al-Marzani", "Yusif Almarzany"),
    "WL004": ("Silverlayn Commodities FZE", "Silfarlain Kumuditiz"),
    "WL005": ("Ortega y Vance Trading S.A.", "Ortega-Vanse Treiding SA"),
    "WL006": ("Mikhail Zhdanovitch", "Mikhaïl Jdanovitch", "Michał Żdanowicz", "Mikhail Zdanovič"),
    "WL007": ("Beullu Raenteon Ikseuchenji", "Pullu Raent'ŏn Exchange"),
    "WL008": ("Fariid Kasemi", "Farid Ghassemi", "Fared Qasimi", "Farīd Qāsemī"),
    "WL009": ("Nufatira Shipping Co", "Novaterra lil-Shahn"),
    "WL010": ("Lucía Benedetti Ramos", "Luzia Benedetti-Ramos"),
    "WL011": ("OOO Goldkrest Preshes Metals", "Goldkrest Dragotsennye Metally"),
    "WL012": ("Anatolii Voskresenskii", "Anatoliy Voskresenskiy", "Anatol Woskresenski"),
}


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def person(rng: random.Random) -> str:
    """An outside person, named as the population names its own."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def people(rng: random.Random, count: int, avoid: set[str] | None = None) -> list[str]:
    """`count` distinct outside people (each a payer or payee of its own)."""
    seen = set(avoid or ())
    found: list[str] = []
    while len(found) < count:
        name = person(rng)
        if name not in seen:
            seen.add(name)
            found.append(name)
    return found


def company(rng: random.Random) -> str:
    return f"{rng.choice(COMPANY_CORES)} {rng.choice(COMPANY_ACTIVITIES)} {rng.choice(LEGAL_FORMS)}"


def companies(rng: random.Random, count: int) -> list[str]:
    found: list[str] = []
    while len(found) < count:
        name = company(rng)
        if name not in found:
            found.append(name)
    return found


def wallet_address(owner: str, coin: str) -> str:
    """A stable pseudo address of an outside crypto wallet (same owner and coin, same address)."""
    digest = "".join(f"{zlib.crc32(f'{owner}:{coin}:{salt}'.encode()):08x}" for salt in range(5))
    if coin == "BTC":
        return "bc1q" + "".join(_BECH32[int(ch, 16) * 2 + i % 2] for i, ch in enumerate(digest))[:38]
    return f"0x{digest}"
