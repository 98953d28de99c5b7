"""Set c of the outside tester's scenarios: a third independent set of laundering families and benign
look-alikes that sets a (`bench.aml_outsider.scenarios`) and b (`bench.aml_outsider.scenarios_b`) do not
have, written from the public AML literature by a tester who did not read the project's detection logic, then
frozen (never changed because of what was or was not detected).

`generate(seed, url)` plans, for the bank at `url`, NEW customers (refs S<seed>-NNNN, never colliding with set
a's Q<seed>-NNNN or set b's R<seed>-NNNN) with their accounts, ordinary background life (salary, rent, bills,
card spending, ATM cash) and the postings of 12 laundering families (5 instances each) and 10 benign
look-alike families (8 each); `post_all` registers them and posts it all through the public ledger API
(`Ledger.post_many` with the `ledger.movements` helpers and card `Transfer`s, `Ledger.convert` for currency
and crypto conversions, crypto received from outside wallets as CRYPTO transfers from the custody account).
Every outflow is sized down at posting time to the funds there, so nothing is refused for lack of funds.
Every onboarding and posting falls in the base bank's 90 days from `START`. `Gen.labels` maps each instance
(`family#k`) to its family, class, customers, accounts and shape, as in sets a and b. Every draw comes from
one `random.Random(seed)` in a fixed order (the base bank is read for its FX range and to make sure no
customer of it already has a ref of this seed).

Laundering families and their sources:
- bec_mule_business: FinCEN advisory FIN-2019-A005 (updated advisory on email compromise fraud schemes) and
  FIN-2016-A003: victims' invoice or closing payments land in a business account opened weeks before and
  leave within days in pieces, mostly wires abroad.
- unlicensed_msb_hawala: FATF "The Role of Hawala and Other Similar Service Providers in ML/TF" (2013);
  FinCEN Advisory Issue 33 "Informal Value Transfer Systems" (2003); 31 CFR 1022.380 (MSB registration):
  a personal account takes many small payments and cash from a diaspora community and settles with a
  counterpart abroad (often a Dubai trading company) by periodic wires netting them.
- tf_small_collections: FATF "Emerging Terrorist Financing Risks" (2015) and "Financing of the Terrorist
  Organisation ISIL" (2015); FINTRAC ML/TF indicators: small donations from many people forwarded to
  individuals in countries next to conflict zones, or a consumer loan, savings cashed out, a one-way ticket
  and ATM cash withdrawn near a border (foreign terrorist fighter travel).
- human_trafficking: FinCEN advisories FIN-2020-A008 and FIN-2014-A008; FATF "Financial Flows from Human
  Trafficking" (2018): cash deposits in several cities, many small payments from unrelated people late at
  night, nightly motel, ride-share and online-ad payments, rent for several flats, accounts of victims who
  share the controller's address and pass their takings to it.
- ransomware_crypto_cashout: FinCEN advisory FIN-2021-A004 (ransomware); FATF "Virtual Assets Red Flag
  Indicators of ML/TF" (2020) and "Countering Ransomware Financing" (2023): crypto from outside wallets
  (a ransom, or a darknet vendor's many sales) sold for dollars at once and wired abroad, sent to other
  banks or taken in cash.
- fx_layering_own_accounts: FATF "Professional Money Laundering" (2018) and "Money Laundering through Money
  Remittance and Currency Exchange Providers" (2010): third-party wires converted through two or three of
  the customer's own currency accounts within days and wired out from the last one.
- pep_proxy_corruption: FATF "Laundering the Proceeds of Corruption" (2011) and PEP guidance (R.12/22,
  2013); Wolfsberg "Guidance on Politically Exposed Persons" (2017); FinCEN FIN-2018-A003: a relative
  without income receives large "consulting" payments from a contractor, then luxury goods, a car, property
  and a wire to an own account abroad.
- synthetic_bust_out: Federal Reserve "Synthetic Identity Fraud in the U.S. Payment System" (2019) and its
  Synthetic Identity Fraud Mitigation Toolkit; FinCEN Financial Trend Analysis on identity-related
  suspicious activity (2024): one to three identities sharing an address build a clean history, then
  transfers in from "own" accounts elsewhere and the account emptied within two days.
- drug_proceeds_p2p: FinCEN advisories FIN-2019-A006 (fentanyl) and FIN-2024-A002 (precursor chemicals and
  pill presses): many small P2P payments from unrelated people (memos with drug slang or emoji) and cash
  deposits, then wires to Mexico, or to Chinese chemical and machinery companies.
- quick_in_out_round_wires: FFIEC BSA/AML Examination Manual, appendix F (funds transfers in large round
  amounts, received and sent on at once, no business purpose) on a newly opened personal account.
- offshore_third_party_payments: FATF/Egmont "Concealment of Beneficial Ownership" (2018) and FFIEC
  appendix F (payments to third parties unrelated to the customer): wires from offshore companies pay a
  car dealer, schools, a yacht broker, a law firm, people's card bills.
- benefit_fraud_prepaid_split: FinCEN advisory FIN-2020-A005 (unemployment insurance fraud): state benefit
  and tax refund credits in other people's names land in one account and are split within days to many
  prepaid and neobank accounts, the rest taken at ATMs.

Benign look-alikes and the laundering red flag each mirrors:
- charity_grants_abroad: many small donations and grants wired to partner NGOs abroad (TF, hawala).
- gig_worker_cashouts: many daily instant payouts from platforms and cash taken out (fan-in, mule).
- divorce_settlement: a large one-off wire split within weeks to lawyers, a brokerage and a home (BEC,
  quick in-out).
- tax_preparer_season: a burst of small client payments and refund-transfer fee remittances in February
  and March (fan-in, hawala).
- hobby_crypto_trader: regular crypto buys and occasional sales at market (crypto cash-out).
- traveller_fx: dollars to euros or pounds before a trip, card and ATM spending abroad, the rest back after
  (FX round trip and layering).
- own_accounts_shuffle: money moved out to and back from the customer's own savings and brokerage accounts
  at other banks (cycle, in-out).
- immigrant_remittance: a worker's remittance home after each payday (hawala, TF).
- home_renovation: a home-equity draw or savings transfer, then several contractors paid over weeks
  (fan-out, BEC dispersal).
- startup_capital_equipment: founders put capital into a new business that wires most of it abroad for
  equipment (trade-based, pass-through).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any, TypeVar

import psycopg

from bench.aml_outsider.scenarios import (
    BANKS_US,
    CARD_ISSUERS,
    CENT,
    EMPLOYERS,
    FIRST,
    FOREIGN_BANKS,
    LAST,
    MERCHANTS,
    MORTGAGE,
    START,
    UTILITIES,
    Amount,
    Cust,
    Ev,
    Gen,
    money,
    rate,
)
from bench.aml_outsider.scenarios_b import (
    EXCHANGES,
    EXTRA_BANKS,
    LOCAL_NAMES,
    SHELL_KINDS,
    SHELL_SUFFIX,
    SHELL_WORDS,
    TITLE_COS,
    GenB,
    business,
    fx_band,
    light_life,
    person,
    weekday,
)
from ledger import (
    AccountSpec,
    Counterparty,
    Direction,
    Fee,
    Ledger,
    Leg,
    Movement,
    Transfer,
    ach_out,
    p2p,
    p2p_out,
    wire_out,
)
from ledger.errors import LedgerError

PREFIX = "S"  # customer refs S<seed>-NNNN (set a: Q, set b: R)
DAYS = 90  # the base bank's period: every onboarding and posting falls in [START, END)
LAST_DAY = DAYS - 1
END = START + timedelta(days=DAYS)
LAUNDERING_N = 5
BENIGN_N = 8
SAT = Decimal("1e-8")  # crypto amounts are kept to 8 decimals

MORE_BANKS = {
    "SO": "Premier Bank Somalia",
    "AF": "Azizi Bank",
    "BD": "Dutch-Bangla Bank",
    "ET": "Commercial Bank of Ethiopia",
    "YE": "Tadhamon Bank",
    "EG": "National Bank of Egypt",
    "LB": "Bank Audi",
    "JO": "Arab Bank",
    "IQ": "Trade Bank of Iraq",
    "UG": "Stanbic Bank Uganda",
    "GT": "Banco Industrial",
    "SV": "Banco Agricola",
    "HN": "Banco Atlantida",
    "HT": "Unibank Haiti",
    "NP": "Nabil Bank",
    "TW": "Cathay United Bank",
    "JP": "MUFG Bank",
    "CH": "UBS Switzerland",
    "GE": "TBC Bank",
    "KZ": "Halyk Bank",
    "MT": "Bank of Valletta",
    "SE": "SEB",
    "AT": "Erste Bank",
    "TZ": "CRDB Bank",
    "EC": "Banco Pichincha",
    "PE": "BCP Banco de Credito",
}
NAMES: dict[str, tuple[list[str], list[str]]] = {
    "SO": (["Abdi", "Hodan", "Farah", "Amina", "Yusuf", "Ifrah"], ["Warsame", "Hassan", "Jama", "Abdullahi", "Farah"]),
    "AF": (["Ahmad", "Mariam", "Farid", "Zahra", "Nasir", "Laila"], ["Karimi", "Popal", "Ahmadzai", "Rahimi", "Noori"]),
    "PK": (["Imran", "Ayesha", "Bilal", "Sana", "Usman", "Hina"], ["Qureshi", "Malik", "Chaudhry", "Butt", "Siddiqui"]),
    "BD": (["Rahim", "Nusrat", "Tanvir", "Farhana", "Arif"], ["Hossain", "Rahman", "Islam", "Akter", "Chowdhury"]),
    "ET": (["Dawit", "Selam", "Yonas", "Hanna", "Bereket"], ["Tesfaye", "Bekele", "Girma", "Alemu", "Haile"]),
    "YE": (["Khaled", "Samira", "Nabil", "Huda", "Adel"], ["Al-Saqqaf", "Ba Abbad", "Al-Hakimi", "Saleh"]),
    "EG": (["Mostafa", "Mona", "Karim", "Yasmin", "Tarek"], ["Mahmoud", "Ibrahim", "Fahmy", "Soliman", "Nasser"]),
    "LB": (["Georges", "Rania", "Fadi", "Nour", "Elie"], ["Khoury", "Haddad", "Nassar", "Saade", "Aoun"]),
    "JO": (["Zaid", "Dana", "Hamza", "Lina", "Rami"], ["Al-Khatib", "Obeidat", "Haddadin", "Masri"]),
    "KE": (["Brian", "Wanjiru", "Kevin", "Achieng", "Otieno"], ["Kamau", "Odhiambo", "Mutua", "Wanjiku", "Kiptoo"]),
    "UG": (["Moses", "Grace", "Ivan", "Sarah", "Joseph"], ["Okello", "Nakato", "Mugisha", "Ssempala"]),
    "GT": (["Juan", "Maria", "Pedro", "Rosa", "Marvin"], ["Lopez", "Ajcalon", "Xicay", "Morales", "Chavez"]),
    "SV": (["Jose", "Ana", "Carlos", "Yesenia", "Oscar"], ["Hernandez", "Flores", "Rivas", "Portillo", "Alvarado"]),
    "HN": (["Kevin", "Dania", "Elvin", "Karla", "Josue"], ["Mejia", "Zelaya", "Reyes", "Cruz", "Banegas"]),
    "DO": (["Rafael", "Yokasta", "Manuel", "Altagracia"], ["Perez", "Rosario", "Santana", "Peña", "Familia"]),
    "JM": (["Andre", "Kerry-Ann", "Damion", "Shanique"], ["Campbell", "Brown", "Williams", "Grant", "Reid"]),
    "HT": (["Jean", "Marie", "Wilner", "Nadege", "Frantz"], ["Pierre", "Joseph", "Jean-Baptiste", "Louis"]),
    "NP": (["Bikash", "Sita", "Ramesh", "Anita", "Suman"], ["Shrestha", "Gurung", "Thapa", "Tamang", "Rai"]),
    "CO": (["Andres", "Paola", "Felipe", "Natalia", "Camilo"], ["Gomez", "Rodriguez", "Restrepo", "Mejia"]),
    "EC": (["Fernando", "Gabriela", "Jhon", "Mishel"], ["Quispe", "Guaman", "Vera", "Zambrano", "Mora"]),
}
# (diaspora community, where its hawala settles, a word for the service)
HAWALA_CORRIDORS = [
    ("SO", "AE", "hawala"),
    ("AF", "AE", "hawala"),
    ("YE", "AE", "hawala"),
    ("ET", "AE", "hawala"),
    ("PK", "PK", "hundi"),
    ("BD", "BD", "hundi"),
    ("IN", "IN", "hawala"),
    ("CN", "HK", "fei ch'ien"),
    ("PH", "PH", "padala"),
    ("VN", "VN", "hui kieu"),
]
REMIT_COUNTRIES = ["MX", "GT", "SV", "HN", "DO", "PH", "IN", "VN", "NG", "JM", "HT", "CO", "EC", "NP", "KE"]
REMITTERS = [
    "Remitly Inc",
    "Western Union Financial Services",
    "Wise US Inc",
    "Xoom (PayPal)",
    "Intermex Wire Transfer",
    "Ria Financial Services",
    "MoneyGram Payment Systems",
]
PREPAID_BANKS = [
    "Green Dot Bank",
    "Sutton Bank (Cash App)",
    "The Bancorp Bank (Chime)",
    "Stride Bank",
    "Pathward NA (Netspend)",
    "Go2Bank",
    "Varo Bank",
]
UI_AGENCIES = [
    ("CA EDD", "UI BENEFIT"),
    ("NYS DOL UI DD", "UI BENEFIT"),
    ("WA ESD", "UI PAYMENT"),
    ("AZ DES UI", "UI BENEFIT"),
    ("MI UIA", "UI PAYMENT"),
    ("PA UC BENEFITS", "UC PAYMENT"),
    ("NV DETR UI", "UI BENEFIT"),
    ("IL IDES", "UI BENEFIT"),
    ("MD DOL UI", "UI BENEFIT"),
    ("IRS TREAS 310", "TAX REF"),
]
LUXURY = [
    ("CARTIER 653 FIFTH AVE", 4000, 38000),
    ("ROLEX BOUTIQUE MIAMI", 9000, 45000),
    ("HERMES MADISON AVE", 3000, 25000),
    ("LOUIS VUITTON BEVERLY HILLS", 2000, 18000),
    ("TIFFANY & CO 727", 3000, 30000),
    ("NEIMAN MARCUS 0101", 1500, 12000),
    ("BULGARI RODEO DRIVE", 4000, 35000),
]
MOTELS = ["MOTEL 6 #1182", "EXTENDED STAY AMERICA 9921", "RED ROOF INN #344", "SUPER 8 #07731", "AMERICAS BEST VALUE"]
AD_SITES = ["MEGAPERSONALS*ADS", "SKIPTHEGAMES.EU", "ADULTSEARCH*CREDITS", "PRIVATEDELIGHTS*BUMP"]
NIGHT_SPEND = [("UBER *TRIP", 14, 65), ("LYFT *RIDE", 12, 55), ("7-ELEVEN 33120", 6, 40), ("WAFFLE HOUSE 1423", 10, 45)]
GEAR = [
    ("REI #0156", 150, 900),
    ("BASS PRO SHOPS 21", 120, 1100),
    ("CABELAS 044", 100, 900),
    ("ARMY NAVY SURPLUS", 80, 500),
]
FTF_AIRLINES = ["TURKISH AIRLINES", "PEGASUS AIRLINES", "ROYAL JORDANIAN", "QATAR AIRWAYS", "ETIHAD AIRWAYS"]
# places near conflict zones a foreign terrorist fighter crosses, or where a network's facilitator sits
FTF_PLACES = {
    "TR": ["GAZIANTEP", "HATAY", "SANLIURFA", "KILIS"],
    "JO": ["MAFRAQ", "IRBID"],
    "LB": ["TRIPOLI", "BEKAA"],
    "KE": ["GARISSA", "MANDERA", "EASTLEIGH"],
    "PH": ["COTABATO", "ZAMBOANGA"],
}
DRUG_MEMOS = ["💊", "🍬", "🔥", "❄", "blues", "percs", "30s", "for the thing", "zaza", "👟", None, None, None]
CHEM_FIRMS = [
    ("Wuhan Shengda Biotech Co Ltd", "CN"),
    ("Hebei Kunwei Chemical Technology Co Ltd", "CN"),
    ("Hubei Yongli Pharmaceutical Technology Co", "CN"),
    ("Shanghai Ruiyang New Material Co Ltd", "CN"),
    ("Guangzhou Huaxin Trading Co Ltd", "CN"),
    ("Hong Kong Tianrui Chemical Ltd", "HK"),
]
PRESS_FIRMS = [
    ("Shanghai Tianhe Pharmaceutical Machinery Co", "CN"),
    ("Zhejiang Yanghua Tablet Press Co Ltd", "CN"),
    ("Ruian Ruihong Machinery Co Ltd", "CN"),
]
CONTRACTORS_GOV = ["Construction Group", "Infrastructure Partners", "Engineering & Works", "Public Works Contractors"]
DEALERS = ["Prestige Imports Miami", "Ferrari of Beverly Hills", "Porsche Atlanta Perimeter", "Bentley Greenwich"]
SCHOOLS = [
    ("Phillips Exeter Academy", "US"),
    ("The Hotchkiss School", "US"),
    ("Le Rosey Institut", "CH"),
    ("Harrow School", "GB"),
    ("University of Southern California", "US"),
    ("Boston University Student Accounts", "US"),
]
HYSA = ["Ally Bank", "Marcus by Goldman Sachs", "American Express National Bank", "Discover Bank", "Capital One 360"]
BROKERS = ["Fidelity Investments", "Charles Schwab", "Vanguard", "Robinhood Securities", "E*TRADE"]
GIG_PLATFORMS = [
    ("Uber Technologies", "UBER INSTANT PAY"),
    ("DoorDash Inc", "DASHER DIRECT PAYOUT"),
    ("Lyft Inc", "LYFT EXPRESS PAY"),
    ("Maplebear Inc (Instacart)", "INSTACART SHOPPER PAY"),
    ("Amazon Flex", "AMZN FLEX PAYOUT"),
    ("Grubhub Holdings", "GRUBHUB DRIVER PAY"),
]
RT_PROVIDERS = ["Santa Barbara TPG", "EPS Financial", "Refund Advantage", "River City Bank RT"]
TAX_SOFTWARE = ["Drake Software", "Intuit ProSeries", "TaxSlayer Pro", "ATX Wolters Kluwer"]
TRIP = {
    "EUR": (
        ["FR", "IT", "ES", "DE", "NL", "PT"],
        [
            ("HOTEL LE MARAIS PARIS", 140, 420),
            ("AIRBNB * HMQ2X", 120, 600),
            ("TRENITALIA", 25, 140),
            ("RENFE VIAJEROS", 20, 120),
            ("SNCF INTERNET", 30, 160),
            ("RISTORANTE DA MARIO", 30, 140),
            ("EL CORTE INGLES", 20, 300),
            ("MUSEE DU LOUVRE", 22, 60),
            ("CAFE DE FLORE", 12, 55),
            ("CARREFOUR CITY", 8, 70),
        ],
    ),
    "GBP": (
        ["GB", "IE"],
        [
            ("PREMIER INN LONDON", 90, 260),
            ("TFL TRAVEL CH", 5, 25),
            ("PRET A MANGER", 6, 20),
            ("DISHOOM COVENT GARDEN", 30, 110),
            ("LNER TICKETS", 25, 150),
            ("HARRODS", 20, 400),
            ("TESCO EXPRESS", 5, 40),
            ("THE BRITISH MUSEUM SHOP", 8, 60),
        ],
    ),
}
EQUIPMENT = [
    ("coffee roaster", "Roasting Co", "Probat-Werke von Gimborn Maschinenfabrik GmbH", "DE", "SHOP ROASTER"),
    ("microbrewery", "Brewing Co", "Ningbo Tiantai Brewing Equipment Co Ltd", "CN", "10BBL BREWHOUSE"),
    ("machine shop", "Precision Machining", "Yeong Chin Machinery Industries Co", "TW", "CNC VERTICAL MILL"),
    ("espresso bar", "Coffee Bar", "La Marzocco Srl", "IT", "ESPRESSO MACHINES"),
    ("bakery", "Bakehouse", "Rondo GmbH", "AT", "DOUGH SHEETER AND OVEN"),
    ("commercial laundry", "Laundry Co", "Electrolux Professional AB", "SE", "WASHER EXTRACTORS"),
    ("print shop", "Print Works", "Heidelberger Druckmaschinen AG", "DE", "OFFSET PRESS"),
    ("sushi restaurant", "Sushi Bar", "Suzumo Machinery Co Ltd", "JP", "SUSHI ROBOT"),
]
NGO_COUNTRIES = ["KE", "UG", "IN", "PH", "GT", "HT", "NP", "BD", "JO", "LB", "TZ", "ET"]
NGO_CAUSES = ["SCHOOL MEALS", "CLEAN WATER", "MATERNAL HEALTH", "GIRLS EDUCATION", "FLOOD RELIEF", "TEACHER SALARIES"]


# =================================================================================================
# the plan of one seed
# =================================================================================================
class GenC(GenB):
    """Set b's plan with refs S<seed>-NNNN and reference ids s<seed>:...; every outflow (the background life's
    too) sized down to the funds there at posting time; conversions, crypto sales and crypto received from
    outside wallets as events of their own."""

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
        """Set a's customer under the S prefix; `born` draws the date of birth from that range of years."""
        assert 0 <= onboarded_day <= LAST_DAY - 2, onboarded_day
        c = Gen.customer(
            self,
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
            dob = dob.replace(year=self.rng.randint(*born))
        self.profiles[-1] = dataclasses.replace(prof, external_ref=new, date_of_birth=dob)
        return c

    def ref(self, tag: str) -> str:
        self.seq += 1
        return f"s{self.seed}:{tag}:{self.seq}"

    # -- outflows of the background life, sized down to the funds there --------------------------------
    def card(self, acct: str, amt: Amount, when: datetime, merchant: str) -> None:
        self.spend(acct, amt, when, merchant)

    def ach_out(self, acct: str, amt: Amount, when: datetime, cp: Counterparty, desc: str | None = None) -> None:
        self.out("ach", acct, amt, when, cp, desc)

    def wire_out(self, acct: str, amt: Amount, when: datetime, cp: Counterparty, desc: str | None = None) -> None:
        self.out("wire", acct, amt, when, cp, desc)

    def p2p_out(self, acct: str, amt: Amount, when: datetime, cp: Counterparty, desc: str | None = None) -> None:
        self.out("p2p", acct, amt, when, cp, desc)

    def p2p(self, a: str, b: str, amt: Amount, when: datetime, desc: str | None = None) -> None:
        self.give(a, b, amt, when, desc)

    def cash_out(self, acct: str, amt: Amount, when: datetime, where: str | None = None) -> None:
        self.withdraw(acct, amt, when, where or self.atm())

    # -- set c's events ------------------------------------------------------------------------------
    def spend_at(self, acct: str, amt: Amount, when: datetime, merchant: str, country: str | None = None) -> None:
        """A card payment (sized down to the funds there) at a merchant, abroad when `country` is given."""
        cur = acct.rsplit("-", 1)[1]
        t = Transfer(
            self.ref("sp"),
            [Leg.debit(acct, money(amt)), Leg.credit(f"CARD-SETTLEMENT-{cur}", money(amt))],
            merchant,
            None,
            when,
            channel="CARD",
            counterparty=Counterparty(merchant, None, None, country),
        )
        self.capped(when, t)

    def sweep(
        self, how: str, acct: str, share: float, when: datetime, cp: Counterparty, desc: str | None = None
    ) -> None:
        """Send `share` of the funds there at posting time out by wire, ACH or P2P."""
        make = {"wire": wire_out, "ach": ach_out}.get(how)
        ref = self.ref(f"s{how[0]}")
        mv = (
            make(ref, acct, CENT, beneficiary=cp, effective_at=when, description=desc)
            if make
            else p2p_out(ref, acct, CENT, payee=cp, effective_at=when, description=desc)
        )
        self.add(when, "share", (mv, share))

    def out_upto(
        self, how: str, acct: str, amt: Amount, share: float, when: datetime, cp: Counterparty, desc: str | None = None
    ) -> None:
        """Send `amt` out by wire or ACH, but no more than `share` of the funds there at posting time."""
        make = wire_out if how == "wire" else ach_out
        mv = make(self.ref(f"u{how[0]}"), acct, money(amt), beneficiary=cp, effective_at=when, description=desc)
        self.add(when, "upto", (mv, share))

    def sweep_give(self, src: str, dst: str, share: float, when: datetime, desc: str | None = None) -> None:
        """P2P of `share` of the funds there at posting time to another customer."""
        self.add(when, "share", (p2p(self.ref("sg"), src, dst, CENT, effective_at=when, description=desc), share))

    def convert(self, src: str, dst: str, when: datetime, *, amount: Amount | None = None, share: float = 1.0) -> None:
        """A currency conversion at the bank's rate of `amount` (capped to the funds there), or of `share` of
        the funds there."""
        self.add(when, "conv", (self.ref("fx"), src, dst, None if amount is None else money(amount), share))

    def sell_crypto(self, src: str, dst: str, share: float, when: datetime) -> None:
        """Sell `share` of the coins in `src` for the fiat of `dst` at the market price less 0.5%."""
        self.add(when, "sell", (self.ref("cs"), src, dst, share))

    def crypto_in(self, acct: str, usd: Amount, when: datetime, wallet: Counterparty) -> None:
        """Coins worth `usd` at the market price received from an outside wallet."""
        self.add(when, "cin", (self.ref("ci"), acct, money(usd), wallet))


# =================================================================================================
# helpers
# =================================================================================================
def clip(when: datetime) -> datetime:
    """`when`, moved back into the base period when a random delay took it past the last day."""
    return min(when, END - timedelta(minutes=17))


def bank(country: str) -> str:
    return MORE_BANKS.get(country) or FOREIGN_BANKS.get(country) or EXTRA_BANKS.get(country) or "Foreign Bank"


def local(g: GenC, country: str) -> str:
    """A person's name as common in `country` (a generic one where there is no list)."""
    first, last = NAMES.get(country) or LOCAL_NAMES.get(country) or (FIRST, LAST)
    return f"{g.rng.choice(first)} {g.rng.choice(last)}"


def someone_abroad(g: GenC, country: str, name: str | None = None) -> Counterparty:
    return g.outside(name or local(g, country), country, bank(country))


def firm_abroad(g: GenC, country: str, name: str | None = None) -> Counterparty:
    r = g.rng
    name = name or f"{r.choice(SHELL_WORDS)} {r.choice(SHELL_KINDS)} {SHELL_SUFFIX.get(country, 'Ltd')}"
    return g.outside(name, country, bank(country))


def firm_us(g: GenC, words: list[str]) -> Counterparty:
    r = g.rng
    return Counterparty(
        f"{r.choice(LAST)} {r.choice(words)}", f"{r.randint(10**8, 10**9 - 1)}", r.choice(BANKS_US), "US"
    )


def own_at(g: GenC, c: Cust, institution: str) -> Counterparty:
    """The customer's own account at another US institution."""
    return Counterparty(c.name, f"{g.rng.randint(10**8, 10**9 - 1)}", institution, "US")


def wallet(g: GenC, coin: str) -> Counterparty:
    """An outside (unhosted) wallet address."""
    r = g.rng
    if coin == "ETH":
        return Counterparty("external wallet", "0x" + "".join(r.choice("0123456789abcdef") for _ in range(40)))
    chars = "023456789acdefghjklmnpqrstuvwxyz"
    return Counterparty("external wallet", "bc1q" + "".join(r.choice(chars) for _ in range(38)))


def night(g: GenC, day: int) -> datetime:
    """A time between 8 pm and 4 am starting on `day`."""
    h = g.rng.choice([20, 21, 22, 22, 23, 23, 0, 0, 1, 1, 2, 3])
    return g.t(min(day + 1, LAST_DAY) if h < 6 else day, h)


def weights(g: GenC, n: int, lo: float = 0.5, hi: float = 1.5) -> list[float]:
    """`n` random shares summing to 1."""
    w = [g.rng.uniform(lo, hi) for _ in range(n)]
    s = sum(w)
    return [x / s for x in w]


def payroll(g: GenC, acct: str, d0: int, d1: int, monthly: float, employer: str | None = None) -> list[int]:
    """Pay (ACH, every 14 or 30 days, or twice a month) from an employer into `acct` in [d0, d1); the paydays."""
    r = g.rng
    every = r.choice([14, 14, 15, 30])
    name = employer or r.choice(EMPLOYERS)
    emp = Counterparty(name, f"{r.randint(10**8, 10**9 - 1)}", r.choice(BANKS_US), "US")
    days = []
    d = d0 + r.randint(0, min(every, 10))
    while d < d1:
        g.ach_in(acct, monthly * every / 30 * r.uniform(0.97, 1.03), g.t(d, 6), emp, f"PAYROLL {name.upper()}")
        days.append(d)
        d += every
    return days


def living(g: GenC, acct: str, d0: int, d1: int, monthly: float, *, rent: bool = True, spend: float = 0.45) -> None:
    """Rent, two utilities, card spending and some ATM cash in [d0, d1) (no income; sized to the funds there)."""
    r = g.rng
    landlord = Counterparty(r.choice(["Greystar Residential", "Equity Residential", "Oak Street Holdings"]), None, None)
    util = [Counterparty(u, None, None, "US") for u in r.sample(UTILITIES, 2)]
    for m in range(d0 // 30, d1 // 30 + 1):
        if rent and d0 + 3 <= m * 30 + 2 < d1:
            g.ach_out(acct, monthly * r.uniform(0.25, 0.33), g.t(m * 30 + 2), landlord, "RENT")
        for u in util:
            dd = m * 30 + r.randint(5, 25)
            if d0 + 4 <= dd < d1:
                g.ach_out(acct, r.uniform(40, 160), g.t(dd), u)
    budget = monthly * spend / 30
    for d in range(d0 + 1, d1):
        if r.random() < 0.55:
            m = r.choice(MERCHANTS)
            g.spend(acct, max(3.0, min(r.uniform(m[2], m[3]), budget * 2.5)), g.t(d), m[0])
        if r.random() < 0.04:
            g.withdraw(acct, r.choice([40, 60, 100, 200]), g.t(d), g.atm())


def banking(g: GenC, t: datetime) -> datetime:
    """`t`, or the next branch opening hours (9 am to 4 pm) after it."""
    if t.hour < 9:
        t = t.replace(hour=g.rng.randint(9, 12))
    elif t.hour > 16:
        t = (t + timedelta(days=1)).replace(hour=g.rng.randint(9, 12))
    return clip(t)


def branch_in(g: GenC, city: str) -> str:
    return f"BR-{city}-{g.rng.randint(1, 60):03d}"


def same_address(g: GenC, c: Cust, like: Cust) -> None:
    """Give `c` the address (street, postal code, city) of `like`."""
    src = next(p for p in g.profiles if p.external_ref == like.ref)
    i = next(i for i, p in enumerate(g.profiles) if p.external_ref == c.ref)
    g.profiles[i] = dataclasses.replace(
        g.profiles[i], address_line=src.address_line, postal_code=src.postal_code, city=src.city, region=src.region
    )
    c.city = like.city


def young(g: GenC, onboard: int, until: int, salary: tuple[float, float] = (1300, 3000), **kw: Any) -> Cust:
    """A young retail customer with a modest job and life."""
    r = g.rng
    return person(
        g,
        r.choice(["RETAIL", "RETAIL", "STUDENT"]),
        g.occupation("young"),
        onboard,
        until,
        r.uniform(*salary),
        opening=(150, 1200),
        rent=r.random() < 0.5,
        born=(1994, 2006),
        **kw,
    )


# =================================================================================================
# laundering families
# =================================================================================================
def bec_mule_business(g: GenC) -> None:
    """Victims' payments (invoices, closing funds) redirected by email compromise land in a business account
    opened weeks before; 75-98% leaves within about three days in pieces, mostly wires abroad."""
    r = g.rng
    a = r.randint(18, 76)
    o = r.randint(max(0, a - 50), a - 4)
    occ = r.choice(["general trading", "consulting", "logistics services", "import/export", "IT services"])
    name = f"{r.choice(LAST)} {r.choice(['Global', 'International', 'Supply', 'Trade', 'Solutions'])} LLC"
    established = r.random() < 0.35
    if established:
        c = business(g, occ, o, r.uniform(6000, 25000), name, processor=False)
    else:
        c = g.customer("SMALL_BUSINESS", occ, onboarded_day=o, name=name)
        g.opening(c, c.accounts["USD"], r.uniform(100, 2500), o + 1)
        light_life(g, c.accounts["USD"], o + 2, DAYS, 0.15)
    acct = c.accounts["USD"]
    pool: list[tuple[str, Counterparty | None]] = []
    for _ in range(r.randint(2, 4)):
        kind = r.choices(["abroad", "us_person", "cash"], [0.65, 0.25, 0.10])[0]
        if kind == "abroad":
            ctry = r.choice(["HK", "CN", "MX", "NG", "TR", "AE", "GB", "MY", "ZA"])
            pool.append((f"wire {ctry}", firm_abroad(g, ctry) if r.random() < 0.7 else someone_abroad(g, ctry)))
        elif kind == "us_person":
            pool.append(("wire US", g.outside(g.person_name(), "US")))
        else:
            pool.append(("cash", None))
    n = r.randint(1, 3)
    total_in = 0.0
    pieces: list[tuple[str, int]] = []
    victims = []
    for i in range(n):
        d = min(a + i * r.randint(0, 3), 82)
        kind = r.choice(["supplier invoice", "real estate closing", "payroll diversion", "vendor payment"])
        vname = {
            "supplier invoice": f"{r.choice(LAST)} Manufacturing Inc",
            "real estate closing": g.person_name(),
            "payroll diversion": f"{r.choice(LAST)} Medical Group PC",
            "vendor payment": f"{r.choice(['County of', 'City of'])} {r.choice(LAST)} School District",
        }[kind]
        ctry = "US" if r.random() < 0.8 else r.choice(["GB", "DE", "CA", "AU"])
        victim = g.outside(vname, ctry, None if ctry == "US" else bank(ctry))
        amt = r.uniform(25000, 120000) if r.random() < 0.6 else r.uniform(120000, 480000)
        desc = {
            "supplier invoice": f"INV {r.randint(10000, 99999)} PAYMENT",
            "real estate closing": "CLOSING FUNDS",
            "payroll diversion": "PAYROLL FUNDING",
            "vendor payment": f"VENDOR PMT PO {r.randint(1000, 9999)}",
        }[kind]
        when = g.t(d, r.randint(9, 15))
        (g.wire_in if r.random() < 0.75 or ctry != "US" else g.ach_in)(acct, amt, when, victim, desc)
        total_in += amt
        victims.append(f"{kind} {ctry}")
        share = r.uniform(0.75, 0.98)
        k = r.randint(2, 6)
        start = when + timedelta(hours=r.uniform(1, 30))
        for w in weights(g, k):
            how, cp = r.choice(pool)
            x = amt * share * w
            t = clip(start + timedelta(hours=r.uniform(0, 60)))
            if cp is None:
                g.withdraw(acct, round(min(x, r.uniform(4000, 9800)), -1), banking(g, t), g.branch())
            else:
                g.out("wire", acct, x, t, cp, r.choice([None, "PAYMENT", "INVOICE", "SERVICES"]))
            pieces.append((how, round(x)))
    g.label(
        "bec_mule_business",
        "laundering",
        [c],
        {
            "account_age_days": a - o,
            "established_trade": established,
            "victim_payments": victims,
            "total_in": round(total_in),
            "pieces(how,amount)": pieces,
        },
    )


def unlicensed_msb_hawala(g: GenC) -> None:
    """A personal account of a community member takes many small payments and cash from many senders and
    settles with a counterpart abroad every week or two by wires netting them (85-98%)."""
    r = g.rng
    community, settle, word = r.choice(HAWALA_CORRIDORS)
    o = r.randint(0, 30)
    c = person(
        g,
        "RETAIL",
        r.choice(["grocery store clerk", "travel agent", "mobile phone shop owner", "taxi driver", "cashier"]),
        o,
        DAYS,
        r.uniform(2200, 4500),
        name=local(g, community),
    )
    acct = c.accounts["USD"]
    a = o + r.randint(4, 15)
    end = r.randint(min(a + 25, 86), 86)
    senders = [g.outside(local(g, community), "US") for _ in range(r.randint(15, 60))]
    if settle == "AE":
        partners = [
            firm_abroad(g, "AE", f"{r.choice(SHELL_WORDS)} General Trading LLC") for _ in range(r.randint(1, 2))
        ]
    else:
        partners = [someone_abroad(g, settle) for _ in range(r.randint(1, 3))]
    cash = r.random() < 0.6
    collected = 0.0
    n_in = n_cash = 0
    settlements: list[tuple[int, int]] = []
    nxt = a + r.randint(5, 12)
    for d in range(a, end + 1):
        for _ in range(r.choice([0, 0, 1, 1, 2, 3, 4])):
            s = r.choice(senders)
            amt = float(r.choice([100, 150, 200, 250, 300, 400, 500, 600, 700, 800, 1000, 1200, 1500, 2000]))
            if r.random() < 0.25:
                amt += r.choice([20.0, 35.0, 50.0])
            how = g.p2p_in if r.random() < 0.8 else g.ach_in
            how(
                acct,
                amt,
                g.t(d, r.choice([8, 12, 17, 18, 19, 20, 21])),
                s,
                r.choice([None, "family", "for mom", "send"]),
            )
            collected += amt
            n_in += 1
        if cash and r.random() < 0.2:
            amt = r.uniform(2000, 9500)
            g.cash_in(acct, amt, g.t(d, r.randint(10, 17)), g.branch())
            collected += amt
            n_cash += 1
        if d >= nxt or (d == end and collected > 1000):
            x = collected * r.uniform(0.85, 0.98)
            parts = r.randint(1, 2)
            for _ in range(parts):
                g.out("wire", acct, x / parts, g.t(min(d + 1, LAST_DAY), r.randint(9, 15)), r.choice(partners))
            settlements.append((d + 1, round(x)))
            collected = 0.0
            nxt = d + r.randint(5, 12)
    g.label(
        "unlicensed_msb_hawala",
        "laundering",
        [c],
        {
            "community": community,
            "settles_in": settle,
            "service": word,
            "senders": len(senders),
            "payments_in": n_in,
            "cash_deposits": n_cash,
            "settlements(day,amount)": settlements,
        },
    )


def tf_small_collections(g: GenC) -> None:
    """Terrorist financing: small donations from many people forwarded to individuals in countries next to a
    conflict zone, or a fighter's travel funded by a loan and cashed-out savings, then ATM cash near a border."""
    r = g.rng
    ctry = r.choice(list(FTF_PLACES))
    if r.random() < 0.55:
        o = r.randint(0, 35)
        c = young(g, o, DAYS)
        acct = c.accounts["USD"]
        a = o + r.randint(5, 15)
        span = r.randint(21, min(60, 86 - a))
        donors = [g.outside(g.person_name(), "US") for _ in range(r.randint(8, 35))]
        helpers = [someone_abroad(g, ctry) for _ in range(r.randint(1, 3))]
        got = 0.0
        n_gifts = 0
        fwd: list[tuple[int, int]] = []
        nxt = a + r.randint(5, 12)
        for d in range(a, a + span + 1):
            for _ in range(r.choice([0, 0, 0, 1, 1, 2])):
                amt = float(r.choice([20, 25, 40, 50, 50, 75, 100, 100, 150, 200, 250, 300]))
                g.p2p_in(acct, amt, g.t(d, r.randint(8, 23)), r.choice(donors), r.choice([None, "donation", "support"]))
                got += amt
                n_gifts += 1
            if d >= nxt and got > 300:
                x = got * r.uniform(0.6, 0.95)
                helper = r.choice(helpers)
                when = g.t(min(d + 1, LAST_DAY))
                if r.random() < 0.65:
                    g.out("wire", acct, x, when, helper, r.choice([None, "FAMILY SUPPORT", "HELP"]))
                else:
                    remitter = Counterparty(r.choice(REMITTERS), None, None, "US")
                    g.out("ach", acct, x, when, remitter, f"TRANSFER TO {helper.name.upper()} {ctry}")
                fwd.append((d + 1, round(x)))
                got = 0.0
                nxt = d + r.randint(5, 12)
        shape: dict[str, Any] = {
            "variant": "collector",
            "donors": len(donors),
            "gifts": n_gifts,
            "to": ctry,
            "forwards(day,amount)": fwd,
        }
    else:
        o = r.randint(0, 25)
        dep = r.randint(o + 25, 80)
        c = young(g, o, dep)
        acct = c.accounts["USD"]
        shape = {"variant": "fighter travel", "to": ctry, "departure_day": dep}
        loan_d = dep - r.randint(5, 20)
        loaned = r.random() < 0.7
        if loaned:
            loan = r.uniform(3000, 15000)
            lender = Counterparty(r.choice(["Upstart Network", "LendingClub Bank", "Avant LLC", "OneMain Financial"]))
            g.ach_in(acct, loan, g.t(loan_d, 7), lender, "LOAN PROCEEDS")
            shape["consumer_loan"] = round(loan)
        if not loaned or r.random() < 0.5:
            sav = r.uniform(1500, 9000)
            g.ach_in(acct, sav, g.t(loan_d + 1), own_at(g, c, r.choice(HYSA)), "TRANSFER")
            shape["savings_in"] = round(sav)
        g.spend_at(acct, r.uniform(550, 1600), g.t(dep - r.randint(2, 6), r.randint(0, 23)), r.choice(FTF_AIRLINES))
        for _ in range(r.randint(1, 3)):
            m = r.choice(GEAR)
            g.spend_at(acct, r.uniform(m[1], m[2]), g.t(dep - r.randint(1, 5)), m[0])
        n_wd = r.randint(2, 5)
        for i in range(n_wd):
            g.withdraw(acct, round(r.uniform(800, 3000), -1), g.t(dep - 1 - i % 3, r.randint(9, 17)), g.branch())
        place = r.choice(FTF_PLACES[ctry])
        abroad_n = r.randint(3, 9)
        for i in range(abroad_n):
            d = min(dep + 1 + i // 2, LAST_DAY)
            g.withdraw(acct, r.choice([200, 300, 400, 500]), g.t(d), f"ATM-{ctry}-{place}-{r.randint(100, 999)}")
        for _ in range(r.randint(0, 3)):
            g.p2p_in(acct, r.uniform(100, 900), g.t(min(dep + r.randint(1, 8), LAST_DAY)), us_person(g))
        shape.update({"branch_withdrawals": n_wd, "atm_abroad": f"{abroad_n} at {place}"})
    g.label("tf_small_collections", "laundering", [c], shape)


def us_person(g: GenC) -> Counterparty:
    return g.outside(g.person_name(), "US")


def abroad_or_us(g: GenC, name: str, country: str) -> Counterparty:
    return g.outside(name, country, None if country == "US" else bank(country))


def human_trafficking(g: GenC) -> None:
    """A controller's account: cash deposits in several cities, many small P2P from unrelated people late at
    night, nightly motels, ride-shares and online ads, rent for several flats; victims' accounts at the same
    address pass their takings on."""
    r = g.rng
    o = r.randint(0, 25)
    a = o + r.randint(3, 10)
    end = min(a + r.randint(21, 56), 87)
    c = g.customer(
        "RETAIL",
        r.choice(["spa manager", "nail salon manager", "club promoter", "self-employed", "unemployed", "driver"]),
        onboarded_day=o,
        born=(1975, 1998),
    )
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(300, 2500), o + 1)
    cities = r.sample(["NYC", "NEWARK", "ATLANTA", "HOUSTON", "DALLAS", "MIAMI", "CHICAGO", "PHOENIX"], r.randint(2, 4))
    victims: list[Cust] = []
    for _ in range(r.randint(0, 3)):
        v = g.customer("RETAIL", r.choice(["student", "waitress", "unemployed", "dancer"]), onboarded_day=a - 1)
        same_address(g, v, c)
        victims.append(v)
    buyers = [us_person(g) for _ in range(r.randint(20, 70))]
    n_p2p = n_cash = n_night = 0
    cash_total = 0.0
    landlords = [
        Counterparty(f"{r.choice(LAST)} Property Management", None, r.choice(BANKS_US), "US")
        for _ in range(r.randint(2, 3))
    ]
    for d in range(a, end + 1):
        takers = [acct] + [v.accounts["USD"] for v in victims]
        for _ in range(r.choice([0, 1, 1, 2, 3, 4])):
            who = r.choice(takers)
            g.p2p_in(who, float(r.choice([100, 150, 160, 200, 250, 300, 400, 500, 600])), night(g, d), r.choice(buyers))
            n_p2p += 1
        for v in victims:
            if r.random() < 0.5:
                g.sweep_give(v.accounts["USD"], acct, r.uniform(0.7, 1.0), night(g, d) + timedelta(hours=4))
        if r.random() < 0.3:
            amt = r.uniform(1000, 7500)
            g.cash_in(acct, amt, g.t(d, r.randint(9, 17)), branch_in(g, r.choice(cities)))
            n_cash += 1
            cash_total += amt
        if r.random() < 0.6:
            g.spend_at(acct, r.uniform(55, 140), night(g, d), r.choice(MOTELS))
            n_night += 1
        if r.random() < 0.35:
            g.spend_at(acct, r.uniform(10, 60), night(g, d), r.choice(AD_SITES))
            n_night += 1
        if r.random() < 0.5:
            m = r.choice(NIGHT_SPEND)
            g.spend_at(acct, r.uniform(m[1], m[2]), night(g, d), m[0])
            n_night += 1
        if r.random() < 0.06:
            g.spend_at(acct, r.uniform(40, 60), g.t(d), r.choice(["BOOST MOBILE", "METRO BY T-MOBILE", "TRACFONE"]))
        if r.random() < 0.05:
            g.spend_at(acct, r.uniform(80, 320), g.t(d), r.choice(["GREYHOUND LINES", "SPIRIT AIRL", "FRONTIER AIR"]))
    for m in range(a // 30, end // 30 + 1):
        for lord in landlords:
            d = m * 30 + r.randint(1, 4)
            if a <= d <= end:
                g.out("ach", acct, r.uniform(1100, 2400), g.t(d), lord, "RENT")
    # the takings move on every week or so: to associates, to someone abroad, or as cash
    home = r.choice(["MX", "CN", "TH", "RO", "NG", "VN", "HN", "PH"])
    associates = [us_person(g) for _ in range(r.randint(1, 3))]
    abroad = someone_abroad(g, home)
    moved: list[str] = []
    d = a + r.randint(5, 10)
    while d <= min(end + 2, LAST_DAY):
        how = r.choice(["p2p", "p2p", "wire", "cash"])
        if how == "p2p":
            g.sweep("p2p", acct, r.uniform(0.3, 0.6), g.t(d, r.randint(10, 23)), r.choice(associates))
        elif how == "wire":
            g.sweep("wire", acct, r.uniform(0.3, 0.6), g.t(d, r.randint(9, 15)), abroad, "FAMILY SUPPORT")
        else:
            for _ in range(r.randint(1, 3)):
                g.withdraw(
                    acct, round(r.uniform(1000, 4000), -1), g.t(d, r.randint(9, 16)), branch_in(g, r.choice(cities))
                )
        moved.append(f"{how} {home}" if how == "wire" else how)
        d += r.randint(5, 10)
    g.label(
        "human_trafficking",
        "laundering",
        [c, *victims],
        {
            "days": [a, end],
            "cities": cities,
            "cash_deposits": n_cash,
            "cash_total": round(cash_total),
            "night_p2p_in": n_p2p,
            "night_card_payments": n_night,
            "flats": len(landlords),
            "victim_accounts_same_address": len(victims),
            "moved_on": moved,
        },
    )


def ransomware_crypto_cashout(g: GenC) -> None:
    """Crypto from outside wallets (a ransom in one to three payments, or a darknet vendor's many sales) sold
    for dollars within hours and sent on: wires abroad, transfers to other banks, cash."""
    r = g.rng
    coin = "BTC" if r.random() < 0.8 else "ETH"
    o = r.randint(0, 40)
    c = person(
        g,
        "RETAIL",
        g.occupation(r.choice(["retail", "young"])),
        o,
        DAYS,
        r.uniform(2000, 6000),
        currencies=("USD", coin),
    )
    usd, cc = c.accounts["USD"], c.accounts[coin]
    outs: list[str] = []
    if r.random() < 0.6:
        n = r.randint(1, 3)
        a = r.randint(o + 5, 78)
        total = 0.0
        for i in range(n):
            x = r.uniform(25000, 350000) / n
            when = g.t(a + i * r.randint(0, 2), r.randint(0, 23))
            g.crypto_in(cc, x, when, wallet(g, coin))
            total += x
            sold = when + timedelta(hours=r.uniform(1, 30))
            g.sell_crypto(cc, usd, r.uniform(0.9, 1.0), sold)
            for _ in range(r.randint(1, 4)):
                t = clip(sold + timedelta(hours=r.uniform(2, 72)))
                how = r.choices(["wire abroad", "ach other bank", "cash"], [0.55, 0.3, 0.15])[0]
                if how == "wire abroad":
                    ctry = r.choice(["HK", "AE", "TR", "GE", "KZ", "SG", "CY"])
                    g.out("wire", usd, x * r.uniform(0.2, 0.6), t, firm_abroad(g, ctry))
                elif how == "ach other bank":
                    g.out("ach", usd, x * r.uniform(0.2, 0.5), t, own_at(g, c, r.choice(BANKS_US)))
                else:
                    g.withdraw(usd, round(r.uniform(3000, 9500), -1), banking(g, t), g.branch())
                outs.append(how)
        shape: dict[str, Any] = {"variant": "ransom", "coin": coin, "deposits": n, "usd_value": round(total)}
    else:
        a = r.randint(o + 3, o + 15)
        end = r.randint(min(a + 21, 86), 86)
        n = 0
        total = 0.0
        nxt = a + r.randint(4, 8)
        for d in range(a, end + 1):
            for _ in range(r.choice([0, 0, 1, 1, 2])):
                x = r.uniform(150, 2500)
                g.crypto_in(cc, x, g.t(d, r.randint(0, 23)), wallet(g, coin))
                total += x
                n += 1
            if d >= nxt:
                g.sell_crypto(cc, usd, 1.0, g.t(d, r.randint(0, 23)))
                for _ in range(r.randint(1, 4)):
                    g.withdraw(
                        usd, r.choice([300, 400, 500, 600, 800]), g.t(min(d + r.randint(1, 2), LAST_DAY)), g.atm()
                    )
                if r.random() < 0.6:
                    g.sweep("p2p", usd, r.uniform(0.2, 0.5), g.t(min(d + 1, LAST_DAY)), us_person(g))
                    outs.append("p2p")
                if r.random() < 0.4:
                    g.sweep(
                        "ach", usd, r.uniform(0.3, 0.7), g.t(min(d + 2, LAST_DAY)), own_at(g, c, r.choice(BANKS_US))
                    )
                    outs.append("ach other bank")
                outs.append("atm")
                nxt = d + r.randint(5, 9)
        shape = {"variant": "darknet vendor", "coin": coin, "deposits": n, "usd_value": round(total)}
    shape["outs"] = outs
    g.label("ransomware_crypto_cashout", "laundering", [c], shape)


def fx_layering_own_accounts(g: GenC) -> None:
    """Third-party wires into the USD account converted through two or three of the customer's own currency
    accounts within days, then wired out from the last one to companies in Europe."""
    r = g.rng
    o = r.randint(0, 40)
    biz = r.random() < 0.4
    seg = "SMALL_BUSINESS" if biz else r.choice(["PREMIUM", "RETAIL"])
    c = g.customer(
        seg, g.occupation("biz" if biz else "retail"), onboarded_day=o, currencies=("USD", "EUR", "GBP"), risk="LOW"
    )
    usd = c.accounts["USD"]
    g.opening(c, usd, r.uniform(1000, 8000), o + 1)
    if biz:
        g.business_life(c, usd, o + 1, DAYS, r.uniform(8000, 30000), processor=False)
    else:
        light_life(g, usd, o + 2, DAYS, 0.3)
    a = r.randint(o + 5, 74)
    n_in = r.randint(1, 3)
    total = 0.0
    for i in range(n_in):
        x = r.uniform(40000, 350000) / n_in
        ctry = r.choice(["HK", "AE", "CY", "PA", "SG", "TR", "VG"])
        g.wire_in(usd, x, g.t(a + i, r.randint(9, 15)), firm_abroad(g, ctry), r.choice([None, "SERVICES", "LOAN"]))
        total += x
    first, second = r.sample(["EUR", "GBP"], 2)
    path = ["USD", first] + (["USD"] if r.random() < 0.3 else []) + [second]
    if r.random() < 0.3:
        path.append(first)
    t_in = g.t(a, 12)
    t = g.t(a + n_in - 1, 16)
    for src, dst in itertools.pairwise(path):
        t = clip(t + timedelta(hours=r.uniform(2, 40)))
        g.convert(c.accounts[src], c.accounts[dst], t, share=r.uniform(0.92, 1.0) if src == "USD" else 1.0)
    last = c.accounts[path[-1]]
    ctries = ["CY", "LV", "LT", "EE", "MT", "NL", "IE"] if path[-1] == "EUR" else ["GB"]
    benes = [firm_abroad(g, r.choice(ctries)) for _ in range(r.randint(1, 3))]
    out_share = r.uniform(0.9, 0.99)
    for i, cp in enumerate(benes):
        left = len(benes) - i
        t = clip(t + timedelta(hours=r.uniform(1, 30)))
        g.sweep("wire", last, out_share / left if i < len(benes) - 1 else out_share, t, cp, "PAYMENT")
    g.label(
        "fx_layering_own_accounts",
        "laundering",
        [c],
        {
            "in_usd": round(total),
            "wires_in": n_in,
            "path": path,
            "out_wires": len(benes),
            "to": sorted({b.country or "" for b in benes}),
            "hours_in_to_out": round((t - t_in).total_seconds() / 3600),
        },
    )


def pep_proxy_corruption(g: GenC) -> None:
    """A relative of a foreign official, without income, receives large 'consulting' payments from a public
    works contractor, then luxury goods, a car, a property deposit and a wire to an own account abroad."""
    r = g.rng
    home = r.choice(["NG", "BR", "MX", "MY", "ZA", "SA", "CO", "PH", "TR", "US"])
    o = r.randint(0, 30)
    c = g.customer(
        r.choice(["RETAIL", "PREMIUM"]),
        r.choice(["homemaker", "student", "art consultant", "unemployed", "yoga instructor", "socialite"]),
        onboarded_day=o,
        country=home,
        name=local(g, home) if home != "US" else None,
        risk=r.choice(["LOW", "MEDIUM"]),
        born=(1970, 2003),
    )
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(2000, 15000), o + 1)
    light_life(g, acct, o + 2, DAYS, 0.5)
    if home == "US" or r.random() < 0.4:
        payer = firm_us(g, CONTRACTORS_GOV)
    else:
        payer = firm_abroad(g, home, f"{r.choice(LAST)} {r.choice(CONTRACTORS_GOV)} {SHELL_SUFFIX.get(home, 'Ltd')}")
    n = r.randint(2, 5)
    a = r.randint(o + 5, 55)
    total = 0.0
    pays: list[tuple[int, int]] = []
    for i in range(n):
        d = min(a + i * r.randint(4, 12), 80)
        x = r.uniform(40000, 300000)
        if r.random() < 0.5:
            x = round(x, -4)
        g.wire_in(acct, x, g.t(d), payer, r.choice(["CONSULTING FEE", "ADVISORY SERVICES AGREEMENT", "COMMISSION"]))
        total += x
        pays.append((d, round(x)))
    used: list[str] = []
    for _ in range(r.randint(2, 7)):
        m = r.choice(LUXURY)
        g.spend_at(acct, r.uniform(m[1], m[2]), g.t(min(a + r.randint(1, 30), LAST_DAY)), m[0])
        used.append("luxury")
    if r.random() < 0.6:
        used.append("car")
        g.out(
            "wire",
            acct,
            r.uniform(80000, 200000),
            g.t(min(a + r.randint(3, 25), LAST_DAY)),
            Counterparty(r.choice(DEALERS), None, r.choice(BANKS_US), "US"),
            "VEHICLE PURCHASE",
        )
    if r.random() < 0.5:
        title = Counterparty(r.choice(TITLE_COS), None, None, "US")
        g.out("wire", acct, total * r.uniform(0.2, 0.45), g.t(min(a + r.randint(10, 35), LAST_DAY)), title, "DEPOSIT")
        used.append("property")
    if r.random() < 0.5:
        school, ctry = r.choice(SCHOOLS)
        g.out(
            "wire",
            acct,
            r.uniform(25000, 70000),
            g.t(min(a + r.randint(2, 30), LAST_DAY)),
            abroad_or_us(g, school, ctry),
        )
        used.append("school")
    ctry = r.choice(["CH", "AE", "GB", "SG"])
    g.sweep(
        "wire",
        acct,
        r.uniform(0.5, 0.9),
        g.t(min(a + r.randint(15, 40), LAST_DAY)),
        Counterparty(c.name, f"{ctry}{r.randint(10**14, 10**15 - 1)}", bank(ctry), ctry),
    )
    used.append(f"own account {ctry}")
    g.label(
        "pep_proxy_corruption",
        "laundering",
        [c],
        {"home": home, "payer": payer.name, "payments(day,amount)": pays, "total": round(total), "uses": used},
    )


def synthetic_bust_out(g: GenC) -> None:
    """One to three identities at one address build a clean history for six to ten weeks, then receive
    transfers from 'own' accounts elsewhere and empty the account within two days (ATMs, branch cash,
    electronics and gift cards, P2P, a wire)."""
    r = g.rng
    k = r.randint(1, 3)
    bust = r.randint(50, 84)
    ids: list[Cust] = []
    per: list[dict[str, Any]] = []
    for _ in range(k):
        o = r.randint(max(0, bust - 80), bust - 40)
        c = g.customer(
            "RETAIL", r.choice(["sales associate", "self-employed", "warehouse worker", "student"]), onboarded_day=o
        )
        if ids:
            same_address(g, c, ids[0])
        acct = c.accounts["USD"]
        g.opening(c, acct, r.uniform(50, 400), o + 1)
        employer = f"{r.choice(LAST)} {r.choice(['Staffing', 'Services', 'Enterprises'])} LLC"
        payroll(g, acct, o + 2, bust - 2, r.uniform(1400, 2800), employer)
        light_life(g, acct, o + 3, bust, 0.45)
        issuer = Counterparty(r.choice(CARD_ISSUERS), None, None, "US")
        for m in range(o // 30, bust // 30 + 1):
            d = m * 30 + r.randint(10, 20)
            if o + 5 <= d < bust:
                g.out("ach", acct, r.uniform(40, 250), g.t(d), issuer, "PAYMENT")
        b = bust + r.randint(0, 2)
        n_in = r.randint(2, 5)
        got = 0.0
        for i in range(n_in):
            x = r.uniform(2000, 12000)
            g.ach_in(
                acct, x, g.t(b, r.randint(5, 9)) + timedelta(minutes=i), own_at(g, c, r.choice(BANKS_US)), "TRANSFER"
            )
            got += x
        t0 = g.t(b, 10)
        n_atm = r.randint(3, 10)
        for i in range(n_atm):
            t = clip(t0 + timedelta(hours=i * r.uniform(1, 4)))
            g.withdraw(acct, r.choice([300, 400, 500, 600, 800, 1000]), t, g.atm())
        g.withdraw(acct, round(r.uniform(2000, 8000), -2), clip(t0 + timedelta(hours=r.uniform(1, 26))), g.branch())
        for _ in range(r.randint(1, 4)):
            m = r.choice(
                [("BEST BUY 00012", 400, 2500), ("APPLE STORE R102", 800, 3000), ("VANILLA GIFT VISA", 200, 500)]
            )
            g.spend_at(acct, r.uniform(m[1], m[2]), clip(t0 + timedelta(hours=r.uniform(0, 30))), m[0])
        for _ in range(r.randint(1, 3)):
            g.sweep("p2p", acct, r.uniform(0.2, 0.5), clip(t0 + timedelta(hours=r.uniform(1, 36))), us_person(g))
        g.sweep("wire", acct, 1.0, clip(t0 + timedelta(hours=r.uniform(40, 46))), us_person(g))
        ids.append(c)
        per.append({"onboarded": o, "build_days": b - o, "bust_in": round(got), "atm": n_atm})
    g.label("synthetic_bust_out", "laundering", ids, {"identities_same_address": k, "bust_day": bust, "per": per})


def drug_proceeds_p2p(g: GenC) -> None:
    """Many small P2P payments from unrelated people (drug slang or emoji in memos) and cash deposits, sent
    on to Mexico by wire, or to Chinese chemical and pill-press makers."""
    r = g.rng
    street = r.random() < 0.6
    o = r.randint(0, 30)
    c = young(g, o, DAYS, (1000, 2600))
    acct = c.accounts["USD"]
    a = o + r.randint(3, 10)
    end = r.randint(min(a + 30, 86), 86)
    buyers = [us_person(g) for _ in range(r.randint(20, 80))]
    n_p2p = n_cash = 0
    got = 0.0
    outs: list[tuple[int, str, int]] = []
    mx = [someone_abroad(g, "MX") for _ in range(r.randint(1, 2))] if street else []
    nxt = a + r.randint(6, 14)
    for d in range(a, end + 1):
        for _ in range(r.choice([0, 1, 1, 2, 2, 3, 4, 5])):
            x = float(r.choice([20, 25, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300]))
            g.p2p_in(acct, x, g.t(d, r.choice([11, 14, 17, 19, 21, 22, 23])), r.choice(buyers), r.choice(DRUG_MEMOS))
            got += x
            n_p2p += 1
        if r.random() < 0.18:
            x = r.uniform(1000, 8000)
            g.cash_in(acct, x, g.t(d, r.randint(10, 17)), g.branch())
            got += x
            n_cash += 1
        if d >= nxt and got > 2000:
            if street:
                x = got * r.uniform(0.5, 0.8)
                g.out("wire", acct, x, g.t(min(d + 1, LAST_DAY)), r.choice(mx))
                outs.append((d + 1, "wire MX", round(x)))
            else:
                name, ctry = r.choice(CHEM_FIRMS if r.random() < 0.7 else PRESS_FIRMS)
                x = min(got * r.uniform(0.5, 0.85), r.uniform(3000, 25000))
                g.out("wire", acct, x, g.t(min(d + 1, LAST_DAY)), firm_abroad(g, ctry, name), "ORDER")
                outs.append((d + 1, name, round(x)))
            for _ in range(r.randint(0, 3)):
                g.withdraw(acct, r.choice([200, 300, 400, 500]), g.t(min(d + r.randint(0, 2), LAST_DAY)), g.atm())
            got = 0.0
            nxt = d + r.randint(6, 14)
    g.label(
        "drug_proceeds_p2p",
        "laundering",
        [c],
        {
            "variant": "street sales to Mexico" if street else "precursors and pill press from China",
            "buyers": len(buyers),
            "p2p_in": n_p2p,
            "cash_deposits": n_cash,
            "outs(day,to,amount)": outs,
        },
    )


def quick_in_out_round_wires(g: GenC) -> None:
    """A newly opened personal account receives wires in large round amounts from unrelated senders and sends
    them on in round amounts the same or next day, keeping 1-3%."""
    r = g.rng
    o = r.randint(5, 55)
    c = g.customer(r.choice(["RETAIL", "PREMIUM"]), g.occupation("retail"), onboarded_day=o)
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(100, 1500), o + 1)
    light_life(g, acct, o + 2, DAYS, 0.25)
    d = o + r.randint(3, 12)
    cycles: list[tuple[int, int, list[int]]] = []
    for _ in range(r.randint(2, 5)):
        if d > 84:
            break
        x = float(r.choice([10000, 15000, 20000, 25000, 30000, 40000, 50000, 75000, 100000, 150000]))
        ctry = "US" if r.random() < 0.5 else r.choice(["MX", "HK", "AE", "GB", "PA", "CN", "TR"])
        sender = g.outside(g.person_name() if r.random() < 0.5 else f"{r.choice(LAST)} Holdings", ctry)
        t = g.t(d, r.randint(8, 13))
        g.wire_in(acct, x, t, sender)
        k = r.randint(1, 3)
        keep = r.uniform(0.01, 0.03)
        parts = [float(int(x * (1 - keep) * w / 1000) * 1000) for w in weights(g, k)]
        for p in parts:
            ctry = "US" if r.random() < 0.5 else r.choice(["MX", "HK", "AE", "GB", "PA", "CN", "TR", "CO"])
            g.out("wire", acct, p, clip(t + timedelta(hours=r.uniform(1, 28))), g.outside(g.person_name(), ctry))
        cycles.append((d, round(x), [round(p) for p in parts]))
        d += r.randint(3, 12)
    g.label("quick_in_out_round_wires", "laundering", [c], {"account_age_days": cycles[0][0] - o, "cycles": cycles})


def offshore_third_party_payments(g: GenC) -> None:
    """Wires from offshore companies pay, through a personal or LLC account, a car dealer, schools, a yacht
    broker, a law firm and people's card bills, none of them the customer's own."""
    r = g.rng
    o = r.randint(0, 40)
    llc = r.random() < 0.4
    if llc:
        c = g.customer(
            "SMALL_BUSINESS",
            "consulting",
            onboarded_day=o,
            name=f"{r.choice(LAST)} {r.choice(['Advisors', 'Partners'])} LLC",
        )
    else:
        home = r.choice(["BR", "MX", "CO", "NG", "TR", "CN", "SA"])
        c = g.customer(r.choice(["PREMIUM", "RETAIL"]), "investor", onboarded_day=o, country=home, name=local(g, home))
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(1000, 10000), o + 1)
    light_life(g, acct, o + 2, DAYS, 0.2)
    funders = [firm_abroad(g, r.choice(["VG", "SC", "PA", "BZ", "CY", "AE"])) for _ in range(r.randint(1, 2))]
    a = r.randint(o + 4, 70)
    total = 0.0
    n_in = r.randint(1, 4)
    target = r.uniform(80000, 500000)
    for i in range(n_in):
        x = target / n_in * r.uniform(0.8, 1.2)
        g.wire_in(acct, x, g.t(min(a + i * r.randint(3, 8), 82)), r.choice(funders), r.choice([None, "TRANSFER"]))
        total += x
    payees: list[tuple[str, Counterparty, float, float]] = [
        ("car dealer", Counterparty(r.choice(DEALERS), None, r.choice(BANKS_US), "US"), 60000, 180000),
        ("school", abroad_or_us(g, *r.choice(SCHOOLS)), 20000, 65000),
        (
            "yacht broker",
            Counterparty(f"{r.choice(LAST)} Yacht Sales Inc", None, r.choice(BANKS_US), "US"),
            40000,
            150000,
        ),
        ("law firm", Counterparty(f"{r.choice(LAST)} & {r.choice(LAST)} LLP IOLA", None, None, "US"), 10000, 60000),
        ("jet charter", Counterparty(r.choice(["XO Global LLC", "Wheels Up Partners", "VistaJet US"])), 15000, 60000),
        ("property manager", firm_us(g, ["Realty Management"]), 8000, 30000),
        ("card bill of another", Counterparty(r.choice(CARD_ISSUERS), None, None, "US"), 5000, 25000),
        ("person", us_person(g), 5000, 40000),
        ("person", us_person(g), 5000, 40000),
    ]
    chosen = r.sample(payees, r.randint(4, 8))
    spent = total * r.uniform(0.85, 0.98)
    sizes = weights(g, len(chosen), 0.3, 1.0)
    paid = []
    for (kind, cp, lo, hi), w in zip(chosen, sizes, strict=True):
        d = min(a + r.randint(1, 20), LAST_DAY)
        how = "p2p" if kind == "person" and r.random() < 0.3 else ("ach" if r.random() < 0.3 else "wire")
        x = max(lo, min(hi * 3, spent * w))
        g.out(how, acct, x, g.t(d), cp, None if kind == "card bill of another" else "PAYMENT")
        paid.append((kind, round(x)))
    g.label(
        "offshore_third_party_payments",
        "laundering",
        [c],
        {"holder": "LLC" if llc else f"individual {c.country}", "in": round(total), "wires_in": n_in, "paid": paid},
    )


def benefit_fraud_prepaid_split(g: GenC) -> None:
    """State benefit and tax refund credits in other people's names land in one account within one or two
    weeks and are split within days to many prepaid and neobank accounts; the rest taken at ATMs."""
    r = g.rng
    a = r.randint(12, 78)
    c = young(g, r.randint(0, a - 6), DAYS)
    acct = c.accounts["USD"]
    span = r.randint(3, min(14, 86 - a))
    cards = [g.outside(g.person_name(), "US", r.choice(PREPAID_BANKS)) for _ in range(r.randint(4, 15))]
    n = r.randint(3, 12)
    total = 0.0
    agencies = set()
    for _ in range(n):
        agency, kind = r.choice(UI_AGENCIES)
        other = g.person_name().upper()
        x = r.uniform(1500, 9000) if r.random() < 0.5 else r.uniform(300, 900)
        d = a + r.randint(0, span)
        g.ach_in(acct, x, g.t(d, r.randint(3, 7)), Counterparty(agency, None, "US Treasury", "US"), f"{kind} {other}")
        total += x
        agencies.add(agency)
        for _ in range(r.randint(1, 3)):
            t = clip(g.t(d, 9) + timedelta(hours=r.uniform(1, 60)))
            g.out(r.choice(["ach", "p2p"]), acct, r.uniform(300, 2500), t, r.choice(cards))
        if r.random() < 0.5:
            g.withdraw(
                acct, r.choice([400, 500, 600, 800]), clip(g.t(d, 12) + timedelta(hours=r.uniform(0, 30))), g.atm()
            )
    g.label(
        "benefit_fraud_prepaid_split",
        "laundering",
        [c],
        {"credits": n, "agencies": sorted(agencies), "total": round(total), "prepaid_cards": len(cards), "span": span},
    )


# =================================================================================================
# benign look-alikes
# =================================================================================================
def charity_grants_abroad(g: GenC) -> None:
    """A registered charity: many small donations, donor-advised fund grants and online-giving payouts; staff
    payroll and rent; grants wired to the same partner NGOs abroad every month or quarter."""
    r = g.rng
    o = r.randint(0, 10)
    name = f"{r.choice(['Bright Futures', 'Wells for Villages', 'Hope Bridge', 'Open Hands', 'Seeds of Learning'])} "
    name += r.choice(["Foundation", "Fund Inc", "Relief Inc", "International"])
    c = g.customer("SMALL_BUSINESS", "non-profit organisation", onboarded_day=o, name=name)
    acct = c.accounts["USD"]
    prior = Counterparty(name, f"{r.randint(10**8, 10**9 - 1)}", r.choice(BANKS_US), "US")
    g.ach_in(acct, r.uniform(8000, 60000), g.t(o + 1), prior, "TRANSFER FROM PRIOR BANK")
    size = r.uniform(0.5, 3.0)
    platforms = [
        Counterparty(x, None, None, "US")
        for x in r.sample(["Benevity Fund", "PayPal Giving Fund", "Network for Good", "Stripe Payments"], 2)
    ]
    dafs = ["Fidelity Charitable Gift Fund", "Schwab Charitable Fund", "Vanguard Charitable", "NPT Donor Fund"]
    got = 0.0
    gifts = 0
    for d in range(o + 2, DAYS):
        for _ in range(int(r.uniform(0, 4) * size)):
            x = float(r.choice([10, 20, 25, 25, 50, 50, 100, 100, 150, 250, 500]))
            g.p2p_in(acct, x, g.t(d, r.randint(7, 23)), us_person(g), r.choice([None, "donation", "monthly gift"]))
            got += x
            gifts += 1
        if weekday(d) == 0:
            for p in platforms:
                x = r.uniform(300, 4000) * size
                g.ach_in(acct, x, g.t(d, 6), p, "DONATIONS PAYOUT")
                got += x
        if r.random() < 0.05 * size:
            x = float(r.choice([1000, 2500, 5000, 10000, 25000]))
            g.ach_in(acct, x, g.t(d, 7), Counterparty(r.choice(dafs), None, None, "US"), "GRANT RECOMMENDATION")
            got += x
    staff = [us_person(g) for _ in range(r.randint(1, 4))]
    d = o + r.randint(5, 14)
    while d < DAYS:
        for s in staff:
            g.out("ach", acct, r.uniform(1400, 2600), g.t(d, 6), s, "PAYROLL")
        d += 14
    office = firm_us(g, ["Properties LLC", "Realty"])
    for m in range(0, 3):
        if o + 3 <= m * 30 + 1 < DAYS:
            g.out("ach", acct, r.uniform(900, 3500), g.t(m * 30 + 1), office, "OFFICE RENT")
    partners = []
    for _ in range(r.randint(1, 4)):
        ctry = r.choice(NGO_COUNTRIES)
        cause = r.choice(NGO_CAUSES)
        kind = r.choice(["Community", "Rural", "Children", "Village"])
        org = f"{kind} {cause.title()} {r.choice(['Trust', 'Society'])}"
        partners.append((g.outside(org, ctry, bank(ctry)), cause))
    monthly = r.random() < 0.6
    grants = []
    for m in range(0, 3) if monthly else [r.randint(1, 2)]:
        for cp, cause in partners:
            d = min(m * 30 + r.randint(15, 28), LAST_DAY)
            if d <= o + 15:
                continue
            x = got / 3 * r.uniform(0.4, 0.7) / len(partners) * (1 if monthly else 3) * r.uniform(0.5, 1.0)
            g.out("wire", acct, x, g.t(d), cp, f"GRANT {f'2026-{m + 1:02d}' if monthly else '2026-Q1'} {cause}")
            grants.append((cp.country, round(x)))
    g.label(
        "charity_grants_abroad",
        "benign",
        [c],
        {"donations": gifts, "raised": round(got), "partners": len(partners), "monthly": monthly, "grants": grants},
    )


def gig_worker_cashouts(g: GenC) -> None:
    """A driver or courier paid by one to three platforms through instant payouts most days, who buys fuel,
    pays the car and rent, takes some cash and sends a little to family."""
    r = g.rng
    o = r.randint(0, 20)
    c = g.customer(
        "RETAIL", r.choice(["rideshare driver", "food delivery courier", "grocery shopper", "courier"]), onboarded_day=o
    )
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(200, 2000), o + 1)
    plats = r.sample(GIG_PLATFORMS, r.randint(1, 3))
    level = r.uniform(60, 220)
    payouts = 0
    got = 0.0
    for d in range(o + 2, DAYS):
        if r.random() < 0.25:
            continue
        for name, desc in plats:
            for _ in range(r.choice([0, 1, 1, 1, 2, 3])):
                x = level / len(plats) * r.uniform(0.3, 1.6)
                g.ach_in(
                    acct, x, g.t(d, r.choice([10, 14, 18, 21, 22, 23])), Counterparty(name, None, None, "US"), desc
                )
                payouts += 1
                got += x
        if r.random() < 0.7:
            g.spend_at(
                acct, r.uniform(25, 70), g.t(d), r.choice(["SHELL OIL 57442", "CHEVRON 0091", "EXXONMOBIL 4411"])
            )
        if r.random() < 0.12:
            g.withdraw(acct, r.choice([40, 60, 80, 100, 200]), g.t(d), g.atm())
    living(g, acct, o + 2, DAYS, got / max(1, (DAYS - o) / 30) * 0.6)
    lender = Counterparty(r.choice(["Ally Auto Finance", "Toyota Financial Services", "Hertz Rideshare Rental"]))
    fam = us_person(g) if r.random() < 0.5 else someone_abroad(g, r.choice(REMIT_COUNTRIES))
    for m in range(0, 3):
        d = m * 30 + r.randint(5, 12)
        if o + 5 <= d < DAYS:
            g.out("ach", acct, r.uniform(250, 550), g.t(d), lender, "AUTO PAYMENT")
            g.out("p2p" if fam.country == "US" else "wire", acct, r.uniform(100, 400), g.t(d + 1), fam)
    g.label(
        "gig_worker_cashouts",
        "benign",
        [c],
        {"platforms": [p[0] for p in plats], "payouts": payouts, "earned": round(got)},
    )


