"""Set d of the outside tester's scenarios: a fourth independent set of laundering families and benign
look-alikes that sets a (`bench.aml_outsider.scenarios`), b (`bench.aml_outsider.scenarios_b`) and c
(`bench.aml_outsider.scenarios_c`) do not have, written from the public AML literature by a tester who did not
read the project's detection logic, then frozen (never changed because of what was or was not detected).

`generate(seed, url)` plans, for the bank at `url`, NEW customers (refs T<seed>-NNNN, never colliding with set
a's Q, set b's R or set c's S refs) with their accounts, ordinary background life (salary, rent, bills, card
spending, ATM cash; a registered agent and a few card payments for shells; the trade of a business) and the
postings of 12 laundering families (5 instances each) and 10 benign look-alike families (8 each); `post_all`
registers them and posts it all through the public ledger API. The posting machinery is set c's (`GenC`,
`check`, `post_all`): the `ledger.movements` helpers and card `Transfer`s through `Ledger.post_many`,
`Ledger.convert` for currency conversions; every outflow sized down at posting time to the funds there, so
nothing is refused for lack of funds. Every onboarding and posting falls in the base bank's 90 days from
`START`. `Gen.labels` maps each instance (`family#k`) to its family, class, customers, accounts and shape, as
in sets a-c. Every draw comes from one `random.Random(seed)` in a fixed order (the base bank is read for its
FX range and to make sure no customer of it already has a ref of this seed).

The ledger has no cheque channel: a cheque paid in (mobile deposit, casino cheque) is posted as an ACH credit
from the cheque's drawer with a "MOBILE CHECK DEPOSIT" / "CHECK DEPOSIT" description.

Laundering families and their sources:
- pig_butchering_collector: FinCEN Alert FIN-2023-Alert005 (virtual currency investment fraud, "pig
  butchering", Sept 2023) and the FBI IC3 2023 Cryptocurrency Fraud Report: a personal account or a newly
  formed "consulting" LLC collects wires and ACH from many unrelated, mostly older victims who pay several
  times in rising amounts ("deposit", "tax to release funds"), and sends it on within hours or days to crypto
  exchanges and offshore OTC desks, keeping a small cut.
- relief_loan_fraud: SBA OIG Report 23-09 "COVID-19 Pandemic EIDL and PPP Loan Fraud Landscape" (2023) and the
  DOJ COVID-19 Fraud Enforcement Task Force reports (2022-2023), applied to today's SBA disaster loans and
  state relief grants: a shell with no trade receives a government loan or grant, pays no payroll, moves it
  within days to the owner's personal account, who buys a car, luxury goods and crypto and takes cash.
- export_control_evasion: FinCEN/BIS Joint Alert FIN-2022-Alert003 (June 2022) and Supplemental Alert
  FIN-2023-Alert004 (May 2023) on Russian export control evasion; FinCEN Alert FIN-2022-Alert001: a US
  electronics, aircraft-parts, telecom or test-equipment reseller (or a freight forwarder) is prepaid by front
  companies in the UAE, Türkiye, Kazakhstan, Armenia, Georgia, Kyrgyzstan, Uzbekistan, Hong Kong or China (the
  same front under transliteration and punctuation variants of its name, some payments from a third party in
  another country) and pays US suppliers and freight forwarders at once.
- ghost_employee_payroll: ACFE "Occupational Fraud 2024: A Report to the Nations" (payroll schemes, ghost
  employees): accounts opened in a short window, sharing the payroll clerk's address or surname, receive the
  employer's payroll and pass it at once to the clerk (in-bank P2P, ATM cash re-deposited, ACH to the clerk's
  account elsewhere); the employer is outside the bank or a business customer of it.
- cash_front_commingling: FFIEC BSA/AML Examination Manual, "Cash-Intensive Businesses" and appendix F; FATF
  "Professional Money Laundering" (2018), front businesses: a restaurant, salon, car wash or laundromat whose
  cash deposits are several times its card takings, paid in at several branches, then wired to an unrelated
  LLC or a "supplier" abroad and drawn by the owner.
- iolta_client_account: FATF "Money Laundering and Terrorist Financing Vulnerabilities of Legal
  Professionals" (2013); ABA/IBA/CCBE "A Lawyer's Guide to Detecting and Preventing Money Laundering" (2014):
  among a lawyer's ordinary client matters, offshore companies pay large sums into the client trust account
  for a deal that is then "aborted" and refunded to a different party, or paid on to unrelated third parties
  (a yacht broker, a car dealer, people abroad), less a fee; sometimes structured cash into the trust account.
- ach_kiting: FFIEC IT Examination Handbook "Retail Payment Systems" (ACH and cheque kiting) and the FFIEC
  BSA/AML manual appendix F: ACH credits from the customer's own accounts at other banks, each sent on within
  a day to another own account, rising every cycle, then a last large credit spent to a third party and in
  cash (the bust).
- micro_structured_wires: 31 CFR 1010.410(e)-(f) (funds transfer records and travel rule at $3,000); FATF
  "Money Laundering through Money Remittance and Currency Exchange Providers" (2010): cash or P2P collected,
  then many wires or remittances each just under $3,000 to a few beneficiaries abroad, several on some days.
- casino_front_money: FinCEN FIN-2008-G007 "Recognizing Suspicious Activity - Red Flags for Casinos and Card
  Clubs"; FATF "Vulnerabilities of Casinos and Gaming Sector" (2009): structured cash or third-party wires
  sent to a casino as front money, little play, the money back as a casino wire or cheque, then wired on.
- real_estate_shell_purchase: FinCEN Advisory FIN-2017-A003 (real estate) and the residential real estate
  Geographic Targeting Orders; FATF "Money Laundering and Terrorist Financing through the Real Estate Sector"
  (2007): a new LLC with no operations funded by offshore wires in round sums pays an all-cash purchase
  through a title company (earnest money, closing); sometimes a quick resale's proceeds leave to a new
  offshore party.
- tppp_nested_merchants: FinCEN Advisory FIN-2012-A010 "Risk Associated with Third-Party Payment
  Processors"; FFIEC BSA/AML manual "Third-Party Payment Processors": a processor debits many consumers at
  fixed price points for free-trial, tech-support, gaming or debt-relief merchants, a large share comes back
  as "unauthorised" returns, and the rest is wired weekly to merchants abroad less a fee.
- mail_theft_check_fraud: FinCEN Alert FIN-2023-Alert003 (mail theft-related check fraud, Feb 2023): newly
  opened accounts of young people pay in stolen or altered business, Treasury and personal cheques unrelated
  to them, and empty them within days (ATM cash at the daily limit, P2P, a crypto exchange, a coordinator).

Benign look-alikes (the source of the legitimate behaviour, and the laundering red flag it mirrors):
- congregation_collections: IRS Publication 1828 (Tax Guide for Churches and Religious Organizations): weekly
  offering cash after the service (higher in Ramadan, at Lunar New Year, Timket), online giving, staff pay,
  the diocese's assessment and mission or zakat payments abroad (structuring, cash-intensive, TF).
- property_manager_rents: state real-estate trust-account law (e.g. California Business and Professions Code
  §10145): a manager's trust account collects dozens of tenants' rents at the start of each month (ACH, P2P,
  cash, money orders) and pays owners net of its fee mid-month, and repair vendors (fan-in / fan-out, funnel).
- farm_harvest_payroll: IRS Publication 51 (Agricultural Employer's Tax Guide) and the DOL H-2A programme:
  a winter harvest's large weekly settlements from packing houses and co-ops, then weekly pay to a crew, a
  labour contractor and cash advances (fan-out, cash).
- home_sale_then_purchase: NAR "Profile of Home Buyers and Sellers" (repeat buyers): a seller's proceeds from
  one title company wired within days to another for the next home (quick in-out of large wires, real estate).
- insurance_claim_rebuild: NAIC "A Consumer's Guide to Home Insurance" (additional living expenses, dwelling
  and contents): an insurer's claim payments after a fire or flood, then hotels, mitigation, a contractor's
  draws and furniture (lump sum dispersed, BEC-like).
- day_trader_brokerage: FINRA Rule 4210 (pattern day traders, $25,000 minimum equity): frequent round
  transfers to and from brokerages and a futures broker, prop-firm fees and payouts (cycling, round amounts).
- expat_foreign_salary: IRS Publication 519 (U.S. Tax Guide for Aliens): a European employer's monthly salary
  in EUR or GBP converted to dollars, some sent home to the customer's own account (FX layering).
- lottery_prize_gifts: IRS Publication 525 (gambling winnings) and state lottery claim rules: a prize net of
  withholding, then tax payments, gifts to relatives, a car and a mortgage payoff (windfall then fan-out).
- realtor_commission_split: RESPA section 8(c) and NAR Code of Ethics art. 3 (cooperative compensation): a
  broker's commissions from title companies split within days with its agents and referral brokerages
  (pass-through, fan-in / fan-out).
- funeral_repatriation: U.S. Department of State "Death of a U.S. Citizen Abroad" and consular guidance on the
  shipment of remains: a GoFundMe payout and many small P2P condolence gifts, then the funeral home, the
  airline cargo and a funeral home and family abroad (fan-in then wires abroad, TF-like).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, ClassVar

from bench.aml_outsider import scenarios_c
from bench.aml_outsider.scenarios import (
    BANKS_US,
    BRANCH_CITIES,
    FIRST,
    INSURERS,
    LAST,
    MORTGAGE,
    START,
    UTILITIES,
    Cust,
    Gen,
    money,
)
from bench.aml_outsider.scenarios_b import EXCHANGES, LOCAL_NAMES, TITLE_COS, light_life, weekday
from bench.aml_outsider.scenarios_c import (
    DAYS,
    DEALERS,
    HYSA,
    LAST_DAY,
    LUXURY,
    NAMES,
    REMITTERS,
    GenC,
    bank,
    banking,
    branch_in,
    clip,
    living,
    local,
    night,
    same_address,
    someone_abroad,
    young,
)
from ledger import Channel, Counterparty, Movement, cash_deposit

PREFIX = "T"  # customer refs T<seed>-NNNN (set a: Q, set b: R, set c: S)
LAUNDERING_N = 5
BENIGN_N = 8

MORE_BANKS_D = {
    "AM": "Ameriabank",
    "KG": "Optima Bank",
    "UZ": "Kapitalbank",
    "KY": "Butterfield Bank (Cayman)",
    "MC": "CFM Indosuez Wealth Monaco",
    "IL": "Bank Hapoalim",
    "CW": "Maduro & Curiel's Bank",
    "LU": "Banque Internationale a Luxembourg",
    "AU": "Westpac",
}
# pig butchering
PIG_FIRST_MEMOS = [None, None, None, "investment", "deposit", "trading account", "open account", "USDT deposit"]
PIG_LATER_MEMOS = [
    None,
    None,
    "account upgrade",
    "tax to release funds",
    "withdrawal fee",
    "liquidity mining",
    "margin top up",
    "VIP level",
    "unfreeze account",
    "deposit",
]
PIG_WORDS = ["Golden", "Aurora", "Jade", "Summit", "Lotus", "Harbor", "Silver Peak", "Bright Star", "Eastwind"]
OTC_DESKS = [
    ("Xinda Digital Technology Limited", "HK"),
    ("Golden Tether OTC Ltd", "HK"),
    ("Lion City Digital Assets Pte Ltd", "SG"),
    ("Emerald Coin Exchange FZE", "AE"),
    ("Mekong Star Trading Co Ltd", "KH"),
    ("Kuala Digital Assets Sdn Bhd", "MY"),
]
# relief loan fraud
RELIEF_PAYERS = [
    ("SBAD TREAS 310", "MISC PAY SBA DISASTER LOAN", "US Treasury"),
    ("SBA DISASTER LOAN SERVICE", "EIDL LOAN DISBURSEMENT", "US Treasury"),
    ("STATE OF CA GO-BIZ", "SMALL BUSINESS RELIEF GRANT", "Bank of America"),
    ("FL DEO BUSINESS RELIEF", "HURRICANE BRIDGE LOAN", "Truist"),
    ("NYC SBS RELIEF FUND", "SMALL BUSINESS RESILIENCY GRANT", "Chase"),
]
RELIEF_SHELLS = [
    ("trucking", "Trucking LLC"),
    ("event planning", "Events LLC"),
    ("beauty salon", "Beauty Bar LLC"),
    ("consulting", "Consulting Group LLC"),
    ("cleaning services", "Cleaning Services LLC"),
    ("clothing resale", "Boutique LLC"),
    ("landscaping", "Lawn & Landscaping LLC"),
]
# export control evasion
FRONT_ROOTS = [
    "Tekhnoprom",
    "Elektronkomplekt",
    "Radiodetal",
    "Mikroskhema",
    "Avtokomponent",
    "Aviazapchast",
    "Promsnabzhenie",
    "Signal Tekh",
    "Kvant Elektro",
    "Vektor Trade",
    "Sever Import",
    "Granit Komponent",
]
FRONT_SUFFIX = {
    "AE": ["FZE", "FZCO", "General Trading LLC"],
    "TR": ["Dis Ticaret Ltd Sti", "Elektronik AS"],
    "KZ": ["TOO", "LLP"],
    "AM": ["LLC", "CJSC"],
    "GE": ["LLC"],
    "KG": ["OsOO", "LLC"],
    "UZ": ["MChJ", "LLC"],
    "HK": ["Limited", "Trading Limited"],
    "CN": ["Trading Co Ltd"],
}
EXPORT_TRADES = [
    ("electronic components distributor", "Electronics Supply LLC", "ELECTRONIC COMPONENTS"),
    ("aircraft parts broker", "Aero Parts Inc", "AIRCRAFT SPARE PARTS"),
    ("industrial equipment reseller", "Industrial Supply Co", "CNC SPARE PARTS"),
    ("semiconductor test equipment reseller", "Test Systems LLC", "OSCILLOSCOPES AND ANALYZERS"),
    ("freight forwarder", "Global Logistics LLC", "EQUIPMENT AND PARTS"),
    ("telecom equipment reseller", "Networks Inc", "NETWORK EQUIPMENT"),
]
US_SUPPLIER_WORDS = [
    "Components Inc",
    "Semiconductor Supply",
    "Electronics Distribution",
    "Avionics Parts LLC",
    "Industrial Controls Inc",
    "Test & Measurement LLC",
]
# ghost employees
GHOST_EMPLOYERS = [
    "Sunrise Home Health Agency",
    "Metro Building Services Inc",
    "Harbor Staffing Solutions",
    "Cedar County School District",
    "Tri-State Janitorial Inc",
    "Lakeside Nursing & Rehab",
    "Brightpath Security Services",
]
GHOST_BIZ = [
    ("home health agency", "Home Care LLC"),
    ("janitorial contractor", "Janitorial Services Inc"),
    ("construction subcontractor", "Drywall & Framing LLC"),
    ("staffing agency", "Staffing Group LLC"),
]
GHOST_JOBS = ["warehouse associate", "home health aide", "custodian", "laborer", "security officer", "caregiver"]
# cash front
FRONT_BIZ = [
    ("restaurant owner", "Grill & Bar LLC"),
    ("nail salon owner", "Nails & Spa LLC"),
    ("car wash owner", "Auto Spa LLC"),
    ("laundromat owner", "Laundromat LLC"),
    ("hookah lounge owner", "Hookah Lounge LLC"),
    ("tire shop owner", "Tire & Wheel LLC"),
    ("cell phone repair shop owner", "Wireless Repair LLC"),
]
FRONT_OUT_MEMOS = [None, "PRODUCT PURCHASE", "INVOICE", "EQUIPMENT", "SUPPLIES", "LOAN REPAYMENT", "CONSULTING"]
# lawyers
OFFSHORE = ["VG", "KY", "CY", "AE", "HK", "PA", "SC", "BZ", "MT", "LU"]
DEAL_MEMOS = [
    None,
    "ESCROW DEPOSIT",
    "CLIENT FUNDS",
    "RE ACQUISITION OF SHARES",
    "PURCHASE PRICE DEPOSIT",
    "RETAINER IN TRUST",
    "SETTLEMENT FUNDS",
]
YACHT_BROKERS = ["Fraser Yachts Florida", "Burgess Yachts Americas", "Northrop & Johnson Fort Lauderdale"]
# casinos
CASINOS = [
    ("Wynn Las Vegas LLC", "US"),
    ("MGM Grand Hotel LLC", "US"),
    ("Venetian Casino Resort LLC", "US"),
    ("Borgata Hotel Casino & Spa", "US"),
    ("Seminole Hard Rock Hotel & Casino Hollywood", "US"),
    ("Resorts World Las Vegas LLC", "US"),
    ("Marina Bay Sands Pte Ltd", "SG"),
    ("Crown Melbourne Ltd", "AU"),
    ("Societe des Bains de Mer (Casino de Monte-Carlo)", "MC"),
]
# real estate
STREETS = ["Ocean Drive", "Brickell Key", "Collins Ave", "Park Ave", "Fifth Ave", "Sunset Blvd", "Lake Shore Dr"]
STREETS += ["Bay Harbor", "Palm Way", "Fisher Island Dr", "Central Park West", "Mulholland Dr"]
MOVING = [
    ("U-HAUL", 150, 900),
    ("TWO MEN AND A TRUCK", 900, 4000),
    ("ASHLEY FURNITURE", 800, 6000),
    ("HOME DEPOT #4410", 100, 1500),
    ("BEST BUY", 300, 3000),
]
TITLE_ALL = [*TITLE_COS, "WFG National Title", "Westcor Land Title", "Investors Title Company", "Doma Title"]
# third-party payment processor
TPPP_MERCHANTS = [
    ("VITASLIM TRIAL", [39.95, 79.95, 89.95], "Vitality Nutra Ltd", "CY"),
    ("PCFIX HELPDESK", [99.99, 149.99, 299.0], "Secure Tech Support Ltd", "IL"),
    ("LUCKYSPIN CREDITS", [25.0, 50.0, 100.0], "Lucky Spin Gaming NV", "CW"),
    ("CREDIT RESTORE PLAN", [49.0, 99.0, 199.0], "Debt Freedom Partners Ltd", "GB"),
    ("QUICKCASH FEE", [30.0, 45.0, 60.0], "Quick Cash Online Ltd", "MT"),
    ("TRAVEL CLUB VIP", [59.95, 129.95], "Elite Travel Club Ltd", "BZ"),
    ("KETO BURN 30DAY", [4.95, 87.43, 92.17], "Keto Labs Ltd", "HK"),
]
RETURN_CODES = [
    "RETURN R10 CUSTOMER ADVISES UNAUTHORIZED",
    "RETURN R05 UNAUTHORIZED CONSUMER DEBIT",
    "RETURN R07 AUTHORIZATION REVOKED",
    "RETURN R29 CORPORATE NOT AUTHORIZED",
    "RETURN R01 INSUFFICIENT FUNDS",
]
# cheques
CHECK_PAYER_WORDS = ["Plumbing Inc", "Dental Group", "Property Management", "Construction LLC", "Insurance Agency"]
CHECK_PAYER_WORDS += ["Roofing Co", "Auto Body Shop", "Family Practice PC", "Landscaping LLC", "HVAC Services"]
# benign: congregations (name, kind, weekday the collection is paid in, online giving, where help goes abroad)
CONGREGATIONS = [
    ("St. {s} Catholic Parish", "church", 0, "Vanco Payment Solutions", ("HT", "SISTER PARISH SUPPORT")),
    ("Grace Community Church", "church", 0, "Pushpay", ("KE", "MISSION SUPPORT")),
    ("Iglesia Pentecostal Monte Sion", "church", 0, "Tithe.ly", ("GT", "OFRENDA MISIONERA")),
    ("First Korean Presbyterian Church", "korean_church", 0, "Pushpay", ("PH", "MISSION SUPPORT")),
    ("Masjid Al-Noor Islamic Center", "mosque", 4, "LaunchGood", ("JO", "ZAKAT DISTRIBUTION")),
    ("Islamic Society of {c}", "mosque", 4, "LaunchGood", ("BD", "ZAKAT AL-FITR DISTRIBUTION")),
    ("Sri Ganesha Hindu Temple", "temple", 0, "Givelify", ("IN", "TEMPLE TRUST SUPPORT")),
    ("Ethiopian Orthodox Tewahedo Church of St. {s}", "ethiopian", 0, "Givelify", ("ET", "MONASTERY SUPPORT")),
    ("Holy Trinity Greek Orthodox Church", "church", 0, "Vanco Payment Solutions", ("GT", "MISSION SUPPORT")),
    ("Vietnamese Buddhist Temple Chua {v}", "temple_lny", 0, "Givelify", ("VN", "CHARITY SUPPORT")),
]
SAINTS = ["Mary", "Joseph", "Michael", "Anthony", "Patrick", "Gabriel", "Jude", "Teresa"]
# benign: farms (name, crop, buyers)
FARMS = [
    ("Plant City Berry Farm", "strawberries", ["Driscoll's Inc", "Wish Farms", "Naturipe Farms LLC"]),
    ("Yuma Fresh Lettuce Farms", "winter lettuce", ["Taylor Farms", "Church Brothers Farms", "Duda Farm Fresh Foods"]),
    ("Indian River Citrus Grove", "citrus", ["Florida's Natural Growers", "Sunkist Growers Inc", "Noble Citrus"]),
    ("Rio Grande Valley Citrus", "citrus", ["Texas Citrus Exchange", "Lone Star Citrus Growers"]),
    ("Immokalee Tomato Growers", "tomatoes", ["Lipman Family Farms", "Pacific Tomato Growers", "Sysco Produce"]),
    ("Salinas Greens Ranch", "broccoli and greens", ["Mann Packing Co", "Tanimura & Antle", "Ocean Mist Farms"]),
]
FARM_SUPPLIERS = ["Nutrien Ag Solutions", "Helena Agri-Enterprises", "Wilbur-Ellis", "Southern States Coop"]
# benign: day trading
BROKERAGES = [
    "Interactive Brokers LLC",
    "tastytrade Inc",
    "Charles Schwab & Co",
    "Webull Financial LLC",
    "Fidelity Brokerage Services",
    "TradeStation Securities",
]
FUTURES = ["AMP Global Clearing", "NinjaTrader Clearing LLC", "Optimus Futures", "Tradovate LLC"]
PROP_FIRMS = [("Topstep LLC", "TOPSTEP"), ("Apex Trader Funding", "APEX TRADER"), ("Take Profit Trader", "TPT")]
# benign: expats (employer, country, currency, pay memo)
EMPLOYERS_EU = [
    ("Nordlicht Software GmbH", "DE", "EUR", "GEHALT {m}/2026"),
    ("Atelier Lumiere SAS", "FR", "EUR", "SALAIRE {m} 2026"),
    ("Polder Analytics BV", "NL", "EUR", "SALARIS {m}-2026"),
    ("Liffey Data Ltd", "IE", "EUR", "SALARY {m} 2026"),
    ("Iberia Renovables SL", "ES", "EUR", "NOMINA {m}/2026"),
    ("Tamesis Consulting Ltd", "GB", "GBP", "SALARY {m} 2026"),
    ("Pennine Robotics Ltd", "GB", "GBP", "PAYROLL {m} 2026"),
]
EU_NAMES = {
    "DE": (["Lukas", "Anna", "Jonas", "Lea", "Felix", "Julia"], ["Mueller", "Schmidt", "Becker", "Hoffmann", "Wagner"]),
    "FR": (["Louis", "Camille", "Hugo", "Chloe", "Jules"], ["Martin", "Bernard", "Dubois", "Moreau", "Laurent"]),
    "NL": (["Daan", "Sanne", "Bram", "Fleur", "Thijs"], ["de Jong", "Jansen", "Visser", "Bakker", "Smit"]),
    "IE": (["Conor", "Aoife", "Sean", "Niamh", "Cian"], ["Murphy", "Kelly", "Byrne", "Walsh", "O'Brien"]),
    "ES": (["Pablo", "Lucia", "Alvaro", "Carmen", "Javier"], ["Garcia", "Fernandez", "Lopez", "Sanchez"]),
    "GB": (["Oliver", "Amelia", "Harry", "Isla", "George"], ["Smith", "Jones", "Taylor", "Brown", "Evans"]),
}
EU_TRIP = {
    "EUR": [("LUFTHANSA", 40, 400), ("REWE MARKT", 10, 80), ("SNCF INTERNET", 30, 150), ("CAFE CENTRAL", 8, 40)],
    "GBP": [("BRITISH AIRWAYS", 40, 350), ("TESCO STORES", 8, 70), ("TFL TRAVEL CH", 4, 20), ("PRET A MANGER", 5, 18)],
}
MONTHS = ["JAN", "FEB", "MAR"]
BANK_HOLIDAYS = (0, 18, 46)  # 1 January, Martin Luther King Jr. Day and Presidents' Day 2026: no wires, no ACH
# benign: lotteries
LOTTERIES = [
    "NEW YORK STATE LOTTERY",
    "TEXAS LOTTERY COMMISSION",
    "CALIFORNIA STATE LOTTERY",
    "FLORIDA LOTTERY",
    "GEORGIA LOTTERY CORP",
    "PENNSYLVANIA LOTTERY",
    "NEW JERSEY LOTTERY",
]
ADVISERS = ["Edward Jones", "Ameriprise Financial", "Merrill Lynch", "Raymond James", "Morgan Stanley Wealth Mgmt"]
STUDENT_LOANS = ["Nelnet", "MOHELA", "Aidvantage", "Sallie Mae Bank"]
# benign: funerals (home country -> funeral home there, airline cargo)
FUNERAL_ABROAD = {
    "MX": ("Funeraria San Jose", "AEROMEXICO CARGO"),
    "GT": ("Funerales Reforma", "AVIANCA CARGO"),
    "SV": ("Funeraria La Auxiliadora", "AVIANCA CARGO"),
    "HN": ("Funeraria San Miguel Arcangel", "UNITED CARGO"),
    "EC": ("Funeraria Jardines del Valle", "LATAM CARGO"),
    "CO": ("Funeraria La Candelaria", "AVIANCA CARGO"),
    "PH": ("Loyola Memorial Chapels", "PHILIPPINE AIRLINES CARGO"),
    "DO": ("Funeraria Blandino", "JETBLUE CARGO"),
    "NG": ("Rest in Peace Funeral Services Lagos", "ETHIOPIAN CARGO"),
    "IN": ("Shanti Funeral Services", "AIR INDIA CARGO"),
    "VN": ("Nha Tang Le Thanh Pho", "VIETNAM AIRLINES CARGO"),
}
CONDOLENCES = [
    None,
    None,
    "sorry for your loss",
    "for the funeral",
    "🙏",
    "RIP",
    "for the family",
    "condolences",
    "descanse en paz",
    "para los gastos",
    "with love",
    "🕊️",
    "from the church",
]
FUNERAL_HOMES_US = ["Dignity Memorial", "Ortiz Funeral Home", "Greenwood Funeral Home", "Rivera Funeral Chapel"]


# =================================================================================================
# the plan of one seed
# =================================================================================================
class GenD(GenC):
    """Set c's plan with refs T<seed>-NNNN and reference ids t<seed>:...; a business gets an office email;
    cash deposits may carry a description."""

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
        """Set c's customer under the T prefix."""
        c = super().customer(
            segment,
            occupation,
            onboarded_day=onboarded_day,
            currencies=currencies,
            country=country,
            name=name,
            risk=risk,
            extra=extra,
            born=born,
        )
        old, new = c.ref, PREFIX + c.ref[1:]
        c.ref = new
        c.accounts = {label: new + code[len(old) :] for label, code in c.accounts.items()}
        n = len(c.accounts)
        self.account_specs[-n:] = [(new, new + code[len(old) :], cur) for _, code, cur in self.account_specs[-n:]]
        prof = self.profiles[-1]
        email = prof.email
        if segment == "SMALL_BUSINESS":
            email = f"office@{re.sub(r'[^a-z0-9]+', '', prof.full_name.lower())[:28] or 'office'}.example.com"
        self.profiles[-1] = dataclasses.replace(prof, external_ref=new, email=email)
        return c

    def ref(self, tag: str) -> str:
        self.seq += 1
        return f"t{self.seed}:{tag}:{self.seq}"

    def add(self, when: datetime, kind: str, data: Any) -> None:
        """Plan an event; a wire or ACH dated on a weekend or a bank holiday settles the next business day."""
        pair = kind in ("share", "upto")
        mv = data[0] if pair else data
        if isinstance(mv, Movement) and mv.channel in (Channel.WIRE, Channel.ACH):
            posts = business_time(when)
            if posts != when:
                mv = dataclasses.replace(mv, effective_at=posts)
                data, when = ((mv, *data[1:]) if pair else mv), posts
        super().add(when, kind, data)

    def deposit(
        self, acct: str, amt: float, when: datetime, branch: str | None = None, desc: str | None = None
    ) -> None:
        """Cash paid in at a branch (the next day when it is a Sunday) or an ATM, with a description when given."""
        where = branch or self.branch()
        if where.startswith("BR-") and when.weekday() == 6:
            when += timedelta(days=1)
        mv = cash_deposit(self.ref("cd"), acct, money(amt), location=where, effective_at=when, description=desc)
        self.add(when, "move", mv)


