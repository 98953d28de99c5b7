"""GET /v1/reports, /v1/reports/{name}/{date} and its files: the issued regulatory reports."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from fintra import reports as layout
from serving.deps import ReportsReader, State
from serving.problems import Problem
from serving.schemas import problems

router = APIRouter(prefix="/v1/reports", tags=["reports"])
Name = Annotated[str, Path(pattern=r"^[a-z_]{1,40}$")]
FILES = {
    "report.csv": "text/csv",
    "report.parquet": "application/vnd.apache.parquet",
    "summary.html": "text/html",
    "summary.pdf": "application/pdf",
    "manifest.json": "application/json",
}


@router.get("", responses=problems())
def list_reports(principal: ReportsReader, state: State) -> dict[str, Any]:
    """Every report and the days it was issued for."""
    lake = state.lake
    return {
        "reports": [
            {"report": n, "days": [d.isoformat() for d in layout.report_days(lake, n)]}
            for n in layout.report_names(lake)
        ]
    }


def _version(state: State, name: str, day: dt.date, version: int | None) -> int:
    versions = layout.issued_versions(state.lake, name, day)
    if not versions:
        raise Problem(404, "not_found", f"no {name} report was issued for {day}", field="date")
    if version is None:
        return versions[-1]
    if version not in versions:
        raise Problem(404, "not_found", f"{name} for {day} has versions {versions}, not {version}", field="version")
    return version


@router.get("/{name}/{date}", responses=problems(404))
def report(
    name: Name,
    date: dt.date,
    principal: ReportsReader,
    state: State,
    version: Annotated[int | None, Query(ge=1, description="Default: the latest")] = None,
) -> dict[str, Any]:
    """A report day's manifest (latest version unless asked), its versions and links to its files."""
    chosen = _version(state, name, date, version)
    manifest = layout.read_manifest(state.lake, name, date, chosen)
    base = f"/v1/reports/{name}/{date.isoformat()}/files"
    return {
        "versions": layout.issued_versions(state.lake, name, date),
        "manifest": manifest,
        "files": {f: f"{base}/{f}?version={chosen}" for f in (*manifest["files"], layout.MANIFEST)},
    }


@router.get(
    "/{name}/{date}/files/{file}", responses={200: {"content": {t: {} for t in FILES.values()}}, **problems(404)}
)
def report_file(
    name: Name,
    date: dt.date,
    file: Annotated[str, Path(pattern=r"^[a-z_.]{1,40}$")],
    principal: ReportsReader,
    state: State,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    if file not in FILES:
        raise Problem(404, "not_found", f"a report has no file {file!r}; it has {', '.join(FILES)}", field="file")
    chosen = _version(state, name, date, version)
    data = state.lake.get_file(layout.version_folder(name, date, chosen), file)
    if data is None:
        raise Problem(404, "not_found", f"{name} {date} v{chosen} has no {file}", field="file")
    return Response(data, media_type=FILES[file])
