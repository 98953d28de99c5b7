"""Where issued reports live in the lake, for the writers (`pipelines.reporting`) and the readers (the
API, notebooks):

- `reports/<report>/date=<YYYY-MM-DD>/version=<N>/`: an issued version, its files and, written last,
  `manifest.json` (a version folder without one was never issued). Never changed once issued.
- `reports/<report>/latest/date=<YYYY-MM-DD>/report.parquet` (and `report.csv`): a copy of the day's
  latest version, replaced when a version supersedes it. A glob over `latest/` sees every day once; a glob
  over the version folders sees superseded versions too (their rows carry `report_version`).
- `reports/index.html`: every report, day and version, linked.

Lakes written before the `date=`/`version=` layout (`reports/<report>/<YYYY-MM-DD>/v<N>/`) are moved to it
by `move_legacy_layout` (the writers call it before issuing)."""

from __future__ import annotations

import json
import posixpath
import re
from datetime import date
from typing import Any

from fintra.lake import Lake

ROOT = "reports"
MANIFEST = "manifest.json"
LATEST = "latest"
INDEX = "index.html"
LATEST_FILES = ("report.parquet", "report.csv")
_LEGACY_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def folder(report: str, day: date) -> str:
    return posixpath.join(ROOT, report, f"date={day.isoformat()}")


def version_folder(report: str, day: date, version: int) -> str:
    return posixpath.join(folder(report, day), f"version={version}")


def latest_folder(report: str, day: date) -> str:
    return posixpath.join(ROOT, report, LATEST, f"date={day.isoformat()}")


def _number(folder_name: str, key: str) -> str:
    return folder_name.removeprefix(f"{key}=")


def issued_versions(lake: Lake, report: str, day: date) -> list[int]:
    """Versions of a report day that were issued (have a manifest), ascending."""
    base = lake.path(folder(report, day))
    if not lake.fs.exists(base):
        return []
    found = lake.fs.glob(posixpath.join(base, "version=*", MANIFEST))
    return sorted(int(_number(posixpath.basename(posixpath.dirname(p)), "version")) for p in found)


def read_manifest(lake: Lake, report: str, day: date, version: int) -> dict[str, Any]:
    data = lake.get_file(version_folder(report, day, version), MANIFEST)
    if data is None:
        raise FileNotFoundError(f"report {report} for {day} has no version {version}")
    return json.loads(data)


def report_names(lake: Lake) -> list[str]:
    """Reports with a folder in the lake (the index page and other files beside them are not reports)."""
    base = lake.path(ROOT)
    if not lake.fs.exists(base):
        return []
    return sorted(
        posixpath.basename(entry["name"].rstrip("/"))
        for entry in lake.fs.ls(base, detail=True)
        if entry["type"] == "directory"
    )


def issued(lake: Lake, report: str) -> dict[date, list[int]]:
    """Every issued day of `report` with its versions (ascending), from one listing."""
    base = lake.path(ROOT, report)
    found = lake.fs.glob(posixpath.join(base, "date=*", "version=*", MANIFEST)) if lake.fs.exists(base) else []
    days: dict[date, list[int]] = {}
    for path in found:
        version_dir = posixpath.dirname(path)
        day = date.fromisoformat(_number(posixpath.basename(posixpath.dirname(version_dir)), "date"))
        days.setdefault(day, []).append(int(_number(posixpath.basename(version_dir), "version")))
    return {day: sorted(days[day]) for day in sorted(days)}


def report_days(lake: Lake, report: str) -> list[date]:
    """Days with an issued version of `report`, ascending."""
    return list(issued(lake, report))


def move_legacy_layout(lake: Lake) -> int:
    """Move version folders of the earlier layout (`<report>/<YYYY-MM-DD>/v<N>/`) to `date=`/`version=`
        folders, unchanged (their files and manifests keep their bytes), and copy each day's newest version to
    `latest/`; the number of report days moved."""
    base = lake.path(ROOT)
    if not lake.fs.exists(base):
        return 0
    moved: set[tuple[str, date]] = set()
    for manifest in lake.fs.glob(posixpath.join(base, "*", "????-??-??", "v*", MANIFEST)):
        version_dir = posixpath.dirname(manifest)
        day_dir = posixpath.dirname(version_dir)
        report = posixpath.basename(posixpath.dirname(day_dir))
        day, version = posixpath.basename(day_dir), posixpath.basename(version_dir)[1:]
        if not (_LEGACY_DAY.match(day) and version.isdigit()):
            continue
        target = lake.path(version_folder(report, date.fromisoformat(day), int(version)))
        if lake.fs.exists(target):
            raise FileExistsError(f"{lake.uri(version_dir)} and {target} are both issued versions; move one by hand")
        lake.fs.mv(version_dir, target, recursive=True)
        moved.add((report, date.fromisoformat(day)))
    for day_dir in lake.fs.glob(posixpath.join(base, "*", "????-??-??")):
        if _LEGACY_DAY.match(posixpath.basename(day_dir)) and not lake.fs.ls(day_dir, detail=False):
            lake.fs.rm(day_dir, recursive=True)
    for report, day in moved:
        newest = version_folder(report, day, issued_versions(lake, report, day)[-1])
        for name in LATEST_FILES:
            data = lake.get_file(newest, name)
            if data is not None:
                lake.put_file(latest_folder(report, day), name, data)
    return len(moved)
