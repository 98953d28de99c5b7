"""Incremental merchant resolution through the API: descriptors nothing resolves become a cluster, an analyst
confirms it as a merchant, merges and splits; every change is an immutable audit row, and a resolution
served at a catalogue version is served again, unchanged, when that version is asked for."""

from __future__ import annotations

import psycopg
import pytest
from fastapi.testclient import TestClient

from fintra.settings import Settings
from tests.serving.conftest import key

TAQUERIA = ["SQ *MARIAS TAQUERIA #2 SAN JOSE CA", "MARIAS TAQUERIA 0412 SAN JOSE CA", "TST* MARIAS TAQUERIA"]


def _resolve(client: TestClient, auth: dict[str, str], descriptors: list[str], version: int | None = None) -> dict:
    params = {} if version is None else {"catalogue_version": version}
    answer = client.post("/v1/merchants/resolve", headers=auth, params=params, json={"descriptors": descriptors})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_unknown_descriptors_become_a_merchant_and_the_audit_log_reproduces_each_version(
    client: TestClient, serving_settings: Settings
) -> None:
    auth = {"Authorization": f"Bearer {key(serving_settings, 'insights:read', 'merchants:curate')}"}
    before = _resolve(client, auth, TAQUERIA)
    assert all(r["status"] == "unknown" for r in before["results"]), before
    start = before["catalogue_version"]

    clusters = client.get("/v1/merchants/clusters", headers=auth).json()
    cluster = next(c for c in clusters if "marias taqueria" in c["keys"])
    assert cluster["seen"] >= 3 and any("TAQUERIA" in e for e in cluster["examples"])

    confirmed = client.post(
        f"/v1/merchants/clusters/{cluster['cluster_id']}/confirm",
        headers=auth,
        json={"name": "Maria's Taqueria", "mcc": 5812, "category": "restaurant", "reason": "local chain"},
    )
    assert confirmed.status_code == 201, confirmed.text
    change = confirmed.json()
    assert change["action"] == "confirm" and change["actor"] == "tests" and change["reason"] == "local chain"
    assert change["before"]["cluster"]["cluster_id"] == cluster["cluster_id"]
    assert change["model_version"] == before["model_version"]
    new_id = change["after"]["merchant"]["merchant_id"]
    confirmed_at = change["change_id"]
    assert confirmed_at > start

    after = _resolve(client, auth, ["SQ *MARIAS TAQUERIA SAN JOSE CA"])
    assert after["catalogue_version"] == confirmed_at
    assert (after["results"][0]["merchant_id"], after["results"][0]["name"]) == (new_id, "Maria's Taqueria")
    # What was served before the change is served again at its version.
    again = _resolve(client, auth, ["SQ *MARIAS TAQUERIA SAN JOSE CA"], version=start)
    assert again["catalogue_version"] == start and again["results"][0]["status"] == "unknown"
    # A confirmed cluster is no longer open.
    assert cluster["cluster_id"] not in {
        c["cluster_id"] for c in client.get("/v1/merchants/clusters", headers=auth).json()
    }

    shake = _resolve(client, auth, ["TST* SHAKE SHACK 1234 NEW YORK NY"])["results"][0]
    merged = client.post(f"/v1/merchants/{new_id}/merge", headers=auth, json={"into": shake["merchant_id"]})
    assert merged.status_code == 201, merged.text
    assert merged.json()["after"]["retired"] == new_id
    assert _resolve(client, auth, ["MARIAS TAQUERIA SAN JOSE CA"])["results"][0]["name"] == "Shake Shack"
    at_confirm = _resolve(client, auth, ["MARIAS TAQUERIA SAN JOSE CA"], version=confirmed_at)
    assert at_confirm["results"][0]["merchant_id"] == new_id  # the version it was served at still says so

    walmart = _resolve(client, auth, ["WAL-MART #3348 DALLAS TX"])["results"][0]
    assert walmart["name"] == "Walmart"
    split = client.post(
        f"/v1/merchants/{walmart['merchant_id']}/split",
        headers=auth,
        json={"aliases": ["WM SUPERCENTER"], "name": "Walmart Supercenter", "mcc": 5411, "category": "grocery"},
    )
    assert split.status_code == 201, split.text
    moved = _resolve(client, auth, ["WM SUPERCENTER #1234 BENTONVILLE AR", "WAL-MART #3348 DALLAS TX"])["results"]
    assert [r["name"] for r in moved] == ["Walmart Supercenter", "Walmart"]

    log = client.get("/v1/merchants/changes", headers=auth, params={"merchant_id": new_id}).json()
    assert [c["action"] for c in log] == ["merge", "confirm"]
    assert log[0]["before"]["merchants"][0]["merchant_id"] == new_id


