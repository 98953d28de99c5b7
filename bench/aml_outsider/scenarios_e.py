"""Set e of the outside tester's scenarios: a fifth independent set of laundering families and benign
look-alikes that sets a-d (`bench.aml_outsider.scenarios`, `scenarios_b`, `scenarios_c`, `scenarios_d`) do not
have, written from the public AML literature by a tester who did not read the project's detection logic, then
frozen (never changed because of what was or was not detected).

`generate(seed, url)` plans, for the bank at `url`, NEW customers (refs U<seed>-NNNN, never colliding with the
Q, R, S or T refs of sets a-d) with their accounts, ordinary background life (salary, rent, bills, card
spending, ATM cash; the trade of a business) and the postings of 9 laundering families (5 instances each) and
7 benign look-alike families (8 each); `post_all` registers them and posts it all through the public ledger
API. The plan and posting machinery is set d's (`GenD`, a subclass of set c's `GenC`: wires and ACH dated on a
weekend or bank holiday settle the next business day) and set c's (`check`, `post_all`): the
`ledger.movements` helpers and card `Transfer`s through `Ledger.post_many`; every outflow sized down at posting
time to the funds there, so nothing is refused for lack of funds. Every onboarding and posting falls in the
base bank's 90 days from `START`. `Gen.labels` maps each instance (`family#k`) to its family, class,
customers, accounts and shape, as in sets a-d. Every draw comes from one `random.Random(seed)` in a fixed
order (the base bank is read for its FX range and to make sure no customer of it already has a ref of this
seed).

Laundering families and their sources:
- healthcare_billing_fraud: HHS-OIG Special Fraud Alerts (telemedicine, durable medical equipment and
  genetic testing schemes) and the DOJ National Health Care Fraud Takedowns (2023, 2024); FinCEN SAR filing
  guidance on health care fraud: a newly formed supplier, lab or home-health agency with little trade is paid
  growing claim reimbursements by Medicare contractors and insurers, and within days pays "marketing" shells,
  kickbacks to patient recruiters by P2P, and cash.
- grandparent_scam_courier: FinCEN Advisory FIN-2022-A002 (elder financial exploitation) and the FBI IC3
  Elder Fraud Reports (2022, 2023): a young courier pays in large cash sums collected from elderly victims
  at branches of several cities, with P2P and wires from older people ("bail", "lawyer"), and sends it on
  abroad or to another mule within a day or two.
- sextortion_collector: FinCEN Notice on financially motivated sextortion (2025) and FBI / HSI public
  service announcements on financially motivated sextortion (2023, 2024): many small P2P payments from
  unrelated young people, mostly at night, some paying twice, forwarded within hours to West Africa or
  South-East Asia, to other mules, or taken in cash.
- illegal_gambling_agent: FATF "Vulnerabilities of Casinos and Gaming Sector" (2009) and UNODC "Casinos,
  Money Laundering, Underground Banking, and Transnational Organized Crime in East and Southeast Asia"
  (2024): an unlicensed betting agent collects P2P stakes from a circle of recurring players, pays some
  winnings back and settles the net weekly with an offshore operator.
- wildlife_trade_proceeds: FATF "Money Laundering and the Illegal Wildlife Trade" (2020) and "Money Laundering
  from Environmental Crime" (2021): a small import/export or handicraft business receives wires from Asian
  trading companies for "handicrafts", "seafood" or "herbal products" and sends it on to individuals in
  East and West Africa and in cash.
- art_dealer_layering: FATF "Money Laundering and Terrorist Financing in the Art and Antiquities Market"
  (2023) and the U.S. Senate PSI report "The Art Industry and U.S. Policies that Undermine Sanctions" (2020):
  an art advisory receives large round wires from offshore companies for "artwork" and passes most of it
  within days to other offshore companies, a little to auction houses and galleries.
- straw_car_export: FATF/Egmont "Trade-Based Money Laundering: Trends and Developments" (2020) and DOJ / CBP
  cases on bulk luxury-vehicle export by straw purchasers: a modest earner takes cash under the reporting
  threshold, P2P from several people and wires from foreign trading firms, and buys several luxury cars in
  weeks from different dealers.
- invoice_factoring_fraud: ACFE Fraud Examiners Manual (fictitious receivables) and the FFIEC BSA/AML
  Examination Manual (trade finance red flags): a young trucking or staffing company sells fictitious
  invoices to factors; each advance leaves within days to the owner's accounts elsewhere, a related company
  and cash, and a later factor's advance pays off an earlier one.
- sanctions_family_proxy: FinCEN Alerts FIN-2022-Alert001 (Russian sanctions evasion) and FIN-2022-Alert002
  (real estate, luxury goods and other high-value assets involving Russian elites, oligarchs and their
  family members): a relative with no income receives "loans", "gifts" and "consulting fees" from companies in
  Cyprus, the UAE, Turkey or the Caucasus and pays a property manager, private schools, yacht or aviation
  services, jewellers and another company abroad.

Benign look-alikes and the laundering red flag each mirrors:
- wedding_planner_deposits: many couples' deposits by ACH, P2P and wire in the spring booking season, paid on
  to venues, caterers, florists and photographers (fan-in then fan-out, pass-through).
- youth_league_treasurer: a volunteer treasurer collects registration fees by P2P from dozens of families,
  then pays the field rental, a uniform supplier and many referees (fan-in, smurfing, fan-out).
- translator_foreign_agencies: a freelance translator paid by wires from agencies in several countries,
  paying estimated tax and subscriptions (inflows from abroad, many counterparties).
- musician_tour_cash: a touring musician pays in merchandise and door cash at branches in several cities
  within weeks, receives venue settlements and pays the band by P2P (cash in many cities, courier-like).
- food_truck: daily card settlements and weekly cash deposits, a commissary, a food wholesaler, propane,
  permits and staff paid by P2P (cash intensive).
- care_home_family_pool: siblings send their share monthly to one of them, who pays the care home, the
  pharmacy and the parent's own account (funnel).
- ecommerce_seller_china: a small online shop with daily marketplace payouts wiring suppliers in China and
  Hong Kong and paying a freight forwarder and ads (trade-based, wires to China).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.aml_outsider import scenarios_c
from bench.aml_outsider.scenarios import BANKS_US, FIRST, LAST, START, Cust, Gen
from bench.aml_outsider.scenarios_b import business, light_life, person
from bench.aml_outsider.scenarios_c import LAST_DAY, clip, firm_abroad, living, local, night, someone_abroad, young
from bench.aml_outsider.scenarios_d import Relettered, after, at, firm, roundish, settled, us_party
from ledger import Counterparty

PREFIX = "U"  # customer refs U<seed>-NNNN (set a: Q, set b: R, set c: S, set d: T)
LAUNDERING_N = 5
BENIGN_N = 8

CLAIM_PAYERS = [
    ("NORIDIAN HEALTHCARE SOLUTIONS", "HCCLAIMPMT"),
    ("NOVITAS SOLUTIONS", "HCCLAIMPMT"),
    ("PALMETTO GBA", "HCCLAIMPMT"),
    ("CGS ADMINISTRATORS", "HCCLAIMPMT"),
    ("UNITEDHEALTHCARE", "HCCLAIMPMT"),
    ("AETNA CLAIMS", "HCCLAIMPMT"),
    ("HUMANA CLAIMS", "HCCLAIMPMT"),
]
MED_KINDS = [
    ("durable medical equipment supplier", "Medical Supply LLC"),
    ("clinical laboratory", "Diagnostics Lab LLC"),
    ("home health agency", "Home Health Services"),
    ("telehealth clinic", "Telehealth Group"),
    ("physical therapy clinic", "Rehab Center LLC"),
]
SCAM_MEMOS = ["bail", "lawyer", "for court", "attorney fee", "bond", "for grandson", None, None, None]
SEXT_MEMOS = ["pls", "sorry", "delete it", "done", "please stop", "🙏", "last one", None, None, None, None]
BET_MEMOS = ["🎰", "credits", "wk", "load", "🏀", "⚽", "pick", None, None, None]
WILD_GOODS = ["HANDICRAFTS", "DRIED SEAFOOD", "HERBAL PRODUCTS", "CARVINGS", "FURNITURE WOOD", "ORNAMENTS"]
AUCTION = ["Christie's Inc", "Sotheby's", "Phillips Auctioneers LLC", "Bonhams & Butterfields", "Heritage Auctions"]
CAR_DEALERS = [
    "Mercedes-Benz of Manhattan",
    "BMW of Houston North",
    "Range Rover Miami",
    "Lexus of Newark",
    "Porsche Chicago",
    "Cadillac of Dallas",
    "Toyota of Orlando",
    "Audi Atlanta",
]
FACTORS = ["Triumph Business Capital", "RTS Financial Service", "OTR Capital", "Riviera Finance", "eCapital Corp"]
PROXY_COUNTRIES = ["CY", "AE", "TR", "GE", "KZ", "CH", "MT"]
WEDDING_VENDORS = ["Rosewood Estate Venues", "Bella Florals", "Golden Fork Catering", "Lumen Photo Studio", "DJ Nights"]
SPORTS_VENDORS = ["Parks & Recreation Dept", "Eastbay Team Sales", "BSN Sports", "Rally Trophies"]
AGENCY_COUNTRIES = ["DE", "GB", "FR", "ES", "CA", "JP", "NL", "IT"]
AGENCIES = ["Lingua Partners", "Translingo", "Global Words", "Textra Services", "Alpha Language", "Lexicon Pro"]
TRUCK_SUPPLY = ["RESTAURANT DEPOT", "SYSCO", "COSTCO BUSINESS CTR", "AMERIGAS PROPANE", "CHEF'STORE"]
CARE_HOMES = ["Brookdale Senior Living", "Sunrise Senior Living", "Atria Senior Living", "Sunrise of Bellevue"]
SUPPLIERS_CN = ["Shenzhen Huaxin Electronics Co Ltd", "Yiwu Hengda Trading Co Ltd", "Guangzhou Lirong Textile Co Ltd"]
MARKETPLACES = [
    ("Stripe Payments", "STRIPE TRANSFER"),
    ("Shopify Payments", "SHOPIFY PAYOUT"),
    ("Amazon", "AMAZON.COM"),
]


class GenE(Relettered):
    """Set d's plan (set c's, wires and ACH on business days) with refs U<seed>-NNNN and reference ids
    u<seed>:..."""

    letter = PREFIX


# =================================================================================================
# helpers
# =================================================================================================
def stranger(g: GenE) -> Counterparty:
    """A person at another US bank."""
    return us_party(g, f"{g.rng.choice(FIRST)} {g.rng.choice(LAST)}")


def biz_name(g: GenE, kind: str) -> str:
    return f"{g.rng.choice(LAST)} {kind}"


def adult(g: GenE, onboard: int, salary: tuple[float, float] = (2500, 6500), **kw: Any) -> Cust:
    r = g.rng
    return person(g, "RETAIL", g.occupation("retail"), onboard, LAST_DAY + 1, r.uniform(*salary), **kw)


# =================================================================================================
# laundering families
# =================================================================================================
def healthcare_billing_fraud(g: GenE) -> None:
    r = g.rng
    o = r.randint(0, 35)
    occ, kind = r.choice(MED_KINDS)
    c = business(g, occ, o, r.uniform(4000, 15000), biz_name(g, kind), processor=False)
    acct = c.accounts["USD"]
    payers = r.sample(CLAIM_PAYERS, r.randint(1, 3))
    shells = [firm(g, biz_name(g, r.choice(["Marketing LLC", "Management Group", "Billing Services"])), "US")]
    if r.random() < 0.5:
        shells.append(firm_abroad(g, r.choice(["CY", "AE", "HK", "PA"])))
    recruiters = [stranger(g) for _ in range(r.randint(2, 6))]
    d = o + r.randint(8, 20)
    amt = r.uniform(6000, 30000)
    n = 0
    while d < LAST_DAY - 3:
        name, desc = r.choice(payers)
        when = settled(g, d, 5, 8)
        g.ach_in(acct, amt, when, Counterparty(name, None, r.choice(BANKS_US), "US"), desc)
        n += 1
        t = after(g, when, 6, 72)
        for s in r.sample(shells, r.randint(1, len(shells))):
            g.sweep(
                r.choice(["wire", "ach"]), acct, r.uniform(0.3, 0.6), t, s, r.choice(["MARKETING", "MGMT FEE", None])
            )
        for rc in r.sample(recruiters, r.randint(1, len(recruiters))):
            g.p2p_out(acct, amt * r.uniform(0.03, 0.09), after(g, t, 1, 30), rc, r.choice(["referrals", "leads", None]))
        if r.random() < 0.6:
            g.cash_out(acct, roundish(g, amt * r.uniform(0.05, 0.15), 1.0), after(g, t, 2, 40), g.branch())
        amt *= r.uniform(1.05, 1.6)
        d += r.choice([3, 5, 7, 7, 14])
    g.label("healthcare_billing_fraud", "laundering", [c], {"kind": occ, "claims": n, "shells": len(shells)})


def grandparent_scam_courier(g: GenE) -> None:
    r = g.rng
    o = r.randint(0, 50)
    c = young(g, o, LAST_DAY + 1)
    acct = c.accounts["USD"]
    d0 = o + r.randint(5, 20)
    span = r.randint(8, min(30, LAST_DAY - d0 - 2))
    dest = r.choice(["DO", "JM", "CA", "IN", "MX"])
    boss = someone_abroad(g, dest)
    other = stranger(g)
    cities = r.sample(["NYC", "CHICAGO", "HOUSTON", "DENVER", "MIAMI", "ATLANTA", "DALLAS", "BOSTON", "PHOENIX"], 4)
    n = r.randint(4, 11)
    for _ in range(n):
        d = d0 + r.randint(0, span)
        when = at(g, d, 10, 16)
        if r.random() < 0.65:
            g.cash_in(
                acct, roundish(g, r.uniform(3000, 14000), 0.7), when, f"BR-{r.choice(cities)}-{r.randint(1, 60):03d}"
            )
        elif r.random() < 0.5:
            g.p2p_in(acct, roundish(g, r.uniform(800, 5000), 0.6), when, stranger(g), r.choice(SCAM_MEMOS))
        else:
            g.wire_in(acct, roundish(g, r.uniform(5000, 25000), 0.8), settled(g, d), stranger(g), r.choice(SCAM_MEMOS))
        t = after(g, when, 3, 40)
        how = r.random()
        if how < 0.5:
            g.sweep("wire", acct, r.uniform(0.7, 0.95), settled(g, (t - START).days), boss)
        elif how < 0.8:
            g.sweep("p2p", acct, r.uniform(0.6, 0.9), t, other)
        else:
            g.cash_out(acct, roundish(g, r.uniform(1000, 5000), 1.0), t, g.branch())
    g.label("grandparent_scam_courier", "laundering", [c], {"payments_in": n, "dest": dest, "days": span})


def sextortion_collector(g: GenE) -> None:
    r = g.rng
    o = r.randint(0, 55)
    c = young(g, o, LAST_DAY + 1)
    acct = c.accounts["USD"]
    d0 = o + r.randint(4, 15)
    d1 = min(LAST_DAY - 1, d0 + r.randint(7, 30))
    dest = r.choice(["NG", "PH", "GH", "CI", "KE"])
    boss = someone_abroad(g, dest, local(g, dest))
    mates = [stranger(g) for _ in range(r.randint(1, 3))]
    n = r.randint(10, 40)
    for _ in range(n):
        when = clip(night(g, r.randint(d0, d1)))
        amt = r.choice([50, 100, 150, 200, 250, 300, 500, 800]) * r.choice([1, 1, 1, 1.0 + r.random() * 0.1])
        g.p2p_in(acct, round(amt, 2), when, stranger(g), r.choice(SEXT_MEMOS))
        if r.random() < 0.15:
            g.p2p_in(acct, r.choice([100, 200, 300]), after(g, when, 0.5, 20), stranger(g), r.choice(SEXT_MEMOS))
        if r.random() < 0.35:
            route = r.random()
            t = after(g, when, 0.5, 10)
            if route < 0.5:
                g.sweep("wire", acct, r.uniform(0.6, 0.95), t, boss, r.choice(["family support", None]))
            elif route < 0.8:
                g.sweep("p2p", acct, r.uniform(0.5, 0.9), t, r.choice(mates))
            else:
                g.cash_out(acct, r.choice([200, 300, 400, 500]), t)
    g.label("sextortion_collector", "laundering", [c], {"payments_in": n, "dest": dest})


def illegal_gambling_agent(g: GenE) -> None:
    r = g.rng
    o = r.randint(0, 30)
    c = adult(g, o, (2000, 5000))
    acct = c.accounts["USD"]
    country = r.choice(["PH", "MT", "CY", "HK", "PA"])
    operator = firm_abroad(g, country)
    players = [stranger(g) for _ in range(r.randint(8, 25))]
    week = o + r.randint(3, 10)
    weeks = 0
    while week < LAST_DAY - 6:
        for p in players:
            if r.random() < 0.55:
                amt = roundish(g, r.uniform(40, 1500), 0.7)
                g.p2p_in(acct, amt, clip(night(g, week + r.randint(0, 5))), p, r.choice(BET_MEMOS))
        for p in r.sample(players, r.randint(1, max(1, len(players) // 4))):
            g.p2p_out(acct, roundish(g, r.uniform(100, 2500), 0.8), at(g, week + 6, 10, 22), p, r.choice(["W", None]))
        if r.random() < 0.85:
            g.sweep("wire", acct, r.uniform(0.5, 0.85), settled(g, week + 6), operator, r.choice(["SETTLEMENT", None]))
        weeks += 1
        week += 7
    g.label("illegal_gambling_agent", "laundering", [c], {"players": len(players), "weeks": weeks, "to": country})


def wildlife_trade_proceeds(g: GenE) -> None:
    r = g.rng
    o = r.randint(0, 35)
    c = business(g, "import/export", o, r.uniform(3000, 12000), biz_name(g, "Trading Co"), processor=False)
    acct = c.accounts["USD"]
    buyers = [firm_abroad(g, r.choice(["HK", "VN", "CN", "MY", "TH"])) for _ in range(r.randint(1, 3))]
    src = r.sample(["KE", "TZ", "UG", "NG", "ZA"], r.randint(1, 3))
    people = [someone_abroad(g, k) for k in src for _ in range(r.randint(1, 3))]
    d = o + r.randint(5, 20)
    n = 0
    while d < LAST_DAY - 4 and n < r.randint(3, 8):
        when = settled(g, d)
        amt = roundish(g, r.uniform(12000, 120000), 0.5)
        g.wire_in(acct, amt, when, r.choice(buyers), r.choice(WILD_GOODS) if r.random() < 0.7 else None)
        n += 1
        for p in r.sample(people, r.randint(1, len(people))):
            g.out_upto("wire", acct, amt * r.uniform(0.1, 0.35), 0.9, settled(g, d + r.randint(1, 4)), p)
        if r.random() < 0.7:
            g.cash_out(acct, roundish(g, amt * r.uniform(0.05, 0.2), 1.0), after(g, when, 20, 90), g.branch())
        d += r.randint(6, 20)
    g.label("wildlife_trade_proceeds", "laundering", [c], {"wires_in": n, "to": src})


def art_dealer_layering(g: GenE) -> None:
    r = g.rng
    o = r.randint(0, 40)
    kind = r.choice(["Fine Art LLC", "Art Advisory LLC", "Gallery Inc", "Collection Partners"])
    c = business(g, "art dealer", o, r.uniform(5000, 25000), biz_name(g, kind), processor=r.random() < 0.5)
    acct = c.accounts["USD"]
    origins = [firm_abroad(g, k) for k in r.sample(["VG", "CY", "HK", "AE", "CH", "PA", "SC"], r.randint(1, 3))]
    onward = [firm_abroad(g, k) for k in r.sample(["CH", "LV", "AE", "SG", "HK", "BZ"], r.randint(1, 3))]
    d = o + r.randint(6, 25)
    n = 0
    for _ in range(r.randint(2, 5)):
        if d >= LAST_DAY - 4:
            break
        when = settled(g, d)
        amt = roundish(g, r.uniform(80000, 900000), 0.8)
        g.wire_in(acct, amt, when, r.choice(origins), r.choice(["PURCHASE OF ARTWORK", "CONSIGNMENT", "INV ART", None]))
        n += 1
        t = settled(g, d + r.randint(1, 5))
        g.out_upto("wire", acct, amt * r.uniform(0.05, 0.2), 0.3, t, us_party(g, r.choice(AUCTION)), "LOT PAYMENT")
        g.sweep("wire", acct, r.uniform(0.6, 0.9), after(g, t, 1, 30), r.choice(onward), r.choice(["ADVANCE", None]))
        d += r.randint(7, 25)
    g.label("art_dealer_layering", "laundering", [c], {"wires_in": n, "origins": len(origins)})


def straw_car_export(g: GenE) -> None:
    r = g.rng
    o = r.randint(0, 40)
    c = adult(g, o, (2200, 4500))
    acct = c.accounts["USD"]
    exporter = firm_abroad(g, r.choice(["AE", "HK", "CN", "NG", "GH"]))
    friends_p = [stranger(g) for _ in range(r.randint(2, 6))]
    d = o + r.randint(5, 15)
    cars = 0
    while d < LAST_DAY - 6 and cars < r.randint(2, 5):
        for _ in range(r.randint(2, 5)):
            g.cash_in(acct, round(r.uniform(7000, 9900), -1), at(g, d + r.randint(0, 4), 9, 16), g.branch())
        for p in r.sample(friends_p, r.randint(1, len(friends_p))):
            g.p2p_in(acct, roundish(g, r.uniform(1500, 9000), 0.6), at(g, d + r.randint(0, 4), 8, 22), p)
        if r.random() < 0.7:
            desc = r.choice(["VEHICLE", "CAR PURCHASE", "PAYMENT", None])
            g.wire_in(acct, roundish(g, r.uniform(20000, 90000), 0.7), settled(g, d + r.randint(0, 3)), exporter, desc)
        price = r.uniform(55000, 160000)
        dealer = us_party(g, r.choice(CAR_DEALERS))
        g.out_upto("wire", acct, price, 0.97, settled(g, d + r.randint(5, 6)), dealer, "VEHICLE PURCHASE")
        cars += 1
        d += r.randint(7, 16)
    g.label("straw_car_export", "laundering", [c], {"cars": cars, "helpers": len(friends_p)})


def invoice_factoring_fraud(g: GenE) -> None:
    r = g.rng
    o = r.randint(0, 35)
    kind = r.choice(
        [("trucking", "Freight LLC"), ("staffing agency", "Staffing Solutions"), ("logistics", "Logistics")]
    )
    c = business(g, kind[0], o, r.uniform(6000, 20000), biz_name(g, kind[1]), processor=False)
    acct = c.accounts["USD"]
    factors = r.sample(FACTORS, r.randint(2, 3))
    owner = us_party(g, g.person_name())
    related = firm(g, biz_name(g, r.choice(["Leasing LLC", "Holdings LLC", "Equipment Inc"])), "US")
    d = o + r.randint(10, 25)
    n = 0
    prev: str | None = None
    for f in factors:
        if d >= LAST_DAY - 5:
            break
        cp = us_party(g, f)
        amt = roundish(g, r.uniform(25000, 180000), 0.3)
        when = settled(g, d, 6, 9)
        g.ach_in(acct, amt, when, cp, "FACTORING ADVANCE")
        n += 1
        if prev is not None:
            g.out_upto(
                "ach", acct, amt * r.uniform(0.3, 0.6), 0.7, after(g, when, 2, 20), us_party(g, prev), "REPURCHASE"
            )
        g.sweep("ach", acct, r.uniform(0.3, 0.5), settled(g, d + r.randint(1, 3)), owner, "TRANSFER")
        g.sweep("wire", acct, r.uniform(0.3, 0.6), settled(g, d + r.randint(1, 4)), related, "EQUIPMENT LEASE")
        if r.random() < 0.5:
            g.cash_out(acct, roundish(g, r.uniform(2000, 9000), 1.0), at(g, d + r.randint(1, 3)), g.branch())
        prev = f
        d += r.randint(10, 25)
    g.label("invoice_factoring_fraud", "laundering", [c], {"advances": n, "kind": kind[0]})


def sanctions_family_proxy(g: GenE) -> None:
    r = g.rng
    o = r.randint(0, 35)
    origin = r.choice(["RU", "KZ", "GE", "CY", "AE"])
    c = g.customer(
        "RETAIL", r.choice(["student", "homemaker", "none", "self-employed"]), onboarded_day=o, risk="MEDIUM"
    )
    acct = c.accounts["USD"]
    light_life(g, acct, o + 1, LAST_DAY + 1, 0.5)
    senders = [firm_abroad(g, k) for k in r.sample(PROXY_COUNTRIES, r.randint(1, 3))]
    d = o + r.randint(3, 12)
    n = 0
    while d < LAST_DAY - 4 and n < r.randint(2, 5):
        amt = roundish(g, r.uniform(40000, 400000), 0.85)
        when = settled(g, d)
        g.wire_in(acct, amt, when, r.choice(senders), r.choice(["LOAN AGREEMENT", "GIFT", "CONSULTING FEE", None]))
        n += 1
        pays = [
            ("ach", us_party(g, biz_name(g, "Property Management")), "HOA / MGMT FEE", 0.1),
            (
                "wire",
                us_party(g, r.choice(["The Dalton School", "Phillips Exeter Academy", "Choate Rosemary Hall"])),
                "TUITION",
                0.15,
            ),
            ("wire", us_party(g, r.choice(["Fraser Yachts", "NetJets Services", "Burgess Yachts"])), None, 0.2),
            ("wire", firm_abroad(g, r.choice(["AE", "TR", "HK", "CH"])), "INVOICE", 0.4),
        ]
        for how, cp, desc, share in r.sample(pays, r.randint(2, 4)):
            g.sweep(how, acct, share * r.uniform(0.7, 1.3), settled(g, d + r.randint(1, 8)), cp, desc)
        if r.random() < 0.6:
            g.spend_at(
                acct,
                r.uniform(5000, 40000),
                at(g, d + r.randint(1, 6)),
                r.choice(["CARTIER", "TIFFANY & CO", "ROLEX BOUTIQUE"]),
            )
        d += r.randint(8, 25)
    g.label("sanctions_family_proxy", "laundering", [c], {"wires_in": n, "origin": origin, "senders": len(senders)})


# =================================================================================================
# benign look-alikes
# =================================================================================================
def wedding_planner_deposits(g: GenE) -> None:
    r = g.rng
    o = r.randint(0, 20)
    c = business(
        g, "wedding planner", o, r.uniform(3000, 9000), biz_name(g, "Events & Weddings"), processor=r.random() < 0.5
    )
    acct = c.accounts["USD"]
    couples = r.randint(6, 25)
    for _ in range(couples):
        d = r.randint(o + 2, LAST_DAY - 3)
        who = stranger(g)
        amt = roundish(g, r.uniform(800, 9000), 0.7)
        how = r.random()
        memo = r.choice(["WEDDING DEPOSIT", "RETAINER", "deposit - June wedding", None])
        if how < 0.4:
            g.ach_in(acct, amt, settled(g, d), who, memo)
        elif how < 0.75:
            g.p2p_in(acct, amt, at(g, d, 8, 22), who, memo)
        else:
            g.wire_in(acct, amt, settled(g, d), who, memo)
        for v in r.sample(WEDDING_VENDORS, r.randint(1, 3)):
            g.out_upto(
                "ach",
                acct,
                amt * r.uniform(0.15, 0.4),
                0.6,
                settled(g, d + r.randint(2, 10)),
                us_party(g, v),
                "VENDOR DEPOSIT",
            )
    g.label("wedding_planner_deposits", "benign", [c], {"couples": couples})


def youth_league_treasurer(g: GenE) -> None:
    r = g.rng
    o = r.randint(0, 25)
    c = adult(g, o)
    acct = c.accounts["USD"]
    d0 = o + r.randint(3, 20)
    fee = r.choice([85, 95, 120, 150, 175, 225, 250])
    fams = r.randint(25, 90)
    for _ in range(fams):
        g.p2p_in(
            acct,
            fee * r.choice([1, 1, 1, 2]),
            at(g, d0 + r.randint(0, 14), 7, 22),
            stranger(g),
            r.choice(["reg", "spring season", "registration", None]),
        )
    for v in r.sample(SPORTS_VENDORS, r.randint(2, 4)):
        g.out_upto(
            "ach",
            acct,
            fee * fams * r.uniform(0.1, 0.3),
            0.5,
            settled(g, d0 + r.randint(15, 30)),
            us_party(g, v),
            "LEAGUE",
        )
    for _ in range(r.randint(6, 20)):
        g.p2p_out(
            acct,
            r.choice([40, 50, 60, 75]),
            at(g, d0 + r.randint(20, min(60, LAST_DAY - d0)), 12, 20),
            stranger(g),
            "ref",
        )
    g.label("youth_league_treasurer", "benign", [c], {"families": fams, "fee": fee})


def translator_foreign_agencies(g: GenE) -> None:
    r = g.rng
    o = r.randint(0, 25)
    c = g.customer("RETAIL", "translator", onboarded_day=o)
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(1500, 6000), o + 1)
    living(g, acct, o + 2, LAST_DAY + 1, r.uniform(2500, 5000))
    agencies = [
        firm(g, f"{r.choice(AGENCIES)} {r.choice(['GmbH', 'Ltd', 'SARL', 'SL', 'Inc', 'KK'])}", k)
        for k in r.sample(AGENCY_COUNTRIES, r.randint(3, 8))
    ]
    n = 0
    for a in agencies:
        d = o + r.randint(3, 30)
        while d < LAST_DAY:
            g.wire_in(
                acct,
                round(r.uniform(250, 3800), 2),
                settled(g, d),
                a,
                r.choice(["INVOICE", "TRANSLATION SERVICES", None]),
            )
            n += 1
            d += r.choice([14, 30, 30, 45])
    if r.random() < 0.7:
        g.out_upto(
            "ach",
            acct,
            r.uniform(1200, 4000),
            0.4,
            settled(g, max(14, o + 3)),
            Counterparty("IRS USATAXPYMT", None, "US Treasury", "US"),
            "ESTIMATED TAX",
        )
    for d in range(o + 3, LAST_DAY, 30):
        g.spend(acct, r.choice([29.0, 45.0, 60.0]), at(g, d), r.choice(["TRADOS SUBSCRIPTION", "MEMOQ", "PROZ.COM"]))
    g.label("translator_foreign_agencies", "benign", [c], {"agencies": len(agencies), "payments": n})


def musician_tour_cash(g: GenE) -> None:
    r = g.rng
    o = r.randint(0, 30)
    c = person(g, "RETAIL", "musician", o, LAST_DAY + 1, r.uniform(1500, 3500), opening=(500, 3000))
    acct = c.accounts["USD"]
    d0 = o + r.randint(5, 25)
    shows = r.randint(5, min(18, LAST_DAY - d0 - 2))
    cities = ["NYC", "CHICAGO", "HOUSTON", "DENVER", "MIAMI", "ATLANTA", "DALLAS", "NEWARK", "BOSTON", "PHOENIX"]
    band = [stranger(g) for _ in range(r.randint(1, 4))]
    d = d0
    for _ in range(shows):
        city = r.choice(cities)
        if r.random() < 0.7:
            g.cash_in(acct, round(r.uniform(150, 2500), -1), at(g, d + 1, 9, 15), f"BR-{city}-{r.randint(1, 60):03d}")
        if r.random() < 0.6:
            g.ach_in(
                acct,
                roundish(g, r.uniform(300, 4000), 0.5),
                settled(g, d + r.randint(3, 10)),
                us_party(g, f"{r.choice(LAST)} Music Hall"),
                "SHOW SETTLEMENT",
            )
        g.spend(acct, r.uniform(60, 180), at(g, d, 20, 23), r.choice(["MOTEL 6", "LA QUINTA INN", "HAMPTON INN"]))
        d += r.randint(1, 3)
        if d >= LAST_DAY - 2:
            break
    for b in band:
        g.p2p_out(
            acct,
            roundish(g, r.uniform(300, 1500), 0.6),
            at(g, min(d + 1, LAST_DAY)),
            b,
            r.choice(["tour split", "gigs", None]),
        )
    g.label("musician_tour_cash", "benign", [c], {"shows": shows, "band": len(band)})


def food_truck(g: GenE) -> None:
    r = g.rng
    o = r.randint(0, 20)
    c = g.customer(
        "SMALL_BUSINESS",
        "food truck",
        onboarded_day=o,
        name=biz_name(g, r.choice(["Tacos", "BBQ Truck", "Street Eats"])),
    )
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(2000, 8000), o + 1)
    proc = us_party(g, r.choice(["Square Inc", "Toast Inc", "Clover Network"]))
    staff = [stranger(g) for _ in range(r.randint(1, 3))]
    daily = r.uniform(300, 1500)
    for d in range(o + 2, LAST_DAY + 1):
        if r.random() < 0.75:
            g.ach_in(acct, daily * r.uniform(0.4, 1.6), settled(g, d, 4, 7), proc, "DEPOSIT")
        if (d - o) % 7 == 0:
            g.cash_in(acct, round(daily * r.uniform(1, 3), -1), at(g, d, 9, 15), g.branch())
            for s in staff:
                g.p2p_out(
                    acct, roundish(g, r.uniform(350, 900), 0.5), at(g, d, 17, 21), s, r.choice(["wages", "week", None])
                )
        if r.random() < 0.3:
            g.spend(acct, r.uniform(80, 900), at(g, d, 6, 10), r.choice(TRUCK_SUPPLY))
    for m in range(o // 30 + 1, LAST_DAY // 30 + 1):
        g.ach_out(
            acct, r.uniform(600, 1500), settled(g, m * 30 + 1), us_party(g, biz_name(g, "Commissary Kitchen")), "RENT"
        )
    g.label("food_truck", "benign", [c], {"staff": len(staff), "daily": round(daily)})


def care_home_family_pool(g: GenE) -> None:
    r = g.rng
    o = r.randint(0, 15)
    c = adult(g, o, (4000, 9000))
    acct = c.accounts["USD"]
    sibs = [stranger(g) for _ in range(r.randint(2, 5))]
    home = us_party(g, r.choice(CARE_HOMES))
    parent = us_party(g, f"{r.choice(FIRST)} {c.name.split(' ')[-1]}")
    monthly = r.uniform(5000, 11000)
    for m in range(3):
        d = m * 30 + r.randint(0, 5)
        if d <= o + 1:
            continue
        for s in sibs:
            amt = roundish(g, monthly / (len(sibs) + 1) * r.uniform(0.8, 1.2), 0.8)
            if r.random() < 0.5:
                g.p2p_in(
                    acct, amt, at(g, d + r.randint(0, 3), 8, 22), s, r.choice(["mom", "care home", "dad's share", None])
                )
            else:
                g.ach_in(acct, amt, settled(g, d + r.randint(0, 3)), s, "TRANSFER")
        g.out_upto("ach", acct, monthly, 0.95, settled(g, d + 5), home, "MONTHLY RESIDENT FEE")
        g.spend(acct, r.uniform(30, 250), at(g, d + r.randint(6, 20)), "CVS PHARMACY")
        if r.random() < 0.5:
            g.p2p_out(acct, r.choice([100, 200, 300]), at(g, d + r.randint(6, 20)), parent, "spending money")
    g.label("care_home_family_pool", "benign", [c], {"siblings": len(sibs), "monthly": round(monthly)})


def ecommerce_seller_china(g: GenE) -> None:
    r = g.rng
    o = r.randint(0, 20)
    c = g.customer(
        "SMALL_BUSINESS",
        "online retail",
        onboarded_day=o,
        name=biz_name(g, r.choice(["Goods LLC", "Home Store", "Supply Co"])),
    )
    acct = c.accounts["USD"]
    g.opening(c, acct, r.uniform(5000, 20000), o + 1)
    name, desc = r.choice(MARKETPLACES)
    mkt = us_party(g, name)
    daily = r.uniform(200, 2500)
    for d in range(o + 2, LAST_DAY + 1):
        if r.random() < 0.8:
            g.ach_in(acct, daily * r.uniform(0.5, 1.5), settled(g, d, 3, 7), mkt, desc)
        if r.random() < 0.5:
            g.spend(acct, daily * r.uniform(0.05, 0.2), at(g, d), r.choice(["FACEBK *ADS", "GOOGLE *ADS"]))
    sups = [firm(g, s, "CN") for s in r.sample(SUPPLIERS_CN, r.randint(1, 3))]
    if r.random() < 0.5:
        sups.append(firm_abroad(g, "HK"))
    d = o + r.randint(3, 15)
    n = 0
    while d < LAST_DAY - 2:
        g.out_upto(
            "wire",
            acct,
            daily * r.uniform(8, 20),
            0.7,
            settled(g, d),
            r.choice(sups),
            r.choice(["PO", "INVOICE", "GOODS", None]),
        )
        g.out_upto(
            "ach", acct, daily * r.uniform(1, 3), 0.3, settled(g, d + 14), us_party(g, "Flexport Inc"), "FREIGHT"
        )
        n += 1
        d += r.randint(14, 35)
    g.label("ecommerce_seller_china", "benign", [c], {"supplier_wires": n, "daily": round(daily)})


LAUNDERING: list[Callable[[GenE], None]] = [
    healthcare_billing_fraud,
    grandparent_scam_courier,
    sextortion_collector,
    illegal_gambling_agent,
    wildlife_trade_proceeds,
    art_dealer_layering,
    straw_car_export,
    invoice_factoring_fraud,
    sanctions_family_proxy,
]
BENIGN: list[Callable[[GenE], None]] = [
    wedding_planner_deposits,
    youth_league_treasurer,
    translator_foreign_agencies,
    musician_tour_cash,
    food_truck,
    care_home_family_pool,
    ecommerce_seller_china,
]


def generate(seed: int, url: str) -> Gen:
    """Plan set e's cases of `seed` for the bank at `url` (nothing is posted)."""
    return scenarios_c.plan(GenE(seed), PREFIX, url, LAUNDERING, BENIGN)


def post_all(g: Gen, url: str) -> dict[str, Any]:
    """Register the customers, open their accounts and post every event in time order (set c's posting:
    outflows sized down to the funds there). Returns the number posted, a line per refused posting and how
    many planned postings were skipped (nothing there to move)."""
    return scenarios_c.post_all(g, url)
