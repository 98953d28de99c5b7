"""Incremental resolution: unknown descriptors become candidate merchants; analysts confirm, merge and split.

- `record_unresolved` counts the name parts the resolver answered `unknown` for (one statement per batch).
- `clusters` groups the open ones by character n-gram similarity into candidate new merchants.
- `confirm` makes a cluster a merchant (`C000001`, …) with its name parts as aliases; `merge` retires one
  merchant into another (its names and aliases then resolve to the other); `split` moves aliases off a
  merchant into a new one.
- Each is one immutable row of `merchants.changes` (who, when, why, model version, the affected merchants
  before and after, and the effects); the catalogue version is the last change's id. `state(conn, version)`
  replays the effects up to a version, and `Curation.apply` lays them over a resolver's aliases, so what
  was served at a version can be served again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import psycopg
from psycopg.types.json import Jsonb

from models.merchants.lexical import NgramIndex
from models.merchants.matching import Alias, Merchant, alias_text

CLUSTER_SIMILARITY = 0.55  # n-gram cosine at which two unknown name parts are one candidate merchant


class CurationError(ValueError):
    """A curation request that cannot be carried out; `field` names the input at fault."""

    def __init__(self, field: str, message: str, *, status: int = 422) -> None:
        super().__init__(message)
        self.field, self.status = field, status


@dataclass(frozen=True, slots=True)
class Curation:
    """The catalogue changes up to `version`: merchants created, aliases added and removed, merchants
    retired into others."""

    version: int = 0
    created: dict[str, Merchant] = field(default_factory=dict)
    added: tuple[tuple[str, str], ...] = ()  # (merchant_id, alias text)
    removed: frozenset[tuple[str, str]] = frozenset()
    retired: dict[str, str] = field(default_factory=dict)  # merchant_id -> the merchant it was merged into

    def final(self, merchant_id: str) -> str:
        """The merchant `merchant_id` resolves to now (following merges)."""
        seen = set()
        while merchant_id in self.retired and merchant_id not in seen:
            seen.add(merchant_id)
            merchant_id = self.retired[merchant_id]
        return merchant_id

    def apply(self, aliases: Sequence[Alias], known: dict[str, Merchant]) -> tuple[list[Alias], list[int]]:
        """`aliases` with this curation laid over: removed ones gone, retired merchants' aliases pointing at
        the merchant they were merged into, added ones appended. Returns the aliases and, for each one, the
        row of `aliases` it came from (-1 for an added alias, which needs its vector computed)."""
        merchants = {**known, **self.created}
        out: list[Alias] = []
        rows: list[int] = []
        for row, alias in enumerate(aliases):
            owner = alias.merchant.merchant_id
            if (owner, alias.text) in self.removed:
                continue
            # a merchant newer than the model's index cannot be pointed at: the alias stays where it was
            target = merchants.get(self.final(owner), alias.merchant)
            out.append(alias if target.merchant_id == owner else Alias(target, alias.text, alias.kind))
            rows.append(row)
        for merchant_id, text in self.added:
            target = merchants.get(self.final(merchant_id))
            if target is not None and (merchant_id, text) not in self.removed:
                out.append(Alias(target, text, "analyst"))
                rows.append(-1)
        return out, rows


def current_version(conn: psycopg.Connection) -> int:
    if not _installed(conn):
        return 0
    row = conn.execute("SELECT coalesce(max(change_id), 0) FROM merchants.changes").fetchone()
    return int(row[0]) if row else 0


def _installed(conn: psycopg.Connection) -> bool:
    row = conn.execute("SELECT to_regclass('merchants.changes')").fetchone()
    return bool(row and row[0])


def state(conn: psycopg.Connection, version: int | None = None) -> Curation:
    """The curation as of `version` (the latest when None)."""
    if not _installed(conn):
        return Curation()
    latest = current_version(conn)
    if version is None:
        version = latest
    if version < 0 or version > latest:
        raise CurationError("catalogue_version", f"catalogue version {version} does not exist (latest {latest})")
    created: dict[str, Merchant] = {}
    added: list[tuple[str, str]] = []
    removed: set[tuple[str, str]] = set()
    retired: dict[str, str] = {}
    rows = conn.execute(
        "SELECT effects FROM merchants.changes WHERE change_id <= %s ORDER BY change_id", (version,)
    ).fetchall()
    for (effects,) in rows:
        for effect in effects:
            kind = effect["effect"]
            if kind == "create":
                created[effect["merchant_id"]] = Merchant(
                    effect["merchant_id"], effect["name"], int(effect["mcc"]), effect["category"]
                )
            elif kind == "add_alias":
                added.append((effect["merchant_id"], effect["alias"]))
                removed.discard((effect["merchant_id"], effect["alias"]))
            elif kind == "remove_alias":
                removed.add((effect["merchant_id"], effect["alias"]))
            elif kind == "retire":
                retired[effect["merchant_id"]] = effect["into"]
    return Curation(version, created, tuple(added), frozenset(removed), retired)


def record_unresolved(conn: psycopg.Connection, examples: Sequence[tuple[str, str]]) -> None:
    """Count (name part, descriptor as printed) pairs the resolver could not place, in one statement."""
    keys: dict[str, str] = {}
    counts: dict[str, int] = {}
    for name, example in examples:
        if name:
            keys.setdefault(name, example[:200])
            counts[name] = counts.get(name, 0) + 1
    if not keys or not _installed(conn):
        return
    conn.execute(
        "INSERT INTO merchants.unresolved (name_key, example, seen)"
        " SELECT * FROM unnest(%s::text[], %s::text[], %s::bigint[])"
        " ON CONFLICT (name_key) DO UPDATE SET seen = merchants.unresolved.seen + excluded.seen, last_seen = now()",
        (list(keys), list(keys.values()), [counts[k] for k in keys]),
    )


@dataclass(frozen=True, slots=True)
class Cluster:
    cluster_id: str
    label: str  # the most seen name part
    keys: tuple[str, ...]
    examples: tuple[str, ...]
    seen: int


def clusters(conn: psycopg.Connection, *, limit: int = 50, min_seen: int = 1) -> list[Cluster]:
    """Open unknown name parts grouped into candidate merchants (single linkage at `CLUSTER_SIMILARITY`),
    the most seen first. A cluster's id is a hash of its members: it changes when they do."""
    if not _installed(conn):
        return []
    rows = conn.execute(
        "SELECT name_key, example, seen FROM merchants.unresolved WHERE confirmed_in IS NULL"
        " ORDER BY seen DESC, name_key LIMIT 5000"
    ).fetchall()
    if not rows:
        return []
    keys = [r[0] for r in rows]
    similarity = NgramIndex(keys).similarities(keys)
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(*np.nonzero(np.triu(similarity, 1) >= CLUSTER_SIMILARITY), strict=True):
        parent[root(int(i))] = root(int(j))
    groups: dict[int, list[int]] = {}
    for i in range(len(keys)):
        groups.setdefault(root(i), []).append(i)
    found = []
    for members in groups.values():
        members.sort(key=lambda i: (-rows[i][2], rows[i][0]))
        total = sum(rows[i][2] for i in members)
        if total < min_seen:
            continue
        member_keys = tuple(sorted(keys[i] for i in members))
        cluster_id = "K" + hashlib.sha256("\n".join(member_keys).encode()).hexdigest()[:10]
        found.append(Cluster(cluster_id, keys[members[0]], member_keys, tuple(rows[i][1] for i in members[:5]), total))
    found.sort(key=lambda c: (-c.seen, c.label))
    return found[:limit]