def divorce_settlement(g: GenC) -> None:
    """A settlement wire from the other side's lawyer, then within weeks attorney fees, a brokerage, card
    payoffs, a home deposit or a move; support payments monthly."""
    r = g.rng
    a = r.randint(15, 70)
    c = person(
        g,
        r.choice(["RETAIL", "PREMIUM"]),
        g.occupation("retail"),
        r.randint(0, a - 8),
        DAYS,
        r.uniform(3000, 9000),
        born=(1965, 1990),
    )
    acct = c.accounts["USD"]
    last = c.name.split()[-1]
    lump = r.uniform(40000, 450000)
    firm = f"{r.choice(LAST)} Family Law PLLC IOLA" if r.random() < 0.6 else f"{r.choice(FIRST)} {last}"
    g.wire_in(acct, lump, g.t(a), Counterparty(firm, None, r.choice(BANKS_US), "US"), "MSA SETTLEMENT PAYMENT")
    uses: list[str] = []
    own_lawyer = Counterparty(f"{r.choice(LAST)} & {r.choice(LAST)} LLP", None, r.choice(BANKS_US), "US")
    g.out(
        r.choice(["ach", "wire"]),
        acct,
        r.uniform(5000, 30000),
        g.t(min(a + r.randint(1, 10), LAST_DAY)),
        own_lawyer,
        "LEGAL FEES",
    )
    uses.append("attorney")
    g.out(
        "ach",
        acct,
        lump * r.uniform(0.2, 0.5),
        g.t(min(a + r.randint(2, 20), LAST_DAY)),
        own_at(g, c, r.choice(BROKERS)),
        "TRANSFER TO BROKERAGE",
    )
    uses.append("brokerage")
    if r.random() < 0.6:
        g.out(
            "ach",
            acct,
            r.uniform(2000, 15000),
            g.t(min(a + r.randint(1, 7), LAST_DAY)),
            Counterparty(r.choice(CARD_ISSUERS)),
            "PAYMENT",
        )
        uses.append("card payoff")
    if r.random() < 0.5:
        g.out(
            "wire",
            acct,
            lump * r.uniform(0.15, 0.35),
            g.t(min(a + r.randint(10, 30), LAST_DAY)),
            Counterparty(r.choice(TITLE_COS)),
            "EARNEST MONEY",
        )
        uses.append("home deposit")
    else:
        g.out(
            "ach",
            acct,
            r.uniform(2500, 7000),
            g.t(min(a + r.randint(3, 15), LAST_DAY)),
            firm_us(g, ["Apartments LLC"]),
            "DEPOSIT AND FIRST MONTH",
        )
        g.spend_at(
            acct,
            r.uniform(1500, 6000),
            g.t(min(a + r.randint(5, 20), LAST_DAY)),
            r.choice(["TWO MEN AND A TRUCK", "U-HAUL #0411"]),
        )
        for _ in range(r.randint(1, 4)):
            g.spend_at(
                acct,
                r.uniform(300, 3000),
                g.t(min(a + r.randint(5, 25), LAST_DAY)),
                r.choice(["IKEA US ONLINE", "WAYFAIR*4471", "ASHLEY FURNITURE 112"]),
            )
        uses.append("moved out")
    if r.random() < 0.4:
        g.out(
            "ach",
            acct,
            r.uniform(2000, 15000),
            g.t(min(a + r.randint(5, 25), LAST_DAY)),
            Counterparty(r.choice(["NY 529 DIRECT PLAN", "MY529", "SCHOLARSHARE 529"])),
            "CONTRIBUTION",
        )
        uses.append("529")
    support = None
    if r.random() < 0.6:
        support = r.uniform(600, 3000)
        payer = r.choice(
            [
                Counterparty(f"{r.choice(FIRST)} {last}", None, r.choice(BANKS_US), "US"),
                Counterparty("STATE DISBURSEMENT UNIT"),
            ]
        )
        for m in range(0, 3):
            d = m * 30 + r.randint(1, 5)
            if c.onboard + 2 <= d < DAYS:
                g.ach_in(acct, support, g.t(d, 6), payer, "SUPPORT PAYMENT")
    g.label(
        "divorce_settlement",
        "benign",
        [c],
        {"lump": round(lump), "from": firm, "uses": uses, "monthly_support": round(support) if support else None},
    )


