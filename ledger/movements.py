"""The common movements of a customer's money, built so that a caller cannot get the conventions wrong.

Each helper returns a `Movement`; `Ledger.move` posts one and `Ledger.post_many` takes them beside plain
`Transfer`s. The ledger turns a movement into a balanced journal entry with its channel, counterparty and
location set (see `ledger.payments`), in the account's currency:

    cash_deposit / cash_withdrawal   the customer's account against the cash vault (`Rails.cash`)
    wire_in / wire_out               against the settlement account (`Rails.settlement`), naming the
    ach_in / ach_out                 outside party (sender or beneficiary)
    p2p                              one customer's account to another's (both on the platform)
    p2p_in / p2p_out                 P2P with a party outside the platform, who is the counterparty: each
                                     outside payer is a sender of its own

    from ledger.movements import Counterparty, cash_deposit, wire_out
    ledger.move(cash_deposit("dep-7", "ALICE-USD", "9400", location="BRANCH-NYC-014"))
    ledger.move(wire_out("w-9", "ALICE-USD", "9000", beneficiary=Counterparty("Acme Ltd", "GB29NWBK60161331926819")))

`Rails` names the platform accounts money from outside passes through, per currency; the default matches
the simulator's chart of accounts (`SAFEGUARD-USD`, `CASH-VAULT-USD`, ...). Pass your own to `Ledger`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ledger.errors import InvalidRequest
from ledger.model import AmountLike, Leg, Transfer
from ledger.payments import Channel, Counterparty


@dataclass(frozen=True, slots=True)
class Rails:
    """Platform accounts external money moves through; `{currency}` is replaced by the account's currency."""

    settlement: str = "SAFEGUARD-{currency}"
    cash: str = "CASH-VAULT-{currency}"

    def account(self, channel: Channel, currency: str) -> str:
        template = self.cash if channel in (Channel.CASH_DEPOSIT, Channel.CASH_WITHDRAWAL) else self.settlement
        return template.format(currency=currency)


DEFAULT_RAILS = Rails()


@dataclass(frozen=True, slots=True)
class Movement:
    """Money into (`inbound`) or out of a customer's `account`; for P2P between two customers, out of
    `account` into `to_account`."""

    reference_id: str
    channel: Channel
    account: str
    amount: AmountLike
    inbound: bool
    counterparty: Counterparty | None = None
    to_account: str | None = None
    location: str | None = None
    description: str | None = None
    metadata: Mapping[str, Any] | None = None
    effective_at: datetime | None = None

    def transfer(self, currency: str, rails: Rails) -> tuple[Transfer, tuple[str, str]]:
        """The journal entry for this movement in `currency`, with the caller's field name of each leg."""
        if self.to_account is not None:
            legs = [Leg.debit(self.account, self.amount), Leg.credit(self.to_account, self.amount)]
            names = ("account", "to_account")
        else:
            platform = rails.account(self.channel, currency)
            rail = (
                "rails.cash" if self.channel in (Channel.CASH_DEPOSIT, Channel.CASH_WITHDRAWAL) else "rails.settlement"
            )
            if self.inbound:
                legs, names = (
                    [Leg.debit(platform, self.amount), Leg.credit(self.account, self.amount)],
                    (rail, "account"),
                )
            else:
                legs, names = (
                    [Leg.debit(self.account, self.amount), Leg.credit(platform, self.amount)],
                    ("account", rail),
                )
        transfer = Transfer(
            self.reference_id,
            legs,
            self.description if self.description is not None else self._default_description(),
            self.metadata,
            self.effective_at,
            channel=self.channel,
            counterparty=self.counterparty,
            location=self.location,
        )
        return transfer, names

    def _default_description(self) -> str:
        name = self.counterparty.name.upper() if self.counterparty else None
        match self.channel:
            case Channel.CASH_DEPOSIT:
                return f"CASH DEPOSIT {self.location or ''}".strip()
            case Channel.CASH_WITHDRAWAL:
                return f"CASH WITHDRAWAL {self.location or ''}".strip()
            case Channel.P2P if self.to_account is not None:
                return f"P2P TO {self.to_account}"
        verb = "FROM" if self.inbound else "TO"
        return f"{self.channel.value} {verb} {name}" if name else self.channel.value