def _merchant(conn: psycopg.Connection, curation: Curation, merchant_id: str, field_name: str) -> Merchant:
    if merchant_id in curation.created:
        found = curation.created[merchant_id]
    else:
        row = conn.execute(
            "SELECT merchant_id, name, mcc, category FROM analytics.merchants WHERE merchant_id = %s", (merchant_id,)
        ).fetchone()
        if row is None:
            raise CurationError(field_name, f"no merchant {merchant_id!r}", status=404)
        found = Merchant(row[0], row[1], int(row[2]), row[3])
    if merchant_id in curation.retired:
        raise CurationError(field_name, f"{merchant_id} was merged into {curation.final(merchant_id)}", status=409)
    return found


def aliases_of(conn: psycopg.Connection, curation: Curation, merchant_id: str) -> list[str]:
    """The alias texts that resolve to `merchant_id` now (its name, seeded aliases, analysts' additions)."""
    seeded: list[str] = []
    if merchant_id not in curation.created:
        row = conn.execute("SELECT name FROM analytics.merchants WHERE merchant_id = %s", (merchant_id,)).fetchone()
        seeded = [alias_text(row[0])] if row else []
        seeded += [
            alias_text(r[0])
            for r in conn.execute(
                "SELECT alias FROM analytics.merchant_aliases WHERE merchant_id = %s ORDER BY alias", (merchant_id,)
            ).fetchall()
        ]
    else:
        seeded = [alias_text(curation.created[merchant_id].name)]
    texts = seeded + [text for owner, text in curation.added if owner == merchant_id]
    texts += [text for owner, text in curation.added if owner != merchant_id and curation.final(owner) == merchant_id]
    return [t for t in dict.fromkeys(texts) if (merchant_id, t) not in curation.removed]


