"""Runs a simulation: population, then day after day of activity through the public ledger API.

Each day goes to the ledger in phases, each one batch call: market ticks, transfers (`post_many`),
conversions (`convert_many`), card authorisations (`hold_many`), the captures and voids that fall due
(`capture_many`, `void_many`), chargebacks (`reverse`), expiries (`expire_holds`), and the platform's
end-of-day settlement of FX clearing and card scheme positions (`post_many`). A request the ledger
refuses is taken back out of the simulator's own balance model, so later decisions stay consistent.

Injected cases (laundering families and benign look-alikes, see `typologies`) add the customers they
onboard to the population and their steps to each day's plan; `record_labels` writes their ground truth
(`sim.labels`, `sim.label_entries`) for the run's `scenario_split` once the ledger has judged every entry.
"""

from __future__ import annotations

import json
import time as clock
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any

import psycopg

from fintra.migrations import migrate as migrate_component
from ledger.client import Ledger
from ledger.errors import LedgerError
from ledger.fx import clearing_account_code, converted_amount
from ledger.model import BatchResult, CaptureRequest, Leg, Transfer
from ledger.movements import ach_in
from ledger.parties import CustomerProfile
from ledger.payments import Channel
from ledger.schema import migrate as migrate_ledger
from ledger.simulator.behaviour import MINOR_UNITS, Behaviour, party
from ledger.simulator.market import Market
from ledger.simulator.plan import CENT, CardAuth, DayPlan, Wallets
from ledger.simulator.population import (
    CAPITAL,
    CRYPTO,
    FIAT,
    SAFEGUARDING_BUFFER,
    VAULT_FLOAT,
    SimCustomer,
    build_customer,
    card_settlement,
    cash_vault,
    customer_accounts,
    equity,
    operating,
    platform_accounts,
    profile,
    safeguarding,
)
from ledger.simulator.reference import merchants, watchlist
from ledger.simulator.scenario_params import SPLITS
from ledger.simulator.typologies import Typologies

BATCH = 5000
HISTORY_DAYS = 400  # daily prices before the start (dormant accounts' last movements go back up to ~a year)


@dataclass(frozen=True, slots=True)
class SimulationConfig:
    customers: int = 2000
    days: int = 90
    start: date = date(2026, 1, 1)
    seed: int = 42
    typology_share: float = 0.02
    lookalike_share: float = 0.02
    scenario_split: str = "tune"

    def __post_init__(self) -> None:
        if self.customers < 1:
            raise ValueError("customers must be at least 1")
        if self.days < 1:
            raise ValueError("days must be at least 1")
        if not 0 <= self.typology_share <= 0.5:
            raise ValueError("typology_share must be between 0 and 0.5")
        if not 0 <= self.lookalike_share <= 0.5:
            raise ValueError("lookalike_share must be between 0 and 0.5")
        if self.scenario_split not in SPLITS:
            raise ValueError(f"scenario_split must be one of {', '.join(SPLITS)}")

    @property
    def run_key(self) -> str:
        key = f"seed{self.seed}-c{self.customers}-d{self.days}-{self.start.isoformat()}"
        return key if self.scenario_split == "tune" else f"{key}-{self.scenario_split}"


@dataclass(slots=True)
class SimulationStats:
    customers: int = 0
    accounts: int = 0
    days: int = 0
    journals: int = 0
    replayed: int = 0
    holds: int = 0
    captures: int = 0
    voids: int = 0
    expired: int = 0
    chargebacks: int = 0
    ticks: int = 0
    labels: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rejected"] = dict(self.rejected)
        return data


@dataclass(slots=True)
class _Due:
    captures: list[CardAuth] = field(default_factory=list)
    voids: list[CardAuth] = field(default_factory=list)
    chargebacks: list[CardAuth] = field(default_factory=list)
    releases: list[CardAuth] = field(default_factory=list)


def migrate(url: str) -> None:
    migrate_ledger(url)
    migrate_component(url, "simulator", "ledger.simulator")


