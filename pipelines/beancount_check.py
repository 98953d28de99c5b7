"""An outside accounting engine checks the ledger: Beancount, which nobody on the project wrote.

Every committed journal entry is exported to a Beancount file (`export`); Beancount parses it, checks that
every transaction balances exactly (tolerance zero: `inferred_tolerance_default *:0`,
`tolerance_multiplier 0`) and that every posting names an open account in its currency; then the balances
Beancount holds are compared, with Decimal equality and no tolerance, with
  - the balance projection, `ledger.balances.posted`, every account;
  - `analytics.fct_daily_balances`: every row's closing balance, debits and credits, and that every
    account has a row for every day from its first movement to the marts' last day;
  - `analytics.rpt_trial_balance`: every (day, currency) row's debits, credits and line count.
Everything is read in one REPEATABLE READ snapshot. The marts are compared with the journals posted by
their own cut (`source_posted_through`): an entry posted after the build is not the marts' to know.

Mapping: an account of type ASSET, LIABILITY, EQUITY, REVENUE, EXPENSE opens under Assets, Liabilities,
Equity, Income, Expenses with its code (characters Beancount refuses become '-', an id suffix settles a
clash), in its currency, on the day of its first movement or its opening, whichever is earlier. A journal
entry is a transaction dated its effective day (UTC, the ledger's business day); a debit is positive,
a credit negative, with all 18 decimals. Holds are not entries. A Beancount balance is debits minus
credits; the ledger reports balances on the account's normal side, so a CREDIT-normal account's is the
negative of Beancount's.
"""

from __future__ import annotations

import bisect
import decimal
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import psycopg
from beancount import loader
from beancount.core.data import Transaction
from beancount.ops import summarize

ROOTS = {"ASSET": "Assets", "LIABILITY": "Liabilities", "EQUITY": "Equity", "REVENUE": "Income", "EXPENSE": "Expenses"}
ZERO = Decimal(0)
MAX_REPORTED = 50
"""Problems listed in a report (the count is always whole)."""

_COMMODITY = re.compile(r"^[A-Z][A-Z0-9'._-]*[A-Z0-9]$")
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9-]")

_ACCOUNTS = """
SELECT a.account_id, a.code, a.type, b.normal_side, a.currency, (a.opened_at AT TIME ZONE 'UTC')::date
  FROM ledger.accounts a JOIN ledger.balances b USING (account_id)
 ORDER BY a.account_id
"""
_LINES = """
SELECT j.journal_id, (j.effective_at AT TIME ZONE 'UTC')::date, j.posted_at, e.account_id, e.direction,
       e.amount::text, e.currency
  FROM ledger.entries e JOIN ledger.journal_entries j USING (journal_id)
 ORDER BY j.effective_at, j.journal_id, e.leg_no
"""


@dataclass(frozen=True, slots=True)
class _Account:
    account_id: int
    name: str  # in Beancount
    code: str
    normal_side: str
    currency: str
    opened: date


@dataclass(slots=True)
class BeancountReport:
    """What the check found: Beancount's own errors and every difference with the ledger and the marts."""

    transactions: int = 0
    accounts: int = 0
    compared: dict[str, int] = field(default_factory=dict)  # what was compared, per target
    errors: list[str] = field(default_factory=list)  # Beancount's (an unbalanced transaction, say)
    mismatches: list[str] = field(default_factory=list)
    mismatch_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.mismatch_count

    def problems(self) -> list[str]:
        more = self.mismatch_count - len(self.mismatches)
        return [*self.errors, *self.mismatches, *([f"... and {more} more differences"] if more > 0 else [])]

    def _mismatch(self, text: str) -> None:
        self.mismatch_count += 1
        if len(self.mismatches) < MAX_REPORTED:
            self.mismatches.append(text)


def check_with_beancount(pg_url: str, *, marts: bool = True) -> BeancountReport:
    """Export the ledger to Beancount, let it check every transaction, and compare its balances with the
    projection and (`marts`) the daily balances and trial balance marts, all in one read-only snapshot."""
    with psycopg.connect(pg_url) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction():
            return check_connection(conn, marts=marts)


