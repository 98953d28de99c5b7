"""How well the compliance marts find what the simulator injected: recall per laundering family, benign
look-alikes flagged, precision of the alerts and alert volume, from the simulator's ground truth
(`sim.labels`, `sim.label_entries`) and the alerts of one build: those analysts work, one per scheme
(`fct_aml_alerts` not held by another alert; the rule marts' alerts are counted too).

A labelled case is found when at least one alert (any rule: an analyst opening the alert sees the case)
names at least one of its ledger references; a look-alike is flagged the same way. An alert is a true
positive when it names a reference of a laundering case. Every labelled case is scored; those the
simulator could not post whole (`sim.labels.complete` false: a return after the run's end, a card the
tester could not charge) are also counted apart, with the rate on whole cases, so that a miss the
simulator explains is told from a miss of the rules. Used by `python -m bench.aml` and the tests.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import psycopg

# The alerts analysts work: one per scheme (an alert another holds is that one's evidence)
_ALERTS = "SELECT rule, family, customer_ref, reference_ids FROM analytics.fct_aml_alerts WHERE subsumed_by IS NULL"
_RULE_ALERTS = "SELECT count(*) FROM analytics.fct_aml_alerts"
_CASES = """
SELECT l.label_id, coalesce(l.family, l.typology), l.is_benign, l.complete, array_agg(e.reference_id)
  FROM sim.labels AS l JOIN sim.label_entries AS e USING (label_id)
 GROUP BY l.label_id, coalesce(l.family, l.typology), l.is_benign, l.complete
"""

# The rules written for each laundering typology of the simulator (and of the tests' cases): an alert of
# one of them is the typology recognised as itself; an alert of another rule (a mule's fan-in caught by the
# structuring rule) finds the case for an analyst but not for the reason the typology names.
TYPOLOGY_RULES: dict[str, frozenset[str]] = {
    family: frozenset(rules)
    for family, rules in {
        "structuring": ("STRUCTURING",),
        "cash_rapid_outflow": ("CASH_RAPID_OUTFLOW",),
        "smurfing": ("CROSS_CUSTOMER_AGGREGATION",),
        "money_mule": ("FUNNEL_ACCOUNT", "FAN_IN"),
        "fan_out": ("FAN_OUT",),
        "fan_in": ("FAN_IN",),
        "cycle": ("CYCLE",),
        "scatter_gather": ("SCATTER_GATHER", "CROSS_CUSTOMER_AGGREGATION"),
        "gather_scatter": ("FUNNEL_ACCOUNT", "FAN_IN", "FAN_OUT"),
        "bipartite": ("BIPARTITE",),
        "stack": ("BIPARTITE", "SCATTER_GATHER", "LAYERING_CHAIN"),
        "random": ("CYCLE", "LAYERING_CHAIN", "SCATTER_GATHER"),
        "layering_chain": ("LAYERING_CHAIN",),
        "dormant_reactivation": ("DORMANT_REACTIVATION",),
        "fx_round_trip": ("FX_ROUND_TRIP", "FX_LAYERING"),
        "round_tripping": ("ROUND_TRIP",),
        "card_testing": ("CARD_TESTING_ACCOUNT",),
        "card_testing_merchant": ("CARD_TESTING_MERCHANT",),
        "stored_value_burst": ("STORED_VALUE_BURST",),
        # (a thief scattering the balance to many mules at once is a fan-out)
        "account_takeover": ("OUTBOUND_TRANSFER_VELOCITY", "SUSTAINED_DRAIN", "FAN_OUT"),
        "watchlist_payment": ("SANCTIONS_SCREENING",),
        "kiting": ("KITING",),
        "ghost_payroll": ("GHOST_EMPLOYEE_PAYROLL",),
        "cash_front": ("CASH_FRONT_COMMINGLING",),
        "loan_diversion": ("LOAN_PROCEEDS_DIVERTED",),
        "export_control": ("EXPORT_CONTROL_TRANSSHIPMENT",),
        "tax_refunds": ("MULTIPLE_TAX_REFUNDS",),
        "prize_claims": ("FREQUENT_PRIZE_CLAIMS",),
        "private_atm": ("ATM_SETTLEMENTS_WITHOUT_CASH",),
        "embezzlement": ("EMPLOYER_PAYMENTS_BEYOND_PAY",),
        # (a loan or savings drawn in cash before travel, a bust-out)
        "receipt_cashed_out": ("RECEIPT_CASHED_OUT",),
    }.items()
}


@dataclass(frozen=True, slots=True)
class Alert:
    rule: str
    family: str
    customer_ref: str
    references: frozenset[str]


@dataclass(frozen=True, slots=True)
class Case:
    label_id: str
    family: str
    is_benign: bool
    references: frozenset[str]
    complete: bool = True


@dataclass(slots=True)
class FamilyScore:
    cases: int = 0
    found: int = 0
    rules: Counter[str] = field(default_factory=Counter)
    missed: list[str] = field(default_factory=list)
    # of `cases`, those the simulator could not post whole (`sim.labels.complete`), and how many were found
    unfinished: int = 0
    unfinished_found: int = 0

    @property
    def rate(self) -> float:
        return self.found / self.cases if self.cases else float("nan")

    @property
    def whole_rate(self) -> float:
        """The rate on the cases posted whole: misses the simulator explains (a trip whose return never
        came) apart from the rules'."""
        whole = self.cases - self.unfinished
        return (self.found - self.unfinished_found) / whole if whole else float("nan")


