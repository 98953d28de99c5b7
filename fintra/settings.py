"""Platform settings, read once from `FINTRA_*` environment variables (or a `.env` file).

Settings are passed into the code that needs them (CLI commands, Dagster resources, FastAPI
dependencies); nothing reads `os.environ` deeper down.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where the platform keeps its state and which external services it talks to."""

    model_config = SettingsConfigDict(env_prefix="FINTRA_", env_file=".env", extra="ignore")

    home: Path = Field(
        default=Path(".fintra"),
        description="Folder for embedded state: Postgres data, the local lake, Qdrant, Dagster.",
    )
    database_url: SecretStr | None = Field(
        default=None,
        description="PostgreSQL (15+) URL. Unset: the embedded server under FINTRA_HOME/pg is used.",
    )
    lake_url: str | None = Field(
        default=None,
        description="Lake root: file:///path or s3://bucket/prefix. Unset: FINTRA_HOME/lake.",
    )
    s3_endpoint_url: str | None = Field(
        default=None, description="S3-compatible endpoint for an s3:// lake (unset: AWS). Credentials: AWS_* variables."
    )
    pseudonym_key: SecretStr | None = Field(
        default=None,
        description="HMAC key that turns personal data into stable pseudonyms in the lake (at least 16"
        " characters). Unset: FINTRA_PSEUDONYM_KEY_FILE, else a random key generated once into"
        " FINTRA_HOME/secrets/pseudonym.key (mode 0600). There is no built-in key.",
    )
    pseudonym_key_file: Path | None = Field(
        default=None, description="A file holding the pseudonym key (a mounted secret); read when the key is unset."
    )
    qdrant_url: str | None = Field(
        default=None, description="Qdrant server URL. Unset: Qdrant local mode under FINTRA_HOME/qdrant."
    )
    nats_url: str | None = Field(
        default=None,
        description="NATS JetStream server(s) the outbox relay publishes to (nats://host:4222, comma-separated"
        " for a cluster). Unset: the embedded nats-server under FINTRA_HOME/nats.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis-protocol read store holding the views apps read (redis://host:6379/0)."
        " Unset: the embedded redis-server under FINTRA_HOME/redis.",
    )
    watchlist_path: Path | None = Field(
        default=None,
        description="Watch list CSV (entity_id, name, entity_type, program, country, aliases) screened by the API"
        " and the compliance marts. Unset: the simulator's fictional list.",
    )
    rule_drain_share: float = Field(
        default=0.8,
        gt=0,
        le=1,
        description="Hold a transfer that, with the last hour's payments, takes this share of the balance"
        " to a new payee.",
    )
    rule_new_payee_days: float = Field(
        default=7.0, ge=0, description="A payee first paid less than this many days ago is new to the drain rule."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO")
    api_rate_per_minute: int = Field(
        default=600, gt=0, description="Default request rate of a new API key (per minute, per serving process)."
    )
    model_reload_seconds: float = Field(
        default=30.0, gt=0, description="How often the API checks the registry for a newly promoted model."
    )
    db_wait_seconds: float = Field(
        default=1.0,
        gt=0,
        description="How long an API request waits for a database connection before it is answered 503.",
    )
    view_max_lag_seconds: float = Field(
        default=5.0,
        ge=0,
        description="The API answers balances from the read store's views while they lag less than this;"
        " beyond it (or with no read store) from the database, saying so in the X-Read-Source header.",
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url", "nats_url", "redis_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def home_dir(self) -> Path:
        """FINTRA_HOME as an absolute path (relative values are taken from the working directory)."""
        return self.home.expanduser().resolve()

    @property
    def pg_data_dir(self) -> Path:
        return self.home_dir / "pg"

    @property
    def resolved_lake_url(self) -> str:
        return self.lake_url or (self.home_dir / "lake").as_uri()

    @property
    def uses_embedded_postgres(self) -> bool:
        return self.database_url is None

    @property
    def nats_data_dir(self) -> Path:
        return self.home_dir / "nats"

    @property
    def redis_data_dir(self) -> Path:
        return self.home_dir / "redis"

    def resolved_pseudonym_key(self) -> bytes:
        """The lake's pseudonym key: FINTRA_PSEUDONYM_KEY, else the key file, else the key generated on first
        use under FINTRA_HOME/secrets (random, mode 0600, kept: pseudonyms stay stable across runs)."""
        if self.pseudonym_key is not None:
            return checked_pseudonym_key(self.pseudonym_key.get_secret_value().encode(), "FINTRA_PSEUDONYM_KEY")
        if self.pseudonym_key_file is not None:
            path = self.pseudonym_key_file.expanduser()
            try:
                return checked_pseudonym_key(path.read_bytes().strip(), f"FINTRA_PSEUDONYM_KEY_FILE ({path})")
            except OSError as exc:
                raise ValueError(f"FINTRA_PSEUDONYM_KEY_FILE: cannot read {path}: {exc.strerror}") from None
        path = self.home_dir / "secrets" / "pseudonym.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # O_EXCL: two processes starting together keep one key, the first one written
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(secrets.token_urlsafe(32).encode())
        return checked_pseudonym_key(path.read_bytes().strip(), str(path))


# Keys that were once a default or an example: a lake pseudonymised with one of them is readable by anyone.
KNOWN_PSEUDONYM_KEYS = frozenset({b"", b"fintra-development-pseudonym-key", b"changeme", b"secret"})
MIN_PSEUDONYM_KEY_LENGTH = 16


def checked_pseudonym_key(key: bytes, source: str) -> bytes:
    """`key`, or a ValueError naming `source` when it is empty, known or too short to be a secret."""
    if key in KNOWN_PSEUDONYM_KEYS or len(key) < MIN_PSEUDONYM_KEY_LENGTH:
        raise ValueError(
            f"{source}: the pseudonym key must be a secret of at least {MIN_PSEUDONYM_KEY_LENGTH} characters,"
            " not empty and not a published default (unset it to have one generated under FINTRA_HOME/secrets)"
        )
    return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, built on first use (never at import)."""
    return Settings()