def check_connection(conn: psycopg.Connection[Any], *, marts: bool = True) -> BeancountReport:
    """`check_with_beancount` on an open connection: it reads what that connection sees (the caller picks
    the snapshot)."""
    report = BeancountReport()
    accounts = _accounts(conn)
    lines = conn.execute(_LINES).fetchall()
    projection = {r[0]: r[1] for r in conn.execute("SELECT account_id, posted FROM ledger.balances").fetchall()}
    cut = _marts_cut(conn) if marts else None
    daily = trial = None
    if cut is not None:
        daily = conn.execute(
            "SELECT account_id, business_date, closing_balance, debits, credits"
            " FROM analytics.fct_daily_balances ORDER BY account_id, business_date"
        ).fetchall()
        trial = conn.execute(
            "SELECT business_date, currency, total_debits, total_credits, lines FROM analytics.rpt_trial_balance"
        ).fetchall()
    text = export(accounts, lines)
    # 18 decimals on amounts in the trillions need more than Decimal's default 28 digits: sums stay exact
    with decimal.localcontext() as context:
        context.prec = 100
        entries, errors, _ = loader.load_string(text)
        report.errors = [f"beancount: {e.message}" for e in errors][:MAX_REPORTED]
        report.accounts = len(accounts)
        postings = _postings(entries, accounts)
        report.transactions = sum(isinstance(e, Transaction) for e in entries)
        _compare_projection(report, accounts, entries, projection)
        if cut is not None and daily is not None and trial is not None:
            posted_by_cut = {journal_id for journal_id, _, posted_at, *_ in lines if posted_at <= cut}
            in_marts = [p for p in postings if p.journal in posted_by_cut]
            _compare_daily(report, accounts, in_marts, daily)
            _compare_trial(report, in_marts, trial)
    return report


def export(accounts: dict[int, _Account], lines: list[tuple[Any, ...]]) -> str:
    """The ledger as a Beancount file (exact: zero tolerance, every amount with its 18 decimals)."""
    first_day: dict[int, date] = {}
    for _, day, _, account_id, *_ in lines:
        if account_id not in first_day or day < first_day[account_id]:
            first_day[account_id] = day
    out = [
        'option "title" "fintra ledger"',
        'option "inferred_tolerance_default" "*:0"',
        'option "tolerance_multiplier" "0"',
        "",
    ]
    for a in accounts.values():
        opened = min(a.opened, first_day.get(a.account_id, a.opened))
        out.append(f"{opened.isoformat()} open {a.name} {_commodity(a.currency)}")
        out.append(f'  code: "{a.code}"')
        out.append(f"  account_id: {a.account_id}")
    out.append("")
    current = None
    for journal_id, day, _, account_id, direction, amount, currency in lines:
        if journal_id != current:
            out.append(f'{day.isoformat()} * "journal {journal_id}"')
            out.append(f"  journal_id: {journal_id}")
            current = journal_id
        sign = "" if direction == "DEBIT" else "-"
        out.append(f"  {accounts[account_id].name}  {sign}{amount} {_commodity(currency)}")
    out.append("")
    return "\n".join(out)


@dataclass(frozen=True, slots=True)
class _Posting:
    journal: int
    day: date
    account_id: int
    units: Decimal  # debit positive
    currency: str


def _accounts(conn: psycopg.Connection[Any]) -> dict[int, _Account]:
    accounts: dict[int, _Account] = {}
    taken: set[str] = set()
    for account_id, code, type_, normal_side, currency, opened in conn.execute(_ACCOUNTS).fetchall():
        parts = [_component(p) for p in code.split(":") if p] or ["X"]
        name = ":".join([ROOTS[type_], *parts])
        if name in taken:
            name = f"{name}-ID{account_id}"
        taken.add(name)
        accounts[account_id] = _Account(account_id, name, code, normal_side, currency, opened)
    return accounts


def _component(part: str) -> str:
    text = _NOT_ALLOWED.sub("-", part)
    text = text[0].upper() + text[1:]
    return text if re.match(r"[A-Z0-9]", text) else "X" + text


def _commodity(currency: str) -> str:
    return currency if _COMMODITY.match(currency) else "C" + _NOT_ALLOWED.sub("", currency).upper()


def _postings(entries: list[Any], accounts: dict[int, _Account]) -> list[_Posting]:
    """Beancount's postings (as it parsed and booked them), with the journal and account they stand for."""
    by_name = {a.name: a.account_id for a in accounts.values()}
    postings = []
    for entry in entries:
        if isinstance(entry, Transaction):
            journal = int(entry.meta["journal_id"])
            for posting in entry.postings:
                units = posting.units
                postings.append(_Posting(journal, entry.date, by_name[posting.account], units.number, units.currency))
    return postings


