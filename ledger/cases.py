"""Cases: the work a person does on what the platform flagged.

A case comes from a transfer held for review (`open_decision_case`, in the hold's transaction) or from
the compliance marts' alerts (`open_alert_cases`: one open case per customer and rule; a new alert of the
same customer and rule adds its evidence to that case instead of opening another). It moves
OPEN -> IN_REVIEW / ESCALATED -> CLOSED with a disposition (false positive, customer contacted, SAR
filed). Closing a held transfer's case releases it (the hold is captured: the money moves) or refuses it
(the hold is voided), in the same transaction. A hold that expires while its case is still open reopens
the case as overdue (`holds_expired`, called by the ledger's expiry).

Every change appends a `compliance.case.<what>.v1` event to the case's stream and an audit row with the
actor and the time, in the change's transaction. Reads (`list_cases`, `get_case`) return typed rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from ledger.catalog import Catalog
from ledger.errors import CaseClosed, CaseNotFound, InvalidRequest
from ledger.events import NewEvent, append
from ledger.holds import capture_holds, void_holds
from ledger.model import CaptureRequest

AGGREGATE = "risk_case"


class CaseStatus(StrEnum):
    OPEN = "OPEN"
    IN_REVIEW = "IN_REVIEW"
    ESCALATED = "ESCALATED"
    CLOSED = "CLOSED"


class Disposition(StrEnum):
    FALSE_POSITIVE = "FALSE_POSITIVE"
    CUSTOMER_CONTACTED = "CUSTOMER_CONTACTED"
    SAR_FILED = "SAR_FILED"


class LinkKind(StrEnum):
    ALERT = "alert"
    DECISION = "decision"
    HOLD = "hold"
    JOURNAL = "journal"
    ACCOUNT = "account"
    CUSTOMER = "customer"


@dataclass(frozen=True, slots=True)
class Case:
    case_id: int
    source: str  # decision | alert
    status: CaseStatus
    rule: str
    title: str
    customer_id: int | None
    account: str | None  # the held transfer's paying account
    assignee: str | None
    disposition: Disposition | None
    decision_id: int | None
    hold_id: int | None
    hold_outcome: str | None  # CAPTURED | VOIDED | EXPIRED
    opened_at: datetime
    due_at: datetime | None
    overdue: bool
    closed_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class CaseLink:
    kind: str
    ref: str
    detail: Mapping[str, Any]
    added_at: datetime


@dataclass(frozen=True, slots=True)
class CaseNote:
    note_id: int
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    actor: str
    action: str
    detail: Mapping[str, Any]
    at: datetime


@dataclass(frozen=True, slots=True)
class CaseDetail:
    case: Case
    links: tuple[CaseLink, ...]
    notes: tuple[CaseNote, ...]
    audit: tuple[AuditEntry, ...]


@dataclass(frozen=True, slots=True)
class AlertEvidence:
    """One alert of the compliance marts, as a case links it."""

    alert_id: str
    rule: str
    family: str
    customer_id: int
    first_at: datetime | None
    last_at: datetime | None
    total_amount_usd: str | None
    account_codes: Sequence[str] = ()
    journal_ids: Sequence[int] = ()
    reference_ids: Sequence[str] = ()
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AlertIntake:
    opened: int  # new cases
    added: int  # alerts added as evidence to an open case of the same customer and rule
    known: int  # alerts already linked to a case


_CASE_COLUMNS = """
c.case_id, c.source, c.status, c.rule, c.title, c.customer_id, a.code, c.assignee, c.disposition, c.decision_id,
c.hold_id, c.hold_outcome, c.opened_at, c.due_at, c.overdue, c.closed_at, c.updated_at
"""
_SELECT_CASES = f"SELECT {_CASE_COLUMNS} FROM ledger.risk_cases AS c LEFT JOIN ledger.accounts AS a USING (account_id)"  # noqa: S608


def _case(row: Sequence[Any]) -> Case:
    values = list(row)
    values[2] = CaseStatus(values[2])
    values[8] = None if values[8] is None else Disposition(values[8])
    return Case(*values)


def _event(
    conn: psycopg.Connection[Any],
    case_id: int,
    version: int,
    what: str,
    payload: Mapping[str, Any],
    actor: str,
    correlation_id: str | None,
) -> int:
    """Append `compliance.case.<what>.v1` and its audit row; returns the stream's new version."""
    body = {"case_id": case_id, "actor": actor, **payload}
    new_version = append(
        conn,
        AGGREGATE,
        f"{AGGREGATE}:{case_id}",
        version,
        [NewEvent(f"compliance.case.{what}.v1", body)],
        correlation_id=correlation_id,
    )
    conn.execute(
        "INSERT INTO ledger.case_audit (case_id, actor, action, detail) VALUES (%s, %s, %s, %s)",
        (case_id, actor, what, Jsonb(dict(payload))),
    )
    return new_version