def tax_preparer_season(g: GenC) -> None:
    """A tax preparer's busy season: from late January many client payments (card payouts, P2P, some cash)
    and daily refund-transfer fee remittances; seasonal staff, software, rent, the owner's draw."""
    r = g.rng
    o = r.randint(0, 10)
    c = business(
        g, "tax preparation service", o, r.uniform(3000, 9000), f"{r.choice(LAST)} Tax Services", processor=False
    )
    acct = c.accounts["USD"]
    open_day = r.randint(18, 28)
    proc = Counterparty(r.choice(["Square Inc", "Clover Merchant Services", "Stripe Payments"]))
    rt = Counterparty(r.choice(RT_PROVIDERS), None, None, "US")
    scale = r.uniform(0.5, 2.0)
    clients = 0
    fees = 0.0
    cash = 0.0
    for d in range(max(open_day, o + 2), DAYS):
        busy = (d - open_day) / (DAYS - open_day)
        n = int(r.uniform(1, 3 + 10 * busy) * scale)
        if weekday(d) == 6:
            n //= 3
        card = 0.0
        for _ in range(n):
            fee = r.uniform(120, 650)
            way = r.random()
            if way < 0.5:
                card += fee
            elif way < 0.8:
                g.p2p_in(
                    acct, round(fee), g.t(d, r.randint(9, 20)), us_person(g), r.choice([None, "tax prep", "taxes"])
                )
            else:
                cash += fee
            clients += 1
            fees += fee
        if card:
            g.ach_in(acct, card * 0.97, g.t(min(d + 1, LAST_DAY), 6), proc, "SETTLEMENT")
        if d >= open_day + 7 and weekday(d) < 5:
            x = r.uniform(200, 2500) * scale * (0.3 + busy)
            g.ach_in(acct, x, g.t(d, 5), rt, "RT FEE REMIT")
            fees += x
        if weekday(d) == 4 and cash > 300:
            g.cash_in(acct, cash, g.t(d, 17), g.branch())
            cash = 0.0
    g.out(
        "ach", acct, r.uniform(1500, 4500), g.t(max(o + 3, 12)), Counterparty(r.choice(TAX_SOFTWARE)), "ANNUAL LICENSE"
    )
    staff = [us_person(g) for _ in range(r.randint(1, 5))]
    d = open_day + r.randint(10, 14)
    while d < DAYS:
        for s in staff:
            g.out("ach", acct, r.uniform(800, 2200), g.t(d, 6), s, "PAYROLL")
        d += 14
    owner = Counterparty(f"{r.choice(FIRST)} {c.name.split()[0]}", None, r.choice(BANKS_US), "US")
    for d in range(open_day + 21, DAYS, 14):
        g.sweep("ach", acct, r.uniform(0.2, 0.4), g.t(d), owner, "OWNER DRAW")
    for d in range(open_day, DAYS, 7):
        g.spend_at(acct, r.uniform(50, 400), g.t(d), "GOOGLE *ADS")
    g.label(
        "tax_preparer_season",
        "benign",
        [c],
        {"season_from_day": open_day, "clients": clients, "fees": round(fees), "staff": len(staff)},
    )


