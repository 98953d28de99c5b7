"""Typed command-line values shared by every `fintra` command: a date or a timestamp is parsed by the
option itself (`typer.Option(parser=iso_date, metavar=DATE)`), shown as its format in `--help`, and a value
that is not one is refused by click naming the option as typed ("Invalid value for '--date': ...")."""

from __future__ import annotations

from datetime import UTC, date, datetime

import typer

DATE = "YYYY-MM-DD"
TIMESTAMP = "YYYY-MM-DD[THH:MM[:SS][+HH:MM]]"


def iso_date(value: str | date) -> date:
    """A calendar day, `YYYY-MM-DD`."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date {DATE} ({exc})") from None


def iso_timestamp(value: str | datetime) -> datetime:
    """A date or an ISO 8601 timestamp; without a zone it is UTC."""
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as exc:
            raise typer.BadParameter(f"{value!r} is not an ISO date or timestamp ({exc})") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
