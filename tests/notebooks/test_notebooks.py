"""The notebooks a data scientist starts from run top to bottom (nbclient, a real kernel) on a simulated
ledger with its lake, marts, features and models; each leaves its plots and tables as outputs."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from fintra.settings import Settings

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def workspace(serving_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the serving test home (lake, registry, Qdrant folder): notebooks may register and issue."""
    target = tmp_path_factory.mktemp("notebooks") / "home"
    shutil.copytree(serving_settings.home_dir, target)
    return target


def test_there_are_four_notebooks() -> None:
    assert [p.stem for p in NOTEBOOKS] == [
        "01_lake_tour",
        "02_risk_model",
        "03_merchant_resolution",
        "04_compliance_reports",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_notebook_runs(
    path: Path, workspace: Path, serving_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert serving_settings.database_url is not None
    monkeypatch.setenv("FINTRA_HOME", str(workspace))
    monkeypatch.setenv("FINTRA_LAKE_URL", (workspace / "lake").as_uri())
    monkeypatch.setenv("FINTRA_DATABASE_URL", serving_settings.database_url.get_secret_value())
    # the kernelspec starts `python` from PATH: this venv's
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    before = _served_state(workspace)
    book = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in book.cells if cell.cell_type == "code"), (
        "commit notebooks without outputs"
    )
    NotebookClient(book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(workspace)}}).execute()
    outputs = [o for cell in book.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any(o.output_type in ("execute_result", "stream", "display_data") for o in outputs)
    # plots show inline: each notebook draws at least one, as an image in its outputs
    assert any("image/png" in o.get("data", {}) for o in outputs if o.output_type in ("display_data", "execute_result"))
    # a tutorial registers, promotes and issues nothing the platform serves (scratch registries and lakes)
    assert _served_state(workspace) == before


def _served_state(home: Path) -> dict[str, int]:
    """Every file of the model registry and the issued reports, with its size."""
    lake = home / "lake"
    return {
        str(p.relative_to(lake)): p.stat().st_size
        for folder in ("models", "reports")
        for p in (lake / folder).rglob("*")
        if p.is_file()
    }