# =================================================================================================
# helpers
# =================================================================================================


class Relettered(GenD):
    """Set d's plan under another set's letter (`letter`): customer refs <letter><seed>-NNNN and reference ids
    <letter in lower case><seed>:... (sets e and f)."""

    letter: ClassVar[str] = PREFIX

    def customer(self, segment: str, occupation: str, **kw: Any) -> Cust:
        """Set d's customer under this set's letter."""
        c = super().customer(segment, occupation, **kw)
        old, new = c.ref, self.letter + c.ref[1:]
        c.ref = new
        c.accounts = {label: new + code[len(old) :] for label, code in c.accounts.items()}
        n = len(c.accounts)
        self.account_specs[-n:] = [(new, new + code[len(old) :], cur) for _, code, cur in self.account_specs[-n:]]
        self.profiles[-1] = dataclasses.replace(self.profiles[-1], external_ref=new)
        return c

    def ref(self, tag: str) -> str:
        self.seq += 1
        return f"{self.letter.lower()}{self.seed}:{tag}:{self.seq}"


def business_time(when: datetime) -> datetime:
    """`when`, moved day by day to the next business day when it falls on a weekend or bank holiday."""
    while when.weekday() >= 5 or (when - START).days in BANK_HOLIDAYS:
        when += timedelta(days=1)
    return when


