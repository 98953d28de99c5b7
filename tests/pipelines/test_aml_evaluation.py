"""How `bench.aml` scores alerts against the simulator's labels: a case is found when an alert names one of
its references; every case is scored, and the cases the simulator could not post whole are also counted
apart (with the rate on the whole ones); an alert on any laundering reference is a true positive."""

from __future__ import annotations

from pipelines.aml_evaluation import Alert, Case, score


def _alert(rule: str, *refs: str) -> Alert:
    return Alert(rule, "family", "C1", frozenset(refs))


def test_unfinished_cases_are_scored_and_counted_apart() -> None:
    cases = [
        Case("a", "round_tripping", False, frozenset({"r1", "r2"})),
        Case("b", "round_tripping", False, frozenset({"r3"})),
        Case("c", "round_tripping", False, frozenset({"r4"}), complete=False),  # its return never came
        Case("d", "payroll", True, frozenset({"p1"}), complete=False),
        Case("e", "payroll", True, frozenset({"p2"})),
    ]
    alerts = [_alert("ROUND_TRIP", "r2"), _alert("FAN_OUT", "p1"), _alert("ROUND_TRIP", "r4"), _alert("X", "z")]
    result = score(alerts, cases, customers=1000, days=30, rule_alerts=7)
    trips = result.families["round_tripping"]
    assert (trips.cases, trips.found, trips.unfinished, trips.unfinished_found, trips.missed) == (3, 2, 1, 1, ["b"])
    assert (trips.rate, trips.whole_rate) == (2 / 3, 0.5)
    payroll = result.lookalikes["payroll"]
    assert (payroll.cases, payroll.found) == (2, 1)  # the unfinished look-alike's flag still counts
    assert result.true_alerts == 2  # the alert on the unfinished trip is no false positive
    assert result.precision == 0.5
    summary = result.summary()
    assert summary["recall_by_family"]["round_tripping"]["not_posted_whole"] == 1
    assert summary["recall_by_family"]["round_tripping"]["recall_on_whole_cases"] == 0.5
    assert summary["alerts_per_1000_customers_per_month"] == 4.0


def test_a_family_whose_every_case_was_cut_short_has_no_rate_on_whole_cases() -> None:
    cases = [Case("a", "cycle", False, frozenset({"c1"}), complete=False)]
    summary = score([], cases, customers=10, days=30, rule_alerts=0).summary()
    assert summary["recall_by_family"]["cycle"]["recall_on_whole_cases"] is None  # not NaN: valid JSON
    assert summary["recall_by_family"]["cycle"]["recall"] == 0.0
