"""Structured JSON logging with a correlation id carried in a context variable.

Callers (the API middleware, CLI commands, pipeline runs) set the correlation id once; every log
line and every ledger event written in that context carries it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime

_correlation_id: ContextVar[str | None] = ContextVar("fintra_correlation_id", default=None)


def current_correlation_id() -> str | None:
    return _correlation_id.get()


def new_correlation_id() -> str:
    # a random UUID from the process's PRNG: ids need to be unique, not unpredictable, and uuid4()
    # reads the OS entropy source on every call (a system call per request)
    return str(uuid.UUID(int=random.getrandbits(128), version=4))


@contextlib.contextmanager
def correlation(correlation_id: str | None = None) -> Iterator[str]:
    """Run a block under a correlation id (a new one when none is given)."""
    value = correlation_id or new_correlation_id()
    token = _correlation_id.set(value)
    try:
        yield value
    finally:
        _correlation_id.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line; extra fields passed with `extra={"fields": {...}}`."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if cid := current_correlation_id():
            line["correlation_id"] = cid
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure_logging(level: str = "INFO") -> None:
    """Send the `fintra`, `ledger`, ... loggers to stderr as JSON lines (idempotent)."""
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    root.setLevel(level)
    # Libraries that narrate their internals at INFO (schema stamps, run bookkeeping): only their warnings,
    # unless DEBUG was asked for.
    for noisy in ("pgserver", "alembic", "dagster", "dagster.builtin", "httpx", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