def hobby_crypto_trader(g: GenC) -> None:
    """A salaried customer who buys bitcoin or ether every week or two and on dips, and sells part now and
    then to pay a card or move the gain to a brokerage."""
    r = g.rng
    coins = r.sample(["BTC", "ETH"], r.randint(1, 2))
    o = r.randint(0, 25)
    c = person(
        g,
        r.choice(["RETAIL", "PREMIUM"]),
        g.occupation("retail"),
        o,
        DAYS,
        r.uniform(4000, 12000),
        currencies=("USD", *coins),
    )
    usd = c.accounts["USD"]
    dca = r.choice([25, 50, 100, 150, 200, 250, 500])
    every = r.choice([7, 14])
    buys = sells = 0
    for d in range(o + r.randint(3, 10), DAYS, every):
        for coin in coins:
            g.buy_crypto(usd, c.accounts[coin], dca * r.uniform(0.95, 1.05), g.t(d, r.randint(7, 22)))
            buys += 1
    for _ in range(r.randint(0, 3)):
        g.buy_crypto(
            usd, c.accounts[r.choice(coins)], r.uniform(500, 5000), g.t(r.randint(o + 5, LAST_DAY), r.randint(0, 23))
        )
        buys += 1
    for _ in range(r.randint(1, 3)):
        d = r.randint(o + 20, LAST_DAY - 2)
        g.sell_crypto(c.accounts[r.choice(coins)], usd, r.uniform(0.2, 0.6), g.t(d, r.randint(0, 23)))
        sells += 1
        if r.random() < 0.5:
            g.out("ach", usd, r.uniform(300, 3000), g.t(d + 1), own_at(g, c, r.choice(BROKERS)), "TRANSFER")
    if r.random() < 0.3:
        g.ach_in(
            usd,
            r.uniform(500, 5000),
            g.t(r.randint(o + 5, 80)),
            Counterparty(r.choice(EXCHANGES)[0], None, None, "US"),
            "WITHDRAWAL",
        )
    g.label(
        "hobby_crypto_trader",
        "benign",
        [c],
        {"coins": coins, "dca": dca, "every_days": every, "buys": buys, "sells": sells},
    )


