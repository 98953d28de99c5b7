"""Injected cases: laundering and fraud families (`TYPOLOGIES`) and benign look-alikes (`LOOKALIKES`).

`Typologies` plans every case when the simulation is built: `share` cases per customer of laundering
families and `lookalike_share` of look-alikes, each list assigned round-robin so that every family
appears once the share allows it. Parameters come from the split's ranges (`scenario_params`: "tune" to
calibrate rules, "holdout" to report them, "holdout2" to evaluate them afresh). Actors are population
customers (each in at most one case) or customers onboarded for a case (`created`, registered with the
population). Each case is one label (`Label`): its family, split, customers, accounts and every ledger
reference it produced.

The generators live in `scenarios` (cash, mules, dormancy, FX, cards, names, round trips),
`scenarios_graph` (the AMLworld transfer-graph patterns and layering) and `scenarios_benign`.
"""

from __future__ import annotations

import random
from datetime import datetime

from ledger.simulator.behaviour import Behaviour
from ledger.simulator.plan import DayPlan, Label, Wallets
from ledger.simulator.population import SimCustomer
from ledger.simulator.scenario_kit import Actors, Case, Kit
from ledger.simulator.scenario_params import SPLITS, Params
from ledger.simulator.scenarios import CTR_THRESHOLD, Generator
from ledger.simulator.scenarios import GENERATORS as CASH_AND_OTHERS
from ledger.simulator.scenarios_benign import GENERATORS as BENIGN
from ledger.simulator.scenarios_graph import GENERATORS as GRAPH

TYPOLOGIES = (
    "structuring",
    "money_mule",
    "account_takeover",
    "card_testing",
    "round_tripping",
    "dormant_reactivation",
    "watchlist_payment",
    "cash_rapid_outflow",
    "smurfing",
    "fan_out",
    "fan_in",
    "cycle",
    "scatter_gather",
    "gather_scatter",
    "bipartite",
    "stack",
    "random",
    "layering_chain",
    "fx_round_trip",
    "card_testing_merchant",
    "receipt_cashed_out",
)
LOOKALIKES = tuple(BENIGN)
GENERATORS: dict[str, Generator] = {**CASH_AND_OTHERS, **GRAPH, **BENIGN}
__all__ = ["CTR_THRESHOLD", "LOOKALIKES", "TYPOLOGIES", "Case", "Typologies"]


class Typologies:
    def __init__(
        self,
        seed: int,
        customers: list[SimCustomer],
        behaviour: Behaviour,
        wallets: Wallets,
        days: int,
        start: datetime,
        share: float,
        *,
        lookalike_share: float = 0.0,
        split: str = "tune",
    ) -> None:
        if split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
        self.seed = seed
        self.split = split
        self.actors = Actors(seed, customers, start)
        self.kit = Kit(seed, split, behaviour, wallets, self.actors, days, start)
        self.days = days
        self.cases: list[Case] = []
        laundering = round(len(customers) * share) if share > 0 else 0
        benign = round(len(customers) * lookalike_share) if lookalike_share > 0 else 0
        # Interleaved, so that which customers a family gets does not depend on the other list's size.
        order = [(k, TYPOLOGIES[k % len(TYPOLOGIES)], False) for k in range(laundering)]
        order += [(k, LOOKALIKES[k % len(LOOKALIKES)], True) for k in range(benign)]
        order.sort(key=lambda item: (item[0], item[2]))
        for k, family, is_benign in order:
            self.cases.append(self._case(k, family, is_benign))

    def _case(self, k: int, family: str, is_benign: bool) -> Case:
        rng = random.Random(f"{self.seed}:{self.split}:{family}:{k}")
        label = Label(f"sim{self.seed}:{self.split}:{family}:{k}", family, self.split, is_benign)
        case = Case(k, family, rng, Params(family, self.split, rng), label)
        GENERATORS[family](self.kit, case)
        return case

    @property
    def created(self) -> list[SimCustomer]:
        """Customers onboarded for a case, to be registered and simulated with the population."""
        return self.actors.created

    @property
    def occupations(self) -> dict[int, str]:
        """Occupations of the customers onboarded for a case (by index), where the case says which."""
        return self.actors.occupations

    @property
    def labels(self) -> list[Label]:
        return [case.label for case in self.cases]

    def plan_day(self, day: int, day_start: datetime, plan: DayPlan) -> None:
        self.kit.today = day
        for case in self.cases:
            # a step may schedule another for the same day (the next hop of a chain): run until none is left
            while steps := case.steps.pop(day, None):
                for step in steps:
                    if step(day, day_start, plan) is False:
                        if day + 1 < self.days:
                            case.at(day + 1, step)
                        else:
                            case.unfinished.append(f"a step retried until the last day (day {day}) never ran")

    def unfinished(self) -> dict[str, list[str]]:
        """Why each case not posted whole was not (by label id): with the steps still scheduled after the
        run's last day."""
        found: dict[str, list[str]] = {}
        for case in self.cases:
            reasons = list(case.unfinished)
            late = sorted(day for day, steps in case.steps.items() if steps and day >= self.days)
            if late:
                reasons.append(f"steps scheduled after the run's end (day {late[0]})")
            if reasons:
                found[case.label.label_id] = reasons
        return found