def _link(
    conn: psycopg.Connection[Any], case_id: int, links: Iterable[tuple[LinkKind, str, Mapping[str, Any]]]
) -> None:
    rows = [(case_id, kind.value, ref, Jsonb(dict(detail))) for kind, ref, detail in links]
    if rows:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO ledger.case_links (case_id, kind, ref, detail) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (case_id, kind, ref) DO NOTHING",
                rows,
            )


def open_decision_case(
    conn: psycopg.Connection[Any],
    case_id: int,
    *,
    decision_id: int,
    hold_id: int,
    account_id: int,
    account_code: str,
    rule: str,
    title: str,
    due_at: datetime,
    actor: str,
    correlation_id: str | None,
) -> None:
    """Open the case a held transfer waits on (an id reserved with its decision), in the hold's transaction."""
    row = conn.execute(
        "INSERT INTO ledger.risk_cases (case_id, source, decision_id, hold_id, account_id, customer_id, rule, title,"
        " due_at, version) OVERRIDING SYSTEM VALUE"
        " SELECT %s, 'decision', %s, %s, a.account_id, a.customer_id, %s, %s, %s, 0 FROM ledger.accounts AS a"
        " WHERE a.account_id = %s RETURNING customer_id",
        (case_id, decision_id, hold_id, rule, title, due_at, account_id),
    ).fetchone()
    assert row is not None
    links: list[tuple[LinkKind, str, Mapping[str, Any]]] = [
        (LinkKind.DECISION, str(decision_id), {}),
        (LinkKind.HOLD, str(hold_id), {}),
        (LinkKind.ACCOUNT, account_code, {}),
    ]
    if row[0] is not None:
        links.append((LinkKind.CUSTOMER, str(row[0]), {}))
    _link(conn, case_id, links)
    opened = {
        "source": "decision",
        "decision_id": decision_id,
        "hold_id": hold_id,
        "account": account_code,
        "rule": rule,
        "title": title,
        "due_at": due_at.isoformat(),
    }
    version = _event(conn, case_id, 0, "opened", opened, actor, correlation_id)
    conn.execute("UPDATE ledger.risk_cases SET version = %s WHERE case_id = %s", (version, case_id))


def _alert_links(alert: AlertEvidence) -> list[tuple[LinkKind, str, Mapping[str, Any]]]:
    evidence = {
        "rule": alert.rule,
        "family": alert.family,
        "first_at": alert.first_at.isoformat() if alert.first_at else None,
        "last_at": alert.last_at.isoformat() if alert.last_at else None,
        "total_amount_usd": alert.total_amount_usd,
        "reference_ids": list(alert.reference_ids),
        "details": dict(alert.details),
    }
    return [
        (LinkKind.ALERT, alert.alert_id, evidence),
        (LinkKind.CUSTOMER, str(alert.customer_id), {}),
        *((LinkKind.ACCOUNT, code, {}) for code in alert.account_codes),
        *((LinkKind.JOURNAL, str(journal_id), {}) for journal_id in alert.journal_ids),
    ]