def traveller_fx(g: GenC) -> None:
    """Dollars converted to euros or pounds days before a trip, card and ATM spending abroad, the rest
    converted back after coming home."""
    r = g.rng
    cur = r.choice(["EUR", "EUR", "GBP"])
    o = r.randint(0, 30)
    c = person(
        g,
        r.choice(["RETAIL", "PREMIUM"]),
        g.occupation("retail"),
        o,
        DAYS,
        r.uniform(4500, 13000),
        opening=(4000, 15000),
        currencies=("USD", cur),
    )
    usd, fx = c.accounts["USD"], c.accounts[cur]
    countries, merchants = TRIP[cur]
    trips = []
    dep = r.randint(o + 10, 70)
    while dep < 78 and len(trips) < 2:
        length = r.randint(5, min(16, 86 - dep))
        ctry = r.choice(countries)
        g.spend_at(
            usd,
            r.uniform(600, 2500),
            g.t(dep - r.randint(15, 40) if dep > o + 45 else o + 2),
            r.choice(["DELTA AIR 0062", "UNITED 0162", "BRITISH AIRWAYS"]),
        )
        amt = r.uniform(800, 7000)
        g.convert(usd, fx, g.t(dep - r.randint(2, 7)), amount=amt)
        spends = [(d, r.choice(merchants)) for d in range(dep, dep + length) for _ in range(r.randint(1, 4))]
        draws = [r.uniform(m[1], m[2]) for _, m in spends]
        scale = amt * 0.9 * r.uniform(0.6, 1.0) / sum(draws)  # in the trip's currency, about
        for (d, m), x in zip(spends, draws, strict=True):
            g.spend_at(fx, max(2.0, x * min(scale, 1.5)), g.t(d, r.randint(8, 23)), m[0], ctry)
        for d in range(dep, dep + length):
            if r.random() < 0.2:
                g.withdraw(fx, r.choice([50, 100, 150, 200]), g.t(d), f"ATM-{ctry}-{r.randint(100, 999)}")
        back = min(dep + length + r.randint(1, 10), LAST_DAY)
        g.convert(fx, usd, g.t(back), share=1.0 if r.random() < 0.6 else r.uniform(0.6, 0.95))
        trips.append({"out_day": dep, "days": length, "country": ctry, "converted": round(amt), "back_day": back})
        dep = back + r.randint(10, 30)
    g.label("traveller_fx", "benign", [c], {"currency": cur, "trips": trips})