def day_of(day: float) -> int:
    """`day` as a day of the base period (clamped into it)."""
    return int(min(max(day, 0), LAST_DAY))


def at(g: GenD, day: float, lo: int = 9, hi: int = 17) -> datetime:
    """A time between `lo` and `hi` o'clock on `day` (clamped into the base period)."""
    return g.t(day_of(day), g.rng.randint(lo, hi))


def settled(g: GenD, day: float, lo: int = 9, hi: int = 17) -> datetime:
    """`at`, moved to the next business day when it falls on a weekend or bank holiday: when a wire or ACH
    credit posts (for planning what follows it)."""
    return business_time(at(g, day, lo, hi))


def after(g: GenD, when: datetime, lo_h: float, hi_h: float) -> datetime:
    """A time `lo_h` to `hi_h` hours after `when` (kept in the base period)."""
    return clip(when + timedelta(hours=g.rng.uniform(lo_h, hi_h)))


def roundish(g: GenD, x: float, p: float = 0.5) -> float:
    """`x`, rounded to a round sum with probability `p`."""
    r = g.rng
    if r.random() >= p:
        return round(x, 2)
    unit = r.choice([100, 500, 1000]) if x >= 5000 else r.choice([10, 50, 100])
    return float(max(unit, round(x / unit) * unit))


def dbank(country: str) -> str:
    return MORE_BANKS_D.get(country) or bank(country)


def firm(g: GenD, name: str, country: str) -> Counterparty:
    """A company (or a named person) with an account at a bank of `country`."""
    return g.outside(name, country, dbank(country) if country != "US" else None)


def us_party(g: GenD, name: str, institution: str | None = None) -> Counterparty:
    r = g.rng
    return Counterparty(name, f"{r.randint(10**8, 10**9 - 1)}", institution or r.choice(BANKS_US), "US")


def own_other(g: GenD, c: Cust, institution: str | None = None) -> Counterparty:
    """The customer's own account at another US bank."""
    return us_party(g, c.name, institution)


def worker(
    g: GenD,
    occupation: str,
    onboard: int,
    salary: float,
    *,
    segment: str = "RETAIL",
    employer: str | None = None,
    opening: tuple[float, float] = (300, 3000),
    rent: bool = True,
    born: tuple[int, int] | None = None,
    name: str | None = None,
    currencies: tuple[str, ...] = ("USD",),
    extra: tuple[str, ...] = (),
    country: str = "US",
    risk: str = "LOW",
) -> Cust:
    """A retail customer with an opening deposit, salary (from `employer` when given), rent, bills, card
    spending and some ATM cash."""
    c = g.customer(
        segment,
        occupation,
        onboarded_day=onboard,
        currencies=currencies,
        country=country,
        name=name,
        risk=risk,
        extra=extra,
        born=born,
    )
    acct = c.accounts["USD"]
    g.opening(c, acct, g.rng.uniform(*opening), onboard + 1)
    g.retail_life(c, acct, onboard + 1, DAYS, salary, rent=rent, employer=employer)
    return c


def shell_life(g: GenD, acct: str, d0: int) -> None:
    """A shell's life: a registered agent's fee, a software subscription and a few small card payments."""
    r = g.rng
    agent = Counterparty(r.choice(["Northwest Registered Agent", "LegalZoom", "ZenBusiness", "Incfile"]), None, None)
    g.ach_out(acct, r.choice([49, 125, 199, 299]), at(g, d0 + r.randint(1, 12)), agent, "REGISTERED AGENT")
    sub = r.choice(["GOOGLE *WORKSPACE", "QUICKBOOKS ONLINE", "GODADDY.COM", "MICROSOFT*365"])
    for d in range(d0 + r.randint(2, 20), DAYS, 30):
        g.card(acct, r.choice([12.0, 14.99, 30.0, 35.0]), at(g, d), sub)
    light_life(g, acct, d0 + 1, DAYS, r.uniform(0.03, 0.15))


def given_names(country: str) -> list[str]:
    """First names common in `country` (generic ones where there is no list)."""
    return (NAMES.get(country) or LOCAL_NAMES.get(country) or (FIRST, LAST))[0]


def biz(g: GenD, occupation: str, onboard: int, name: str, *, extra: tuple[str, ...] = (), risk: str = "LOW") -> Cust:
    return g.customer("SMALL_BUSINESS", occupation, onboarded_day=onboard, name=name, extra=extra, risk=risk)


def staff_pay(g: GenD, acct: str, d0: int, names: list[str], lo: float, hi: float, memo: str = "PAYROLL") -> None:
    """Biweekly ACH pay to a few staff from day `d0` (sized down to the funds there)."""
    r = g.rng
    staff = [(us_party(g, n), r.uniform(lo, hi)) for n in names]
    for d in range(d0, DAYS, 14):
        for cp, pay in staff:
            g.ach_out(acct, pay * r.uniform(0.97, 1.03), at(g, d, 6, 8), cp, memo)


def monthly(
    g: GenD,
    acct: str,
    d0: int,
    dom: int,
    amt: tuple[float, float],
    cp: Counterparty,
    memo: str | None,
    d1: int = DAYS,
) -> None:
    """An ACH payment on about day `dom` of each month in [d0, d1)."""
    r = g.rng
    for m in range(3):
        d = m * 30 + dom + r.randint(-1, 2)
        if d0 <= d < min(d1, DAYS):
            g.ach_out(acct, r.uniform(*amt), at(g, d), cp, memo)


# =================================================================================================
# laundering families
# =================================================================================================
def pig_butchering_collector(g: GenD) -> None:
    """Many victims pay a collector in rising amounts; it goes on to crypto exchanges and OTC desks."""
    r = g.rng
    onboard = r.randint(0, 38)
    kind = r.choice(["person", "person", "student", "llc"])
    if kind == "llc":
        words = r.choice(["Wealth", "Digital", "Capital", "Tech", "Asset"])
        name = f"{r.choice(PIG_WORDS)} {words} {r.choice(['Consulting', 'Management', 'Trading', 'Services'])} LLC"
        occupation = r.choice(["digital asset consulting", "e-commerce consulting", "investment consulting"])
        c = biz(g, occupation, onboard, name, risk=r.choice(["LOW", "MEDIUM"]))
        g.opening(c, c.accounts["USD"], r.uniform(200, 1500), onboard + 1)
        shell_life(g, c.accounts["USD"], onboard + 1)
    else:
        origin = r.choice(["CN", "MY", "HK", "VN", "KH", "US", "US"])
        name = local(g, origin) if origin != "US" else None
        if kind == "student":
            c = worker(
                g,
                "student",
                onboard,
                r.uniform(500, 1400),
                segment="STUDENT",
                born=(1998, 2006),
                name=name,
                rent=False,
                opening=(100, 800),
            )
        else:
            occupation = r.choice(["restaurant worker", "nail technician", "import/export trader", "sales associate"])
            c = worker(g, occupation, onboard, r.uniform(1800, 4200), name=name, opening=(200, 1500))
    acct = c.accounts["USD"]
    outlets: list[tuple[Counterparty, str]] = []
    for _ in range(r.randint(1, 3)):
        if r.random() < 0.6:
            ex = r.choice(EXCHANGES)
            outlets.append((firm(g, ex[0], ex[1]), "wire" if ex[1] != "US" or r.random() < 0.6 else "ach"))
        else:
            desk = r.choice(OTC_DESKS)
            outlets.append((firm(g, desk[0], desk[1]), "wire"))
    n_vic = r.randint(3, 12)
    first_day = onboard + r.randint(2, 12)
    span = max(8, min(r.randint(12, 55), LAST_DAY - 6 - first_day))
    receipts: list[tuple[datetime, float]] = []
    for _ in range(n_vic):
        cp = g.outside(g.person_name(), "US")
        amt = r.uniform(1500, 25000)
        growth = r.uniform(1.2, 2.6)
        day = first_day + r.randint(0, span)
        wire = r.random() < 0.7
        for j in range(r.choice([1, 1, 2, 2, 3, 4])):
            if day > LAST_DAY - 1:
                break
            a = roundish(g, amt, 0.55)
            when = settled(g, day, 8, 18)
            memo = r.choice(PIG_FIRST_MEMOS if j == 0 else PIG_LATER_MEMOS)
            (g.wire_in if wire else g.ach_in)(acct, a, when, cp, memo)
            receipts.append((when, a))
            amt *= growth
            day += r.randint(2, 14)
    receipts.sort()
    keep = r.uniform(0.01, 0.09)
    mode = r.choice(["each", "each", "batch"])
    out_memo = r.choice([None, None, "account funding", "deposit", "OTC purchase USDT"])
    if mode == "each":
        for when, a in receipts:
            cp, how = r.choice(outlets)
            g.out_upto(how, acct, a * (1 - keep), 1.0, after(g, when, 0.3, 40), cp, out_memo)
    else:
        every = r.randint(2, 6)
        pending = 0.0
        due = receipts[0][0] + timedelta(days=every)
        for i, (when, a) in enumerate(receipts):
            pending += a
            last = i == len(receipts) - 1
            if last or receipts[i + 1][0] >= due:
                cp, how = r.choice(outlets)
                g.out_upto(how, acct, pending * (1 - keep), 1.0, after(g, when, 2, 30), cp, out_memo)
                pending = 0.0
                due = when + timedelta(days=every)
    for _ in range(r.randint(0, 4)):  # the collector's cut
        day = r.randint(first_day + 1, LAST_DAY)
        g.cash_out(acct, r.choice([300, 400, 500, 800, 1000]), at(g, day, 8, 22))
    total = sum(a for _, a in receipts)
    g.label(
        "pig_butchering_collector",
        "laundering",
        [c],
        {
            "kind": kind,
            "victims": n_vic,
            "payments": len(receipts),
            "total_usd": round(total),
            "outlets": [cp.name for cp, _ in outlets],
            "mode": mode,
            "first_day": first_day,
        },
    )


def relief_loan_fraud(g: GenD) -> None:
    """A shell's government loan or grant moved at once to its owner, who spends and cashes it."""
    r = g.rng
    owner_on = r.randint(0, 30)
    owner = worker(
        g,
        r.choice(["unemployed", "rideshare driver", "barber", "sales associate", "self-employed"]),
        owner_on,
        r.uniform(900, 3200),
        opening=(50, 900),
        rent=r.random() < 0.6,
    )
    own = owner.accounts["USD"]
    shells: list[Cust] = []
    spent: list[str] = []
    n_shells = 1 if r.random() < 0.7 else 2
    loans: list[tuple[str, float, int]] = []
    for _ in range(n_shells):
        trade, suffix = r.choice(RELIEF_SHELLS)
        shell_on = min(owner_on + r.randint(0, 20), 45)
        last = owner.name.split()[-1] if r.random() < 0.5 else r.choice(LAST)
        s = biz(g, trade, shell_on, f"{last} {suffix}")
        acct = s.accounts["USD"]
        g.p2p(own, acct, r.uniform(50, 500), at(g, max(shell_on, owner_on) + 1), "OPENING")
        shell_life(g, acct, shell_on + 1)
        payer, memo, inst = r.choice(RELIEF_PAYERS)
        amt = round(r.uniform(18000, 150000) / 100) * 100 if "LOAN" in memo else round(r.uniform(8000, 50000))
        when = settled(g, shell_on + r.randint(3, 25), 5, 8)
        day = (when - START).days
        cp = Counterparty(payer, None, inst, "US")
        g.ach_in(acct, amt, when, cp, memo)
        loans.append((memo, amt, day))
        if r.random() < 0.3 and day + 35 < LAST_DAY - 10:
            amt2 = round(r.uniform(10000, 80000) / 100) * 100
            g.ach_in(acct, amt2, at(g, day + r.randint(25, 35), 5, 8), cp, memo + " INCREASE")
            loans.append((memo, amt2, day + 30))
        # the money leaves the shell within days: mostly to the owner, a token "payroll", a crypto exchange
        moved = r.uniform(0.45, 0.92)
        chunks = r.randint(1, 3)
        for k in range(chunks):
            when = max(at(g, day + r.randint(0, 6), 8, 21), after(g, when, 1, 3))
            memo_out = r.choice([None, "OWNER DRAW", "REIMBURSEMENT", "LOAN TO MEMBER", "TRANSFER"])
            g.p2p(acct, own, amt * moved / chunks * r.uniform(0.9, 1.05), when, memo_out)
            if k == 0 and r.random() < 0.5:
                for _ in range(r.randint(1, 3)):
                    cp2 = us_party(g, g.person_name())
                    g.p2p_out(acct, r.uniform(800, 3000), after(g, when, 1, 72), cp2, "PAYROLL")
        if r.random() < 0.5:
            ex = r.choice(EXCHANGES[:7])
            g.out_upto("ach", acct, amt * r.uniform(0.05, 0.3), 1.0, after(g, when, 2, 96), firm(g, *ex), None)
        spend_windfall(g, own, amt * moved, when, spent)
        shells.append(s)
    g.label(
        "relief_loan_fraud",
        "laundering",
        [*shells, owner],
        {
            "shells": len(shells),
            "loans": [{"memo": m, "amount": a, "day": d} for m, a, d in loans],
            "spent": sorted(set(spent)),
        },
    )


