"""The business-day partitioning of the lake: one partition per UTC day, from the ledger's first dense day.

The days before it (the quiet history: `pipelines.history`) are one run of `raw/ledger/history`, not
partitions: a partition costs Dagster tens of milliseconds of bookkeeping whatever it holds. Loading the
code location does not reach the database, so `fintra run` records the dense day in FINTRA_HOME
(`partitions.json`) and the partition set starts there from the next load on; before any run it starts at
FIRST_DAY. Reports keep FIRST_DAY (`REPORT_DAILY`): one can be asked for any day."""

from __future__ import annotations

import json
import logging
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import dagster as dg

from fintra.settings import get_settings

log = logging.getLogger(__name__)

# Before `fintra run` recorded the ledger's dense day: early enough for any back-dated history
FIRST_DAY = "2020-01-01"
RECORD = "partitions.json"


def _record_path() -> Path:
    return get_settings().home_dir / RECORD


def _recorded() -> date | None:
    path = _record_path()
    try:
        return date.fromisoformat(json.loads(path.read_text())["first_day"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("%s is not a recorded first day (%s); the daily partitions start at %s", path, exc, FIRST_DAY)
        return None


def first_day() -> str:
    """The daily partitions' first day: the dense day `fintra run` recorded, or FIRST_DAY."""
    recorded = _recorded()
    return recorded.isoformat() if recorded is not None else FIRST_DAY


def record_first_day(day: date) -> None:
    """Record the ledger's first dense day as the daily partitions' start, unless one before it is recorded:
    the start only moves earlier. (The dense day moves later as the bank grows busier; partitions that
    existed must go on existing, or a run a person starts for one of those days fails.) Written atomically,
    readable by a daemon running as another user."""
    recorded = _recorded()
    if recorded is not None and recorded <= day:
        return
    path = _record_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"first_day": day.isoformat(), "why": "the ledger's first dense day (pipelines.history)"}
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".part", delete=False) as part:
        json.dump(body, part)
    Path(part.name).chmod(0o644)
    Path(part.name).replace(path)


DAILY = dg.DailyPartitionsDefinition(start_date=first_day(), end_offset=1, timezone="UTC")
# Reports can be asked for any day, a quiet one of the history too (a regulator's trial balance of that day):
# their days start at FIRST_DAY whatever the lake's do.
REPORT_DAILY = dg.DailyPartitionsDefinition(start_date=FIRST_DAY, end_offset=1, timezone="UTC")


@contextmanager
def quiet_beta() -> Iterator[None]:
    """Define assets with single-run backfill policies without Dagster's "beta" notice on every import
    (we rely on them deliberately: one run per backfill range)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Parameter `backfill_policy`")
        yield