def own_accounts_shuffle(g: GenC) -> None:
    """A saver who moves money out to their own high-yield savings and brokerage accounts after paydays and
    back when bills or a purchase come, sometimes a large amount out and back within days."""
    r = g.rng
    o = r.randint(0, 15)
    c = person(g, r.choice(["RETAIL", "PREMIUM"]), g.occupation("retail"), o, DAYS, r.uniform(5000, 14000))
    acct = c.accounts["USD"]
    hysa = own_at(g, c, r.choice(HYSA))
    broker = own_at(g, c, r.choice(BROKERS))
    g.ach_in(acct, r.uniform(3000, 30000), g.t(o + 2), hysa, "TRANSFER FROM SAVINGS")
    moves: list[tuple[int, str]] = []
    for _ in range(r.randint(4, 10)):
        d = r.randint(o + 4, LAST_DAY)
        if r.random() < 0.55:
            g.sweep("ach", acct, r.uniform(0.3, 0.7), g.t(d), r.choice([hysa, broker]), "TRANSFER TO SAVINGS")
            moves.append((d, "out"))
        else:
            g.ach_in(acct, r.uniform(1000, 15000), g.t(d), r.choice([hysa, broker]), "TRANSFER FROM SAVINGS")
            moves.append((d, "in"))
    if r.random() < 0.5:
        d = r.randint(o + 5, 80)
        big = float(r.choice([20000, 25000, 30000, 40000, 50000]))
        g.ach_in(acct, big, g.t(d), broker, "WITHDRAWAL")
        g.out_upto("ach", acct, big, 0.9, g.t(min(d + r.randint(2, 8), LAST_DAY)), hysa, "TRANSFER TO SAVINGS")
        moves.append((d, f"round trip {round(big)}"))
    g.label(
        "own_accounts_shuffle",
        "benign",
        [c],
        {"moves": sorted(moves), "institutions": [hysa.institution, broker.institution]},
    )