def spend_windfall(g: GenD, own: str, got: float, t0: datetime, spent: list[str]) -> None:
    """The owner's use of `got` moved to the account `own` by `t0`: a car, luxury goods, crypto, cash at
    several branches, a wire to someone abroad (each drawn or not; what is planned for it is recorded in
    `spent`)."""
    r = g.rng
    if r.random() < 0.6:
        dealer = r.choice([*DEALERS, "Mercedes-Benz of Buckhead", "BMW of Manhattan", "Tesla Inc", "Carvana LLC"])
        g.out_upto("wire", own, got * r.uniform(0.25, 0.6), 0.9, after(g, t0, 20, 10 * 24), us_party(g, dealer))
        spent.append("car")
    for _ in range(r.randint(1, 4)):
        m, lo, hi = r.choice(LUXURY)
        g.spend_at(own, min(r.uniform(lo, min(hi, lo * 3)), got * 0.15), after(g, t0, 4, 20 * 24), m)
        spent.append("luxury")
    if r.random() < 0.5:
        ex = r.choice(EXCHANGES[:7])
        g.out_upto("ach", own, got * r.uniform(0.1, 0.3), 0.8, after(g, t0, 10, 12 * 24), firm(g, *ex), None)
        spent.append("crypto")
    cash = got * r.uniform(0.05, 0.3)
    when = t0
    while cash > 1500:
        take = min(cash, roundish(g, r.uniform(2000, 9500), 0.8))
        when = after(g, when, 18, 4 * 24)
        g.cash_out(own, take, banking(g, when), branch_in(g, r.choice(BRANCH_CITIES)))
        cash -= take
        spent.append("cash")
    if r.random() < 0.35:
        cc = r.choice(["NG", "GH", "JM", "DO", "HT", "IN"])
        g.wire_out(own, got * r.uniform(0.05, 0.2), after(g, t0, 48, 15 * 24), someone_abroad(g, cc), None)
        spent.append("abroad")


def front_name(g: GenD, root: str, country: str) -> str:
    return f"{root} {g.rng.choice(FRONT_SUFFIX[country])}"


def name_variant(g: GenD, name: str) -> str:
    """A transliteration, punctuation or case variant of a front company's name."""
    r = g.rng
    ops: list[Callable[[str], str]] = [
        str.upper,
        lambda s: s.replace("kh", "h").replace("Kh", "H"),
        lambda s: s.replace("Tekh", "Tech").replace("tekh", "tech"),
        lambda s: s.replace(" ", "-", 1),
        lambda s: s.replace("FZE", "F.Z.E.").replace("FZCO", "F.Z.C.O.").replace("LLC", "L.L.C."),
        lambda s: s.replace("ks", "x").replace("zh", "j"),
        lambda s: s.rsplit(" ", 1)[0],
        lambda s: s.replace("Elektron", "Electron").replace("Komp", "Comp"),
    ]
    out = name
    for op in r.sample(ops, r.randint(1, 2)):
        out = op(out)
    return out if out != name else name.upper()


def export_control_evasion(g: GenD) -> None:
    """Front companies in transshipment countries prepay a US reseller, who pays US suppliers at once."""
    r = g.rng
    occupation, suffix, goods = r.choice(EXPORT_TRADES)
    onboard = r.randint(0, 40)
    c = biz(g, occupation, onboard, f"{r.choice(LAST)} {suffix}", risk=r.choice(["LOW", "MEDIUM"]))
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(5000, 40000), onboard + 1)
    g.business_life(c, acct, onboard + 1, DAYS, r.uniform(15000, 70000), processor=False)
    countries = r.sample(list(FRONT_SUFFIX), r.randint(2, 4))
    names = [(front_name(g, r.choice(FRONT_ROOTS), cc), cc) for cc in countries]
    names += [(front_name(g, r.choice(FRONT_ROOTS), countries[0]), countries[0]) for _ in range(r.randint(0, 1))]
    fronts = [firm(g, n, cc) for n, cc in names]
    suppliers = [us_party(g, f"{r.choice(LAST)} {r.choice(US_SUPPLIER_WORDS)}") for _ in range(r.randint(2, 4))]
    forwarders = [us_party(g, f"{r.choice(LAST)} Freight Forwarding Inc")]
    if r.random() < 0.5:
        fw = r.choice(countries)
        forwarders.append(firm(g, f"{r.choice(['Bosphorus', 'Caspian', 'Gulf Star', 'Ararat'])} Logistics LLC", fw))
    n_pay = r.randint(4, 13)
    start = onboard + r.randint(3, 15)
    days = sorted(r.randint(start, LAST_DAY - 3) for _ in range(n_pay))
    variants = third = refunds = 0
    total = 0.0
    for day in days:
        payer = r.choice(fronts)
        if r.random() < 0.35:
            payer = dataclasses.replace(payer, name=name_variant(g, payer.name))
            variants += 1
        if r.random() < 0.2:  # paid by a third party in another country
            cc3 = r.choice([x for x in FRONT_SUFFIX if x != payer.country])
            payer = firm(g, front_name(g, r.choice(FRONT_ROOTS), cc3), cc3)
            third += 1
        amt = roundish(g, r.lognormvariate(11.2, 0.7), 0.4)
        amt = min(max(amt, 12000.0), 420000.0)
        memo = r.choice(
            [
                None,
                f"INV {r.randint(2600, 2699)}-{r.randint(10, 999)}",
                f"PAYMENT FOR {goods}",
                "FOR GOODS",
                f"PREPAYMENT CONTRACT NO {r.randint(10, 99)}/{r.randint(1, 12)}-26",
                f"{goods} PER PI",
            ]
        )
        when = settled(g, day, 7, 16)
        g.wire_in(acct, amt, when, payer, memo)
        total += amt
        share = r.uniform(0.7, 0.92)
        parts = r.randint(1, 3)
        for _ in range(parts):
            how = "wire" if r.random() < 0.6 else "ach"
            po = f"PO {r.randint(40000, 99999)}"
            g.out_upto(how, acct, amt * share / parts, 1.0, after(g, when, 3, 9 * 24), r.choice(suppliers), po)
        g.out_upto("wire", acct, amt * r.uniform(0.02, 0.06), 1.0, after(g, when, 24, 12 * 24), r.choice(forwarders))
        if r.random() < 0.12:
            other = r.choice([f for f in fronts if f.name != payer.name] or fronts)
            g.out_upto("wire", acct, amt * r.uniform(0.05, 0.2), 1.0, after(g, when, 48, 240), other, "REFUND")
            refunds += 1
    g.label(
        "export_control_evasion",
        "laundering",
        [c],
        {
            "occupation": occupation,
            "front_countries": countries,
            "fronts": [f.name for f in fronts],
            "payments": n_pay,
            "name_variants": variants,
            "third_party_payers": third,
            "refunds_to_other_front": refunds,
            "total_usd": round(total),
        },
    )


def ghost_employee_payroll(g: GenD) -> None:
    """Ghost employees' pay passed at once to the payroll clerk who created them."""
    r = g.rng
    variant = r.choice(["external", "external", "internal"])
    ctrl_on = r.randint(0, 25)
    role = r.choice(["payroll administrator", "HR coordinator", "office manager", "bookkeeper"])
    employer_acct: str | None = None
    business: Cust | None = None
    if variant == "external":
        employer = r.choice(GHOST_EMPLOYERS)
        ctrl = worker(g, role, ctrl_on, r.uniform(3200, 6000), employer=employer, opening=(500, 4000))
        emp_cp = us_party(g, employer)
    else:
        trade, suffix = r.choice(GHOST_BIZ)
        employer = f"{r.choice(LAST)} {suffix}"
        business = biz(g, trade, max(0, ctrl_on - r.randint(0, 10)), employer)
        employer_acct = business.accounts["USD"]
        g.opening(business, employer_acct, r.uniform(30000, 90000), business.onboard + 1)
        g.business_life(business, employer_acct, business.onboard + 1, DAYS, r.uniform(60000, 160000), processor=False)
        staff_pay(g, employer_acct, business.onboard + r.randint(3, 10), [g.person_name() for _ in range(8)], 900, 2600)
        ctrl = g.customer("RETAIL", role, onboarded_day=ctrl_on)
        emp_cp = us_party(g, employer)
        g.opening(ctrl, ctrl.accounts["USD"], r.uniform(300, 3000), ctrl_on + 1)
        living(g, ctrl.accounts["USD"], ctrl_on + 1, DAYS, r.uniform(3000, 5000))
        pay = r.uniform(1500, 2600)
        start = ctrl_on + r.randint(2, 14)
        for d in range(start + (4 - weekday(start)) % 7, LAST_DAY, 14):
            g.p2p(employer_acct, ctrl.accounts["USD"], pay * r.uniform(0.98, 1.02), at(g, d, 5, 7), "PAYROLL")
    cacct = ctrl.accounts["USD"]
    surname = ctrl.name.split()[-1]
    ghosts: list[Cust] = []
    modes: list[str] = []
    shared = 0
    first_pay = ctrl_on + r.randint(8, 20)
    first_pay += (4 - weekday(first_pay)) % 7  # a Friday
    for _ in range(r.randint(2, 6)):
        on = r.randint(ctrl_on, min(first_pay - 2, LAST_DAY - 20))
        name = f"{r.choice(FIRST)} {surname}" if r.random() < 0.3 else None
        gh = g.customer("RETAIL", r.choice(GHOST_JOBS), onboarded_day=on, name=name)
        if r.random() < 0.45:
            same_address(g, gh, ctrl if r.random() < 0.6 or not ghosts else ghosts[0])
            shared += 1
        ga = gh.accounts["USD"]
        g.ach_in(ga, r.uniform(20, 150), at(g, on + 1), own_other(g, gh), "OPENING DEPOSIT")
        if r.random() < 0.5:
            light_life(g, ga, on + 1, DAYS, r.uniform(0.03, 0.12))
        mode = r.choice(["p2p", "p2p", "cash", "ach"])
        modes.append(mode)
        pay = r.uniform(950, 2900)
        ctrl_elsewhere = own_other(g, ctrl)
        for d in range(first_pay, LAST_DAY, 14):
            when = settled(g, d, 5, 7)
            amt = pay * r.uniform(0.96, 1.04)
            if employer_acct is not None:
                g.p2p(employer_acct, ga, amt, when, "PAYROLL")
            else:
                g.ach_in(ga, amt, when, emp_cp, f"PAYROLL {employer.upper()}")
            fwd = amt * r.uniform(0.85, 1.0)
            if mode == "p2p":
                g.p2p(ga, cacct, fwd, after(g, when, 2, 36), r.choice([None, None, "rent", "thanks", "owe you"]))
            elif mode == "ach":
                g.ach_out(ga, fwd, after(g, when, 4, 40), ctrl_elsewhere, None)
            else:
                taken = 0.0
                for k in range(r.randint(2, 3)):
                    take = r.choice([500, 600, 800, 1000])
                    g.cash_out(ga, take, at(g, d + k, 8, 22))
                    taken += take
                g.deposit(cacct, taken * r.uniform(0.8, 0.98), at(g, d + r.randint(2, 4), 9, 16))
        ghosts.append(gh)
    g.label(
        "ghost_employee_payroll",
        "laundering",
        [*ghosts, ctrl],
        {
            "variant": variant,
            "employer": employer,
            "employer_customer": business.ref if business else None,
            "ghosts": len(ghosts),
            "forwarding": modes,
            "shared_address": shared,
            "first_pay_day": first_pay,
        },
    )


def cash_front_commingling(g: GenD) -> None:
    """A business pays in far more cash than its card takings suggest and wires it on."""
    r = g.rng
    occupation, suffix = r.choice(FRONT_BIZ)
    onboard = r.randint(0, 25)
    c = biz(g, occupation, onboard, f"{r.choice(LAST)} {suffix}")
    acct = c.accounts["USD"]
    card_rev = r.uniform(12000, 45000)
    g.opening(c, acct, r.uniform(3000, 15000), onboard + 1)
    g.business_life(c, acct, onboard + 1, DAYS, card_rev, processor=True)
    owner_on = max(0, onboard - r.randint(0, 10))
    owner = g.customer("RETAIL", occupation, onboarded_day=owner_on)
    oacct = owner.accounts["USD"]
    g.opening(owner, oacct, r.uniform(2000, 9000), owner_on + 1)
    living(g, oacct, owner_on + 1, DAYS, r.uniform(4000, 9000))
    ratio = r.uniform(2.5, 7.5)
    style = r.choice(["under_10k", "mixed", "round"])
    p_day = r.uniform(0.35, 0.85)
    cities = r.sample(BRANCH_CITIES, r.randint(1, 4))
    start = onboard + r.randint(3, 12)
    per = card_rev * ratio / (30 * p_day * 6 / 7)
    deposits: list[tuple[int, float]] = []
    for d in range(start, DAYS):
        if weekday(d) == 6 or r.random() > p_day:
            continue
        if style == "under_10k":
            amt = r.uniform(7200, 9900) if per > 7000 else per * r.uniform(0.7, 1.3)
            amt = round(amt / 10) * 10
        elif style == "round":
            amt = max(1000, round(per * r.uniform(0.6, 1.4) / 1000) * 1000)
        else:
            amt = per * r.lognormvariate(0, 0.45)
        g.deposit(acct, amt, at(g, d, 9, 16), branch_in(g, r.choice(cities)), r.choice([None, None, "DAILY RECEIPTS"]))
        deposits.append((d, amt))
    cash_total = sum(a for _, a in deposits)
    # onward: an unrelated LLC or a supplier abroad, and the owner's draws
    abroad = r.random() < 0.6
    if abroad:
        cc = r.choice(["CN", "HK", "MX", "CO", "DO", "AE", "TR", "PA"])
        dest = firm(g, f"{r.choice(['Pacific', 'Oriental', 'Golden', 'Andes', 'Caribe'])} Trading Co Ltd", cc)
    else:
        dest = us_party(g, f"{r.choice(LAST)} {r.choice(['Realty Holdings LLC', 'Auto Export LLC', 'Ventures LLC'])}")
    every = r.randint(5, 12)
    out_share = r.uniform(0.45, 0.75)
    for d in range(start + every, DAYS, every):  # the cash paid in since the last wire, mostly
        since = sum(a for day, a in deposits if d - every <= day < d)
        if since > 0:
            memo = r.choice(FRONT_OUT_MEMOS)
            g.out_upto("wire", acct, since * out_share, 0.9, settled(g, d, 9, 15), dest, memo)
    draw_every = r.randint(7, 14)
    draw_share = r.uniform(0.1, 0.25)
    for d in range(start + r.randint(3, 9), DAYS, draw_every):
        since = sum(a for day, a in deposits if d - draw_every <= day < d)
        if since > 0:
            g.p2p(acct, oacct, since * draw_share, at(g, d, 10, 20), r.choice([None, "OWNER DRAW"]))
    if r.random() < 0.5:
        title = us_party(g, r.choice(TITLE_ALL))
        g.out_upto("wire", oacct, r.uniform(15000, 60000), 0.9, at(g, r.randint(55, LAST_DAY)), title, "EMD")
    g.label(
        "cash_front_commingling",
        "laundering",
        [c, owner],
        {
            "occupation": occupation,
            "card_revenue_month": round(card_rev),
            "cash_to_card": round(ratio, 2),
            "style": style,
            "cash_deposits": len(deposits),
            "cash_total": round(cash_total),
            "branches": cities,
            "onward": dest.name,
            "abroad": abroad,
        },
    )