def _next_id(curation: Curation) -> str:
    return f"C{len(curation.created) + 1:06d}"


def _record(
    conn: psycopg.Connection,
    action: str,
    actor: str,
    reason: str | None,
    model_version: int | None,
    before: dict[str, Any],
    after: dict[str, Any],
    effects: list[dict[str, Any]],
) -> int:
    if not actor.strip():
        raise CurationError("actor", "say who makes the change")
    row = conn.execute(
        "INSERT INTO merchants.changes (actor, action, model_version, reason, before, after, effects)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING change_id",
        (actor.strip(), action, model_version, reason, Jsonb(before), Jsonb(after), Jsonb(effects)),
    ).fetchone()
    assert row is not None
    return int(row[0])


def _lock(conn: psycopg.Connection) -> Curation:
    """Serialise curation (ids are numbered from the replayed state) and read the state under the lock."""
    conn.execute("LOCK TABLE merchants.changes IN SHARE ROW EXCLUSIVE MODE")
    return state(conn)


def _check_merchant_fields(name: str, mcc: int, category: str) -> None:
    if not name.strip() or len(name) > 120:
        raise CurationError("name", "a merchant name needs 1 to 120 characters")
    if not 0 <= mcc <= 9999:
        raise CurationError("mcc", f"MCC {mcc} is not a four-digit merchant category code")
    if not category.strip() or len(category) > 60:
        raise CurationError("category", "a category needs 1 to 60 characters")


def confirm(
    conn: psycopg.Connection,
    cluster_id: str,
    *,
    name: str,
    mcc: int,
    category: str,
    actor: str,
    reason: str | None = None,
    model_version: int | None = None,
) -> int:
    """Make the open cluster `cluster_id` a new merchant; returns the change (= catalogue version)."""
    _check_merchant_fields(name, mcc, category)
    with conn.transaction():
        curation = _lock(conn)
        found = next((c for c in clusters(conn, limit=10_000) if c.cluster_id == cluster_id), None)
        if found is None:
            raise CurationError(
                "cluster_id", f"no open cluster {cluster_id!r} (its members may have changed)", status=404
            )
        merchant_id = _next_id(curation)
        aliases = list(dict.fromkeys([alias_text(name), *found.keys]))
        merchant, effects = _new_merchant(merchant_id, name, mcc, category, aliases)
        change = _record(
            conn,
            "confirm",
            actor,
            reason,
            model_version,
            {"cluster": {"cluster_id": cluster_id, "keys": list(found.keys), "seen": found.seen}},
            {"merchant": merchant, "aliases": aliases},
            effects,
        )
        conn.execute(
            "UPDATE merchants.unresolved SET confirmed_in = %s WHERE name_key = ANY(%s)", (change, list(found.keys))
        )
    return change


def merge(
    conn: psycopg.Connection,
    source_id: str,
    into_id: str,
    *,
    actor: str,
    reason: str | None = None,
    model_version: int | None = None,
) -> int:
    """Retire `source_id` into `into_id`: every name and alias of the source resolves to the target."""
    if source_id == into_id:
        raise CurationError("into", "a merchant cannot be merged into itself")
    with conn.transaction():
        curation = _lock(conn)
        source = _merchant(conn, curation, source_id, "merchant_id")
        target = _merchant(conn, curation, into_id, "into")
        moved, kept = aliases_of(conn, curation, source_id), aliases_of(conn, curation, into_id)
        before = {"merchants": [{**_as_dict(source), "aliases": moved}, {**_as_dict(target), "aliases": kept}]}
        after = {"merchant": {**_as_dict(target), "aliases": kept + moved}, "retired": source_id}
        return _record(
            conn,
            "merge",
            actor,
            reason,
            model_version,
            before,
            after,
            [{"effect": "retire", "merchant_id": source_id, "into": into_id}],
        )