def _party(value: Counterparty | str, *, field: str) -> Counterparty:
    if isinstance(value, Counterparty):
        return value
    if isinstance(value, str):
        return Counterparty(value)
    raise InvalidRequest(f"{field} must be a Counterparty or a name", field=field)


def cash_deposit(
    reference_id: str,
    account: str,
    amount: AmountLike,
    *,
    location: str | None = None,
    effective_at: datetime | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Movement:
    """Cash paid into `account` at a branch or ATM (`location`: its identifier)."""
    return Movement(
        reference_id, Channel.CASH_DEPOSIT, account, amount, True, None, None, location, description, metadata,
        effective_at,
    )  # fmt: skip


def cash_withdrawal(
    reference_id: str,
    account: str,
    amount: AmountLike,
    *,
    location: str | None = None,
    effective_at: datetime | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Movement:
    """Cash paid out of `account` at a branch or ATM."""
    return Movement(
        reference_id, Channel.CASH_WITHDRAWAL, account, amount, False, None, None, location, description, metadata,
        effective_at,
    )  # fmt: skip


def _external(
    channel: Channel,
    inbound: bool,
    reference_id: str,
    account: str,
    amount: AmountLike,
    party: Counterparty | str,
    field: str,
    effective_at: datetime | None,
    description: str | None,
    metadata: Mapping[str, Any] | None,
) -> Movement:
    return Movement(
        reference_id, channel, account, amount, inbound, _party(party, field=field), None, None, description,
        metadata, effective_at,
    )  # fmt: skip


def wire_in(
    reference_id: str,
    account: str,
    amount: AmountLike,
    *,
    sender: Counterparty | str,
    effective_at: datetime | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Movement:
    """A wire into `account` from `sender`, outside the platform."""
    return _external(
        Channel.WIRE, True, reference_id, account, amount, sender, "sender", effective_at, description, metadata
    )


def wire_out(
    reference_id: str,
    account: str,
    amount: AmountLike,
    *,
    beneficiary: Counterparty | str,
    effective_at: datetime | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Movement:
    """A wire out of `account` to `beneficiary`, outside the platform."""
    return _external(
        Channel.WIRE, False, reference_id, account, amount, beneficiary, "beneficiary", effective_at, description,
        metadata,
    )  # fmt: skip


def ach_in(
    reference_id: str,
    account: str,
    amount: AmountLike,
    *,
    sender: Counterparty | str,
    effective_at: datetime | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Movement:
    """An ACH credit into `account` from `sender` (a payroll, a benefit, a transfer from elsewhere)."""
    return _external(
        Channel.ACH, True, reference_id, account, amount, sender, "sender", effective_at, description, metadata
    )


def ach_out(
    reference_id: str,
    account: str,
    amount: AmountLike,
    *,
    beneficiary: Counterparty | str,
    effective_at: datetime | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Movement:
    """An ACH payment out of `account` to `beneficiary` (rent, a bill, a transfer elsewhere)."""
    return _external(
        Channel.ACH, False, reference_id, account, amount, beneficiary, "beneficiary", effective_at, description,
        metadata,
    )  # fmt: skip


def p2p(
    reference_id: str,
    from_account: str,
    to_account: str,
    amount: AmountLike,
    *,
    effective_at: datetime | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Movement:
    """P2P from one customer's account to another's, both on the platform."""
    return Movement(
        reference_id, Channel.P2P, from_account, amount, False, None, to_account, None, description, metadata,
        effective_at,
    )  # fmt: skip


def p2p_in(
    reference_id: str,
    account: str,
    amount: AmountLike,
    *,
    payer: Counterparty | str,
    effective_at: datetime | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Movement:
    """P2P into `account` from `payer`, a person outside the platform (each payer its own counterparty)."""
    return _external(
        Channel.P2P, True, reference_id, account, amount, payer, "payer", effective_at, description, metadata
    )


def p2p_out(
    reference_id: str,
    account: str,
    amount: AmountLike,
    *,
    payee: Counterparty | str,
    effective_at: datetime | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Movement:
    """P2P out of `account` to `payee`, a person outside the platform."""
    return _external(
        Channel.P2P, False, reference_id, account, amount, payee, "payee", effective_at, description, metadata
    )