def open_alert_cases(
    conn: psycopg.Connection[Any],
    alerts: Iterable[AlertEvidence],
    *,
    due_at: datetime,
    actor: str,
    correlation_id: str | None = None,
) -> AlertIntake:
    """Turn alerts into cases: an alert already linked to a case is skipped; one whose customer and rule
    have an open case is added to it as evidence; any other opens a case due at `due_at`."""
    opened = added = known = 0
    with conn.transaction():
        for alert in alerts:
            if conn.execute(
                "SELECT 1 FROM ledger.case_links WHERE kind = 'alert' AND ref = %s LIMIT 1", (alert.alert_id,)
            ).fetchone():
                known += 1
                continue
            found = conn.execute(
                "SELECT case_id, version FROM ledger.risk_cases WHERE source = 'alert' AND customer_id = %s"
                " AND rule = %s AND status <> 'CLOSED' FOR UPDATE",
                (alert.customer_id, alert.rule),
            ).fetchone()
            if found is not None:
                case_id, version = found
                _link(conn, case_id, _alert_links(alert))
                version = _event(
                    conn, case_id, version, "evidence_added", {"alert_id": alert.alert_id}, actor, correlation_id
                )
                conn.execute(
                    "UPDATE ledger.risk_cases SET version = %s, updated_at = now() WHERE case_id = %s",
                    (version, case_id),
                )
                added += 1
                continue
            title = f"{alert.rule} alert ({alert.family})"
            row = conn.execute(
                "INSERT INTO ledger.risk_cases (source, customer_id, rule, title, due_at, version)"
                " VALUES ('alert', %s, %s, %s, %s, 0) RETURNING case_id",
                (alert.customer_id, alert.rule, title, due_at),
            ).fetchone()
            assert row is not None
            case_id = row[0]
            _link(conn, case_id, _alert_links(alert))
            payload = {
                "source": "alert",
                "alert_id": alert.alert_id,
                "customer_id": alert.customer_id,
                "rule": alert.rule,
                "title": title,
                "due_at": due_at.isoformat(),
            }
            version = _event(conn, case_id, 0, "opened", payload, actor, correlation_id)
            conn.execute("UPDATE ledger.risk_cases SET version = %s WHERE case_id = %s", (version, case_id))
            opened += 1
    return AlertIntake(opened, added, known)


def list_cases(
    conn: psycopg.Connection[Any],
    *,
    status: Sequence[CaseStatus] = (),
    assignee: str | None = None,
    customer_id: int | None = None,
    rule: str | None = None,
    overdue: bool | None = None,
    limit: int = 50,
    after: int | None = None,
) -> list[Case]:
    """Cases matching every filter given, oldest due first (then by id); `after` pages by case id."""
    where, params = ["TRUE"], []
    if status:
        where.append("c.status = ANY(%s)")
        params.append([s.value for s in status])
    for column, value in (("assignee", assignee), ("customer_id", customer_id), ("rule", rule), ("overdue", overdue)):
        if value is not None:
            where.append(f"c.{column} = %s")
            params.append(value)
    if after is not None:
        where.append("c.case_id > %s")
        params.append(after)
    params.append(limit)
    rows = conn.execute(
        f"{_SELECT_CASES} WHERE {' AND '.join(where)} ORDER BY c.case_id LIMIT %s",
        params,
    ).fetchall()
    return [_case(row) for row in rows]


def get_case(conn: psycopg.Connection[Any], case_id: int) -> CaseDetail:
    row = conn.execute(f"{_SELECT_CASES} WHERE c.case_id = %s", (case_id,)).fetchone()
    if row is None:
        raise CaseNotFound(f"no case {case_id}", field="case_id", case_id=case_id)
    links = conn.execute(
        "SELECT kind, ref, detail, added_at FROM ledger.case_links WHERE case_id = %s ORDER BY added_at, kind, ref",
        (case_id,),
    ).fetchall()
    notes = conn.execute(
        "SELECT note_id, author, body, created_at FROM ledger.case_notes WHERE case_id = %s ORDER BY note_id",
        (case_id,),
    ).fetchall()
    audit = conn.execute(
        "SELECT actor, action, detail, at FROM ledger.case_audit WHERE case_id = %s ORDER BY audit_id", (case_id,)
    ).fetchall()
    return CaseDetail(
        _case(row),
        tuple(CaseLink(*link) for link in links),
        tuple(CaseNote(*note) for note in notes),
        tuple(AuditEntry(*entry) for entry in audit),
    )


