from __future__ import annotations

from pathlib import Path

import pytest

from fintra.database import database_url, redact, with_database
from fintra.settings import Settings


def test_defaults_and_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ["FINTRA_HOME", "FINTRA_DATABASE_URL", "FINTRA_LAKE_URL", "FINTRA_QDRANT_URL", "FINTRA_LOG_LEVEL"]:
        monkeypatch.delenv(name, raising=False)
    defaults = Settings()
    assert defaults.home_dir == tmp_path / ".fintra"
    assert defaults.pg_data_dir == tmp_path / ".fintra" / "pg"
    assert defaults.resolved_lake_url == (tmp_path / ".fintra" / "lake").as_uri()
    assert defaults.uses_embedded_postgres and defaults.qdrant_url is None and defaults.log_level == "INFO"

    monkeypatch.setenv("FINTRA_HOME", str(tmp_path / "h"))
    monkeypatch.setenv("FINTRA_DATABASE_URL", "postgresql://u:secret@db.example:5432/fintra")
    monkeypatch.setenv("FINTRA_LAKE_URL", "s3://bucket/prefix")
    monkeypatch.setenv("FINTRA_QDRANT_URL", "http://127.0.0.1:6333")
    monkeypatch.setenv("FINTRA_LOG_LEVEL", "debug")
    configured = Settings()
    assert configured.home_dir == tmp_path / "h"
    assert not configured.uses_embedded_postgres
    # An external URL is used as is: the embedded server is never started for it.
    assert database_url(configured) == "postgresql://u:secret@db.example:5432/fintra"
    assert "secret" not in repr(configured)
    assert configured.resolved_lake_url == "s3://bucket/prefix"
    assert configured.qdrant_url == "http://127.0.0.1:6333"
    assert configured.log_level == "DEBUG"
    assert not (tmp_path / "h").exists()


def test_invalid_log_level_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINTRA_LOG_LEVEL", "chatty")
    with pytest.raises(ValueError, match="log_level"):
        Settings()


def test_url_helpers() -> None:
    assert redact("postgresql://u:secret@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert redact("postgresql://postgres:@/postgres?host=/tmp/x") == "postgresql://postgres:@/postgres?host=/tmp/x"
    assert with_database("postgresql://postgres:@/postgres?host=/tmp/x", "t1") == (
        "postgresql://postgres:@/t1?host=/tmp/x"
    )


def test_the_pseudonym_key_is_never_a_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import stat

    from pipelines.extract import pseudonymise

    for name in ("FINTRA_PSEUDONYM_KEY", "FINTRA_PSEUDONYM_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    first = Settings(home=tmp_path / "a").resolved_pseudonym_key()
    path = tmp_path / "a" / "secrets" / "pseudonym.key"
    assert len(first) >= 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Settings(home=tmp_path / "a").resolved_pseudonym_key() == first  # kept: pseudonyms stay stable
    assert Settings(home=tmp_path / "b").resolved_pseudonym_key() != first  # every installation its own
    secret = tmp_path / "mounted.key"
    secret.write_text("a-mounted-secret-of-some-length\n")
    assert Settings(home=tmp_path / "c", pseudonym_key_file=secret).resolved_pseudonym_key() == (
        b"a-mounted-secret-of-some-length"
    )
    for weak in ("fintra-development-pseudonym-key", "short", ""):
        with pytest.raises(ValueError, match="FINTRA_PSEUDONYM_KEY"):
            Settings(home=tmp_path / "d", pseudonym_key=weak).resolved_pseudonym_key()
    with pytest.raises(ValueError, match="FINTRA_PSEUDONYM_KEY_FILE"):
        Settings(home=tmp_path / "e", pseudonym_key_file=tmp_path / "missing.key").resolved_pseudonym_key()
    import pyarrow as pa

    with pytest.raises(ValueError, match="pseudonym key"):  # nothing reaches the lake under a known key
        pseudonymise(pa.table({"full_name": ["Ada"]}), ("full_name",), b"fintra-development-pseudonym-key")