def immigrant_remittance(g: GenC) -> None:
    """A worker paid every two weeks or monthly who sends 10-35% of each pay home, through a remittance
    company or a wire to a relative's bank, more before a family occasion."""
    r = g.rng
    ctry = r.choice(REMIT_COUNTRIES)
    o = r.randint(0, 20)
    c = g.customer(
        "RETAIL",
        r.choice(["construction laborer", "housekeeper", "line cook", "farmworker", "home health aide", "landscaper"]),
        onboarded_day=o,
        name=local(g, ctry),
    )
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(200, 1500), o + 1)
    monthly = r.uniform(2200, 4800)
    paydays = payroll(g, acct, o + 2, DAYS, monthly)
    living(g, acct, o + 2, DAYS, monthly, rent=r.random() < 0.7)
    share = r.uniform(0.1, 0.35)
    via = r.choice(["remitter", "remitter", "wire"])
    relative = someone_abroad(g, ctry)
    remitter = Counterparty(r.choice(REMITTERS), None, None, "US")
    sent = []
    extra = None
    per_pay = monthly * share * (14 / 30 if len(paydays) > 3 else 1)
    for d in paydays:
        x = round(per_pay * r.uniform(0.85, 1.15), -1)
        when = g.t(min(d + r.randint(0, 2), LAST_DAY), r.randint(8, 21))
        if via == "wire":
            g.out("wire", acct, x, when, relative, "FAMILY SUPPORT")
        else:
            g.out("ach", acct, x, when, remitter, f"TRANSFER TO {relative.name.upper()} {ctry}")
        sent.append(round(x))
    if r.random() < 0.3 and paydays:
        d = r.choice(paydays)
        extra = round(r.uniform(600, 2000))
        g.out("ach", acct, extra, g.t(min(d + 1, LAST_DAY)), remitter, f"TRANSFER TO {relative.name.upper()} {ctry}")
    g.label(
        "immigrant_remittance",
        "benign",
        [c],
        {"country": ctry, "via": via, "share": round(share, 2), "sent": sent, "extra_for_occasion": extra},
    )