def _lock(conn: psycopg.Connection[Any], case_id: int, *, open_only: bool = True) -> tuple[CaseStatus, int, int | None]:
    row = conn.execute(
        "SELECT status, version, hold_id FROM ledger.risk_cases WHERE case_id = %s FOR UPDATE", (case_id,)
    ).fetchone()
    if row is None:
        raise CaseNotFound(f"no case {case_id}", field="case_id", case_id=case_id)
    status = CaseStatus(row[0])
    if open_only and status is CaseStatus.CLOSED:
        raise CaseClosed(f"case {case_id} is closed", field="case_id", case_id=case_id)
    return status, int(row[1]), row[2]


def _actor(actor: str) -> str:
    if not isinstance(actor, str) or not actor.strip() or len(actor) > 200:
        raise InvalidRequest("actor must name who acts (1-200 characters)", field="actor")
    return actor.strip()


def assign(
    conn: psycopg.Connection[Any], case_id: int, assignee: str, *, actor: str, correlation_id: str | None = None
) -> None:
    """Give the case to `assignee`; an open case becomes IN_REVIEW."""
    actor = _actor(actor)
    if not isinstance(assignee, str) or not assignee.strip() or len(assignee) > 200:
        raise InvalidRequest("assignee must name a person or team (1-200 characters)", field="assignee")
    with conn.transaction():
        status, version, _ = _lock(conn, case_id)
        new_status = CaseStatus.IN_REVIEW if status is CaseStatus.OPEN else status
        version = _event(
            conn,
            case_id,
            version,
            "assigned",
            {"assignee": assignee.strip(), "status": new_status},
            actor,
            correlation_id,
        )
        conn.execute(
            "UPDATE ledger.risk_cases SET assignee = %s, status = %s, version = %s, updated_at = now()"
            " WHERE case_id = %s",
            (assignee.strip(), new_status.value, version, case_id),
        )


def comment(
    conn: psycopg.Connection[Any], case_id: int, body: str, *, actor: str, correlation_id: str | None = None
) -> int:
    """Add a note; returns its id. A closed case takes notes too (what happened after)."""
    actor = _actor(actor)
    if not isinstance(body, str) or not body.strip() or len(body) > 5000 or "\x00" in body:
        raise InvalidRequest("body must be 1-5000 characters of text", field="body")
    with conn.transaction():
        _, version, _ = _lock(conn, case_id, open_only=False)
        row = conn.execute(
            "INSERT INTO ledger.case_notes (case_id, author, body) VALUES (%s, %s, %s) RETURNING note_id",
            (case_id, actor, body.strip()),
        ).fetchone()
        assert row is not None
        version = _event(conn, case_id, version, "commented", {"note_id": row[0]}, actor, correlation_id)
        conn.execute(
            "UPDATE ledger.risk_cases SET version = %s, updated_at = now() WHERE case_id = %s", (version, case_id)
        )
        return int(row[0])


def escalate(conn: psycopg.Connection[Any], case_id: int, *, actor: str, correlation_id: str | None = None) -> None:
    """Hand the case up (to a senior officer or the MLRO)."""
    actor = _actor(actor)
    with conn.transaction():
        _, version, _ = _lock(conn, case_id)
        version = _event(conn, case_id, version, "escalated", {"status": CaseStatus.ESCALATED}, actor, correlation_id)
        conn.execute(
            "UPDATE ledger.risk_cases SET status = 'ESCALATED', version = %s, updated_at = now() WHERE case_id = %s",
            (version, case_id),
        )


