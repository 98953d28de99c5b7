"""Set f of the outside tester's scenarios: a sixth independent set of laundering families and benign
look-alikes that sets a-e (`bench.aml_outsider.scenarios`, `scenarios_b`, `scenarios_c`, `scenarios_d`,
`scenarios_e`) do not have, written from the public AML literature by a tester who did not read the project's
detection logic, then frozen (never changed because of what was or was not detected).

`generate(seed, url)` plans, for the bank at `url`, NEW customers (refs V<seed>-NNNN, never colliding with the
Q, R, S, T or U refs of sets a-e) with their accounts, ordinary background life (salary or a pension, rent,
bills, card spending, ATM cash; the trade of a business) and the postings of 9 laundering families (5
instances each) and 7 benign look-alike families (8 each); `post_all` registers them and posts it all through
the public ledger API. The plan and posting machinery is set d's (`GenD`, a subclass of set c's `GenC`: wires
and ACH dated on a weekend or bank holiday settle the next business day) and set c's (`plan`, `check`,
`post_all`): the `ledger.movements` helpers and card `Transfer`s through `Ledger.post_many`; every outflow
sized down at posting time to the funds there, so nothing is refused for lack of funds. Every onboarding and
posting falls in the base bank's 90 days from `START`. `Gen.labels` maps each instance (`family#k`) to its
family, class, customers, accounts and shape, as in sets a-e. For a laundering instance the customers are the
accounts the scheme runs through (its victims, investors or clients are outside parties); for a look-alike,
every customer the instance created. Every draw comes from one `random.Random(seed)` in a fixed order (the
base bank is read for its FX range and to make sure no customer of it already has a ref of this seed).

As in set d, the ledger has no cheque channel: a cheque paid in is posted as an ACH credit from its drawer
described "MOBILE CHECK DEPOSIT" or "CHECK DEPOSIT".

Laundering families and their sources (a citation marked "unsure" is given from memory: the document exists
to the tester's knowledge, but its number, date or exact title may be off):
- human_smuggling_collector: FinCEN Alert FIN-2023-Alert001, "FinCEN Alert on Human Smuggling along the
  Southwest Border" (January 2023): a person living in a border town (Texas, Arizona, California) is paid
  smuggling fees in instalments by many unrelated people elsewhere in the US (P2P, cash paid in at branches in
  other cities, a few wires), sometimes into a relative's account as well, and takes it out in ATM and branch
  cash in the border town, sends it to Mexico or Central America, pays drivers and buys motel nights, car
  rentals, bus tickets and prepaid phones there.
- cmln_mirror_purchases: FinCEN Advisory FIN-2025-A003 on Chinese money laundering networks (August 2025;
  number and date unsure) and FATF "Professional Money Laundering" (2018, Chinese underground banking and
  mirror transactions): a Chinese national on a student visa or with a modest job pays in cash at branches of
  several cities far beyond their means and spends it for clients whose families pay in China: other students'
  tuition, other people's rent, electronics and luxury goods shipped to China through a freight forwarder,
  payments to other members of the network, sometimes earnest money on a property.
- gold_dealer_cash: FATF/APG "Money Laundering and Terrorist Financing Risks and Vulnerabilities Associated
  with Gold" (July 2015) and 31 CFR Part 1027 (AML programmes of dealers in precious metals, precious stones or
  jewels): a cash-for-gold or bullion shop whose cash deposits dwarf its card takings wires round sums to
  bullion traders in the UAE, Hong Kong, Türkiye, Switzerland or India, receives refinery settlements for
  "scrap lots" at home, and pays the owner and unrelated companies.
- affinity_ponzi: SEC Office of Investor Education and Advocacy investor alerts "Affinity Fraud: How To Avoid
  Investment Scams That Target Groups" and "Ponzi Schemes Using Virtual Currencies" / the SEC's "Ponzi Schemes"
  page on Investor.gov (titles as the tester remembers them, unsure): a promoter's new fund LLC collects round
  sums from members of one community, pays them monthly "returns" and the odd redemption out of newer money,
  puts only a token sum into a brokerage account, and passes a large share to the promoter, who spends it on a
  car, jewellery and property.
- life_insurance_surrender: FATF "Guidance for a Risk-Based Approach: Life Insurance Sector" (October 2018) and
  31 CFR 1025.320 (suspicious activity reports by insurance companies; red flags of early surrender at a cost,
  third-party premiums and refunds to third parties): cash paid in under the reporting threshold or wires from
  an offshore company or a foreign individual fund a large single premium, the policy is cancelled in the
  free-look period, surrendered at a loss or overpaid and refunded within weeks, and the insurer's payment is
  wired on to a third party or abroad.
- construction_cash_payroll: IRS Criminal Investigation, "Employment Tax Fraud" (off-the-books cash payrolls),
  and the shell-subcontractor ("rent-a-company") prosecutions of the New York construction fraud task force
  and the Massachusetts Insurance Fraud Bureau (workers' compensation premium fraud) (unsure of the exact
  cases and titles): a newly formed subcontractor LLC is paid weekly by general contractors and takes nearly
  all of it out in large cash withdrawals at branches, or passes it to a cheque casher, pays a "consulting" fee
  for the use of its name, and pays no payroll, payroll taxes or materials.
- ocse_livestream_payer: FinCEN Notice FIN-2021-NTC3 on online child sexual exploitation crimes (September
  2021) and AUSTRAC "Combating the sexual exploitation of children for financial gain" financial crime guide
  (2019; year unsure): a middle-aged or older man with an ordinary salary or pension makes frequent small
  payments, rising in size and frequency, to several young people in the Philippines (a few elsewhere in South
  and South-East Asia or Latin America), through remittance providers, e-wallets and PayPal-style P2P, mostly
  at night US time, with memos like "school" or "load".
- cannabis_hemp_front: FinCEN Guidance FIN-2014-G001 "BSA Expectations Regarding Marijuana-Related
  Businesses" (February 2014), its red flags of interstate activity, cash beyond the stated trade, third-party
  deposits, rapid cash in and out and commingling with the owner and unrelated businesses: a CBD, smoke or
  hydroponics shop pays in cash well beyond its card takings, some at branches in other states and some by
  third parties, receives P2P "orders" from buyers elsewhere, pays growers and grow-supply firms in other
  states and shippers, and moves money to its owner and an unrelated property company.
- npo_diversion: FATF "Risk of Terrorist Abuse in Non-Profit Organisations" (June 2014), FATF "Best Practices
  on Combating the Abuse of Non-Profit Organisations" (Recommendation 8, 2015, revised 2023) and the U.S.
  Treasury "National Terrorist Financing Risk Assessment" (2022, 2024): a small registered charity collects
  online, P2P and cash donations, then, instead of paying established partner organisations, wires the money
  to trading companies and individuals in countries next to conflict zones, takes large sums in cash "for
  distribution" and pays its director, who sends more abroad.

Benign look-alikes (the source of the legitimate behaviour, and the laundering red flag it mirrors):
- jewelry_store: 31 CFR Part 1027 (retailers of jewellery) and IRS Form 8300 instructions: a family jeweller's
  card takings, weekly cash sales (a cash-paid engagement ring above USD 10,000 around Valentine's Day), memo
  goods and diamonds bought from Antwerp, Ramat Gan, Mumbai, Vicenza, Bangkok or Hong Kong, a refiner paying
  for trade-in scrap, payroll, sales tax and jewellers' block insurance (gold-dealer cash, wires abroad).
- investment_club: SEC / Investor.gov "Investment Clubs" and BetterInvesting (NAIC) guidance on club
  partnerships: a club's treasurer collects monthly dues from a circle of friends by P2P, sends them on to the
  club's brokerage account, and pays out a member who leaves (pooled money from a community, payouts to
  members: Ponzi-like).
- used_car_dealer: IRS Form 8300 "Reporting Cash Payments of Over $10,000" (car dealers) and the IRS Form 8300
  reference guide: a used-car dealer buys at auctions on a floor plan, takes cash and cashier's-cheque down
  payments, is funded by subprime auto lenders, pays titles, reconditioning and staff (cash intensive, some
  cash above USD 10,000, large round outflows).
- storm_roofer: IRS Publication 15 (Employer's Tax Guide) and Publication 15-A (subcontractors): after a
  storm, a roofing contractor pays in many insurers' cheques and homeowners' deductibles and pays shingle
  suppliers, crew subcontractors, payroll, payroll taxes, workers' compensation, dumpsters and permits
  (construction receipts paid straight on: shell subcontractor).
- immigration_bond_family_pool: U.S. Immigration and Customs Enforcement bond payment guidance (CeBONDS) and
  the USCIS fee schedule (Form G-1055): relatives across the country send one family member money by P2P to
  pay a detained relative's immigration bond, the lawyer and the trip home from the detention centre (many
  unrelated-looking payers, money tied to the border: smuggling fees).
- virtual_assistants_abroad: IRS guidance on paying foreign contractors (Form W-8BEN, Publication 515): a small
  US business pays a team of remote contractors in the Philippines, India, Pakistan, Colombia, Kenya or
  Ukraine weekly through Wise, Payoneer, Upwork or Deel, often in the evening (many small payments to young
  people in the Philippines: the livestreaming payer).
- annuity_free_look_refund: NAIC Annuity Disclosure Model Regulation and "Buyer's Guide for Deferred
  Annuities" (free-look period), and state replacement rules: a retiree buys an annuity and cancels it in the
  free-look period, replaces one policy with another, or surrenders a whole-life policy to buy a home (early
  cancellation, refund from an insurer sent on).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bench.aml_outsider import scenarios_c
from bench.aml_outsider.scenarios import BANKS_US, BRANCH_CITIES, FIRST, INSURERS, LAST, MORTGAGE, START, Cust, Gen
from bench.aml_outsider.scenarios_b import business, pension_life, person, weekday
from bench.aml_outsider.scenarios_c import DAYS, LAST_DAY, bank, living, local, night, same_address, weights
from bench.aml_outsider.scenarios_d import (
    Relettered,
    at,
    biz,
    monthly,
    roundish,
    settled,
    shell_life,
    staff_pay,
    us_party,
)
from ledger import Counterparty

PREFIX = "V"  # customer refs V<seed>-NNNN (set a: Q, set b: R, set c: S, set d: T, set e: U)
LAUNDERING_N = 5
BENIGN_N = 8

MORE_BANKS_F = {
    "BE": "KBC Bank",
    "IL": "Bank Leumi",
    "UA": "PrivatBank",
    "TH": "Kasikornbank",
    "KH": "ABA Bank",
    "SA": "Al Rajhi Bank",
    "VG": "VP Bank (BVI)",
    "BZ": "Belize Bank International",
    "KY": "Butterfield Bank (Cayman)",
}
# human smuggling: (town, state, branch/ATM code, postal code)
BORDER_TOWNS = [
    ("Laredo", "TX", "LAREDO", "78040"),
    ("McAllen", "TX", "MCALLEN", "78501"),
    ("El Paso", "TX", "ELPASO", "79901"),
    ("Brownsville", "TX", "BROWNSVILLE", "78520"),
    ("Eagle Pass", "TX", "EAGLEPASS", "78852"),
    ("Tucson", "AZ", "TUCSON", "85713"),
    ("Nogales", "AZ", "NOGALES", "85621"),
    ("Yuma", "AZ", "YUMA", "85364"),
    ("San Diego", "CA", "SANDIEGO", "92173"),
    ("Calexico", "CA", "CALEXICO", "92231"),
]
BORDER_JOBS = ["truck driver", "mechanic", "construction worker", "warehouse worker", "tire shop worker", "landscaper"]
INSTALMENT_MEMOS = [None, None, None, None, "abono", "primo", "para mi hermano", "pago", "2do pago", "lo que falta"]
INSTALMENT_MEMOS += ["ayuda", "por mi sobrina", "🙏", "resto", "de parte de Rosa"]
BORDER_SPEND = [
    ("MOTEL 6 {town} #{n}", 55, 160),
    ("LA QUINTA INN {town}", 80, 210),
    ("ENTERPRISE RENT-A-CAR", 90, 480),
    ("HERTZ RENT-A-CAR {town}", 100, 520),
    ("GREYHOUND LINES", 45, 260),
    ("EL EXPRESO BUS CO", 40, 180),
    ("WALMART SUPERCENTER {town}", 25, 240),
    ("STRIPES #{n}", 20, 90),
    ("CIRCLE K #{n}", 20, 85),
    ("CRICKET WIRELESS", 30, 120),
    ("DOLLAR GENERAL #{n}", 10, 70),
]
REMIT_OUT = [
    "Intermex Wire Transfer",
    "Viamericas Corp",
    "Barri Financial Group",
    "DolEx Dollar Express",
    "Western Union Financial Services",
    "Ria Financial Services",
]
# Chinese money laundering networks
BURSARS = [
    "University of Southern California",
    "New York University Bursar",
    "Columbia University SFS",
    "Boston University Student Accounts",
    "Northeastern University",
    "Univ of Illinois Urbana-Champaign",
    "Purdue University Bursar",
    "University of California Irvine",
    "Carnegie Mellon University",
    "Syracuse University Bursar",
]
LEASING = [
    "Related Rentals",
    "Avalon Communities",
    "Gotham Organization",
    "Irvine Company Apartments",
    "Essex Property Trust",
    "Greystar Residential",
]
ELECTRONICS = [
    ("APPLE STORE R095", 900, 6500),
    ("BEST BUY 00001883", 700, 5200),
    ("B&H PHOTO 420 9TH AVE", 600, 7000),
    ("APPLE.COM/US", 1000, 8000),
    ("COSTCO WHSE #0225", 600, 3500),
]
LUXURY_F = [
    ("CHANEL BOUTIQUE 57TH ST", 3000, 14000),
    ("LOUIS VUITTON SOHO", 2000, 9000),
    ("HERMES WALL STREET", 4000, 20000),
    ("GUCCI 5TH AVE", 1500, 8000),
    ("CARTIER SOUTH COAST PLAZA", 4000, 25000),
    ("DIOR BEVERLY HILLS", 2500, 12000),
    ("SAKS FIFTH AVENUE 601", 1000, 6000),
    ("ROLEX AT MAYORS 114", 7000, 30000),
]
FORWARDERS = [
    "SF Express (USA) Inc",
    "Yun Express US Corp",
    "Pacific Bridge Freight Inc",
    "Sino-Ameri Logistics LLC",
    "Eastern Star Intl Logistics",
]
CN_MEMOS = [None, None, None, "还款", "货款", "定金", "ok", "谢谢", "换汇"]
TITLE_F = [
    "First American Title Escrow",
    "Fidelity National Title",
    "Chicago Title Company",
    "Stewart Title Guaranty",
    "Old Republic Title",
    "WFG National Title",
]
STREETS = ["Main St", "Northern Blvd", "Ocean Ave", "Park Ave", "Elm St", "Kissena Blvd", "Lake Shore Dr", "Pine St"]
# gold
GOLD_SHOPS = ["{last} Gold Exchange", "{last} Coin & Bullion", "{city} Gold & Silver Buyers", "{last} Precious Metals"]
GOLD_WORDS = ["Noor", "Al Fajr", "Golden Sands", "Emerald", "Kingsway", "Zenith", "Falcon", "Sahara", "Lotus", "Orient"]
GOLD_TRADERS = [
    ("AE", "{w} Gold & Jewellery Trading LLC"),
    ("AE", "{w} Precious Metals DMCC"),
    ("HK", "{w} Bullion Company Limited"),
    ("TR", "{w} Kiymetli Madenler A.S."),
    ("CH", "{w} Edelmetalle AG"),
    ("IN", "{w} Bullion Pvt Ltd"),
]
GOLD_OUT_MEMOS = ["GOLD BARS 1KG", "KILOBAR PURCHASE", "GOLD GRANULES 999.9", "TT BULLION", "INV {n} GOLD", "PO {n}"]
GOLD_IN_MEMOS = ["SCRAP GOLD SETTLEMENT LOT {n}", "MELT LOT {n}", "REFINING SETTLEMENT {n}", "LOT {n} ASSAY PMT"]
REFINERS = [
    "{last} Precious Metals Refining",
    "{last} Refining Co",
    "Southwest Metals Recovery",
    "Atlantic Assay & Refining",
]
# affinity fraud: (where the community's names come from, what it is)
COMMUNITIES = [
    ("HT", "Haitian church"),
    ("NG", "Nigerian association"),
    ("KR", "Korean church"),
    ("BR", "Brazilian church"),
    ("PH", "Filipino association"),
    ("US", "congregation"),
    ("SO", "Somali community"),
    ("IN", "temple"),
    ("GH", "Ghanaian association"),
]
PONZI_WORDS = [
    "Covenant",
    "Kingdom",
    "Legacy",
    "Harvest",
    "Blessed",
    "Unity",
    "Zion",
    "Heritage",
    "Cornerstone",
    "Abundant",
]
PONZI_KINDS = [
    "Capital Group LLC",
    "Wealth Partners LLC",
    "Investment Fund LLC",
    "Real Estate Fund LLC",
    "Holdings LLC",
]
PRINCIPALS = [5000, 5000, 10000, 10000, 10000, 15000, 20000, 25000, 25000, 30000, 50000, 50000, 75000, 100000]
INVEST_MEMOS = [None, None, "investment", "INVESTMENT", "promissory note", "note 18%", "membership units", "fund"]
INVEST_MEMOS += ["real estate fund", "for the fund", "IRA funds"]
RETURN_MEMOS = ["MONTHLY DISTRIBUTION", "INTEREST PMT", "MONTHLY RETURN", "DIVIDEND", "PROFIT SHARE", "NOTE INTEREST"]
BROKERS_F = ["Interactive Brokers LLC", "Charles Schwab", "TD Ameritrade Clearing", "Fidelity Investments", "E*TRADE"]
BANQUETS = ["MARRIOTT BANQUETS", "HILTON EVENTS", "HYATT REGENCY CATERING", "SHERATON BALLROOM", "THE RITZ-CARLTON EVT"]
CAR_DEALERS_F = [
    "Mercedes-Benz of Fort Lauderdale",
    "BMW of Atlanta",
    "Land Rover Houston Central",
    "Porsche of Towson",
    "Lexus of Queens",
    "Cadillac of Naperville",
]
# insurance
LIFE_INSURERS = [
    "Pacific Life Insurance Co",
    "Lincoln National Life Ins Co",
    "Transamerica Life Insurance",
    "Nationwide Life Insurance Co",
    "Massachusetts Mutual Life",
    "Prudential Annuities",
    "Allianz Life Ins Co of NA",
    "Jackson National Life",
    "Athene Annuity & Life Co",
    "Midland National Life",
]
PREMIUM_MEMOS = ["SINGLE PREMIUM POLICY {n}", "ANNUITY PREMIUM CONTRACT {n}", "UL POLICY {n} PREMIUM", "PREMIUM {n}"]
REFUNDS = {
    "free_look": "FREE LOOK REFUND {n}",
    "surrender": "CASH SURRENDER VALUE {n}",
    "overpayment": "PREMIUM REFUND {n}",
}
FUNDER_COUNTRIES = ["CY", "AE", "PA", "HK", "VG", "BZ", "TR", "KZ", "CN", "MX", "CO"]
FUNDER_MEMOS = ["LOAN AGREEMENT", "GIFT", "CONSULTING SERVICES", "FAMILY SUPPORT", None, None]
# construction
GC_WORDS = ["Builders", "General Contractors", "Construction Co", "Development Corp", "Building Group", "Contracting"]
SUB_KINDS = [
    "Construction Services LLC",
    "Framing & Drywall LLC",
    "Labor Solutions Inc",
    "Masonry Corp",
    "Concrete & Forms LLC",
    "Interior Finishes LLC",
    "Roofing & Siding Corp",
]
GC_MEMOS = ["AP PAYMENT", "VENDOR PMT", "PROGRESS PAYMENT", "SUBCONTRACTOR PMT", "REQ {n}", None]
CHECK_CASHERS = ["{last} Check Cashing Corp", "{last} Check Cashers Inc", "Express Check Cashing Services"]
CONSULTING = ["{w} Consulting Group LLC", "{w} Management Services Inc", "{w} Business Solutions LLC"]
CONSULT_WORDS = ["Apex", "Pinnacle", "Titan", "Liberty", "Keystone", "Empire", "Sterling", "Victory"]
SUB_NATIONALITIES = ["MX", "GT", "HN", "EC", "BR", "US", "US", "CO", "SV", "DO"]
FUEL = ["SHELL OIL 57442", "EXXONMOBIL 4431", "SUNOCO 0371", "BP#9021", "SPEEDWAY 6610", "WAWA 812"]
# online child sexual exploitation (the payer)
MALE_FIRST = ["James", "Robert", "John", "Michael", "David", "William", "Richard", "Thomas", "Gary", "Kenneth"]
MALE_FIRST += ["Steven", "Dennis", "Mark", "Paul", "Larry", "Douglas", "Gregory", "Ronald", "Bruce", "Keith"]
REMIT_CARD = [
    "REMITLY* TRANSFER",
    "WU *WESTERN UNION ONLINE",
    "XOOM *TRANSFER",
    "WORLDREMIT LTD",
    "MONEYGRAM ONLINE",
    "WISE US INC",
]
REMIT_ACH = ["Remitly Inc", "Western Union Financial Services", "Xoom (PayPal)", "WorldRemit Corp", "MoneyGram Payment"]
WALLETS = {
    "PH": ["GCash (G-Xchange Inc)", "Maya Philippines", "BDO Unibank", "Palawan Express", "Cebuana Lhuillier"],
    "TH": ["Kasikornbank", "TrueMoney"],
    "CO": ["Bancolombia", "Nequi"],
    "KH": ["ABA Bank", "Wing Bank"],
    "VN": ["Vietcombank", "MoMo"],
    "IN": ["ICICI Bank", "Paytm Payments Bank"],
}
SMALL_MEMOS = [None, None, None, None, "load", "school", "food", "allowance", "for baby", "bills", "medicine", "❤"]
SMALL_MEMOS += ["tuition", "rice", "gift", "for mama"]
# cannabis
SHOP_NAMES = ["{w} Wellness & CBD", "{last} Hydroponics Supply", "{w} Smoke & Vape", "{w} Botanicals LLC"]
SHOP_NAMES += ["{w} Garden Supply", "{w} Hemp Co"]
SHOP_WORDS = ["Green Leaf", "Evergreen", "High Desert", "Emerald Valley", "Mountain Mist", "Golden Hour", "Blue Ridge"]
SHOP_KINDS = ["CBD retail store", "hydroponics supply store", "smoke shop", "hemp products retailer"]
GROWERS = [
    "Humboldt Valley Farms LLC",
    "Willamette Growers LLC",
    "Pueblo Cultivation LLC",
    "Red Dirt Farms Inc",
    "Mendocino Hills Collective",
    "Lake County Agricultural LLC",
    "Grand Traverse Growers LLC",
    "Emerald Triangle Farms LLC",
]
GROW_SUPPLY = ["Hydrofarm Holdings", "GrowGeneration Corp", "{last} Lighting Supply", "Sun Gro Horticulture"]
SHIPPERS = ["UPS STORE #{n}", "FEDEX OFFICE {n}", "USPS PO {n}", "PAKMAIL #{n}"]
ORDER_MEMOS = [None, None, None, "order", "🍃", "🌲", "pack", "for the box", "restock", "half", "🔥", "the usual"]
# charities
NPO_WORDS = ["Mercy", "Hope Bridge", "Al-Rahma", "Crescent Care", "Hands of Hope", "Salam", "Unity Aid", "Lifeline"]
NPO_KINDS = [
    "Relief Foundation",
    "Humanitarian Aid Inc",
    "Charitable Trust",
    "Relief International Inc",
    "Orphans Fund",
]
# (the donors' community, where the money goes, whether donations rise in Ramadan)
NPO_LINKS = [
    ("SO", ["KE", "SO", "AE"], True),
    ("AF", ["PK", "AE", "TR"], True),
    ("YE", ["AE", "EG", "SA"], True),
    ("PK", ["PK", "AE"], True),
    ("EG", ["EG", "JO", "TR"], True),
    ("JO", ["JO", "LB", "TR"], True),
    ("LB", ["LB", "TR"], False),
    ("ET", ["ET", "KE"], False),
]
DONATION_PLATFORMS = [
    ("PayPal Giving Fund", "PPGF GRANT"),
    ("Benevity Causes", "BENEVITY DONATION"),
    ("LaunchGood Inc", "LAUNCHGOOD PAYOUT"),
    ("Givebutter", "GIVEBUTTER PAYOUT"),
    ("Network for Good", "NFG DISBURSEMENT"),
    ("GoFundMe Charity", "GOFUNDME PAYOUT"),
]
NPO_OUT_MEMOS = ["RELIEF SUPPLIES", "FOOD BASKETS", "ORPHAN SPONSORSHIP", "WINTER KITS", "MEDICAL AID", "PROJECT FUNDS"]
NPO_OUT_MEMOS += ["DISTRIBUTION COSTS", "WATER WELL", None]
TRADING = ["{w} General Trading", "{w} Import Export", "{w} Trading Co", "{w} Commercial Agency"]
TRADE_WORDS = ["Al Noor", "Barakah", "Al Amal", "Horizon", "Star", "Al Wafa", "Golden Gate", "Dahabshiil Agency"]
DONOR_MEMOS = [None, None, None, "sadaqah", "zakat", "donation", "for the orphans", "🤲", "in memory of my father"]
DONOR_MEMOS += ["general fund", "water project"]
# benign: jewellers
JEWELERS = ["{last} Jewelers", "{last} & Sons Fine Jewelry", "{w} Diamond Gallery", "{last} Jewelry Co"]
JEWEL_WORDS = ["Crown", "Heritage", "Solitaire", "Brilliant", "Regal", "Lumiere", "Carat & Co", "Fifth Avenue"]
JEWEL_US = ["Stuller Inc", "Quality Gold Inc", "{last} Diamond Co", "{last} Gold Wholesale", "Royal Chain Inc"]
JEWEL_ABROAD = [
    ("BE", "{w} Diamonds BVBA", "DIAMONDS INV {n}"),
    ("IL", "{w} Diamonds Ltd", "POLISHED DIAMONDS {n}"),
    ("IN", "{w} Gems Pvt Ltd", "INV {n} DIAMOND JEWELRY"),
    ("IT", "{w} Oreficeria SRL", "GOLD CHAINS INV {n}"),
    ("TH", "{w} Gems Co Ltd", "COLORED STONES {n}"),
    ("HK", "{w} Jewellery Manufacturing Ltd", "PO {n} FINISHED JEWELRY"),
]
SUPPLIER_WORDS = [
    "Star",
    "Rosy Blue",
    "Venus",
    "Kiran",
    "Shree",
    "Golden",
    "Dharmanandan",
    "Orro",
    "Siam",
    "Everbright",
]
# benign: car dealers
AUCTIONS = [
    "Manheim Auctions",
    "ADESA Inc",
    "ACV Auctions Inc",
    "America's Auto Auction",
    "IAA Insurance Auto Auctions",
]
FLOORPLAN = ["NextGear Capital", "AFC Automotive Finance Corp", "Kinetic Advantage", "Westlake Flooring Services"]
AUTO_FUNDERS = [
    "Westlake Financial Services",
    "Credit Acceptance Corp",
    "Exeter Finance LLC",
    "Capital One Auto Finance",
    "Consumer Portfolio Services",
    "Global Lending Services",
]
CREDIT_UNIONS = ["Navy Federal CU", "PenFed Credit Union", "Alliant Credit Union", "BECU", "Golden 1 Credit Union"]
DEALER_NAMES = ["{last} Auto Sales", "{w} Motors LLC", "{last} Pre-Owned", "{w} Auto Group", "{last} Car Company"]
DEALER_WORDS = ["Northside", "Freedom", "Premier", "Valley", "Route 66", "Eagle", "Sunset", "Capital City"]
# benign: roofers
ROOF_SUPPLY = ["ABC Supply Co", "Beacon Building Products", "SRS Distribution", "Allied Building Products"]
HOME_INSURERS = [*INSURERS, "USAA", "Farmers Insurance", "Nationwide", "Travelers", "Erie Insurance"]
ROOFERS = ["{last} Roofing & Exteriors LLC", "{w} Roofing Co", "{last} Restoration Inc", "{w} Storm Pros LLC"]
ROOF_WORDS = ["Summit", "Peak", "Shield", "Top Notch", "Ironclad", "Skyline", "Guardian", "Patriot"]
# benign: immigration bonds (detention centre's city, the bus or airline home)
DETENTION = [
    ("EL PASO TX", "GREYHOUND LINES"),
    ("DILLEY TX", "GREYHOUND LINES"),
    ("ADELANTO CA", "SOUTHWEST AIRLINES"),
    ("ELOY AZ", "AMERICAN AIRLINES"),
    ("TACOMA WA", "ALASKA AIRLINES"),
    ("JENA LA", "DELTA AIR LINES"),
    ("ELIZABETH NJ", "UNITED AIRLINES"),
    ("MIAMI FL", "SPIRIT AIRLINES"),
]
BOND_MEMOS = [
    None,
    None,
    "para la fianza",
    "fianza",
    "bond",
    "para el abogado",
    "🙏",
    "for Tio",
    "ayuda",
    "lo prometido",
]
BONDS = [1500, 3000, 5000, 5000, 7500, 8000, 10000, 12500, 15000]
BOND_ORIGINS = ["MX", "GT", "HN", "SV", "HT", "EC", "CO", "DO"]
# benign: remote contractors
VA_COUNTRIES = ["PH", "PH", "PH", "IN", "PK", "CO", "KE", "UA"]
VA_RAILS = [
    ("Wise US Inc", "WISE"),
    ("Payoneer Inc", "PAYONEER"),
    ("Upwork Global Inc", "UPWORK"),
    ("Deel Inc", "DEEL"),
]
VA_BIZ = ["e-commerce store", "marketing agency", "bookkeeping practice", "real estate team", "software consultancy"]
SAAS = ["SLACK T0123", "ZOOM.US 888-799-9666", "CANVA* 04021", "GOOGLE *WORKSPACE", "HUBSPOT INC", "ASANA.COM"]
# benign: annuities
BROKERAGE_OWN = ["Fidelity Investments", "Vanguard", "Charles Schwab", "Edward Jones", "Merrill Lynch"]


# =================================================================================================
# the plan of one seed
# =================================================================================================
class GenF(Relettered):
    """Set d's plan (set c's, wires and ACH on business days) with refs V<seed>-NNNN and reference ids
    v<seed>:..."""

    letter = PREFIX


# =================================================================================================
# helpers
# =================================================================================================
def fbank(country: str) -> str:
    return MORE_BANKS_F.get(country) or bank(country)


def party_abroad(g: GenF, name: str, country: str) -> Counterparty:
    """A company or person with an account at a bank of `country`."""
    return g.outside(name, country, fbank(country))


def named(g: GenF, pattern: str) -> str:
    """`pattern` with a surname, a word or a number filled in."""
    r = g.rng
    return pattern.format(last=r.choice(LAST), w=r.choice(CONSULT_WORDS), n=r.randint(100, 9999))


def profile_index(g: GenF, c: Cust) -> int:
    return next(i for i, p in enumerate(g.profiles) if p.external_ref == c.ref)


def relocate(g: GenF, c: Cust, city: str, region: str, postal: str) -> None:
    """Give `c` an address in `city`."""
    i = profile_index(g, c)
    g.profiles[i] = dataclasses.replace(g.profiles[i], city=city, region=region, postal_code=postal)
    c.city = (city, region)


def with_passport(g: GenF, c: Cust) -> None:
    """`c` was identified by a (Chinese-style) passport at onboarding."""
    i = profile_index(g, c)
    g.profiles[i] = dataclasses.replace(
        g.profiles[i], id_type="PASSPORT", id_number=f"E{g.rng.randint(10**7, 10**8 - 1)}"
    )


def household(
    g: GenF,
    onboard: int,
    occupation: str,
    monthly_spend: float,
    *,
    name: str | None = None,
    born: tuple[int, int] | None = None,
    segment: str = "RETAIL",
) -> Cust:
    """A person living off their own business (the draws are the family's): an opening deposit, rent or not,
    bills, card spending and some ATM cash."""
    r = g.rng
    c = g.customer(segment, occupation, onboarded_day=onboard, name=name, born=born)
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(1500, 8000), onboard + 1)
    living(g, acct, onboard + 1, DAYS, monthly_spend, rent=r.random() < 0.6)
    return c


def check_in(g: GenF, acct: str, amt: float, when: Any, drawer: Counterparty, mobile: bool = True) -> None:
    """A cheque paid in (posted as an ACH credit from its drawer)."""
    g.ach_in(acct, amt, when, drawer, "MOBILE CHECK DEPOSIT" if mobile else "CHECK DEPOSIT")


def branch_at(g: GenF, city: str) -> str:
    return f"BR-{city}-{g.rng.randint(1, 60):03d}"


def day_index(when: datetime) -> int:
    """The day of the base period `when` falls on."""
    return (when - START).days


def days_from(d0: int, step: int) -> range:
    return range(max(d0, 0), DAYS, max(step, 1))


# =================================================================================================
# laundering families
# =================================================================================================
def human_smuggling_collector(g: GenF) -> None:
    r = g.rng
    town, region, code, postal = r.choice(BORDER_TOWNS)
    origin = r.choice(["MX", "MX", "GT", "HN", "SV"])
    onboard = r.randint(0, 35)
    c = person(
        g,
        "RETAIL",
        r.choice(BORDER_JOBS),
        onboard,
        DAYS,
        r.uniform(1800, 4200),
        opening=(150, 1500),
        born=(1972, 2002),
        name=local(g, origin),
    )
    relocate(g, c, town, region, postal)
    acct = c.accounts["USD"]
    custs = [c]
    partner: Cust | None = None
    if r.random() < 0.4:
        partner = person(
            g,
            "RETAIL",
            g.occupation("young"),
            onboard + r.randint(0, 10),
            DAYS,
            r.uniform(1200, 2600),
            opening=(100, 800),
            born=(1985, 2004),
            name=local(g, origin),
        )
        if r.random() < 0.5:
            same_address(g, partner, c)
        else:
            relocate(g, partner, town, region, postal)
        custs.append(partner)
    first = onboard + r.randint(3, 10)
    waves = sorted(r.sample(range(first + 3, LAST_DAY - 12), r.randint(2, 4)))
    clients = r.randint(6, 16)
    channels: Counter[str] = Counter()
    arrivals: dict[str, set[int]] = {cu.ref: set() for cu in custs}
    fees = 0.0
    for _ in range(clients):
        fee = r.choice([3500, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 12000, 15000])
        payer = us_party(g, local(g, origin))
        home = r.choice(BRANCH_CITIES)
        day = r.choice(waves) - r.randint(0, 3)
        for share in weights(g, r.randint(1, 4)):
            if day > LAST_DAY - 1:
                break
            dest = c if partner is None or r.random() < 0.65 else partner
            into = dest.accounts["USD"]
            d = max(day, dest.onboard + 2)
            amt = roundish(g, fee * share, 0.6)
            ch = r.choices(["p2p", "cash", "wire"], [0.6, 0.28, 0.12])[0]
            channels[ch] += 1
            fees += amt
            if ch == "p2p":  # P2P limits: a large instalment goes in pieces on consecutive days
                left, dd = amt, d
                while left > 0.5 and dd <= LAST_DAY:
                    piece = min(left, r.choice([1000, 1500, 2000, 2500]))
                    g.p2p_in(into, piece, at(g, dd, 7, 22), payer, r.choice(INSTALMENT_MEMOS))
                    arrivals[dest.ref].add(dd)
                    left, dd = left - piece, dd + 1
            elif ch == "cash":
                g.deposit(into, amt, at(g, d, 9, 16), branch=branch_at(g, home))
                arrivals[dest.ref].add(min(d + 1, LAST_DAY))
            else:
                g.wire_in(into, amt, settled(g, d), payer, r.choice([None, "FAMILY SUPPORT", "PERSONAL"]))
                arrivals[dest.ref].add(min(d + 3, LAST_DAY))
            day = d + r.randint(3, 14)
    # the money leaves in the border town within a day or two of coming in; the relative's account passes it on
    if partner is not None:
        for day in sorted(arrivals[partner.ref]):
            if r.random() < 0.8:
                pd = min(LAST_DAY, day + r.randint(0, 1))
                g.sweep_give(partner.accounts["USD"], acct, r.uniform(0.6, 0.95), at(g, pd, 12, 23))
                arrivals[c.ref].add(min(LAST_DAY, pd + 1))
    for day in sorted(arrivals[c.ref]):
        if r.random() < 0.15:
            continue  # left to build up
        d = min(LAST_DAY, day + r.randint(0, 2))
        for _ in range(r.randint(1, 2)):
            atm = f"ATM-{code}-{r.randint(100, 999)}"
            g.withdraw(acct, r.choice([300, 400, 500, 600, 800, 1000]), at(g, d, 6, 23), atm)
        if r.random() < 0.2:
            g.withdraw(acct, roundish(g, r.uniform(1500, 6000), 0.8), at(g, d, 9, 16), branch_at(g, code))
        if r.random() < 0.45:
            g.sweep("wire", acct, r.uniform(0.2, 0.5), settled(g, d), party_abroad(g, local(g, origin), origin))
        elif r.random() < 0.5:
            rem = Counterparty(r.choice(REMIT_OUT), None, None, "US")
            g.ach_out(acct, r.uniform(300, 1900), at(g, d, 9, 20), rem, f"REMIT {local(g, origin).upper()} {origin}")
        if r.random() < 0.3:
            drv = us_party(g, local(g, origin))
            memo = r.choice([None, "gas", "ride"])
            g.p2p_out(acct, roundish(g, r.uniform(200, 1500), 0.7), at(g, d, 7, 23), drv, memo)
    for d in range(waves[0], DAYS):  # trips: motels, car rentals, buses, phones, supplies in the border town
        if r.random() < 0.25:
            name, lo, hi = r.choice(BORDER_SPEND)
            g.spend(acct, r.uniform(lo, hi), at(g, d, 6, 23), name.format(town=town.upper(), n=r.randint(100, 9999)))
    g.label(
        "human_smuggling_collector",
        "laundering",
        custs,
        {
            "town": town,
            "origin": origin,
            "clients": clients,
            "instalments": dict(channels),
            "fees_planned": round(fees),
            "relative_account": partner is not None,
        },
    )


def cmln_mirror_purchases(g: GenF) -> None:
    r = g.rng
    onboard = r.randint(0, 30)
    student = r.random() < 0.6
    occupation = "student" if student else r.choice(["self-employed", "nail technician", "restaurant worker", "clerk"])
    c = person(
        g,
        "STUDENT" if student else "RETAIL",
        occupation,
        onboard,
        DAYS,
        r.uniform(800, 2600),
        opening=(800, 5000),
        born=(1993, 2004) if student else (1980, 1998),
        country="CN",
        name=local(g, "CN"),
        rent=r.random() < 0.7,
    )
    with_passport(g, c)
    acct = c.accounts["USD"]
    parent = party_abroad(g, local(g, "CN"), "CN")
    for m in range(3):
        d = m * 30 + r.randint(5, 25)
        if d > onboard + 2 and r.random() < 0.6:
            g.wire_in(acct, roundish(g, r.uniform(1500, 5000), 0.7), settled(g, d), parent, "LIVING EXPENSES")
    start = onboard + r.randint(3, 12)
    branches = r.sample(BRANCH_CITIES, r.randint(2, 4))
    p_cash = r.uniform(0.2, 0.5)
    peers = [us_party(g, local(g, "CN")) for _ in range(r.randint(2, 6))]
    cash = peer_in = 0.0
    deposit_days: list[int] = []
    for d in range(start, DAYS):
        if r.random() < p_cash:
            for _ in range(r.choice([1, 1, 1, 2])):
                amt = roundish(g, r.uniform(2000, 9800), 0.75)
                g.deposit(acct, amt, at(g, d, 9, 16), branch=branch_at(g, r.choice(branches)))
                cash += amt
                deposit_days.append(d)
        if r.random() < 0.07:
            amt = roundish(g, r.uniform(1000, 8000), 0.8)
            g.p2p_in(acct, amt, at(g, d, 8, 23), r.choice(peers), r.choice(CN_MEMOS))
            peer_in += amt
    # what the network's clients are owed, planned first, then sized to the cash that came in
    outs: list[tuple[int, str, float, Counterparty | str, str | None]] = []
    students = [local(g, "CN") for _ in range(r.randint(2, 6))]
    for s in students:
        how = r.choice(["wire", "ach"])
        memo = f"TUITION {s.upper()} ID {r.randint(10**6, 10**7 - 1)}"
        school = us_party(g, r.choice(BURSARS))
        outs.append((r.randint(start + 7, LAST_DAY - 1), how, r.uniform(6000, 32000), school, memo))
    tenants = [local(g, "CN") for _ in range(r.randint(1, 4))]
    for t in tenants:
        lessor = Counterparty(r.choice(LEASING), None, None, "US")
        rent = r.uniform(2600, 6800)
        unit = f"{r.randint(2, 48)}{r.choice('ABCDEFGH')}"
        for m in range(3):
            d = m * 30 + r.randint(0, 4)
            if start + 3 <= d <= LAST_DAY:
                outs.append((d, "ach", rent, lessor, f"RENT UNIT {unit} {t.upper()}"))
    p_buy = r.uniform(0.25, 0.6)
    for d in deposit_days:
        if r.random() < p_buy:
            m, lo, hi = r.choice(ELECTRONICS)
            outs.append((min(LAST_DAY, d + r.randint(0, 2)), "card", r.uniform(lo, hi), m, None))
    for _ in range(r.randint(0, 5)):
        m, lo, hi = r.choice(LUXURY_F)
        outs.append((r.randint(start + 10, LAST_DAY), "card", r.uniform(lo, hi), m, None))
    fwd = us_party(g, r.choice(FORWARDERS))
    for d in days_from(start + r.randint(5, 12), r.randint(7, 18)):
        outs.append((d, "ach", r.uniform(250, 2400), fwd, f"AIR FREIGHT {r.randint(10**5, 10**6 - 1)} CN"))
    for _ in range(r.randint(1, 4)):
        outs.append((r.randint(start + 3, LAST_DAY), "p2p", r.uniform(2000, 15000), r.choice(peers), None))
    title = r.random() < 0.3
    if title:
        where = f"{r.randint(10, 999)} {r.choice(STREETS)}"
        tc = us_party(g, r.choice(TITLE_F))
        outs.append(
            (r.randint(start + 20, LAST_DAY - 1), "wire", r.uniform(20000, 80000), tc, f"EARNEST MONEY {where}")
        )
    budget = (cash + peer_in) * r.uniform(0.85, 0.97)
    scale = min(1.0, budget / max(1.0, sum(o[2] for o in outs)))
    kinds: Counter[str] = Counter()
    for d, how, amt, to, memo in outs:
        amt = max(50.0, roundish(g, amt * scale, 0.4) if how != "card" else amt * scale)
        if how == "card":
            assert isinstance(to, str)
            g.spend(acct, amt, at(g, d, 10, 20), to)
        else:
            assert isinstance(to, Counterparty)
            when = settled(g, d) if how in ("wire", "ach") else at(g, d, 8, 23)
            {"wire": g.wire_out, "ach": g.ach_out, "p2p": g.p2p_out}[how](acct, amt, when, to, memo)
        kinds[memo.split(" ")[0] if memo else how] += 1
    g.label(
        "cmln_mirror_purchases",
        "laundering",
        [c],
        {
            "occupation": occupation,
            "cash_deposits": len(deposit_days),
            "cash_planned": round(cash),
            "branch_cities": branches,
            "tuitions_for_others": len(students),
            "rents_for_others": len(tenants),
            "payments_out": dict(kinds),
            "earnest_money": title,
        },
    )


def gold_dealer_cash(g: GenF) -> None:
    r = g.rng
    onboard = r.randint(0, 25)
    owner = household(g, onboard, "business owner", r.uniform(5000, 11000), born=(1960, 1992))
    name = r.choice(GOLD_SHOPS).format(last=r.choice(LAST), city=owner.city[0])
    kind = r.choice(["precious metals dealer", "gold buyer", "coin and bullion dealer", "jewelry buyer"])
    shop = business(g, kind, onboard, r.uniform(8000, 30000), name, processor=True)
    sacct = shop.accounts["USD"]
    start = onboard + r.randint(4, 12)
    home, other = r.choice(BRANCH_CITIES), r.choice(BRANCH_CITIES)
    p_cash = r.uniform(0.3, 0.65)
    cash = 0.0
    deposits = 0
    for d in range(start, DAYS):
        if weekday(d) < 6 and r.random() < p_cash:
            amt = roundish(g, r.uniform(3000, 24000), 0.6)
            g.deposit(sacct, amt, at(g, d, 10, 16), branch=branch_at(g, home if r.random() < 0.8 else other))
            cash += amt
            deposits += 1
    traders = [
        party_abroad(g, fmt.format(w=r.choice(GOLD_WORDS)), cc) for cc, fmt in r.sample(GOLD_TRADERS, r.randint(1, 3))
    ]
    wires_out = 0
    d = start + r.randint(4, 10)
    while d < DAYS:
        memo = r.choice(GOLD_OUT_MEMOS).format(n=r.randint(100, 9999))
        g.sweep("wire", sacct, r.uniform(0.5, 0.85), settled(g, d), r.choice(traders), memo)
        wires_out += 1
        d += r.randint(6, 14)
    refiner = us_party(g, r.choice(REFINERS).format(last=r.choice(LAST)))
    refined = 0.0
    d = start + r.randint(8, 16)
    while d < DAYS:
        amt = roundish(g, r.uniform(15000, 90000), 0.3)
        g.wire_in(sacct, amt, settled(g, d), refiner, r.choice(GOLD_IN_MEMOS).format(n=r.randint(1000, 99999)))
        refined += amt
        d += r.randint(10, 20)
    for d in days_from(start + 2, r.choice([7, 14])):
        g.p2p(sacct, owner.accounts["USD"], r.uniform(1500, 6000), at(g, d), "OWNER DRAW")
    third = r.randint(0, 3)
    for _ in range(third):
        cp = us_party(g, f"{r.choice(LAST)} Holdings LLC")
        g.sweep(
            "wire", sacct, r.uniform(0.1, 0.3), settled(g, r.randint(start + 5, LAST_DAY)), cp, r.choice([None, "LOAN"])
        )
    g.label(
        "gold_dealer_cash",
        "laundering",
        [shop, owner],
        {
            "kind": kind,
            "cash_deposits": deposits,
            "cash_planned": round(cash),
            "bullion_wires_abroad": wires_out,
            "traders": [t.country for t in traders],
            "refinery_planned": round(refined),
            "third_party_wires": third,
        },
    )


def affinity_ponzi(g: GenF) -> None:
    r = g.rng
    onboard = r.randint(0, 20)
    country, community = r.choice(COMMUNITIES)
    promoter = household(
        g,
        onboard,
        r.choice(["financial consultant", "investment adviser", "real estate investor", "pastor", "business owner"]),
        r.uniform(4000, 9000),
        name=local(g, country),
        born=(1958, 1990),
    )
    pacct = promoter.accounts["USD"]
    fund_day = onboard + r.randint(0, 4)
    fund = biz(
        g,
        r.choice(["investment fund manager", "real estate investment company", "financial consulting"]),
        fund_day,
        f"{r.choice(PONZI_WORDS)} {r.choice(PONZI_KINDS)}",
    )
    facct = fund.accounts["USD"]
    g.opening(fund, facct, r.uniform(1000, 10000), fund_day + 1)
    shell_life(g, facct, fund_day + 1)
    monthly(
        g, facct, fund_day + 2, r.randint(2, 6), (900, 2800), us_party(g, f"{r.choice(LAST)} Office Suites"), "RENT"
    )
    rate = r.choice([0.015, 0.02, 0.025, 0.03, 0.04])
    d0 = fund_day + 2
    investors: list[tuple[Counterparty, float, int]] = []
    raised = 0.0
    n = r.randint(12, 35)
    for _ in range(n):
        day = d0 + int((LAST_DAY - 3 - d0) * r.random() ** 0.7)
        principal = float(r.choice(PRINCIPALS))
        cp = us_party(g, local(g, country))
        memo = r.choice(INVEST_MEMOS)
        parts = [principal] if principal > 5000 or r.random() < 0.4 else [principal / 2, principal / 2]
        how = "p2p" if principal <= 5000 else r.choice(["wire", "ach", "check"])
        for i, part in enumerate(parts):
            when = at(g, day + i, 8, 21)
            if how == "p2p":
                g.p2p_in(facct, part, when, cp, memo)
            elif how == "wire":
                g.wire_in(facct, part, settled(g, day), cp, memo)
            elif how == "ach":
                g.ach_in(facct, part, settled(g, day), cp, memo or "TRANSFER")
            else:
                check_in(g, facct, part, settled(g, day), cp, r.random() < 0.5)
        raised += principal
        investors.append((cp, principal, day))
        if r.random() < 0.3 and day + 20 < LAST_DAY:
            more = float(r.choice([5000, 10000, 10000, 20000, 25000]))
            g.wire_in(facct, more, settled(g, r.randint(day + 14, LAST_DAY - 1)), cp, r.choice(INVEST_MEMOS))
            raised += more
    ret_memo = r.choice(RETURN_MEMOS)
    pay_dom = r.choice([1, 5, 10, 15])
    payouts = 0
    for m in range(3):
        pd = m * 30 + pay_dom
        if pd <= LAST_DAY:
            for cp, principal, day in investors:
                if day + 20 <= pd:
                    g.ach_out(facct, principal * rate, at(g, pd, 6, 10), cp, ret_memo)
                    payouts += 1
    early = sorted(investors, key=lambda x: x[2])[: r.randint(0, 2)]
    for cp, principal, day in early:
        g.ach_out(facct, principal * (1 + rate), settled(g, min(LAST_DAY, day + r.randint(30, 60))), cp, "REDEMPTION")
    for d in days_from(d0 + r.randint(5, 12), r.randint(9, 16)):
        g.sweep_give(facct, pacct, r.uniform(0.08, 0.22), at(g, d), r.choice([None, "MGMT FEE", "SALARY", "DRAW"]))
    broker = Counterparty(r.choice(BROKERS_F), f"{r.randint(10**7, 10**8 - 1)}", None, "US")
    for _ in range(r.randint(1, 2)):
        g.ach_out(
            facct,
            roundish(g, r.uniform(5000, 30000), 0.9),
            settled(g, r.randint(d0 + 10, LAST_DAY)),
            broker,
            "ACCOUNT FUNDING",
        )
    for _ in range(r.randint(1, 3)):
        g.spend(facct, r.uniform(800, 4500), at(g, r.randint(d0 + 3, LAST_DAY), 12, 20), r.choice(BANQUETS))
    org = us_party(g, f"{community.title()} of {promoter.city[0]}")
    monthly(g, pacct, onboard + 3, r.randint(1, 28), (400, 2500), org, "DONATION")
    for _ in range(r.randint(1, 4)):
        m, lo, hi = r.choice(LUXURY_F)
        g.spend(pacct, r.uniform(lo, hi), at(g, r.randint(d0 + 30, LAST_DAY), 11, 19), m)
    car = r.random() < 0.5
    if car:
        dealer = us_party(g, r.choice(CAR_DEALERS_F))
        g.wire_out(
            pacct,
            roundish(g, r.uniform(15000, 60000), 0.7),
            settled(g, r.randint(d0 + 20, LAST_DAY)),
            dealer,
            "VEHICLE PURCHASE",
        )
    home = r.random() < 0.3
    if home:
        tc = us_party(g, r.choice(TITLE_F))
        g.sweep("wire", pacct, r.uniform(0.6, 0.9), settled(g, r.randint(d0 + 35, LAST_DAY)), tc, "CLOSING FUNDS")
    g.label(
        "affinity_ponzi",
        "laundering",
        [fund, promoter],
        {
            "community": community,
            "investors": n,
            "raised_planned": round(raised),
            "monthly_rate": rate,
            "return_payments": payouts,
            "redemptions": len(early),
            "car": car,
            "home": home,
        },
    )


def life_insurance_surrender(g: GenF) -> None:
    r = g.rng
    onboard = r.randint(0, 30)
    occupation = r.choice(
        ["import/export trader", "consultant", "real estate investor", "restaurant owner", "restaurant manager"]
    )
    c = person(
        g,
        r.choice(["RETAIL", "PREMIUM"]),
        occupation,
        onboard,
        DAYS,
        r.uniform(3500, 9000),
        opening=(2000, 9000),
        born=(1955, 1988),
    )
    acct = c.accounts["USD"]
    policies = []
    day = onboard + r.randint(2, 8)
    for _ in range(r.choice([1, 1, 2])):
        if day > LAST_DAY - 25:
            break
        premium = roundish(g, r.uniform(40000, 250000), 0.7)
        source = r.choice(["cash", "third_party", "mixed", "third_party"])
        cash_share = {"cash": 1.0, "third_party": 0.0, "mixed": r.uniform(0.2, 0.5)}[source]
        if source == "cash":
            premium = min(premium, roundish(g, r.uniform(40000, 90000), 0.9))
        raised_cash = 0.0
        branches = r.sample(BRANCH_CITIES, r.randint(1, 3))
        while raised_cash < premium * cash_share * 1.02:
            amt = roundish(g, r.uniform(4000, 9800), 0.5)
            g.deposit(acct, amt, at(g, day, 9, 16), branch=branch_at(g, r.choice(branches)))
            raised_cash += amt
            day += r.choice([0, 1, 1, 2])
        if cash_share < 1:
            funder_country = r.choice(FUNDER_COUNTRIES)
            funder = (
                party_abroad(g, local(g, funder_country), funder_country)
                if r.random() < 0.4
                else party_abroad(g, named(g, "{w} Holdings Ltd"), funder_country)
            )
            rest = premium * (1 - cash_share) * 1.02
            for part in weights(g, r.randint(1, 3)):
                g.wire_in(acct, roundish(g, rest * part, 0.8), settled(g, day), funder, r.choice(FUNDER_MEMOS))
                day += r.randint(0, 3)
        insurer = us_party(g, r.choice(LIFE_INSURERS))
        policy = f"{r.choice('LUPAN')}{r.randint(10**6, 10**7 - 1)}"
        kind = r.choice(["free_look", "surrender", "overpayment"])
        paid_at = settled(g, day + 1)
        g.wire_out(acct, premium, paid_at, insurer, r.choice(PREMIUM_MEMOS).format(n=policy))
        held = r.randint(12, 45) if kind != "free_look" else r.randint(10, 30)
        back_day = min(LAST_DAY - 3, day_index(paid_at) + held)
        back = premium * (1.0 if kind != "surrender" else r.uniform(0.86, 0.97))
        if kind == "overpayment":  # a regular premium paid several times over, the excess refunded
            back = premium * r.uniform(0.6, 0.85)
        got = settled(g, back_day)
        if r.random() < 0.5:
            g.wire_in(acct, back, got, insurer, REFUNDS[kind].format(n=policy))
        else:
            g.ach_in(acct, back, got, insurer, REFUNDS[kind].format(n=policy))
        onward = r.choice(["company_abroad", "person_abroad", "car_dealer", "title", "us_company"])
        go = day_index(got) + r.randint(0, 5)
        if onward == "company_abroad":
            cc = r.choice(FUNDER_COUNTRIES)
            dest = party_abroad(g, named(g, "{w} Trading Ltd"), cc)
        elif onward == "person_abroad":
            cc = r.choice(FUNDER_COUNTRIES)
            dest = party_abroad(g, local(g, cc), cc)
        elif onward == "car_dealer":
            dest = us_party(g, r.choice(CAR_DEALERS_F))
        elif onward == "title":
            dest = us_party(g, r.choice(TITLE_F))
        else:
            dest = us_party(g, named(g, "{last} Ventures LLC"))
        g.sweep(
            "wire",
            acct,
            r.uniform(0.85, 0.99),
            settled(g, min(go, LAST_DAY)),
            dest,
            r.choice([None, "INVOICE", "LOAN REPAYMENT", "PURCHASE"]),
        )
        policies.append({"premium": premium, "funded_by": source, "refund": kind, "days_held": held, "onward": onward})
        day = go + r.randint(3, 12)
    g.label("life_insurance_surrender", "laundering", [c], {"occupation": occupation, "policies": policies})


def construction_cash_payroll(g: GenF) -> None:
    r = g.rng
    onboard = r.randint(0, 25)
    nominee_origin = r.choice(SUB_NATIONALITIES)
    sub = biz(g, "construction subcontractor", onboard, f"{r.choice(LAST)} {r.choice(SUB_KINDS)}")
    sacct = sub.accounts["USD"]
    g.opening(sub, sacct, r.uniform(500, 3000), onboard + 1)
    shell_life(g, sacct, onboard + 1)
    gl = us_party(g, r.choice([*INSURERS, "NEXT Insurance", "Hiscox Inc"]))
    g.ach_out(sacct, r.uniform(1200, 4500), at(g, onboard + r.randint(2, 6)), gl, "GENERAL LIABILITY POLICY")
    if r.random() < 0.6:
        wc = us_party(g, r.choice(["State Insurance Fund", "AmTrust North America", "Employers Holdings", "Guard"]))
        g.ach_out(sacct, r.uniform(300, 900), at(g, onboard + r.randint(3, 9)), wc, "WORKERS COMP PREMIUM")
    for d in range(onboard + 3, DAYS):
        if r.random() < 0.2:
            g.spend(sacct, r.uniform(60, 260), at(g, d, 6, 18), r.choice(FUEL))
    custs = [sub]
    nominee: Cust | None = None
    if r.random() < 0.5:
        nominee = person(
            g,
            "RETAIL",
            "construction worker",
            onboard + r.randint(0, 5),
            DAYS,
            r.uniform(1500, 3000),
            opening=(100, 600),
            name=local(g, nominee_origin),
        )
        custs.append(nominee)
    style = r.choice(["one_large", "split", "check_casher", "mixed"])
    gcs = [us_party(g, f"{r.choice(LAST)} {r.choice(GC_WORDS)}") for _ in range(r.randint(2, 5))]
    fee_to = (
        us_party(g, r.choice(CONSULTING).format(w=r.choice(CONSULT_WORDS)))
        if nominee is None or r.random() < 0.5
        else Counterparty(r.choice(LAST) + " " + r.choice(LAST), None, r.choice(BANKS_US), "US")
    )
    fee_rate = r.uniform(0.03, 0.08)
    casher = us_party(g, r.choice(CHECK_CASHERS).format(last=r.choice(LAST)))
    branches = r.sample(BRANCH_CITIES, r.randint(1, 3))
    received = 0.0
    payments = 0
    for gc in gcs:
        scale = r.uniform(8000, 55000)
        every = r.choice([7, 7, 14])
        for d in days_from(onboard + r.randint(4, 14), every):
            amt = roundish(g, scale * r.uniform(0.6, 1.4), 0.3)
            when = settled(g, d, 8, 12)
            if r.random() < 0.5:
                memo = r.choice(GC_MEMOS)
                g.ach_in(sacct, amt, when, gc, memo.format(n=r.randint(10, 99)) if memo else None)
            else:
                check_in(g, sacct, amt, when, gc, r.random() < 0.4)
            received += amt
            payments += 1
            out_day = day_index(when) + r.randint(0, 2)
            if out_day > LAST_DAY:
                continue
            cash_part = amt * r.uniform(0.75, 0.92)
            how = style if style != "mixed" else r.choice(["one_large", "split", "check_casher"])
            if how == "one_large":
                g.withdraw(sacct, roundish(g, cash_part, 0.7), at(g, out_day, 9, 15), branch_at(g, r.choice(branches)))
            elif how == "split":
                left, dd = cash_part, out_day
                while left > 500 and dd <= LAST_DAY:
                    piece = min(left, roundish(g, r.uniform(6000, 9900), 0.6))
                    g.withdraw(sacct, piece, at(g, dd, 9, 15), branch_at(g, r.choice(branches)))
                    left -= piece
                    dd += r.choice([0, 0, 1])
            else:
                g.ach_out(sacct, cash_part, at(g, out_day, 9, 15), casher, "PAYROLL SERVICES")
            g.ach_out(
                sacct, amt * fee_rate, at(g, out_day, 9, 17), fee_to, r.choice(["CONSULTING", "ADMIN FEE", "MGMT"])
            )
            if nominee is not None and r.random() < 0.6:
                nd = max(out_day, nominee.onboard + 2)
                g.p2p(sacct, nominee.accounts["USD"], r.uniform(500, 1500), at(g, nd, 9, 20), "PAYROLL")
    g.label(
        "construction_cash_payroll",
        "laundering",
        custs,
        {
            "general_contractors": len(gcs),
            "payments_planned": payments,
            "received_planned": round(received),
            "cash_out_style": style,
            "fee_rate": round(fee_rate, 3),
            "nominee_account": nominee is not None,
        },
    )


def ocse_livestream_payer(g: GenF) -> None:
    r = g.rng
    onboard = r.randint(0, 40)
    name = f"{r.choice(MALE_FIRST)} {r.choice(LAST)}"
    retired = r.random() < 0.4
    if retired:
        c = g.customer("RETAIL", "retired", onboarded_day=onboard, name=name, born=(1946, 1961))
        acct = c.accounts["USD"]
        g.opening(c, acct, r.uniform(1000, 6000), onboard + 1)
        pension_life(g, c, acct, onboard + 1, DAYS, r.uniform(2400, 4600))
    else:
        job = r.choice(["truck driver", "electrician", "engineer", "accountant", "IT technician", "sales manager"])
        c = person(g, "RETAIL", job, onboard, DAYS, r.uniform(3200, 7000), name=name, born=(1962, 1986))
        acct = c.accounts["USD"]
    main = "PH" if r.random() < 0.8 else r.choice(["TH", "CO", "KH", "VN", "IN"])
    bens = [(local(g, main), main) for _ in range(r.randint(2, 8))]
    if r.random() < 0.2:
        extra = r.choice(["PH", "TH", "CO"])
        bens.append((local(g, extra), extra))
    start = onboard + r.randint(2, 15)
    p0, p1 = r.uniform(0.1, 0.3), r.uniform(0.35, 0.85)
    a0, a1 = r.uniform(15, 50), r.uniform(60, 260)
    channels: Counter[str] = Counter()
    total = 0.0
    at_night = 0
    span = max(1, DAYS - start)
    for d in range(start, DAYS):
        f = (d - start) / span
        if r.random() >= p0 + (p1 - p0) * f:
            continue
        ben, cc = r.choice(bens)
        amt = max(5.0, (a0 + (a1 - a0) * f) * r.uniform(0.5, 1.5))
        when = night(g, d) if r.random() < 0.75 else at(g, d, 6, 19)
        at_night += when.hour >= 20 or when.hour < 5
        how = r.choices(["card", "ach", "p2p"], [0.5, 0.3, 0.2])[0]
        channels[how] += 1
        total += amt
        if how == "card":
            g.spend_at(acct, amt, when, r.choice(REMIT_CARD))
        elif how == "ach":
            rem = Counterparty(r.choice(REMIT_ACH), None, None, "US")
            g.ach_out(acct, amt, when, rem, f"{ben.upper()} {cc}")
        else:
            wallet = Counterparty(ben, f"09{r.randint(10**8, 10**9 - 1)}", r.choice(WALLETS[cc]), cc)
            g.p2p_out(acct, amt, when, wallet, r.choice(SMALL_MEMOS))
    if r.random() < 0.5:
        for d in days_from(start + r.randint(0, 20), 30):
            g.spend(
                acct,
                r.choice([10.0, 15.0, 25.0]),
                at(g, d, 19, 23),
                r.choice(["SKYPE CREDIT", "VIBER OUT", "PAYPAL *MSFT"]),
            )
    g.label(
        "ocse_livestream_payer",
        "laundering",
        [c],
        {
            "retired": retired,
            "country": main,
            "beneficiaries": len(bens),
            "payments": sum(channels.values()),
            "channels": dict(channels),
            "total_planned": round(total),
            "night_share": round(at_night / max(1, sum(channels.values())), 2),
        },
    )


def cannabis_hemp_front(g: GenF) -> None:
    r = g.rng
    onboard = r.randint(0, 25)
    owner = household(g, onboard, "business owner", r.uniform(4500, 9000), born=(1968, 1996))
    kind = r.choice(SHOP_KINDS)
    shop_name = r.choice(SHOP_NAMES).format(w=r.choice(SHOP_WORDS), last=r.choice(LAST))
    shop = business(g, kind, onboard, r.uniform(6000, 20000), shop_name, processor=True)
    sacct = shop.accounts["USD"]
    home = r.choice(BRANCH_CITIES)
    away = r.sample([b for b in BRANCH_CITIES if b != home], r.randint(1, 3))
    start = onboard + r.randint(4, 12)
    p_cash = r.uniform(0.35, 0.7)
    cash = 0.0
    deposits = away_deposits = third_party = 0
    buyers = [us_party(g, f"{r.choice(FIRST)} {r.choice(LAST)}") for _ in range(r.randint(3, 10))]
    for d in range(start, DAYS):
        if r.random() < p_cash:
            amt = roundish(g, r.uniform(2500, 9800), 0.5)
            far = r.random() < 0.3
            desc = f"DEP BY {r.choice(FIRST).upper()} {r.choice(LAST).upper()}" if r.random() < 0.15 else None
            g.deposit(sacct, amt, at(g, d, 9, 16), branch=branch_at(g, r.choice(away) if far else home), desc=desc)
            cash += amt
            deposits += 1
            away_deposits += far
            third_party += desc is not None
        if r.random() < 0.12:
            g.p2p_in(
                sacct, roundish(g, r.uniform(800, 6000), 0.7), at(g, d, 8, 23), r.choice(buyers), r.choice(ORDER_MEMOS)
            )
        if r.random() < 0.1:
            g.withdraw(sacct, roundish(g, r.uniform(3000, 9500), 0.7), at(g, d, 10, 16), branch_at(g, home))
    growers = [us_party(g, x) for x in r.sample(GROWERS, r.randint(1, 3))]
    for d in days_from(start + r.randint(3, 8), r.randint(7, 14)):
        g.out_upto(
            r.choice(["wire", "ach"]),
            sacct,
            roundish(g, r.uniform(10000, 45000), 0.6),
            0.7,
            settled(g, d),
            r.choice(growers),
            r.choice([f"INV {r.randint(100, 999)}", "CONSULTING", "HEMP BIOMASS", "PRODUCT", None]),
        )
    supply = us_party(g, r.choice(GROW_SUPPLY).format(last=r.choice(LAST)))
    for d in days_from(start + r.randint(5, 12), r.randint(10, 20)):
        g.ach_out(sacct, r.uniform(1000, 9000), settled(g, d), supply, "INVOICE")
    for d in days_from(start + r.randint(0, 4), r.randint(4, 8)):
        g.spend(sacct, r.uniform(40, 600), at(g, d, 10, 19), r.choice(SHIPPERS).format(n=r.randint(1000, 9999)))
    for d in days_from(start + r.randint(2, 7), 7):
        g.p2p(sacct, owner.accounts["USD"], r.uniform(1000, 6000), at(g, d), r.choice([None, "DRAW", "PAY"]))
    property_co = r.random() < 0.4
    if property_co:
        pc = us_party(g, f"{r.choice(SHOP_WORDS)} Property Group LLC")
        for _ in range(r.randint(2, 3)):
            g.out_upto(
                "ach", sacct, r.uniform(5000, 20000), 0.5, settled(g, r.randint(start + 5, LAST_DAY)), pc, "LOAN"
            )
    g.label(
        "cannabis_hemp_front",
        "laundering",
        [shop, owner],
        {
            "kind": kind,
            "cash_deposits": deposits,
            "cash_planned": round(cash),
            "out_of_state_deposits": away_deposits,
            "third_party_deposits": third_party,
            "growers": len(growers),
            "buyers": len(buyers),
            "property_company": property_co,
        },
    )


def npo_diversion(g: GenF) -> None:
    r = g.rng
    onboard = r.randint(0, 25)
    origin, dests, ramadan = r.choice(NPO_LINKS)
    director = person(
        g,
        "RETAIL",
        r.choice(["non-profit director", "community organizer", "charity manager", "taxi driver"]),
        onboard,
        DAYS,
        r.uniform(2200, 4500),
        name=local(g, origin),
        born=(1965, 1992),
    )
    dacct = director.accounts["USD"]
    npo_day = onboard + r.randint(0, 2)
    npo = biz(g, "non-profit organization", npo_day, f"{r.choice(NPO_WORDS)} {r.choice(NPO_KINDS)}")
    nacct = npo.accounts["USD"]
    g.opening(npo, nacct, r.uniform(2000, 12000), npo_day + 1)
    shell_life(g, nacct, npo_day + 1)
    platforms = r.sample(DONATION_PLATFORMS, r.randint(1, 3))
    donors = [us_party(g, local(g, origin)) for _ in range(r.randint(25, 90))]
    start = npo_day + 2
    raised = 0.0
    for d in range(start, DAYS):
        boost = 2.5 if ramadan and 48 <= d <= 78 else 1.0
        if weekday(d) == 4:
            boost *= 1.6
        for _ in range(int(r.random() * 4 * boost)):
            amt = r.choice([10, 20, 25, 50, 50, 100, 100, 150, 200, 250, 500]) * r.choice([1, 1, 1, 2])
            g.p2p_in(nacct, amt, at(g, d, 7, 23), r.choice(donors), r.choice(DONOR_MEMOS))
            raised += amt
        if weekday(d) == 0 and r.random() < 0.8:
            name, memo = r.choice(platforms)
            amt = r.uniform(800, 8000) * boost
            g.ach_in(nacct, amt, settled(g, d, 6, 9), us_party(g, name), memo)
            raised += amt
        if weekday(d) in (5, 6) and r.random() < 0.2 * boost:
            amt = roundish(g, r.uniform(1000, 7000), 0.5)
            g.deposit(nacct, amt, at(g, d + 1, 9, 15), desc="EVENT COLLECTION" if r.random() < 0.3 else None)
            raised += amt
    receivers = []
    for cc in r.sample(dests, min(len(dests), r.randint(1, 3))):
        if r.random() < 0.5:
            receivers.append(party_abroad(g, r.choice(TRADING).format(w=r.choice(TRADE_WORDS)), cc))
        else:
            receivers.append(party_abroad(g, local(g, origin if r.random() < 0.7 else cc), cc))
    wires = 0
    for d in days_from(start + r.randint(7, 14), r.randint(7, 18)):
        g.sweep("wire", nacct, r.uniform(0.4, 0.75), settled(g, d), r.choice(receivers), r.choice(NPO_OUT_MEMOS))
        wires += 1
    cash_outs = 0
    for d in range(start + 5, DAYS):
        if r.random() < 0.05:
            g.withdraw(nacct, roundish(g, r.uniform(2000, 9500), 0.8), at(g, d, 10, 16), g.branch())
            cash_outs += 1
    for d in days_from(start + r.randint(3, 10), r.choice([14, 15, 30])):
        g.sweep_give(
            nacct, dacct, r.uniform(0.1, 0.25), at(g, d), r.choice(["SALARY", "STIPEND", None, "REIMBURSEMENT"])
        )
    for _ in range(r.randint(0, 3)):
        g.spend(
            nacct,
            r.uniform(150, 900),
            at(g, r.randint(start + 3, LAST_DAY)),
            r.choice(["COSTCO WHSE #0112", "SAMS CLUB #4410"]),
        )
    onward = 0
    for d in days_from(start + r.randint(10, 20), r.randint(10, 20)):
        if r.random() < 0.5:
            cc = r.choice(dests)
            g.sweep("wire", dacct, r.uniform(0.3, 0.7), settled(g, d), party_abroad(g, local(g, origin), cc))
        else:
            g.withdraw(dacct, roundish(g, r.uniform(1000, 5000), 0.8), at(g, d, 10, 16), g.branch())
        onward += 1
    g.label(
        "npo_diversion",
        "laundering",
        [npo, director],
        {
            "donor_community": origin,
            "destinations": sorted({x.country or "" for x in receivers}),
            "donors": len(donors),
            "raised_planned": round(raised),
            "wires_abroad": wires,
            "large_cash_withdrawals": cash_outs,
            "director_onward": onward,
        },
    )


# =================================================================================================
# benign look-alikes
# =================================================================================================
def jewelry_store(g: GenF) -> None:
    r = g.rng
    onboard = r.randint(0, 30)
    revenue = r.uniform(35000, 120000)
    name = r.choice(JEWELERS).format(last=r.choice(LAST), w=r.choice(JEWEL_WORDS))
    store = business(g, "jewelry store", onboard, revenue, name, processor=True)
    acct = store.accounts["USD"]
    custs = [store]
    owner = None
    if r.random() < 0.6:
        owner = household(g, onboard, "jeweler", r.uniform(5000, 10000), born=(1955, 1990))
        custs.append(owner)
    d0 = onboard + 2
    big_cash = 0
    for d in range(d0, DAYS):
        if weekday(d) == r.choice([0, 1]) or r.random() < 0.08:
            amt = revenue * r.uniform(0.02, 0.06)
            if 36 <= d <= 46 and r.random() < 0.4:
                amt += r.uniform(8000, 20000)  # an engagement ring paid in cash (Form 8300 filed)
                big_cash += 1
            g.deposit(acct, amt, at(g, d, 10, 16), branch=g.branch())
    n_staff = max(1, min(6, int(revenue / 22000)))
    staff_pay(g, acct, d0 + r.randint(0, 6), [g.person_name() for _ in range(n_staff)], 1400, 2600)
    wholesaler = us_party(g, r.choice(JEWEL_US).format(last=r.choice(LAST)))
    for d in days_from(d0 + r.randint(3, 10), 14):
        g.ach_out(acct, revenue * r.uniform(0.06, 0.15), settled(g, d), wholesaler, "MEMO INVOICE")
    abroad = r.sample(JEWEL_ABROAD, r.randint(1, 3))
    wires = 0
    for cc, fmt, memo in abroad:
        sup = party_abroad(g, fmt.format(w=r.choice(SUPPLIER_WORDS)), cc)
        for _ in range(r.randint(1, 2)):
            amt = roundish(g, revenue * r.uniform(0.08, 0.25), 0.3)
            g.wire_out(acct, amt, settled(g, r.randint(d0 + 5, LAST_DAY)), sup, memo.format(n=r.randint(1000, 99999)))
            wires += 1
    refiner = us_party(g, r.choice(REFINERS).format(last=r.choice(LAST)))
    for d in days_from(d0 + r.randint(10, 25), 30):
        g.wire_in(
            acct, r.uniform(2000, 15000), settled(g, d), refiner, f"SCRAP GOLD SETTLEMENT LOT {r.randint(1000, 99999)}"
        )
    monthly(g, acct, d0, r.randint(5, 12), (300, 1500), us_party(g, "Jewelers Mutual Insurance"), "JEWELERS BLOCK")
    monthly(g, acct, d0, 20, (revenue * 0.05, revenue * 0.08), us_party(g, "State Dept of Revenue"), "SALES TAX")
    if owner is not None:
        for d in days_from(d0 + r.randint(1, 5), 15):
            g.p2p(acct, owner.accounts["USD"], r.uniform(2500, 6000), at(g, d), "OWNER DRAW")
    g.label(
        "jewelry_store",
        "benign",
        custs,
        {
            "monthly_revenue": round(revenue),
            "staff": n_staff,
            "suppliers_abroad": [a[0] for a in abroad],
            "wires_abroad": wires,
            "cash_sales_over_10k": big_cash,
        },
    )


def investment_club(g: GenF) -> None:
    r = g.rng
    onboard = r.randint(0, 20)
    treasurer = person(g, "RETAIL", g.occupation("retail"), onboard, DAYS, r.uniform(3500, 8000), born=(1955, 1990))
    club_day = onboard + r.randint(0, 3)
    word = r.choice(["Maple Ridge", "Oak Hill", "Riverside", "Lakeshore", "Eastside", "Cedar Park", "Lincoln"])
    club = g.customer(
        "SMALL_BUSINESS",
        "investment club (general partnership)",
        onboarded_day=club_day,
        name=f"{word} {r.choice(['Investment Club', 'Investors Club', 'Investment Partnership'])}",
    )
    cacct = club.accounts["USD"]
    g.opening(club, cacct, r.uniform(200, 2000), club_day + 1)
    custs = [treasurer, club]
    inbank = [
        person(g, "RETAIL", g.occupation("retail"), r.randint(0, club_day + 2), DAYS, r.uniform(3000, 7000))
        for _ in range(r.randint(0, 3))
    ]
    custs += inbank
    outside = [us_party(g, g.person_name()) for _ in range(r.randint(8, 20))]
    dues = {
        i: float(r.choice([50, 75, 100, 100, 150, 200, 250, 300, 500])) for i in range(len(outside) + len(inbank) + 1)
    }
    meeting = r.randint(5, 20)
    broker = Counterparty(r.choice(BROKERS_F), f"{r.randint(10**7, 10**8 - 1)}", None, "US")
    for m in range(3):
        md = m * 30 + meeting
        if md <= club_day + 2:
            continue
        for i, cp in enumerate(outside):
            d = min(LAST_DAY, md + r.randint(-3, 2))
            if d > club_day + 1:
                g.p2p_in(
                    cacct,
                    dues[i],
                    at(g, d, 7, 22),
                    cp,
                    r.choice([None, "dues", f"{['JAN', 'FEB', 'MAR'][m]} dues", "club"]),
                )
        for j, f in enumerate(inbank):
            d = min(LAST_DAY, max(md + r.randint(-3, 2), f.onboard + 2, club_day + 1))
            g.p2p(f.accounts["USD"], cacct, dues[len(outside) + j], at(g, d, 7, 22), "dues")
        g.p2p(treasurer.accounts["USD"], cacct, dues[len(dues) - 1], at(g, max(md, onboard + 2), 7, 22), "dues")
        sd = min(LAST_DAY, md + r.randint(2, 5))
        g.sweep("ach", cacct, r.uniform(0.9, 1.0), settled(g, sd), broker, "CONTRIBUTION")
        g.spend(
            cacct,
            r.uniform(25, 120),
            at(g, min(md, LAST_DAY), 18, 21),
            r.choice(["PANERA BREAD #1123", "STARBUCKS STORE 0918"]),
        )
    joiners = r.randint(0, 3)
    for _ in range(joiners):
        cp = us_party(g, g.person_name())
        g.p2p_in(
            cacct, roundish(g, r.uniform(500, 3000), 0.8), at(g, r.randint(club_day + 3, LAST_DAY), 8, 22), cp, "buy-in"
        )
    g.spend(cacct, r.choice([55.0, 70.0, 90.0]), at(g, club_day + r.randint(2, 20)), "BETTERINVESTING.ORG")
    leaver = r.random() < 0.4 and club_day + 30 < LAST_DAY - 5
    if leaver:
        cp = r.choice(outside)
        ld = r.randint(club_day + 30, LAST_DAY - 5)
        payout = roundish(g, r.uniform(2000, 15000), 0.2)
        g.ach_in(cacct, payout, settled(g, ld), broker, "PARTIAL WITHDRAWAL")
        g.ach_out(cacct, payout, settled(g, ld + r.randint(1, 4)), cp, "MEMBER WITHDRAWAL")
    g.label(
        "investment_club",
        "benign",
        custs,
        {
            "members": len(outside) + len(inbank) + 1,
            "in_bank_members": len(inbank),
            "monthly_dues_total": round(sum(dues.values())),
            "new_members": joiners,
            "member_paid_out": leaver,
        },
    )


def used_car_dealer(g: GenF) -> None:
    r = g.rng
    onboard = r.randint(0, 25)
    name = r.choice(DEALER_NAMES).format(last=r.choice(LAST), w=r.choice(DEALER_WORDS))
    dealer = biz(g, "used car dealer", onboard, name)
    acct = dealer.accounts["USD"]
    g.opening(dealer, acct, r.uniform(40000, 150000), onboard + 1)
    d0 = onboard + 2
    proc = us_party(g, r.choice(["Square Inc", "Clover Merchant Services", "Heartland Payment Systems"]))
    floor = us_party(g, r.choice(FLOORPLAN))
    auctions = [us_party(g, a) for a in r.sample(AUCTIONS, r.randint(1, 3))]
    funders = [us_party(g, f) for f in r.sample(AUTO_FUNDERS, r.randint(2, 4))]
    dmv = us_party(g, r.choice(["TX DMV", "FL DHSMV", "GA DOR MVD", "NJ MVC", "AZ MVD", "IL SOS VEHICLE SVCS"]))
    recon = [
        us_party(g, f"{r.choice(LAST)} {r.choice(['Auto Body', 'Detailing', 'Auto Repair', 'Tire & Wheel'])}")
        for _ in range(2)
    ]
    per_month = r.randint(8, 30)
    avg = r.uniform(9000, 22000)
    sold = 0
    cash_over = 0
    cash_day: dict[int, float] = {}
    for d in range(d0 + 3, DAYS):
        if weekday(d) == 6:
            continue
        for _ in range(sum(r.random() < per_month / 26 / 2 for _ in range(2))):
            price = roundish(g, avg * r.uniform(0.5, 1.6), 0.8)
            sold += 1
            mode = r.choices(["lender", "cash", "cashier_check", "credit_union"], [0.6, 0.12, 0.13, 0.15])[0]
            if mode == "lender":
                down = roundish(g, min(price * 0.3, r.uniform(500, 5000)), 0.8)
                if r.random() < 0.6:
                    cash_day[d] = cash_day.get(d, 0.0) + down
                else:
                    g.ach_in(acct, down * 0.97, settled(g, d + 1, 6, 8), proc, "CARD SETTLEMENT")
                g.ach_in(acct, price - down, settled(g, d + r.randint(2, 8)), r.choice(funders), "CONTRACT FUNDING")
            elif mode == "cash":
                cash_day[d] = cash_day.get(d, 0.0) + price
            elif mode == "cashier_check":
                check_in(g, acct, price, settled(g, d), us_party(g, r.choice(BANKS_US)), False)
            else:
                g.ach_in(
                    acct,
                    price,
                    settled(g, d + r.randint(1, 4)),
                    us_party(g, r.choice(CREDIT_UNIONS)),
                    "AUTO LOAN PROCEEDS",
                )
            g.ach_out(acct, price * r.uniform(0.55, 0.72), settled(g, d + r.randint(1, 3)), floor, "PAYOFF VIN")
            g.ach_out(acct, r.uniform(150, 450), settled(g, d + r.randint(2, 10)), dmv, "TITLE & REGISTRATION")
    for d, amt in sorted(cash_day.items()):
        g.deposit(acct, amt, at(g, min(d + 1, LAST_DAY) if r.random() < 0.4 else d, 10, 17), branch=g.branch())
        cash_over += amt > 10000
    for d in days_from(d0 + r.randint(0, 6), 7):
        bought = avg * r.uniform(0.5, 0.7) * r.choice([0, 0, 1, 1, 2]) * max(1, per_month // 12) + r.uniform(
            150, 900
        )  # units not floored, fees
        g.ach_out(acct, bought, settled(g, d), r.choice(auctions), "AUCTION PURCHASE")
        g.ach_out(acct, r.uniform(500, 3500), settled(g, d + r.randint(0, 3)), r.choice(recon), "RECONDITIONING")
    monthly(g, acct, d0, r.randint(10, 15), (600, 2500), floor, "FLOOR PLAN INTEREST")
    monthly(g, acct, d0, 1, (2500, 7000), us_party(g, f"{r.choice(LAST)} Properties LLC"), "LOT LEASE")
    monthly(g, acct, d0, r.randint(5, 20), (400, 1400), us_party(g, r.choice(INSURERS)), "GARAGE LIABILITY")
    staff = [g.person_name() for _ in range(r.randint(2, 5))]
    staff_pay(g, acct, d0 + r.randint(0, 10), staff, 1600, 3200)
    g.label(
        "used_car_dealer",
        "benign",
        [dealer],
        {"cars_per_month": per_month, "cars_sold": sold, "avg_price": round(avg), "cash_deposits_over_10k": cash_over},
    )


def storm_roofer(g: GenF) -> None:
    r = g.rng
    onboard = r.randint(0, 20)
    name = r.choice(ROOFERS).format(last=r.choice(LAST), w=r.choice(ROOF_WORDS))
    roofer = biz(g, "roofing contractor", onboard, name)
    acct = roofer.accounts["USD"]
    g.opening(roofer, acct, r.uniform(10000, 50000), onboard + 1)
    d0 = onboard + 2
    storm = d0 + r.randint(0, 18)
    jobs = r.randint(14, 36)
    supplier = us_party(g, r.choice(ROOF_SUPPLY))
    crews = [us_party(g, f"{local(g, r.choice(['MX', 'GT', 'HN', 'US']))} Roofing LLC") for _ in range(r.randint(1, 3))]
    proc = us_party(g, r.choice(["Square Inc", "Stripe Payments", "QuickBooks Payments"]))
    labour: dict[int, float] = {}
    received = 0.0
    for _ in range(jobs):
        size = r.uniform(9000, 32000)
        start = r.randint(storm + 3, LAST_DAY - 2)
        acv = size * r.uniform(0.65, 0.8)
        check_in(g, acct, acv, settled(g, start), us_party(g, r.choice(HOME_INSURERS)), r.random() < 0.7)
        received += acv
        ded = float(r.choice([500, 1000, 1000, 1500, 2000, 2500]))
        homeowner = us_party(g, g.person_name())
        how = r.choice(["p2p", "card", "check"])
        if how == "p2p":
            g.p2p_in(acct, ded, at(g, start, 8, 20), homeowner, "deductible")
        elif how == "card":
            g.ach_in(acct, ded * 0.97, settled(g, start + 1, 6, 8), proc, "PAYOUT")
        else:
            check_in(g, acct, ded, settled(g, start), homeowner)
        g.ach_out(acct, size * r.uniform(0.28, 0.36), settled(g, start + r.randint(0, 2)), supplier, "MATERIALS")
        g.spend(acct, r.uniform(350, 650), at(g, start + 1, 7, 12), r.choice(["WASTE MANAGEMENT", "REPUBLIC SERVICES"]))
        g.spend(acct, r.uniform(100, 400), at(g, start, 8, 15), "CITY BUILDING PERMITS")
        week = min(LAST_DAY, start + 7 - weekday(start) + 4)
        labour[week] = labour.get(week, 0.0) + size * r.uniform(0.15, 0.22)
        if r.random() < 0.4 and start + 20 < LAST_DAY:
            dep = size * r.uniform(0.15, 0.3)
            check_in(g, acct, dep, settled(g, r.randint(start + 14, LAST_DAY)), us_party(g, r.choice(HOME_INSURERS)))
            received += dep
    for week, amt in sorted(labour.items()):
        g.ach_out(acct, amt, settled(g, week), r.choice(crews), f"SUBCONTRACT LABOR WK{week // 7 + 1}")
    staff = [g.person_name() for _ in range(r.randint(2, 4))]
    staff_pay(g, acct, d0 + r.randint(0, 8), staff, 1500, 3000)
    irs = Counterparty("IRS USATAXPYMT", None, "US Treasury", "US")
    for d in days_from(d0 + r.randint(2, 10), 14):
        g.ach_out(acct, r.uniform(900, 2600), settled(g, d), irs, "EFTPS 941")
    monthly(g, acct, d0, r.randint(3, 12), (600, 2200), us_party(g, r.choice(INSURERS)), "WORKERS COMP")
    for d in range(d0, DAYS):
        if r.random() < 0.3:
            g.spend(acct, r.uniform(60, 240), at(g, d, 6, 18), r.choice(FUEL))
    owner = Counterparty(
        r.choice(FIRST) + " " + r.choice(LAST), f"{r.randint(10**8, 10**9 - 1)}", r.choice(BANKS_US), "US"
    )
    for d in days_from(d0 + r.randint(10, 20), 30):
        g.ach_out(acct, r.uniform(4000, 12000), settled(g, d), owner, "OWNER DRAW")
    g.label(
        "storm_roofer",
        "benign",
        [roofer],
        {"jobs": jobs, "crews": len(crews), "insurer_checks_planned": round(received)},
    )


def immigration_bond_family_pool(g: GenF) -> None:
    r = g.rng
    onboard = r.randint(0, 40)
    origin = r.choice(BOND_ORIGINS)
    c = person(g, "RETAIL", g.occupation("retail"), onboard, DAYS, r.uniform(2500, 5500), name=local(g, origin))
    acct = c.accounts["USD"]
    custs = [c]
    event = onboard + r.randint(5, min(45, LAST_DAY - 20 - onboard))
    bond = float(r.choice(BONDS))
    lawyer_fee = float(r.choice([1500, 2500, 3000, 3500, 5000, 6000]))
    need = bond + lawyer_fee + r.uniform(200, 900)
    inbank = [
        person(
            g,
            "RETAIL",
            g.occupation("retail"),
            r.randint(0, event - 3),
            DAYS,
            r.uniform(2500, 6000),
            name=local(g, origin),
        )
        for _ in range(r.randint(0, 2))
    ]
    custs += inbank
    contributors = r.randint(4, 14)
    collected = 0.0
    per = need * r.uniform(0.7, 1.0) / (contributors + len(inbank))
    for _ in range(contributors):
        cp = us_party(g, local(g, origin))
        amt = roundish(g, per * r.uniform(0.3, 2.0), 0.8)
        left, d = min(amt, 5000), event + r.randint(0, 6)
        while left > 1 and d <= LAST_DAY:
            piece = min(left, 2500)
            g.p2p_in(acct, piece, at(g, d, 7, 23), cp, r.choice(BOND_MEMOS))
            left, d = left - piece, d + 1
        collected += min(amt, 5000)
    for f in inbank:
        g.p2p(
            f.accounts["USD"],
            acct,
            roundish(g, per * r.uniform(0.5, 2.0), 0.8),
            at(g, event + r.randint(0, 4), 7, 23),
            r.choice(BOND_MEMOS),
        )
    place, carrier = r.choice(DETENTION)
    lawyer = us_party(
        g,
        r.choice(["{last} Immigration Law PLLC", "Law Office of {first} {last}", "{last} & {last2} LLP"]).format(
            last=r.choice(LAST), last2=r.choice(LAST), first=r.choice(FIRST)
        ),
    )
    g.ach_out(acct, lawyer_fee, settled(g, event + r.randint(1, 5)), lawyer, "RETAINER")
    ice = Counterparty("DHS ICE CEBONDS", None, "US Treasury", "US")
    bond_day = event + r.randint(5, 10)
    g.ach_out(acct, bond, settled(g, bond_day), ice, f"IMMIGRATION BOND A{r.randint(10**8, 10**9 - 1)}")
    g.spend(acct, r.uniform(80, 450), at(g, min(LAST_DAY, bond_day + r.randint(1, 3)), 7, 22), f"{carrier} {place}")
    if r.random() < 0.5 and bond_day + 10 < LAST_DAY:
        g.spend(
            acct,
            float(r.choice([100, 470, 520, 750])),
            at(g, r.randint(bond_day + 7, LAST_DAY)),
            "USCIS ELIS FILING FEE",
        )
    if r.random() < 0.3:
        rem = Counterparty(r.choice(REMIT_OUT), None, None, "US")
        g.ach_out(
            acct,
            r.uniform(100, 400),
            at(g, r.randint(bond_day, LAST_DAY)),
            rem,
            f"REMIT {local(g, origin).upper()} {origin}",
        )
    g.label(
        "immigration_bond_family_pool",
        "benign",
        custs,
        {
            "origin": origin,
            "bond": bond,
            "lawyer_fee": lawyer_fee,
            "contributors": contributors + len(inbank),
            "collected_planned": round(collected),
            "detention": place,
        },
    )


def virtual_assistants_abroad(g: GenF) -> None:
    r = g.rng
    onboard = r.randint(0, 30)
    kind = r.choice(VA_BIZ)
    name = f"{r.choice(LAST)} {r.choice(['Digital LLC', 'Partners LLC', 'Solutions Inc', 'Group LLC', 'Co'])}"
    firm_ = business(g, kind, onboard, r.uniform(15000, 60000), name, processor=kind == "e-commerce store")
    acct = firm_.accounts["USD"]
    d0 = onboard + 3
    team = []
    for _ in range(r.randint(3, 8)):
        cc = r.choice(VA_COUNTRIES)
        team.append((local(g, cc), cc, r.uniform(80, 450), r.choice(VA_RAILS)))
    every = r.choice([7, 14])
    payday = r.randint(0, 4)
    first = next(d for d in range(d0, d0 + 7) if weekday(d) == payday)
    evening = r.random() < 0.6
    payments = 0
    for d in days_from(first, every):
        upwork = 0.0
        for person_name, cc, weekly, (rail, tag) in team:
            amt = weekly * every / 7 * r.uniform(0.9, 1.1)
            when = at(g, d, 18, 23) if evening else at(g, d, 9, 17)
            if tag == "UPWORK":
                upwork += amt * 1.05
                continue
            g.ach_out(acct, amt, when, Counterparty(rail, None, None, "US"), f"{tag} {person_name.upper()} {cc}")
            payments += 1
        if upwork:
            g.spend(acct, upwork, at(g, d, 9, 17), f"UPWORK -{r.randint(10**8, 10**9 - 1)}REF")
            payments += 1
    for sub in r.sample(SAAS, r.randint(2, 4)):
        for d in days_from(d0 + r.randint(0, 25), 30):
            g.spend(acct, r.uniform(12, 180), at(g, d), sub)
    if kind in ("e-commerce store", "marketing agency"):
        for d in days_from(d0 + r.randint(0, 6), 7):
            g.spend(acct, r.uniform(150, 1500), at(g, d), r.choice(["FACEBK *ADS", "GOOGLE *ADS"]))
    g.label(
        "virtual_assistants_abroad",
        "benign",
        [firm_],
        {
            "kind": kind,
            "contractors": len(team),
            "countries": sorted({t[1] for t in team}),
            "pay_every_days": every,
            "evening": evening,
            "payments_planned": payments,
        },
    )


def annuity_free_look_refund(g: GenF) -> None:
    r = g.rng
    onboard = r.randint(0, 25)
    c = g.customer(r.choice(["RETAIL", "PREMIUM"]), "retired", onboarded_day=onboard, born=(1945, 1962))
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(3000, 15000), onboard + 1)
    pension_life(g, c, acct, onboard + 1, DAYS, r.uniform(3000, 6500))
    mode = r.choice(["free_look", "free_look", "replacement", "surrender_for_home", "surrender_for_mortgage"])
    insurer_a = us_party(g, r.choice(LIFE_INSURERS))
    insurer_b = us_party(g, r.choice([x for x in LIFE_INSURERS if x != insurer_a.name]))
    own = Counterparty(c.name, f"{r.randint(10**7, 10**8 - 1)}", r.choice(BROKERAGE_OWN), "US")
    policy = f"{r.choice('ALMP')}{r.randint(10**6, 10**7 - 1)}"
    d = onboard + r.randint(3, 20)
    amount = roundish(g, r.uniform(30000, 250000), 0.8)
    shape: dict[str, Any] = {"mode": mode, "amount": amount}
    if mode == "free_look":
        g.ach_in(acct, amount, settled(g, d), own, "ACCOUNT TRANSFER")
        g.wire_out(acct, amount, settled(g, d + r.randint(1, 3)), insurer_a, f"ANNUITY PREMIUM {policy}")
        back = d + r.randint(14, 35)
        refund = amount * r.uniform(0.97, 1.02)
        g.ach_in(acct, refund, settled(g, back), insurer_a, f"FREE LOOK REFUND {policy}")
        where = r.choice(["brokerage", "cd", "other_insurer"])
        if where == "brokerage":
            dest, memo = own, "ACCOUNT TRANSFER"
        elif where == "cd":
            dest, memo = (
                Counterparty(
                    c.name,
                    f"{r.randint(10**7, 10**8 - 1)}",
                    r.choice(["Ally Bank", "Marcus by Goldman Sachs", "Discover Bank"]),
                    "US",
                ),
                "CD FUNDING",
            )
        else:
            dest, memo = insurer_b, f"ANNUITY PREMIUM {policy[0]}{r.randint(10**6, 10**7 - 1)}"
        g.sweep(
            "wire" if where == "other_insurer" else "ach",
            acct,
            r.uniform(0.9, 0.98),
            settled(g, back + r.randint(2, 10)),
            dest,
            memo,
        )
        shape |= {"days_held": back - d, "refund_to": where}
    elif mode == "replacement":
        g.ach_in(acct, amount, settled(g, d), insurer_a, f"FULL SURRENDER {policy}")
        g.wire_out(
            acct,
            amount * r.uniform(0.95, 1.0),
            settled(g, d + r.randint(2, 12)),
            insurer_b,
            f"ANNUITY PREMIUM {r.randint(10**6, 10**7 - 1)}",
        )
    else:
        csv = amount * r.uniform(0.3, 0.6)
        g.ach_in(acct, csv, settled(g, d), insurer_a, f"CASH SURRENDER VALUE {policy}")
        if mode == "surrender_for_home":
            g.ach_in(acct, amount * r.uniform(0.2, 0.5), settled(g, d + 1), own, "ACCOUNT TRANSFER")
            g.sweep(
                "wire",
                acct,
                r.uniform(0.85, 0.95),
                settled(g, d + r.randint(3, 20)),
                us_party(g, r.choice(TITLE_F)),
                "CLOSING FUNDS",
            )
        else:
            g.ach_out(
                acct,
                csv * r.uniform(0.8, 0.98),
                settled(g, d + r.randint(2, 15)),
                us_party(g, r.choice(MORTGAGE)),
                "MORTGAGE PAYOFF",
            )
    g.label("annuity_free_look_refund", "benign", [c], shape)


LAUNDERING: list[Callable[[GenF], None]] = [
    human_smuggling_collector,
    cmln_mirror_purchases,
    gold_dealer_cash,
    affinity_ponzi,
    life_insurance_surrender,
    construction_cash_payroll,
    ocse_livestream_payer,
    cannabis_hemp_front,
    npo_diversion,
]
BENIGN: list[Callable[[GenF], None]] = [
    jewelry_store,
    investment_club,
    used_car_dealer,
    storm_roofer,
    immigration_bond_family_pool,
    virtual_assistants_abroad,
    annuity_free_look_refund,
]


def generate(seed: int, url: str) -> Gen:
    """Plan set f's cases of `seed` for the bank at `url` (nothing is posted)."""
    return scenarios_c.plan(GenF(seed), PREFIX, url, LAUNDERING, BENIGN)


def post_all(g: Gen, url: str) -> dict[str, Any]:
    """Register the customers, open their accounts and post every event in time order (set c's posting:
    outflows sized down to the funds there). Returns the number posted, a line per refused posting and how
    many planned postings were skipped (nothing there to move)."""
    return scenarios_c.post_all(g, url)