def iolta_client_account(g: GenD) -> None:
    """Offshore money through a lawyer's client trust account among ordinary matters."""
    r = g.rng
    onboard = r.randint(0, 20)
    last = r.choice(LAST)
    name = r.choice(
        [f"{last} & {r.choice(LAST)} Law PLLC", f"Law Office of {g.person_name()}", f"{last} Legal Group PC"]
    )
    occupation = r.choice(["attorney (solo practice)", "law firm (real estate and corporate)", "immigration law firm"])
    c = biz(g, occupation, onboard, name, extra=("IOLTA-USD",))
    op, trust = c.accounts["USD"], c.accounts["IOLTA-USD"]
    g.opening(c, op, r.uniform(5000, 25000), onboard + 1)
    g.business_life(c, op, onboard + 1, DAYS, r.uniform(15000, 45000), processor=False)
    # ordinary matters: a settlement or closing in, the client's share out, the fee to operating
    for _ in range(r.randint(2, 5)):
        d = r.randint(onboard + 2, LAST_DAY - 8)
        payer = us_party(g, r.choice([*INSURERS, *TITLE_COS, "Progressive Claims", "Travelers Claims"]))
        amt = r.uniform(8000, 120000)
        when = settled(g, d)
        g.ach_in(trust, amt, when, payer, f"SETTLEMENT CLAIM {r.randint(10**6, 10**7 - 1)}")
        g.ach_out(trust, amt * r.uniform(0.6, 0.7), after(g, when, 48, 240), us_party(g, g.person_name()), "CLIENT")
        g.p2p(trust, op, amt * r.uniform(0.28, 0.34), after(g, when, 48, 240), "EARNED FEES")
    # the laundering matters
    matters: list[dict[str, Any]] = []
    for _ in range(r.randint(1, 3)):
        d = r.randint(onboard + 3, LAST_DAY - 15)
        mode = r.choice(["aborted_refund", "third_parties", "third_parties", "cash"])
        src_cc = r.choice(OFFSHORE)
        src = firm(g, f"{r.choice(PIG_WORDS)} {r.choice(['Holdings', 'Investments', 'Capital'])} Ltd", src_cc)
        total = 0.0
        last_in = at(g, d)
        if mode == "cash":
            for k in range(r.randint(4, 10)):
                amt = r.uniform(4500, 9800)
                last_in = at(g, d + k * r.randint(1, 2), 9, 16)
                g.deposit(trust, amt, last_in, None, r.choice([None, "CLIENT DEPOSIT", "RETAINER"]))
                total += amt
        else:
            for k in range(r.randint(1, 3)):
                amt = roundish(g, r.uniform(60000, 900000), 0.7)
                last_in = settled(g, d + k * r.randint(1, 4), 8, 16)
                g.wire_in(trust, amt, last_in, src, r.choice(DEAL_MEMOS))
                total += amt
        fee = r.uniform(0.02, 0.06)
        g.p2p(trust, op, total * fee, after(g, last_in, 24, 120), r.choice(["LEGAL FEES", "FEE", None]))
        payees: list[str] = []
        if mode == "aborted_refund":
            cc = r.choice([x for x in OFFSHORE if x != src_cc])
            to = firm(g, f"{r.choice(PIG_WORDS)} {r.choice(['Trading', 'Ventures', 'Group'])} Ltd", cc)
            memo = r.choice(["REFUND TRANSACTION TERMINATED", "RETURN OF ESCROW", "REFUND PER CLIENT INSTRUCTION"])
            g.out_upto("wire", trust, total * r.uniform(0.85, 0.96), 1.0, after(g, last_in, 48, 20 * 24), to, memo)
            payees.append(to.name)
        else:
            k = r.randint(2, 6)
            w = [r.uniform(0.5, 1.5) for _ in range(k)]
            share = r.uniform(0.85, 0.95) - fee
            for wi in w:
                kind = r.choice(["person_abroad", "us_llc", "yacht", "dealer", "person_abroad"])
                if kind == "person_abroad":
                    to = someone_abroad(g, r.choice(["RU", "UA", "CY", "AE", "NG", "VN", "CN", "MX"]))
                elif kind == "us_llc":
                    to = us_party(g, f"{r.choice(LAST)} {r.choice(['Holdings LLC', 'Partners LLC', 'Group Inc'])}")
                elif kind == "yacht":
                    to = us_party(g, r.choice(YACHT_BROKERS))
                else:
                    to = us_party(g, r.choice(DEALERS))
                amt = total * share * wi / sum(w)
                g.out_upto("wire", trust, amt, 1.0, after(g, last_in, 24, 14 * 24), to, r.choice([None, "PER CLIENT"]))
                payees.append(to.name)
        matters.append({"mode": mode, "source_country": src_cc, "total": round(total), "payees": payees})
    g.label("iolta_client_account", "laundering", [c], {"occupation": occupation, "matters": matters})


def ach_kiting(g: GenD) -> None:
    """Rising ACH credits from own accounts elsewhere, each sent on within a day, then the bust."""
    r = g.rng
    onboard = r.randint(0, 25)
    if r.random() < 0.5:
        occupation = r.choice(["self-employed contractor", "car salesman", "real estate agent", "consultant"])
        c = worker(g, occupation, onboard, r.uniform(2000, 6000), opening=(200, 2500))
    else:
        c = biz(
            g,
            r.choice(["auto repair shop", "flooring contractor", "used car dealer"]),
            onboard,
            f"{r.choice(LAST)} {r.choice(['Auto LLC', 'Flooring Inc', 'Motors LLC'])}",
        )
        g.opening(c, c.accounts["USD"], r.uniform(1000, 6000), onboard + 1)
        g.business_life(c, c.accounts["USD"], onboard + 1, DAYS, r.uniform(8000, 25000), processor=False)
    acct = c.accounts["USD"]
    others = [own_other(g, c, b) for b in r.sample(BANKS_US, r.randint(1, 2))]
    cycles = r.randint(8, 22)
    x = r.uniform(1500, 6000)
    growth = r.uniform(1.08, 1.32)
    d = onboard + r.randint(4, 15)
    round_amounts = r.random() < 0.6
    via_wire = r.random() < 0.25
    done = 0
    for k in range(cycles):
        if d >= LAST_DAY - 4:
            break
        src = others[k % len(others)]
        dst = others[(k + 1) % len(others)]
        amt = round(x / 100) * 100 if round_amounts else round(x, 2)
        when = settled(g, d, 5, 9)
        g.ach_in(acct, amt, when, src, r.choice(["TRANSFER", "ONLINE TRANSFER", "EXT TRNSFR", None]))
        out = after(g, when, 1, 22)
        g.out_upto("wire" if via_wire else "ach", acct, amt * r.uniform(1.0, 1.06), 1.0, out, dst, "TRANSFER")
        x *= growth
        d += r.choice([1, 1, 2, 2, 3])
        while weekday(d) >= 5:
            d += 1
        done += 1
    # the bust: a last, larger credit spent at once
    bust = min(d, LAST_DAY - 3)
    when = settled(g, bust, 5, 8)
    g.ach_in(acct, round(x * r.uniform(1.3, 2.0) / 100) * 100, when, others[0], "TRANSFER")
    dest = us_party(g, r.choice([*DEALERS, "Carmax Auto Superstores", f"{r.choice(LAST)} Construction LLC"]))
    g.out_upto("wire", acct, x * r.uniform(0.6, 1.2), 0.85, after(g, when, 2, 20), dest, None)
    city = r.choice(BRANCH_CITIES)
    for k in range(r.randint(1, 3)):
        g.cash_out(acct, r.choice([1000, 2000, 3000, 5000]), at(g, bust + k, 9, 16), branch_in(g, city))
    g.label(
        "ach_kiting",
        "laundering",
        [c],
        {"cycles": done, "start_amount": round(x / growth**done), "growth": round(growth, 3), "own_banks": len(others)},
    )