def home_renovation(g: GenC) -> None:
    """A homeowner draws on a home-equity line (or brings savings over) and pays a general contractor in
    stages, trades by P2P, home-improvement stores by card and day labourers in cash over weeks."""
    r = g.rng
    a = r.randint(10, 55)
    c = person(
        g,
        r.choice(["RETAIL", "PREMIUM"]),
        g.occupation("retail"),
        r.randint(0, a - 5),
        DAYS,
        r.uniform(5000, 15000),
        rent=False,
        born=(1960, 1992),
    )
    acct = c.accounts["USD"]
    lender = r.choice(MORTGAGE)
    for m in range(0, 3):
        d = m * 30 + 1
        if c.onboard + 3 <= d < DAYS:
            g.out("ach", acct, r.uniform(1500, 4000), g.t(d), Counterparty(lender), "MORTGAGE PMT")
    budget = r.uniform(25000, 150000)
    src = r.choice(["heloc", "heloc", "brokerage", "savings"])
    sender = {
        "heloc": Counterparty(lender, None, None, "US"),
        "brokerage": own_at(g, c, r.choice(BROKERS)),
        "savings": own_at(g, c, r.choice(HYSA)),
    }[src]
    g.ach_in(acct, budget, g.t(a, 7), sender, "HELOC ADVANCE" if src == "heloc" else "TRANSFER")
    gc = firm_us(g, ["Construction LLC", "Home Remodeling Inc", "Builders"])
    span = r.randint(21, min(56, 88 - a))
    stages = r.randint(2, 4)
    for i in range(stages + 1):
        d = min(a + 1 + i * span // stages, LAST_DAY)
        g.out(
            r.choice(["ach", "wire"]),
            acct,
            budget * 0.6 / (stages + 1) * r.uniform(0.8, 1.2),
            g.t(d),
            gc,
            "DEPOSIT" if i == 0 else f"DRAW {i}",
        )
    trades = [us_person(g) for _ in range(r.randint(1, 4))]
    for t in trades:
        g.out(
            "p2p",
            acct,
            r.uniform(500, 6000),
            g.t(min(a + r.randint(3, span), LAST_DAY)),
            t,
            r.choice(["plumbing", "electrical", "tile", "paint"]),
        )
    for _ in range(r.randint(3, 10)):
        g.spend_at(
            acct,
            r.uniform(80, 3500),
            g.t(min(a + r.randint(0, span), LAST_DAY)),
            r.choice(["HOME DEPOT #4410", "LOWES #01822", "FLOOR & DECOR 155"]),
        )
    if r.random() < 0.6:
        g.spend_at(
            acct,
            r.uniform(1500, 9000),
            g.t(min(a + r.randint(10, span), LAST_DAY)),
            r.choice(["AJ MADISON", "BEST BUY 00012", "FERGUSON BATH KITCHEN"]),
        )
    for _ in range(r.randint(0, 4)):
        g.withdraw(acct, r.choice([200, 300, 400, 500]), g.t(min(a + r.randint(2, span), LAST_DAY)), g.atm())
    g.label(
        "home_renovation",
        "benign",
        [c],
        {"source": src, "budget": round(budget), "stages": stages, "trades": len(trades), "span_days": span},
    )


def startup_capital_equipment(g: GenC) -> None:
    """Founders put capital into a new small business (some through a bank loan), which pays a deposit and
    the balance for equipment to a maker abroad, freight, a build-out contractor and a lease deposit."""
    r = g.rng
    occ, suffix, maker, mctry, goods = r.choice(EQUIPMENT)
    o = r.randint(0, 30)
    c = g.customer("SMALL_BUSINESS", occ, onboarded_day=o, name=f"{r.choice(LAST)} {suffix} LLC")
    acct = c.accounts["USD"]
    founders: list[Cust] = []
    raised = 0.0
    for _ in range(r.randint(2, 3)):
        x = r.uniform(15000, 120000)
        d = o + r.randint(1, 10)
        if r.random() < 0.4:
            f = person(
                g,
                "RETAIL",
                g.occupation("retail"),
                r.randint(0, o),
                DAYS,
                r.uniform(5000, 12000),
                opening=(x * 1.1, x * 1.5),
            )
            g.give(f.accounts["USD"], acct, x, g.t(max(d, f.onboard + 2)), "CAPITAL CONTRIBUTION")
            founders.append(f)
        else:
            g.ach_in(acct, x, g.t(d), g.outside(g.person_name(), "US"), "CAPITAL CONTRIBUTION")
        raised += x
    loan = None
    if r.random() < 0.4:
        loan = r.uniform(50000, 250000)
        g.ach_in(
            acct,
            loan,
            g.t(o + r.randint(8, 20)),
            Counterparty(r.choice(["Live Oak Banking Co", "SBA 7A Lender", "Newtek Small Business Finance"])),
            "LOAN PROCEEDS",
        )
    a = o + r.randint(10, 25)
    price = (raised + (loan or 0)) * r.uniform(0.4, 0.7)
    dep = r.uniform(0.3, 0.5)
    supplier = g.outside(maker, mctry, bank(mctry))
    g.out("wire", acct, price * dep, g.t(a), supplier, f"PROFORMA {r.randint(1000, 9999)} {goods} DEPOSIT")
    bal_day = min(a + r.randint(20, 45), LAST_DAY - 3)
    g.out("wire", acct, price * (1 - dep), g.t(bal_day), supplier, f"{goods} BALANCE BEFORE SHIPMENT")
    g.out(
        "ach",
        acct,
        r.uniform(2000, 12000),
        g.t(min(bal_day + r.randint(1, 3), LAST_DAY)),
        Counterparty(r.choice(["Flexport Inc", "Expeditors International", "DHL Global Forwarding"])),
        "FREIGHT AND CUSTOMS",
    )
    g.out(
        "ach",
        acct,
        r.uniform(4000, 15000),
        g.t(o + r.randint(3, 12)),
        firm_us(g, ["Commercial Properties", "Realty LLC"]),
        "LEASE DEPOSIT",
    )
    gc = firm_us(g, ["Build-Out LLC", "Contractors Inc"])
    for i in range(r.randint(1, 3)):
        g.out("ach", acct, r.uniform(5000, 25000), g.t(min(a + 5 + i * 12, LAST_DAY)), gc, f"BUILD-OUT DRAW {i + 1}")
    for d in range(o + 3, DAYS, 9):
        g.spend_at(
            acct,
            r.uniform(20, 600),
            g.t(d),
            r.choice(["GOOGLE *WORKSPACE", "SHOPIFY* SUBSCR", "ULINE *SHIP SUPPLIES", "COSTCO WHSE #0112"]),
        )
    g.label(
        "startup_capital_equipment",
        "benign",
        [c, *founders],
        {
            "business": occ,
            "raised": round(raised),
            "loan": round(loan) if loan else None,
            "equipment": f"{maker} {mctry}",
            "price": round(price),
        },
    )


LAUNDERING: list[Callable[[GenC], None]] = [
    bec_mule_business,
    unlicensed_msb_hawala,
    tf_small_collections,
    human_trafficking,
    ransomware_crypto_cashout,
    fx_layering_own_accounts,
    pep_proxy_corruption,
    synthetic_bust_out,
    drug_proceeds_p2p,
    quick_in_out_round_wires,
    offshore_third_party_payments,
    benefit_fraud_prepaid_split,
]
BENIGN: list[Callable[[GenC], None]] = [
    charity_grants_abroad,
    gig_worker_cashouts,
    divorce_settlement,
    tax_preparer_season,
    hobby_crypto_trader,
    traveller_fx,
    own_accounts_shuffle,
    immigrant_remittance,
    home_renovation,
    startup_capital_equipment,
]


# =================================================================================================
# checks and posting
# =================================================================================================
def touched(ev: Ev) -> list[str]:
    """The customer accounts an event moves money on (for the date checks)."""
    d = ev.data
    if ev.kind in ("share", "upto"):
        d = d[0]
    if isinstance(d, Movement):
        return [d.account] + ([d.to_account] if d.to_account else [])
    if isinstance(d, Transfer):
        return [leg.account for leg in d.legs]
    if ev.kind in ("conv", "crypto", "sell"):
        return [d[1], d[2]]
    if ev.kind == "cin":
        return [d[1]]
    raise AssertionError(f"unknown event kind {ev.kind}")


def check(g: GenC) -> None:
    """Every posting in the base bank's period and after its customers' onboarding."""
    onboarded = {code: p.onboarded_at for p in g.profiles for ref, code, _ in g.account_specs if ref == p.external_ref}
    for ev in g.events:
        if not START <= ev.when < END:
            raise AssertionError(f"event {ev.kind} at {ev.when} outside the base period")
        for acct in touched(ev):
            if acct in onboarded and ev.when <= onboarded[acct]:
                raise AssertionError(f"event {ev.kind} at {ev.when} on {acct} before onboarding {onboarded[acct]}")


_G = TypeVar("_G", bound="GenC")


def plan(
    g: _G, prefix: str, url: str, laundering: list[Callable[[_G], None]], benign: list[Callable[[_G], None]]
) -> _G:
    """Plan `g`'s cases (customer refs `prefix`<seed>-NNNN) for the bank at `url`: each laundering family
    `LAUNDERING_N` times, then each look-alike `BENIGN_N` times, checked (the bank is read for its FX range and
    for refs already taken; nothing is posted). Sets c, d and e plan this way, each with its own families."""
    with psycopg.connect(url) as conn:
        taken = conn.execute(
            "SELECT count(*) FROM ledger.customers WHERE external_ref LIKE %s", (f"{prefix}{g.seed}-%",)
        ).fetchone()
    assert taken is not None and taken[0] == 0, f"the bank already has customers with refs {prefix}{g.seed}-*"
    g.fx_band.update(fx_band(url))
    for fam in laundering:
        for _ in range(LAUNDERING_N):
            fam(g)
    for bfam in benign:
        for _ in range(BENIGN_N):
            bfam(g)
    check(g)
    return g


def generate(seed: int, url: str) -> Gen:
    """Plan set c's cases of `seed` for the bank at `url` (nothing is posted)."""
    return plan(GenC(seed), PREFIX, url, LAUNDERING, BENIGN)


def _floor(x: Decimal, unit: Decimal = CENT) -> Decimal:
    return x.quantize(unit, rounding=ROUND_DOWN)


def _amount(item: Movement | Transfer) -> Decimal:
    return Decimal(str(item.amount)) if isinstance(item, Movement) else Decimal(str(item.legs[0].amount))


def _source(item: Movement | Transfer) -> str:
    return item.account if isinstance(item, Movement) else item.legs[0].account


def _resized(item: Movement | Transfer, amt: Decimal) -> Movement | Transfer:
    if isinstance(item, Movement):
        return dataclasses.replace(item, amount=amt)
    return dataclasses.replace(item, legs=[dataclasses.replace(leg, amount=amt) for leg in item.legs])


def _effects(item: Movement | Transfer) -> list[tuple[str, Decimal]]:
    """What a movement or transfer does to the available balance of each account it touches."""
    if isinstance(item, Movement):
        amt = Decimal(str(item.amount))
        if item.to_account is not None:
            return [(item.account, -amt), (item.to_account, amt)]
        return [(item.account, amt if item.inbound else -amt)]
    return [
        (leg.account, Decimal(str(leg.amount)) * (1 if Direction(leg.direction) is Direction.CREDIT else -1))
        for leg in item.legs
    ]


def post_special(ledger: Ledger, g: GenC, ev: Ev, available: Decimal) -> int:
    """Post a conversion, crypto purchase or sale, or crypto received (priced at posting time); how many
    postings it made. `available`: the funds on the event's first customer account."""
    if ev.kind == "conv":
        ref, src, dst, planned, share = ev.data
        amt = _floor(min(planned, available) if planned is not None else available * Decimal(str(share)))
        if amt < 1:
            return 0
        ledger.convert(ref, src, dst, amt, rate(ledger, src[-3:], dst[-3:], ev.when), effective_at=ev.when)
        return 1
    if ev.kind == "crypto":
        ref, src, dst, planned = ev.data
        amt = min(planned, _floor(available / Decimal("1.005")))
        price = ledger.price_at(f"{dst.rsplit('-', 1)[1]}/USD", ev.when)
        if amt < 1 or price is None:
            return 0
        fee = Fee(money(amt * Decimal("0.005")), "FEES-USD")
        ledger.convert(ref, src, dst, amt, (Decimal(1) / price).quantize(Decimal("1e-14")), fee, effective_at=ev.when)
        return 1
    if ev.kind == "sell":
        ref, src, dst, share = ev.data
        qty = _floor(available * Decimal(str(share)), SAT)
        price = ledger.price_at(f"{src.rsplit('-', 1)[1]}/USD", ev.when)
        if price is None or qty * price < 1:
            return 0
        ledger.convert(ref, src, dst, qty, (price * Decimal("0.995")).quantize(Decimal("0.0001")), effective_at=ev.when)
        return 1
    if ev.kind == "cin":
        ref, acct, usd, cp = ev.data
        coin = acct.rsplit("-", 1)[1]
        price = ledger.price_at(f"{coin}/USD", ev.when)
        if price is None:
            return 0
        qty = _floor(usd / price, SAT)
        t = Transfer(
            ref,
            [Leg.debit(f"CRYPTO-CUSTODY-{coin}", qty), Leg.credit(acct, qty)],
            f"{coin} RECEIVED FROM EXTERNAL WALLET",
            None,
            ev.when,
            channel="CRYPTO",
            counterparty=cp,
        )
        ledger.post_many([t]).raise_first()
        return 1
    raise ValueError(f"unknown event kind {ev.kind}")


def post_all(g: Gen, url: str) -> dict[str, Any]:
    """Register the customers, open their accounts and post every event in time order through the public
    ledger API. The funds on each new account are followed as the postings are made (and read back from the
    ledger after every conversion), so that outflows marked capped are sized down to them, sweeps take their
    share of them and `out_upto` payments no more than their share, while all is posted in batches. Returns
    the number posted, a line per refused posting and how many planned postings were skipped (nothing there
    to move)."""
    assert isinstance(g, GenC)
    refused: list[str] = []
    posted = skipped = 0
    funds: dict[str, Decimal] = {code: Decimal(0) for _, code, _ in g.account_specs}
    with Ledger(url, pool_size=2) as ledger:
        # the platform keeps its safeguarding account topped up (internal bookkeeping, before anything below)
        for cur in ("USD", "EUR", "GBP"):
            ledger.post(
                f"s{g.seed}:safeguard-topup:{cur}",
                [Leg.debit(f"SAFEGUARD-{cur}", "30000000"), Leg.credit(f"OPERATING-{cur}", "30000000")],
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

        def resync(accounts: list[str]) -> None:
            for a in accounts:
                if a in funds:
                    funds[a] = ledger.balance(a).available

        def flush() -> None:
            nonlocal posted
            if not batch:
                return
            result = ledger.post_many(batch)
            for rej in result.rejected:
                refused.append(f"{batch[rej.index].reference_id}: {type(rej.error).__name__} {rej.error}")
            posted += result.posted
            if result.rejected:
                resync([a for rej in result.rejected for a, _ in _effects(batch[rej.index])])
            batch.clear()

        def add(item: Movement | Transfer) -> None:
            for a, delta in _effects(item):
                if a in funds:
                    funds[a] += delta
            batch.append(item)
            if len(batch) >= 500:
                flush()

        for ev in sorted(g.events):
            if ev.kind in ("move", "card"):
                add(ev.data)
            elif ev.kind in ("capped", "share", "upto"):
                item, share = (ev.data, 1.0) if ev.kind == "capped" else ev.data
                have = _floor(funds[_source(item)] * Decimal(str(share)))
                amt = have if ev.kind == "share" else min(_amount(item), have)
                if amt < 1:
                    skipped += 1
                    continue
                add(_resized(item, amt))
            else:
                flush()
                accounts = touched(ev)
                try:
                    n = post_special(ledger, g, ev, funds.get(accounts[0], Decimal(0)))
                except LedgerError as exc:
                    refused.append(f"{ev.kind} {ev.data}: {type(exc).__name__} {exc}")
                    n = 0
                posted += n
                skipped += n == 0
                resync(accounts)
        flush()
    return {"posted": posted, "refused": refused, "skipped": skipped}
