"""The decision engine: what happens to a proposed transfer, and why, from facts already gathered.

Pure (no I/O, no HTTP): the caller brings the transfer's features and context, the watch-list matches of
its payee and the model's probability with its per-feature effects. The decision is the most severe of
what each step says, the steps taken in this documented order (every step that fires is recorded, not
only the first):

1. Watch list: the payee's name screened by `features.screening` (the same matcher as the nightly
   marts). A score from `block_score` (exact or near-exact: a listed spelling after normalisation, one
   typo, reordered words) blocks; from `review_score` (a spelling variant, a transliteration) holds
   for review.
2. Open case: an account under an open case has every further transfer held until the case is worked.
3. Limits per customer segment: one transfer over the segment's single-transfer limit, or the last
   24 hours' outgoing USD with this transfer over its daily limit, is held.
4. Draining to a new payee: with the last hour's payments, this transfer takes at least
   `drain_share` of what the account held, to a payee first paid less than `new_payee_days` ago (or
   never): held.
5. A run of new payees: a new payee (as in 4) when the account already paid `run_payees` different
   parties by transfer in the last 24 hours and, with the last hour's payments, `run_share` of the balance
   leaves: held. An account taken over is emptied in a few transfers to fresh payees, each too small to
   drain it alone.
6. Burst: at least the segment's `burst_count` payments out in the last 10 minutes before this one:
   held.
   Neither 5 nor 6 applies on a channel the segment pays in batches (a small business's ACH: payroll
   and suppliers, many new payees at once on the first run).
7. The model: its probability against the review and block thresholds chosen at training.

Reasons: every rule that fired in words, and of the model's per-feature effects only those that raise
the risk by at least `min_reason_effect` (an effect of 0.00001 explains nothing), largest first, each
with its value in words ("new payee, first seen 2 minutes ago").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from features.online import TransferContext
from features.reasons import describe, duration
from features.screening import DEFAULT_THRESHOLD, STRONG_THRESHOLD, Match, Screener
from models.risk.scorer import RiskScorer

Outcome = Literal["approve", "review", "block"]
SEVERITY: dict[str, int] = {"approve": 0, "review": 1, "block": 2}


@dataclass(frozen=True, slots=True)
class SegmentLimits:
    """What one customer segment may send without a person looking (USD) and its burst size."""

    single_usd: float
    daily_usd: float
    burst_count: int  # payments out in the last 10 minutes before a transfer that make a burst
    # channels the segment pays in batches (a business's payroll and suppliers by ACH): many payments to
    # many payees at once is its trade there, not a burst or a run of new payees
    batch_channels: frozenset[str] = frozenset()


# People send a few payments a day; a small business pays suppliers and payroll in batches.
DEFAULT_LIMITS: dict[str, SegmentLimits] = {
    "RETAIL": SegmentLimits(single_usd=10_000, daily_usd=25_000, burst_count=5),
    "STUDENT": SegmentLimits(single_usd=3_000, daily_usd=5_000, burst_count=5),
    "PREMIUM": SegmentLimits(single_usd=50_000, daily_usd=100_000, burst_count=8),
    "SMALL_BUSINESS": SegmentLimits(
        single_usd=100_000, daily_usd=250_000, burst_count=25, batch_channels=frozenset({"ACH"})
    ),
}


@dataclass(frozen=True, slots=True)
class Policy:
    """The rules' settings (the model's thresholds come with the model)."""

    block_score: float = STRONG_THRESHOLD
    review_score: float = DEFAULT_THRESHOLD
    drain_share: float = 0.8
    new_payee_days: float = 7.0
    run_payees: int = 3
    run_share: float = 0.3
    limits: Mapping[str, SegmentLimits] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    default_segment: str = "RETAIL"  # the limits of an account whose customer has no known segment
    min_reason_effect: float = 0.001

    def segment_limits(self, segment: str | None) -> tuple[str, SegmentLimits]:
        name = segment if segment in self.limits else self.default_segment
        return name, self.limits[name]  # type: ignore[index]


@dataclass(frozen=True, slots=True)
class Facts:
    """What the engine reads about one proposed transfer."""

    amount_usd: float | None  # None: no price for the account's currency (the limits cannot be checked)
    channel: str  # WIRE, ACH or P2P
    features: Mapping[str, float]
    segment: str | None
    open_case_id: int | None
    payee: str | None  # the outside payee's name as the caller wrote it (None: another customer's account)
    matches: Sequence[Match]  # the payee's watch-list matches, best first


@dataclass(frozen=True, slots=True)
class ModelOpinion:
    probability: float
    review_at: float
    block_at: float
    effects: Mapping[str, float]  # per feature: probability minus the probability at its training median


@dataclass(frozen=True, slots=True)
class RuleHit:
    rule: str
    outcome: Outcome
    reason: str
    evidence: Mapping[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "outcome": self.outcome, "reason": self.reason, "evidence": dict(self.evidence)}


@dataclass(frozen=True, slots=True)
class ModelReason:
    feature: str
    value: float
    effect: float  # how much this feature raises the probability
    label: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "value": self.value,
            "contribution": round(self.effect, 6),
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    rules: tuple[RuleHit, ...]
    reasons: tuple[ModelReason, ...]
    model_outcome: Outcome

    @property
    def summary(self) -> str:
        """One sentence for the caller: what was decided and the first reasons."""
        said = [hit.reason for hit in self.rules] + [reason.label for reason in self.reasons]
        because = "; ".join(said[:3]) if said else "no rule fired and the model saw nothing unusual"
        return f"{self.outcome}: {because}"


def _watch_list(facts: Facts, policy: Policy) -> list[RuleHit]:
    if not facts.matches or facts.payee is None:
        return []
    best = facts.matches[0]
    if best.score < policy.review_score:
        return []
    outcome: Outcome = "block" if best.score >= policy.block_score else "review"
    strength = "matches" if outcome == "block" else "resembles"
    return [
        RuleHit(
            "watch_list",
            outcome,
            f"payee {facts.payee!r} {strength} watch-listed {best.listed_name!r} ({best.program},"
            f" {best.entity_id}), score {best.score:.2f}: {best.basis}",
            {
                "payee": facts.payee,
                "entity_id": best.entity_id,
                "listed_name": best.listed_name,
                "program": best.program,
                "score": best.score,
                "basis": best.basis,
            },
        )
    ]


def _open_case(facts: Facts) -> list[RuleHit]:
    if facts.open_case_id is None:
        return []
    return [
        RuleHit(
            "open_case",
            "review",
            f"the account is under open case {facts.open_case_id}",
            {"case_id": facts.open_case_id},
        )
    ]


def _limits(facts: Facts, policy: Policy) -> list[RuleHit]:
    if facts.amount_usd is None:
        return []
    segment, limits = policy.segment_limits(facts.segment)
    hits: list[RuleHit] = []
    if facts.amount_usd > limits.single_usd:
        hits.append(
            RuleHit(
                "single_limit",
                "review",
                f"amount of {facts.amount_usd:,.2f} USD is over the {segment} single-transfer limit of"
                f" {limits.single_usd:,.0f} USD",
                {"segment": segment, "amount_usd": facts.amount_usd, "limit_usd": limits.single_usd},
            )
        )
    day = facts.features.get("out_sum_usd_24h", 0.0) + facts.amount_usd
    if day > limits.daily_usd:
        hits.append(
            RuleHit(
                "daily_limit",
                "review",
                f"{day:,.2f} USD out in 24 hours with this transfer, over the {segment} daily limit of"
                f" {limits.daily_usd:,.0f} USD",
                {"segment": segment, "sent_24h_usd": day, "limit_usd": limits.daily_usd},
            )
        )
    return hits


def _drain(facts: Facts, policy: Policy) -> list[RuleHit]:
    share = facts.features.get("drain_share_1h", 0.0)
    age_days = facts.features.get("payee_age_days", 0.0)
    if share < policy.drain_share or age_days >= policy.new_payee_days:
        return []
    payee = f"first seen {duration(age_days * 86400)} ago" if age_days > 0 else "never paid before"
    return [
        RuleHit(
            "drain_to_new_payee",
            "review",
            f"with the last hour's payments, {min(share, 1.0):.0%} of the balance leaves, to a new payee ({payee})",
            {"drain_share": share, "payee_age_days": age_days, "threshold": policy.drain_share},
        )
    ]


def _new_payee_run(facts: Facts, policy: Policy) -> list[RuleHit]:
    if facts.channel in policy.segment_limits(facts.segment)[1].batch_channels:
        return []
    payees = facts.features.get("distinct_counterparties_24h", 0.0)
    share = facts.features.get("drain_share_1h", 0.0)
    age_days = facts.features.get("payee_age_days", 0.0)
    if payees < policy.run_payees or share < policy.run_share or age_days >= policy.new_payee_days:
        return []
    return [
        RuleHit(
            "new_payee_run",
            "review",
            f"a new payee after {payees:.0f} other payees in 24 hours; with the last hour's payments"
            f" {min(share, 1.0):.0%} of the balance leaves",
            {"payees_24h": payees, "drain_share": share, "payee_age_days": age_days},
        )
    ]


def _burst(facts: Facts, policy: Policy) -> list[RuleHit]:
    count = facts.features.get("out_count_10m", 0.0)
    segment, limits = policy.segment_limits(facts.segment)
    if count < limits.burst_count or facts.channel in limits.batch_channels:
        return []
    return [
        RuleHit(
            "burst",
            "review",
            f"{count:.0f} payments out in the 10 minutes before this one ({segment} burst: {limits.burst_count})",
            {"segment": segment, "payments_10m": count, "burst_count": limits.burst_count},
        )
    ]


def model_outcome(opinion: ModelOpinion) -> Outcome:
    if opinion.probability >= opinion.block_at:
        return "block"
    return "review" if opinion.probability >= opinion.review_at else "approve"


def model_reasons(
    opinion: ModelOpinion, features: Mapping[str, float], policy: Policy, top: int = 3
) -> list[ModelReason]:
    """The features that raise the probability most, at least `min_reason_effect` each, in words."""
    rising = sorted(
        ((name, effect) for name, effect in opinion.effects.items() if effect >= policy.min_reason_effect),
        key=lambda item: (-item[1], item[0]),
    )[:top]
    return [ModelReason(name, features[name], effect, describe(name, features[name])) for name, effect in rising]


def decide(facts: Facts, opinion: ModelOpinion, policy: Policy) -> Decision:
    """The decision on one proposed transfer (see the module's docstring for the order)."""
    rules = [
        *_watch_list(facts, policy),
        *_open_case(facts),
        *_limits(facts, policy),
        *_drain(facts, policy),
        *_new_payee_run(facts, policy),
        *_burst(facts, policy),
    ]
    by_model = model_outcome(opinion)
    outcome = max((by_model, *(hit.outcome for hit in rules)), key=SEVERITY.__getitem__)
    return Decision(outcome, tuple(rules), tuple(model_reasons(opinion, facts.features, policy)), by_model)


def assess(
    context: TransferContext,
    channel: str,
    payee: str | None,
    scorer: RiskScorer,
    screener: Screener,
    policy: Policy,
    *,
    open_case_id: int | None,
) -> tuple[float, Decision]:
    """The model's probability and the decision for a transfer's gathered context: the payee screened, the
    model's per-feature effects computed, then `decide` (CPU only: the API and the replay both call it)."""
    probability, effects = scorer.effects(context.features)
    matches = screener.screen(payee, threshold=policy.review_score) if payee else []
    # the limits read USD; the feature is ln(1 + amount in USD) (0 when the currency has no price)
    amount_usd = math.expm1(context.features["amount_usd_log"])
    facts = Facts(amount_usd, channel, context.features, context.segment, open_case_id, payee, matches)
    opinion = ModelOpinion(probability, scorer.review_at, scorer.block_at, effects)
    return probability, decide(facts, opinion, policy)