def micro_structured_wires(g: GenD) -> None:
    """Many wires or remittances each just under $3,000 to a few people abroad, funded in cash or by P2P."""
    r = g.rng
    home = r.choice(["MX", "GT", "HN", "SV", "CO", "DO", "CN", "VN", "NG", "IN", "EC", "PE"])
    onboard = r.randint(0, 35)
    occupation = r.choice(["construction worker", "restaurant worker", "driver", "cleaner", "import/export trader"])
    c = worker(g, occupation, onboard, r.uniform(2200, 4500), name=local(g, home), opening=(200, 2000))
    acct = c.accounts["USD"]
    bens = [someone_abroad(g, home) for _ in range(r.randint(1, 6))]
    via = r.choice(["wire", "wire", "remitter", "mixed"])
    remitter = us_party(g, r.choice(REMITTERS))
    funding = r.choice(["cash", "cash", "p2p", "mixed"])
    start = onboard + r.randint(3, 15)
    window = min(r.randint(20, 60), LAST_DAY - start - 1)
    n = r.randint(10, 34)
    payers = [us_party(g, g.person_name()) for _ in range(r.randint(4, 14))]
    days = sorted(start + r.randint(1, window) for _ in range(n))
    sends = [
        round(r.uniform(2400, 2994), r.choice([2, 0, -1])) if r.random() < 0.85 else r.uniform(1200, 2400) for _ in days
    ]
    need = sum(sends)
    # the funding arrives up to two days before each group of sends, in pieces
    group = r.randint(2, 5)
    for i in range(0, n, group):
        fund = sum(sends[i : i + group]) * r.uniform(1.0, 1.08)
        d = max(onboard + 1, days[i] - r.randint(0, 2))
        if funding == "cash" or (funding == "mixed" and r.random() < 0.5):
            k = int(fund // 9500) + 1
            for j in range(k):
                where = branch_in(g, r.choice(BRANCH_CITIES))
                g.deposit(acct, fund / k, at(g, max(onboard + 1, d - j), 9, 16) if j else at(g, d, 9, 11), where)
        else:
            k = r.randint(1, 3)
            for _ in range(k):
                cp = r.choice(payers)
                g.p2p_in(acct, fund / k, at(g, d, 6, 9), cp, r.choice([None, None, "for the send", "envio", "gracias"]))
    memo_pool = [None, None, "family support", "ayuda", "gastos", "school fees", "materiales", "medicine"]
    for d, amt in zip(days, sends, strict=True):
        ben = r.choice(bens)
        when = at(g, d, 9, 19)
        if via == "wire" or (via == "mixed" and r.random() < 0.5):
            g.out_upto("wire", acct, amt, 1.0, when, ben, r.choice(memo_pool))
        else:
            g.out_upto("ach", acct, amt, 1.0, when, remitter, f"REMIT TO {ben.name.upper()} {home}")
    g.label(
        "micro_structured_wires",
        "laundering",
        [c],
        {
            "home": home,
            "sends": n,
            "max_send": round(max(sends), 2),
            "total": round(need),
            "beneficiaries": len(bens),
            "via": via,
            "funding": funding,
        },
    )


def casino_front_money(g: GenD) -> None:
    """Cash or third-party wires to a casino as front money, little play, back as a casino wire, then on."""
    r = g.rng
    onboard = r.randint(0, 25)
    occupation = r.choice(["real estate investor", "import/export trader", "restaurant owner", "car dealer"])
    c = worker(g, occupation, onboard, r.uniform(4000, 12000), opening=(2000, 15000), segment="PREMIUM")
    acct = c.accounts["USD"]
    funding = r.choice(["cash", "cash", "third_party_wires", "mixed"])
    d = onboard + r.randint(3, 10)
    total_in = 0.0
    trips: list[dict[str, Any]] = []
    for _trip in range(r.randint(1, 3)):
        if d > LAST_DAY - 12:
            break
        got = 0.0
        if funding in ("cash", "mixed"):
            for _ in range(r.randint(4, 12)):
                amt = round(r.uniform(3000, 9900), r.choice([0, -2]))
                g.deposit(acct, amt, at(g, d + r.randint(0, 8), 9, 16), branch_in(g, r.choice(BRANCH_CITIES)))
                got += amt
        if funding in ("third_party_wires", "mixed"):
            for _ in range(r.randint(1, 4)):
                cc = r.choice(["US", "US", "CN", "HK", "MX", "VE", "AE"])
                who = us_party(g, g.person_name()) if cc == "US" else someone_abroad(g, cc)
                amt = roundish(g, r.uniform(15000, 120000), 0.7)
                g.wire_in(acct, amt, at(g, d + r.randint(0, 6), 8, 16), who, r.choice([None, "loan", "investment"]))
                got += amt
        total_in += got
        casino, cc = r.choice(CASINOS)
        cp = firm(g, casino, cc)
        send_day = d + r.randint(8, 12)
        front = got * r.uniform(0.8, 1.0)
        when = settled(g, send_day, 9, 15)
        g.out_upto("wire", acct, front, 1.0, when, cp, f"FRONT MONEY ACCT {r.randint(100000, 999999)}")
        g.spend_at(acct, r.uniform(300, 2500), after(g, when, 20, 40), f"{casino.split()[0].upper()} HOTEL", cc)
        back = front * r.uniform(0.85, 1.04)
        back_at = business_time(after(g, when, 24, 6 * 24))
        memo = r.choice(["FRONT MONEY RETURN", "CASINO CAGE WIRE", "CHECK DEPOSIT CASINO WINNINGS", None])
        if memo and memo.startswith("CHECK"):
            g.ach_in(acct, back, back_at, cp, memo)
        else:
            g.wire_in(acct, back, back_at, cp, memo)
        onward_cc = r.choice(["US", "CN", "HK", "MX", "CO", "AE", "PA"])
        if onward_cc == "US":
            to = us_party(g, r.choice([*TITLE_ALL, f"{r.choice(LAST)} Investments LLC"]))
        else:
            to = firm(g, f"{r.choice(PIG_WORDS)} Trading Ltd", onward_cc)
        g.out_upto("wire", acct, back * r.uniform(0.7, 0.95), 1.0, after(g, back_at, 20, 10 * 24), to, None)
        trips.append({"casino": casino, "front": round(front), "returned": round(back), "onward": to.name})
        d = send_day + r.randint(6, 20)
    g.label("casino_front_money", "laundering", [c], {"funding": funding, "funded": round(total_in), "trips": trips})


def real_estate_shell_purchase(g: GenD) -> None:
    """A new LLC funded by offshore wires buys a property all-cash through a title company."""
    r = g.rng
    onboard = r.randint(0, 22)
    if r.random() < 0.5:
        name = f"{r.randint(10, 9999)} {r.choice(STREETS)} {r.choice(['Holdings', 'Properties', 'Realty'])} LLC"
    else:
        name = f"{r.choice(PIG_WORDS)} {r.choice(['Bay', 'Crest', 'Vista', 'Grove'])} Investments LLC"
    c = biz(g, "real estate holding company", onboard, name)
    acct = c.accounts["USD"]
    shell_life(g, acct, onboard + 1)
    price = round(r.uniform(450000, 3200000) / 5000) * 5000
    sources: list[Counterparty] = []
    for _ in range(r.randint(1, 3)):
        cc = r.choice([*OFFSHORE, "RU", "TR", "CN", "VE", "NG"])
        if r.random() < 0.6:
            sources.append(firm(g, f"{r.choice(PIG_WORDS)} {r.choice(['Holdings', 'Group', 'Capital'])} Ltd", cc))
        else:
            sources.append(someone_abroad(g, cc))
    need = price * r.uniform(1.02, 1.1)
    n_in = r.randint(2, 5)
    d = onboard + r.randint(2, 8)
    first_in = settled(g, d, 8, 15)
    sent = 0.0
    for k in range(n_in):
        amt = roundish(g, need / n_in * r.uniform(0.8, 1.2), 0.75)
        if k == n_in - 1:
            amt = max(amt, roundish(g, need - sent, 0.5))
        sent += amt
        when = first_in if k == 0 else settled(g, d + r.randint(0, 12), 8, 15)
        g.wire_in(acct, amt, when, r.choice(sources), r.choice([None, "CAPITAL CONTRIBUTION", "LOAN", "INVESTMENT"]))
    title = us_party(g, r.choice(TITLE_ALL))
    emd = price * r.uniform(0.03, 0.1)
    g.out_upto("wire", acct, emd, 1.0, after(g, first_in, 24, 5 * 24), title, f"EMD FILE {r.randint(10**5, 10**6)}")
    close = d + r.randint(14, 40)
    g.out_upto("wire", acct, price - emd, 1.0, at(g, close, 9, 15), title, "CLOSING FUNDS")
    g.ach_out(acct, r.uniform(800, 6000), at(g, close + r.randint(3, 10)), us_party(g, r.choice(INSURERS)), "HOME")
    flip = r.random() < 0.3 and close + 20 < LAST_DAY
    if flip:
        title2 = us_party(g, r.choice([t for t in TITLE_ALL if t != title.name]))
        sale = price * r.uniform(0.95, 1.3)
        when = settled(g, close + r.randint(15, min(40, LAST_DAY - close - 3)), 9, 15)
        g.wire_in(acct, sale, when, title2, "SELLER PROCEEDS")
        to = firm(g, f"{r.choice(PIG_WORDS)} {r.choice(['Ventures', 'Trading'])} Ltd", r.choice(OFFSHORE))
        g.out_upto("wire", acct, sale * r.uniform(0.9, 0.99), 1.0, after(g, when, 10, 5 * 24), to, None)
    g.label(
        "real_estate_shell_purchase",
        "laundering",
        [c],
        {
            "price": price,
            "sources": [(s.name, s.country) for s in sources],
            "funding_wires": n_in,
            "close_day": min(close, LAST_DAY),
            "flip": flip,
        },
    )


def tppp_nested_merchants(g: GenD) -> None:
    """A processor debits many consumers for high-risk merchants, many return, the rest wired abroad."""
    r = g.rng
    onboard = r.randint(0, 20)
    word = r.choice(["Swift", "Prime", "Apex", "Secure", "Unity", "Clear"])
    name = f"{word} {r.choice(['Pay Solutions LLC', 'Billing Services Inc', 'Merchant Services LLC'])}"
    c = biz(g, "third-party payment processor", onboard, name, risk=r.choice(["LOW", "MEDIUM"]))
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(10000, 40000), onboard + 1)
    monthly(g, acct, onboard + 1, 1, (600, 1800), us_party(g, f"{r.choice(LAST)} Office Park LLC"), "RENT")
    staff_pay(g, acct, onboard + r.randint(3, 10), [g.person_name() for _ in range(r.randint(0, 1))], 1500, 2800)
    merchants = r.sample(TPPP_MERCHANTS, r.randint(2, 4))
    mcps = [firm(g, m[2], m[3]) for m in merchants]
    ret = r.uniform(0.08, 0.35)
    fee = r.uniform(0.04, 0.12)
    per_day = r.uniform(2.0, 8.0)
    every = r.randint(5, 9)
    pending = [0.0] * len(merchants)
    items = returns = 0
    start = onboard + r.randint(2, 6)
    for d in range(start, DAYS):
        for _ in range(max(0, round(r.gauss(per_day, per_day / 2)))):
            i = r.randrange(len(merchants))
            desc, prices, _, _ = merchants[i]
            amt = r.choice(prices)
            cp = g.outside(g.person_name(), "US")
            when = settled(g, d, 1, 6)
            g.ach_in(acct, amt, when, cp, f"{desc} {r.randint(10**5, 10**6 - 1)}")
            pending[i] += amt
            items += 1
            if r.random() < ret:
                g.ach_out(acct, amt, after(g, when, 36, 5 * 24), cp, r.choice(RETURN_CODES))
                pending[i] -= amt
                returns += 1
        if (d - start) % every == every - 1:
            for i, cp in enumerate(mcps):
                if pending[i] > 50:
                    g.out_upto(
                        "wire", acct, pending[i] * (1 - fee) * (1 - ret), 0.9, at(g, d, 10, 15), cp, "SETTLEMENT"
                    )
                    pending[i] = 0.0
    g.label(
        "tppp_nested_merchants",
        "laundering",
        [c],
        {
            "merchants": [m[0] for m in merchants],
            "merchant_countries": [m[3] for m in merchants],
            "debits": items,
            "returns": returns,
            "return_rate": round(returns / max(items, 1), 3),
            "fee": round(fee, 3),
            "settle_every_days": every,
        },
    )


def mail_theft_check_fraud(g: GenD) -> None:
    """Stolen and altered cheques paid into new young customers' accounts, emptied within days."""
    r = g.rng
    coordinator: Cust | None = None
    coord_on = r.randint(0, 30)
    if r.random() < 0.5:
        coordinator = young(g, coord_on, DAYS)
    mules: list[Cust] = []
    cheques = 0
    total = 0.0
    for _ in range(r.randint(1, 3)):
        on = r.randint(max(5, coord_on), 60)
        m = young(g, on, DAYS, salary=(0, 900)) if r.random() < 0.5 else young(g, on, DAYS)
        acct = m.accounts["USD"]
        d = on + r.randint(2, 18)
        exch = firm(g, *r.choice(EXCHANGES[:7]))
        for _ in range(r.randint(2, 6)):
            if d > LAST_DAY - 2:
                break
            kind = r.choice(["business", "business", "treasury", "personal"])
            if kind == "business":
                payer = us_party(g, f"{r.choice(LAST)} {r.choice(CHECK_PAYER_WORDS)}")
                amt = r.uniform(2500, 24000)
            elif kind == "treasury":
                payer = Counterparty("US TREASURY 310", None, "US Treasury", "US")
                amt = r.uniform(1800, 9500)
            else:
                payer = us_party(g, g.person_name())
                amt = r.uniform(600, 4800)
            when = settled(g, d, 7, 23)
            memo = r.choice(["MOBILE CHECK DEPOSIT", "MOBILE DEPOSIT", "REMOTE DEPOSIT CAPTURE", "CHECK DEPOSIT"])
            g.ach_in(acct, round(amt, 2), when, payer, f"{memo} #{r.randint(1000, 99999)}")
            cheques += 1
            total += amt
            for k in range(r.randint(1, 4)):
                g.cash_out(acct, r.choice([500, 800, 1000]), at(g, d + 1 + k, 0, 23))
            for _ in range(r.randint(0, 3)):
                cp = us_party(g, g.person_name())
                g.p2p_out(
                    acct, amt * r.uniform(0.08, 0.25), after(g, when, 6, 60), cp, r.choice([None, "💰", "ur cut", "ty"])
                )
            if coordinator is not None and r.random() < 0.7:
                g.p2p(acct, coordinator.accounts["USD"], amt * r.uniform(0.3, 0.6), after(g, when, 3, 30))
            elif r.random() < 0.5:
                g.out_upto("ach", acct, amt * r.uniform(0.3, 0.7), 1.0, after(g, when, 10, 48), exch)
            d += r.randint(1, 5)
        mules.append(m)
    custs = [*mules, *([coordinator] if coordinator else [])]
    g.label(
        "mail_theft_check_fraud",
        "laundering",
        custs,
        {"mules": len(mules), "coordinator": coordinator is not None, "cheques": cheques, "total": round(total)},
    )


# =================================================================================================
# benign look-alikes
# =================================================================================================
def congregation_collections(g: GenD) -> None:
    """A congregation's weekly offering cash, online giving, staff, assessment and help abroad."""
    r = g.rng
    template, kind, pay_in, platform, (cc, mission) = r.choice(CONGREGATIONS)
    name = template.format(
        s=r.choice(SAINTS),
        c=r.choice(["Greater Houston", "North Texas", "Metro Atlanta"]),
        v=r.choice(["Phap Hoa", "Tu Quang", "Hue Quang"]),
    )
    onboard = r.randint(0, 15)
    c = biz(g, "religious organization (501(c)(3))", onboard, name)
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(20000, 120000), onboard + 1)
    base = r.uniform(1200, 8000)
    giving = us_party(g, platform)
    city = r.choice(BRANCH_CITIES)
    branch = branch_in(g, city)
    big = 0
    for d in range(onboard + 1, DAYS):
        if weekday(d) != pay_in:
            continue
        mult = r.uniform(0.8, 1.2)
        if kind == "mosque" and 48 <= d <= 80:  # Ramadan 2026 (about 18 Feb - 19 Mar) and Eid al-Fitr
            mult *= r.uniform(1.6, 3.0)
        if kind in ("temple_lny", "korean_church") and 45 <= d <= 52:  # Lunar New Year, 17 Feb 2026
            mult *= r.uniform(1.5, 2.5)
        if kind == "ethiopian" and 17 <= d <= 20:  # Timket, 19 Jan
            mult *= r.uniform(1.5, 2.2)
        total = base * mult
        memo = {"mosque": "JUMUAH COLLECTION", "temple": "TEMPLE HUNDI"}.get(kind, "SUNDAY OFFERING")
        if r.random() < 0.35:
            g.deposit(acct, total * 0.75, at(g, d, 9, 11), branch, memo)
            g.deposit(acct, total * 0.25, at(g, d, 9, 11), branch, r.choice(["BUILDING FUND", "POOR BOX", "SADAQAH"]))
        else:
            g.deposit(acct, total, at(g, d, 9, 12), branch, memo)
        big += total >= 10000
        g.ach_in(acct, base * r.uniform(0.2, 0.7) * mult**0.5, at(g, d + 1, 5, 7), giving, "ONLINE GIVING")
    staff = [g.person_name() for _ in range(r.randint(1, 4))]
    staff_pay(g, acct, onboard + r.randint(2, 10), staff, 1600, 3600, "SALARY")
    lender = {"mosque": "LARIBA American Finance House", "church": "Church Loans & Investments Trust"}.get(
        kind, f"{r.choice(BANKS_US)} Commercial Lending"
    )
    monthly(g, acct, onboard + 1, 1, (2500, 9000), us_party(g, lender), "MORTGAGE")
    monthly(g, acct, onboard + 1, 12, (250, 1400), us_party(g, r.choice(UTILITIES)), None)
    monthly(g, acct, onboard + 1, 20, (300, 900), us_party(g, "Church Mutual Insurance"), "PREMIUM")
    if kind in ("church", "korean_church"):
        diocese = us_party(
            g, r.choice(["Archdiocese of Chicago", "Presbytery of Greater Atlanta", "Assemblies of God"])
        )
        monthly(g, acct, onboard + 1, 10, (base * 0.3, base * 0.5), diocese, "ASSESSMENT")
    partner = firm(g, f"{r.choice(['Hope', 'Mercy', 'Light', 'Al-Khair', 'Seva'])} Foundation", cc)
    for m in range(3):
        d = m * 30 + r.randint(14, 25)
        memo = mission
        if "FITR" in mission:  # zakat al-fitr goes out in the last days of Ramadan, sadaqah the other months
            d, memo = (r.randint(72, 78), mission) if m == 2 else (d, "SADAQAH DISTRIBUTION")
        if onboard + 2 <= d <= LAST_DAY and r.random() < 0.8:
            g.wire_out(acct, base * r.uniform(0.3, 1.2), at(g, d), partner, memo)
    for d in range(onboard + 2, DAYS, 7):
        if r.random() < 0.6:
            g.card(acct, r.uniform(150, 900), at(g, d + r.randint(0, 3)), r.choice(["COSTCO WHSE #0112", "SAMS CLUB"]))
    g.label(
        "congregation_collections",
        "benign",
        [c],
        {"name": name, "kind": kind, "weekly_base": round(base), "deposits_over_10k": big, "abroad": cc},
    )