def decide(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    case_id: int,
    disposition: Disposition | str,
    *,
    release: bool | None,
    actor: str,
    note: str | None = None,
    correlation_id: str | None = None,
) -> Case:
    """Close the case with `disposition`. A case holding a transfer must say what happens to it: `release`
    True captures the hold (the money moves), False voids it; a case without a pending hold takes None."""
    actor = _actor(actor)
    try:
        disposition = Disposition(str(disposition).strip().upper())
    except ValueError:
        choices = ", ".join(d.value for d in Disposition)
        raise InvalidRequest(f"disposition must be one of {choices}", field="disposition") from None
    if note is not None and (not note.strip() or len(note) > 5000 or "\x00" in note):
        raise InvalidRequest("note must be 1-5000 characters of text", field="note")
    # a capture posts now: its month's partition is DDL, made before the transaction (as every posting does)
    catalog.ensure_partitions(conn, "entries", [datetime.now(UTC)])
    with conn.transaction():
        _, version, hold_id = _lock(conn, case_id)
        pending = hold_id is not None and conn.execute(
            "SELECT status = 'PENDING' FROM ledger.holds WHERE hold_id = %s", (hold_id,)
        ).fetchone() == (True,)
        if pending and release is None:
            raise InvalidRequest(
                f"case {case_id} holds a transfer (hold {hold_id}): say whether to release or refuse it",
                field="release",
            )
        if not pending and release is not None:
            raise InvalidRequest(f"case {case_id} holds no pending transfer: leave release out", field="release")
        outcome: str | None = None
        journal_id: int | None = None
        if pending and hold_id is not None:
            if release:
                result = capture_holds(
                    conn, catalog, [CaptureRequest(hold_id)], correlation_id=correlation_id, prefix=""
                )[0]
                outcome, journal_id = "CAPTURED", result.id
            else:
                result = void_holds(conn, catalog, [hold_id], correlation_id=correlation_id)[0]
                outcome = "VOIDED"
            if result.error is not None:
                raise result.error
        if note is not None:
            conn.execute(
                "INSERT INTO ledger.case_notes (case_id, author, body) VALUES (%s, %s, %s)",
                (case_id, actor, note.strip()),
            )
        if journal_id is not None:
            _link(conn, case_id, [(LinkKind.JOURNAL, str(journal_id), {"capture": True})])
        payload = {"disposition": disposition, "hold_outcome": outcome, "capture_journal_id": journal_id}
        version = _event(conn, case_id, version, "decided", payload, actor, correlation_id)
        conn.execute(
            "UPDATE ledger.risk_cases SET status = 'CLOSED', disposition = %s,"
            " hold_outcome = coalesce(%s, hold_outcome), closed_at = now(), overdue = false, version = %s,"
            " updated_at = now() WHERE case_id = %s",
            (disposition.value, outcome, version, case_id),
        )
    return get_case(conn, case_id).case


def holds_expired(conn: psycopg.Connection[Any], hold_ids: Sequence[int], *, correlation_id: str | None) -> int:
    """Reopen, as overdue, the cases whose held transfer expired unattended (in the expiry's transaction);
    returns how many. A closed case stays closed (its hold was resolved when it closed)."""
    rows = conn.execute(
        "SELECT case_id, version, status FROM ledger.risk_cases WHERE hold_id = ANY(%s) AND status <> 'CLOSED'"
        " ORDER BY case_id FOR UPDATE",
        (list(hold_ids),),
    ).fetchall()
    for case_id, version, status in rows:
        payload = {"status_before": status, "status": CaseStatus.OPEN, "hold_outcome": "EXPIRED"}
        version = _event(conn, case_id, version, "overdue", payload, "ledger:hold-expiry", correlation_id)
        conn.execute(
            "UPDATE ledger.risk_cases SET status = 'OPEN', overdue = true, hold_outcome = 'EXPIRED', version = %s,"
            " updated_at = now() WHERE case_id = %s",
            (version, case_id),
        )
    return len(rows)
