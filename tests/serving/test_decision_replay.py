"""A day of simulated traffic decided again by the fast brain as of each transfer's time: ordinary
payments (salary spent, rent, groceries, family transfers) are approved, and what holds the few that are
not is known (pipelines.decision_replay, also `python -m bench.decisions`)."""

from __future__ import annotations

from datetime import timedelta

import psycopg

from fintra.settings import Settings
from models.risk.scorer import RiskScorer
from pipelines.decision_replay import last_simulated_day, replay_day
from serving.engine import Policy
from serving.state import ServiceState


def test_a_week_of_ordinary_traffic_is_approved(service: ServiceState, serving_settings: Settings) -> None:
    scorer = RiskScorer.from_registry(service.registry, 1)  # the model as trained (other tests move thresholds)
    assert serving_settings.database_url is not None
    with psycopg.connect(serving_settings.database_url.get_secret_value()) as conn:
        day = last_simulated_day(conn)
        days = [day - timedelta(days=back) for back in range(7)]  # a week: weekdays and a weekend
        summaries = [replay_day(conn, scorer, service.screener, Policy(), replayed) for replayed in days]
    ordinary = sum(s.ordinary for s in summaries)
    held = sum(s.ordinary_held for s in summaries)
    assert ordinary >= 200, [s.as_dict() for s in summaries]
    assert held / ordinary <= 0.03, [s.as_dict() for s in summaries]