def property_manager_rents(g: GenD) -> None:
    """A property manager's trust account: tenants' rents in early each month, owners paid net of fees."""
    r = g.rng
    onboard = r.randint(0, 5)
    name = r.choice([f"{r.choice(LAST)} Property Management LLC", f"{r.choice(LAST)} Realty & Management Inc"])
    c = biz(g, "property management company", onboard, name, extra=("TRUST-USD",))
    op, trust = c.accounts["USD"], c.accounts["TRUST-USD"]
    g.opening(c, op, r.uniform(5000, 20000), onboard + 1)
    g.opening(c, trust, r.uniform(20000, 80000), onboard + 1)
    staff_pay(g, op, onboard + r.randint(3, 10), [g.person_name() for _ in range(r.randint(0, 2))], 1400, 2600)
    monthly(g, op, onboard + 1, 3, (700, 2200), us_party(g, f"{r.choice(LAST)} Office Suites"), "OFFICE RENT")
    for _ in range(r.randint(1, 3)):  # associations it manages pay its fee from their own accounts elsewhere
        hoa = us_party(g, f"{r.choice(['Oak', 'River', 'Lake', 'Pine', 'Cedar'])} {r.choice(['Ridge', 'Point'])} HOA")
        for m in range(3):
            d = m * 30 + r.randint(3, 8)
            if d > onboard + 1:
                g.ach_in(op, r.uniform(1500, 6000), settled(g, d, 6, 10), hoa, "MANAGEMENT FEE")
    owners = [us_party(g, g.person_name() if r.random() < 0.6 else f"{r.choice(LAST)} Family Trust")]
    owners += [us_party(g, g.person_name()) for _ in range(r.randint(3, 13))]
    units: list[tuple[int, Counterparty, float, str]] = []
    for i in range(len(owners)):
        for _ in range(r.randint(1, 6)):
            tenant = us_party(g, g.person_name())
            units.append((i, tenant, r.uniform(950, 3400), r.choice(["ach", "ach", "p2p", "cash", "portal"])))
    fee = r.uniform(0.06, 0.1)
    branch = branch_in(g, r.choice(BRANCH_CITIES))
    vendors = [us_party(g, f"{r.choice(LAST)} {w}") for w in ("Plumbing", "HVAC Services", "Landscaping")]
    portal = us_party(g, r.choice(["AppFolio Inc", "Buildium LLC", "RentCafe Yardi"]))
    for m in range(3):
        got = [0.0] * len(owners)
        portal_sum = 0.0
        for i, tenant, rent, how in units:
            d = m * 30 + min(r.choice([0, 0, 0, 1, 2, 3, 4, 6, 9]), 9)
            if d <= onboard + 1:
                continue
            unit = f"UNIT {r.randint(1, 40)}{r.choice('ABCD')}"
            when = at(g, d, 7, 20)
            if how == "ach":
                g.ach_in(trust, rent, when, tenant, f"RENT {unit}")
            elif how == "p2p":
                g.p2p_in(trust, rent, when, tenant, r.choice([f"rent {unit.lower()}", "rent", "🏠"]))
            elif how == "cash":
                g.deposit(trust, rent, at(g, d, 9, 16), branch, "MONEY ORDERS RENT")
            else:
                portal_sum += rent
            got[i] += rent
        if portal_sum and m * 30 + 3 > onboard + 1:
            g.ach_in(trust, portal_sum, at(g, m * 30 + 3, 5, 7), portal, "TENANT PAYMENTS BATCH")
        pay_day = m * 30 + r.randint(10, 15)
        if pay_day <= LAST_DAY and pay_day > onboard + 1:
            repairs = 0.0
            for v in r.sample(vendors, r.randint(0, 3)):
                amt = r.uniform(150, 2500)
                g.ach_out(trust, amt, at(g, max(onboard + 2, pay_day - r.randint(1, 5))), v, "REPAIR")
                repairs += amt
            fees = sum(got) * fee
            g.p2p(trust, op, fees, at(g, pay_day, 8, 10), "MANAGEMENT FEES")
            for i, owner in enumerate(owners):
                if got[i]:
                    net = got[i] * (1 - fee) - repairs / len(owners)
                    g.ach_out(trust, max(net, 0.0), at(g, pay_day, 10, 16), owner, "OWNER DISTRIBUTION")
    g.label(
        "property_manager_rents",
        "benign",
        [c],
        {"owners": len(owners), "units": len(units), "fee": round(fee, 3)},
    )


