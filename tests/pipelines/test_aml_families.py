"""Every laundering family, posted through the ledger's public API with shapes drawn by hypothesis into a
small simulated bank, is alerted by the compliance marts, by a rule written for it (`TYPOLOGY_RULES`);
every benign look-alike is not alerted at all."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from fintra.database import clone_database, create_database
from ledger import Ledger
from ledger.simulator.engine import SimulationConfig, simulate
from ledger.simulator.typologies import TYPOLOGIES
from pipelines.aml_evaluation import TYPOLOGY_RULES
from pipelines.reporting.catalog import ALERT_MARTS
from pipelines.transform import BUILD, run_dbt
from tests.pipelines.aml_cases import BUILDERS, FAMILIES, Bank, utc

ROOT = Path(__file__).resolve().parents[2]
BACKGROUND = SimulationConfig(customers=80, days=21, start=date(2026, 3, 1), seed=5, typology_share=0)
EXAMPLES = itertools.count()


@pytest.fixture(scope="module")
def background(pg_server: str) -> str:
    """A small ordinary bank the cases are posted into (each example gets its own copy)."""
    url = create_database(pg_server, "t_aml_background", drop_existing=True)
    simulate(url, BACKGROUND)
    return url


def _alerts_by_reference(url: str) -> dict[str, set[str]]:
    union = " UNION ALL ".join(f"SELECT rule, reference_ids FROM analytics.{mart}" for mart in ALERT_MARTS)
    found: dict[str, set[str]] = defaultdict(set)
    with psycopg.connect(url) as conn:
        for rule, references in conn.execute(union):
            for reference in references:
                found[reference].add(rule)
    return found


@pytest.mark.slow
# Each example builds the marts (seconds): a few examples, no shrinking (the message names what failed).
@settings(max_examples=4, deadline=None, derandomize=True, database=None, phases=[Phase.generate])
@given(data=st.data())
def test_every_family_is_alerted_and_no_lookalike_is(pg_server: str, background: str, data: st.DataObject) -> None:
    n = next(EXAMPLES)
    url = clone_database(pg_server, "t_aml_background", f"t_aml_example_{n}")
    start = utc(BACKGROUND.start + timedelta(days=5))
    with Ledger(url) as ledger:
        bank = Bank(ledger, data, start, tag=f"E{n}")
        cases = [build(bank) for build in BUILDERS.values()]
    # the alert marts and what they read, with their own data tests (not the balances and reports marts)
    selection = ["--select", *(f"+{mart}" for mart in ALERT_MARTS), "--indirect-selection", "cautious"]
    result = run_dbt([*BUILD, *selection], url, capture=True)
    assert result.returncode == 0, result.stdout[-3000:]
    alerts = _alerts_by_reference(url)
    missed, flagged = [], []
    for case in cases:
        rules = set().union(*(alerts.get(ref, set()) for ref in case.references + case.holds))
        if case.benign and rules:
            flagged.append((case.family, sorted(rules)))
        elif not case.benign and not rules & TYPOLOGY_RULES[case.family]:
            missed.append((case.family, sorted(rules)))
    assert not missed and not flagged, f"missed (family, the rules that did fire): {missed}; benign flagged: {flagged}"


def test_every_typology_names_rules_the_marts_raise() -> None:
    """Each laundering typology (the simulator's and the cases') has rules of its own, and each of those rules
    is one an alert mart raises (a renamed rule would leave its typology undetectable in this test)."""
    assert set(TYPOLOGIES) | set(FAMILIES) <= set(TYPOLOGY_RULES)
    sql = " ".join(path.read_text() for path in (ROOT / "dbt" / "models" / "compliance").glob("rpt_*.sql"))
    # a rule is the first column of an alert's select: `'NAME'::text as rule`, or `select 'NAME'` in a union
    raised = re.findall(r"select\s+'([A-Z][A-Z_]+)'|'([A-Z][A-Z_]+)'::text as rule", sql)
    assert set().union(*TYPOLOGY_RULES.values()) <= {name for pair in raised for name in pair if name}
