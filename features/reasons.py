"""Features in words: how a reviewer reads a feature's value ("new payee, first seen 2 minutes ago").

One phrase per feature of `features.definitions.FEATURES` (a test holds them to the same list), used
for the model's reasons in decisions and wherever a feature is shown to a person.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from features.definitions import CHANNEL_RISK, FEATURE_NAMES, SHARE_CAP

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CHANNEL_BY_RISK = {weight: channel for channel, weight in CHANNEL_RISK.items()}


def duration(seconds: float) -> str:
    """A duration as a person says it: "40 seconds", "2 minutes", "3 hours", "5 days"."""
    seconds = max(0.0, seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    count = int(seconds)
    return f"{count} second{'s' if count != 1 else ''}"


def _share(value: float) -> str:
    return "more than the balance (or the balance is not positive)" if value >= SHARE_CAP else f"{value:.0%}"


def _count(what: str) -> Callable[[float], str]:
    return lambda v: f"{v:.0f} {what}"


def _usd(what: str) -> Callable[[float], str]:
    return lambda v: f"{v:,.2f} USD {what}"


def _flag(yes: str, no: str) -> Callable[[float], str]:
    return lambda v: yes if v else no


PHRASES: dict[str, Callable[[float], str]] = {
    "amount_usd_log": lambda v: f"amount of about {math.expm1(v):,.0f} USD",
    "amount_vs_mean_30d": lambda v: f"amount is {v:,.1f} times the account's average payment of the last 30 days",
    "amount_zscore_30d": lambda v: f"amount is {v:,.1f} standard deviations from the account's 30-day average",
    "out_count_1h": _count("payments out in the last hour"),
    "out_count_24h": _count("payments out in the last 24 hours"),
    "out_count_7d": _count("payments out in the last 7 days"),
    "out_sum_usd_1h": _usd("sent in the last hour"),
    "out_sum_usd_24h": _usd("sent in the last 24 hours"),
    "out_sum_usd_7d": _usd("sent in the last 7 days"),
    "in_count_24h": _count("payments received in the last 24 hours"),
    "in_sum_usd_24h": _usd("received in the last 24 hours"),
    "distinct_counterparties_24h": _count("different payees in the last 24 hours"),
    "is_new_counterparty": _flag("new payee: not paid in the last 90 days", "payee paid in the last 90 days"),
    "seconds_since_last": lambda v: f"previous movement on the account {duration(v)} before",
    "hour_of_day": lambda v: f"sent at {int(v):02d}:00-{int(v):02d}:59 UTC",
    "day_of_week": lambda v: f"sent on a {_DAYS[int(v) % 7]}",
    "is_cross_border": _flag("payee in another country", "payee in the customer's country or unknown"),
    "is_foreign_currency": _flag("account not in the customer's home currency", "account in the home currency"),
    "is_crypto": _flag("a crypto asset", "not a crypto asset"),
    "category_risk": lambda v: f"paid by {_CHANNEL_BY_RISK.get(v, 'another channel')}",
    "account_age_days": lambda v: f"account first used {duration(v * 86400)} ago",
    "share_of_balance": lambda v: f"amount is {_share(v)} of the balance",
    "out_count_10m": _count("payments out in the last 10 minutes"),
    "drain_share_1h": lambda v: f"with the last hour's payments, {_share(v)} of the balance leaves",
    "payee_age_days": lambda v: (
        f"new payee, first seen {duration(v * 86400)} ago" if v > 0 else "new payee, never paid in the last 90 days"
    ),
}
assert set(PHRASES) == set(FEATURE_NAMES), "every feature needs a phrase"


def describe(feature: str, value: float) -> str:
    """The feature's value in words; a feature without a phrase (an older model's) by name and value."""
    phrase = PHRASES.get(feature)
    return phrase(value) if phrase is not None else f"{feature} = {value:g}"