class Simulation:
    def __init__(self, url: str, config: SimulationConfig, ledger: Ledger) -> None:
        self.url = url
        self.config = config
        self.ledger = ledger
        self.start = datetime.combine(config.start, time(0), tzinfo=UTC)
        self.stats = SimulationStats(days=config.days)
        self.wallets = Wallets()
        self.market = Market(config.seed, config.start)
        self.customers = [
            build_customer(config.seed, i, config.customers, config.start) for i in range(config.customers)
        ]
        self.behaviour = Behaviour(config.seed, self.customers, self.market, self.wallets)
        self.typologies = Typologies(
            config.seed,
            self.customers,
            self.behaviour,
            self.wallets,
            config.days,
            self.start,
            config.typology_share,
            lookalike_share=config.lookalike_share,
            split=config.scenario_split,
        )
        # Customers onboarded for a scenario (mules, a landlord, a small business, relatives) join the
        # population: registered, given accounts and simulated like everyone else from their onboarding.
        self.customers.extend(self.typologies.created)
        self.due: dict[int, _Due] = {}
        # Model corrections found while submitting a day (refusals, releases), applied by the main
        # thread only after it has generated the next day: see `simulate`.
        self.adjustments: list[tuple[str, Decimal]] = []
        # References the ledger refused (rare); labels drop them. Not the accepted ones: a year of a
        # large population would hold tens of millions of them in memory.
        self.refused: set[str] = set()
        # The platform's open positions, from what the ledger accepted (settled at each day's end).
        self.fx_position: dict[str, Decimal] = {c: Decimal(0) for c in (*FIAT, *CRYPTO)}
        self.card_position: dict[str, Decimal] = {c: Decimal(0) for c in FIAT}

    # -- set-up -------------------------------------------------------------------------------------
    def prepare(self) -> None:
        cfg = self.config
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO sim.runs (run_key, seed, customers, days, start_date, typology_share, lookalike_share,"
                " scenario_split) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (run_key) DO NOTHING",
                (
                    cfg.run_key,
                    cfg.seed,
                    cfg.customers,
                    cfg.days,
                    cfg.start,
                    cfg.typology_share,
                    cfg.lookalike_share,
                    cfg.scenario_split,
                ),
            )
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO sim.merchants VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    [(m.merchant_id, m.name, m.mcc, m.category, m.country, m.processor or None) for m in merchants()],
                )
                cur.executemany(
                    "INSERT INTO sim.watchlist VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    [(w.entity_id, w.name, w.entity_type, w.program, w.country, list(w.aliases)) for w in watchlist()],
                )
        _raise_any(self.ledger.open_accounts(platform_accounts()))
        # prices for the year before the start, for what scenarios post there (a dormant account's past)
        self.stats.ticks += self.ledger.record_ticks(self.market.history(HISTORY_DAYS))
        # Capital arrives before the first customer does.
        funded_at = min(c.onboarded_at for c in self.customers) - timedelta(days=1)
        capital = [
            Transfer(
                f"sim-capital:{c}",
                [Leg.debit(operating(c), CAPITAL[c]), Leg.credit(equity(c), CAPITAL[c])],
                f"Share capital {c}",
                None,
                funded_at,
                Channel.INTERNAL,
            )
            for c in FIAT
        ] + [
            Transfer(
                f"sim-vault:{c}",
                [Leg.debit(cash_vault(c), VAULT_FLOAT[c]), Leg.credit(operating(c), VAULT_FLOAT[c])],
                f"Cash vault float {c}",
                None,
                funded_at,
                Channel.INTERNAL,
            )
            for c in FIAT
        ]
        self.ledger.post_many(capital).raise_first()

        for chunk in _chunks(self.customers, BATCH):
            ids = self.ledger.register_customers([self._profile(c) for c in chunk])
            specs = [spec for c in chunk for spec in customer_accounts(c, ids[c.ref])]
            _raise_any(self.ledger.open_accounts(specs))
            self.stats.accounts += len(specs)
            self._opening_deposits(chunk)
        self.stats.customers = len(self.customers)

    def _profile(self, c: SimCustomer) -> CustomerProfile:
        found = profile(c, self.config.seed)
        occupation = self.typologies.occupations.get(c.idx)
        return found if occupation is None else replace(found, occupation=occupation)

    def _opening_deposits(self, customers: Sequence[SimCustomer]) -> None:
        transfers = []
        for c in customers:
            amount = (c.salary * Decimal(3 if c.pay_every == 30 else 6) / 2).quantize(CENT)
            home = c.account()
            # from the customer's own account at another bank
            transfers.append(
                ach_in(
                    f"sim{self.config.seed}:opening:{c.idx}",
                    home,
                    amount,
                    sender=party(c.name),
                    effective_at=c.onboarded_at,
                    description="OPENING DEPOSIT",
                )
            )
            self.wallets.move(home, amount)
        self._post(transfers, DayPlan(-1))

    # -- the day loop -------------------------------------------------------------------------------
    def generate_day(self, day: int) -> DayPlan:
        """Decide the day's activity from the simulator's own model (main thread)."""
        day_start = self.start + timedelta(days=day)
        plan = DayPlan(day)
        plan.ticks = self.market.advance(day)
        for c in self.customers:
            if c.dormant_until <= day:
                self.behaviour.customer_day(c, day, day_start, plan)
        self.typologies.plan_day(day, day_start, plan)
        return plan

    def apply_adjustments(self) -> None:
        for code, amount in self.adjustments:
            self.wallets.move(code, amount)
        self.adjustments.clear()

    def _adjust(self, code: str, amount: Decimal) -> None:
        self.adjustments.append((code, amount))

    def submit_day(self, plan: DayPlan) -> None:
        """Send a generated day to the ledger, phase by phase (may run beside `generate_day`)."""
        day = plan.day
        day_start = self.start + timedelta(days=day)
        day_end = day_start + timedelta(days=1) - timedelta(microseconds=1)
        self.stats.ticks += self.ledger.record_ticks(plan.ticks)
        self._post(sorted(plan.transfers, key=lambda t: (t.effective_at, t.reference_id)), plan)
        self._convert(plan)
        self._authorise(plan)
        due = self.due.pop(day, _Due())
        self._capture(due.captures, plan)
        self._void(due.voids, day_end)
        self._chargeback(due.chargebacks)
        for card in due.releases:  # expired at the ledger by expire_holds below (or an earlier day)
            self._adjust(card.request.from_account, Decimal(card.request.amount))
        self.stats.expired += self.ledger.expire_holds(day_end)
        self._settle(day, day_end)

    def _post(self, transfers: list[Transfer], plan: DayPlan) -> None:
        for chunk in _chunks(transfers, BATCH):
            result = self.ledger.post_many(chunk)
            self._account_for(chunk, [t.reference_id for t in chunk], result, plan)

    def _account_for(self, items: Sequence[object], refs: list[str], result: BatchResult, plan: DayPlan) -> None:
        self.stats.journals += result.posted
        self.stats.replayed += result.replayed
        for rejection in result.rejected:
            self.stats.rejected[type(rejection.error).__name__] += 1
            for code, amount in plan.undo.get(refs[rejection.index], []):
                self._adjust(code, amount)
        self.refused.update(refs[r.index] for r in result.rejected)

    def _convert(self, plan: DayPlan) -> None:
        requests = sorted(plan.conversions, key=lambda r: (r.effective_at, r.reference_id))
        for chunk in _chunks(requests, BATCH):
            result = self.ledger.convert_many(chunk)
            self._account_for(chunk, [r.reference_id for r in chunk], result, plan)
            refused = {r.index for r in result.rejected}
            for i, r in enumerate(chunk):
                if i in refused:
                    continue
                source, target = _currency(r.from_account), _currency(r.to_account)
                received, _ = converted_amount(
                    Decimal(r.amount), Decimal(r.rate), MINOR_UNITS[target], "ROUND_HALF_EVEN"
                )
                self.fx_position[source] -= Decimal(r.amount)
                self.fx_position[target] += received

    def _authorise(self, plan: DayPlan) -> None:
        cards = sorted(plan.auths, key=lambda a: (a.request.effective_at, a.request.reference_id))
        for chunk in _chunks(cards, BATCH):
            result = self.ledger.hold_many([a.request for a in chunk])
            self.stats.holds += result.posted
            self.stats.replayed += result.replayed
            refused = {r.index: r for r in result.rejected}
            for i, card in enumerate(chunk):
                if i in refused:
                    self.stats.rejected[type(refused[i].error).__name__] += 1
                    self._adjust(card.request.from_account, Decimal(card.request.amount))
                    self.refused.add(card.request.reference_id)
                    continue
                card.hold_id = result.ids[i]
                if card.outcome == "EXPIRE":
                    when = card.request.expires_at
                    self._schedule(when).releases.append(card)
                elif card.resolve_at is not None:
                    bucket = self._schedule(card.resolve_at)
                    (bucket.captures if card.outcome == "CAPTURE" else bucket.voids).append(card)
            self._record_cards(chunk, refused)

    def _capture(self, cards: list[CardAuth], plan: DayPlan) -> None:
        cards.sort(key=lambda a: (a.resolve_at, a.request.reference_id))
        for chunk in _chunks(cards, BATCH):
            result = self.ledger.capture_many(
                [CaptureRequest(c.hold_id, c.capture_amount, c.resolve_at) for c in chunk]
            )
            self.stats.captures += result.posted
            self.stats.replayed += result.replayed
            refused = {r.index for r in result.rejected}
            for r in result.rejected:
                self.stats.rejected[type(r.error).__name__] += 1
            for i, card in enumerate(chunk):
                account = card.request.from_account
                if i in refused:
                    continue  # the hold stays pending and will expire; the model releases it then
                assert card.capture_amount is not None
                self._adjust(account, Decimal(card.request.amount) - card.capture_amount)
                self.card_position[_currency(card.request.to_account)] += card.capture_amount
                card.capture_journal_id = result.ids[i]
                if card.chargeback_at is not None:
                    self._schedule(card.chargeback_at).chargebacks.append(card)
            for i in refused:
                self._schedule(chunk[i].request.expires_at).releases.append(chunk[i])

    def _void(self, cards: list[CardAuth], at: datetime) -> None:
        for chunk in _chunks(cards, BATCH):
            result = self.ledger.void_many([c.hold_id for c in chunk], effective_at=at)
            self.stats.voids += result.posted
            for i, card in enumerate(chunk):
                if result.ids[i] is not None:
                    self._adjust(card.request.from_account, Decimal(card.request.amount))

    def _chargeback(self, cards: list[CardAuth]) -> None:
        for card in cards:
            try:
                entry = self.ledger.reverse(
                    card.capture_journal_id,
                    f"{card.request.reference_id}:chargeback",
                    "chargeback: cardholder dispute",
                    effective_at=card.chargeback_at,
                )
            except LedgerError as exc:
                self.stats.rejected[type(exc).__name__] += 1
                continue
            self.stats.chargebacks += not entry.replayed
            assert card.capture_amount is not None
            self._adjust(card.request.from_account, card.capture_amount)
            self.card_position[_currency(card.request.to_account)] -= card.capture_amount
            with psycopg.connect(self.url, autocommit=True) as conn:
                conn.execute(
                    "UPDATE sim.card_payments SET outcome = 'CHARGEBACK' WHERE reference_id = %s",
                    (card.request.reference_id,),
                )

    def _settle(self, day: int, at: datetime) -> None:
        """Square the FX clearing and card scheme positions against safeguarding and custody."""
        seed = self.config.seed
        transfers = [
            _square(
                f"sim{seed}:settle-fx:{c}:{day}",
                safeguarding(c),
                clearing_account_code(c),
                position,
                f"FX settlement {c}",
                at,
            )
            for c, position in self.fx_position.items()
            if position != 0
        ] + [
            # the scheme account is a liability: a positive position is owed to the scheme
            _square(
                f"sim{seed}:settle-card:{c}:{day}",
                card_settlement(c),
                safeguarding(c),
                position,
                f"Card scheme settlement {c}",
                at,
            )
            for c, position in self.card_position.items()
            if position != 0
        ]
        result = self.ledger.post_many(transfers)
        result.raise_first()
        self.stats.journals += result.posted
        self.stats.replayed += result.replayed
        self.fx_position = dict.fromkeys(self.fx_position, Decimal(0))
        self.card_position = dict.fromkeys(self.card_position, Decimal(0))
        self._reconcile_safeguarding(day, at)

    def _reconcile_safeguarding(self, day: int, at: datetime) -> None:
        """The daily safeguarding reconciliation: per fiat currency, move between the operating account and
        safeguarding what brings safeguarding to the customers' balances at the close plus the buffer."""
        with psycopg.connect(self.url, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT a.currency,"
                " coalesce(sum(b.posted) FILTER (WHERE a.customer_id IS NOT NULL), 0),"
                " coalesce(sum(b.posted) FILTER (WHERE a.code = 'SAFEGUARD-' || a.currency), 0)"
                " FROM ledger.accounts AS a JOIN ledger.balances AS b USING (account_id)"
                " WHERE a.currency = ANY(%s) GROUP BY a.currency",
                (list(FIAT),),
            ).fetchall()
        transfers = []
        for currency, owed, held in rows:
            target = (owed * (1 + SAFEGUARDING_BUFFER)).quantize(CENT, rounding=ROUND_CEILING)
            if target != held:
                transfers.append(
                    _square(
                        f"sim{self.config.seed}:safeguarding:{currency}:{day}",
                        safeguarding(currency),
                        operating(currency),
                        target - held,
                        f"Safeguarding reconciliation {currency}",
                        at,
                    )
                )
        result = self.ledger.post_many(transfers)
        result.raise_first()
        self.stats.journals += result.posted

    def _schedule(self, when: datetime) -> _Due:
        return self.due.setdefault((when - self.start).days, _Due())

    # -- ground truth -------------------------------------------------------------------------------
    def _record_cards(self, cards: Sequence[CardAuth], refused: dict[int, object]) -> None:
        rows = [
            (
                c.request.reference_id,
                c.customer.ref,
                c.request.from_account,
                c.merchant.merchant_id,
                c.descriptor,
                c.request.amount,
                _currency(c.request.from_account),
                c.request.effective_at,
                c.outcome,
            )
            for i, c in enumerate(cards)
            if i not in refused
        ]
        if not rows:
            return
        with psycopg.connect(self.url, autocommit=True) as conn, conn.cursor() as cur:
            cur.execute(
                "INSERT INTO sim.card_payments (reference_id, customer_ref, account_code, merchant_id, descriptor,"
                " amount, currency, authorized_at, outcome)"
                " SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::numeric[],"
                " %b::text[], %b::timestamptz[], %b::text[]) ON CONFLICT (reference_id) DO NOTHING",
                [list(col) for col in zip(*rows, strict=True)],
            )

    def record_labels(self) -> None:
        """Write each case's ground truth: the label, and the ledger references the ledger accepted (with
        the capture journals of its card authorisations). A case not posted whole (a step that could not
        run before the end, a payment not affordable or refused) is labelled `complete = false`, with the
        reasons in its details: what the ledger holds of it is not the family's pattern."""
        with psycopg.connect(self.url, autocommit=True) as conn, conn.transaction(), conn.cursor() as cur:
            unfinished = self.typologies.unfinished()
            for label in self.typologies.labels:
                entries = [(ref, kind) for ref, kind in label.entries if ref not in self.refused]
                reasons = unfinished.get(label.label_id, [])
                if len(entries) < len(label.entries):
                    reasons = [*reasons, f"{len(label.entries) - len(entries)} reference(s) refused by the ledger"]
                details = {**label.details, "unfinished": reasons} if reasons else label.details
                entries += [
                    (f"{card.request.reference_id}:capture", "journal")
                    for card in label.cards
                    if card.capture_journal_id is not None
                ]
                if not entries:
                    continue
                cur.execute(
                    "INSERT INTO sim.labels (label_id, typology, customer_ref, account_codes, window_start,"
                    " window_end, details, family, is_benign, split, customer_refs, complete)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (label_id) DO NOTHING",
                    (
                        label.label_id,
                        label.family,
                        label.customer.ref,
                        label.accounts,
                        label.window_start,
                        label.window_end,
                        json.dumps(details),
                        label.family,
                        label.is_benign,
                        label.split,
                        [c.ref for c in label.customers],
                        not reasons,
                    ),
                )
                cur.executemany(
                    "INSERT INTO sim.label_entries VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                    [(label.label_id, ref, kind) for ref, kind in entries],
                )
                self.stats.labels += 1

    def finish(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("SELECT ledger.refresh_ohlcv_1m()")
            conn.execute(
                "UPDATE sim.runs SET finished_at = now(), stats = %s::jsonb WHERE run_key = %s",
                (json.dumps(self.stats.as_dict()), self.config.run_key),
            )


def simulate(
    url: str,
    config: SimulationConfig,
    *,
    on_day: Callable[[int, SimulationStats], None] | None = None,
) -> SimulationStats:
    """Run the whole simulation against the database at `url` (migrating it first)."""
    started = clock.perf_counter()
    migrate(url)
    with Ledger(url, pool_size=2) as ledger:
        sim = Simulation(url, config, ledger)
        sim.prepare()
        sim.apply_adjustments()
        # Day d goes to the ledger in a worker thread while the main thread generates day d + 1 (the
        # database works while Python decides). Day d's model corrections are applied after day d + 1
        # is generated, always, so the content does not depend on timing.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="simulate") as submitter:
            plan = sim.generate_day(0)
            for day in range(config.days):
                submitted = submitter.submit(sim.submit_day, plan)
                upcoming = sim.generate_day(day + 1) if day + 1 < config.days else None
                submitted.result()
                sim.apply_adjustments()
                if on_day is not None:
                    on_day(day, sim.stats)
                if upcoming is not None:
                    plan = upcoming
        sim.record_labels()
        sim.stats.seconds = round(clock.perf_counter() - started, 1)
        sim.finish()
    return sim.stats


def _square(
    reference: str, debit_when_long: str, credit_when_long: str, position: Decimal, description: str, at: datetime
) -> Transfer:
    """The transfer that brings a position back to zero (the accounts swap when it is short)."""
    debit, credit = (debit_when_long, credit_when_long) if position > 0 else (credit_when_long, debit_when_long)
    amount = abs(position)
    return Transfer(
        reference, [Leg.debit(debit, amount), Leg.credit(credit, amount)], description, None, at, Channel.INTERNAL
    )


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _currency(account_code: str) -> str:
    return account_code.rsplit("-", 1)[1]


def _raise_any(results: Sequence[object]) -> None:
    for result in results:
        if isinstance(result, Exception):
            raise result
