"""Payment semantics: how money moved (`Channel`), with whom (`Counterparty`) and where (`location`).

These are typed columns of journal entries and holds, validated on the way in, because every compliance
rule, feature and report reads them: a free-form `{"Channel": "Wire"}` that no rule recognises would
silently take a movement out of monitoring. The one definition of each value lives here; the database
repeats the enumeration as a CHECK constraint (migration 0008).

Channels
    CASH_DEPOSIT     cash paid in at a branch or ATM (`location` says which)
    CASH_WITHDRAWAL  cash paid out at a branch or ATM
    CARD             card payments: authorisations (holds) and their captures
    ACH              batch bank transfers (ACH, SEPA credit transfer, Bacs, Faster Payments)
    WIRE             wire / SWIFT / same-day high-value transfers
    P2P              person-to-person: between two customers, or with an outside payer or payee
    FX               a conversion between two fiat currencies of one customer
    CRYPTO           buying or selling crypto assets
    FEE              a fee the platform charges a customer
    INTERNAL         the platform's own bookkeeping (capital, settlement, cash logistics, interest)

How a journal's channel is decided, in this order:
1. the `channel` the caller gave;
2. a `channel` key in the caller's metadata (the convention before typed fields existed; the key is
   matched without regard to case, spaces or hyphens, and its value through `LEGACY_CHANNELS`);
3. the kind of the entry: a conversion is FX or CRYPTO, a capture takes its hold's channel, a reversal
   its original's;
4. INTERNAL when no leg is on a customer's account.
Otherwise the entry is refused: a movement of a customer's money must say how it moved.

A counterparty is required for WIRE and ACH, and for P2P unless both sides are customers of the
platform (`Counterparty` names the outside party; the other customer of an internal P2P is on the legs).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ledger.errors import InvalidRequest


class Channel(StrEnum):
    CASH_DEPOSIT = "CASH_DEPOSIT"
    CASH_WITHDRAWAL = "CASH_WITHDRAWAL"
    CARD = "CARD"
    ACH = "ACH"
    WIRE = "WIRE"
    P2P = "P2P"
    FX = "FX"
    CRYPTO = "CRYPTO"
    FEE = "FEE"
    INTERNAL = "INTERNAL"


# Channels on which money reaches or leaves a party outside the platform, who must be named.
NEEDS_COUNTERPARTY = frozenset({Channel.WIRE, Channel.ACH})
# Cash, before the direction of the customer's leg says whether it was paid in or out.
_CASH = "CASH"

# Values of the metadata convention that preceded typed fields (and of what callers commonly write),
# normalised to upper case with `_` for spaces and hyphens. CASH means a deposit or a withdrawal as the
# customer's leg says.
LEGACY_CHANNELS: Mapping[str, str] = {
    **{c.value: c.value for c in Channel},
    "BRANCH": _CASH,
    "ATM": _CASH,
    "CASH": _CASH,
    "TELLER": _CASH,
    "DEPOSIT": Channel.CASH_DEPOSIT.value,
    "WITHDRAWAL": Channel.CASH_WITHDRAWAL.value,
    "SWIFT": Channel.WIRE.value,
    "BANK_TRANSFER": Channel.ACH.value,
    "SEPA": Channel.ACH.value,
    "FASTER_PAYMENTS": Channel.ACH.value,
    "BACS": Channel.ACH.value,
    "CARD_PAYMENT": Channel.CARD.value,
    "POS": Channel.CARD.value,
    "ECOM": Channel.CARD.value,
    "CONVERSION": Channel.FX.value,
    "EXCHANGE": Channel.FX.value,
    "SETTLEMENT": Channel.INTERNAL.value,
    "CAPITAL": Channel.INTERNAL.value,
    "CASH_LOGISTICS": Channel.INTERNAL.value,
    "INTEREST": Channel.INTERNAL.value,
}

# Metadata keys of that convention, by the typed field they fill.
_LEGACY_KEYS = {
    "channel": "channel",
    "counterparty_name": "name",
    "counterparty": "name",
    "counterparty_account": "account",
    "counterparty_iban": "account",
    "counterparty_institution": "institution",
    "counterparty_bank": "institution",
    "counterparty_bic": "institution",
    "counterparty_country": "country",
    "location": "location",
    "branch": "location",
    "branch_id": "location",
    "atm_id": "location",
}

MAX_NAME = 200
MAX_ACCOUNT = 64
MAX_INSTITUTION = 140
MAX_LOCATION = 100
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_ACCOUNT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./:_-]*$")


@dataclass(frozen=True, slots=True)
class Counterparty:
    """The party outside the platform on the other side of a movement.

    name: as the payment names it (a person or a company). account: their account identifier (IBAN,
    account number, wallet or card token) when known. institution: their bank (name or BIC).
    country: ISO 3166-1 alpha-2 code of the account's country.
    """

    name: str
    account: str | None = None
    institution: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class PaymentDetails:
    """The validated payment semantics of one journal entry or hold (what gets stored)."""

    channel: Channel
    counterparty: Counterparty | None = None
    location: str | None = None

    def hash_parts(self) -> list[str | None]:
        """What these details add to an idempotency fingerprint."""
        cp = self.counterparty
        return [
            self.channel.value,
            *((cp.name, cp.account, cp.institution, cp.country) if cp else (None, None, None, None)),
            self.location,
        ]


def parse_channel(value: object, *, field: str) -> Channel | str:
    """A channel from its name or a legacy spelling ("wire", "Wire", "cash-deposit"); the marker CASH for
    a legacy "branch"/"atm" whose direction the legs decide. Unknown values are refused, naming `field`."""
    if isinstance(value, Channel):
        return value
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest(f"{field} must be one of {', '.join(Channel)}", field=field)
    key = re.sub(r"[\s-]+", "_", value.strip()).upper()
    found = LEGACY_CHANNELS.get(key)
    if found is None:
        raise InvalidRequest(f"{field}: unknown channel {value!r}; expected one of {', '.join(Channel)}", field=field)
    return found if found == _CASH else Channel(found)


def _text(value: object, *, field: str, limit: int, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise InvalidRequest(f"{field} is required", field=field)
        return None
    if not isinstance(value, str):
        raise InvalidRequest(f"{field} must be a string", field=field)
    text = value.strip()
    if not text:
        if required:
            raise InvalidRequest(f"{field} must not be empty", field=field)
        return None
    if len(text) > limit:
        raise InvalidRequest(f"{field} is longer than {limit} characters", field=field)
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in text):
        raise InvalidRequest(f"{field} contains control or unassigned characters", field=field)
    return text


def check_counterparty(value: object, *, field: str) -> Counterparty | None:
    """A validated, whitespace-trimmed counterparty (or None); errors name `field.name`, `field.account`..."""
    if value is None:
        return None
    if not isinstance(value, Counterparty):
        raise InvalidRequest(f"{field} must be a Counterparty", field=field)
    name = _text(value.name, field=f"{field}.name", limit=MAX_NAME, required=True)
    account = _text(value.account, field=f"{field}.account", limit=MAX_ACCOUNT)
    if account is not None and not _ACCOUNT.match(account):
        raise InvalidRequest(
            f"{field}.account may hold letters, digits, spaces and . / : _ - only, got {account!r}",
            field=f"{field}.account",
        )
    institution = _text(value.institution, field=f"{field}.institution", limit=MAX_INSTITUTION)
    country = _text(value.country, field=f"{field}.country", limit=2)
    if country is not None and not _COUNTRY.match(country):
        raise InvalidRequest(
            f"{field}.country must be an ISO 3166-1 alpha-2 code in capitals, got {country!r}",
            field=f"{field}.country",
        )
    assert name is not None
    return Counterparty(name, account, institution, country)


def check_location(value: object, *, field: str) -> str | None:
    return _text(value, field=field, limit=MAX_LOCATION)


def _legacy(metadata: Mapping[str, Any] | None) -> dict[str, tuple[str, Any]]:
    """Typed field -> (the metadata key as the caller wrote it, its value), for the legacy keys present."""
    found: dict[str, tuple[str, Any]] = {}
    for key, value in (metadata or {}).items():
        if not isinstance(key, str):
            continue
        target = _LEGACY_KEYS.get(re.sub(r"[\s-]+", "_", key.strip()).lower())
        if target is not None and value is not None and target not in found:
            found[target] = (key, value)
    return found


def resolve_details(
    *,
    channel: object,
    counterparty: object,
    location: object,
    metadata: Mapping[str, Any] | None,
    customer_flows: Sequence[bool],
    inherited: Channel | None = None,
    prefix: str = "",
) -> PaymentDetails:
    """Validate and complete the payment details of an entry (see the module docstring for the order).

    `customer_flows` holds, for each leg on a customer's account, whether it grows that account (money
    in); it decides cash deposits from withdrawals and whether a channel is needed at all. `inherited`
    is the channel the entry's kind implies (conversion, capture, reversal). Errors name the caller's
    field: `channel`, `counterparty.name`, ..., or `metadata.<key>` for a legacy key.
    """
    legacy = _legacy(metadata)
    explicit = channel is not None
    if explicit:
        parsed: Channel | str = parse_channel(channel, field=f"{prefix}channel")
    elif "channel" in legacy:
        key, value = legacy["channel"]
        parsed = parse_channel(value, field=f"{prefix}metadata.{key}")
    elif inherited is not None:
        parsed = inherited
    elif not customer_flows:
        parsed = Channel.INTERNAL
    else:
        raise InvalidRequest(
            f"{prefix}channel is required for a movement on a customer's account; one of {', '.join(Channel)}",
            field=f"{prefix}channel",
        )
    if parsed == _CASH:
        if not customer_flows or len(set(customer_flows)) != 1:
            where = f"{prefix}channel" if explicit else f"{prefix}metadata.{legacy['channel'][0]}"
            raise InvalidRequest(
                f"{where}: cash must be paid in or out of one customer's account; say CASH_DEPOSIT or CASH_WITHDRAWAL",
                field=where,
            )
        parsed = Channel.CASH_DEPOSIT if customer_flows[0] else Channel.CASH_WITHDRAWAL
    assert isinstance(parsed, Channel)

    if counterparty is not None:
        party = check_counterparty(counterparty, field=f"{prefix}counterparty")
    elif "name" in legacy or "account" in legacy:
        fields = {target: legacy.get(target, (None, None)) for target in ("name", "account", "institution", "country")}
        if fields["name"][1] is None:
            key = fields["account"][0]
            raise InvalidRequest(
                f"{prefix}metadata.{key}: a counterparty account needs the counterparty's name too",
                field=f"{prefix}metadata.{key}",
            )
        party = _legacy_counterparty(fields, prefix)
    else:
        party = None
    if party is None and parsed in NEEDS_COUNTERPARTY:
        raise InvalidRequest(
            f"{prefix}counterparty is required for {parsed.value}: name the party outside the platform",
            field=f"{prefix}counterparty",
        )
    if party is None and parsed is Channel.P2P and len(customer_flows) < 2:
        raise InvalidRequest(
            f"{prefix}counterparty is required for P2P with a party outside the platform (the payer or payee)",
            field=f"{prefix}counterparty",
        )

    if location is not None:
        place = check_location(location, field=f"{prefix}location")
    elif "location" in legacy:
        key, value = legacy["location"]
        place = check_location(str(value) if isinstance(value, int) else value, field=f"{prefix}metadata.{key}")
    else:
        place = None
    return PaymentDetails(parsed, party, place)


def _legacy_counterparty(fields: Mapping[str, tuple[str | None, Any]], prefix: str) -> Counterparty:
    """A Counterparty from legacy metadata keys; errors name the metadata key as written."""
    checked: dict[str, str | None] = {}
    for target, limit in (("name", MAX_NAME), ("account", MAX_ACCOUNT), ("institution", MAX_INSTITUTION)):
        key, value = fields[target]
        checked[target] = _text(value, field=f"{prefix}metadata.{key}", limit=limit, required=target == "name")
    key, value = fields["country"]
    country = _text(value, field=f"{prefix}metadata.{key}", limit=2)
    if country is not None:
        country = country.upper()
        if not _COUNTRY.match(country):
            raise InvalidRequest(
                f"{prefix}metadata.{key} must be an ISO 3166-1 alpha-2 country code", field=f"{prefix}metadata.{key}"
            )
    account = checked["account"]
    if account is not None and not _ACCOUNT.match(account):
        raise InvalidRequest(
            f"{prefix}metadata.{fields['account'][0]} may hold letters, digits, spaces and . / : _ - only",
            field=f"{prefix}metadata.{fields['account'][0]}",
        )
    assert checked["name"] is not None
    return Counterparty(checked["name"], account, checked["institution"], country)
