"""Reference data the write path needs on every call, cached per `Ledger` instance.

Only immutable facts are cached: a currency's minor units and kind, and an account's id, type, currency,
overdraft permission and customer. Whether an account is closed is read under lock in every write transaction.
Monthly partitions already known to exist are cached too, so the common case costs no round trip.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg

from ledger.errors import UnknownAccount, UnknownCurrency
from ledger.model import AccountType, Direction


@dataclass(frozen=True, slots=True)
class AccountRef:
    account_id: int
    code: str
    type: AccountType
    currency: str
    allow_negative: bool
    customer_id: int | None = None
    normal_side: Direction = field(init=False)

    def __post_init__(self) -> None:
        # Read for every leg on the write path: computed once, not per access.
        object.__setattr__(self, "normal_side", self.type.normal_side)


class Catalog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._minor_units: dict[str, int] = {}
        self._crypto: set[str] = set()
        self._by_code: dict[str, AccountRef] = {}
        self._months: set[tuple[str, int, int]] = set()

    def minor_units(self, conn: psycopg.Connection, currency: str, *, field: str = "currency") -> int:
        self._load_currencies(conn)
        try:
            return self._minor_units[currency]
        except KeyError:
            raise UnknownCurrency(f"{field}: unknown currency {currency!r}", field=field) from None

    def is_crypto(self, conn: psycopg.Connection, currency: str) -> bool:
        self._load_currencies(conn)
        return currency in self._crypto

    def _load_currencies(self, conn: psycopg.Connection) -> None:
        if not self._minor_units:
            rows = conn.execute("SELECT code, minor_units, kind FROM ledger.currencies").fetchall()
            with self._lock:
                self._minor_units.update({str(code): int(units) for code, units, _ in rows})
                self._crypto.update(str(code) for code, _, kind in rows if kind == "CRYPTO")

    def accounts(self, conn: psycopg.Connection, codes: Iterable[str]) -> dict[str, AccountRef]:
        """The accounts named by `codes` that exist (missing codes are simply absent)."""
        wanted = set(codes)
        missing = [code for code in wanted if code not in self._by_code]
        if missing:
            rows = conn.execute(
                "SELECT account_id, code, type, currency, allow_negative, customer_id FROM ledger.accounts"
                " WHERE code = ANY(%b)",
                (missing,),
            ).fetchall()
            with self._lock:
                for account_id, code, type_, currency, allow_negative, customer_id in rows:
                    self._by_code[code] = AccountRef(
                        account_id, code, AccountType(type_), currency, allow_negative, customer_id
                    )
        return {code: self._by_code[code] for code in wanted if code in self._by_code}

    def account(self, conn: psycopg.Connection, code: str, *, field: str = "account") -> AccountRef:
        found = self.accounts(conn, [code]).get(code)
        if found is None:
            raise UnknownAccount(f"{field}: no account with code {code!r}", field=field, account=code)
        return found

    def remember(self, ref: AccountRef) -> None:
        with self._lock:
            self._by_code[ref.code] = ref

    def ensure_partitions(self, conn: psycopg.Connection, table: str, times: Iterable[datetime]) -> None:
        """Create the monthly partitions of ledger.`table` covering `times` (outside any write transaction).

        Partitions are DDL; creating them inside the posting transaction would hold a lock on the parent
        table for the whole transaction, so they are created up front on an autocommit connection.
        """
        months = {(table, u.year, u.month) for u in (t.astimezone(UTC) for t in times)}
        todo = sorted(months - self._months)
        if not todo:
            return
        for _, year, month in todo:
            start = datetime(year, month, 1, tzinfo=UTC)
            conn.execute("SELECT ledger.ensure_monthly_partitions(%s, %s, %s)", (table, start, start))
        conn.commit()
        with self._lock:
            self._months.update(todo)