@dataclass(slots=True)
class Evaluation:
    customers: int
    days: int
    alerts: list[Alert]
    families: dict[str, FamilyScore]  # laundering families: found = recall
    lookalikes: dict[str, FamilyScore]  # benign look-alikes: found = flagged
    true_alerts: int
    rule_alerts: int = 0  # every rule mart's alerts, held ones included
    laundering_references: frozenset[str] = frozenset()
    lookalike_references: frozenset[str] = frozenset()

    @property
    def precision(self) -> float:
        return self.true_alerts / len(self.alerts) if self.alerts else float("nan")

    def _per_1000_customers_month(self, count: int) -> float:
        months = max(self.days, 1) / 30
        return count / max(self.customers, 1) * 1000 / months

    @property
    def alerts_per_1000_customers_month(self) -> float:
        return self._per_1000_customers_month(len(self.alerts))

    @property
    def false_alerts_per_1000_customers_month(self) -> float:
        """The analysts' wasted work: alerts on no laundering case."""
        return self._per_1000_customers_month(len(self.alerts) - self.true_alerts)

    @property
    def alerted_customers_per_1000_month(self) -> float:
        """Customers alerted (one case each per rule): several rules on one scheme are one customer."""
        return self._per_1000_customers_month(len({a.customer_ref for a in self.alerts}))

    @property
    def lookalikes_flagged(self) -> float:
        cases = sum(s.cases for s in self.lookalikes.values())
        return sum(s.found for s in self.lookalikes.values()) / cases if cases else float("nan")

    def summary(self) -> dict[str, Any]:
        return {
            "customers": self.customers,
            "days": self.days,
            "alerts": len(self.alerts),
            "alerts_per_1000_customers_per_month": round(self.alerts_per_1000_customers_month, 2),
            "rule_alerts": self.rule_alerts,
            "rule_alerts_per_1000_customers_per_month": round(self._per_1000_customers_month(self.rule_alerts), 2),
            "false_alerts_per_1000_customers_per_month": round(self.false_alerts_per_1000_customers_month, 2),
            "alerted_customers_per_1000_per_month": round(self.alerted_customers_per_1000_month, 2),
            "precision": round(self.precision, 4),
            "alerts_by_rule": {
                rule: {
                    "alerts": count,
                    "on_laundering": sum(
                        bool(a.references & self.laundering_references) for a in self.alerts if a.rule == rule
                    ),
                    "on_lookalikes": sum(
                        bool(a.references & self.lookalike_references) for a in self.alerts if a.rule == rule
                    ),
                }
                for rule, count in sorted(Counter(a.rule for a in self.alerts).items())
            },
            "recall_by_family": {
                name: {
                    "cases": s.cases,
                    "found": s.found,
                    "recall": round(s.rate, 4),
                    "rules": dict(s.rules),
                    "not_posted_whole": s.unfinished,
                    "not_posted_whole_found": s.unfinished_found,
                    # None: every case of the family was cut short (nothing to judge the rules on)
                    "recall_on_whole_cases": None if math.isnan(s.whole_rate) else round(s.whole_rate, 4),
                }
                for name, s in sorted(self.families.items())
            },
            "lookalikes_flagged": round(self.lookalikes_flagged, 4),
            "lookalikes": {
                name: {"cases": s.cases, "flagged": s.found, "rate": round(s.rate, 4), "rules": dict(s.rules)}
                for name, s in sorted(self.lookalikes.items())
            },
        }


def evaluate(url: str) -> Evaluation:
    """Score the alert marts of the database at `url` against its simulator labels."""
    with psycopg.connect(url) as conn:
        alerts = [Alert(r, f, c, frozenset(refs)) for r, f, c, refs in conn.execute(_ALERTS)]
        cases = [Case(i, f, bool(b), frozenset(refs), bool(w)) for i, f, b, w, refs in conn.execute(_CASES)]
        customers = conn.execute("SELECT count(*) FROM ledger.customers").fetchone()
        days = conn.execute("SELECT days FROM sim.runs ORDER BY started_at DESC LIMIT 1").fetchone()
        rule_alerts = conn.execute(_RULE_ALERTS).fetchone()
    return score(
        alerts,
        cases,
        customers=int(customers[0]) if customers else 0,
        days=int(days[0]) if days else 0,
        rule_alerts=int(rule_alerts[0]) if rule_alerts else 0,
    )


def score(alerts: list[Alert], cases: list[Case], *, customers: int, days: int, rule_alerts: int) -> Evaluation:
    """Score alerts against labelled cases (see the module's docstring for what counts as found)."""
    by_reference: dict[str, list[Alert]] = defaultdict(list)
    for alert in alerts:
        for reference in alert.references:
            by_reference[reference].append(alert)
    families: dict[str, FamilyScore] = defaultdict(FamilyScore)
    lookalikes: dict[str, FamilyScore] = defaultdict(FamilyScore)
    laundering: set[str] = set()
    lookalike: set[str] = set()
    for case in cases:
        score = (lookalikes if case.is_benign else families)[case.family]
        if case.is_benign:
            lookalike |= case.references
        else:
            laundering |= case.references
        hits = {a.rule for reference in case.references for a in by_reference.get(reference, ())}
        score.cases += 1
        score.found += bool(hits)
        if not case.complete:
            score.unfinished += 1
            score.unfinished_found += bool(hits)
        score.rules.update(hits)
        if not hits:
            score.missed.append(case.label_id)
    true_alerts = sum(bool(a.references & laundering) for a in alerts)
    return Evaluation(
        customers=customers,
        days=days,
        alerts=alerts,
        families=dict(families),
        lookalikes=dict(lookalikes),
        true_alerts=true_alerts,
        rule_alerts=rule_alerts,
        laundering_references=frozenset(laundering),
        lookalike_references=frozenset(lookalike),
    )