def test_curation_refuses_what_it_cannot_do(client: TestClient, serving_settings: Settings) -> None:
    auth = {"Authorization": f"Bearer {key(serving_settings, 'insights:read', 'merchants:curate')}"}
    walmart = _resolve(client, auth, ["WAL-MART #3348 DALLAS TX"])["results"][0]["merchant_id"]
    cases = [
        ("post", f"/v1/merchants/{walmart}/merge", {"into": walmart}, 422, "into"),
        ("post", "/v1/merchants/M9999/merge", {"into": walmart}, 404, "merchant_id"),
        ("post", f"/v1/merchants/{walmart}/merge", {"into": "Z0000"}, 404, "into"),
        ("post", f"/v1/merchants/{walmart}/split",
         {"aliases": ["NOT AN ALIAS"], "name": "X", "mcc": 5411, "category": "grocery"}, 422, "aliases"),
        ("post", f"/v1/merchants/{walmart}/split",
         {"aliases": ["WALMART"], "name": "X", "mcc": 99999, "category": "grocery"}, 422, "mcc"),
        ("post", "/v1/merchants/clusters/K0123456789/confirm",
         {"name": "X", "mcc": 5411, "category": "grocery"}, 404, "cluster_id"),
        ("post", "/v1/merchants/resolve?catalogue_version=999999", {"descriptors": ["WALMART"]}, 404,
         "catalogue_version"),
    ]  # fmt: skip
    for method, path, body, status, field in cases:
        answer = getattr(client, method)(path, headers=auth, json=body)
        assert answer.status_code == status, (path, body, answer.text)
        assert answer.json()["field"] == field, (path, answer.text)
    reader = {"Authorization": f"Bearer {key(serving_settings, 'insights:read')}"}
    assert client.get("/v1/merchants/clusters", headers=reader).status_code == 403
    assert client.post(f"/v1/merchants/{walmart}/merge", headers=reader, json={"into": "M0002"}).status_code == 403


def test_the_audit_log_cannot_be_rewritten(serving_settings: Settings) -> None:
    assert serving_settings.database_url is not None
    with psycopg.connect(serving_settings.database_url.get_secret_value(), autocommit=True) as conn:
        for statement in ("UPDATE merchants.changes SET actor = 'someone else'", "DELETE FROM merchants.changes"):
            with pytest.raises(psycopg.errors.RestrictViolation):
                conn.execute(statement)


def test_the_cli_curates_the_same_catalogue(serving_settings: Settings, client: TestClient) -> None:
    """`fintra merchants clusters | confirm | history`: the terminal's way to the same changes and log."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    assert serving_settings.database_url is not None
    env = {**os.environ, "COLUMNS": "250", "FINTRA_DATABASE_URL": serving_settings.database_url.get_secret_value(),
           "FINTRA_HOME": str(serving_settings.home)}  # fmt: skip
    fintra = str(Path(sys.executable).with_name("fintra"))

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([fintra, "merchants", *args], env=env, capture_output=True, text=True, timeout=300)

    auth = {"Authorization": f"Bearer {key(serving_settings, 'insights:read', 'merchants:curate')}"}
    _resolve(client, auth, ["SQ *ZEPHYRINE BAKEHOUSE LEEDS", "ZEPHYRINE BAKEHOUSE 0042 LEEDS GB"])
    listed = cli("clusters", "--limit", "100")
    assert listed.returncode == 0 and "zephyrine bakehouse" in listed.stdout, listed.stdout + listed.stderr
    cluster = next(
        c["cluster_id"] for c in client.get("/v1/merchants/clusters", headers=auth).json()
        if "zephyrine bakehouse" in c["keys"]
    )  # fmt: skip
    made = cli("confirm", cluster, "--name", "Zephyrine Bakehouse", "--mcc", "5462", "--category", "bakery",
               "--actor", "analyst-jo", "--reason", "seen weekly")  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    answer = _resolve(client, auth, ["SQ *ZEPHYRINE BAKEHOUSE LEEDS"])["results"][0]
    assert answer["name"] == "Zephyrine Bakehouse", answer
    history = cli("history", answer["merchant_id"])
    assert history.returncode == 0 and "analyst-jo" in history.stdout and "confirm" in history.stdout
    refused = cli("merge", answer["merchant_id"], answer["merchant_id"], "--actor", "analyst-jo")
    assert refused.returncode == 2 and "into" in refused.stdout