def _normal(account: _Account, beancount_balance: Decimal) -> Decimal:
    return beancount_balance if account.normal_side == "DEBIT" else -beancount_balance


def _compare_projection(
    report: BeancountReport, accounts: dict[int, _Account], entries: list[Any], projection: dict[int, Decimal]
) -> None:
    """Beancount's own inventories (summarize.balance_by_account) against the projection."""
    inventories, _ = summarize.balance_by_account(entries)
    for account_id, account in accounts.items():
        inventory = inventories.get(account.name)
        units = ZERO if inventory is None else inventory.get_currency_units(_commodity(account.currency)).number
        want = _normal(account, units)
        got = projection.get(account_id)
        if got != want:
            report._mismatch(f"ledger.balances {account.code}: projection {got}, Beancount {want}")
    report.compared["ledger.balances"] = len(accounts)


def _compare_daily(
    report: BeancountReport, accounts: dict[int, _Account], postings: list[_Posting], rows: list[tuple[Any, ...]]
) -> None:
    # per account: its days with movements, closing balance (debits - credits) after each, and the day's sums
    moves: dict[int, dict[date, list[Decimal]]] = defaultdict(lambda: defaultdict(lambda: [ZERO, ZERO]))
    for p in postings:
        sums = moves[p.account_id][p.day]
        if p.units >= 0:
            sums[0] += p.units
        else:
            sums[1] -= p.units
    closings: dict[int, tuple[list[date], list[Decimal]]] = {}
    for account_id, days in moves.items():
        ordered = sorted(days)
        balance, running = ZERO, []
        for day in ordered:
            debit, credit = days[day]
            balance += debit - credit
            running.append(balance)
        closings[account_id] = (ordered, running)
    last_day = max((r[1] for r in rows), default=None)
    seen: dict[int, int] = defaultdict(int)
    for account_id, day, closing, debits, credits in rows:
        account = accounts.get(account_id)
        if account is None or account_id not in closings:
            report._mismatch(f"fct_daily_balances {account_id} {day}: a row for an account without entries")
            continue
        seen[account_id] += 1
        days, running = closings[account_id]
        i = bisect.bisect_right(days, day)
        want = _normal(account, running[i - 1] if i else ZERO)
        debit, credit = moves[account_id].get(day, (ZERO, ZERO))
        if (closing, debits, credits) != (want, debit, credit):
            report._mismatch(
                f"fct_daily_balances {account.code} {day}: closing/debits/credits {closing}/{debits}/{credits},"
                f" Beancount {want}/{debit}/{credit}"
            )
    if last_day is not None:
        for account_id, (days, _) in closings.items():
            expected = (last_day - days[0]).days + 1 if days[0] <= last_day else 0
            if seen.get(account_id, 0) != expected:
                code = accounts[account_id].code
                report._mismatch(f"fct_daily_balances {code}: {seen.get(account_id, 0)} daily rows, {expected} days")
    report.compared["fct_daily_balances"] = len(rows)


def _compare_trial(report: BeancountReport, postings: list[_Posting], rows: list[tuple[Any, ...]]) -> None:
    want: dict[tuple[date, str], list[Any]] = defaultdict(lambda: [ZERO, ZERO, 0])
    for p in postings:
        sums = want[(p.day, p.currency)]
        if p.units >= 0:
            sums[0] += p.units
        else:
            sums[1] -= p.units
        sums[2] += 1
    got = {(day, currency): [debits or ZERO, credits or ZERO, lines] for day, currency, debits, credits, lines in rows}
    for key in sorted(set(want) | set(got)):
        if want.get(key) != got.get(key):
            report._mismatch(f"rpt_trial_balance {key[0]} {key[1]}: mart {got.get(key)}, Beancount {want.get(key)}")
    report.compared["rpt_trial_balance"] = len(rows)


def _marts_cut(conn: psycopg.Connection[Any]) -> datetime | None:
    """When the marts were built up to (None when they were never built)."""
    exists = conn.execute("SELECT to_regclass('analytics.fct_daily_balances') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return None
    row = conn.execute("SELECT max(source_posted_through) FROM analytics.fct_daily_balances").fetchone()
    return row[0] if row else None
