"""Where issued reports live in the lake, for the writers (`pipelines.reporting`) and the readers (the
API, notebooks): `reports/<report>/<YYYY-MM-DD>/v<N>/` holding the report files and, written last,
`manifest.json`. A version folder without a manifest was never issued."""

from __future__ import annotations

import json
import posixpath
from datetime import date
from typing import Any

from fintra.lake import Lake

ROOT = "reports"
MANIFEST = "manifest.json"


def folder(report: str, day: date) -> str:
    return posixpath.join(ROOT, report, day.isoformat())


def version_folder(report: str, day: date, version: int) -> str:
    return posixpath.join(folder(report, day), f"v{version}")


def issued_versions(lake: Lake, report: str, day: date) -> list[int]:
    """Versions of a report day that were issued (have a manifest), ascending."""
    base = lake.path(folder(report, day))
    if not lake.fs.exists(base):
        return []
    found = lake.fs.glob(posixpath.join(base, "v*", MANIFEST))
    return sorted(int(posixpath.basename(posixpath.dirname(p))[1:]) for p in found)


def read_manifest(lake: Lake, report: str, day: date, version: int) -> dict[str, Any]:
    data = lake.get_file(version_folder(report, day, version), MANIFEST)
    if data is None:
        raise FileNotFoundError(f"report {report} for {day} has no version {version}")
    return json.loads(data)


def report_names(lake: Lake) -> list[str]:
    return [posixpath.basename(d) for d in lake.datasets(ROOT)]


def report_days(lake: Lake, report: str) -> list[date]:
    """Days with an issued version of `report`, ascending."""
    found = (
        lake.fs.glob(lake.path(ROOT, report, "*", "v*", MANIFEST)) if lake.fs.exists(lake.path(ROOT, report)) else []
    )
    return sorted({date.fromisoformat(posixpath.basename(posixpath.dirname(posixpath.dirname(p)))) for p in found})
