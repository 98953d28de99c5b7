"""Money moving over a transfer graph: the eight AMLSim / AMLworld patterns and the layering chain.

Nodes are bank customers (picked from the population, in the case's currency) and outside parties
(`Counterparty` with a stable account identifier). Edges between two customers are on-us payments (P2P,
or the on-us wire/ACH pair), edges with an outside party are wires, ACH or P2P in or out, and an edge
between two outside parties is invisible to the bank (paths avoid them where the pattern passes money
on). A customer that sends more than it holds is first funded (placement: cash, wire or ACH in), as
AMLSim starts its accounts with balances.

    fan_out         hub -> n accounts                     fan_in          n accounts -> hub
    cycle           origin -> 2..6 accounts -> origin     scatter_gather  origin -> n -> one beneficiary
    gather_scatter  n -> hub -> m                         bipartite       every left node -> every right node
    stack           layer -> layer -> layer, all to all   random          a random walk of the money
    layering_chain  outside -> 2..5 accounts in a row -> outside, within a day or two
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from ledger.simulator.plan import CENT, DayPlan
from ledger.simulator.population import SimCustomer
from ledger.simulator.scenario_kit import PASS_ON, Case, Kit, Node, pieces, round_amount
from ledger.simulator.scenarios import Generator, outside_party


def _node_id(node: Node) -> str:
    return node.ref if isinstance(node, SimCustomer) else str(node.account)


def _nodes(kit: Kit, case: Case, count: int, cur: str, share: float, *, customers_only: bool = False) -> list[Node]:
    rng = case.rng
    return [
        kit.actors.pick(rng, cur) if customers_only or rng.random() < share else outside_party(rng)
        for _ in range(count)
    ]


def _path(kit: Kit, case: Case, count: int, cur: str, share: float, before: Node, after: Node | None) -> list[Node]:
    """`count` nodes in a row between `before` and `after`, never two outside parties next to each other."""
    rng = case.rng
    found: list[Node] = []
    for i in range(count):
        prev = found[-1] if found else before
        nxt_outside = i == count - 1 and after is not None and not isinstance(after, SimCustomer)
        outside_ok = isinstance(prev, SimCustomer) and not nxt_outside
        found.append(outside_party(rng) if outside_ok and rng.random() >= share else kit.actors.pick(rng, cur))
    return found


def _amount(case: Case) -> Decimal:
    return round_amount(case.params.amount("amount"), case.rng)


def _fund_all(kit: Kit, case: Case, totals: dict[int, tuple[SimCustomer, Decimal]], at: datetime) -> None:
    """Fund every sending customer for what it will send (at the case's first moment)."""

    def fund(plan: DayPlan, t: datetime) -> None:
        for c, total in totals.values():
            kit.fund(case, plan, c, total, t, case.params.pick("funding"))

    kit.when(case, at, fund)


def _edge(kit: Kit, case: Case, src: Node, dst: Node, amount: Decimal, at: datetime, *, passing: bool = False) -> None:
    """One payment of the pattern. An originator is topped up again if its own spending ate the placement;
    an account `passing` money on sends what it still holds of it."""

    def act(plan: DayPlan, t: datetime) -> bool:
        if not passing and isinstance(src, SimCustomer):
            kit.fund(case, plan, src, amount, t, case.params.pick("funding"))
        return kit.pay(case, plan, src, dst, amount, t, min_share=PASS_ON if passing else None)

    kit.when(case, at, act)


def _spread(kit: Kit, case: Case, start: datetime, days: float) -> datetime:
    return start + timedelta(seconds=case.rng.uniform(3600, max(7200, days * 86400)))


def _walk(
    kit: Kit,
    case: Case,
    path: list[Node],
    amount: Decimal,
    at: datetime,
    keep: Callable[[], Decimal],
    delay: Callable[[], timedelta],
    *,
    fund: bool = True,
) -> None:
    """Money along `path`, hop after hop: each hop keeps a share of what arrived and leaves after a delay."""

    def hop(i: int, value: Decimal) -> Callable[[DayPlan, datetime], bool]:
        def act(plan: DayPlan, t: datetime) -> bool:
            src = path[i]
            if fund and i == 0 and isinstance(src, SimCustomer):
                kit.fund(case, plan, src, value, t, case.params.pick("funding"))
            if not kit.pay(case, plan, src, path[i + 1], value, t, min_share=PASS_ON if i else None):
                return False
            if i + 2 < len(path):
                kit.when(case, t + delay(), hop(i + 1, (kit.sent * keep()).quantize(CENT)))
            return True

        return act

    kit.when(case, at, hop(0, amount))


def fan_out(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = p.pick("currency")
    hub = kit.actors.pick(rng, cur)
    benes = _nodes(kit, case, p.int("degree"), cur, p.probability("customers"))
    span = p.int("span_days")
    t0 = kit.time_on(kit.first_day(case, span + 1), rng, 8, 13)
    edges = [(bene, _amount(case), _spread(kit, case, t0, span)) for bene in benes]
    _fund_all(kit, case, {hub.idx: (hub, sum((a for _, a, _ in edges), Decimal(0)))}, t0)
    for bene, amount, at in edges:
        _edge(kit, case, hub, bene, amount, at)
    kit.involve(case, hub)
    case.detail(hub=hub.ref, degree=len(benes), customers=sum(isinstance(b, SimCustomer) for b in benes))


def fan_in(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = p.pick("currency")
    hub = kit.actors.pick(rng, cur)
    senders = _nodes(kit, case, p.int("degree"), cur, p.probability("customers"))
    span = p.int("span_days")
    t0 = kit.time_on(kit.first_day(case, span + 1), rng, 8, 13)
    edges = [(sender, _amount(case), _spread(kit, case, t0, span)) for sender in senders]
    _fund_all(kit, case, {s.idx: (s, a) for s, a, _ in edges if isinstance(s, SimCustomer)}, t0)
    for sender, amount, at in edges:
        _edge(kit, case, sender, hub, amount, at)
    kit.involve(case, hub)
    case.detail(hub=hub.ref, degree=len(senders), customers=sum(isinstance(s, SimCustomer) for s in senders))


def cycle(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = p.pick("currency")
    origin = kit.actors.pick(rng, cur)
    mids = _path(kit, case, p.int("intermediaries"), cur, p.probability("customers"), origin, origin)
    path: list[Node] = [origin, *mids, origin]
    amount = _amount(case)
    t0 = kit.time_on(kit.first_day(case, len(path) * 4 + 1), rng, 8, 18)
    keeps: list[Decimal] = []

    def keep() -> Decimal:
        keeps.append(p.share("keep"))
        return keeps[-1]

    _walk(kit, case, path, amount, t0, keep, lambda: p.hours("hop_h"))
    kit.involve(case, origin)
    case.detail(origin=origin.ref, hops=len(path) - 1, amount=str(amount), path=[_node_id(n) for n in path])


def scatter_gather(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = p.pick("currency")
    origin = kit.actors.pick(rng, cur)
    to_customer = p.pick("beneficiary") == "customer"
    beneficiary: Node = kit.actors.pick(rng, cur) if to_customer else outside_party(rng)
    mids = _nodes(kit, case, p.int("intermediaries"), cur, p.probability("customers"), customers_only=not to_customer)
    scatter = p.int("scatter_days")
    t0 = kit.time_on(kit.first_day(case, scatter + 8), rng, 8, 13)
    edges = [(mid, _amount(case), _spread(kit, case, t0, scatter)) for mid in mids]
    gather_from = max(at for _, _, at in edges)
    _fund_all(kit, case, {origin.idx: (origin, sum((a for _, a, _ in edges), Decimal(0)))}, t0)
    for mid, amount, at in edges:
        _edge(kit, case, origin, mid, amount, at)
        passed = (amount * p.share("keep")).quantize(CENT)
        at = gather_from + p.hours("gather_delay_h") * rng.uniform(0.3, 1)
        _edge(kit, case, mid, beneficiary, passed, at, passing=True)
    kit.involve(case, origin)
    case.detail(origin=origin.ref, intermediaries=len(mids), beneficiary=_node_id(beneficiary))


def gather_scatter(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = p.pick("currency")
    hub = kit.actors.pick(rng, cur)
    share = p.probability("customers")
    senders = _nodes(kit, case, p.int("senders"), cur, share)
    receivers = _nodes(kit, case, p.int("receivers"), cur, share)
    gather = p.int("gather_days")
    t0 = kit.time_on(kit.first_day(case, gather + 8), rng, 8, 13)
    edges = [(s, _amount(case), _spread(kit, case, t0, gather)) for s in senders]
    _fund_all(kit, case, {s.idx: (s, a) for s, a, _ in edges if isinstance(s, SimCustomer)}, t0)
    for sender, amount, at in edges:
        _edge(kit, case, sender, hub, amount, at)
    gathered = sum((a for _, a, _ in edges), Decimal(0))
    passed = (gathered * (1 - p.share("hub_keeps"))).quantize(CENT)
    scatter_from = max(at for _, _, at in edges) + p.hours("scatter_delay_h")
    for receiver, piece in zip(receivers, pieces(passed, len(receivers), rng, 0.3), strict=True):
        _edge(kit, case, hub, receiver, piece, scatter_from + timedelta(minutes=rng.randint(0, 36 * 60)), passing=True)
    kit.involve(case, hub)
    case.detail(hub=hub.ref, senders=len(senders), receivers=len(receivers), gathered=str(gathered))


def bipartite(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = p.pick("currency")
    share = p.probability("customers")
    left = _nodes(kit, case, p.int("left"), cur, share)
    all_left_customers = all(isinstance(n, SimCustomer) for n in left)
    right = _nodes(kit, case, p.int("right"), cur, share, customers_only=not all_left_customers)
    span = p.int("span_days")
    t0 = kit.time_on(kit.first_day(case, span + 1), rng, 8, 13)
    edges = [(src, dst, _amount(case), _spread(kit, case, t0, span)) for src in left for dst in right]
    totals: dict[int, tuple[SimCustomer, Decimal]] = {}
    for src, _, amount, _ in edges:
        if isinstance(src, SimCustomer):
            totals[src.idx] = (src, totals.get(src.idx, (src, Decimal(0)))[1] + amount)
    _fund_all(kit, case, totals, t0)
    for src, dst, amount, at in edges:
        _edge(kit, case, src, dst, amount, at)
    case.detail(left=len(left), right=len(right), edges=len(edges))


def stack(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = p.pick("currency")
    share = p.probability("customers")
    first = _nodes(kit, case, p.int("layer"), cur, share)
    middle = _nodes(kit, case, p.int("layer"), cur, share, customers_only=True)
    last = _nodes(kit, case, p.int("layer"), cur, share)
    t0 = kit.time_on(kit.first_day(case, 10), rng, 8, 13)
    edges = [
        (src, dst, _amount(case), t0 + timedelta(minutes=rng.randint(60, 20 * 60))) for src in first for dst in middle
    ]
    totals: dict[int, tuple[SimCustomer, Decimal]] = {}
    received: dict[int, Decimal] = {}
    for src, dst, amount, _ in edges:
        if isinstance(src, SimCustomer):
            totals[src.idx] = (src, totals.get(src.idx, (src, Decimal(0)))[1] + amount)
        assert isinstance(dst, SimCustomer)
        received[dst.idx] = received.get(dst.idx, Decimal(0)) + amount
    _fund_all(kit, case, totals, t0)
    for src, dst, amount, at in edges:
        _edge(kit, case, src, dst, amount, at)
    second = max(at for *_, at in edges) + p.hours("layer_delay_h")
    for mid in middle:
        assert isinstance(mid, SimCustomer)
        passed = (received[mid.idx] * p.share("keep")).quantize(CENT)
        for dst, piece in zip(last, pieces(passed, len(last), rng, 0.3), strict=True):
            _edge(kit, case, mid, dst, piece, second + timedelta(minutes=rng.randint(0, 24 * 60)), passing=True)
    case.detail(layers=[len(first), len(middle), len(last)], edges=len(edges) + len(middle) * len(last))


def random_walk(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = p.pick("currency")
    start = kit.actors.pick(rng, cur)
    members: list[Node] = [start, *_nodes(kit, case, p.int("members") - 1, cur, p.probability("customers"))]
    if not any(isinstance(m, SimCustomer) for m in members[1:]):
        members.append(kit.actors.pick(rng, cur))
    walk: list[Node] = [start]
    for _ in range(p.int("steps")):
        here = walk[-1]
        options = [
            m for m in members if m is not here and (isinstance(here, SimCustomer) or isinstance(m, SimCustomer))
        ]
        walk.append(rng.choice(options))
    t0 = kit.time_on(kit.first_day(case, len(walk) * 3), rng, 8, 18)
    _walk(kit, case, walk, _amount(case), t0, lambda: p.share("keep"), lambda: p.hours("hop_h"))
    kit.involve(case, start)
    case.detail(members=len(members), steps=len(walk) - 1, path=[_node_id(n) for n in walk])


def layering_chain(kit: Kit, case: Case) -> None:
    p, rng = case.params, case.rng
    cur = p.pick("currency")
    source, exit_to = outside_party(rng, 0.7), outside_party(rng, 0.7)
    head = kit.actors.pick(rng, cur)
    rest = _path(kit, case, p.int("accounts") - 1, cur, p.probability("customers"), head, exit_to)
    path: list[Node] = [head, *rest, exit_to]
    amount = _amount(case)
    t0 = kit.time_on(kit.first_day(case, 3), rng, 7, 14)
    channel = p.pick("funding")
    kit.when(case, t0, lambda plan, t: kit.receive(case, plan, head, amount, t, channel, source))
    keep = p.share("keep")
    _walk(
        kit,
        case,
        path,
        (amount * keep).quantize(CENT),
        t0 + p.hours("hop_h"),
        lambda: p.share("keep"),
        lambda: p.hours("hop_h"),
        fund=False,
    )
    case.detail(
        accounts=len(path) - 1,
        customers=sum(isinstance(n, SimCustomer) for n in path),
        amount=str(amount),
        path=[_node_id(n) for n in (source, *path)],
    )


GENERATORS: dict[str, Generator] = {
    "fan_out": fan_out,
    "fan_in": fan_in,
    "cycle": cycle,
    "scatter_gather": scatter_gather,
    "gather_scatter": gather_scatter,
    "bipartite": bipartite,
    "stack": stack,
    "random": random_walk,
    "layering_chain": layering_chain,
}
