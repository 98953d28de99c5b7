"""The embedded server's lifecycle, on a second server of its own (the session one keeps running)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import psycopg

from fintra.embedded_pg import EmbeddedPostgres


def test_start_twice_is_harmless_then_stop() -> None:
    root = Path(tempfile.mkdtemp(prefix="fintra-emb-", dir="/tmp"))
    server = EmbeddedPostgres(root / "pg")
    try:
        assert not server.status().running
        url = server.start()
        first = server.status()
        assert first.running and first.url == url and first.pid
        assert server.start() == url  # re-attaches, no second server
        assert server.status().pid == first.pid
        with psycopg.connect(url) as conn:
            version = conn.execute("SHOW server_version_num").fetchone()[0]
            # the server's settings took effect on the first start (the restart they need happened then)
            assert conn.execute("SHOW shared_buffers").fetchone()[0] == "512MB"
            extensions = {r[0] for r in conn.execute("SELECT name FROM pg_available_extensions")}
        assert int(version) >= 150000
        assert "vector" in extensions  # pgvector ships with the embedded server
        assert server.stop() is True
        assert not server.status().running
        assert server.stop() is False
        # Data survives a restart.
        assert server.start()
        assert server.status().running
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