def split(
    conn: psycopg.Connection,
    merchant_id: str,
    aliases: Sequence[str],
    *,
    name: str,
    mcc: int,
    category: str,
    actor: str,
    reason: str | None = None,
    model_version: int | None = None,
) -> int:
    """Move `aliases` (as matched: lower case, parsed) off `merchant_id` into a new merchant."""
    _check_merchant_fields(name, mcc, category)
    if not aliases:
        raise CurationError("aliases", "name at least one alias to move")
    with conn.transaction():
        curation = _lock(conn)
        source = _merchant(conn, curation, merchant_id, "merchant_id")
        current = aliases_of(conn, curation, merchant_id)
        wanted = [alias_text(a) for a in aliases]
        missing = [a for a, w in zip(aliases, wanted, strict=True) if w not in current]
        if missing:
            raise CurationError("aliases", f"not aliases of {merchant_id}: {', '.join(missing)}")
        if set(wanted) >= set(current):
            raise CurationError("aliases", "a split must leave the merchant at least one alias (merge instead)")
        new_id = _next_id(curation)
        created, effects = _new_merchant(new_id, name, mcc, category, list(dict.fromkeys(wanted)))
        effects += [{"effect": "remove_alias", "merchant_id": merchant_id, "alias": a} for a in wanted]
        return _record(
            conn,
            "split",
            actor,
            reason,
            model_version,
            {"merchant": {**_as_dict(source), "aliases": current}},
            {
                "merchants": [
                    {**_as_dict(source), "aliases": [a for a in current if a not in wanted]},
                    {**created, "aliases": list(dict.fromkeys(wanted))},
                ]
            },
            effects,
        )


def _new_merchant(
    merchant_id: str, name: str, mcc: int, category: str, aliases: Sequence[str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A merchant an analyst creates (confirm, split) and the effects that create it with its aliases."""
    merchant = {"merchant_id": merchant_id, "name": name.strip(), "mcc": mcc, "category": category.strip()}
    effects = [{"effect": "create", **merchant}]
    effects += [{"effect": "add_alias", "merchant_id": merchant_id, "alias": a} for a in aliases]
    return merchant, effects


def _as_dict(m: Merchant) -> dict[str, Any]:
    return {"merchant_id": m.merchant_id, "name": m.name, "mcc": m.mcc, "category": m.category}


@dataclass(frozen=True, slots=True)
class Change:
    change_id: int
    at: str
    actor: str
    action: str
    model_version: int | None
    reason: str | None
    before: dict[str, Any]
    after: dict[str, Any]


_CHANGE_COLUMNS = "SELECT change_id, at, actor, action, model_version, reason, before, after FROM merchants.changes"


def _change(row: tuple[Any, ...]) -> Change:
    return Change(row[0], row[1].isoformat(), row[2], row[3], row[4], row[5], row[6], row[7])


def change(conn: psycopg.Connection, change_id: int) -> Change:
    """One change of the audit log (the one a request just made, whatever else was written meanwhile)."""
    row = conn.execute(_CHANGE_COLUMNS + " WHERE change_id = %s", (change_id,)).fetchone()
    if row is None:
        raise CurationError("change_id", f"no change {change_id}", status=404)
    return _change(row)


def history(conn: psycopg.Connection, merchant_id: str | None = None, *, limit: int = 100) -> list[Change]:
    """The audit log, newest first; only the changes touching `merchant_id` when given."""
    if not _installed(conn):
        return []
    rows = conn.execute(
        _CHANGE_COLUMNS + " WHERE %(m)s::text IS NULL OR before::text LIKE %(m)s OR after::text LIKE %(m)s"
        " ORDER BY change_id DESC LIMIT %(limit)s",
        {"m": None if merchant_id is None else f"%{json.dumps(merchant_id)}%", "limit": limit},
    ).fetchall()
    return [_change(r) for r in rows]