def farm_harvest_payroll(g: GenD) -> None:
    """A winter harvest: weekly settlements from packers, then crew pay, a contractor and cash advances."""
    r = g.rng
    farm_name, crop, buyers = r.choice(FARMS)
    onboard = r.randint(0, 6)
    c = biz(g, f"{crop} grower (farm)", onboard, f"{farm_name} {r.choice(['LLC', 'Inc', 'LP'])}")
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(40000, 200000), onboard + 1)
    buyer_cps = [us_party(g, b) for b in r.sample(buyers, r.randint(1, len(buyers)))]
    scale = r.uniform(15000, 120000)
    pay_style = r.choice(["direct", "direct", "provider", "contractor"])
    crew = [us_party(g, local(g, r.choice(["MX", "GT", "HN"]))) for _ in range(max(5, min(40, round(scale / 1800))))]
    wages = [r.uniform(450, 950) for _ in crew]
    provider = us_party(g, r.choice(["ADP Payroll", "Paychex Inc", "AgriPay Services"]))
    flc = us_party(g, f"{r.choice(LAST)} Farm Labor Contractor LLC")
    cash_adv = r.random() < 0.5
    city = r.choice(BRANCH_CITIES)
    for w in range(onboard // 7 + 1, DAYS // 7 + 1):
        season = 1.0 if 7 * w < 75 else r.uniform(0.3, 0.7)
        for b in buyer_cps:
            d = 7 * w + r.randint(0, 4)
            if onboard + 2 <= d <= LAST_DAY:
                how = g.wire_in if r.random() < 0.4 else g.ach_in
                how(acct, scale / len(buyer_cps) * season * r.uniform(0.6, 1.4), at(g, d, 6, 14), b, "SETTLEMENT")
        friday = 7 * w + (4 - weekday(7 * w)) % 7
        if not onboard + 2 <= friday <= LAST_DAY:
            continue
        if pay_style == "direct":
            for cp, wage in zip(crew, wages, strict=True):
                g.ach_out(acct, wage * season * r.uniform(0.8, 1.15), at(g, friday, 5, 7), cp, "PAYROLL")
        elif pay_style == "provider":
            g.ach_out(
                acct,
                sum(wages) * season * 1.12,
                at(g, max(onboard + 2, friday - 2), 8, 12),
                provider,
                "PAYROLL FUNDING",
            )
        else:
            g.wire_out(
                acct, sum(wages) * season * 1.18, at(g, max(onboard + 2, friday - 1), 8, 12), flc, "CREW LABOR WEEK"
            )
        if cash_adv:
            g.cash_out(acct, roundish(g, r.uniform(1000, 6000), 0.9), at(g, friday, 9, 12), branch_in(g, city))
    for s in r.sample(FARM_SUPPLIERS, 2):
        monthly(g, acct, onboard + 1, r.randint(5, 25), (3000, 25000), us_party(g, s), None)
    monthly(g, acct, onboard + 1, 15, (2500, 9000), us_party(g, "John Deere Financial"), "EQUIPMENT LOAN")
    if r.random() < 0.5:
        housing = us_party(g, f"{r.choice(LAST)} Farmworker Housing LLC")
        monthly(g, acct, onboard + 1, 1, (4000, 15000), housing, "H-2A HOUSING")
    g.label(
        "farm_harvest_payroll",
        "benign",
        [c],
        {"crop": crop, "buyers": len(buyer_cps), "weekly_scale": round(scale), "pay": pay_style, "cash": cash_adv},
    )


def home_sale_then_purchase(g: GenD) -> None:
    """A seller's proceeds from one title company wired within days to another for the next home."""
    r = g.rng
    onboard = r.randint(0, 20)
    c = worker(g, g.occupation("retail"), onboard, r.uniform(5000, 14000), opening=(3000, 20000), rent=False)
    acct = c.accounts["USD"]
    mortgage = us_party(g, r.choice(MORTGAGE))
    sale = r.randint(onboard + 12, 70)
    monthly(g, acct, onboard + 1, 1, (1800, 4500), mortgage, "MORTGAGE PMT", sale)
    t_a, t_b = (us_party(g, t) for t in r.sample(TITLE_ALL, 2))
    savings = own_other(g, c, r.choice(HYSA))
    emd_day = max(onboard + 2, sale - r.randint(3, 20))
    emd = roundish(g, r.uniform(5000, 40000), 0.8)
    g.ach_in(acct, emd * r.uniform(1.0, 1.2), at(g, emd_day - 1, 6, 9), savings, "TRANSFER FROM SAVINGS")
    g.wire_out(acct, emd, at(g, emd_day, 9, 15), t_b, "EARNEST MONEY DEPOSIT")
    proceeds = r.uniform(150000, 1300000)
    street = r.choice(["Oak", "Maple", "Cedar", "Birch", "Willow"])
    addr = f"{r.randint(10, 9999)} {street} {r.choice(['St', 'Ln', 'Ct'])}"
    when = settled(g, sale, 10, 16)
    g.wire_in(acct, proceeds, when, t_a, f"SELLER PROCEEDS {addr.upper()}")
    gap = r.randint(1, 20)
    down = proceeds * r.uniform(0.6, 1.0)
    g.out_upto("wire", acct, down, 0.98, at(g, sale + gap, 9, 14), t_b, "BUYER FUNDS TO CLOSE")
    if down < proceeds * 0.95:  # a new mortgage for the rest, its first payment a month after closing
        servicer = us_party(g, r.choice(MORTGAGE))
        monthly(g, acct, sale + gap + 25, 1, (1500, 5000), servicer, "MORTGAGE PMT")
    for m, lo, hi in r.sample(MOVING, 3):
        g.card(acct, r.uniform(lo, hi), at(g, sale + gap + r.randint(0, 12)), m)
    if r.random() < 0.6:
        rest = (proceeds - down) * r.uniform(0.4, 0.9)
        g.out_upto("ach", acct, rest, 0.9, at(g, sale + gap + r.randint(2, 10)), savings, "TRANSFER TO SAVINGS")
    g.label(
        "home_sale_then_purchase",
        "benign",
        [c],
        {"proceeds": round(proceeds), "days_to_purchase": gap, "down_share": round(down / proceeds, 2)},
    )


def insurance_claim_rebuild(g: GenD) -> None:
    """An insurer's claim payments after a fire or flood, then hotels, mitigation, a contractor's draws."""
    r = g.rng
    onboard = r.randint(0, 20)
    c = worker(g, g.occupation("retail"), onboard, r.uniform(3500, 10000), opening=(1000, 8000), rent=False)
    acct = c.accounts["USD"]
    peril = r.choice(["FIRE", "WATER DAMAGE", "STORM", "KITCHEN FIRE"])
    insurer = us_party(g, r.choice([*INSURERS, "USAA", "Chubb", "Farmers Insurance"]))
    claim = f"CLAIM {r.randint(10**8, 10**9 - 1)}"
    e = r.randint(onboard + 2, 45)
    ale = r.uniform(2000, 12000)
    g.ach_in(acct, ale, at(g, e + r.randint(2, 6), 6, 10), insurer, f"ALE ADVANCE {claim}")
    hotel = r.choice(["RESIDENCE INN", "EXTENDED STAY AMERICA", "AIRBNB * HM4Q", "HOMEWOOD SUITES"])
    for d in range(e + 1, DAYS, r.choice([7, 14, 30])):
        g.card(acct, r.uniform(600, 3500), at(g, d), hotel)
    mitig = us_party(g, f"{r.choice(['SERVPRO', 'ServiceMaster', 'Paul Davis'])} of {c.city[0]}")
    g.ach_out(acct, r.uniform(3000, 15000), at(g, e + r.randint(3, 12)), mitig, "MITIGATION INVOICE")
    contents = r.uniform(10000, 120000)
    g.ach_in(acct, contents, at(g, e + r.randint(10, 30), 6, 10), insurer, f"CONTENTS {claim}")
    dwelling = r.uniform(40000, 420000)
    dw_at = settled(g, e + r.randint(15, 40), 6, 10)
    dw_day = (dw_at - START).days
    releases: list[tuple[datetime, float]] = []
    if r.random() < 0.4:  # the dwelling cheque names the mortgage lender, who releases it in stages
        servicer = us_party(g, r.choice(MORTGAGE))
        for k in range(r.randint(2, 3)):
            when = settled(g, dw_day + 12 * k, 6, 10)
            g.ach_in(acct, dwelling / 3, when, servicer, "LOSS DRAFT RELEASE")
            releases.append((when, dwelling / 3))
    else:
        pay_in = g.wire_in if r.random() < 0.5 else g.ach_in
        pay_in(acct, dwelling, dw_at, insurer, f"DWELLING {claim}")
        releases.append((dw_at, dwelling))
    gc = us_party(g, f"{r.choice(LAST)} {r.choice(['Restoration', 'Builders', 'Construction'])} LLC")
    draws = 0
    paid = r.uniform(0.8, 0.97)
    for when, amt in releases:  # the contractor's draws, as the money comes
        k = 1 if len(releases) > 1 else r.randint(2, 5)
        w = [r.uniform(0.6, 1.4) for _ in range(k)]
        t = when
        for x in w:
            draws += 1
            how = "wire" if r.random() < 0.4 else "ach"
            t = after(g, t, 30, 9 * 24)
            g.out_upto(how, acct, amt * paid * x / sum(w), 0.95, t, gc, f"DRAW {draws}")
    for m in r.sample(["ASHLEY FURNITURE", "IKEA", "BEST BUY", "LOWES #1123", "WAYFAIR", "TARGET 00012345"], 3):
        g.card(acct, r.uniform(300, min(6000, contents / 4)), at(g, e + r.randint(12, 45)), m)
    g.label(
        "insurance_claim_rebuild",
        "benign",
        [c],
        {"peril": peril, "contents": round(contents), "dwelling": round(dwelling), "draws": draws},
    )


def day_trader_brokerage(g: GenD) -> None:
    """Frequent round transfers to and from brokerages, a futures broker, prop-firm fees and payouts."""
    r = g.rng
    onboard = r.randint(0, 15)
    occupation = r.choice(["self-employed trader", "software developer", "options trader", "pharmacist"])
    segment = r.choice(["RETAIL", "PREMIUM"])
    full_time = occupation.endswith("trader")
    if full_time:
        c = g.customer(segment, occupation, onboarded_day=onboard)
        acct = c.accounts["USD"]
        funding = r.uniform(40000, 150000)
        g.ach_in(acct, funding, at(g, onboard + 1), own_other(g, c, r.choice(HYSA)), "TRANSFER")
        living(g, acct, onboard + 1, DAYS, r.uniform(4000, 9000))
        cash = funding * 0.8  # roughly what is on the account for trading
    else:
        c = worker(g, occupation, onboard, r.uniform(6000, 14000), opening=(5000, 30000), segment=segment)
        acct = c.accounts["USD"]
        cash = 5000.0
    brokers = [us_party(g, b) for b in r.sample(BROKERAGES, r.randint(1, 2))]
    if r.random() < 0.5:
        brokers.append(us_party(g, r.choice(FUTURES)))
    d = onboard + 2
    moves = 0
    while d < LAST_DAY:
        b = r.choice(brokers)
        amt = float(r.choice([1000, 2000, 2500, 5000, 7500, 10000, 15000, 20000, 25000, 30000, 50000]))
        if r.random() < 0.5 and cash > 1000:
            amt = min(amt, float(int(cash * 0.9 / 500) * 500) or 1000.0)
            how = "wire" if r.random() < 0.2 else "ach"
            g.out_upto(how, acct, amt, 0.9, settled(g, d, 7, 15), b, r.choice(["DEPOSIT", "MARGIN CALL", None]))
            cash -= amt
        else:
            back = amt * r.uniform(0.5, 1.3)
            g.ach_in(acct, back, settled(g, d, 5, 9), b, "WITHDRAWAL")
            cash += back
        moves += 1
        d += r.randint(1, 5)
    if r.random() < 0.6:
        firm_name, desc = r.choice(PROP_FIRMS)
        for d2 in range(onboard + 3, DAYS, 30):
            g.card(acct, r.choice([99.0, 149.0, 167.0, 325.0]), at(g, d2), f"{desc} EVALUATION")
        for _ in range(r.randint(0, 3)):
            payer = us_party(g, r.choice(["Rise Works Inc", "Deel Inc", firm_name]))
            g.ach_in(acct, r.uniform(800, 8000), at(g, r.randint(onboard + 20, LAST_DAY)), payer, f"{desc} PAYOUT")
    if onboard < 12:
        irs = Counterparty("IRS USATAXPYMT", None, "US Treasury", "US")
        g.ach_out(acct, r.uniform(2000, 15000), at(g, 14, 8, 12), irs, "EST TAX Q4")
    g.label("day_trader_brokerage", "benign", [c], {"brokers": [b.name for b in brokers], "moves": moves})


def expat_foreign_salary(g: GenD) -> None:
    """A European employer's monthly salary in EUR or GBP converted to dollars, some sent home."""
    r = g.rng
    employer, cc, cur, memo = r.choice(EMPLOYERS_EU)
    first, last = EU_NAMES[cc]
    name = f"{r.choice(first)} {r.choice(last)}"
    onboard = r.randint(0, 20)
    country = cc if r.random() < 0.5 else "US"
    occupation = r.choice(["software engineer", "sales manager", "consultant", "product manager", "researcher"])
    c = g.customer("RETAIL", occupation, onboarded_day=onboard, currencies=("USD", cur), country=country, name=name)
    usd, fx = c.accounts["USD"], c.accounts[cur]
    g.opening(c, usd, r.uniform(1000, 6000), onboard + 1)
    salary = r.uniform(4000, 11000)
    living(g, usd, onboard + 1, DAYS, salary * 1.1)
    emp = firm(g, employer, cc)
    conv_share = r.uniform(0.6, 1.0)
    home_acct = someone_abroad(g, cc, name)
    for m in range(3):
        d = m * 30 + r.randint(24, 28)
        when = settled(g, d, 6, 11)
        g.wire_in(fx, salary * r.uniform(0.98, 1.02), when, emp, memo.format(m=MONTHS[m]))
        for k in range(r.randint(1, 2)):
            g.convert(fx, usd, after(g, when, 4 + 48 * k, 30 + 72 * k), share=conv_share if k == 0 else 1.0)
        if r.random() < 0.4:
            g.wire_in(fx, r.uniform(150, 2500), at(g, max(onboard + 2, d - r.randint(5, 15))), emp, "EXPENSES")
    if r.random() < 0.5:
        g.wire_out(fx, salary * r.uniform(0.1, 0.5), at(g, r.randint(40, LAST_DAY)), home_acct, "SAVINGS")
    if r.random() < 0.5:
        trip = r.randint(onboard + 10, LAST_DAY - 8)
        g.convert(usd, fx, at(g, trip - 2), amount=r.uniform(500, 2500))
        for _ in range(r.randint(3, 8)):
            m2, lo, hi = r.choice(EU_TRIP[cur])
            g.spend_at(fx, r.uniform(lo, hi), at(g, trip + r.randint(0, 7)), m2, cc)
    g.label(
        "expat_foreign_salary",
        "benign",
        [c],
        {"employer": employer, "currency": cur, "salary": round(salary), "converted": round(conv_share, 2)},
    )


def lottery_prize_gifts(g: GenD) -> None:
    """A lottery prize net of withholding, then tax, gifts to relatives, a car and a payoff."""
    r = g.rng
    onboard = r.randint(0, 25)
    immigrant = r.random() < 0.3
    home = r.choice(["MX", "PH", "DO", "IN", "NG", "VN"])
    c = worker(g, g.occupation("retail"), onboard, r.uniform(2500, 6000), name=local(g, home) if immigrant else None)
    acct = c.accounts["USD"]
    p = r.randint(onboard + 5, 60)
    prize = r.uniform(25000, 120000) if r.random() < 0.6 else r.uniform(150000, 900000)
    lottery = us_party(g, r.choice(LOTTERIES))
    when = settled(g, p, 6, 12)
    g.ach_in(acct, prize, when, lottery, f"PRIZE PAYMENT CLAIM {r.randint(10**5, 10**6)} NET OF WITHHOLDING")
    irs = Counterparty("IRS USATAXPYMT", None, "US Treasury", "US")
    g.out_upto("ach", acct, prize * r.uniform(0.05, 0.14), 1.0, after(g, when, 48, 20 * 24), irs, "1040ES")
    surname = c.name.split()[-1]
    gifts = r.randint(3, 9)
    for _ in range(gifts):
        rel = f"{r.choice(FIRST)} {surname}"
        amt = prize * r.uniform(0.01, 0.04)
        memo = r.choice(["gift", "for you mom", "help with the house", "for the kids", "love you", None])
        at_ = after(g, when, 24, 30 * 24)
        if immigrant and r.random() < 0.4:
            g.out_upto("wire", acct, amt, 0.9, at_, someone_abroad(g, home, rel), memo)
        elif r.random() < 0.5:
            g.p2p_out(acct, min(amt, 5000), at_, us_party(g, rel), memo)
        else:
            g.out_upto("ach", acct, amt, 0.9, at_, us_party(g, rel), memo)
    if r.random() < 0.7:
        dealer = us_party(g, r.choice(["Toyota of Dallas", "Ford of Orlando", "Honda of Manhattan", "Kia of Atlanta"]))
        car = min(r.uniform(25000, 80000), prize * r.uniform(0.2, 0.35))
        g.out_upto("wire", acct, car, 0.5, after(g, when, 48, 25 * 24), dealer, None)
    payoff = us_party(g, r.choice([*MORTGAGE, *STUDENT_LOANS]))
    g.out_upto("ach", acct, prize * r.uniform(0.1, 0.3), 0.6, after(g, when, 72, 25 * 24), payoff, "PAYOFF")
    if prize > 100000 or r.random() < 0.4:
        adviser = us_party(g, r.choice(ADVISERS))
        g.out_upto("wire", acct, prize * r.uniform(0.15, 0.35), 0.8, after(g, when, 5 * 24, 30 * 24), adviser, "INVEST")
    g.label("lottery_prize_gifts", "benign", [c], {"prize": round(prize), "gifts": gifts, "immigrant": immigrant})


def realtor_commission_split(g: GenD) -> None:
    """A broker's commissions from title companies split within days with agents and referral brokers."""
    r = g.rng
    onboard = r.randint(0, 12)
    name = r.choice([f"{r.choice(LAST)} Realty Group LLC", f"{r.choice(LAST)} & Associates Real Estate"])
    c = biz(g, "real estate brokerage", onboard, name)
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(5000, 30000), onboard + 1)
    agents = [us_party(g, g.person_name() if r.random() < 0.7 else f"{r.choice(LAST)} Homes LLC") for _ in range(6)]
    agents = agents[: r.randint(2, 6)]
    closings = r.randint(5, 16)
    referrals = 0
    for _ in range(closings):
        d = r.randint(onboard + 2, LAST_DAY - 2)
        price = r.uniform(250000, 1500000)
        comm = price * r.uniform(0.025, 0.03)
        title = us_party(g, r.choice(TITLE_ALL))
        addr = f"{r.randint(10, 9999)} {r.choice(['ELM', 'PINE', 'LAKE', 'HILL'])} {r.choice(['ST', 'DR', 'AVE'])}"
        when = settled(g, d, 10, 16)
        (g.wire_in if r.random() < 0.6 else g.ach_in)(acct, comm, when, title, f"COMMISSION {addr}")
        if r.random() < 0.3:
            cc = r.choice(["US", "US", "CA", "MX", "GB"])
            broker = f"{r.choice(LAST)} {r.choice(['Realty', 'Properties', 'Relocation'])}"
            to = us_party(g, broker) if cc == "US" else firm(g, broker, cc)
            how = "ach" if cc == "US" else "wire"
            g.out_upto(how, acct, comm * r.uniform(0.25, 0.35), 1.0, after(g, when, 20, 96), to, f"REFERRAL FEE {addr}")
            referrals += 1
        split = r.uniform(0.6, 0.9)
        for a in r.sample(agents, r.randint(1, min(2, len(agents)))):
            g.out_upto("ach", acct, comm * split / 2, 1.0, after(g, when, 20, 120), a, f"AGENT SPLIT {addr}")
        if r.random() < 0.4:
            g.p2p_out(acct, r.uniform(300, 500), after(g, when, 24, 96), us_party(g, g.person_name()), "TC FEE")
    monthly(g, acct, onboard + 1, 5, (400, 1500), us_party(g, "Regional MLS Inc"), "MLS DUES")
    for d in range(onboard + 3, DAYS, 30):
        g.card(acct, r.uniform(300, 1500), at(g, d), "ZILLOW PREMIER AGENT")
    shape = {"closings": closings, "agents": len(agents), "referrals": referrals}
    g.label("realtor_commission_split", "benign", [c], shape)


def funeral_repatriation(g: GenD) -> None:
    """Condolence gifts and a GoFundMe payout, then the funeral home, the airline cargo and family abroad."""
    r = g.rng
    home = r.choice(list(FUNERAL_ABROAD))
    onboard = r.randint(0, 30)
    c = worker(g, g.occupation("retail"), onboard, r.uniform(2500, 6000), name=local(g, home))
    acct = c.accounts["USD"]
    d = r.randint(onboard + 5, 70)
    gofundme = us_party(g, "GoFundMe Inc")
    raised = 0.0
    for k in range(r.randint(1, 3)):
        amt = r.uniform(1500, 35000)
        g.ach_in(acct, amt, at(g, d + 3 + 5 * k, 5, 8), gofundme, "GOFUNDME PAYOUT")
        raised += amt
    gifts = r.randint(8, 40)
    for _ in range(gifts):
        cp = us_party(g, local(g, home) if r.random() < 0.6 else g.person_name())
        amt = r.choice([20, 25, 50, 50, 100, 100, 150, 200, 300, 500, 1000]) * r.choice([1, 1, 1, 1.5])
        day = day_of(d + r.randint(0, 12))
        when = night(g, day) if r.random() < 0.3 else at(g, day, 7, 22)
        g.p2p_in(acct, amt, when, cp, r.choice(CONDOLENCES))
        raised += amt
    funeral_home = us_party(g, r.choice(FUNERAL_HOMES_US))
    g.out_upto("ach", acct, r.uniform(6000, 16000), 0.9, at(g, d + r.randint(2, 6)), funeral_home, "FUNERAL SERVICES")
    fh_abroad, cargo = FUNERAL_ABROAD[home]
    g.out_upto("wire", acct, r.uniform(2000, 8000), 0.8, at(g, d + r.randint(4, 10)), firm(g, fh_abroad, home), None)
    g.card(acct, r.uniform(1500, 5000), at(g, d + r.randint(4, 10)), cargo)
    airline = r.choice(["AEROMEXICO", "AVIANCA", "UNITED AIRLINES", "DELTA AIR LINES"])
    g.card(acct, r.uniform(600, 2400), at(g, d + r.randint(3, 9)), airline)
    for _ in range(r.randint(1, 3)):
        rel = someone_abroad(g, home, f"{r.choice(given_names(home))} {c.name.split()[-1]}")
        g.out_upto("wire", acct, r.uniform(800, 5000), 0.7, at(g, d + r.randint(5, 20)), rel, "GASTOS FUNERAL")
    g.label("funeral_repatriation", "benign", [c], {"home": home, "raised": round(raised), "gifts": gifts})


LAUNDERING: list[Callable[[GenD], None]] = [
    pig_butchering_collector,
    relief_loan_fraud,
    export_control_evasion,
    ghost_employee_payroll,
    cash_front_commingling,
    iolta_client_account,
    ach_kiting,
    micro_structured_wires,
    casino_front_money,
    real_estate_shell_purchase,
    tppp_nested_merchants,
    mail_theft_check_fraud,
]
BENIGN: list[Callable[[GenD], None]] = [
    congregation_collections,
    property_manager_rents,
    farm_harvest_payroll,
    home_sale_then_purchase,
    insurance_claim_rebuild,
    day_trader_brokerage,
    expat_foreign_salary,
    lottery_prize_gifts,
    realtor_commission_split,
    funeral_repatriation,
]


# =================================================================================================
# planning and posting
# =================================================================================================
def generate(seed: int, url: str) -> Gen:
    """Plan set d's cases of `seed` for the bank at `url` (nothing is posted)."""
    return scenarios_c.plan(GenD(seed), PREFIX, url, LAUNDERING, BENIGN)


def post_all(g: Gen, url: str) -> dict[str, Any]:
    """Register the customers, open their accounts and post every event in time order (set c's posting:
    outflows sized down to the funds there). Returns the number posted, a line per refused posting and how
    many planned postings were skipped (nothing there to move)."""
    return scenarios_c.post_all(g, url)
