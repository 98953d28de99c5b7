"""The decision engine on its own (no database, no HTTP): each rule, its near miss, the order of severity,
and reasons that only ever raise the risk, in words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from features.definitions import FEATURE_NAMES
from features.screening import Screener, load_watchlist
from serving.engine import Facts, ModelOpinion, Policy, decide

POLICY = Policy()
SCREENER = Screener(load_watchlist())
QUIET = ModelOpinion(probability=0.0004, review_at=0.2, block_at=0.8, effects={})


def _facts(payee: str | None = "Corner Bakery", **changes: Any) -> Facts:
    features: dict[str, float] = dict.fromkeys(FEATURE_NAMES, 0.0)
    features.update(share_of_balance=0.05, drain_share_1h=0.05, payee_age_days=200.0)
    features.update(changes.pop("features", {}))
    values: dict[str, Any] = {
        "amount_usd": 120.0,
        "channel": "WIRE",
        "features": features,
        "segment": "RETAIL",
        "open_case_id": None,
        "payee": payee,
        "matches": SCREENER.screen(payee, threshold=POLICY.review_score) if payee else [],
    }
    values.update(changes)
    return Facts(**values)


def _rules(facts: Facts, opinion: ModelOpinion = QUIET) -> dict[str, str]:
    return {hit.rule: hit.outcome for hit in decide(facts, opinion, POLICY).rules}


def test_an_ordinary_payment_is_approved_with_nothing_to_say() -> None:
    decision = decide(_facts(), QUIET, POLICY)
    assert (decision.outcome, decision.rules, decision.reasons) == ("approve", (), ())
    assert decision.summary == "approve: no rule fired and the model saw nothing unusual"


@pytest.mark.parametrize(
    ("payee", "outcome"),
    [
        ("Dragomir Petrenko", "block"),  # exactly as listed
        ("PETRENKO, Dragomir", "block"),  # reordered, other case and punctuation
        ("Karvonen Maritime Holdings Ltd.", "block"),  # a legal form added
        ("Драгомир Петренко", "block"),  # the same name in another script
        ("Dragomir Petrenkov", "block"),  # one typo
        ("Drago Petrenko", "review"),  # a shortened given name: a person should look
        ("Dragomir P.", "review"),  # an initial for the surname
        ("يوسف المرزاني", "review"),  # Arabic script, compared by consonants only: never enough to block
        ("Petrenko Bakery", None),  # a surname in a business name
        ("Maria Petrenko", None),  # a shared surname
    ],
)
def test_the_watch_list_blocks_an_exact_name_and_holds_a_variant(payee: str, outcome: str | None) -> None:
    rules = _rules(_facts(payee))
    assert rules.get("watch_list") == outcome, SCREENER.screen(payee, threshold=0.5)[:1]


def test_a_watch_list_block_names_the_listed_party_in_words() -> None:
    decision = decide(_facts("Dragomir Petrenko"), QUIET, POLICY)
    assert decision.outcome == "block" and decision.model_outcome == "approve"
    (hit,) = decision.rules
    assert "'Dragomir Petrenko' matches watch-listed 'Dragomir Petrenko' (FICTIONAL-SDN, WL001)" in hit.reason
    assert hit.evidence["entity_id"] == "WL001" and hit.evidence["score"] == 1.0


def test_an_account_under_an_open_case_is_held() -> None:
    decision = decide(_facts(open_case_id=42), QUIET, POLICY)
    assert decision.outcome == "review" and decision.rules[0].reason == "the account is under open case 42"


@pytest.mark.parametrize(
    ("segment", "amount_usd", "sent_24h", "fired"),
    [
        ("RETAIL", 10_000.01, 0.0, {"single_limit"}),
        ("RETAIL", 10_000.00, 0.0, set()),  # at the limit, not over it
        ("RETAIL", 9_000.0, 16_500.0, {"daily_limit"}),
        ("SMALL_BUSINESS", 60_000.0, 100_000.0, set()),
        ("STUDENT", 3_500.0, 0.0, {"single_limit"}),
        (None, 10_500.0, 0.0, {"single_limit"}),  # no known segment: the retail limits
        ("SOMETHING_NEW", 10_500.0, 0.0, {"single_limit"}),
    ],
)
def test_limits_per_segment(segment: str | None, amount_usd: float, sent_24h: float, fired: set[str]) -> None:
    facts = _facts(segment=segment, amount_usd=amount_usd, features={"out_sum_usd_24h": sent_24h})
    assert set(_rules(facts)) == fired


@pytest.mark.parametrize(
    ("drain", "age_days", "fires"),
    [
        (0.95, 0.0, True),  # most of the balance to a payee never paid
        (0.95, 2 / 1440, True),  # ... or first paid 2 minutes ago (earlier in the same burst)
        (0.80, 6.9, True),
        (0.79, 0.0, False),  # a smaller share
        (0.95, 7.0, False),  # a payee paid a week ago
        (0.95, 80.0, False),  # rent to the landlord
    ],
)
def test_draining_the_balance_to_a_new_payee_is_held(drain: float, age_days: float, fires: bool) -> None:
    facts = _facts(features={"drain_share_1h": drain, "payee_age_days": age_days})
    decision = decide(facts, QUIET, POLICY)
    assert ("drain_to_new_payee" in {hit.rule for hit in decision.rules}) is fires
    if fires:
        assert f"{drain:.0%} of the balance leaves, to a new payee" in decision.rules[0].reason


@pytest.mark.parametrize(
    ("segment", "channel", "count", "fires"),
    [
        ("RETAIL", "WIRE", 5, True),
        ("RETAIL", "ACH", 5, True),
        ("RETAIL", "WIRE", 4, False),
        ("SMALL_BUSINESS", "WIRE", 12, False),
        ("SMALL_BUSINESS", "WIRE", 25, True),
        ("SMALL_BUSINESS", "ACH", 40, False),  # a payroll batch
    ],
)
def test_a_burst_of_payments_is_held_by_segment(segment: str, channel: str, count: int, fires: bool) -> None:
    facts = _facts(segment=segment, channel=channel, features={"out_count_10m": float(count)})
    assert ("burst" in _rules(facts)) is fires


@pytest.mark.parametrize(
    ("segment", "channel", "payees", "share", "age_days", "fires"),
    [
        ("RETAIL", "WIRE", 3, 0.42, 0.0, True),  # the fourth fresh payee in a night, 42% gone in the hour
        ("PREMIUM", "P2P", 5, 0.30, 0.01, True),
        ("RETAIL", "WIRE", 2, 0.60, 0.0, False),  # only two other payees today
        ("RETAIL", "WIRE", 4, 0.29, 0.0, False),  # little of the balance
        ("RETAIL", "WIRE", 4, 0.50, 30.0, False),  # a payee of last month
        ("SMALL_BUSINESS", "ACH", 30, 0.9, 0.0, False),  # the first payroll run: new staff, by ACH
        ("SMALL_BUSINESS", "WIRE", 3, 0.5, 0.0, True),
    ],
)
def test_a_run_of_new_payees_is_held(
    segment: str, channel: str, payees: int, share: float, age_days: float, fires: bool
) -> None:
    features = {"distinct_counterparties_24h": float(payees), "drain_share_1h": share, "payee_age_days": age_days}
    facts = _facts(segment=segment, channel=channel, features=features)
    assert ("new_payee_run" in _rules(facts)) is fires


def test_the_most_severe_step_decides_and_every_step_that_fired_is_kept() -> None:
    facts = _facts("Dragomir Petrenko", open_case_id=7, features={"out_count_10m": 9.0})
    risky = ModelOpinion(probability=0.5, review_at=0.2, block_at=0.8, effects={})
    decision = decide(facts, risky, POLICY)
    assert decision.outcome == "block" and decision.model_outcome == "review"
    assert [hit.rule for hit in decision.rules] == ["watch_list", "open_case", "burst"]
    model_only = decide(_facts(), ModelOpinion(0.9, 0.2, 0.8, {}), POLICY)
    assert (model_only.outcome, model_only.rules) == ("block", ())


def _opinion(effects: Mapping[str, float]) -> ModelOpinion:
    return ModelOpinion(probability=0.3, review_at=0.2, block_at=0.8, effects=effects)


def test_reasons_only_raise_the_risk_and_are_in_words() -> None:
    facts = _facts(features={"payee_age_days": 2 / 1440, "share_of_balance": 0.95, "hour_of_day": 22.0})
    effects = {
        "payee_age_days": 0.12,
        "share_of_balance": 0.2,
        "hour_of_day": 0.00001,  # too small to explain anything
        "account_age_days": -0.3,  # lowers the risk: not a reason for it
        "amount_usd_log": 0.05,
        "out_count_1h": 0.01,
    }
    reasons = decide(facts, _opinion(effects), POLICY).reasons
    assert [r.feature for r in reasons] == ["share_of_balance", "payee_age_days", "amount_usd_log"]
    assert [r.label for r in reasons[:2]] == ["amount is 95% of the balance", "new payee, first seen 2 minutes ago"]
    assert all(r.effect > 0 for r in reasons)
    assert decide(facts, _opinion({"hour_of_day": 0.00001}), POLICY).reasons == ()


def test_a_stricter_policy_is_followed() -> None:
    strict = Policy(drain_share=0.5, new_payee_days=30)
    facts = _facts(features={"drain_share_1h": 0.6, "payee_age_days": 20.0})
    assert decide(facts, QUIET, strict).outcome == "review" and decide(facts, QUIET, POLICY).outcome == "approve"
