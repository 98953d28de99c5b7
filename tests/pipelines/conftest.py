"""Fixtures shared by the pipeline tests: a real S3 endpoint, and a simulated ledger with many labelled
typology cases and its dbt marts built (what the compliance rules and reports are judged on)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest

from fintra.database import create_database
from ledger.simulator.engine import SimulationConfig, simulate
from pipelines.transform import run_dbt

# 400 customers over five weeks with 15% of them in typologies: about eight cases of each.
COMPLIANCE_SIM = SimulationConfig(customers=400, days=35, start=date(2026, 3, 1), seed=7, typology_share=0.15)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3 HTTP server (moto) on 127.0.0.1 for the test session."""
    from moto.server import ThreadedMotoServer

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def compliance_db(pg_server: str) -> str:
    """The simulated ledger of COMPLIANCE_SIM with every dbt model built and tested (read-only for tests)."""
    url = create_database(pg_server, "t_compliance", drop_existing=True)
    simulate(url, COMPLIANCE_SIM)
    result = run_dbt(["build"], url, capture=True)
    assert result.returncode == 0, result.stdout[-4000:]
    return url
