"""Set g of the outside tester's scenarios: a seventh independent set of laundering families and benign
look-alikes that sets a-f (`bench.aml_outsider.scenarios`, `scenarios_b`, `scenarios_c`, `scenarios_d`,
`scenarios_e`, `scenarios_f`) do not have, written from the public AML literature by a tester who did not read
the project's detection logic, then frozen (never changed because of what was or was not detected).

`generate(seed, url)` plans, for the bank at `url`, NEW customers (refs W<seed>-NNNN, never colliding with the
Q, R, S, T, U or V refs of sets a-f) with their accounts, ordinary background life (salary or a pension, rent,
bills, card spending, ATM cash; the trade of a business; a registered agent and a few card payments for a
shell) and the postings of 9 laundering families (5 instances each) and 7 benign look-alike families (8 each);
`post_all` registers them and posts it all through the public ledger API. The plan and posting machinery is
set f's (`GenF`, itself set d's `GenD` under another letter: wires and ACH dated on a weekend or bank holiday
settle the next business day) and set c's (`plan`, `check`, `post_all`): the `ledger.movements` helpers and
card `Transfer`s through `Ledger.post_many`; every outflow sized down at posting time to the funds there, so
nothing is refused for lack of funds. Every onboarding and posting falls in the base bank's 90 days from
`START` (1 January to 31 March 2026: the start of the US tax filing season, which the refund family uses).
`Gen.labels` maps each instance (`family#k`) to its family, class, customers, accounts and shape, as in sets
a-f. For a laundering instance the customers are the accounts the scheme runs through (its victims, sellers,
vendors or players are outside parties); for a look-alike, every customer the instance created. Every draw comes
from one `random.Random(seed)` in a fixed order (the base bank is read for its FX range and to make sure no customer of
it already has a ref of this seed).

As in sets d-f, the ledger has no cheque channel: a cheque paid in is posted as an ACH credit from its drawer
described "MOBILE CHECK DEPOSIT" or "CHECK DEPOSIT". An ACH credit's memo may carry the name of the person it
was sent for (the receiver name of the ACH entry), as a tax refund or a benefit payment does.

Laundering families and their sources (a citation marked "unsure" is given from memory: the document exists
to the tester's knowledge, but its number, date or exact title may be off):
- sirf_tax_refunds: IRS Criminal Investigation and DOJ Tax Division material on stolen identity refund fraud
  (SIRF), FinCEN "Identity Theft: Trends, Patterns, and Typologies Reported in Suspicious Activity Reports"
  (October 2011) and the SAR Activity Review articles on tax refund fraud (issue unsure), and the NACHA R17
  return of questionable federal tax refunds (name mismatch; unsure of the year): in the filing season one
  customer (a student, a barber, a driver, sometimes one who says they prepare taxes), sometimes with a friend
  or relative's account too, is paid many federal and state tax refunds in other people's names, by direct
  deposit, through refund-transfer banks and as Treasury cheques, and takes each out within a day or two in
  ATM and branch cash, prepaid-card reloads, P2P to a crew, or a crypto exchange.
- timeshare_fraud_collector: FinCEN Notice FIN-2024-NTC3 on timeshare fraud associated with Mexico-based
  transnational criminal organisations (July 2024; number unsure) and the FBI IC3 public service announcement
  and OFAC designations on CJNG timeshare fraud (2024): a sham "title and escrow" or "resale" LLC (or a
  person lending their account) is paid wires and cheques by elderly timeshare owners in the US and Canada,
  several times each, in rising amounts ("closing costs", then "Mexican capital gains tax", "release fee",
  "anti-money laundering fee"), and wires it on within days to companies and people in Mexico, some through a
  second account, a crypto exchange or cash.
- catalytic_converter_fence: FinCEN Notice FIN-2023-NTC4 on catalytic converter theft (November 2023; number
  unsure) and the DOJ nationwide takedown of a catalytic converter theft network ("Operation Cut-Back",
  November 2022): an "auto parts recycler" or "core buyer" receives large settlements from precious-metal
  refiners and pays many individuals with no auto trade small sums almost daily, often at night, by P2P and in
  cash, and passes money to its owner, who buys cars and luxury goods.
- embezzlement_bookkeeper: ACFE "Occupational Fraud 2024: A Report to the Nations" (billing, payment tampering
  and expense reimbursement schemes) and the FinCEN SAR Activity Review articles on insider abuse and
  embezzlement (issue unsure): a bookkeeper, office manager or treasurer of a small employer (a dental
  practice, a parish, an HOA, a town, a youth club) pays themselves beyond their salary, as "vendor payments",
  "reimbursements" or cheques, more and more often, sometimes through a sham vendor LLC of their own, and
  spends it at casinos and sportsbooks, on luxury, travel and card payoffs.
- procurement_kickback_consultant: FATF "Laundering the Proceeds of Corruption" (July 2011), FATF/Egmont
  "Concealment of Beneficial Ownership" (July 2018), the ACFE Report to the Nations (corruption: kickbacks)
  and the Wolfsberg Group "Anti-Bribery and Corruption (ABC) Compliance Guidance" (2017): a procurement,
  facilities or IT manager on a salary (of a hospital, a school district, a transit authority, a county) has
  a "consulting" LLC, in their own or their spouse's name, paid "commissions" and "referral fees" by the
  vendors they buy from, and takes it out as distributions, a home builder, a car, tuition, a brokerage
  account and cash, with no expenses of its own.
- lottery_ten_percenting: FATF "Vulnerabilities of Casinos and Gaming Sector" (March 2009; lotteries and the
  purchase of winning tickets), the Massachusetts State Auditor's review of the State Lottery's frequent
  claimants (2019; unsure) and the Palm Beach Post series on repeat lottery winners (2016; unsure): a
  convenience-store clerk, a retiree or a driver (sometimes with relatives claiming as well) claims prize
  after prize, net of withholding, from one or two state lotteries, pays in small prizes in cash, and uses the
  money on a property, a car, a brokerage account and transfers to others.
- private_atm_dirty_cash: FFIEC BSA/AML Examination Manual, "Independent Automated Teller Machine Owners or
  Operators" and the FinCEN SAR Activity Review article on privately owned ATMs (issue 12, 2007; unsure): an
  ATM operator LLC receives a processor's settlement for its machines every business day, far more than
  machines in small bars and shops dispense, never (or hardly) draws vault cash to load them, and wires the
  money on to its owner, related companies, a title company or abroad.
- snap_ebt_trafficking_store: USDA Food and Nutrition Service reports on trafficking in SNAP ("The Extent of
  Trafficking in the Supplemental Nutrition Assistance Program", 2012-2014 and 2015-2017 editions; unsure),
  7 CFR 278.6 (retailer disqualification for trafficking) and the FinCEN SAR Activity Review article on food
  stamp fraud (issue unsure): a small store's EBT settlements are several times its card sales while it buys
  little stock, and it takes out large sums in cash (benefits bought for cash at a discount), some under the
  reporting threshold, and moves the rest to its owner, other businesses and abroad.
- rental_listing_scam: FBI IC3 public service announcements and annual reports on rental and real estate
  fraud (unsure of the PSA numbers), the FTC consumer alerts on rental listing scams and FinCEN FIN-2020-A003
  (imposter scams and money mule schemes, July 2020): a person posing as a landlord advertises homes that are
  not theirs; many strangers pay application fees, holding deposits and first months by P2P (some by money
  order) in short bursts per listing, and it goes out within a day in ATM cash, P2P to others, gift cards, a
  crypto exchange or a remitter, sometimes through a friend's account.

Benign look-alikes (the source of the legitimate behaviour, and the laundering red flag it mirrors):
- neighborhood_grocery_ebt: USDA FNS SNAP retailer rules (7 CFR 278) and the states' EBT issuance schedules:
  a corner grocery's card takings, EBT settlements peaking in the first half of the month, cash takings paid
  in, wholesalers paid most of it, staff, rent, sales tax and small change orders (EBT settlements with cash:
  SNAP trafficking).
- atm_operator_vault_cash: FFIEC BSA/AML Examination Manual (independent ATM operators) and 31 CFR 1010.311
  (CTRs on the operator's vault cash): an independent ATM operator draws large vault cash at branches to load
  its machines, receives the processor's daily settlements, pays the locations their share of the surcharge,
  an armoured carrier and the processor (large cash withdrawals, daily settlements: the private-ATM front).
- scrap_metal_yard: ISRI (now ReMA) scrap theft guidance and state scrap metal dealer laws (seller ID, hold
  periods, payment by cheque or electronic transfer; unsure of the exact statutes): a licensed yard pays many
  individuals and a few trade accounts small sums every day and receives mills', brokers' and a converter
  refiner's payments (many small payouts to individuals, refiner settlements: the converter fence).
- student_housing_landlord: state security deposit laws (e.g. Massachusetts G.L. c.186 §15B, New York General
  Obligations Law §7-108; unsure of the sections) and the student-housing pre-leasing season: a landlord near a
  university collects next year's application fees and deposits from many students and parents by P2P in
  January to March, refunds those who lose the unit, keeps deposits in an escrow account and pays mortgages
  and repairs (many strangers paying deposits: the rental listing scam).
- expense_reimbursed_consultant: IRS Publication 463 and the accountable-plan rules (26 CFR 1.62-2): a
  travelling consultant or engineer is paid salary and, after each trip, a reimbursement from the employer or
  its expense system, sometimes a bonus (payments from the employer beyond payroll: embezzlement).
- manufacturers_rep_commissions: MANA (Manufacturers' Agents National Association) material on rep agreements
  and IRS Form 1099-NEC: an independent sales agency receives monthly commission statements from the
  manufacturers it represents and pays its owner, sub-reps, travel, a car and estimated tax (commissions from
  suppliers to an LLC moved to its owner: kickbacks).
- representative_payee: SSA "A Guide for Representative Payees" (Publication 05-10076) and 20 CFR 404.2035 /
  416.635: a relative or a non-profit payee receives Social Security and SSI for several beneficiaries into
  one account (benefits in other people's names: refund fraud) and pays their care homes, landlords,
  pharmacies and personal allowances.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bench.aml_outsider import scenarios_c
from bench.aml_outsider.scenarios import BANKS_US, CARD_ISSUERS, FIRST, INSURERS, LAST, MORTGAGE, START, Cust, Gen
from bench.aml_outsider.scenarios_b import EXCHANGES, business, pension_life, person, weekday
from bench.aml_outsider.scenarios_c import DAYS, LAST_DAY, local, night, same_address, young
from bench.aml_outsider.scenarios_d import (
    BANK_HOLIDAYS,
    after,
    at,
    biz,
    monthly,
    roundish,
    settled,
    shell_life,
    staff_pay,
    us_party,
    worker,
)
from bench.aml_outsider.scenarios_f import (
    CAR_DEALERS_F,
    FUEL,
    LUXURY_F,
    REMIT_OUT,
    TITLE_F,
    GenF,
    check_in,
    day_index,
    days_from,
    household,
    party_abroad,
    relocate,
)
from ledger import Counterparty

PREFIX = "W"  # customer refs W<seed>-NNNN (set a: Q, set b: R, set c: S, set d: T, set e: U, set f: V)
LAUNDERING_N = 5
BENIGN_N = 8

# tax refunds
IRS = Counterparty("IRS TREAS 310", None, "US Treasury", "US")
TREASURY_CHECK = Counterparty("US TREASURY CHECK", None, "US Treasury", "US")
STATE_REFUNDS = [
    ("NYS DTF PIT", "NYS DTF PIT REFUND"),
    ("CA FRANCHISE TAX BD", "CASTTAXRFD"),
    ("GA DEPT OF REVENUE", "GA TAX RFD"),
    ("NJ DIV OF TAXATION", "NJ STTAXRFD"),
    ("IL DEPT OF REVENUE", "IL TAX REFUND"),
    ("MASSACHUSETTS DOR", "MA DOR REFUND"),
    ("AZ DEPT OF REVENUE", "AZ TAX REFUND"),
    ("OHIO TREASURER", "OH ST TAX REF"),
    ("PA DEPT OF REVENUE", "PA TAX RFD"),
    ("NC DEPT OF REVENUE", "NC TAX REFUND"),
]
REFUND_TRANSFER = ["SBTPG LLC", "EPS FINANCIAL", "REFUND ADVANTAGE", "RIVER CITY BANK RT", "TPG REFUND TRANSFER"]
SIRF_JOBS = ["student", "self-employed", "delivery driver", "barber", "cashier", "tax preparer", "hair stylist"]
SIRF_JOBS += ["rideshare driver", "warehouse worker"]
PREPAID_LOADS = [
    "GREEN DOT*RELOAD",
    "NETSPEND RELOAD",
    "WALMART MONEYCARD RELOAD",
    "VANILLA RELOAD",
    "CVS/PHARMACY #04412 GC",
    "RITE AID MONEYPAK",
    "7-ELEVEN PREPAID LOAD",
]
CREW_MEMOS = [None, None, None, "💰", "ur cut", "ty", "for u", "split", "💸", "bro", "the rest", "🤝"]
# timeshare fraud
TS_FRONTS = [
    "{w} Title & Escrow LLC",
    "{w} Closing Services LLC",
    "{w} Resort Transfer Group LLC",
    "{w} Vacation Asset Recovery LLC",
    "{w} Timeshare Exit Solutions Inc",
    "{w} Escrow Services Inc",
    "{w} Resale Partners LLC",
]
TS_WORDS = ["Pacific Coast", "Sunset Bay", "Riviera", "Cabo Azul", "Playa Dorada", "Golden Palms", "Vista Mar", "Bahia"]
TS_FIRST_MEMOS = ["CLOSING COSTS", "ESCROW DEPOSIT", "TRANSFER FEE", "TITLE FEE", "SALE CLOSING", None, None]
TS_LATER_MEMOS = [
    "MEXICAN CAPITAL GAINS TAX",
    "ISR TAX",
    "RELEASE FEE",
    "ANTI-MONEY LAUNDERING FEE",
    "NOTARY FEE",
    "FINAL TAX",
    "BUYER GUARANTEE BOND",
    "COURT FEE",
    "FIDEICOMISO FEE",
    None,
]
RESORTS = ["PUERTO VALLARTA", "CANCUN", "CABO SAN LUCAS", "NUEVO VALLARTA", "MAZATLAN", "PLAYA DEL CARMEN"]
MX_COS = [
    "Servicios Turisticos {w} SA de CV",
    "Inmobiliaria {w} SA de CV",
    "Comercializadora {w} SA de CV",
    "Consultoria {w} S de RL de CV",
    "Desarrollos {w} SA de CV",
]
MX_WORDS = ["del Pacifico", "Costa Azul", "Los Arcos", "Marina", "Jalisco", "Caribe", "Bahia", "Altamar", "Vallarta"]
MX_BANKS = ["BBVA Mexico", "Banorte", "Santander Mexico", "Banco Azteca", "Banamex", "Scotiabank Mexico"]
CA_BANKS = ["RBC Royal Bank", "TD Canada Trust", "Scotiabank", "BMO Bank of Montreal", "CIBC"]
OLD_FIRST = ["Dorothy", "Harold", "Betty", "Walter", "Shirley", "Eugene", "Joan", "Ronald", "Carol", "Donald"]
OLD_FIRST += ["Judith", "Gerald", "Barbara", "Frank", "Marilyn", "Richard", "Janet", "Lawrence", "Norma", "Roger"]
MX_OUT_MEMOS = [None, None, "SERVICIOS", "HONORARIOS", "COMISION", "PAGO FACTURA", "INVOICE", "CONSULTING"]
# catalytic converters
CAT_FRONTS = [
    "{last} Auto Parts LLC",
    "{last} Core Buyers",
    "{w} Recycling LLC",
    "{w} Metals & Cores Inc",
    "{last} Salvage & Recycling",
    "{w} Exhaust Cores LLC",
]
CAT_WORDS = ["Tri-State", "Metro", "Eastside", "Gulf Coast", "Valley", "Empire", "Lone Star", "Keystone"]
PGM_BUYERS = [
    "{last} Precious Metals Refining",
    "PGM Recovery Systems Inc",
    "{w} Catalyst Recycling LLC",
    "Converter Core Processing Inc",
    "{last} Metals Recovery Co",
    "Autocat Refiners LLC",
]
PGM_MEMOS = ["LOT SETTLEMENT {n}", "CAT LOT {n}", "PGM ASSAY {n}", "DECANNED MATERIAL LOT {n}", "INV {n}"]
PGM_MEMOS += ["CONVERTERS {n} UNITS"]
THIEF_MEMOS = [None, None, None, None, "cats", "2 cats", "prius", "parts", "🔧", "ty", "load", "the 3", "honda x2"]
THIEF_MEMOS += ["f250", "🐈", "🐱🐱", "scrap"]
# embezzlement
VICTIM_EMPLOYERS = [
    ("{last} Family Dental PC", "dental practice"),
    ("{last} & {last2} CPAs", "accounting firm"),
    ("St. {s} Parish", "parish"),
    ("{w} Homeowners Association", "homeowners association"),
    ("{last} Plumbing & Heating Inc", "contractor"),
    ("{w} Youth Soccer Club", "youth club"),
    ("Town of {w}", "town"),
    ("{w} Medical Group", "medical practice"),
    ("{last} Trucking LLC", "trucking company"),
    ("{w} Auto Group", "car dealership"),
    ("{w} Credit Union", "credit union"),
]
EMB_WORDS = ["Lakewood", "Brookside", "Fairview", "Cedar Hills", "Pinecrest", "Riverbend", "Millbrook", "Harbor View"]
SAINTS_G = ["Mary", "Joseph", "Michael", "Anthony", "Patrick", "Francis", "Jude", "Catherine", "Luke"]
EMB_JOBS = ["bookkeeper", "office manager", "payroll administrator", "controller", "accounts payable clerk"]
EMB_JOBS += ["executive assistant", "finance manager", "billing manager", "treasurer"]
EMB_MEMOS = ["VENDOR PMT", "REIMBURSEMENT", "EXPENSE REIMB", "PAYROLL ADJ", "BONUS", "INV {n}", "REFUND", "PETTY CASH"]
EMB_MEMOS += ["MILEAGE", "OFFICE SUPPLIES", None]
SHAM_VENDORS = ["{ini} Business Services LLC", "{last} Office Solutions", "{ini} Consulting LLC", "{w} Supply Co"]
SHAM_VENDORS += ["{last} Cleaning Services", "{ini} Bookkeeping LLC"]
GAMBLING_CARD = [
    ("MOHEGAN SUN CASINO", 200, 3000),
    ("FOXWOODS RESORT CASINO", 200, 2500),
    ("MGM NATIONAL HARBOR", 300, 4000),
    ("HARRAHS CHEROKEE", 200, 2500),
    ("DRAFTKINGS*SPORTSBOOK", 50, 1500),
    ("FANDUEL*SPORTSBOOK", 50, 1500),
    ("PARX CASINO", 200, 2000),
    ("WINSTAR WORLD CASINO", 200, 3000),
    ("CHUMBA CASINO*VGW", 20, 500),
    ("BETMGM*ONLINE", 50, 1200),
]
SPLURGE = [
    ("LOUIS VUITTON", 800, 5000),
    ("ROYAL CARIBBEAN CRUISES", 1500, 8000),
    ("NORDSTROM #0410", 150, 1800),
    ("APPLE STORE R121", 300, 2500),
    ("DELTA AIR LINES", 300, 2400),
    ("TIFFANY & CO", 600, 7000),
    ("FOUR SEASONS RESORT", 800, 4500),
    ("AMAZON MKTPLACE PMTS", 50, 900),
    ("SEPHORA #1174", 60, 600),
    ("WAYFAIR*4471", 200, 2500),
]
# kickbacks
INSIDER_JOBS = ["procurement manager", "purchasing director", "facilities manager", "IT director"]
INSIDER_JOBS += ["supply chain manager", "construction project manager", "fleet manager", "purchasing agent"]
BIG_EMPLOYERS = [
    "Harborview Hospital",
    "Metro Transit Authority",
    "Riverside School District",
    "Oakridge Manufacturing",
    "Northwind Health System",
    "Globex Corporation",
    "County of {w}",
    "State University of {w}",
    "{w} Regional Medical Center",
    "{w} Water Authority",
]
EMP_WORDS = ["Franklin", "Jefferson", "Monroe", "Lincoln", "Madison", "Clayton", "Marion", "Warren"]
VENDOR_KINDS = [
    "Facility Services Inc",
    "IT Solutions LLC",
    "Medical Supply Co",
    "Janitorial Services Inc",
    "Fleet Parts Inc",
    "Construction Group LLC",
    "Staffing Solutions LLC",
    "Office Products Inc",
    "Security Services Inc",
    "Paving & Sitework LLC",
]
KICK_LLC = ["{w} Advisory Group LLC", "{w} Consulting LLC", "{ini} Strategies LLC", "{w} Business Development LLC"]
KICK_LLC += ["{w} Management Partners LLC", "{ini} Holdings LLC"]
KICK_WORDS = ["Northstar", "Bluewater", "Ridgeline", "Clearview", "Oakmont", "Silverline", "Brightpath", "Keystone"]
KICK_MEMOS = ["CONSULTING FEE", "COMMISSION", "MARKETING SERVICES", "REFERRAL FEE", "SALES COMMISSION Q{q}"]
KICK_MEMOS += ["ADVISORY SERVICES", "INV {n}", None]
HOME_BUILDERS = ["{last} Custom Homes LLC", "{last} Pools & Spas", "{w} Builders Inc", "{last} Kitchen & Bath"]
PRIVATE_SCHOOLS = ["{w} Academy", "{w} Country Day School", "St. {s} Preparatory School", "{w} Montessori School"]
BROKERS_G = ["Charles Schwab", "Fidelity Investments", "Vanguard", "E*TRADE", "Morgan Stanley Wealth Mgmt"]
# lottery
LOTTO = [
    ("NEW YORK STATE LOTTERY", "NY"),
    ("MASSACHUSETTS STATE LOTTERY", "MA"),
    ("FLORIDA LOTTERY", "FL"),
    ("GEORGIA LOTTERY CORP", "GA"),
    ("TEXAS LOTTERY COMMISSION", "TX"),
    ("NEW JERSEY LOTTERY", "NJ"),
    ("PENNSYLVANIA LOTTERY", "PA"),
    ("ILLINOIS LOTTERY", "IL"),
    ("MARYLAND LOTTERY AND GAMING", "MD"),
    ("CALIFORNIA STATE LOTTERY", "CA"),
]
LOTTO_MEMOS = ["PRIZE CLAIM {n}", "LOTTERY PRIZE PMT", "CLAIM {n}", "PRIZE PAYMENT", "SCRATCH OFF CLAIM {n}"]
LOTTO_JOBS = ["convenience store clerk", "convenience store owner", "retired", "construction worker", "barber"]
LOTTO_JOBS += ["taxi driver", "security guard", "cook", "self-employed"]
FAMILY_MEMOS = [None, None, "loan", "for the house", "ty", "help", "family", "❤️", "car"]
# private ATMs
ATM_PROCESSORS = [
    "Columbus Data Services",
    "Switch Commerce Inc",
    "Payment Alliance International",
    "Elan ATM Settlement",
    "Cardtronics USA Inc",
    "Access to Money Inc",
]
ATM_FRONTS = ["{w} ATM Services LLC", "{last} ATM Network LLC", "{w} Cash Machines Inc", "{w} Amusements LLC"]
ATM_FRONTS += ["{last} Vending & ATM LLC"]
ATM_WORDS = ["Metro", "Liberty", "Quick Cash", "Express", "Gold Coast", "Midway", "Starlight", "Victory", "Apex"]
ATM_OUT_COUNTRIES = ["MX", "CO", "DO", "CN", "AE", "PA", "VN", "TR", "IN", "HK"]
ARMORED = ["Loomis Armored US", "Brink's Inc", "GardaWorld Cash Services", "Dunbar Armored"]
HOST_KINDS = ["Bar & Grill", "Food Mart", "Liquor Store", "Laundromat", "Smoke Shop", "Tavern", "Deli", "Motel"]
# SNAP
EBT_PAYERS = [
    ("FIS EBT SETTLEMENT", "EBT SETTLEMT"),
    ("CONDUENT EBT SVCS", "SNAP EBT"),
    ("USDA FNS SNAP", "FNS SNAP CREDIT"),
    ("FISERV EBT", "EBT SETTLEMENT"),
    ("EBT PROCESSING TPP", "SNAP REDEMPTION"),
]
STORE_KINDS = [
    ("convenience store", "{last} Deli & Grocery"),
    ("grocery store", "{w} Food Market"),
    ("meat market", "{w} Meat Market"),
    ("convenience store", "{w} Mini Mart"),
    ("grocery store", "{last} Supermarket"),
    ("gas station convenience store", "{w} Food & Fuel"),
    ("grocery store", "{w} International Foods"),
]
STORE_WORDS = ["Sunrise", "Corner", "Family", "Golden", "City", "Star", "Liberty", "Green Valley", "Main Street"]
GROCERY_WHOLESALE = [
    "Jetro Cash & Carry",
    "Restaurant Depot",
    "Core-Mark International",
    "C&S Wholesale Grocers",
    "UNFI",
    "Krasdale Foods",
    "McLane Company",
    "{last} Wholesale Grocers",
    "{last} Produce Distributors",
]
STORE_OWNER_ORIGINS = ["US", "US", "YE", "BD", "DO", "IN", "PK", "JO", "MX", "ET", "NG", "KR", "VN", "EG"]
# rental listings
RENT_STREETS = ["Maple Ave", "Cedar Ln", "Willow St", "Lakeview Dr", "Hillcrest Rd", "Park Pl", "River Rd", "2nd St"]
RENT_STREETS += ["Oak Ct", "Birch St", "Magnolia Way", "Chestnut St"]
RENT_MEMOS = ["deposit", "security deposit", "first month + deposit", "holding deposit", "for the apartment"]
RENT_MEMOS += ["{addr} deposit", "rent {mon}", "move in", "🏠", "lease", "{addr}", None, None]
APP_MEMOS = ["application fee", "app fee", "{addr} application", "background check", None]
SCAM_DEST = ["NG", "GH", "CI", "KE", "CM", "US", "US"]
GIFT_CARDS = ["TARGET GIFT CARD T1284", "APPLE STORE R102", "GOOGLE PLAY GIFT CARD", "BEST BUY GIFT CARDS"]
GIFT_CARDS += ["WALMART GIFT CARD 5260", "STEAM GIFT CARD"]
# benign: grocery
GROCERY_ISSUANCE = [(1, 10), (1, 15), (1, 20), (3, 23), (1, 9)]  # days of the month the state issues SNAP on
# benign: ATM operator
LOCATION_WORDS = ["Main St", "Corner", "Lucky", "Harbor", "Sunset", "Station", "Park", "Uptown", "Westside"]
# benign: scrap
MILLS = [
    "Nucor Steel",
    "Steel Dynamics Inc",
    "Commercial Metals Co",
    "Radius Recycling",
    "Sims Metal Management",
    "OmniSource Corp",
    "Cleveland-Cliffs Steel",
    "{last} Metals Brokerage",
]
MILL_MEMOS = ["SHRED SETTLEMENT", "HMS 1&2 SETTLEMENT", "ALUMINUM INV {n}", "COPPER #2 INV {n}", "PO {n}"]
MILL_MEMOS += ["REMITTANCE {n}"]
SCRAP_YARDS = ["{last} Iron & Metal", "{w} Recycling Center", "{last} Scrap Metal Inc", "{w} Metals Recycling LLC"]
SCRAP_WORDS = ["Tri-County", "River City", "Northside", "Prairie", "Bay Area", "Capitol", "Delta", "Summit"]
TRADE_SELLERS = ["{last} Demolition", "{last} HVAC", "{last} Auto Repair", "{last} Electric", "{last} Plumbing"]
TRADE_SELLERS += ["{last} Salvage Yard", "{last} Roofing"]
# benign: student housing
UNIVERSITY_TOWNS = [
    ("Ann Arbor", "MI", "University of Michigan"),
    ("Gainesville", "FL", "University of Florida"),
    ("Columbus", "OH", "Ohio State"),
    ("Tempe", "AZ", "Arizona State"),
    ("Boulder", "CO", "CU Boulder"),
    ("Madison", "WI", "UW Madison"),
    ("State College", "PA", "Penn State"),
    ("Austin", "TX", "UT Austin"),
    ("Amherst", "MA", "UMass"),
    ("Ithaca", "NY", "Cornell"),
]
LEASE_MEMOS = ["deposit 26-27", "security deposit", "app fee", "holding deposit", "deposit for {addr}", "lease deposit"]
LEASE_MEMOS += ["my share of deposit", "{addr} 26-27", "deposit - {first}", None]
# benign: consultants
CONSULT_JOBS = ["management consultant", "sales engineer", "field service engineer", "IT auditor"]
CONSULT_JOBS += ["regional sales manager", "implementation consultant", "project engineer"]
TRAVEL_SPEND = [
    ("UNITED AIRLINES", 250, 1400),
    ("DELTA AIR LINES", 250, 1400),
    ("AMERICAN AIRLINES", 200, 1300),
    ("MARRIOTT HOTELS", 180, 900),
    ("HILTON HOTELS", 160, 850),
    ("HYATT HOTELS", 180, 950),
    ("HERTZ RENT-A-CAR", 120, 600),
    ("NATIONAL CAR RENTAL", 110, 550),
    ("UBER *TRIP", 15, 70),
    ("RUTH'S CHRIS STEAK HOUSE", 80, 400),
    ("HUDSON NEWS", 8, 35),
]
EXPENSE_PAYERS = [("SAP CONCUR", "EXPENSE REIMB"), ("EXPENSIFY INC", "EXPENSIFY REIMB"), (None, "EXPENSE REIMB")]
EXPENSE_PAYERS += [("NAVAN INC", "NAVAN REIMBURSEMENT"), (None, "T&E REIMBURSEMENT")]
# benign: manufacturers' reps
REP_LINES = [
    ("HVAC", ["{last} Controls Inc", "{w} Air Systems", "{last} Pumps Co", "{w} Ventilation Inc"]),
    ("foodservice equipment", ["{last} Refrigeration", "{w} Cooking Systems", "{last} Manufacturing Co"]),
    ("electrical", ["{w} Lighting Inc", "{last} Wire & Cable", "{w} Switchgear Co", "{last} Electric Mfg"]),
    ("industrial", ["{last} Bearings Inc", "{w} Hydraulics", "{last} Valve Co", "{w} Conveyor Systems"]),
    ("plumbing", ["{last} Faucet Co", "{w} Water Heaters", "{last} Fixtures Inc"]),
    ("medical devices", ["{w} Surgical Inc", "{last} Orthopedics", "{w} Medical Instruments"]),
]
REP_WORDS = ["Precision", "Allied", "Summit", "Apex", "Continental", "Premier", "Atlas", "Pioneer", "Vanguard"]
REP_ABROAD = [("DE", "{w} GmbH"), ("IT", "{w} SpA"), ("JP", "{w} Co Ltd"), ("CA", "{w} Ltd"), ("TW", "{w} Co Ltd")]
TRADE_SHOWS = ["AHR EXPO", "NRA SHOW CHICAGO", "NECA SHOW", "FABTECH", "KBIS ORLANDO", "IFMA WORLD WORKPLACE"]
# benign: representative payees
SSA = Counterparty("SSA TREAS 310 XXSOC SEC", None, "US Treasury", "US")
SSI = Counterparty("SSI TREAS 310 XXSUPP SEC", None, "US Treasury", "US")
CARE_PLACES = [
    "{w} Group Home",
    "{w} Assisted Living",
    "{last} Adult Family Home",
    "{w} Supported Living Inc",
    "{w} Care Center",
    "{last} Residential Services",
]
CARE_WORDS = ["Sunrise", "Maple Grove", "Serenity", "Harmony", "Brookdale", "Golden Years", "New Horizons", "Haven"]
PHARMACIES = ["CVS/PHARMACY #0921", "WALGREENS #4421", "RITE AID #0721", "KROGER PHARMACY #522"]


# =================================================================================================
# the plan of one seed
# =================================================================================================
class GenG(GenF):
    """Set f's plan (set d's, wires and ACH on business days) with refs W<seed>-NNNN and reference ids
    w<seed>:..."""

    letter = PREFIX


# =================================================================================================
# helpers
# =================================================================================================
def fill(g: GenG, pattern: str, words: list[str]) -> str:
    """`pattern` with a surname, another surname, a word, a saint, initials or a number filled in."""
    r = g.rng
    return pattern.format(
        last=r.choice(LAST),
        last2=r.choice(LAST),
        w=r.choice(words),
        s=r.choice(SAINTS_G),
        ini="".join(r.choice("ABCDEFGHJKLMNPRSTW") for _ in range(r.choice([2, 3]))),
        n=r.randint(100, 99999),
        q=r.randint(1, 4),
    )


def person_cp(g: GenG, name: str | None = None) -> Counterparty:
    """A person with an account at another US bank."""
    return us_party(g, name or g.person_name())


def exchange(g: GenG) -> Counterparty:
    name, country = g.rng.choice(EXCHANGES[:7])
    return Counterparty(name, f"{g.rng.randint(10**7, 10**8 - 1)}", None, country)


def biz_day(d: int) -> bool:
    return weekday(d) < 5 and d not in BANK_HOLIDAYS


def nth_weekday(month: int, n: int, wd: int) -> int:
    """The day of the base period of the `n`-th weekday `wd` (0 Monday) of the `month`-th month (0 January)."""
    first = (START.replace(month=month + 1) - START).days
    offset = (wd - weekday(first)) % 7
    return first + offset + 7 * (n - 1)


def month_start(month: int) -> int:
    """The day of the base period the `month`-th month (0 January) starts on."""
    return (START.replace(month=month + 1) - START).days


def day_of_month(day: int) -> int:
    return (START + timedelta(days=day)).day


# =================================================================================================
# laundering families
# =================================================================================================
def sirf_tax_refunds(g: GenG) -> None:
    r = g.rng
    onboard = r.randint(0, 40)
    occupation = r.choice(SIRF_JOBS)
    c = person(
        g,
        "STUDENT" if occupation == "student" else "RETAIL",
        occupation,
        onboard,
        DAYS,
        r.uniform(1400, 3600),
        opening=(40, 900),
        rent=r.random() < 0.5,
        born=(1978, 2004),
    )
    acct = c.accounts["USD"]
    holders = [c]
    if r.random() < 0.4:
        friend = young(g, r.randint(0, 45), DAYS)
        if r.random() < 0.5:
            same_address(g, friend, c)
        holders.append(friend)
    states = r.sample(STATE_REFUNDS, r.randint(1, 3))
    arrivals: dict[str, dict[int, float]] = {h.ref: {} for h in holders}
    kinds: Counter[str] = Counter()
    planned = 0.0
    n = r.randint(5, 22)
    for _ in range(n):
        h = holders[0] if len(holders) == 1 or r.random() < 0.65 else holders[1]
        into = h.accounts["USD"]
        victim = g.person_name().upper()
        kind = r.choices(["irs", "state", "rt", "check"], [0.5, 0.2, 0.15, 0.15])[0]
        eitc = r.random() < 0.55  # refunds with the earned income credit are held until late February
        if kind == "state":
            amt = r.uniform(180, 2600)
            d = r.randint(30, LAST_DAY)
        else:
            amt = r.uniform(2800, 8300) if eitc else r.uniform(700, 4200)
            d = r.randint(57, 72) if eitc else r.randint(36, LAST_DAY)
        d = max(d, h.onboard + 2)
        if d > LAST_DAY:
            continue
        named = r.random() < 0.7
        when = settled(g, d, 3, 8)
        if kind == "irs":
            g.ach_in(into, amt, when, IRS, f"TAX REF {victim}" if named else "TAX REF")
        elif kind == "state":
            payer, memo = r.choice(states)
            g.ach_in(into, amt, when, Counterparty(payer, None, None, "US"), f"{memo} {victim}" if named else memo)
        elif kind == "rt":
            amt -= r.choice([39.95, 49.95, 59.0]) + r.uniform(0, 350)  # refund-transfer and preparation fees
            rt = Counterparty(r.choice(REFUND_TRANSFER), None, None, "US")
            g.ach_in(into, amt, when, rt, f"TAX REFUND TRANSFER {victim}" if named else "TAX PRODUCTS")
        else:
            when = settled(g, d, 9, 18)
            check_in(g, into, amt, when, TREASURY_CHECK, r.random() < 0.6)
        day = day_index(when)
        arrivals[h.ref][day] = arrivals[h.ref].get(day, 0.0) + amt
        kinds[kind] += 1
        planned += amt
    own = r.random() < 0.5
    if own:  # the customer's own refund
        g.ach_in(
            acct, r.uniform(250, 2800), settled(g, r.randint(max(40, onboard + 2), LAST_DAY), 3, 8), IRS, "TAX REF"
        )
    crew = [person_cp(g) for _ in range(r.randint(1, 5))]
    style = r.choice(["cash", "p2p", "prepaid", "mixed", "mixed"])
    for h in reversed(holders):  # the friend's account first: it passes most of it on to the customer
        hacct = h.accounts["USD"]
        for d, amt in sorted(arrivals[h.ref].items()):
            dd = min(LAST_DAY, d + r.choice([0, 0, 1, 1, 2]))
            if h is not c and r.random() < 0.6:
                dd = min(LAST_DAY, max(dd, c.onboard + 1))
                g.sweep_give(hacct, acct, r.uniform(0.7, 0.95), at(g, dd, 9, 22), r.choice(CREW_MEMOS))
                arrivals[c.ref][dd] = arrivals[c.ref].get(dd, 0.0) + amt * 0.8
                continue
            how = style if style != "mixed" else r.choice(["cash", "p2p", "prepaid"])
            if how == "cash":
                for _ in range(r.randint(1, 3)):
                    g.withdraw(hacct, r.choice([300, 400, 500, 600, 800, 1000]), at(g, dd, 6, 23), g.atm())
                if r.random() < 0.6:
                    g.withdraw(hacct, roundish(g, amt * r.uniform(0.4, 0.85), 0.8), at(g, dd, 9, 16), g.branch())
            elif how == "p2p":
                for cp in r.sample(crew, r.randint(1, len(crew))):
                    g.p2p_out(hacct, roundish(g, amt * r.uniform(0.15, 0.5), 0.6), at(g, dd, 8, 23), cp, None)
            else:
                for _ in range(r.randint(1, 4)):
                    load = r.choice([200, 300, 500, 500, 1000]) + r.choice([3.95, 4.95, 5.95])
                    g.spend(hacct, load, at(g, dd, 8, 22), r.choice(PREPAID_LOADS))
            if r.random() < 0.15:
                g.out_upto("ach", hacct, amt * r.uniform(0.3, 0.7), 0.8, settled(g, dd), exchange(g), "BUY CRYPTO")
    g.label(
        "sirf_tax_refunds",
        "laundering",
        holders,
        {
            "occupation": occupation,
            "refunds": sum(kinds.values()),
            "kinds": dict(kinds),
            "planned": round(planned),
            "friend_account": len(holders) > 1,
            "cash_out": style,
            "own_refund": own,
        },
    )


def timeshare_fraud_collector(g: GenG) -> None:
    r = g.rng
    onboard = r.randint(0, 30)
    mode = r.choices(["llc", "person"], [0.7, 0.3])[0]
    if mode == "llc":
        kind = r.choice(["title and escrow services", "timeshare resale broker", "real estate closing services"])
        front = biz(g, kind, onboard, fill(g, r.choice(TS_FRONTS), TS_WORDS))
        facct = front.accounts["USD"]
        g.opening(front, facct, r.uniform(500, 5000), onboard + 1)
        shell_life(g, facct, onboard + 1)
        if r.random() < 0.5:
            office = us_party(g, r.choice(["Regus Management Group", "Davinci Virtual Office", "Servcorp US"]))
            monthly(g, facct, onboard + 2, r.randint(1, 5), (150, 900), office, "VIRTUAL OFFICE")
    else:
        front = person(
            g,
            "RETAIL",
            r.choice(["real estate assistant", "notary public", "sales associate", "administrative assistant"]),
            onboard,
            DAYS,
            r.uniform(1800, 3800),
            opening=(100, 1500),
            born=(1975, 2001),
            name=local(g, "MX") if r.random() < 0.5 else None,
        )
        facct = front.accounts["USD"]
    custs = [front]
    mule: Cust | None = None
    if r.random() < 0.3:
        mule = person(
            g,
            "RETAIL",
            r.choice(["warehouse worker", "student", "driver", "cashier"]),
            r.randint(0, onboard + 10),
            DAYS,
            r.uniform(1500, 3000),
            opening=(50, 800),
            name=local(g, "MX") if r.random() < 0.6 else None,
        )
        custs.append(mule)
    mx = [
        g.outside(fill(g, r.choice(MX_COS), MX_WORDS) if r.random() < 0.6 else local(g, "MX"), "MX", r.choice(MX_BANKS))
        for _ in range(r.randint(1, 4))
    ]
    us_shell = us_party(g, fill(g, r.choice(["{w} Holdings LLC", "{w} Marketing LLC", "{w} Group Inc"]), TS_WORDS))
    d0 = onboard + r.randint(3, 10)
    victims = r.randint(3, 11)
    payments = 0
    collected = 0.0
    canadians = 0
    channels: Counter[str] = Counter()
    for _ in range(victims):
        canada = r.random() < 0.2
        canadians += canada
        vname = f"{r.choice(OLD_FIRST)} {r.choice(LAST)}"
        victim = g.outside(vname, "CA", r.choice(CA_BANKS)) if canada else us_party(g, vname)
        resort, week = r.choice(RESORTS), r.randint(1, 52)
        d = r.randint(d0, LAST_DAY - 6)
        amt = roundish(g, r.uniform(1500, 12000), 0.7)
        for i in range(r.randint(1, 5)):
            if d > LAST_DAY - 1:
                break
            memo = r.choice(TS_FIRST_MEMOS if i == 0 else TS_LATER_MEMOS)
            if memo and r.random() < 0.4:
                memo = f"{memo} {resort} WK{week}"
            ch = r.choices(["wire", "check", "ach"], [0.75, 0.15, 0.1])[0]
            when = settled(g, d)
            if ch == "wire":
                g.wire_in(facct, amt, when, victim, memo)
            elif ch == "check":
                check_in(g, facct, amt, when, victim, r.random() < 0.5)
            else:
                g.ach_in(facct, amt, when, victim, memo or "PAYMENT")
            channels[ch] += 1
            payments += 1
            collected += amt
            fd = min(LAST_DAY, day_index(when) + r.choice([0, 1, 1, 2, 3]))
            route = r.random()
            if mule is not None and route < 0.4:
                md = max(fd, mule.onboard + 1)
                g.sweep_give(facct, mule.accounts["USD"], r.uniform(0.6, 0.9), at(g, md, 9, 18), r.choice(MX_OUT_MEMOS))
                g.sweep(
                    "wire", mule.accounts["USD"], r.uniform(0.85, 0.98), settled(g, md + r.randint(0, 2)), r.choice(mx)
                )
            elif route < 0.8:
                g.sweep("wire", facct, r.uniform(0.55, 0.92), settled(g, fd), r.choice(mx), r.choice(MX_OUT_MEMOS))
            elif route < 0.88:
                g.sweep(
                    "wire", facct, r.uniform(0.5, 0.9), settled(g, fd), us_shell, r.choice(["LOAN", "SERVICES", None])
                )
            elif route < 0.95:
                g.out_upto("ach", facct, amt * r.uniform(0.3, 0.8), 0.9, settled(g, fd), exchange(g), "BUY CRYPTO")
            else:
                g.withdraw(facct, roundish(g, amt * r.uniform(0.3, 0.6), 0.9), at(g, fd, 9, 16), g.branch())
            d += r.randint(4, 18)
            amt = roundish(g, min(95000.0, amt * r.uniform(1.2, 2.6)), 0.7)
    g.label(
        "timeshare_fraud_collector",
        "laundering",
        custs,
        {
            "front": mode,
            "victims": victims,
            "canadian_victims": canadians,
            "payments": payments,
            "channels": dict(channels),
            "collected_planned": round(collected),
            "mexico_receivers": len(mx),
            "second_account": mule is not None,
        },
    )


def catalytic_converter_fence(g: GenG) -> None:
    r = g.rng
    onboard = r.randint(0, 25)
    owner: Cust | None = None
    if r.random() < 0.65:
        job = r.choice(["business owner", "auto mechanic", "self-employed", "tow truck operator"])
        owner = household(g, onboard, job, r.uniform(3500, 9000), born=(1970, 1998))
    name = fill(g, r.choice(CAT_FRONTS), CAT_WORDS)
    kind = r.choice(["auto parts recycler", "scrap metal buyer", "used auto parts dealer", "core buyer"])
    if r.random() < 0.4:
        fence = business(g, kind, onboard, r.uniform(3000, 12000), name, processor=r.random() < 0.5)
        capital = us_party(g, g.person_name() if owner is None else owner.name)
        g.ach_in(
            fence.accounts["USD"], r.uniform(10000, 40000), settled(g, onboard + 2), capital, "CAPITAL CONTRIBUTION"
        )
    else:
        fence = biz(g, kind, onboard, name)
        g.opening(fence, fence.accounts["USD"], r.uniform(15000, 60000), onboard + 1)
        shell_life(g, fence.accounts["USD"], onboard + 1)
    facct = fence.accounts["USD"]
    start = onboard + r.randint(3, 10)
    sellers = [person_cp(g) for _ in range(r.randint(8, 35))]
    regulars = sellers[: max(2, len(sellers) // 4)]
    refiners = [us_party(g, fill(g, r.choice(PGM_BUYERS), CAT_WORDS)) for _ in range(r.randint(1, 2))]
    p_day = r.uniform(0.35, 0.9)
    night_share = r.uniform(0.1, 0.6)
    cash_share = r.uniform(0.0, 0.35)
    markup = r.uniform(1.15, 1.8)
    window = paid = settled_total = 0.0
    n_pay = n_cash = settlements = 0
    next_settle = start + r.randint(5, 12)
    for d in range(start, DAYS):
        if r.random() < p_day:
            for _ in range(r.randint(1, 6)):
                units = r.choice([1, 1, 1, 2, 2, 3, 4, 6])
                amt = roundish(g, units * r.uniform(90, 900), 0.6)
                seller = r.choice(regulars) if r.random() < 0.5 else r.choice(sellers)
                if r.random() < cash_share:
                    g.withdraw(facct, roundish(g, amt, 1.0), at(g, d, 7, 22), g.atm() if amt < 1000 else g.branch())
                    n_cash += 1
                else:
                    when = night(g, d) if r.random() < night_share else at(g, d, 7, 20)
                    g.p2p_out(facct, amt, when, seller, r.choice(THIEF_MEMOS))
                window += amt
                paid += amt
                n_pay += 1
        if r.random() < 0.06:
            g.withdraw(facct, roundish(g, r.uniform(4000, 15000), 0.8), at(g, d, 9, 16), g.branch())
        if d >= next_settle:
            amt = max(8000.0, window * markup * r.uniform(0.9, 1.1))
            memo = fill(g, r.choice(PGM_MEMOS), CAT_WORDS)
            if r.random() < 0.6:
                g.wire_in(facct, round(amt, 2), settled(g, d, 9, 15), r.choice(refiners), memo)
            else:
                g.ach_in(facct, round(amt, 2), settled(g, d, 9, 15), r.choice(refiners), memo)
            settled_total += amt
            settlements += 1
            window = 0.0
            next_settle = d + r.randint(6, 16)
    if owner is not None:
        oacct = owner.accounts["USD"]
        for d in days_from(start + r.randint(3, 8), r.choice([7, 7, 10, 14])):
            g.sweep_give(facct, oacct, r.uniform(0.1, 0.3), at(g, d), r.choice([None, "DRAW", "PAY", "💵"]))
        for _ in range(r.randint(1, 4)):
            m, lo, hi = r.choice(LUXURY_F)
            g.spend(oacct, r.uniform(lo, hi), at(g, r.randint(start + 20, LAST_DAY), 11, 20), m)
        if r.random() < 0.5:
            dealer = us_party(g, r.choice(CAR_DEALERS_F))
            g.out_upto("wire", oacct, r.uniform(20000, 70000), 0.9, settled(g, r.randint(start + 25, LAST_DAY)), dealer)
    else:
        for _ in range(r.randint(1, 3)):
            dealer = us_party(g, r.choice(CAR_DEALERS_F))
            g.out_upto("wire", facct, r.uniform(20000, 70000), 0.6, settled(g, r.randint(start + 15, LAST_DAY)), dealer)
    g.label(
        "catalytic_converter_fence",
        "laundering",
        [fence, *([owner] if owner is not None else [])],
        {
            "kind": kind,
            "sellers": len(sellers),
            "payouts": n_pay,
            "cash_payouts": n_cash,
            "paid_planned": round(paid),
            "settlements": settlements,
            "settled_planned": round(settled_total),
            "night_share": round(night_share, 2),
            "owner_account": owner is not None,
        },
    )


def embezzlement_bookkeeper(g: GenG) -> None:
    r = g.rng
    onboard = r.randint(0, 30)
    pattern, etype = r.choice(VICTIM_EMPLOYERS)
    emp_name = fill(g, pattern, EMB_WORDS)
    job = r.choice(EMB_JOBS)
    salary = r.uniform(2800, 6800)
    c = worker(g, job, onboard, salary, employer=emp_name, born=(1958, 1995), opening=(300, 4000))
    acct = c.accounts["USD"]
    emp = us_party(g, emp_name)
    vehicle = r.choice(["direct", "direct", "checks", "sham_vendor", "mixed"])
    custs = [c]
    sham: Cust | None = None
    if vehicle in ("sham_vendor", "mixed"):
        sday = r.randint(onboard, onboard + 10)
        sham_name = fill(g, r.choice(SHAM_VENDORS), EMB_WORDS)
        sham = biz(g, r.choice(["business services", "office supplies", "cleaning services"]), sday, sham_name)
        g.opening(sham, sham.accounts["USD"], r.uniform(100, 1000), sday + 1)
        shell_life(g, sham.accounts["USD"], sday + 1)
        same_address(g, sham, c)
        custs.append(sham)
    start = onboard + r.randint(5, 25)
    amt = r.uniform(400, 2500)
    growth = r.uniform(1.0, 1.12)
    d = start
    taken = 0.0
    n = 0
    ways: Counter[str] = Counter()
    while d <= LAST_DAY:
        way = vehicle if vehicle != "mixed" else r.choice(["direct", "checks", "sham_vendor"])
        a = roundish(g, min(amt, 25000.0), 0.4)
        when = settled(g, d)
        if way == "direct":
            memo = r.choice(EMB_MEMOS)
            g.ach_in(acct, a, when, emp, memo.format(n=r.randint(1000, 9999)) if memo else None)
        elif way == "checks":
            check_in(g, acct, a, when, emp, r.random() < 0.8)
        elif sham is not None and day_index(when) > sham.onboard:
            sacct = sham.accounts["USD"]
            g.ach_in(sacct, a, when, emp, f"INV {r.randint(1000, 9999)}")
            g.sweep_give(sacct, acct, r.uniform(0.7, 1.0), at(g, day_index(when) + r.randint(0, 3)))
        else:  # the sham vendor's account is not open yet: paid straight in
            way = "direct"
            g.ach_in(acct, a, when, emp, "REIMBURSEMENT")
        ways[way] += 1
        taken += a
        n += 1
        amt *= growth * r.uniform(0.85, 1.2)
        d += r.randint(2, 12)
    gamble = r.random() < 0.45
    for day in range(start, DAYS):
        if gamble and r.random() < 0.25:
            m, lo, hi = r.choice(GAMBLING_CARD)
            g.spend(acct, roundish(g, r.uniform(lo, hi), 0.7), at(g, day, 10, 23), m)
        if r.random() < 0.08:
            m, lo, hi = r.choice(SPLURGE)
            g.spend(acct, r.uniform(lo, hi), at(g, day, 9, 21), m)
    for _ in range(r.randint(1, 4)):
        g.out_upto(
            "ach",
            acct,
            r.uniform(1500, 9000),
            0.8,
            settled(g, r.randint(start + 10, LAST_DAY)),
            Counterparty(r.choice(CARD_ISSUERS), None, None, "US"),
            "PAYMENT THANK YOU",
        )
    family = [person_cp(g) for _ in range(r.randint(0, 3))]
    for cp in family:
        for _ in range(r.randint(1, 3)):
            g.p2p_out(acct, roundish(g, r.uniform(200, 2500), 0.7), at(g, r.randint(start + 5, LAST_DAY)), cp, None)
    car = r.random() < 0.3
    if car:
        dealer = us_party(g, r.choice(CAR_DEALERS_F))
        g.out_upto("wire", acct, r.uniform(8000, 40000), 0.9, settled(g, r.randint(start + 20, LAST_DAY)), dealer)
    g.label(
        "embezzlement_bookkeeper",
        "laundering",
        custs,
        {
            "job": job,
            "employer": etype,
            "vehicle": vehicle,
            "payments": n,
            "ways": dict(ways),
            "taken_planned": round(taken),
            "salary": round(salary),
            "gambling": gamble,
            "car": car,
        },
    )


def procurement_kickback_consultant(g: GenG) -> None:
    r = g.rng
    onboard = r.randint(0, 25)
    job = r.choice(INSIDER_JOBS)
    employer = fill(g, r.choice(BIG_EMPLOYERS), EMP_WORDS)
    insider = worker(
        g, job, onboard, r.uniform(5500, 12500), employer=employer, born=(1962, 1990), opening=(1000, 9000)
    )
    iacct = insider.accounts["USD"]
    custs = [insider]
    spouse: Cust | None = None
    if r.random() < 0.5:
        spouse = household(
            g,
            onboard + r.randint(0, 3),
            r.choice(["homemaker", "consultant", "realtor", "self-employed", "interior designer"]),
            r.uniform(1500, 4000),
        )
        same_address(g, spouse, insider)
        custs.append(spouse)
    holder = spouse or insider
    lday = onboard + r.randint(0, 8)
    llc = biz(g, "business consulting", lday, fill(g, r.choice(KICK_LLC), KICK_WORDS))
    same_address(g, llc, holder)
    lacct = llc.accounts["USD"]
    g.opening(llc, lacct, r.uniform(100, 2500), lday + 1)
    shell_life(g, lacct, lday + 1)
    custs.append(llc)
    vendors: list[Counterparty] = []
    for _ in range(r.randint(1, 4)):
        if r.random() < 0.2:
            cc = r.choice(["CN", "IN", "MX", "TW", "CA"])
            vendors.append(
                party_abroad(g, f"{r.choice(KICK_WORDS)} {r.choice(['Industrial', 'Trading', 'Tech'])} Ltd", cc)
            )
        else:
            vendors.append(us_party(g, f"{r.choice(LAST)} {r.choice(VENDOR_KINDS)}"))
    received = 0.0
    payments = 0
    for v in vendors:
        d = lday + r.randint(4, 30)
        size = r.uniform(4000, 45000)
        for _ in range(r.randint(1, 4)):
            if d > LAST_DAY:
                break
            amt = roundish(g, size * r.uniform(0.6, 1.5), 0.7)
            memo = r.choice(KICK_MEMOS)
            memo = fill(g, memo, KICK_WORDS) if memo else None
            when = settled(g, d)
            if v.country != "US":
                g.wire_in(lacct, amt, when, v, memo)
            elif r.random() < 0.6:
                g.ach_in(lacct, amt, when, v, memo)
            elif r.random() < 0.5:
                g.wire_in(lacct, amt, when, v, memo)
            else:
                check_in(g, lacct, amt, when, v, r.random() < 0.5)
            received += amt
            payments += 1
            d += r.randint(12, 35)
    uses: Counter[str] = Counter()
    for d in days_from(lday + r.randint(8, 20), r.randint(10, 25)):
        use = r.choice(["distribution", "distribution", "builder", "school", "car", "broker", "cash"])
        when = settled(g, d)
        if use == "distribution":
            g.sweep("ach", lacct, r.uniform(0.4, 0.9), when, us_party(g, holder.name), "OWNER DISTRIBUTION")
            g.sweep_give(lacct, holder.accounts["USD"], r.uniform(0.3, 0.7), at(g, d + 1), "DISTRIBUTION")
        elif use == "builder":
            who = us_party(g, fill(g, r.choice(HOME_BUILDERS), KICK_WORDS))
            g.out_upto(
                "ach", lacct, r.uniform(8000, 60000), 0.8, when, who, r.choice(["DRAW 2", "DEPOSIT", "PROGRESS"])
            )
        elif use == "school":
            school = us_party(g, fill(g, r.choice(PRIVATE_SCHOOLS), KICK_WORDS))
            g.out_upto("ach", lacct, r.uniform(6000, 25000), 0.8, when, school, "TUITION")
        elif use == "car":
            g.out_upto("wire", lacct, r.uniform(25000, 80000), 0.9, when, us_party(g, r.choice(CAR_DEALERS_F)))
        elif use == "broker":
            broker = Counterparty(r.choice(BROKERS_G), f"{r.randint(10**7, 10**8 - 1)}", None, "US")
            g.sweep("ach", lacct, r.uniform(0.3, 0.7), when, broker, "ACCOUNT FUNDING")
        else:
            g.withdraw(lacct, roundish(g, r.uniform(3000, 9500), 0.8), at(g, d, 9, 16), g.branch())
        uses[use] += 1
    if spouse is not None and r.random() < 0.6:
        for d in days_from(lday + r.randint(15, 30), 30):
            g.sweep_give(spouse.accounts["USD"], iacct, r.uniform(0.2, 0.5), at(g, d), None)
    g.label(
        "procurement_kickback_consultant",
        "laundering",
        custs,
        {
            "job": job,
            "employer": employer,
            "llc_holder": "spouse" if spouse is not None else "insider",
            "vendors": len(vendors),
            "foreign_vendors": sum(v.country != "US" for v in vendors),
            "payments": payments,
            "received_planned": round(received),
            "uses": dict(uses),
        },
    )


def lottery_ten_percenting(g: GenG) -> None:
    r = g.rng
    onboard = r.randint(0, 30)
    job = r.choice(LOTTO_JOBS)
    if job == "retired":
        c = g.customer("RETAIL", job, onboarded_day=onboard, born=(1944, 1962))
        acct = c.accounts["USD"]
        g.opening(c, acct, r.uniform(500, 6000), onboard + 1)
        pension_life(g, c, acct, onboard + 1, DAYS, r.uniform(1600, 3800))
    else:
        c = person(g, "RETAIL", job, onboard, DAYS, r.uniform(1800, 4500), opening=(200, 3000), born=(1955, 1996))
        acct = c.accounts["USD"]
    claimants = [c]
    for _ in range(r.choice([0, 0, 0, 1, 1, 2])):
        rel = person(
            g, "RETAIL", g.occupation(r.choice(["retail", "young"])), r.randint(0, 40), DAYS, r.uniform(1500, 4000)
        )
        if r.random() < 0.6:
            same_address(g, rel, c)
        claimants.append(rel)
    lotteries = r.sample(LOTTO, r.choice([1, 1, 1, 2]))
    n = r.randint(6, 28)
    net_total = 0.0
    big = 0
    arrivals: dict[str, list[tuple[int, float]]] = {x.ref: [] for x in claimants}
    for _ in range(n):
        who = c if len(claimants) == 1 or r.random() < 0.6 else r.choice(claimants[1:])
        into = who.accounts["USD"]
        d = r.randint(who.onboard + 2, LAST_DAY)
        lot, _state = r.choice(lotteries)
        if r.random() < 0.6:
            prize = r.choice([600, 700, 750, 800, 1000, 1000, 1500, 2000, 2500, 3000, 4000, 5000])
            net = float(prize)
        else:
            prize = r.choice([5000, 7500, 10000, 10000, 15000, 20000, 25000, 30000, 50000, 100000])
            net = prize * (1 - 0.24 - r.choice([0.0, 0.0307, 0.0399, 0.04, 0.0495, 0.0685]))
            big += 1
        memo = fill(g, r.choice(LOTTO_MEMOS), STORE_WORDS)
        lottery = Counterparty(lot, None, None, "US")
        when = settled(g, d)
        if r.random() < 0.55:
            check_in(g, into, round(net, 2), when, lottery, r.random() < 0.3)
        else:
            g.ach_in(into, round(net, 2), when, lottery, memo)
        arrivals[who.ref].append((day_index(when), net))
        net_total += net
    cash_in = 0
    if r.random() < 0.5:  # prizes under $600 paid in cash at retailers, paid in
        for _ in range(r.randint(3, 12)):
            d = r.randint(onboard + 2, LAST_DAY)
            g.deposit(acct, roundish(g, r.uniform(500, 4000), 0.6), at(g, d, 9, 16), g.branch())
            cash_in += 1
    for rel in claimants[1:]:
        for d, net in arrivals[rel.ref]:
            if r.random() < 0.8:
                pd = min(LAST_DAY, max(d + r.randint(0, 5), c.onboard + 1))
                g.p2p(rel.accounts["USD"], acct, roundish(g, net * r.uniform(0.7, 0.95), 0.7), at(g, pd), None)
    uses: Counter[str] = Counter()
    for _ in range(r.randint(2, 6)):
        use = r.choice(["title", "car", "broker", "p2p", "p2p", "cash", "abroad"])
        d = r.randint(onboard + 15, LAST_DAY)
        when = settled(g, d)
        if use == "title":
            g.sweep("wire", acct, r.uniform(0.5, 0.9), when, us_party(g, r.choice(TITLE_F)), "CLOSING FUNDS")
        elif use == "car":
            g.out_upto("wire", acct, r.uniform(15000, 60000), 0.9, when, us_party(g, r.choice(CAR_DEALERS_F)))
        elif use == "broker":
            broker = Counterparty(r.choice(BROKERS_G), f"{r.randint(10**7, 10**8 - 1)}", None, "US")
            g.sweep("ach", acct, r.uniform(0.3, 0.7), when, broker, "ACCOUNT TRANSFER")
        elif use == "p2p":
            g.p2p_out(acct, roundish(g, r.uniform(1000, 8000), 0.8), at(g, d), person_cp(g), r.choice(FAMILY_MEMOS))
        elif use == "cash":
            g.withdraw(acct, roundish(g, r.uniform(2000, 9000), 0.9), at(g, d, 9, 16), g.branch())
        else:
            cc = r.choice(["DO", "JM", "HT", "IN", "VN", "MX", "NG", "GR", "IT"])
            g.sweep("wire", acct, r.uniform(0.2, 0.5), when, party_abroad(g, local(g, cc), cc), "FAMILY SUPPORT")
        uses[use] += 1
    g.label(
        "lottery_ten_percenting",
        "laundering",
        claimants,
        {
            "job": job,
            "claims": n,
            "claims_over_5000": big,
            "lotteries": [x[1] for x in lotteries],
            "net_planned": round(net_total),
            "relatives_claiming": len(claimants) - 1,
            "cash_deposits": cash_in,
            "uses": dict(uses),
        },
    )


def private_atm_dirty_cash(g: GenG) -> None:
    r = g.rng
    onboard = r.randint(0, 25)
    owner: Cust | None = None
    if r.random() < 0.5:
        owner = household(
            g, onboard, r.choice(["business owner", "vending operator", "bar owner"]), r.uniform(4000, 9000)
        )
    kind = r.choice(["ATM operator", "vending and ATM operator", "amusement machine operator"])
    co = biz(g, kind, onboard, fill(g, r.choice(ATM_FRONTS), ATM_WORDS))
    acct = co.accounts["USD"]
    g.opening(co, acct, r.uniform(1000, 10000), onboard + 1)
    shell_life(g, acct, onboard + 1)
    machines = r.randint(3, 12)
    per_machine = r.uniform(800, 4500)  # dollars dispensed a day: far more than small locations see
    proc = us_party(g, r.choice(ATM_PROCESSORS))
    split = r.random() < 0.5
    start = onboard + r.randint(3, 8)
    settled_total = 0.0
    backlog = 0.0
    for d in range(start, DAYS):
        backlog += machines * per_machine * r.uniform(0.6, 1.4)
        if not biz_day(d):
            continue
        amt, backlog = backlog, 0.0
        settled_total += amt
        when = at(g, d, 5, 8)
        if split:
            for share in scenarios_c.weights(g, r.randint(2, 3)):
                g.ach_in(acct, amt * share, when, proc, f"ATM SETTLEMENT TID {r.randint(10000, 99999)}")
        else:
            g.ach_in(acct, amt, when, proc, "ATM SETTLEMENT")
    for m in range(3):
        d = month_start(m) + r.randint(3, 8)
        if start < d <= LAST_DAY:
            g.ach_in(acct, machines * r.uniform(150, 600), settled(g, d), proc, "SURCHARGE/INTERCHANGE")
    vault = r.random() < 0.4
    if vault:  # a token vault-cash withdrawal now and then
        for d in days_from(start + r.randint(2, 10), r.randint(10, 25)):
            g.withdraw(acct, roundish(g, r.uniform(2000, 9000), 0.9), at(g, d, 9, 15), g.branch())
    returns = r.random() < 0.25
    if returns:
        for d in days_from(start + r.randint(4, 12), r.randint(6, 15)):
            g.deposit(acct, roundish(g, r.uniform(3000, 15000), 0.7), at(g, d, 9, 16), g.branch(), "ATM CASH RETURN")
    related = [us_party(g, f"{r.choice(ATM_WORDS)} {r.choice(['Holdings LLC', 'Properties LLC', 'Ventures Inc'])}")]
    outs: Counter[str] = Counter()
    for d in days_from(start + r.randint(5, 10), r.randint(5, 10)):
        dest = r.choice(["owner", "related", "related", "title", "abroad"])
        if dest == "owner" and owner is not None:
            g.sweep_give(acct, owner.accounts["USD"], r.uniform(0.2, 0.5), at(g, d), "DRAW")
        elif dest == "title":
            g.sweep("wire", acct, r.uniform(0.4, 0.8), settled(g, d), us_party(g, r.choice(TITLE_F)), "CLOSING FUNDS")
        elif dest == "abroad":
            cc = r.choice(ATM_OUT_COUNTRIES)
            cp = party_abroad(g, f"{r.choice(ATM_WORDS)} {r.choice(['Trading', 'Investments', 'Import'])} Ltd", cc)
            g.sweep("wire", acct, r.uniform(0.3, 0.7), settled(g, d), cp, r.choice(["INVESTMENT", "LOAN", None]))
        else:
            g.sweep("wire", acct, r.uniform(0.3, 0.8), settled(g, d), r.choice(related), r.choice(["LOAN", None]))
        outs[dest] += 1
    custs = [co, *([owner] if owner is not None else [])]
    g.label(
        "private_atm_dirty_cash",
        "laundering",
        custs,
        {
            "kind": kind,
            "machines": machines,
            "per_machine_day": round(per_machine),
            "settled_planned": round(settled_total),
            "vault_withdrawals": vault,
            "cash_returns": returns,
            "outflows": dict(outs),
        },
    )


def snap_ebt_trafficking_store(g: GenG) -> None:
    r = g.rng
    onboard = r.randint(0, 25)
    origin = r.choice(STORE_OWNER_ORIGINS)
    owner = household(g, onboard, "store owner", r.uniform(3500, 8000), name=local(g, origin), born=(1960, 1995))
    kind, pattern = r.choice(STORE_KINDS)
    card_rev = r.uniform(12000, 40000)
    store = business(g, kind, onboard, card_rev, fill(g, pattern, STORE_WORDS), processor=True)
    sacct = store.accounts["USD"]
    ebt_month = card_rev * r.uniform(1.5, 5.0)
    payer, memo = r.choice(EBT_PAYERS)
    ebt = Counterparty(payer, None, None, "US")
    lo, hi = r.choice(GROCERY_ISSUANCE)
    start = onboard + 2
    ebt_total = 0.0
    for d in range(start, DAYS):
        if not biz_day(d):
            continue
        peak = 2.2 if lo <= day_of_month(d) <= hi else 0.5
        amt = ebt_month / 21 * peak * r.uniform(0.6, 1.4)
        g.ach_in(sacct, amt, at(g, d, 4, 7), ebt, memo)
        ebt_total += amt
    cash_out = 0.0
    n_cash = under = 0
    branches = [g.branch() for _ in range(r.randint(1, 3))]
    p_cash = r.uniform(0.25, 0.6)
    for d in range(start + 2, DAYS):
        if weekday(d) < 6 and r.random() < p_cash:
            if r.random() < 0.6:
                amt = roundish(g, r.uniform(4000, 9900), 0.5)
                under += amt < 10000
            else:
                amt = roundish(g, r.uniform(10000, 35000), 0.8)
            g.withdraw(sacct, amt, at(g, d, 9, 16), r.choice(branches))
            cash_out += amt
            n_cash += 1
    wholesaler = us_party(g, fill(g, r.choice(GROCERY_WHOLESALE), STORE_WORDS))
    for d in days_from(start + r.randint(3, 10), r.choice([14, 21])):
        g.ach_out(sacct, card_rev * r.uniform(0.15, 0.3), settled(g, d), wholesaler, "INVOICE")
    for d in days_from(start + r.randint(2, 6), 7):
        g.sweep_give(sacct, owner.accounts["USD"], r.uniform(0.05, 0.2), at(g, d), r.choice([None, "DRAW"]))
    others = [us_party(g, fill(g, r.choice([p for _, p in STORE_KINDS]), STORE_WORDS)) for _ in range(r.randint(1, 3))]
    abroad = r.random() < 0.35 and origin != "US"
    for d in days_from(start + r.randint(6, 14), r.randint(7, 15)):
        if abroad and r.random() < 0.4:
            cp = party_abroad(g, local(g, origin), origin)
            g.sweep("wire", sacct, r.uniform(0.2, 0.5), settled(g, d), cp, r.choice(["FAMILY SUPPORT", None]))
        else:
            g.sweep(r.choice(["wire", "ach"]), sacct, r.uniform(0.2, 0.5), settled(g, d), r.choice(others), "LOAN")
    g.label(
        "snap_ebt_trafficking_store",
        "laundering",
        [store, owner],
        {
            "kind": kind,
            "card_revenue_month": round(card_rev),
            "ebt_month": round(ebt_month),
            "ebt_planned": round(ebt_total),
            "cash_withdrawals": n_cash,
            "under_10k": under,
            "cash_planned": round(cash_out),
            "owner_origin": origin,
            "wires_abroad": abroad,
        },
    )


def rental_listing_scam(g: GenG) -> None:
    r = g.rng
    onboard = r.randint(0, 45)
    if r.random() < 0.6:
        c = young(g, onboard, DAYS)
    else:
        job = r.choice(["property manager", "real estate assistant", "self-employed", "leasing agent"])
        c = person(g, "RETAIL", job, onboard, DAYS, r.uniform(2000, 4200), opening=(100, 1500))
    acct = c.accounts["USD"]
    holders = [c]
    friend: Cust | None = None
    if r.random() < 0.3:
        friend = young(g, r.randint(0, onboard + 5), DAYS)
        holders.append(friend)
    listings = r.randint(1, 4)
    victims_total = payments = 0
    got = 0.0
    arrivals: dict[str, list[tuple[Any, float]]] = {h.ref: [] for h in holders}
    mon = r.choice(["Feb", "Mar", "Apr", "May"])
    for _ in range(listings):
        h = r.choice(holders)
        hacct = h.accounts["USD"]
        addr = f"{r.randint(10, 9999)} {r.choice(RENT_STREETS)}"
        d0 = r.randint(max(h.onboard, c.onboard) + 3, LAST_DAY - 3)
        live = r.randint(5, 18)
        rent = roundish(g, r.uniform(900, 3800), 0.8)
        for _ in range(r.randint(3, 12)):
            victims_total += 1
            v = person_cp(g)
            d = min(LAST_DAY, d0 + r.randint(0, live))
            if r.random() < 0.4:
                fee = float(r.choice([35, 40, 50, 50, 75, 100]))
                memo = r.choice(APP_MEMOS)
                when = at(g, d, 8, 23)
                g.p2p_in(hacct, fee, when, v, memo.format(addr=addr) if memo else None)
                arrivals[h.ref].append((when, fee))
                got += fee
                payments += 1
                d = min(LAST_DAY, d + r.randint(0, 3))
            dep = roundish(g, rent * r.choice([0.5, 1.0, 1.0, 1.5, 2.0]), 0.8)
            memo = r.choice(RENT_MEMOS)
            memo = memo.format(addr=addr, mon=mon) if memo else None
            when = at(g, d, 7, 23)
            if r.random() < 0.1:
                when = settled(g, d)
                check_in(g, hacct, dep, when, v, True)  # a money order
            else:
                g.p2p_in(hacct, dep, when, v, memo)
            arrivals[h.ref].append((when, dep))
            got += dep
            payments += 1
            if r.random() < 0.2 and d + 1 <= LAST_DAY:
                when2 = at(g, d + r.randint(1, 4), 7, 23)
                g.p2p_in(hacct, rent, when2, v, f"rent {mon}")
                arrivals[h.ref].append((when2, rent))
                got += rent
                payments += 1
    crew = [person_cp(g) for _ in range(r.randint(1, 3))]
    dest = r.choice(SCAM_DEST)
    boss = party_abroad(g, local(g, dest), dest) if dest != "US" else person_cp(g)
    style = r.choice(["cash", "p2p", "abroad", "crypto", "gift", "mixed"])
    for h in reversed(holders):
        hacct = h.accounts["USD"]
        for when, amt in sorted(arrivals[h.ref], key=lambda x: x[0]):
            if amt < 120 and r.random() < 0.7:
                continue  # the fees are left to build up
            t = after(g, when, 1, 30)
            if h is friend and r.random() < 0.6:
                g.sweep_give(hacct, acct, r.uniform(0.7, 0.95), t, r.choice(CREW_MEMOS))
                continue
            how = style if style != "mixed" else r.choice(["cash", "p2p", "abroad", "crypto", "gift"])
            if how == "cash":
                for _ in range(r.randint(1, 3)):
                    g.withdraw(hacct, r.choice([300, 400, 500, 600, 800]), t, g.atm())
            elif how == "p2p":
                g.p2p_out(hacct, roundish(g, amt * r.uniform(0.6, 0.95), 0.6), t, r.choice(crew), r.choice(CREW_MEMOS))
            elif how == "abroad":
                if dest == "US":
                    g.sweep("p2p", hacct, r.uniform(0.6, 0.95), t, boss)
                elif r.random() < 0.5:
                    g.sweep("wire", hacct, r.uniform(0.6, 0.95), settled(g, day_index(t)), boss)
                else:
                    rem = Counterparty(r.choice(REMIT_OUT), None, None, "US")
                    g.ach_out(hacct, amt * r.uniform(0.5, 0.9), t, rem, f"REMIT {boss.name.upper()} {dest}")
            elif how == "crypto":
                g.out_upto("ach", hacct, amt * r.uniform(0.6, 0.95), 0.95, settled(g, day_index(t)), exchange(g), None)
            else:
                for _ in range(r.randint(1, 3)):
                    g.spend(hacct, float(r.choice([100, 200, 250, 500])), t, r.choice(GIFT_CARDS))
    g.label(
        "rental_listing_scam",
        "laundering",
        holders,
        {
            "listings": listings,
            "victims": victims_total,
            "payments": payments,
            "collected_planned": round(got),
            "cash_out": style,
            "destination": dest,
            "friend_account": friend is not None,
        },
    )


# =================================================================================================
# benign look-alikes
# =================================================================================================
def neighborhood_grocery_ebt(g: GenG) -> None:
    r = g.rng
    onboard = r.randint(0, 30)
    kind, pattern = r.choice(STORE_KINDS)
    origin = r.choice(STORE_OWNER_ORIGINS)
    card_rev = r.uniform(25000, 110000)
    store = business(g, kind, onboard, card_rev, fill(g, pattern, STORE_WORDS), processor=True)
    acct = store.accounts["USD"]
    custs = [store]
    owner: Cust | None = None
    if r.random() < 0.6:
        owner = household(g, onboard, "store owner", r.uniform(4000, 9000), name=local(g, origin))
        custs.append(owner)
    ebt_share = r.uniform(0.1, 0.45)
    ebt_month = card_rev * ebt_share
    payer, memo = r.choice(EBT_PAYERS)
    ebt = Counterparty(payer, None, None, "US")
    lo, hi = r.choice(GROCERY_ISSUANCE)
    start = onboard + 2
    for d in range(start, DAYS):
        if not biz_day(d):
            continue
        peak = 1.6 if lo <= day_of_month(d) <= hi else 0.7
        g.ach_in(acct, ebt_month / 21 * peak * r.uniform(0.7, 1.3), at(g, d, 4, 7), ebt, memo)
    cash_month = card_rev * r.uniform(0.15, 0.6)
    deposit_days = r.sample([0, 1, 2, 3, 4, 5], r.randint(2, 5))
    for d in range(start, DAYS):
        if weekday(d) in deposit_days:
            g.deposit(acct, cash_month / (4.3 * len(deposit_days)) * r.uniform(0.6, 1.5), at(g, d, 9, 17), g.branch())
    wholesalers = [us_party(g, fill(g, w, STORE_WORDS)) for w in r.sample(GROCERY_WHOLESALE, r.randint(1, 3))]
    total = card_rev + ebt_month + cash_month
    every = r.choice([7, 7, 14])
    for d in days_from(start + r.randint(1, 5), every):
        g.ach_out(acct, total * r.uniform(0.4, 0.55) * every / 30, settled(g, d), r.choice(wholesalers), "INVOICE")
    staff_pay(g, acct, start + r.randint(0, 10), [g.person_name() for _ in range(r.randint(1, 6))], 1300, 2600)
    monthly(g, acct, start, 20, (total * 0.02, total * 0.04), us_party(g, "State Dept of Revenue"), "SALES TAX")
    change = r.random() < 0.5
    if change:
        for d in days_from(start + r.randint(0, 6), 7):
            g.withdraw(acct, float(r.choice([300, 500, 800, 1000, 1500])), at(g, d, 9, 12), g.branch())
    if owner is not None:
        for d in days_from(start + r.randint(2, 8), 14):
            g.p2p(acct, owner.accounts["USD"], r.uniform(2000, 6000), at(g, d), "OWNER DRAW")
    g.label(
        "neighborhood_grocery_ebt",
        "benign",
        custs,
        {
            "kind": kind,
            "card_revenue_month": round(card_rev),
            "ebt_share": round(ebt_share, 2),
            "cash_month": round(cash_month),
            "change_orders": change,
        },
    )


def atm_operator_vault_cash(g: GenG) -> None:
    r = g.rng
    onboard = r.randint(0, 25)
    name = fill(g, r.choice(["{last} ATM Services LLC", "{w} ATM Network Inc", "{last} Cash Access LLC"]), ATM_WORDS)
    co = biz(g, "ATM operator", onboard, name)
    acct = co.accounts["USD"]
    g.opening(co, acct, r.uniform(60000, 250000), onboard + 1)
    custs = [co]
    owner: Cust | None = None
    if r.random() < 0.5:
        owner = household(g, onboard, "business owner", r.uniform(4000, 9000))
        custs.append(owner)
    machines = r.randint(8, 40)
    per_machine = r.uniform(150, 1200)
    fee = r.uniform(2.5, 3.75)
    proc = us_party(g, r.choice(ATM_PROCESSORS))
    start = onboard + 2
    load_every = r.choice([2, 3, 3, 4, 7])
    branches = [g.branch() for _ in range(r.randint(1, 3))]
    backlog = 0.0
    loads = 0
    for d in range(start, DAYS):
        if (d - start) % load_every == 0 and biz_day(d):
            need = machines * per_machine * load_every * r.uniform(0.9, 1.2)
            g.withdraw(acct, roundish(g, need, 1.0), at(g, d, 8, 11), r.choice(branches))
            loads += 1
        backlog += machines * per_machine * r.uniform(0.6, 1.4)
        if biz_day(d):
            txns = backlog / 80
            g.ach_in(
                acct, backlog + txns * fee * 0.6, at(g, d + 1 if d < LAST_DAY else d, 5, 8), proc, "ATM SETTLEMENT"
            )
            backlog = 0.0
    hosts = [
        us_party(g, f"{r.choice(LOCATION_WORDS)} {r.choice(HOST_KINDS)}")
        for _ in range(min(machines, r.randint(5, 20)))
    ]
    for m in range(3):
        d = month_start(m) + r.randint(5, 12)
        if start < d <= LAST_DAY:
            for h in hosts:
                g.ach_out(
                    acct, per_machine * 30 / 80 * fee * 0.4 * r.uniform(0.5, 1.5), settled(g, d), h, "SURCHARGE SHARE"
                )
    if r.random() < 0.5:
        monthly(g, acct, start, r.randint(2, 10), (900, 3500), us_party(g, r.choice(ARMORED)), "ARMORED SERVICE")
    monthly(g, acct, start, r.randint(3, 12), (machines * 15, machines * 35), proc, "PROCESSING FEES")
    monthly(g, acct, start, r.randint(8, 20), (300, 1200), us_party(g, r.choice(INSURERS)), "CASH IN TRANSIT INS")
    for d in range(start, DAYS):
        if r.random() < 0.35:
            g.spend(acct, r.uniform(40, 120), at(g, d, 7, 18), r.choice(FUEL))
    if owner is not None:
        for d in days_from(start + r.randint(5, 12), 14):
            g.p2p(acct, owner.accounts["USD"], r.uniform(2500, 7000), at(g, d), "OWNER DRAW")
    g.label(
        "atm_operator_vault_cash",
        "benign",
        custs,
        {"machines": machines, "per_machine_day": round(per_machine), "load_every_days": load_every, "loads": loads},
    )


def scrap_metal_yard(g: GenG) -> None:
    r = g.rng
    onboard = r.randint(0, 25)
    yard = biz(g, "scrap metal recycler", onboard, fill(g, r.choice(SCRAP_YARDS), SCRAP_WORDS))
    acct = yard.accounts["USD"]
    g.opening(yard, acct, r.uniform(50000, 200000), onboard + 1)
    start = onboard + 2
    public = [person_cp(g) for _ in range(r.randint(30, 120))]
    trade = [us_party(g, fill(g, p, SCRAP_WORDS)) for p in r.sample(TRADE_SELLERS, r.randint(2, 5))]
    per_day = r.randint(3, 12)
    cash_kiosk = r.random() < 0.4
    bought = 0.0
    n_public = 0
    for d in range(start, DAYS):
        if weekday(d) == 6:
            continue
        day_cash = 0.0
        for _ in range(max(0, per_day + r.randint(-3, 3))):
            amt = round(r.uniform(12, 450) if r.random() < 0.85 else r.uniform(450, 2500), 2)
            if cash_kiosk and amt < 300 and r.random() < 0.5:
                day_cash += amt
            elif r.random() < 0.6:
                g.p2p_out(acct, amt, at(g, d, 7, 17), r.choice(public), f"TICKET {r.randint(10**5, 10**6 - 1)}")
            else:
                g.ach_out(acct, amt, settled(g, d + 1), r.choice(public), f"SCRAP TICKET {r.randint(10**5, 10**6 - 1)}")
            bought += amt
            n_public += 1
        if day_cash:
            g.withdraw(acct, roundish(g, day_cash * 1.2 + 500, 1.0), at(g, d, 7, 9), g.branch())
        if weekday(d) < 5 and r.random() < 0.25:
            seller = r.choice(trade)
            memo = "CONVERTERS INV {n}" if "Auto" in seller.name or "Salvage" in seller.name else "INV {n}"
            g.ach_out(acct, r.uniform(800, 9000), settled(g, d + 1), seller, fill(g, memo, SCRAP_WORDS))
    mills = [us_party(g, fill(g, m, SCRAP_WORDS)) for m in r.sample(MILLS, r.randint(2, 4))]
    sold = 0.0
    for d in days_from(start + r.randint(5, 12), r.randint(5, 10)):
        amt = bought / max(1, (DAYS - start)) * r.randint(5, 10) * r.uniform(1.2, 1.8) + r.uniform(5000, 40000)
        memo = fill(g, r.choice(MILL_MEMOS), SCRAP_WORDS)
        if r.random() < 0.5:
            g.wire_in(acct, amt, settled(g, d), r.choice(mills), memo)
        else:
            g.ach_in(acct, amt, settled(g, d), r.choice(mills), memo)
        sold += amt
    refiner = r.random() < 0.5
    if refiner:
        pgm = us_party(g, fill(g, r.choice(PGM_BUYERS), SCRAP_WORDS))
        for d in days_from(start + r.randint(15, 30), 30):
            g.wire_in(acct, r.uniform(8000, 45000), settled(g, d), pgm, fill(g, r.choice(PGM_MEMOS), SCRAP_WORDS))
    staff_pay(g, acct, start + r.randint(0, 8), [g.person_name() for _ in range(r.randint(4, 12))], 1600, 3200)
    monthly(g, acct, start, r.randint(1, 10), (2500, 9000), us_party(g, "Caterpillar Financial"), "EQUIPMENT LEASE")
    monthly(g, acct, start, r.randint(10, 20), (900, 3500), us_party(g, r.choice(INSURERS)), "GENERAL LIABILITY")
    monthly(g, acct, start, 1, (3000, 12000), us_party(g, f"{r.choice(LAST)} Land Co"), "YARD LEASE")
    for d in range(start, DAYS):
        if r.random() < 0.5:
            g.spend(acct, r.uniform(80, 600), at(g, d, 6, 17), r.choice([*FUEL, "PILOT #0412 DIESEL", "LOVES #512"]))
    g.label(
        "scrap_metal_yard",
        "benign",
        [yard],
        {
            "public_sellers": len(public),
            "public_payouts": n_public,
            "bought_planned": round(bought),
            "sold_planned": round(sold),
            "cash_kiosk": cash_kiosk,
            "converter_refiner": refiner,
        },
    )


def student_housing_landlord(g: GenG) -> None:
    r = g.rng
    onboard = r.randint(0, 15)
    town, region, school = r.choice(UNIVERSITY_TOWNS)
    llc = r.random() < 0.5
    landlord = household(
        g, onboard, r.choice(["landlord", "real estate investor", "retired", "engineer"]), r.uniform(4000, 9000)
    )
    custs = [landlord]
    if llc:
        company = biz(
            g, "residential rental", onboard, f"{r.choice(LAST)} {r.choice(['Properties LLC', 'Rentals LLC'])}"
        )
        acct = company.accounts["USD"]
        g.opening(company, acct, r.uniform(8000, 40000), onboard + 1)
        custs.append(company)
    else:
        acct = landlord.accounts["USD"]
    postal = f"{r.randint(10000, 99999)}"
    for cu in custs:
        relocate(g, cu, town, region, postal)
    units = r.randint(3, 14)
    escrow = Counterparty(landlord.name, f"{r.randint(10**8, 10**9 - 1)}", r.choice(BANKS_US), "US")
    use_escrow = r.random() < 0.5
    start = onboard + 2
    rents = []
    for _u in range(units):
        addr = f"{r.randint(100, 1999)} {r.choice(RENT_STREETS)}"
        rent = roundish(g, r.uniform(1200, 4200), 0.9)
        tenants = [person_cp(g) for _ in range(r.randint(1, 5))]
        rents.append((addr, rent, tenants))
    for m in range(3):
        for addr, rent, tenants in rents:
            for t in tenants:
                d = month_start(m) + r.randint(-3, 5)
                if d >= start and d <= LAST_DAY:
                    g.p2p_in(
                        acct,
                        round(rent / len(tenants), 2),
                        at(g, d, 7, 23),
                        t,
                        r.choice([None, "rent", f"{addr} rent"]),
                    )
    collected = 0.0
    applicants = refunds = 0
    for addr, rent, _t in rents:
        if r.random() < 0.3:
            continue  # renewed by the current tenants
        groups = r.choice([1, 1, 1, 2, 3])
        d0 = r.randint(max(start, 10), LAST_DAY - 10)
        for gi in range(groups):
            group = [person_cp(g) for _ in range(r.randint(1, 5))]
            for p in group:
                applicants += 1
                first = p.name.split()[0]
                d = min(LAST_DAY, d0 + r.randint(0, 6))
                fee = float(r.choice([0, 25, 35, 50]))
                if fee:
                    g.p2p_in(acct, fee, at(g, d, 7, 23), p, "app fee")
                dep = round(rent / len(group), 2)
                memo = r.choice(LEASE_MEMOS)
                g.p2p_in(acct, dep, at(g, d, 7, 23), p, memo.format(addr=addr, first=first) if memo else None)
                collected += dep + fee
                if gi > 0:  # the unit went to the first group: refunded within days
                    g.p2p_out(acct, dep + fee, at(g, min(LAST_DAY, d + r.randint(1, 6))), p, "refund - unit taken")
                    refunds += 1
        if use_escrow:
            g.ach_out(
                acct, rent * r.uniform(0.95, 1.0), settled(g, min(LAST_DAY, d0 + 8)), escrow, "SECURITY DEPOSIT ESCROW"
            )
    mortgage = us_party(g, r.choice(MORTGAGE))
    monthly(g, acct, start, 1, (units * 900, units * 1800), mortgage, "MORTGAGE PMT")
    monthly(g, acct, start, r.randint(5, 20), (300, 1500), us_party(g, r.choice(INSURERS)), "LANDLORD POLICY")
    for d in range(start, DAYS):
        if r.random() < 0.12:
            g.spend(acct, r.uniform(40, 700), at(g, d), r.choice(["HOME DEPOT #4410", "LOWES #01123", "ACE HARDWARE"]))
        if r.random() < 0.04:
            trade = us_party(g, f"{r.choice(LAST)} {r.choice(['Plumbing', 'Electric', 'Handyman Services'])}")
            g.ach_out(acct, r.uniform(200, 2500), settled(g, d), trade, "REPAIR")
    if r.random() < 0.6:
        tax = us_party(g, f"{town} Tax Collector")
        g.ach_out(acct, units * r.uniform(900, 2500), settled(g, r.randint(start + 5, LAST_DAY)), tax, "PROPERTY TAX")
    if llc:
        for d in days_from(start + r.randint(10, 20), 30):
            g.sweep_give(acct, landlord.accounts["USD"], r.uniform(0.1, 0.3), at(g, d), "OWNER DRAW")
    g.label(
        "student_housing_landlord",
        "benign",
        custs,
        {
            "town": town,
            "school": school,
            "units": units,
            "applicants": applicants,
            "deposits_planned": round(collected),
            "refunds": refunds,
            "escrow": use_escrow,
            "llc": llc,
        },
    )


def expense_reimbursed_consultant(g: GenG) -> None:
    r = g.rng
    onboard = r.randint(0, 30)
    job = r.choice(CONSULT_JOBS)
    employer = f"{r.choice(LAST)} {r.choice(['Consulting Group', 'Systems Inc', 'Technologies', 'Partners LLP'])}"
    c = worker(g, job, onboard, r.uniform(6000, 13000), employer=employer, born=(1965, 1998), opening=(2000, 12000))
    acct = c.accounts["USD"]
    payer_name, memo = r.choice(EXPENSE_PAYERS)
    payer = us_party(g, payer_name or employer)
    d = onboard + r.randint(2, 12)
    trips = 0
    reimbursed = 0.0
    while d < LAST_DAY - 6:
        length = r.randint(1, 5)
        spent = 0.0
        for k in range(length + 1):
            for _ in range(r.randint(1, 4)):
                m, lo, hi = r.choice(TRAVEL_SPEND)
                amt = r.uniform(lo, hi)
                g.spend(acct, amt, at(g, min(LAST_DAY, d + k), 6, 22), m)
                spent += amt
        back = min(LAST_DAY, d + length + r.randint(5, 15))
        g.ach_in(acct, spent * r.uniform(0.92, 1.0), settled(g, back), payer, memo)
        reimbursed += spent
        trips += 1
        d += length + r.randint(4, 16)
    bonus = r.random() < 0.4
    if bonus:
        emp = us_party(g, employer)
        g.ach_in(acct, roundish(g, r.uniform(5000, 30000), 0.5), settled(g, r.randint(60, LAST_DAY)), emp, "BONUS")
    g.label(
        "expense_reimbursed_consultant",
        "benign",
        [c],
        {"job": job, "trips": trips, "reimbursed_planned": round(reimbursed), "bonus": bonus, "via": payer.name},
    )


def manufacturers_rep_commissions(g: GenG) -> None:
    r = g.rng
    onboard = r.randint(0, 25)
    line, principal_names = r.choice(REP_LINES)
    owner = household(g, onboard, "manufacturers' representative", r.uniform(5000, 11000), born=(1960, 1990))
    name = f"{r.choice(LAST)} {r.choice(['Sales & Marketing LLC', 'Associates Inc', 'Sales Agency', 'Rep Group LLC'])}"
    agency = biz(g, "independent sales agency", onboard, name)
    acct = agency.accounts["USD"]
    g.opening(agency, acct, r.uniform(5000, 30000), onboard + 1)
    start = onboard + 2
    principals: list[Counterparty] = []
    for _ in range(r.randint(3, 9)):
        if r.random() < 0.2:
            cc, pat = r.choice(REP_ABROAD)
            principals.append(party_abroad(g, fill(g, pat, REP_WORDS), cc))
        else:
            principals.append(us_party(g, fill(g, r.choice(principal_names), REP_WORDS)))
    total = 0.0
    for p in principals:
        size = r.uniform(1500, 25000)
        dom = r.randint(10, 25)
        for m in range(3):
            d = month_start(m) + dom + r.randint(-2, 3)
            if start <= d <= LAST_DAY:
                amt = size * r.uniform(0.5, 1.5)
                memo = (
                    f"COMMISSION {['DEC', 'JAN', 'FEB'][m]} 2026"
                    if r.random() < 0.6
                    else f"COMM STMT {r.randint(1000, 9999)}"
                )
                if p.country != "US":
                    g.wire_in(acct, amt, settled(g, d), p, memo)
                else:
                    g.ach_in(acct, amt, settled(g, d), p, memo)
                total += amt
    subs = [person_cp(g) for _ in range(r.randint(0, 3))]
    for m in range(3):
        d = month_start(m) + 28
        for s in subs:
            if start < d <= LAST_DAY:
                g.ach_out(acct, r.uniform(1000, 6000), settled(g, d), s, "COMMISSION SPLIT")
    for d in days_from(start + r.randint(3, 10), 14):
        g.p2p(acct, owner.accounts["USD"], r.uniform(3000, 8000), at(g, d), "OWNER DRAW")
    for d in range(start, DAYS):
        if r.random() < 0.15:
            m, lo, hi = r.choice(TRAVEL_SPEND)
            g.spend(acct, r.uniform(lo, hi), at(g, d, 6, 21), m)
    if r.random() < 0.5:
        show = r.choice(TRADE_SHOWS)
        g.spend(acct, r.uniform(800, 4000), at(g, r.randint(start + 3, LAST_DAY)), show)
    monthly(
        g,
        acct,
        start,
        r.randint(1, 10),
        (450, 900),
        us_party(g, r.choice(["BMW Financial", "Toyota Financial Services", "Ford Credit"])),
        "AUTO LEASE",
    )
    monthly(
        g,
        acct,
        start,
        1,
        (600, 2200),
        us_party(g, r.choice(["Blue Cross Blue Shield", "Aetna", "UnitedHealthcare"])),
        "HEALTH PREMIUM",
    )
    if start < 14:
        irs = Counterparty("IRS USATAXPYMT", None, "US Treasury", "US")
        g.ach_out(acct, r.uniform(4000, 20000), settled(g, 14), irs, "1040-ES Q4 ESTIMATED TAX")
    g.label(
        "manufacturers_rep_commissions",
        "benign",
        [agency, owner],
        {
            "line": line,
            "principals": len(principals),
            "foreign_principals": sum(p.country != "US" for p in principals),
            "commissions_planned": round(total),
            "sub_reps": len(subs),
        },
    )


def representative_payee(g: GenG) -> None:
    r = g.rng
    onboard = r.randint(0, 20)
    mode = r.choices(["family", "organisation"], [0.6, 0.4])[0]
    custs: list[Cust] = []
    if mode == "family":
        separate = r.random() < 0.5
        payee = person(
            g,
            "RETAIL",
            g.occupation("retail"),
            onboard,
            DAYS,
            r.uniform(3000, 7000),
            born=(1960, 1990),
            extra=("PAYEE-USD",) if separate else (),
        )
        custs.append(payee)
        acct = payee.accounts["PAYEE-USD" if separate else "USD"]
        n = r.randint(1, 4)
        last = payee.name.split()[-1]
        benes = [f"{r.choice(FIRST)} {last}" if r.random() < 0.7 else g.person_name() for _ in range(n)]
    else:
        kind = r.choice(["Payee Services Inc", "Representative Payee Program", "Money Management Services"])
        name = f"{r.choice(CARE_WORDS)} {kind}"
        org = biz(g, "non-profit representative payee organization", onboard, name)
        acct = org.accounts["USD"]
        g.opening(org, acct, r.uniform(2000, 15000), onboard + 1)
        custs.append(org)
        n = r.randint(10, 45)
        benes = [g.person_name() for _ in range(n)]
        separate = True
    start = onboard + 2
    total = 0.0
    places = [us_party(g, fill(g, p, CARE_WORDS)) for p in r.sample(CARE_PLACES, r.randint(1, 4))]
    for b in benes:
        ssi = r.random() < 0.5
        amt = r.uniform(600, 994) if ssi else r.uniform(900, 2600)
        wd_n = r.choice([2, 3, 4])
        home = r.choice(places) if (mode == "organisation" or r.random() < 0.5) else None
        allowance = r.uniform(40, 200)
        tag = b.upper()
        for m in range(3):
            if ssi:
                d = (
                    month_start(m) - 1 if m > 0 else None
                )  # SSI for February and March paid on the last business day before
                while d is not None and not biz_day(d):
                    d -= 1
                pay = SSI
                memo = f"SSI {tag}"
            else:
                d = nth_weekday(m, wd_n, 2)
                pay = SSA
                memo = f"SOC SEC {tag}"
            if d is None or d < start or d > LAST_DAY:
                continue
            g.ach_in(acct, amt, at(g, d, 3, 6), pay, memo)
            total += amt
            if home is not None:
                g.ach_out(
                    acct,
                    amt * r.uniform(0.6, 0.85),
                    settled(g, min(LAST_DAY, d + r.randint(1, 5))),
                    home,
                    f"RESIDENT {tag}",
                )
            for w in range(4):
                wd = d + 2 + 7 * w
                if wd <= LAST_DAY and r.random() < 0.8:
                    g.p2p_out(acct, allowance * r.uniform(0.8, 1.2), at(g, wd, 9, 17), us_party(g, b), "allowance")
            if r.random() < 0.5:
                g.spend(acct, r.uniform(10, 120), at(g, min(LAST_DAY, d + r.randint(1, 20))), r.choice(PHARMACIES))
    if mode == "organisation":
        own = us_party(g, custs[0].name)
        for m in range(3):
            d = month_start(m) + r.randint(5, 10)
            if start < d <= LAST_DAY:
                g.ach_out(acct, n * r.uniform(45, 52), settled(g, d), own, "PAYEE FEES TO OPERATING")
    elif separate and r.random() < 0.5:
        sav = Counterparty(f"{benes[0]} CONSERVED FUNDS", f"{r.randint(10**8, 10**9 - 1)}", r.choice(BANKS_US), "US")
        g.sweep("ach", acct, r.uniform(0.1, 0.3), settled(g, r.randint(start + 20, LAST_DAY)), sav, "CONSERVED FUNDS")
    g.label(
        "representative_payee",
        "benign",
        custs,
        {"mode": mode, "beneficiaries": n, "separate_account": separate, "benefits_planned": round(total)},
    )


LAUNDERING: list[Callable[[GenG], None]] = [
    sirf_tax_refunds,
    timeshare_fraud_collector,
    catalytic_converter_fence,
    embezzlement_bookkeeper,
    procurement_kickback_consultant,
    lottery_ten_percenting,
    private_atm_dirty_cash,
    snap_ebt_trafficking_store,
    rental_listing_scam,
]
BENIGN: list[Callable[[GenG], None]] = [
    neighborhood_grocery_ebt,
    atm_operator_vault_cash,
    scrap_metal_yard,
    student_housing_landlord,
    expense_reimbursed_consultant,
    manufacturers_rep_commissions,
    representative_payee,
]


def generate(seed: int, url: str) -> Gen:
    """Plan set g's cases of `seed` for the bank at `url` (nothing is posted)."""
    return scenarios_c.plan(GenG(seed), PREFIX, url, LAUNDERING, BENIGN)


def post_all(g: Gen, url: str) -> dict[str, Any]:
    """Register the customers, open their accounts and post every event in time order (set c's posting:
    outflows sized down to the funds there). Returns the number posted, a line per refused posting and how
    many planned postings were skipped (nothing there to move)."""
    return scenarios_c.post_all(g, url)
